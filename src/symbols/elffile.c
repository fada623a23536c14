/* SPDX-License-Identifier: MIT */
/*
 * elffile: libelf on files that others own, read with pread rather than mapped (a truncated
 * mapping raises SIGBUS), with a bound on what one section may make us read.
 */
#include "elffile.h"

#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>

#include "procfile.h"

Elf *elffile__begin(int fd, uint64_t *ret_size)
{
	static int ready;
	struct stat st;
	Elf *elf;

	if (!ready) {
		elf_version(EV_CURRENT);
		ready = 1;
	}
	if (fstat(fd, &st))
		return NULL;
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf32_Ehdr)) {
		errno = ENOEXEC;
		return NULL;
	}
	if (procfile__untrusted_fs(fd)) {
		errno = EPERM;
		return NULL;
	}
	/* ELF_C_READ: headers and sections come from pread when first asked for, never mmap. */
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		errno = ENOEXEC;
		return NULL;
	}
	*ret_size = (uint64_t)st.st_size;
	return elf;
}

bool elffile__section_ok(const GElf_Shdr *sh, uint64_t file_size)
{
	if (sh->sh_type == SHT_NOBITS)
		return true;
	return sh->sh_size <= ELFFILE_MAX_SECTION && sh->sh_offset <= file_size &&
	       sh->sh_size <= file_size - sh->sh_offset;
}
