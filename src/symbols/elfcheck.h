/* SPDX-License-Identifier: MIT */
/*
 * elfcheck: an ELF file opened for reading as hostile input, for the symbol loader and the
 * debug file search (elfsyms.c, debuglink.c; nothing else). The file is read, never mapped
 * (elffile.h); each section header is checked against the file before its data is read.
 */
#ifndef FLAMETUI_ELFCHECK_H
#define FLAMETUI_ELFCHECK_H

#include <gelf.h>
#include <libelf.h>
#include <stddef.h>
#include <stdint.h>

/* One open ELF with the facts every check needs. */
struct elf_file {
	Elf *elf;
	GElf_Ehdr ehdr;
	uint64_t size;
	size_t shnum, shstrndx;
	uint8_t *exec_sec; /* owned: 1 for SHF_EXECINSTR sections */
};

/* 0, -ENOEXEC (not a usable ELF) or -ENOMEM; close with elfcheck__close. */
int elfcheck__open(struct elf_file *f, int fd);
void elfcheck__close(struct elf_file *f);
/* Does [off, off + len) lie inside the file? */
int elfcheck__in_file(const struct elf_file *f, uint64_t off, uint64_t len);
/* Section header i, checked: 0 or -ENOEXEC. */
int elfcheck__shdr(const struct elf_file *f, size_t i, Elf_Scn **ret_scn, GElf_Shdr *ret);
/* Section data, only when the header passed elfcheck__shdr and libelf agrees on the size. */
Elf_Data *elfcheck__data(Elf_Scn *scn, const GElf_Shdr *sh);
/* The GNU build-id into ret (at most cap bytes): its length, 0 without one. */
size_t elfcheck__build_id(struct elf_file *f, uint8_t *ret, size_t cap);

#endif
