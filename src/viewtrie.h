/* SPDX-License-Identifier: MIT */
/*
 * The trie a user sees, derived from a base trie whose root frames are per thread
 * ("comm-PID/TID"): regrouped per process name, per process or left per thread. Sampling
 * commands keep the base at the finest grain so `g` can regroup without losing anything.
 */
#ifndef FLAMETUI_VIEWTRIE_H
#define FLAMETUI_VIEWTRIE_H

#include "collector.h"
#include "trie.h"

/* Clears view and fills it from base, roots regrouped. Name ids of view stay valid across
 * rebuilds (names are never un-interned), which is what keeps the TUI's selection. */
int viewtrie__rebuild(struct trie *view, const struct trie *base, enum collector_group group);

/* "comm", "pid", "thread". */
const char *viewtrie__group_name(enum collector_group group);

#endif
