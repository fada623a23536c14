// SPDX-License-Identifier: MIT
/*
 * Unwind table builder (see table.h). ehframe.c reads .eh_frame in one pass per FDE; libdw
 * interprets .debug_frame (and .eh_frame where the binary has no section headers), asked for
 * each FDE the rule of every row in turn. Either way this file keeps the rules the BPF
 * walk can follow: CFA = RSP/RBP + offset with the return address at CFA-8 (almost all of
 * them), the PLT expression, signal frames and the outermost frame. Anything else becomes a
 * FT_UW_NONE row, where the walk falls back to frame pointers.
 *
 * The file is read with ELF_C_READ (read(2), not mmap): a binary truncated while we read it
 * gives short reads and errors, never SIGBUS.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

struct unwind_table *unwind_table__free(struct unwind_table *t)
{
	if (!t)
		return NULL;
	free(t->rows);
	free(t->funcs);
	free(t);
	return NULL;
}

static int push_row(struct unwind_table *t, uint64_t pc, const struct ft_unwind_row *r)
{
	struct ft_unwind_row *last = t->nrows ? &t->rows[t->nrows - 1] : NULL;

	if (pc > UINT32_MAX)
		return -E2BIG;
	if (last && last->pc >= pc) {
		/* a rule for the same PC (a gap row, then the FDE that starts there): the later
		 * one wins; an earlier PC means overlapping FDEs, where the first one holds */
		if (last->pc > pc)
			return 0;
		t->nrows--;
		last = t->nrows ? &t->rows[t->nrows - 1] : NULL;
	}
	/* the same rule as the row before only lengthens it */
	if (last && last->kind == r->kind && last->cfa_off == r->cfa_off &&
	    last->rbp_off8 == r->rbp_off8)
		return 0;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct ft_unwind_row *n;

		if (t->nrows >= UNWIND_TABLE_MAX_ROWS)
			return -E2BIG;
		n = realloc(t->rows, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->rows = n;
		t->cap = cap;
	}
	t->rows[t->nrows] = *r;
	t->rows[t->nrows].pc = (__u32)pc;
	t->nrows++;
	return 0;
}

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

/* The compact row for one libdw frame state; FT_UW_NONE when the walk cannot follow it. */
static void frame_row(struct unwind_table *t, Dwarf_Frame *f, bool signal, struct ft_unwind_row *r)
{
	Dwarf_Op mem[3], *ops = NULL;
	size_t n = 0;
	int64_t off;

	memset(r, 0, sizeof(*r));
	if (signal) {
		t->stats.signal_rows++;
		r->kind = FT_UW_SIGNAL;
		return;
	}
	if (dwarf_frame_register(f, DWARF_RA, mem, &ops, &n))
		goto unsupported;
	if (n == 0 && ops == mem) {
		r->kind = FT_UW_END; /* "undefined": nobody called this frame */
		return;
	}
	if (!cfa_offset_rule(ops, n, &off) || off != -8)
		goto unsupported;
	if (dwarf_frame_cfa(f, &ops, &n) || n == 0)
		goto unsupported;
	if (is_plt_expr(ops, n)) {
		t->stats.exprs++;
		r->kind = FT_UW_PLT;
		return;
	}
	if (n != 1 || ops[0].atom != DW_OP_bregx) {
		t->stats.exprs++;
		goto unsupported;
	}
	off = (int64_t)ops[0].number2;
	if (off < 0 || off > UINT16_MAX)
		goto unsupported;
	if (ops[0].number == DWARF_RSP)
		r->kind = FT_UW_CFA_RSP;
	else if (ops[0].number == DWARF_RBP)
		r->kind = FT_UW_CFA_RBP;
	else
		goto unsupported;
	r->cfa_off = (__u16)off;
	if (dwarf_frame_register(f, DWARF_RBP, mem, &ops, &n))
		goto unsupported;
	if (n == 0)
		return; /* same value (or undefined): the caller's RBP is ours */
	if (!cfa_offset_rule(ops, n, &off) || off % 8 || off == 0 || off < -1024 || off > 1016)
		goto unsupported;
	r->rbp_off8 = (__s8)(off / 8);
	return;
unsupported:
	t->stats.unsupported++;
	memset(r, 0, sizeof(*r));
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

static int add_func(struct unwind_table *t, uint64_t start, uint64_t end, size_t *cap)
{
	if (t->nfuncs == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct func *n = realloc(t->funcs, c * sizeof(*n));

		if (!n)
			return -ENOMEM;
		t->funcs = n;
		*cap = c;
	}
	t->funcs[t->nfuncs++] = (struct func){start, end};
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
			Dwarf_Frame *f;
			Dwarf_Addr s, e;
			bool sig = false;

			if (dwarf_cfi_addrframe(cfi, a, &f))
				break;
			if (dwarf_frame_info(f, &s, &e, &sig) < 0 || e <= a) {
				free(f);
				break;
			}
			frame_row(t, f, sig, &r);
			free(f);
			err = push_row(t, a, &r);
			if (err)
				return err;
			a = e;
		}
		if (a > starts[i]) {
			t->stats.fdes++;
			err = add_func(t, starts[i], a < next ? a : next, &fcap);
			if (err)
				return err;
		}
		if (a < next && a <= UINT32_MAX) {
			err = push_row(t, a, &none);
			if (err)
				return err;
		}
	}
	return 0;
}

static int read_loads(struct unwind_table *t, Elf *elf, uint64_t fsize, uint64_t *hdr_off,
		      uint64_t *hdr_vaddr, uint64_t *hdr_size)
{
	size_t phnum;

	if (elf_getphdrnum(elf, &phnum) || phnum > fsize / 56)
		return -ENOEXEC;
	*hdr_size = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph))
			continue;
		if (ph.p_offset > fsize || ph.p_filesz > fsize - ph.p_offset)
			continue;
		if (ph.p_type == PT_LOAD && t->nloads < MAX_LOADS)
			t->loads[t->nloads++] = (struct load){ph.p_offset, ph.p_vaddr, ph.p_filesz};
		if (ph.p_type == PT_GNU_EH_FRAME) {
			*hdr_off = ph.p_offset;
			*hdr_vaddr = ph.p_vaddr;
			*hdr_size = ph.p_filesz;
		}
	}
	return 0;
}

/* The section called name, checked to lie in the file: its data (and *ret_addr, its
 * address, when asked), or NULL. */
static Elf_Data *section_data_at(Elf *elf, uint64_t fsize, const char *name, uint64_t *ret_addr)
{
	size_t shstrndx;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || strcmp(n, name))
			continue;
		if (sh.sh_offset > fsize || sh.sh_size > fsize - sh.sh_offset)
			return NULL;
		if (ret_addr)
			*ret_addr = sh.sh_addr;
		return elf_getdata(scn, NULL);
	}
	return NULL;
}

static Elf_Data *section_data(Elf *elf, uint64_t fsize, const char *name)
{
	return section_data_at(elf, fsize, name, NULL);
}

/* The compact row for one rule of ehframe.c: the same decisions as frame_row() for libdw's. */
static void rule_row(struct unwind_table *t, const struct ehframe_rule *e, struct ft_unwind_row *r)
{
	memset(r, 0, sizeof(*r));
	if (e->signal) {
		t->stats.signal_rows++;
		r->kind = FT_UW_SIGNAL;
		return;
	}
	if (e->ra == EH_REG_UNDEF) {
		r->kind = FT_UW_END; /* nobody called this frame */
		return;
	}
	if (e->ra != EH_REG_OFFSET || e->ra_off != -8)
		goto unsupported;
	if (e->cfa == EH_CFA_PLT) {
		t->stats.exprs++;
		r->kind = FT_UW_PLT;
		return;
	}
	if (e->cfa != EH_CFA_REG) {
		t->stats.exprs++;
		goto unsupported;
	}
	if (e->cfa_off < 0 || e->cfa_off > UINT16_MAX)
		goto unsupported;
	if (e->cfa_reg == DWARF_RSP)
		r->kind = FT_UW_CFA_RSP;
	else if (e->cfa_reg == DWARF_RBP)
		r->kind = FT_UW_CFA_RBP;
	else
		goto unsupported;
	r->cfa_off = (__u16)e->cfa_off;
	if (e->rbp == EH_REG_UNSPEC || e->rbp == EH_REG_SAME || e->rbp == EH_REG_UNDEF)
		return; /* the caller's RBP is ours */
	if (e->rbp != EH_REG_OFFSET || e->rbp_off % 8 || e->rbp_off == 0 || e->rbp_off < -1024 ||
	    e->rbp_off > 1016)
		goto unsupported;
	r->rbp_off8 = (__s8)(e->rbp_off / 8);
	return;
unsupported:
	t->stats.unsupported++;
	memset(r, 0, sizeof(*r));
}

static int push_rule(void *ctx, uint64_t pc, const struct ehframe_rule *e)
{
	struct unwind_table *t = ctx;
	struct ft_unwind_row r;

	rule_row(t, e, &r);
	return push_row(t, pc, &r);
}

/* Every row of every FDE of .eh_frame (d at vaddr), in address order, with a FT_UW_NONE row
 * where no FDE covers: walk_fdes()'s rows, read in one pass per FDE. */
static int walk_ehframe(struct unwind_table *t, const uint8_t *d, size_t size, uint64_t vaddr)
{
	static const struct ft_unwind_row none = {.kind = FT_UW_NONE};
	struct ehframe_fde *fdes = NULL;
	size_t n = 0, fcap = 0;
	int err = ehframe__fdes(d, size, vaddr, &fdes, &n);

	if (err)
		return err;
	for (size_t i = 0; i < n && !err; i++) {
		uint64_t next = UINT64_MAX, a;

		if (i && fdes[i].start == fdes[i - 1].start)
			continue; /* two FDEs for one start: the first */
		for (size_t j = i + 1; j < n; j++)
			if (fdes[j].start != fdes[i].start) {
				next = fdes[j].start;
				break;
			}
		err = ehframe__rows(d, size, vaddr, &fdes[i], next, push_rule, t, &a);
		if (err == -ENODATA) {
			err = 0;
			a = fdes[i].start;
		}
		if (err)
			break;
		if (a > fdes[i].start) {
			t->stats.fdes++;
			err = add_func(t, fdes[i].start, a < next ? a : next, &fcap);
		}
		if (!err && a < next && a <= UINT32_MAX)
			err = push_row(t, a, &none);
	}
	free(fdes);
	return err;
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
static int build_debug_frame(struct unwind_table *t, Elf *dbg, uint64_t dsize)
{
	Elf_Data *d = section_data(dbg, dsize, ".debug_frame");
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

static int build(struct unwind_table *t, Elf *elf, uint64_t fsize, Elf *dbg, uint64_t dsize,
		 bool use_libdw)
{
	uint64_t hdr_off = 0, hdr_vaddr = 0, hdr_size = 0, *starts = NULL;
	size_t nstarts = 0;
	Dwarf_CFI *cfi;
	Elf_Data *d;
	GElf_Ehdr eh;
	int err;

	if (elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 ||
	    !gelf_getehdr(elf, &eh) || eh.e_machine != UW_MACHINE)
		return -ENOEXEC;
	err = read_loads(t, elf, fsize, &hdr_off, &hdr_vaddr, &hdr_size);
	if (err)
		return err;
	if (!hdr_size)
		return dbg ? build_debug_frame(t, dbg, dsize) : -ENODATA;
	/* .eh_frame read here in one pass; libdw (below) where it has no section header */
	{
		uint64_t eh_addr = 0;
		Elf_Data *eh = section_data_at(elf, fsize, ".eh_frame", &eh_addr);

		if (!use_libdw && eh && eh->d_buf && eh->d_size) {
			err = walk_ehframe(t, eh->d_buf, eh->d_size, eh_addr);
			if (err != -ENODATA)
				return err;
		}
	}
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

/* An Elf read from fd (never mapped) and the file's size, or NULL. */
static Elf *open_elf(int fd, uint64_t *ret_size)
{
	struct stat st;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr))
		return NULL;
	*ret_size = (uint64_t)st.st_size;
	return elf_begin(fd, ELF_C_READ, NULL);
}

bool unwind_table__has_eh_frame(int fd)
{
	uint64_t size, off, vaddr, hsize = 0;
	struct unwind_table t = {0};
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE || !(elf = open_elf(fd, &size)))
		return false;
	if (elf_kind(elf) == ELF_K_ELF && gelf_getclass(elf) == ELFCLASS64)
		read_loads(&t, elf, size, &off, &vaddr, &hsize);
	elf_end(elf);
	return hsize != 0;
}

int unwind_table__build_fd(int fd, struct unwind_table **ret)
{
	return unwind_table__build_fds(fd, -1, ret);
}

static int build_fds(int fd, int debug_fd, bool use_libdw, struct unwind_table **ret)
{
	struct unwind_table *t;
	uint64_t size, dsize = 0;
	Elf *elf, *dbg = NULL;
	int err;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOEXEC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	elf = open_elf(fd, &size);
	if (!elf) {
		free(t);
		return -ENOEXEC;
	}
	if (debug_fd >= 0)
		dbg = open_elf(debug_fd, &dsize);
	err = build(t, elf, size, dbg, dsize, use_libdw);
	if (dbg)
		elf_end(dbg);
	elf_end(elf);
	if (err) {
		unwind_table__free(t);
		return err;
	}
	*ret = t;
	return 0;
}

int unwind_table__build_fds(int fd, int debug_fd, struct unwind_table **ret)
{
	return build_fds(fd, debug_fd, false, ret);
}

int unwind_table__build_libdw(int fd, struct unwind_table **ret)
{
	return build_fds(fd, -1, true, ret);
}

size_t unwind_table__rows(const struct unwind_table *t, const struct ft_unwind_row **ret)
{
	*ret = t->rows;
	return t->nrows;
}

const struct ft_unwind_row *unwind_table__find(const struct unwind_table *t, uint64_t vaddr)
{
	size_t lo = 0, hi = t->nrows;

	if (vaddr > UINT32_MAX)
		return NULL;
	while (lo < hi) { /* the first row above vaddr */
		size_t mid = lo + (hi - lo) / 2;

		if (t->rows[mid].pc <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &t->rows[lo - 1] : NULL;
}

int unwind_table__func(const struct unwind_table *t, uint64_t vaddr, uint64_t *ret_start,
		       uint64_t *ret_end)
{
	size_t lo = 0, hi = t->nfuncs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->funcs[mid].start <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || vaddr >= t->funcs[lo - 1].end)
		return -ENOENT;
	*ret_start = t->funcs[lo - 1].start;
	*ret_end = t->funcs[lo - 1].end;
	return 0;
}

int unwind_table__bias(const struct unwind_table *t, uint64_t start, uint64_t offset,
		       uint64_t *ret_bias)
{
	for (size_t i = 0; i < t->nloads; i++) {
		const struct load *l = &t->loads[i];

		/* mappings start on a page boundary, segments need not */
		if (offset + 4096 > l->offset && offset < l->offset + l->filesz) {
			*ret_bias = start - offset - (l->vaddr - l->offset);
			return 0;
		}
	}
	return -ENOENT;
}

void unwind_table__stats(const struct unwind_table *t, struct unwind_table_stats *ret)
{
	*ret = t->stats;
}
