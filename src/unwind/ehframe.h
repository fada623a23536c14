/* SPDX-License-Identifier: MIT */
/*
 * A reader of .eh_frame for the table builder: the FDEs (sorted by start) and, for one FDE,
 * each row of its call-frame program as the walk needs it (the CFA rule, where the return
 * address and RBP were saved, signal frames). One pass over each FDE's instructions, where
 * asking libdw's dwarf_cfi_addrframe for every row looked the FDE up again and ran its program
 * from the start each time: 56% of flametui's CPU while sampling a machine that was building
 * software. Every read is bounded by the section and the entry; anything it does not know
 * (an opcode, an encoding, a remember-state stack deeper than it keeps) ends that FDE's rows.
 * Pure: it reads a buffer and nothing else.
 */
#ifndef FLAMETUI_UNWIND_EHFRAME_H
#define FLAMETUI_UNWIND_EHFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ehframe_cfa {
	EH_CFA_REG = 0,	 /* CFA = register cfa_reg + cfa_off */
	EH_CFA_PLT = 1,	 /* the PLT expression glibc and binutils emit */
	EH_CFA_EXPR = 2, /* another expression */
};

enum ehframe_reg {
	EH_REG_UNSPEC = 0, /* no rule given */
	EH_REG_SAME = 1,   /* same value */
	EH_REG_UNDEF = 2,  /* undefined */
	EH_REG_OFFSET = 3, /* saved at CFA + off */
	EH_REG_OTHER = 4,  /* in a register, val_offset, an expression */
};

struct ehframe_rule {
	bool signal; /* the CIE's 'S' augmentation: a signal frame */
	uint8_t cfa; /* enum ehframe_cfa */
	uint8_t ra, rbp; /* enum ehframe_reg */
	uint64_t cfa_reg;
	int64_t cfa_off, ra_off, rbp_off;
};

struct ehframe_fde {
	uint64_t start, end; /* [start, end) ELF virtual addresses */
	uint32_t off;	     /* of the FDE in the section */
	uint32_t cie;	     /* of its CIE */
};

/*
 * The FDEs of .eh_frame section data (d, size) loaded at vaddr, sorted by start (ties: the
 * first in the section first): 0 and a malloc'd array, or -ENOMEM / -ENODATA (nothing usable).
 * Entries that cannot be read are skipped; a zero terminator ends the section.
 */
int ehframe__fdes(const uint8_t *d, size_t size, uint64_t vaddr, struct ehframe_fde **ret,
		  size_t *ret_n);

/* Called for each row: its first address and its rule; nonzero stops the walk (returned). */
typedef int (*ehframe_row_fn)(void *ctx, uint64_t pc, const struct ehframe_rule *r);

/*
 * Runs fde's program (with its CIE's): fn for every row that starts below limit, in address
 * order. *ret_end: where the last row given ends (the FDE's end, or the start of the first
 * row at or past limit), fde->start when the FDE gave none. 0, fn's nonzero value, or
 * -ENODATA when the FDE or its CIE cannot be read (no rows then).
 */
int ehframe__rows(const uint8_t *d, size_t size, uint64_t vaddr, const struct ehframe_fde *fde,
		  uint64_t limit, ehframe_row_fn fn, void *ctx, uint64_t *ret_end);

#endif
