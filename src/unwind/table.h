/* SPDX-License-Identifier: MIT */
/*
 * An unwind table: one ELF file's .eh_frame CFI (src/unwind/ehframe.c; .debug_frame with libdw)
 * turned into the compact sorted rows the BPF walk searches (bpf/unwind.h), plus each function's start and end from
 * its FDE and the PT_LOAD segments that turn a mapping into a load bias. Pure: it reads an fd
 * and nothing else. Library code: it never prints.
 */
#ifndef FLAMETUI_UNWIND_TABLE_H
#define FLAMETUI_UNWIND_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "unwind.h"

#define UNWIND_TABLE_MAX_ROWS (4u << 20) /* a bigger table is refused (-E2BIG) */

struct unwind_table;

struct unwind_table_stats {
	size_t fdes;	    /* FDEs read */
	size_t exprs;	    /* rows whose rule was not CFA = register + offset (PLT, others) */
	size_t signal_rows; /* signal-frame rows */
	size_t unsupported; /* rows left to frame pointers: rules the BPF walk cannot follow */
};

/*
 * Reads fd (not closed, any position). 0 and *ret, or -errno: -ENOEXEC for a file that is not
 * a 64-bit x86_64 ELF, -ENODATA when it has no usable .eh_frame_hdr, -E2BIG past the limits.
 */
int unwind_table__build_fd(int fd, struct unwind_table **ret);
/* The same, and when fd has no .eh_frame_hdr, the rows of debug_fd's .debug_frame (the
 * binary's separate debug file; -1: none); the load segments are always fd's. */
int unwind_table__build_fds(int fd, int debug_fd, struct unwind_table **ret);
/* The same as unwind_table__build_fd through libdw's dwarf_cfi_addrframe for every row (what
 * the builder did before ehframe.c): the reference the tests and bench/unwind-build compare. */
int unwind_table__build_libdw(int fd, struct unwind_table **ret);
/* Does fd have a .eh_frame_hdr (PT_GNU_EH_FRAME)? When not, its rules are only in a debug
 * file's .debug_frame, if anywhere. */
bool unwind_table__has_eh_frame(int fd);
struct unwind_table *unwind_table__free(struct unwind_table *t); /* NULL-safe, returns NULL */

size_t unwind_table__rows(const struct unwind_table *t, const struct ft_unwind_row **ret);
/* The row that covers ELF vaddr (the last row at or below it), or NULL. */
const struct ft_unwind_row *unwind_table__find(const struct unwind_table *t, uint64_t vaddr);
/* The function (FDE) that contains vaddr: 0 and its [start, end), or -ENOENT. */
int unwind_table__func(const struct unwind_table *t, uint64_t vaddr, uint64_t *ret_start,
		       uint64_t *ret_end);
/* The load bias of a mapping of file offset `offset` at `start`: 0, or -ENOENT when no
 * PT_LOAD segment holds that offset. */
int unwind_table__bias(const struct unwind_table *t, uint64_t start, uint64_t offset,
		       uint64_t *ret_bias);
void unwind_table__stats(const struct unwind_table *t, struct unwind_table_stats *ret);

#endif
