// SPDX-License-Identifier: MIT
/*
 * The rows' page index (src/unwind/rowindex.c, and the BPF walk's search that mirrors it)
 * against a plain binary search over the whole table: on the real tables of the binaries given
 * on the command line (every row's pc, its neighbours, and addresses past both ends) and on
 * synthetic tables (rows bunched in one page, spread over many empty pages, a single row).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "rowindex.h"
#include "table.h"

/* The last row at or below vaddr, + 1; 0 when none: what the index must agree with. */
static size_t plain(const struct ft_unwind_row *rows, size_t n, uint64_t vaddr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[mid].pc <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return vaddr > UINT32_MAX ? 0 : lo;
}

/* Checks every interesting address of rows[0..n); returns the mismatches. */
static size_t check_rows(const char *what, const struct ft_unwind_row *rows, size_t n)
{
	size_t cap = rowindex__size(rows, n), nidx, bad = 0;
	uint32_t *idx = malloc((cap ? cap : 1) * sizeof(*idx)), pc_lo = 0;

	CHECK(idx != NULL);
	if (!idx)
		return 1;
	nidx = rowindex__build(rows, n, idx, cap, &pc_lo);
	CHECK(nidx == cap);
	CHECK(rowindex__build(rows, n, idx, cap - 1, &pc_lo) == 0); /* too small: no index */
	nidx = rowindex__build(rows, n, idx, cap, &pc_lo);
	for (size_t i = 0; i < n + 2; i++) {
		uint64_t base = i < n ? rows[i].pc : i == n ? rows[n - 1].pc + 100000 : 0;

		for (int d = -2; d <= 2; d++) {
			uint64_t v = base + (uint64_t)(int64_t)d;
			size_t want = plain(rows, n, v);

			if (base < 2 && d < 0)
				continue;
			if (rowindex__find(rows, n, idx, nidx, pc_lo, v) != want ||
			    rowindex__find(rows, n, NULL, 0, 0, v) != want) {
				if (bad++ < 5)
					fprintf(stderr, "%s: vaddr 0x%llx: index says %zu, search %zu\n",
						what, (unsigned long long)v,
						rowindex__find(rows, n, idx, nidx, pc_lo, v), want);
			}
		}
	}
	/* the index narrows the search to one page's rows */
	for (size_t k = 0; k + 1 < nidx; k++)
		CHECK(idx[k] <= idx[k + 1]);
	CHECK(nidx && idx[nidx - 1] == n);
	free(idx);
	return bad;
}

int main(int argc, char **argv)
{
	struct ft_unwind_row one[1] = {{.pc = 0x1234}};
	struct ft_unwind_row bunched[64], spread[64];

	for (int i = 0; i < 64; i++) {
		bunched[i] = (struct ft_unwind_row){.pc = 0x401000 + (uint32_t)i * 3};
		spread[i] = (struct ft_unwind_row){.pc = 0x10000 + (uint32_t)i * 0x5321};
	}
	CHECK_EQ_U64(check_rows("one", one, 1), 0);
	CHECK_EQ_U64(check_rows("bunched", bunched, 64), 0);
	CHECK_EQ_U64(check_rows("spread", spread, 64), 0);
	CHECK_EQ_U64(rowindex__size(bunched, 0), 0);
	/* out of range: below the first page, above 4 GiB */
	{
		uint32_t idx[4], lo;
		size_t n = rowindex__build(bunched, 64, idx, 4, &lo);

		CHECK(n == 2 && lo == 0x401000);
		CHECK_EQ_U64(rowindex__find(bunched, 64, idx, n, lo, 0x400fff), 0);
		CHECK_EQ_U64(rowindex__find(bunched, 64, idx, n, lo, 1ull << 33), 0);
	}

	for (int i = 1; i < argc; i++) {
		struct unwind_table *t = NULL;
		const struct ft_unwind_row *rows;
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		size_t n;

		CHECK(fd >= 0);
		if (fd < 0)
			continue;
		CHECK(unwind_table__build_fd(fd, &t) == 0);
		close(fd);
		if (!t)
			continue;
		n = unwind_table__rows(t, &rows);
		CHECK(n > 0);
		CHECK_EQ_U64(check_rows(argv[i], rows, n), 0);
		unwind_table__free(t);
	}
	return check_done();
}
