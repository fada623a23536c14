/* SPDX-License-Identifier: MIT */
/*
 * The unwind loader's private parts, shared by loader.c (binaries, processes, the API) and
 * kernrows.c (the tables' runs in the kernel's row array).
 */
#ifndef FLAMETUI_UNWIND_LOADER_IMPL_H
#define FLAMETUI_UNWIND_LOADER_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader.h"
#include "table.h"

#define BUILD_ID_MAX 64

struct utab {
	uint64_t dev, ino, size, mtime;
	uint8_t build_id[BUILD_ID_MAX]; /* the GNU build-id, when the file has one */
	size_t build_id_len;
	struct unwind_table *t;	       /* owned; NULL: the binary has no usable table */
	uint32_t row_start, row_count; /* its run in the kernel; row_count 0 when not there */
	uint32_t idx_count, idx_pc_lo; /* its page index, right after the rows (rowindex.h) */
	unsigned refs;		       /* process entries in the kernel that use it */
	uint64_t last_use;
	uint64_t unused_ns;   /* when refs last fell to 0 */
	uint64_t verified_ns; /* when its file was last opened and found unchanged */
	bool building;	      /* queued for or on the builder thread */
};

struct uproc {
	uint32_t pid;
	bool changed;
	bool waiting; /* some of its binaries' tables are being built */
	uint64_t loaded_ns;
	struct utab **tabs; /* owned array; one reference each */
	size_t ntabs;
};

struct unwind_loader {
	struct unwind_loader_opts opts;
	struct utab **tabs;
	size_t ntabs, tcap;
	struct uproc *procs;
	size_t nprocs, pcap;
	struct runs *free_rows;		     /* free runs of the row array */
	uint64_t clock;			     /* use counter for the LRU */
	uint64_t window_start, window_spent; /* the loading budget */
	struct unwind_loader_stats stats;
	struct ft_unwind_proc entry; /* scratch: 4 KiB, too big for the stack */
	struct builder *builder;     /* tables built off this thread */
	/* the row array mapped (BPF_F_MMAPABLE), or NULL: then rows go in by batch updates,
	 * several times slower (cc1's 478k rows) */
	struct ft_unwind_row *rows_map;
	size_t rows_map_len;
	uint64_t swept_ns; /* the last sweep() */
};

/* Takes the table's run out of the kernel's row array (its rows are free again). */
void kernrows__unload(struct unwind_loader *l, struct utab *u);
/* Puts the table's rows and their index into the kernel, unloading unused tables for room:
 * 0 (also when it did not fit: counted), or -ENOMEM. */
int kernrows__load(struct unwind_loader *l, struct utab *u);
/* Unloads the least recently used table no process uses: false when there is none. */
bool kernrows__evict_one(struct unwind_loader *l);

#endif
