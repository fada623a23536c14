/* SPDX-License-Identifier: MIT */
/*
 * Executable mappings of a process, parsed from /proc/PID/maps text: address range, file
 * offset, device, inode and path (with the " (deleted)" marker split off). The parser is pure
 * so tests and fuzzers can feed it any bytes. Library code: it never prints.
 */
#ifndef FLAMETUI_PROCMAPS_H
#define FLAMETUI_PROCMAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	PROCMAP_DELETED = 1 << 0, /* the file was unlinked after it was mapped */
	PROCMAP_ANON = 1 << 1,	  /* no backing file: anonymous, [vdso], [anon:...], memfd */
};

struct procmap {
	uint64_t start, end; /* [start, end) */
	uint64_t offset;     /* file offset mapped at start */
	uint32_t dev_major, dev_minor;
	uint64_t inode;
	uint32_t flags;	     /* PROCMAP_* */
	const char *path;    /* borrowed from the procmaps: "" when anonymous, no " (deleted)" */
};

struct procmaps;

/* Keeps only executable mappings, sorted by start; overlapping or malformed lines are skipped
 * and counted. buf need not be NUL-terminated. NULL with errno set (ENOMEM). */
struct procmaps *procmaps__parse(const char *buf, size_t len);
/* Reads and parses <proc_root>/<pid>/maps. NULL with errno set (ENOENT, EACCES, ENOMEM...). */
struct procmaps *procmaps__load(const char *proc_root, uint32_t pid);
struct procmaps *procmaps__free(struct procmaps *m); /* NULL-safe, returns NULL */

size_t procmaps__count(const struct procmaps *m);
const struct procmap *procmaps__get(const struct procmaps *m, size_t i); /* NULL past the end */
/* Index of the mapping covering addr, or -1. O(log n). */
long procmaps__find(const struct procmaps *m, uint64_t addr);
size_t procmaps__bad_lines(const struct procmaps *m);
/* Did procmaps__load() stop at its 64 MiB bound (mappings past it are missing)? */
bool procmaps__truncated(const struct procmaps *m);
/* Adds one mapping (its path is copied), replacing any it overlaps, as mmap does. 0 or -errno. */
int procmaps__insert(struct procmaps *m, const struct procmap *pm);

#endif
