// SPDX-License-Identifier: MIT
/*
 * Loading benchmark: `load-bench [--reps N] [--folded-out] FILE...` loads each file into a fresh
 * trie N times (formats__load_path, what `flametui file` does before its first frame) and
 * prints one line per file: "load BYTES NODES WALL_MS CPU_MS MB_S_CPU [OUT_MS]" (medians; MB/s
 * over the process's CPU time, which a busy machine disturbs less than the wall clock; the
 * second thread's time counts). --folded-out also times writing the folded text to /dev/null.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "formats.h"
#include "folded.h"
#include "trie.h"

static double ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define MAX_REPS 32

int main(int argc, char **argv)
{
	int reps = 3, i = 1;
	bool out = false;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--folded-out"))
			out = true;
		else
			break;
	}
	if (i == argc || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "usage: load-bench [--reps 1-%d] [--folded-out] FILE...\n", MAX_REPS);
		return 2;
	}
	for (; i < argc; i++) {
		double wall[MAX_REPS], cpu[MAX_REPS], wout[MAX_REPS];
		size_t nodes = 0;
		struct stat st;

		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		for (int r = 0; r < reps; r++) {
			struct formats_error err;
			struct trie *t = trie__new();
			double w0 = ms(CLOCK_MONOTONIC), c0 = ms(CLOCK_PROCESS_CPUTIME_ID);

			if (!t || formats__load_path(argv[i], t, NULL, &err)) {
				fprintf(stderr, "%s\n", t ? err.msg : "out of memory");
				return 1;
			}
			wall[r] = ms(CLOCK_MONOTONIC) - w0;
			cpu[r] = ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
			wout[r] = 0;
			if (out) {
				FILE *f = fopen("/dev/null", "w");

				w0 = ms(CLOCK_MONOTONIC);
				if (!f || folded__write(t, f))
					return 1;
				fclose(f);
				wout[r] = ms(CLOCK_MONOTONIC) - w0;
			}
			nodes = trie__nodes(t);
			trie__free(t);
		}
		qsort(wall, reps, sizeof(double), cmp_double);
		qsort(cpu, reps, sizeof(double), cmp_double);
		qsort(wout, reps, sizeof(double), cmp_double);
		printf("load %lld %zu %.1f %.1f %.0f", (long long)st.st_size, nodes, wall[reps / 2],
		       cpu[reps / 2], (double)st.st_size / 1e3 / cpu[reps / 2]);
		if (out)
			printf(" %.1f", wout[reps / 2]);
		printf("\n");
	}
	return 0;
}
