// SPDX-License-Identifier: MIT
/* Benchmark helper: builds each named binary's unwind table REPS times and prints the median
 * build time, rows and bytes (the kernel's copy is rows * 8), and the median time of the same
 * build through libdw's dwarf_cfi_addrframe (what it used before src/unwind/ehframe.c), with
 * the ratio. Usage: unwind-build REPS FILE... */
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
		double *t = calloc((size_t)reps * 2, sizeof(*t)), *tl = t + reps;
		size_t rows = 0;

		if (!t)
			return 1;
		for (int r = 0; r < reps * 2; r++) {
			const struct ft_unwind_row *rw;
			struct unwind_table *tab = NULL;
			int fd = open(argv[i], O_RDONLY | O_CLOEXEC), err;
			double t0 = now_ms();

			if (fd < 0) {
				perror(argv[i]);
				return 1;
			}
			/* alternated, so both see the same machine */
			err = r & 1 ? unwind_table__build_libdw(fd, &tab)
				    : unwind_table__build_fd(fd, &tab);
			(r & 1 ? tl : t)[r / 2] = now_ms() - t0;
			close(fd);
			if (err) {
				fprintf(stderr, "%s: cannot build its table (%d)\n", argv[i], err);
				return 1;
			}
			if (!(r & 1))
				rows = unwind_table__rows(tab, &rw);
			unwind_table__free(tab);
		}
		qsort(t, (size_t)reps, sizeof(*t), cmp_d);
		qsort(tl, (size_t)reps, sizeof(*tl), cmp_d);
		printf("%s %.2f ms %zu rows %zu bytes (libdw per row: %.2f ms, ratio %.2f)\n", argv[i],
		       t[reps / 2], rows, rows * sizeof(struct ft_unwind_row), tl[reps / 2],
		       t[reps / 2] / tl[reps / 2]);
		free(t);
	}
	return 0;
}
