// SPDX-License-Identifier: MIT
/*
 * JIT perf-map benchmark helper (bench/benchlib/jit.py runs it):
 *   jvm-bench request PID N   N requests to a running JVM through src/runtimes/jvm.c, each
 *                             waited for: prints "request MEDIAN_MS MIN_MS ANSWERED"
 *   jvm-bench parse FILE N    parses FILE (a perf map) N times from memory into a fresh map:
 *                             prints "parse BYTES ENTRIES MEDIAN_MS"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchtime.h"
#include "jvm.h"
#include "perfmap.h"

#define MAX_REPS 64

static int request(unsigned int pid, int n)
{
	double ms[MAX_REPS];
	int answered = 0;

	for (int i = 0; i < n; i++) {
		struct jvm *j = jvm__new(NULL, 0);
		double t0 = now_ms();

		if (!j)
			return 1;
		answered += jvm__request(j, pid) == 1;
		ms[i] = now_ms() - t0;
		jvm__free(j);
	}
	qsort(ms, (size_t)n, sizeof(ms[0]), cmp_double);
	printf("request %.2f %.2f %d\n", ms[n / 2], ms[0], answered);
	return 0;
}

static int parse(const char *path, int n)
{
	double ms[MAX_REPS];
	size_t len = 0, cap = 1 << 20, entries = 0;
	char *buf = malloc(cap);
	FILE *f = fopen(path, "re");
	size_t r;

	if (!buf || !f)
		return 1;
	while ((r = fread(buf + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb)
				return 1;
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	for (int i = 0; i < n; i++) {
		struct perfmap *m = perfmap__new();
		double t0 = now_ms();

		if (!m || perfmap__parse(m, buf, len))
			return 1;
		/* the index is built at the first lookup: part of the cost */
		perfmap__find(m, 0);
		ms[i] = now_ms() - t0;
		entries = perfmap__count(m);
		perfmap__free(m);
	}
	qsort(ms, (size_t)n, sizeof(ms[0]), cmp_double);
	printf("parse %zu %zu %.2f\n", len, entries, ms[n / 2]);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 3 ? atoi(argv[3]) : 0;

	if (argc != 4 || n < 1 || n > MAX_REPS) {
		fprintf(stderr, "usage: jvm-bench request PID N | parse FILE N (N <= %d)\n",
			MAX_REPS);
		return 2;
	}
	if (!strcmp(argv[1], "request"))
		return request((unsigned int)strtoul(argv[2], NULL, 10), n);
	if (!strcmp(argv[1], "parse"))
		return parse(argv[2], n);
	return 2;
}
