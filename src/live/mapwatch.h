/* SPDX-License-Identifier: MIT */
/*
 * The mapping tracker: one dummy perf event per online CPU that reports, as perf record does,
 * every executable mmap (PERF_RECORD_MMAP2) and every exec (PERF_RECORD_COMM with
 * COMM_EXEC), stamped on the same clock as the BPF samples. Replayed in time order before each
 * sample, they tell the symbolizer what a process had mapped even after it exited.
 */
#ifndef FLAMETUI_MAPWATCH_H
#define FLAMETUI_MAPWATCH_H

#include <stdint.h>

#include "procmaps.h"

enum mmap_event_type { MMAP_EVENT_MAP, MMAP_EVENT_EXEC };

struct mmap_event {
	enum mmap_event_type type;
	uint32_t pid;
	uint64_t time;	    /* CLOCK_MONOTONIC ns, as bpf_ktime_get_ns() */
	struct procmap map; /* MMAP_EVENT_MAP; path borrowed for the callback's duration */
};

typedef int (*mapwatch_fn)(void *ctx, const struct mmap_event *e);

struct mapwatch;

/* Opens the events on every online CPU. NULL with errno set. */
struct mapwatch *mapwatch__open(void);
struct mapwatch *mapwatch__free(struct mapwatch *m);

/* Hands every record stamped at or before `until` to fn, oldest first. 0 or fn's error. */
int mapwatch__drain(struct mapwatch *m, uint64_t until, mapwatch_fn fn, void *ctx);
uint64_t mapwatch__lost(const struct mapwatch *m); /* records the kernel dropped (ring full) */

#endif
