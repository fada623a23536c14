/* SPDX-License-Identifier: MIT */
/*
 * A page index over one table's sorted rows, so the BPF walk's binary search touches the one
 * page of rows that can hold the answer instead of ~16 pages of a table spread over a
 * megabyte (each a cold cache and TLB miss in a sample that arrives every millisecond or so).
 * For every 2^ROWINDEX_SHIFT bytes of the binary's code from pc_lo on, idx[k] is the number
 * of rows with pc < pc_lo + (k << ROWINDEX_SHIFT); the row that covers vaddr in page k is then
 * between idx[k] - 1 and idx[k + 1] - 1. The kernel gets it right after the rows, one entry per
 * row slot (bpf/unwind.h). Pure.
 */
#ifndef FLAMETUI_UNWIND_ROWINDEX_H
#define FLAMETUI_UNWIND_ROWINDEX_H

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "unwind.h"

/*
 * The index of rows[0..n) (sorted by pc, n > 0): its entries (pages + 1) and *ret_pc_lo; 0
 * when the index would hold more than max entries (the walk then searches the whole run).
 * out has room for max entries.
 */
size_t rowindex__build(const struct ft_unwind_row *rows, size_t n, uint32_t *out, size_t max,
		       uint32_t *ret_pc_lo);
/* Entries the index of rows[0..n) has (pages + 1); 0 for n == 0. */
size_t rowindex__size(const struct ft_unwind_row *rows, size_t n);
/*
 * The lookup the BPF walk does (bpf/unwind.bpf.h uw_frame), for tests: the index + 1 of the
 * last row at or below vaddr, or 0. nidx 0: no index, the whole run is searched.
 */
size_t rowindex__find(const struct ft_unwind_row *rows, size_t n, const uint32_t *idx,
		      size_t nidx, uint32_t pc_lo, uint64_t vaddr);

#endif
