/* SPDX-License-Identifier: MIT */
/*
 * Root frames and how they are grouped. The collector names every sample's root after its
 * thread ("comm-PID/TID", the finest grain); the trie a user sees is derived from that base,
 * regrouped per process name, per process or left per thread, so `g` can regroup without
 * losing anything. The root-name format and its parser live here, and nowhere else.
 */
#ifndef FLAMETUI_GROUPING_H
#define FLAMETUI_GROUPING_H

#include <stddef.h>
#include <stdint.h>

#include "trie.h"

enum grouping {
	GROUP_COMM = 0, /* "comm" */
	GROUP_PID,	/* "comm-PID" (stackcollapse-perf.pl --pid) */
	GROUP_THREAD,	/* "comm-PID/TID" (stackcollapse-perf.pl --tid) */
	GROUP_MAX,
};

/* Longest root name grouping__format_root writes, NUL included, for a comm of comm_len. */
#define GROUPING_ROOT_MAX(comm_len) ((comm_len) + 24)

/* Writes "comm-PID/TID" (comm is comm_len bytes, not NUL-terminated) into buf of size
 * GROUPING_ROOT_MAX(comm_len) at least; returns the length written. */
size_t grouping__format_root(char *buf, size_t size, const char *comm, size_t comm_len,
			     uint32_t tgid, uint32_t tid);
/* The length of a per-thread root name s (len bytes) once grouped by g: the prefix up to the
 * suffix's last '-' (comm) or '/' (pid); len itself for GROUP_THREAD or a name without the
 * suffix. The suffix is ours, so its separators are the last ones even when the comm holds
 * either. */
size_t grouping__root_len(const char *s, size_t len, enum grouping g);

/* Clears view and fills it from base, roots regrouped. Name ids of view stay valid across
 * rebuilds (names are never un-interned), which is what keeps the TUI's selection. */
int grouping__rebuild(struct trie *view, const struct trie *base, enum grouping group);

/* "comm", "pid", "thread". */
const char *grouping__name(enum grouping group);
/* The inverse of grouping__name: 0, or -EINVAL (*ret untouched). */
int grouping__parse(const char *name, enum grouping *ret);

#endif
