/* SPDX-License-Identifier: MIT */
/*
 * The table builder's private parts, shared by table.c (the table, its ELF reading and the
 * .eh_frame rows of ehframe.c) and tabledw.c (the rows libdw gives: .debug_frame, binaries
 * without section headers).
 */
#ifndef FLAMETUI_UNWIND_TABLE_IMPL_H
#define FLAMETUI_UNWIND_TABLE_IMPL_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

#include "ehframe.h"
#include "table.h"

/* The per-architecture part: x86_64's DWARF register numbers. */
#define DWARF_RBP  6
#define DWARF_RSP  7
#define DWARF_RA   16
#define UW_MACHINE EM_X86_64

#define MAX_LOADS	 16
#define MAX_ROWS_PER_FDE 65536 /* a guard against a CFI program that never ends */

struct func {
	uint64_t start, end;
};

struct load {
	uint64_t offset, vaddr, filesz;
};

struct unwind_table {
	struct ft_unwind_row *rows; /* owned, sorted by pc, strictly increasing */
	size_t nrows, cap;
	struct func *funcs; /* owned, sorted, not overlapping */
	size_t nfuncs;
	struct load loads[MAX_LOADS];
	size_t nloads;
	struct unwind_table_stats stats;
};

/* Appends a row at pc (merging it into the row before when the rule is the same): 0, -E2BIG
 * past the limits, -ENOMEM. */
int table__push_row(struct unwind_table *t, uint64_t pc, const struct ft_unwind_row *r);
/* Appends the function [start, end); *cap is the caller's capacity of t->funcs. */
int table__add_func(struct unwind_table *t, uint64_t start, uint64_t end, size_t *cap);
/* The section called name, checked to lie in the file: its data (and *ret_addr, its
 * address, when asked), or NULL. */
Elf_Data *table__section(Elf *elf, uint64_t fsize, const char *name, uint64_t *ret_addr);

/* The compact row for one rule (ehframe.c's, or libdw's turned into one by tabledw.c):
 * FT_UW_NONE where the walk cannot follow it, counted in t's stats. */
void table__rule_row(struct unwind_table *t, const struct ehframe_rule *e, struct ft_unwind_row *r);

/* The rows of .eh_frame through libdw, its FDEs listed by .eh_frame_hdr (at hdr_off in the
 * file, hdr_vaddr in memory). */
int tabledw__eh_frame(struct unwind_table *t, Elf *elf, uint64_t hdr_off, uint64_t hdr_vaddr,
		      uint64_t hdr_size);
/* The rows of dbg's .debug_frame (a separate debug file, or the binary itself). */
int tabledw__debug_frame(struct unwind_table *t, Elf *dbg, uint64_t dsize);

#endif
