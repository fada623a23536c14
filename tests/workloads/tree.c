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
#include <stdint.h>
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

/*
 * One unit of work in registers only. The leaves used to add into `sink` in memory each
 * iteration: how fast such a load-store chain runs depends on the CPU's store forwarding and
 * memory renaming, which differed by call length and by function here (perf measured the
 * fixed 6/3/1 split as 66-69/23-25/7-8), so the known split was not the workload's.
 */
static inline __attribute__((always_inline)) unsigned long step(unsigned long x, unsigned long i)
{
	x = x * 6364136223846793005ul + i;
	__asm__ volatile("" : "+r"(x)); /* kept a loop of multiplies: not folded, not vectorised */
	return x;
}

__attribute__((noinline)) void leaf_a(unsigned long units)
{
	unsigned long x = sink;

	for (unsigned long i = 0; i < units * UNIT; i++)
		x = step(x, i);
	sink = x;
}

__attribute__((noinline)) void leaf_b(unsigned long units)
{
	unsigned long x = sink;

	for (unsigned long i = 0; i < units * UNIT; i++)
		x = step(x, i);
	sink = x;
}

__attribute__((noinline)) void leaf_c(unsigned long units)
{
	unsigned long x = sink;

	for (unsigned long i = 0; i < units * UNIT; i++)
		x = step(x, i);
	sink = x;
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
		/* Ten units in a new order each round. A round takes a fixed time, and in a fixed
		 * order a sampling period that is a near multiple of it lands on the same leaf
		 * sample after sample (aliasing: CI once measured 73/19/7); shuffled, every unit's
		 * place holds leaf_a with probability 0.6, whatever the period. */
		static __thread uint64_t rng = 0x9e3779b97f4a7c15ull;
		unsigned char order[10] = { 0, 0, 0, 0, 0, 0, 1, 1, 1, 2 };

		for (int i = 9; i > 0; i--) {
			int j;
			unsigned char t;

			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			j = (int)(rng % (uint64_t)(i + 1));
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (int i = 0; i < 10; i++) {
			if (order[i] == 0)
				leaf_a(1);
			else if (order[i] == 1)
				leaf_b(1);
			else
				leaf_c(1);
		}
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
