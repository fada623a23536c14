/* SPDX-License-Identifier: MIT */
/*
 * vdso: the symbols of the vDSO, the ELF image the kernel maps into every process, for native
 * (64-bit) processes and for 32-bit ones, whose vDSO is another image: the native one is read
 * from our own memory, the 32-bit one from the first 32-bit process that needs it (one image
 * per kernel, so once).
 */
#ifndef FLAMETUI_VDSO_H
#define FLAMETUI_VDSO_H

#include <stdint.h>

struct elfsyms;
struct vdso;

/* proc_root: where /proc is (borrowed; NULL = "/proc"). Returns NULL with errno set. */
struct vdso *vdso__new(const char *proc_root);
struct vdso *vdso__free(struct vdso *v);

/*
 * The symbols of the vDSO that process pid maps at [start, end), or NULL when they cannot be
 * read. *klass caches that process's ELF class between calls (0 = not known yet; the caller
 * keeps it per process).
 */
struct elfsyms *vdso__syms(struct vdso *v, uint32_t pid, uint64_t start, uint64_t end,
			   int8_t *klass);

#endif
