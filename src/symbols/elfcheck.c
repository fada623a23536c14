// SPDX-License-Identifier: MIT
/*
 * The checked reading of one ELF file (see elfcheck.h): sections against the file size, data
 * against its header, the build-id from a note section or a PT_NOTE segment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elfcheck.h"
#include "elffile.h"

/* A PT_NOTE segment bigger than this holds no build-id worth reading whole. */
#define ELFCHECK_NOTE_MAX (1u << 20)

void elfcheck__close(struct elf_file *f)
{
	if (f->elf)
		elf_end(f->elf);
	free(f->exec_sec);
	memset(f, 0, sizeof(*f));
}

/* Does [off, off + len) lie inside the file? */
int elfcheck__in_file(const struct elf_file *f, uint64_t off, uint64_t len)
{
	return off <= f->size && len <= f->size - off;
}

/* Section header i, checked: 0 or -ENOEXEC. */
int elfcheck__shdr(const struct elf_file *f, size_t i, Elf_Scn **ret_scn, GElf_Shdr *ret)
{
	Elf_Scn *scn;

	if (i >= f->shnum)
		return -ENOEXEC;
	scn = elf_getscn(f->elf, i);
	if (!scn || !gelf_getshdr(scn, ret))
		return -ENOEXEC;
	/* in the file, and small enough to read whole (libelf reads a section at once) */
	if (!elffile__section_ok(ret, f->size))
		return -ENOEXEC;
	*ret_scn = scn;
	return 0;
}

/* Section data, only when the header passed elfcheck__shdr and libelf agrees on the size. */
Elf_Data *elfcheck__data(Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *d;

	if (sh->sh_type == SHT_NOBITS)
		return NULL;
	d = elf_getdata(scn, NULL);
	if (!d || !d->d_buf || d->d_size > sh->sh_size)
		return NULL;
	return d;
}

int elfcheck__open(struct elf_file *f, int fd)
{
	GElf_Shdr strsh;
	Elf_Scn *strscn;
	size_t i;

	memset(f, 0, sizeof(*f));
	/* read, never mapped: the owner may truncate the file under us (SIGBUS) */
	f->elf = elffile__begin(fd, &f->size);
	if (!f->elf)
		return errno == ENOMEM ? -ENOMEM : -ENOEXEC;
	if (elf_kind(f->elf) != ELF_K_ELF || !gelf_getehdr(f->elf, &f->ehdr))
		goto bad;
	if (elf_getshdrnum(f->elf, &f->shnum) || elf_getshdrstrndx(f->elf, &f->shstrndx))
		f->shnum = 0, f->shstrndx = 0;
	/* Each section header takes at least 40 bytes of the file: bounds the table below. */
	if (f->shnum > f->size / 40)
		goto bad;
	if (f->shnum) {
		f->exec_sec = calloc(f->shnum, 1);
		if (!f->exec_sec) {
			elfcheck__close(f);
			return -ENOMEM;
		}
	}
	for (i = 1; i < f->shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn;

		if (elfcheck__shdr(f, i, &scn, &sh))
			continue;
		f->exec_sec[i] = !!(sh.sh_flags & SHF_EXECINSTR);
	}
	/* elf_strptr() reads the whole section-name table: only one that passed the checks */
	if (f->shstrndx && elfcheck__shdr(f, f->shstrndx, &strscn, &strsh))
		f->shstrndx = 0;
	return 0;
bad:
	elfcheck__close(f);
	return -ENOEXEC;
}

static size_t note_build_id(Elf_Data *d, uint8_t *ret, size_t cap)
{
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	while (off < d->d_size && (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > off) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && name_off + 4 <= d->d_size &&
		    !memcmp((char *)d->d_buf + name_off, "GNU", 4) && nh.n_descsz > 0 &&
		    nh.n_descsz <= cap && desc_off <= d->d_size &&
		    nh.n_descsz <= d->d_size - desc_off) {
			memcpy(ret, (char *)d->d_buf + desc_off, nh.n_descsz);
			return nh.n_descsz;
		}
		off = next;
	}
	return 0;
}

size_t elfcheck__build_id(struct elf_file *f, uint8_t *ret, size_t cap)
{
	size_t i, phnum, len;

	for (i = 1; i < f->shnum; i++) {
		GElf_Shdr sh;
		Elf_Scn *scn;
		Elf_Data *d;

		if (elfcheck__shdr(f, i, &scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		d = elfcheck__data(scn, &sh);
		if (d && (len = note_build_id(d, ret, cap)))
			return len;
	}
	/* Binaries stripped of section headers still have the PT_NOTE segment. */
	if (elf_getphdrnum(f->elf, &phnum) || phnum > f->size / 32)
		return 0;
	for (i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		Elf_Data *d;

		if (!gelf_getphdr(f->elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    !elfcheck__in_file(f, ph.p_offset, ph.p_filesz) || ph.p_filesz > ELFCHECK_NOTE_MAX)
			continue;
		d = elf_getdata_rawchunk(f->elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_NHDR);
		if (d && (len = note_build_id(d, ret, cap)))
			return len;
	}
	return 0;
}
