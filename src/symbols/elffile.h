/* SPDX-License-Identifier: MIT */
/*
 * elffile: opening a binary that someone else owns, safely. libelf's ELF_C_READ_MMAP maps the
 * file, and its owner can truncate it under us: touching a page past the new end raises SIGBUS
 * and kills a root profiler. Here libelf reads with pread (ELF_C_READ): a truncated file gives
 * a short read, which libelf reports as an error. Every section is read whole into memory, so
 * callers check its size with elffile__section_ok() before elf_getdata() (a header can claim a
 * 1 GiB sparse region). Files on filesystems whose server is a user process (FUSE) are refused:
 * such a server can make any read block forever.
 *
 * For other readers (libdw on .eh_frame, say): open with elffile__begin(fd, &size), check each
 * section with elffile__section_ok(&shdr, size) before reading it, then hand the Elf to
 * dwarf_begin_elf(elf, DWARF_C_READ, NULL); elf_end() when done. Never elf_begin() with _MMAP.
 */
#ifndef FLAMETUI_ELFFILE_H
#define FLAMETUI_ELFFILE_H

#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>

/* The largest section read into memory (symbol and string tables of the biggest binaries are
 * tens of MiB). */
#define ELFFILE_MAX_SECTION (256u << 20)

/*
 * An Elf for fd (borrowed: keep it open until elf_end), read with pread, never mapped. fd must
 * be a regular file of at least an ELF header on a filesystem we trust (not FUSE). Sets
 * *ret_size to the size seen at open. NULL with errno set: ENOEXEC (not a usable ELF or not a
 * regular file), EPERM (FUSE), or what fstat/fstatfs said.
 */
Elf *elffile__begin(int fd, uint64_t *ret_size);

/* May this section's data be read? In the file (or SHT_NOBITS), at most ELFFILE_MAX_SECTION. */
bool elffile__section_ok(const GElf_Shdr *sh, uint64_t file_size);

#endif
