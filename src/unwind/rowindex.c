// SPDX-License-Identifier: MIT
/* The rows' page index: see rowindex.h. */
#include "rowindex.h"

#define PAGE_SHIFT FT_UNWIND_PAGE_SHIFT

size_t rowindex__size(const struct ft_unwind_row *rows, size_t n)
{
	uint32_t lo;

	if (!n)
		return 0;
	lo = rows[0].pc >> PAGE_SHIFT << PAGE_SHIFT;
	return ((size_t)(rows[n - 1].pc - lo) >> PAGE_SHIFT) + 2;
}

size_t rowindex__build(const struct ft_unwind_row *rows, size_t n, uint32_t *out, size_t max,
		       uint32_t *ret_pc_lo)
{
	size_t nidx = rowindex__size(rows, n), r = 0;
	uint32_t lo;

	if (!nidx || nidx > max)
		return 0;
	lo = rows[0].pc >> PAGE_SHIFT << PAGE_SHIFT;
	for (size_t k = 0; k < nidx; k++) {
		uint64_t page = (uint64_t)lo + ((uint64_t)k << PAGE_SHIFT);

		while (r < n && rows[r].pc < page)
			r++;
		out[k] = (uint32_t)r;
	}
	*ret_pc_lo = lo;
	return nidx;
}

size_t rowindex__find(const struct ft_unwind_row *rows, size_t n, const uint32_t *idx,
		      size_t nidx, uint32_t pc_lo, uint64_t vaddr)
{
	size_t lo = 0, hi = n;

	if (vaddr > UINT32_MAX)
		return 0;
	if (nidx) {
		uint64_t k;

		if (vaddr < pc_lo)
			return 0;
		k = (vaddr - pc_lo) >> PAGE_SHIFT;
		if (k + 1 < nidx) {
			lo = idx[k];
			hi = idx[k + 1];
		} else {
			lo = hi = n; /* past the last page: every row is below */
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[mid].pc <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
