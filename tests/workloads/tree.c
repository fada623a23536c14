// SPDX-License-Identifier: MIT
/*
 * A workload with a known call tree, for tests and benchmarks:
 *   main -> run_thread -> work -> leaf_a (60%), leaf_b (30%), leaf_c (10%)
 * Usage: tree [--seconds S] [--threads N] [--phase]   (built with clang and frame pointers)
 * --phase: leaf_a only for the first half of the time, then leaf_b only (ring-mode tests).
 * --alternate: leaf_a for the first 300 ms of every second from the start, leaf_b for the
 * other 700 ms (the heat-map test).
 * Prints "rounds_per_sec N" at the end (benchmarks read it).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UNIT 20000

static double seconds = 5;
static int phase, alternate;
/* per thread: one shared counter would bounce its cache line between the CPUs, and the
 * throughput benchmarks read would swing by 4x with how the threads happen to interleave */
static __thread volatile unsigned long sink;
static unsigned long rounds_total;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void spin(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		sink += i;
}

__attribute__((noinline)) void leaf_a(unsigned long units)
{
	for (unsigned long i = 0; i < units * UNIT; i++)
		sink += i;
}

__attribute__((noinline)) void leaf_b(unsigned long units)
{
	for (unsigned long i = 0; i < units * UNIT; i++)
		sink += i;
}

__attribute__((noinline)) void leaf_c(unsigned long units)
{
	for (unsigned long i = 0; i < units * UNIT; i++)
		sink += i;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void work(int which)
{
	if (which == 0) {
		leaf_a(6);
		leaf_b(3);
		leaf_c(1);
	} else if (which == 1) {
		leaf_a(10);
	} else {
		leaf_b(10);
	}
}

__attribute__((noinline)) void *run_thread(void *arg)
{
	double start = now(), end = start + seconds;
	unsigned long rounds = 0;

	(void)arg;
	for (double t = start; t < end; t = now()) {
		int which = phase ? (t - start < seconds / 2 ? 1 : 2) : 0;

		if (alternate)
			which = t - start - (double)(long)(t - start) < 0.3 ? 1 : 2;

		work(which);
		rounds++;
	}
	pthread_mutex_lock(&lock);
	rounds_total += rounds;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = 1;
	pthread_t tids[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--phase"))
			phase = 1;
		else if (!strcmp(argv[i], "--alternate"))
			alternate = 1;
	}
	if (threads < 1 || threads > 64)
		threads = 1;
	spin(1000);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	for (int i = 1; i < threads; i++)
		pthread_create(&tids[i], NULL, run_thread, NULL);
	run_thread(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	printf("rounds_per_sec %.1f\n", (double)rounds_total / seconds);
	return 0;
}
