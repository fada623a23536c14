// SPDX-License-Identifier: MIT
/*
 * The table builder's libdw reader (see table_impl.h): for each FDE, libdw's rule of every row
 * in turn (dwarf_cfi_addrframe, dwarf_frame_cfa, dwarf_frame_register), kept where the BPF
 * walk can follow it. Used for .debug_frame (a separate debug file's), for .eh_frame of a
 * binary without section headers, and as the reference ehframe.c is checked against.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table_impl.h"

/* glibc's and binutils' PLT rule: DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and;
 * DW_OP_lit11; DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus. */
static bool is_plt_expr(const Dwarf_Op *ops, size_t n)
{
	static const uint8_t atoms[] = {DW_OP_breg7, DW_OP_breg16, DW_OP_lit15,
					DW_OP_and,   DW_OP_lit11,  DW_OP_ge,
					DW_OP_lit3,  DW_OP_shl,	   DW_OP_plus};

	if (n != sizeof(atoms))
		return false;
	for (size_t i = 0; i < n; i++)
		if (ops[i].atom != atoms[i])
			return false;
	return ops[0].number == 8 && ops[1].number == 0;
}

/* Is the register saved at CFA + off (the "offset(N)" rule)? */
static bool cfa_offset_rule(const Dwarf_Op *ops, size_t n, int64_t *ret_off)
{
	if (n == 1 && ops[0].atom == DW_OP_call_frame_cfa) {
		*ret_off = 0;
		return true;
	}
	if (n == 2 && ops[0].atom == DW_OP_call_frame_cfa && ops[1].atom == DW_OP_plus_uconst) {
		*ret_off = (int64_t)ops[1].number;
		return true;
	}
	return false;
}

/* One libdw frame state as the rule ehframe.c would give for it; table__rule_row() then
 * decides what the walk can follow, the same way for both readers. */
static void frame_rule(Dwarf_Frame *f, bool signal, struct ehframe_rule *e)
{
	Dwarf_Op mem[3], *ops = NULL;
	size_t n = 0;
	int64_t off;

	memset(e, 0, sizeof(*e));
	e->signal = signal;
	e->ra = EH_REG_OTHER;
	if (!dwarf_frame_register(f, DWARF_RA, mem, &ops, &n)) {
		if (n == 0)
			e->ra = ops == mem ? EH_REG_UNDEF : EH_REG_SAME;
		else if (cfa_offset_rule(ops, n, &off))
			e->ra = EH_REG_OFFSET, e->ra_off = off;
	}
	e->cfa = EH_CFA_EXPR;
	if (!dwarf_frame_cfa(f, &ops, &n) && n) {
		if (is_plt_expr(ops, n)) {
			e->cfa = EH_CFA_PLT;
		} else if (n == 1 && ops[0].atom == DW_OP_bregx) {
			e->cfa = EH_CFA_REG;
			e->cfa_reg = ops[0].number;
			e->cfa_off = (int64_t)ops[0].number2;
		}
	}
	e->rbp = EH_REG_OTHER;
	if (!dwarf_frame_register(f, DWARF_RBP, mem, &ops, &n)) {
		if (n == 0)
			e->rbp = EH_REG_SAME; /* same value (or undefined): the caller's RBP is ours */
		else if (cfa_offset_rule(ops, n, &off))
			e->rbp = EH_REG_OFFSET, e->rbp_off = off;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int read_u32(const uint8_t *p, size_t size, size_t off, uint32_t *ret)
{
	if (off > size || size - off < 4)
		return -ENODATA;
	memcpy(ret, p + off, 4);
	return 0;
}

/*
 * The FDE start addresses from .eh_frame_hdr's binary-search table (the layout every linker
 * writes: version 1, table of datarel sdata4 pairs). Sorted, duplicates removed.
 */
static int fde_starts(const uint8_t *p, size_t size, uint64_t hdr_vaddr, uint64_t **ret,
		      size_t *ret_n)
{
	size_t off = 4, n;
	uint32_t count;
	uint64_t *starts;

	if (size < 4 || p[0] != 1)
		return -ENODATA;
	switch (p[1] & 0x0f) { /* eh_frame_ptr: only skipped */
	case DW_EH_PE_udata4:
	case DW_EH_PE_sdata4:
		off += 4;
		break;
	case DW_EH_PE_udata8:
	case DW_EH_PE_sdata8:
		off += 8;
		break;
	default:
		return -ENODATA;
	}
	if ((p[2] != DW_EH_PE_udata4 && p[2] != DW_EH_PE_sdata4) ||
	    p[3] != (DW_EH_PE_datarel | DW_EH_PE_sdata4))
		return -ENODATA;
	if (read_u32(p, size, off, &count))
		return -ENODATA;
	off += 4;
	if (count > (size - off) / 8)
		return -ENODATA;
	starts = malloc((count ? count : 1) * sizeof(*starts));
	if (!starts)
		return -ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		int32_t rel;

		memcpy(&rel, p + off + (size_t)i * 8, 4);
		starts[i] = hdr_vaddr + (uint64_t)(int64_t)rel;
	}
	qsort(starts, count, sizeof(*starts), cmp_u64);
	n = 0;
	for (uint32_t i = 0; i < count; i++)
		if (!n || starts[n - 1] != starts[i])
			starts[n++] = starts[i];
	*ret = starts;
	*ret_n = n;
	return 0;
}

/* Every row of every FDE, in address order, with a FT_UW_NONE row where no FDE covers. */
static int walk_fdes(struct unwind_table *t, Dwarf_CFI *cfi, const uint64_t *starts, size_t n)
{
	static const struct ft_unwind_row none = {.kind = FT_UW_NONE};
	size_t fcap = 0;
	int err;

	for (size_t i = 0; i < n; i++) {
		uint64_t next = i + 1 < n ? starts[i + 1] : UINT64_MAX, a = starts[i];

		for (unsigned guard = 0; a < next && guard < MAX_ROWS_PER_FDE; guard++) {
			struct ft_unwind_row r;
			struct ehframe_rule rule;
			Dwarf_Frame *f;
			Dwarf_Addr s, e;
			bool sig = false;

			if (dwarf_cfi_addrframe(cfi, a, &f))
				break;
			if (dwarf_frame_info(f, &s, &e, &sig) < 0 || e <= a) {
				free(f);
				break;
			}
			frame_rule(f, sig, &rule);
			table__rule_row(t, &rule, &r);
			free(f);
			err = table__push_row(t, a, &r);
			if (err)
				return err;
			a = e;
		}
		if (a > starts[i]) {
			t->stats.fdes++;
			err = table__add_func(t, starts[i], a < next ? a : next, &fcap);
			if (err)
				return err;
		}
		if (a < next && a <= UINT32_MAX) {
			err = table__push_row(t, a, &none);
			if (err)
				return err;
		}
	}
	return 0;
}

/* The FDE starts of a .debug_frame (absolute 8-byte initial locations), sorted, unique. */
static int debug_fde_starts(Elf *elf, Elf_Data *d, uint64_t **ret, size_t *ret_n)
{
	const unsigned char *ident = (const unsigned char *)elf_getident(elf, NULL);
	uint64_t *starts = NULL;
	size_t n = 0, cap = 0;
	Dwarf_Off off = 0, next;

	if (!ident)
		return -ENODATA;
	for (unsigned guard = 0; guard < 1u << 22; guard++) {
		Dwarf_CFI_Entry e;
		uint64_t start;
		int r = dwarf_next_cfi(ident, d, false, off, &next, &e);

		if (r == 1 || next == (Dwarf_Off)-1 || next <= off)
			break;
		off = next;
		if (r || dwarf_cfi_cie_p(&e))
			continue;
		/* initial_location: the CIE's address size, 8 in an ELF64 .debug_frame */
		if (!e.fde.start || e.fde.end < e.fde.start || e.fde.end - e.fde.start < 16)
			continue;
		memcpy(&start, e.fde.start, 8);
		if (!start)
			continue; /* a discarded function's FDE (the linker zeroed its address) */
		if (n == cap) {
			size_t c = cap ? cap * 2 : 256;
			uint64_t *v = realloc(starts, c * sizeof(*v));

			if (!v) {
				free(starts);
				return -ENOMEM;
			}
			starts = v;
			cap = c;
		}
		starts[n++] = start;
	}
	if (!n) {
		free(starts);
		return -ENODATA;
	}
	qsort(starts, n, sizeof(*starts), cmp_u64);
	*ret_n = 0;
	for (size_t i = 0; i < n; i++)
		if (!*ret_n || starts[*ret_n - 1] != starts[i])
			starts[(*ret_n)++] = starts[i];
	*ret = starts;
	return 0;
}

/* libdw reads every .debug_* section whole to begin: a debug file whose sections together
 * pass this is refused (-E2BIG), so one huge -dbgsym file cannot cost gigabytes here. */
#define MAX_DEBUG_BYTES (256ull << 20)

static uint64_t debug_bytes(Elf *elf)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;
	uint64_t sum = 0;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return UINT64_MAX;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strncmp(n, ".debug_", 7))
			sum += sh.sh_size > MAX_DEBUG_BYTES ? MAX_DEBUG_BYTES + 1 : sh.sh_size;
	}
	return sum;
}

/* The rows from dbg's .debug_frame (a separate debug file, or the binary itself). */
int tabledw__debug_frame(struct unwind_table *t, Elf *dbg, uint64_t dsize)
{
	Elf_Data *d = table__section(dbg, dsize, ".debug_frame", NULL);
	uint64_t *starts = NULL;
	size_t nstarts = 0;
	Dwarf_CFI *cfi;
	Dwarf *dw;
	GElf_Ehdr eh;
	int err;

	if (!gelf_getehdr(dbg, &eh) || eh.e_machine != UW_MACHINE ||
	    gelf_getclass(dbg) != ELFCLASS64)
		return -ENOEXEC;
	if (debug_bytes(dbg) > MAX_DEBUG_BYTES)
		return -E2BIG;
	if (!d || !d->d_buf || !d->d_size)
		return -ENODATA;
	err = debug_fde_starts(dbg, d, &starts, &nstarts);
	if (err)
		return err;
	dw = dwarf_begin_elf(dbg, DWARF_C_READ, NULL);
	cfi = dw ? dwarf_getcfi(dw) : NULL;
	err = cfi ? walk_fdes(t, cfi, starts, nstarts) : -ENODATA;
	if (dw)
		dwarf_end(dw);
	free(starts);
	return err;
}

int tabledw__eh_frame(struct unwind_table *t, Elf *elf, uint64_t hdr_off, uint64_t hdr_vaddr,
		      uint64_t hdr_size)
{
	uint64_t *starts = NULL;
	size_t nstarts = 0;
	Dwarf_CFI *cfi;
	Elf_Data *d;
	int err;

	d = elf_getdata_rawchunk(elf, (int64_t)hdr_off, hdr_size, ELF_T_BYTE);
	if (!d || !d->d_buf || d->d_size != hdr_size)
		return -ENODATA;
	err = fde_starts(d->d_buf, d->d_size, hdr_vaddr, &starts, &nstarts);
	if (err)
		return err;
	cfi = dwarf_getcfi_elf(elf);
	if (!cfi) {
		free(starts);
		return -ENODATA;
	}
	err = walk_fdes(t, cfi, starts, nstarts);
	dwarf_cfi_end(cfi);
	free(starts);
	return err;
}
