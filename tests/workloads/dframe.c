// SPDX-License-Identifier: MIT
/*
 * A known call path, main -> df_outer -> df_middle -> df_inner, with neither frame pointers
 * nor .eh_frame: its unwind rules are only in the .debug_frame of a separate debug file found
 * through .gnu_debuglink (tests/workloads/meson.build strips it). Usage: ft-dframe --seconds N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile unsigned long df_sink;

__attribute__((noinline)) void df_inner(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		df_sink += i * i;
}

__attribute__((noinline)) void df_middle(unsigned long n)
{
	df_inner(n);
	df_sink++; /* not a tail call: the caller's frame stays */
}

__attribute__((noinline)) void df_outer(unsigned long n)
{
	df_middle(n);
	df_sink++;
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 && !strcmp(argv[1], "--seconds") ? atof(argv[2]) : 10;
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("ready\n");
	fflush(stdout);
	do {
		df_outer(1000000);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
	return 0;
}
