// SPDX-License-Identifier: MIT
/*
 * The .eh_frame reader (src/unwind/ehframe.c) against libdw, the reader it replaced: for every
 * binary named on the command line, the two tables must have the same rows (address, rule)
 * and the same functions. Binaries that give no table either way are skipped; one that gives
 * a table only one way fails. Prints how long each took.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "table.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int build(const char *path, int libdw, struct unwind_table **ret, double *ms)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;
	double t0 = now_ms();

	if (fd < 0)
		return -1;
	err = libdw ? unwind_table__build_libdw(fd, ret) : unwind_table__build_fd(fd, ret);
	*ms += now_ms() - t0;
	close(fd);
	return err;
}

int main(int argc, char **argv)
{
	double ms_new = 0, ms_old = 0;
	size_t compared = 0;

	for (int i = 1; i < argc; i++) {
		struct unwind_table *a = NULL, *b = NULL;
		const struct ft_unwind_row *ra, *rb;
		int ea = build(argv[i], 0, &a, &ms_new), eb = build(argv[i], 1, &b, &ms_old);
		size_t na, nb, bad = 0;

		if (ea && eb) {
			continue;
		}
		if (!!ea != !!eb) {
			fprintf(stderr, "%s: ehframe %d, libdw %d\n", argv[i], ea, eb);
			CHECK(!ea == !eb);
			unwind_table__free(a);
			unwind_table__free(b);
			continue;
		}
		compared++;
		na = unwind_table__rows(a, &ra);
		nb = unwind_table__rows(b, &rb);
		if (na != nb)
			fprintf(stderr, "%s: %zu rows, libdw %zu\n", argv[i], na, nb);
		for (size_t j = 0; j < na && j < nb && bad < 5; j++)
			if (memcmp(&ra[j], &rb[j], sizeof(ra[j]))) {
				fprintf(stderr,
					"%s: row %zu: 0x%x kind %u cfa+%u rbp %d, libdw 0x%x kind %u "
					"cfa+%u rbp %d\n",
					argv[i], j, ra[j].pc, ra[j].kind, ra[j].cfa_off, ra[j].rbp_off8,
					rb[j].pc, rb[j].kind, rb[j].cfa_off, rb[j].rbp_off8);
				bad++;
			}
		CHECK(na == nb && bad == 0);
		for (size_t j = 0; j < nb; j += 1 + nb / 500) {
			uint64_t s1 = 0, e1 = 0, s2 = 0, e2 = 0;
			int f1 = unwind_table__func(a, rb[j].pc, &s1, &e1);
			int f2 = unwind_table__func(b, rb[j].pc, &s2, &e2);

			if (f1 != f2 || s1 != s2 || e1 != e2) {
				fprintf(stderr, "%s: function at 0x%x: [0x%lx, 0x%lx) libdw [0x%lx, 0x%lx)\n",
					argv[i], rb[j].pc, (unsigned long)s1, (unsigned long)e1,
					(unsigned long)s2, (unsigned long)e2);
				CHECK(f1 == f2 && s1 == s2 && e1 == e2);
				break;
			}
		}
		unwind_table__free(a);
		unwind_table__free(b);
	}
	printf("%zu binaries compared: ehframe %.1f ms, libdw %.1f ms\n", compared, ms_new, ms_old);
	CHECK(compared > 0);
	return check_done();
}
