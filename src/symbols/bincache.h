/* SPDX-License-Identifier: MIT */
/*
 * A bounded cache of loaded ELF symbol tables shared by all processes: keyed by the mapping's
 * (device, inode) and, when the file has one, by its GNU build-id, so the same library seen
 * through different mount namespaces is parsed once. Files that cannot be opened or parsed get
 * a negative entry that expires, so a bad binary costs one attempt per second, not per sample.
 * Library code: it never prints.
 */
#ifndef FLAMETUI_BINCACHE_H
#define FLAMETUI_BINCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "elfsyms.h"
#include "procmaps.h"

struct bincache_opts {
	const char *proc_root;	/* "/proc" when NULL */
	const char *debug_root; /* "/usr/lib/debug" when NULL */
	int demangle;		/* on unless -1 */
	size_t max_binaries;	/* 256 when 0 */
};

struct bincache;
struct bin; /* a reference-counted loaded binary */

struct bincache *bincache__new(const struct bincache_opts *opts); /* NULL with errno set */
struct bincache *bincache__free(struct bincache *c); /* NULL-safe; held bins stay valid */

/*
 * The binary behind mapping m of process pid, with a reference the caller drops with bin__put.
 * Opens /proc/PID/map_files/START-END first (containers, deleted files), then
 * /proc/PID/root/PATH, then PATH. NULL with errno set when it cannot be loaded (ENOENT...).
 */
struct bin *bincache__get(struct bincache *c, uint32_t pid, const struct procmap *m);
struct bin *bin__put(struct bin *b); /* NULL-safe, returns NULL */
/* The file behind mapping m of pid, opened the way bincache__get does (each candidate checked
 * to be the mapped inode; an open that stalls gives up): fd, or -1 with errno set. */
int bincache__open_mapping(const char *proc_root, uint32_t pid, const struct procmap *m);
/* The separate debug file of mapping m's binary (open in fd), looked for and opened as for its
 * symbols (debug_root: "/usr/lib/debug" when NULL): fd, or -errno (-ENOENT: none). */
int bincache__open_debug(const char *proc_root, const char *debug_root, uint32_t pid,
			 const struct procmap *m, int fd);
struct elfsyms *bin__syms(const struct bin *b);

size_t bincache__count(const struct bincache *c);   /* binaries held by the cache */
uint64_t bincache__parses(const struct bincache *c); /* ELF files parsed so far */

#endif
