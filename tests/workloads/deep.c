// SPDX-License-Identifier: MIT
/*
 * Deep-stack workload for the ingest benchmark: every thread recurses DEPTH frames
 * (default 60) through two alternating functions, spins at the bottom, and starts
 * again, so every sample carries a 60+ frame user stack and a few hundred distinct stacks
 * exist. Usage: ft-deep [--seconds S] [--threads N] [--depth D]
 * Built with clang -fno-omit-frame-pointer (gcc 12 drops leaf frame setup).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds = 5;
static int depth = 60;
/* per thread: one shared counter would bounce its cache line between the CPUs, and the
 * throughput benchmarks read would swing by 4x with how the threads happen to interleave */
static __thread volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void deep_leaf(void)
{
	for (unsigned long i = 0; i < 200000; i++)
		sink += i;
}

void rec_one(int level, unsigned long pattern);

__attribute__((noinline)) void rec_zero(int level, unsigned long pattern)
{
	if (level >= depth) {
		deep_leaf();
		return;
	}
	if ((pattern >> (level % 8)) & 1)
		rec_one(level + 1, pattern);
	else
		rec_zero(level + 1, pattern);
	sink++; /* not a tail call: keep every frame on the stack */
}

__attribute__((noinline)) void rec_one(int level, unsigned long pattern)
{
	if (level >= depth) {
		deep_leaf();
		return;
	}
	if ((pattern >> (level % 8)) & 1)
		rec_one(level + 1, pattern);
	else
		rec_zero(level + 1, pattern);
	sink++;
}

static void *run_thread(void *arg)
{
	double end = now() + seconds;
	unsigned long pattern = (unsigned long)arg;

	while (now() < end)
		rec_zero(0, pattern++ & 0xff);
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
		else if (!strcmp(argv[i], "--depth") && i + 1 < argc)
			depth = atoi(argv[++i]);
	}
	if (threads < 1 || threads > 64)
		threads = 1;
	if (depth < 1 || depth > 1000)
		depth = 60;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (int i = 1; i < threads; i++)
		pthread_create(&tids[i], NULL, run_thread, (void *)(unsigned long)(i * 37));
	run_thread(NULL);
	for (int i = 1; i < threads; i++)
		pthread_join(tids[i], NULL);
	return 0;
}
