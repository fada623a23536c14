/* SPDX-License-Identifier: MIT */
/*
 * JIT symbols from /tmp/perf-PID.map files ("START SIZE name", hex with or without 0x): the
 * file is appended to by the JIT while we read it, so it is re-read incrementally, and later
 * entries win where ranges overlap (JITs reuse code memory). Library code: it never prints.
 */
#ifndef FLAMETUI_PERFMAP_H
#define FLAMETUI_PERFMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct perfmap_entry {
	uint64_t start, size;
	const char *name; /* borrowed from the map */
};

struct perfmap;

/*
 * What all perf maps together may hold (entries, and bytes of names): one budget is shared by
 * every map of a symbolizer, so sixteen processes with a 100 MB map each cost no more than the
 * bound. A map that would go past it stops growing (perfmap__cut() says so).
 */
struct perfmap_budget {
	size_t entries_left, bytes_left;
};

/* Why a map stopped growing. */
enum {
	PERFMAP_CUT_NONE = 0,
	PERFMAP_CUT_ENTRIES, /* 4M entries in this file */
	PERFMAP_CUT_BYTES,   /* 1 GiB read from this file */
	PERFMAP_CUT_GLOBAL,  /* the shared budget is spent */
};

/* Up to this many bytes of the first malformed line are kept for a message. */
#define PERFMAP_BAD_TEXT 80

struct perfmap *perfmap__new(void); /* NULL with errno set */
struct perfmap *perfmap__free(struct perfmap *m); /* NULL-safe, returns NULL */

/* Appends the entries of complete or final lines in buf; 0 or -errno. Bad lines are skipped
 * and counted. */
int perfmap__parse(struct perfmap *m, const char *buf, size_t len);
size_t perfmap__bad_lines(const struct perfmap *m);
/* The first malformed line: its number (0 when none) and up to PERFMAP_BAD_TEXT raw bytes. */
uint64_t perfmap__first_bad(const struct perfmap *m, const char **ret_text, size_t *ret_len);
/* Entries are charged to b (borrowed; NULL = none) from now on, and given back when freed. */
void perfmap__set_budget(struct perfmap *m, struct perfmap_budget *b);
/* PERFMAP_CUT_* for a map that stopped growing at a bound, with the file offset reached. */
int perfmap__cut(const struct perfmap *m, uint64_t *ret_offset);

/*
 * (Re)reads the file if it grew since the last call, parsing only the appended complete lines;
 * a file that shrank was rewritten and is parsed from scratch. The file belongs to another
 * user and we may be root, so it is opened with O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and must be a
 * regular file owned by owner_uid or by root, else -EPERM. 0 or -errno.
 */
int perfmap__refresh(struct perfmap *m, const char *path, uid_t owner_uid);
/*
 * The same on an open file (borrowed). A refresh reads at most 32 MiB (the rest waits for the
 * next one), a file at most 1 GiB, skips holes without reading them, and stops at the bounds
 * above without error: perfmap__cut() tells.
 */
int perfmap__refresh_fd(struct perfmap *m, int fd, uid_t owner_uid);

/* The entry covering addr (the newest one where entries overlap), or NULL. O(log n). */
const struct perfmap_entry *perfmap__find(struct perfmap *m, uint64_t addr);
size_t perfmap__count(const struct perfmap *m);

#endif
