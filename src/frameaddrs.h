/* SPDX-License-Identifier: MIT */
/*
 * Where in its binary each frame's samples were: a bounded table of (frame name, file offset)
 * -> samples that the collector fills as it names user frames, so the view can say which
 * address of a frame named after its binary ("[gzip]", one frame for all its unnamed code) is
 * hot, and whether there is only one. Names are keyed by a hash of their text and kind, the
 * same in every trie (ring mode's slots each have their own name ids). Pure.
 *
 * The same table keyed by sample path (frameaddrs__path_key) says where one node of the graph
 * ("gzip;main;[gzip]") was: the collector keeps one for unnamed frames, so the status line can
 * give the exact address of a path whose samples all came from one.
 */
#ifndef FLAMETUI_FRAMEADDRS_H
#define FLAMETUI_FRAMEADDRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Entries the table holds at most; past that, new (name, offset) pairs are not counted. */
#define FRAMEADDRS_MAX (1u << 16)
/* Binaries (paths) it tells apart; addresses in binaries past that are not counted. */
#define FRAMEADDRS_MAX_BINS 1024

struct frameaddrs;

struct frameaddrs_hot {
	const char *path; /* the binary it is in (borrowed: as long as the table) */
	uint64_t offset;  /* the hottest address: file offset in the binary */
	uint64_t samples; /* its samples */
	uint64_t total;	  /* samples of the frame over all its addresses */
	uint32_t addrs;	  /* distinct addresses seen */
	bool partial;	  /* the table was full: some addresses of some frames went uncounted */
};

/* NULL with errno set. */
struct frameaddrs *frameaddrs__new(void);
struct frameaddrs *frameaddrs__free(struct frameaddrs *fa);
/* The key of a frame name (any trie's text and kind). Never 0. */
uint64_t frameaddrs__key(const char *name, size_t len, int kind);
/*
 * The key of a sample path, folded from its root down: frameaddrs__root_key of the root frame,
 * then parent = frameaddrs__path_key(parent, frameaddrs__key(frame)) for each frame below it.
 * The root counts by its process name alone: "gzip-12/13", "gzip-12" and "gzip" (every
 * grouping of roots, grouping.h) give one key, so do comms that differ only in a "-N" suffix
 * ("pool-3", "pool-4"). Never 0.
 */
uint64_t frameaddrs__root_key(const char *root, size_t len);
uint64_t frameaddrs__path_key(uint64_t parent, uint64_t name_key);
/* The id of a binary's path (interned), for frameaddrs__add; -ENOSPC or -ENOMEM. */
int frameaddrs__bin(struct frameaddrs *fa, const char *path);
/* Counts `count` samples of the frame `key` at `offset` of binary `bin`. */
void frameaddrs__add(struct frameaddrs *fa, uint64_t key, int bin, uint64_t offset,
		     uint64_t count);
/* The frame's hottest address; -ENOENT when none was counted. */
int frameaddrs__hot(const struct frameaddrs *fa, uint64_t key, struct frameaddrs_hot *ret);
/* Calls fn for every address of the frame `key` (in no particular order). */
typedef void (*frameaddrs_fn)(void *ctx, const char *path, uint64_t offset, uint64_t samples);
void frameaddrs__each(const struct frameaddrs *fa, uint64_t key, frameaddrs_fn fn, void *ctx);
/* Was the table full (some addresses uncounted)? A table read back is told so. */
bool frameaddrs__full(const struct frameaddrs *fa);
void frameaddrs__set_full(struct frameaddrs *fa);
/* Forgets every count (the view was cleared). */
void frameaddrs__clear(struct frameaddrs *fa);

/* Every entry, for writing the table out (a recording): in no particular order. */
typedef void (*frameaddrs_all_fn)(void *ctx, uint64_t key, int bin, uint64_t offset,
				  uint64_t samples);
void frameaddrs__all(const struct frameaddrs *fa, frameaddrs_all_fn fn, void *ctx);
int frameaddrs__nbins(const struct frameaddrs *fa);
const char *frameaddrs__bin_path(const struct frameaddrs *fa, int bin); /* NULL: no such bin */

/*
 * What a binary was when its addresses were counted, so that a table read back later (a
 * recording) is not applied to a binary that changed since: its build-id when it has one,
 * else its size and mtime. A bin without one (live, perf script) is taken as it is.
 */
#define FRAMEADDRS_BUILD_ID_MAX 64
struct frameaddrs_ident {
	uint64_t size;
	int64_t mtime_ns;
	uint8_t build_id[FRAMEADDRS_BUILD_ID_MAX];
	uint8_t build_id_len; /* 0: none */
};
/* 0 or -ENOMEM / -EINVAL (no such bin). */
int frameaddrs__set_ident(struct frameaddrs *fa, int bin, const struct frameaddrs_ident *id);
/* The bin's identity, or NULL when none was set. */
const struct frameaddrs_ident *frameaddrs__ident(const struct frameaddrs *fa, int bin);

#endif
