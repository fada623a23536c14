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

struct perfmap *perfmap__new(void); /* NULL with errno set */
struct perfmap *perfmap__free(struct perfmap *m); /* NULL-safe, returns NULL */

/* Appends the entries of complete or final lines in buf; 0 or -errno. Bad lines are skipped
 * and counted. */
int perfmap__parse(struct perfmap *m, const char *buf, size_t len);
size_t perfmap__bad_lines(const struct perfmap *m);

/*
 * (Re)reads the file if it grew since the last call, parsing only the appended complete lines;
 * a file that shrank was rewritten and is parsed from scratch. The file belongs to another
 * user and we may be root, so it is opened with O_NOFOLLOW|O_NONBLOCK|O_CLOEXEC and must be a
 * regular file owned by owner_uid or by root, else -EPERM. 0 or -errno.
 */
int perfmap__refresh(struct perfmap *m, const char *path, uid_t owner_uid);

/* The entry covering addr (the newest one where entries overlap), or NULL. O(log n). */
const struct perfmap_entry *perfmap__find(struct perfmap *m, uint64_t addr);
size_t perfmap__count(const struct perfmap *m);

#endif
