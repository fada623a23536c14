/* SPDX-License-Identifier: MIT */
/*
 * The timetap: every sample the collector sees, with its time, into a timeline whose stacks
 * are name ids of the view trie (the one the user sees), rooted at the comm: the heat map of
 * the live modes and speedscope's time order. Bounded: past `max` samples the oldest quarter
 * goes. Pure but for the record header it reads.
 */
#ifndef FLAMETUI_TIMETAP_H
#define FLAMETUI_TIMETAP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

#include "profile.h"
#include "trie.h"

struct timeline;
struct timetap;

/* view is borrowed (names are interned into it); NULL with errno set. */
struct timetap *timetap__new(struct trie *view, size_t max);
struct timetap *timetap__free(struct timetap *tt);
/* The timeline it fills (owned by the tap). */
struct timeline *timetap__timeline(const struct timetap *tt);
/* Samples added since the start (those dropped since included): a view built when this was
 * N holds the first N - (timetap__added() - timeline__samples()) samples still held, as long
 * as only the oldest were dropped. */
uint64_t timetap__added(const struct timetap *tt);
/* A collector_tap_fn: one sample (out of memory or too deep: the timeline misses it). */
void timetap__sample(void *ctx, const struct ft_hdr *h, const struct trie *t, const uint32_t *ids,
		     size_t n);

#endif
