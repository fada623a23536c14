/* SPDX-License-Identifier: MIT */
/*
 * A sliding window of time slots over a trie (ring mode): each slot remembers which trie
 * nodes got its samples, so when the window moves the oldest slot is subtracted exactly and
 * nodes left empty are freed. Memory stays flat however long it runs.
 */
#ifndef FLAMETUI_TIMEWINDOW_H
#define FLAMETUI_TIMEWINDOW_H

#include <stddef.h>
#include <stdint.h>

#include "trie.h"

struct timewindow;

/* The trie is borrowed and must only be changed through the ring while it is in use. */
struct timewindow *timewindow__new(struct trie *t, unsigned int nslots);
struct timewindow *timewindow__free(struct timewindow *r);

/* Adds one sample (names outermost first) to the current slot. 0 or -errno. */
int timewindow__add(struct timewindow *r, const uint32_t *ids, size_t n);
/* Starts a new slot; once the window holds nslots, the oldest slot's samples leave the trie. */
int timewindow__advance(struct timewindow *r);
/*
 * Rebuilds the window into a new trie that holds only the names its samples use, and makes it
 * the ring's trie: a long run over processes that come and go would otherwise keep every
 * thread's name forever. On success *ret_trie is the new trie (the caller owns it, and frees
 * the old one); on failure (-ENOMEM) nothing changed.
 */
int timewindow__compact(struct timewindow *r, struct trie **ret_trie);
/* Removes every sample (the trie is cleared too). */
void timewindow__clear(struct timewindow *r);

unsigned int timewindow__held(const struct timewindow *r); /* slots held, the current one included */
/* Samples in a slot; age 0 is the current slot, 1 the one before... */
uint64_t timewindow__slot_total(const struct timewindow *r, unsigned int age);
/* Adds the samples of one slot alone into dst. 0, -ERANGE (no such slot) or -ENOMEM. */
int timewindow__slot_trie(const struct timewindow *r, unsigned int age, struct trie *dst);

#endif
