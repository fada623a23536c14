/* SPDX-License-Identifier: MIT */
/*
 * ELF symbol loading with libelf (the checked reading is elfcheck.c's, the debug file search
 * debuglink.c's). The file is hostile input: section and segment extents are
 * checked against the file size, links and name offsets against their tables, and every
 * allocation is bounded by the size of data actually present in the file.
 */
#include "elfsyms.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "demangle.h"
#include "debuglink.h"
#include "elfcheck.h"
#include "elffile.h"
#include "textutil.h"

#define ELFSYMS_MAX_LOADS 64
/* How far back a lookup walks past symbols that do not contain the address (nested symbols). */
#define ELFSYMS_BACKTRACK 4

struct esym {
	uint64_t addr, size;
	uint32_t name_off, name_len;
	uint32_t rank; /* lower is better among symbols at one address */
};

struct load {
	uint64_t offset, vaddr, filesz;
};

struct elfsyms {
	struct esym *syms;
	size_t n, cap;
	char *names; /* owned: NUL-terminated names */
	size_t names_len, names_cap;
	char **demangled; /* owned, lazily allocated: NULL = not tried yet */
	int demangle;
	struct load loads[ELFSYMS_MAX_LOADS];
	size_t nloads;
	uint8_t build_id[ELFSYMS_BUILD_ID_MAX];
	size_t build_id_len;
	char *debug_path; /* owned */
};

/* Marks a name that demangle() left alone, so it is not tried again. */
static char not_mangled;

int elfsyms__read_build_id(int fd, uint8_t *ret, size_t cap)
{
	struct elf_file f;
	int err = elfcheck__open(&f, fd);
	size_t len;

	if (err)
		return err;
	len = elfcheck__build_id(&f, ret, cap);
	elfcheck__close(&f);
	return (int)len;
}

static void read_loads(struct elfsyms *e, struct elf_file *f)
{
	size_t i, phnum;

	if (elf_getphdrnum(f->elf, &phnum) || phnum > f->size / 32)
		return;
	for (i = 0; i < phnum && e->nloads < ELFSYMS_MAX_LOADS; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_filesz ||
		    !elfcheck__in_file(f, ph.p_offset, ph.p_filesz) || ph.p_vaddr > UINT64_MAX - ph.p_filesz)
			continue;
		e->loads[e->nloads].offset = ph.p_offset;
		e->loads[e->nloads].vaddr = ph.p_vaddr;
		e->loads[e->nloads].filesz = ph.p_filesz;
		e->nloads++;
	}
}

static int add_name(struct elfsyms *e, const char *s, size_t len, uint32_t *ret_off)
{
	if (e->names_len + len + 1 > UINT32_MAX)
		return -E2BIG;
	if (e->names_len + len + 1 > e->names_cap) {
		size_t cap = e->names_cap ? e->names_cap : 4096;
		char *p;

		while (cap < e->names_len + len + 1)
			cap *= 2;
		p = realloc(e->names, cap);
		if (!p)
			return -ENOMEM;
		e->names = p;
		e->names_cap = cap;
	}
	memcpy(e->names + e->names_len, s, len);
	e->names[e->names_len + len] = '\0';
	*ret_off = (uint32_t)e->names_len;
	e->names_len += len + 1;
	return 0;
}

static uint32_t sym_rank(const GElf_Sym *sym)
{
	static const uint8_t type_rank[] = { [STT_FUNC] = 0, [STT_GNU_IFUNC] = 1, [STT_NOTYPE] = 2 };
	unsigned int bind = GELF_ST_BIND(sym->st_info);
	uint32_t b = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;

	return (uint32_t)type_rank[GELF_ST_TYPE(sym->st_info)] * 4 + b;
}

/* Appends one symbol; the name is copied. 0 or -errno. */
static int add_sym(struct elfsyms *e, const char *name, size_t len, uint64_t addr,
		   uint64_t size, uint32_t rank)
{
	struct esym *es;
	int err;

	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 256;
		struct esym *p = realloc(e->syms, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		e->syms = p;
		e->cap = cap;
	}
	es = &e->syms[e->n];
	err = add_name(e, name, len, &es->name_off);
	if (err)
		return err;
	es->addr = addr;
	es->size = size;
	es->name_len = (uint32_t)len;
	es->rank = rank;
	e->n++;
	return 0;
}

/* Appends the code symbols of one SHT_SYMTAB / SHT_DYNSYM section. */
static int load_symtab(struct elfsyms *e, struct elf_file *f, Elf_Scn *scn, const GElf_Shdr *sh)
{
	GElf_Shdr strsh;
	Elf_Scn *strscn;
	Elf_Data *d, *strd;
	size_t i, n, entsize = gelf_fsize(f->elf, ELF_T_SYM, 1, EV_CURRENT);

	d = elfcheck__data(scn, sh);
	if (!d || !entsize || elfcheck__shdr(f, sh->sh_link, &strscn, &strsh) ||
	    strsh.sh_type != SHT_STRTAB)
		return 0;
	strd = elfcheck__data(strscn, &strsh);
	if (!strd)
		return 0;
	n = d->d_size / entsize;
	for (i = 0; i < n; i++) {
		unsigned int type;
		const char *name;
		size_t len, room;
		GElf_Sym sym;
		int err;

		if (!gelf_getsym(d, (int)i, &sym))
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_NOTYPE)
			continue;
		/* Only defined symbols in code sections: no imports, absolutes or data labels. */
		if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE ||
		    sym.st_shndx >= f->shnum || !f->exec_sec[sym.st_shndx])
			continue;
		if (!sym.st_name || sym.st_name >= strd->d_size)
			continue;
		name = (const char *)strd->d_buf + sym.st_name;
		room = strd->d_size - sym.st_name;
		len = strnlen(name, room < ELFSYMS_NAME_MAX ? room : ELFSYMS_NAME_MAX);
		/* Assembler-local and ARM mapping symbols ($x, $d) are not functions. */
		if (!len || name[0] == '$' || (len > 1 && name[0] == '.' && name[1] == 'L'))
			continue;
		if (sym.st_value > UINT64_MAX - sym.st_size)
			continue;
		err = add_sym(e, name, len, sym.st_value, sym.st_size, sym_rank(&sym));
		if (err)
			return err;
	}
	return 0;
}

/* PLT stubs rank after every real symbol at the same address. */
#define PLT_RANK 1000
#define PLT_MAX_SLOTS 65536

struct got_slot {
	uint64_t addr;	 /* the GOT entry a stub jumps through */
	uint32_t sym;	 /* its symbol's index in the dynamic symbol table */
};

/* The GOT slots that JUMP_SLOT and GLOB_DAT relocations fill, with their dynamic symbols. */
static size_t got_slots(struct elf_file *f, struct got_slot *slots, size_t cap)
{
	size_t n = 0;

	for (size_t i = 1; i < f->shnum && n < cap; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn;
		Elf_Data *d;

		if (elfcheck__shdr(f, i, &scn, &sh) || sh.sh_type != SHT_RELA || !(d = elfcheck__data(scn, &sh)))
			continue;
		for (int k = 0; n < cap; k++) {
			GElf_Rela r;
			unsigned long type;

			if (!gelf_getrela(d, k, &r))
				break;
			type = GELF_R_TYPE(r.r_info);
			if ((type == R_X86_64_JUMP_SLOT || type == R_X86_64_GLOB_DAT) &&
			    GELF_R_SYM(r.r_info))
				slots[n++] = (struct got_slot){ r.r_offset, (uint32_t)GELF_R_SYM(r.r_info) };
		}
	}
	return n;
}

/* The name of dynamic symbol `index`, or NULL. */
static const char *dynsym_name(struct elf_file *f, uint32_t index, size_t *ret_len)
{
	for (size_t i = 1; i < f->shnum; i++) {
		GElf_Shdr sh, strsh;
		Elf_Scn *scn, *strscn;
		Elf_Data *d, *strd;
		GElf_Sym sym;
		const char *name;

		if (elfcheck__shdr(f, i, &scn, &sh) || sh.sh_type != SHT_DYNSYM)
			continue;
		if (!(d = elfcheck__data(scn, &sh)) || elfcheck__shdr(f, sh.sh_link, &strscn, &strsh) ||
		    strsh.sh_type != SHT_STRTAB || !(strd = elfcheck__data(strscn, &strsh)) ||
		    !gelf_getsym(d, (int)index, &sym) || !sym.st_name || sym.st_name >= strd->d_size)
			return NULL;
		name = (const char *)strd->d_buf + sym.st_name;
		*ret_len = strnlen(name, strd->d_size - sym.st_name);
		return *ret_len && *ret_len < ELFSYMS_NAME_MAX ? name : NULL;
	}
	return NULL;
}

/*
 * Names the PLT stubs (.plt, .plt.sec, .plt.got) "func@plt", as perf does. Each x86-64 stub
 * jumps through a GOT slot, `jmp *rel32(%rip)` (ff 25, maybe after endbr64 and a bnd
 * prefix): the slot's relocation names the function. Everything is bounds-checked; a stub
 * that does not decode is left unnamed.
 */
static int load_plt(struct elfsyms *e, struct elf_file *f)
{
	struct got_slot *slots;
	size_t nslots;
	int err = 0;

	if (f->ehdr.e_machine != EM_X86_64)
		return 0;
	slots = malloc(PLT_MAX_SLOTS * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	nslots = got_slots(f, slots, PLT_MAX_SLOTS);
	for (size_t i = 1; i < f->shnum && nslots && !err; i++) {
		const char *secname;
		GElf_Shdr sh;
		Elf_Scn *scn;
		Elf_Data *d;
		uint64_t ent;

		if (elfcheck__shdr(f, i, &scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR))
			continue;
		secname = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
		if (!secname || strncmp(secname, ".plt", 4) || (secname[4] && secname[4] != '.'))
			continue;
		if (!(d = elfcheck__data(scn, &sh)) || d->d_size < sh.sh_size)
			continue;
		ent = sh.sh_entsize >= 8 && sh.sh_entsize <= 32 ? sh.sh_entsize :
		      !strcmp(secname, ".plt.got") ? 8 : 16;
		for (uint64_t off = 0; off + ent <= sh.sh_size && !err; off += ent) {
			const unsigned char *p = (const unsigned char *)d->d_buf + off;

			for (uint64_t k = 0; k + 6 <= ent; k++) {
				int32_t rel;
				uint64_t slot;
				const char *name;
				char buf[ELFSYMS_NAME_MAX + 8];
				size_t len = 0;

				if (p[k] != 0xff || p[k + 1] != 0x25)
					continue;
				memcpy(&rel, p + k + 2, 4);
				slot = sh.sh_addr + off + k + 6 + (uint64_t)(int64_t)rel;
				for (size_t j = 0; j < nslots; j++) {
					if (slots[j].addr != slot)
						continue;
					name = dynsym_name(f, slots[j].sym, &len);
					if (name) {
						memcpy(buf, name, len);
						memcpy(buf + len, "@plt", 4);
						err = add_sym(e, buf, len + 4, sh.sh_addr + off, ent,
							      PLT_RANK);
					}
					break;
				}
				break;
			}
		}
	}
	free(slots);
	return err;
}

static int load_all_symtabs(struct elfsyms *e, struct elf_file *f, int want_symtab)
{
	size_t i;
	int err;

	for (i = 1; i < f->shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn;

		if (elfcheck__shdr(f, i, &scn, &sh))
			continue;
		if (sh.sh_type == SHT_DYNSYM || (want_symtab && sh.sh_type == SHT_SYMTAB)) {
			err = load_symtab(e, f, scn, &sh);
			if (err)
				return err;
		}
	}
	return 0;
}

static int has_symtab(struct elf_file *f)
{
	size_t i;

	for (i = 1; i < f->shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn;

		if (!elfcheck__shdr(f, i, &scn, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_size)
			return 1;
	}
	return 0;
}

static int cmp_esym(const void *a, const void *b, void *names_arg)
{
	const struct esym *x = a, *y = b;
	const char *names = names_arg, *nx = names + x->name_off, *ny = names + y->name_off;
	size_t ux, uy;

	if (x->addr != y->addr)
		return (x->addr > y->addr) - (x->addr < y->addr);
	/* Sized symbols before size-0 labels, then the better kind/binding. */
	if ((x->size != 0) != (y->size != 0))
		return (y->size != 0) - (x->size != 0);
	if (x->rank != y->rank)
		return (x->rank > y->rank) - (x->rank < y->rank);
	if (x->size != y->size)
		return (x->size < y->size) - (x->size > y->size);
	/* Aliases: the public spelling (malloc, not __libc_malloc), and always the same one. */
	ux = leading_underscores(nx);
	uy = leading_underscores(ny);
	if (ux != uy)
		return (ux > uy) - (ux < uy);
	if (x->name_len != y->name_len)
		return (x->name_len > y->name_len) - (x->name_len < y->name_len);
	return strcmp(nx, ny);
}

static void sort_and_dedup(struct elfsyms *e)
{
	size_t i, out;

	if (e->n > 1)
		qsort_r(e->syms, e->n, sizeof(*e->syms), cmp_esym, e->names);
	for (i = 0, out = 0; i < e->n; i++) {
		if (out && e->syms[out - 1].addr == e->syms[i].addr)
			continue;
		e->syms[out++] = e->syms[i];
	}
	e->n = out;
}

struct elfsyms *elfsyms__load_fd(int fd, const struct elfsyms_opts *opts)
{
	struct elf_file f, dbg = { 0 };
	struct elfsyms *e;
	int err, dbg_fd = -1;

	err = elfcheck__open(&f, fd);
	if (err) {
		errno = -err;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		elfcheck__close(&f);
		errno = ENOMEM;
		return NULL;
	}
	e->demangle = !opts || opts->demangle != -1;
	e->build_id_len = elfcheck__build_id(&f, e->build_id, sizeof(e->build_id));
	read_loads(e, &f);
	if (!has_symtab(&f)) {
		err = debuglink__find(&f, fd, e->build_id, e->build_id_len, opts, &dbg, &dbg_fd,
				      &e->debug_path);
		if (err == -ENOMEM)
			goto fail;
	}
	if (dbg_fd >= 0) {
		err = load_all_symtabs(e, &dbg, 1);
		if (err)
			goto fail;
	}
	err = load_all_symtabs(e, &f, 1) ?: load_plt(e, &f);
	if (err)
		goto fail;
	sort_and_dedup(e);
	if (dbg_fd >= 0) {
		elfcheck__close(&dbg);
		close(dbg_fd);
	}
	elfcheck__close(&f);
	return e;
fail:
	if (dbg_fd >= 0) {
		elfcheck__close(&dbg);
		close(dbg_fd);
	}
	elfcheck__close(&f);
	elfsyms__free(e);
	errno = -err;
	return NULL;
}

struct elfsyms *elfsyms__load(const char *path, const struct elfsyms_opts *opts)
{
	struct elfsyms *e;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), err;

	if (fd < 0)
		return NULL;
	e = elfsyms__load_fd(fd, opts);
	err = errno;
	close(fd);
	errno = err;
	return e;
}

struct elfsyms *elfsyms__free(struct elfsyms *e)
{
	size_t i;

	if (!e)
		return NULL;
	if (e->demangled) {
		for (i = 0; i < e->n; i++)
			if (e->demangled[i] != &not_mangled)
				free(e->demangled[i]);
		free(e->demangled);
	}
	free(e->syms);
	free(e->names);
	free(e->debug_path);
	free(e);
	return NULL;
}

size_t elfsyms__build_id(const struct elfsyms *e, const uint8_t **ret)
{
	*ret = e ? e->build_id : NULL;
	return e ? e->build_id_len : 0;
}

const char *elfsyms__debug_path(const struct elfsyms *e)
{
	return e ? e->debug_path : NULL;
}

int elfsyms__file_to_vaddr(const struct elfsyms *e, uint64_t file_off, uint64_t *ret_vaddr)
{
	size_t i;

	for (i = 0; e && i < e->nloads; i++) {
		const struct load *l = &e->loads[i];

		if (file_off >= l->offset && file_off - l->offset < l->filesz) {
			*ret_vaddr = file_off - l->offset + l->vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

static int sym_covers(const struct esym *s, uint64_t vaddr)
{
	return s->size ? vaddr - s->addr < s->size : vaddr == s->addr;
}

/* Cached demangled name of symbol i, or NULL to use the raw name. */
static const char *demangled(struct elfsyms *e, size_t i, size_t *ret_len)
{
	const char *raw = e->names + e->syms[i].name_off;
	char *d;

	if (!e->demangle || raw[0] != '_' || (raw[1] != 'Z' && raw[1] != 'R'))
		return NULL;
	if (!e->demangled) {
		e->demangled = calloc(e->n, sizeof(*e->demangled));
		if (!e->demangled)
			return NULL; /* the raw name still works */
	}
	if (!e->demangled[i]) {
		d = demangle(raw);
		if (d && strlen(d) >= ELFSYMS_NAME_MAX)
			d[ELFSYMS_NAME_MAX - 1] = '\0';
		e->demangled[i] = d ? d : &not_mangled;
	}
	if (e->demangled[i] == &not_mangled)
		return NULL;
	*ret_len = strlen(e->demangled[i]);
	return e->demangled[i];
}

const char *elfsyms__find(struct elfsyms *e, uint64_t vaddr, size_t *ret_len,
			  uint64_t *ret_start)
{
	size_t lo = 0, hi, i, steps;

	if (!e || !e->n)
		return NULL;
	hi = e->n;
	/* First symbol with addr > vaddr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->syms[mid].addr <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo, steps = 0; i > 0 && steps < ELFSYMS_BACKTRACK; i--, steps++) {
		const struct esym *s = &e->syms[i - 1];
		const char *name;
		size_t len = s->name_len;

		if (!sym_covers(s, vaddr))
			continue;
		name = demangled(e, i - 1, &len);
		if (!name)
			name = e->names + s->name_off, len = s->name_len;
		if (ret_len)
			*ret_len = len;
		if (ret_start)
			*ret_start = s->addr;
		return name;
	}
	return NULL;
}

size_t elfsyms__count(const struct elfsyms *e)
{
	return e ? e->n : 0;
}
