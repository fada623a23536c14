/* SPDX-License-Identifier: MIT */
/*
 * Source lines: the file:line a binary's code at some address came from, read from DWARF
 * .debug_line through libdw (elfutils), in the binary itself or its build-id debug file under
 * /usr/lib/debug/.build-id. Lazy and cached: a binary is opened at its first question and
 * kept (up to SRCLINES_MAX_BINARIES), each answer is remembered; nothing here runs on the
 * sampling path, only when the view asks. Library code: it never prints.
 */
#ifndef FLAMETUI_SRCLINES_H
#define FLAMETUI_SRCLINES_H

#include <stdint.h>
#include <sys/types.h>

#define SRCLINES_MAX_BINARIES 64
#define SRCLINES_MAX_CACHED (1u << 16)
/* The files opened (binaries and debug files) add up to at most this: libdw reads their
 * .debug sections into memory. Past it, new binaries answer -ENOSPC. */
#define SRCLINES_MAX_BYTES ((uint64_t)1 << 30)

struct srclines;

struct srcline {
	const char *file; /* borrowed: valid until srclines__free */
	int line;
};

/*
 * `debug_root` is "/usr/lib/debug" when NULL. Only files owned by root or by `uid` are opened
 * (a root profiler reading a path a process named: the other users' files stay unread).
 * NULL with errno set.
 */
struct srclines *srclines__new(const char *debug_root, uid_t uid);
struct srclines *srclines__free(struct srclines *sl);

/*
 * The source line of the code at file offset `offset` of the ELF file `path`. 0 and *ret,
 * -ENOENT when the file has no line for it (or no DWARF lines at all), -EACCES when the file
 * is not one we open, -ENOSPC past the bounds, or the errno of opening or reading it.
 */
int srclines__find(struct srclines *sl, const char *path, uint64_t offset, struct srcline *ret);

#endif
