/* SPDX-License-Identifier: MIT */
/*
 * The unwind tables' layout, shared by the BPF walk (bpf/unwind.bpf.h) and userspace
 * (src/unwind/). Only __u32/__u64 and fixed arrays: both sides include it.
 *
 * One global array of rows holds every binary's table, each a sorted run of rows; a row says
 * how to find the caller's frame for the PCs from its own up to the next row's. Per process, a
 * sorted array of its executable mappings says which run and which load bias a PC uses.
 */
#ifndef FLAMETUI_UNWIND_H
#define FLAMETUI_UNWIND_H

/* What a row says about the CFA (the caller's stack pointer; its return address is at CFA-8). */
enum ft_unwind_kind {
	FT_UW_NONE = 0,	   /* no unwind information here: frame pointers, if allowed */
	FT_UW_CFA_RSP = 1, /* CFA = RSP + cfa_off */
	FT_UW_CFA_RBP = 2, /* CFA = RBP + cfa_off */
	FT_UW_PLT = 3,	   /* a PLT entry: CFA = RSP + 8, + 8 once past its push (PC & 15 >= 11) */
	FT_UW_SIGNAL = 4,  /* __restore_rt: the interrupted registers are in a ucontext at RSP */
	FT_UW_END = 5,	   /* the outermost frame (return address undefined, as in _start) */
};

struct ft_unwind_row {
	__u32 pc;      /* ELF virtual address where this rule starts */
	__u16 cfa_off; /* FT_UW_CFA_*: bytes above the base register */
	__u8 kind;     /* enum ft_unwind_kind */
	__s8 rbp_off8; /* the caller's RBP was saved at CFA + 8 * rbp_off8; 0 = RBP unchanged */
};

#define FT_UNWIND_MAX_MAPS 128 /* executable mappings with a table per process */

/* A table's page index (src/unwind/rowindex.h) follows its rows in the rows array, one entry
 * per row slot (in its pc field): for the k-th 2^FT_UNWIND_PAGE_SHIFT bytes of code from
 * idx_pc_lo on, the number of the table's rows below them. */
#define FT_UNWIND_PAGE_SHIFT 12

struct ft_unwind_map {
	__u64 start, end; /* [start, end) in the process */
	__u64 bias;	  /* ELF vaddr = address - bias */
	__u32 row_start;  /* first row of the binary's table in the rows array */
	__u32 row_count;  /* 0: the binary has no table (frame pointers) */
	__u32 idx_count;  /* entries of the page index at row_start + row_count; 0: none */
	__u32 idx_pc_lo;  /* ELF vaddr of the index's first page */
};

/* row_start of a mapping whose binary's table is still being built (row_count 0): the walk
 * uses frame pointers there and the sample counts as taken before its tables. */
#define FT_UNWIND_PENDING 0xffffffffu

/* ft_unwind_proc.flags: maps[] lists every executable mapping the process had when it was
 * loaded (those without a table too, with row_count 0), so a PC in none of them is in code
 * mapped since (a dlopen, new JIT code): frame pointers there, counted as before its tables. */
#define FT_UNWIND_PROC_COMPLETE 1u

struct ft_unwind_proc {
	__u32 n; /* valid entries in maps[], sorted by start, not overlapping */
	__u32 flags; /* FT_UNWIND_PROC_* */
	struct ft_unwind_map maps[FT_UNWIND_MAX_MAPS];
};

/* Frames the walk emits where a chain broke (never valid user addresses). */
#define FT_UNWIND_MARK_BASE 0xffffffffffffff00ull
enum ft_unwind_mark {
	FT_UW_MARK_NO_TABLE = 1,    /* a PC without a table, and no frame pointer chain either */
	FT_UW_MARK_READ_FAILED = 2, /* reading the stack failed */
	FT_UW_MARK_NO_PROGRESS = 3, /* the CFA did not grow: the rule or the stack is wrong */
	FT_UW_MARK_DEEP = 4,	    /* more frames than the walk takes */
	FT_UW_MARK_MAX,
};

#endif
