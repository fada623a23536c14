/* SPDX-License-Identifier: MIT */
/*
 * The collector turns sampler records into trie stacks: it asks the symbolizer for names,
 * orders frames as stackcollapse-perf.pl does (process; user outermost..innermost; kernel
 * outermost..leaf) under a per-thread root (grouping.h), and keeps the symbolizer's caches
 * in step with exec/exit.
 */
#ifndef FLAMETUI_COLLECTOR_H
#define FLAMETUI_COLLECTOR_H

#include <stdint.h>

#include <linux/types.h>

#include "profile.h"
#include "symbolizer.h"
#include "trie.h"

struct collector;

/* The trie and the symbolizer are borrowed. NULL with errno set on failure. */
struct collector *collector__new(struct trie *t, struct symbolizer *sym);
struct collector *collector__free(struct collector *c);

/* Python frames in samples are named by py (borrowed; NULL: they are left out), merged into
 * the native stack where the eval loop ran them (collector.c). */
struct pyrt;
void collector__set_python(struct collector *c, struct pyrt *py);
/* Points the collector at another trie (after a compaction); cached name ids are dropped. */
void collector__set_trie(struct collector *c, struct trie *t);
/* Where stacks go: trie__add(trie, ids, n, 1) unless a sink is set (ring mode's window). */
typedef int (*collector_sink_fn)(void *ctx, const uint32_t *ids, size_t n);
void collector__set_sink(struct collector *c, collector_sink_fn sink, void *ctx);
/* Sees every sample before the sink, with its header and its frames without the root (comm)
 * frame: names are ids of the collector's trie. Recordings and the timeline hang here. */
typedef void (*collector_tap_fn)(void *ctx, const struct ft_hdr *h, const struct trie *t,
				 const uint32_t *ids, size_t n);
void collector__set_tap(struct collector *c, collector_tap_fn tap, void *ctx);
/* Adds one sample to the trie; 0 or -errno. Usable as sampler_opts.on_sample. */
int collector__on_sample(void *ctx, const struct ft_sample *s);
/* Exec/exit/fork records; usable as sampler_opts.on_proc. */
int collector__on_proc(void *ctx, const struct ft_proc_event *e);

uint64_t collector__samples(const struct collector *c);
/* Where in their binaries the user frames named so far were sampled (frameaddrs.h): over the
 * whole session, whatever the view shows. */
struct frameaddrs;
const struct frameaddrs *collector__addrs(const struct collector *c);
/* Hands the table over to the caller (to outlive the collector); later samples are not counted. */
struct frameaddrs *collector__take_addrs(struct collector *c);
/* The same for unnamed frames ("[gzip]") keyed by sample path (frameaddrs__path_key): where
 * one node of the graph was, since the start or the last collector__clear_paths. */
const struct frameaddrs *collector__paths(const struct collector *c);
struct frameaddrs *collector__take_paths(struct collector *c);
void collector__clear_paths(struct collector *c);

/* root, GIL marker, user, Python and kernel frames */
#define COLLECTOR_MAX_FRAMES (2 + 2 * FT_MAX_STACK + FT_PY_MAX_FRAMES)

#endif
