// SPDX-License-Identifier: MIT
/* Benchmark helper: builds each named binary's unwind table REPS times and prints the median
 * build time, rows and bytes (the kernel's copy is rows * 8). Usage: unwind-build REPS FILE... */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU: the machine is shared */
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 0;

	if (reps < 1 || reps > 1000 || argc < 3) {
		fprintf(stderr, "usage: unwind-build REPS FILE...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		double *t = calloc((size_t)reps, sizeof(*t));
		size_t rows = 0;

		if (!t)
			return 1;
		for (int r = 0; r < reps; r++) {
			const struct ft_unwind_row *rw;
			struct unwind_table *tab = NULL;
			int fd = open(argv[i], O_RDONLY | O_CLOEXEC), err;
			double t0 = now_ms();

			if (fd < 0) {
				perror(argv[i]);
				return 1;
			}
			err = unwind_table__build_fd(fd, &tab);
			t[r] = now_ms() - t0;
			close(fd);
			if (err) {
				fprintf(stderr, "%s: cannot build its table (%d)\n", argv[i], err);
				return 1;
			}
			rows = unwind_table__rows(tab, &rw);
			unwind_table__free(tab);
		}
		qsort(t, (size_t)reps, sizeof(*t), cmp_d);
		printf("%s %.2f ms %zu rows %zu bytes\n", argv[i], t[reps / 2], rows,
		       rows * sizeof(struct ft_unwind_row));
		free(t);
	}
	return 0;
}
