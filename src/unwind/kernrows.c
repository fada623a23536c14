// SPDX-License-Identifier: MIT
/*
 * The loader's tables in the kernel's row array (see loader_impl.h): a table's rows and their
 * page index (rowindex.c) copied into a free run (runs.c) through the array's mapping, or by
 * batch updates where it cannot be mapped; the least recently used unused table evicted when
 * room is needed; a run given back when its table leaves.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader_impl.h"
#include "rowindex.h"
#include "runs.h"

void kernrows__unload(struct unwind_loader *l, struct utab *u)
{
	if (!u->row_count)
		return;
	if (runs__give(l->free_rows, u->row_start, u->row_count + u->idx_count))
		return; /* out of memory: the run stays used (lost, never corrupt) */
	l->stats.rows_used -= u->row_count + u->idx_count;
	l->stats.tables--;
	l->stats.tables_evicted++;
	u->row_count = 0;
}

static int upload_rows(struct unwind_loader *l, uint32_t start, const struct ft_unwind_row *rows,
		       uint32_t n)
{
	int fd = l->opts.rows_fd;
	uint32_t *keys = malloc((n ? n : 1) * sizeof(*keys)), count = n;
	int err = 0;

	/* The array is mapped: a plain copy. No entry points at this run yet, so the walk never
	 * reads it half written; the entry that will is written after, with a syscall. */
	if (l->rows_map) {
		free(keys);
		memcpy(l->rows_map + start, rows, (size_t)n * sizeof(*rows));
		return 0;
	}
	if (!keys)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		keys[i] = start + i;
	if (bpf_map_update_batch(fd, keys, rows, &count, NULL)) {
		/* kernels without batch updates on arrays: one at a time */
		err = 0;
		for (uint32_t i = 0; i < n && !err; i++)
			if (bpf_map_update_elem(fd, &keys[i], &rows[i], BPF_ANY))
				err = -errno;
	}
	free(keys);
	return err;
}

/* Unloads the least recently used table no process uses, for room; false when none. */
bool kernrows__evict_one(struct unwind_loader *l)
{
	struct utab *best = NULL;

	for (size_t i = 0; i < l->ntabs; i++) {
		struct utab *u = l->tabs[i];

		if (!u->refs && u->row_count && (!best || u->last_use < best->last_use))
			best = u;
	}
	if (!best)
		return false;
	kernrows__unload(l, best);
	return true;
}

/* The table's rows followed by their page index, as the kernel gets them: 0 and a malloc'd
 * run of *ret_len rows (*ret_nidx of them the index), or -ENOMEM. */
static int tab_run(const struct ft_unwind_row *rows, uint32_t n, struct ft_unwind_row **ret,
		   uint32_t *ret_len, uint32_t *ret_nidx, uint32_t *ret_pc_lo)
{
	size_t nidx = rowindex__size(rows, n);
	struct ft_unwind_row *run;
	uint32_t *idx, pc_lo = 0;

	if (nidx > n) /* sparse code (a few rows over a wide range): not worth its rows */
		nidx = 0;
	run = malloc(((size_t)n + nidx) * sizeof(*run));
	idx = malloc((nidx ? nidx : 1) * sizeof(*idx));
	if (!run || !idx) {
		free(run);
		free(idx);
		return -ENOMEM;
	}
	memcpy(run, rows, (size_t)n * sizeof(*run));
	nidx = rowindex__build(rows, n, idx, nidx, &pc_lo);
	for (size_t k = 0; k < nidx; k++)
		run[n + k] = (struct ft_unwind_row){.pc = idx[k]};
	free(idx);
	*ret = run;
	*ret_len = n + (uint32_t)nidx;
	*ret_nidx = (uint32_t)nidx;
	*ret_pc_lo = pc_lo;
	return 0;
}

/* Puts the table's rows and their index into the kernel (unloading unused tables for room). */
int kernrows__load(struct unwind_loader *l, struct utab *u)
{
	const struct ft_unwind_row *rows;
	struct ft_unwind_row *run;
	uint32_t n, len, nidx, pc_lo, start;
	int err;

	if (!u->t || u->row_count)
		return 0;
	n = (uint32_t)unwind_table__rows(u->t, &rows);
	if (!n)
		return 0;
	err = tab_run(rows, n, &run, &len, &nidx, &pc_lo);
	if (err)
		return err;
	while ((err = runs__take(l->free_rows, len, &start)) == -ENOSPC)
		if (!kernrows__evict_one(l))
			break;
	if (err) {
		free(run);
		l->stats.tables_full++;
		return 0;
	}
	err = upload_rows(l, start, run, len);
	free(run);
	if (err) {
		runs__give(l->free_rows, start, len);
		return err == -ENOMEM ? err : 0;
	}
	u->row_start = start;
	u->row_count = n;
	u->idx_count = nidx;
	u->idx_pc_lo = pc_lo;
	l->stats.rows_used += len;
	l->stats.tables++;
	return 0;
}

