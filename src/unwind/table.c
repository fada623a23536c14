// SPDX-License-Identifier: MIT
/*
 * Unwind table builder (see table.h): the table, the ELF it reads, and the rows of .eh_frame
 * that ehframe.c reads in one pass per FDE; tabledw.c asks libdw instead for .debug_frame (and
 * .eh_frame where the binary has no section headers). Either way only the rules the BPF
 * walk can follow are kept: CFA = RSP/RBP + offset with the return address at CFA-8 (almost all of
 * them), the PLT expression, signal frames and the outermost frame. Anything else becomes a
 * FT_UW_NONE row, where the walk falls back to frame pointers.
 *
 * The file is read with ELF_C_READ (read(2), not mmap): a binary truncated while we read it
 * gives short reads and errors, never SIGBUS.
 */
#include <errno.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ehframe.h"
#include "table_impl.h"

struct unwind_table *unwind_table__free(struct unwind_table *t)
{
	if (!t)
		return NULL;
	free(t->rows);
	free(t->funcs);
	free(t);
	return NULL;
}

int table__push_row(struct unwind_table *t, uint64_t pc, const struct ft_unwind_row *r)
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

int table__add_func(struct unwind_table *t, uint64_t start, uint64_t end, size_t *cap)
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
Elf_Data *table__section(Elf *elf, uint64_t fsize, const char *name, uint64_t *ret_addr)
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

void table__rule_row(struct unwind_table *t, const struct ehframe_rule *e, struct ft_unwind_row *r)
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

	table__rule_row(t, e, &r);
	return table__push_row(t, pc, &r);
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
			err = table__add_func(t, fdes[i].start, a < next ? a : next, &fcap);
		}
		if (!err && a < next && a <= UINT32_MAX)
			err = table__push_row(t, a, &none);
	}
	free(fdes);
	return err;
}

static int build(struct unwind_table *t, Elf *elf, uint64_t fsize, Elf *dbg, uint64_t dsize,
		 bool use_libdw)
{
	uint64_t hdr_off = 0, hdr_vaddr = 0, hdr_size = 0;
	GElf_Ehdr eh;
	int err;

	if (elf_kind(elf) != ELF_K_ELF || gelf_getclass(elf) != ELFCLASS64 ||
	    !gelf_getehdr(elf, &eh) || eh.e_machine != UW_MACHINE)
		return -ENOEXEC;
	err = read_loads(t, elf, fsize, &hdr_off, &hdr_vaddr, &hdr_size);
	if (err)
		return err;
	if (!hdr_size)
		return dbg ? tabledw__debug_frame(t, dbg, dsize) : -ENODATA;
	/* .eh_frame read here in one pass; libdw (below) where it has no section header */
	{
		uint64_t eh_addr = 0;
		Elf_Data *eh = table__section(elf, fsize, ".eh_frame", &eh_addr);

		if (!use_libdw && eh && eh->d_buf && eh->d_size) {
			err = walk_ehframe(t, eh->d_buf, eh->d_size, eh_addr);
			if (err != -ENODATA)
				return err;
		}
	}
	return tabledw__eh_frame(t, elf, hdr_off, hdr_vaddr, hdr_size);
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
