/* SPDX-License-Identifier: MIT */
/*
 * The function table: one row per frame name with its self samples and its total samples
 * (stacks in which it appears; a recursive function counts once per stack). Pure.
 */
#ifndef FLAMETUI_TUI_TABLE_H
#define FLAMETUI_TUI_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../trie.h"
#include "search.h"

enum ftable_key {
	FTABLE_BY_SELF = 0,
	FTABLE_BY_TOTAL,
	FTABLE_BY_DELTA, /* diff: the change of total share, largest growth first */
};

struct ftable_row {
	uint32_t name;
	uint64_t self;
	uint64_t total;
	uint64_t other_self, other_total; /* diff: the same in the other profile, else 0 */
};

struct ftable;

struct ftable *ftable__new(void);
struct ftable *ftable__free(struct ftable *ft);

/* Recomputes every row from the trie. Returns 0 or -ENOMEM. */
int ftable__build(struct ftable *ft, const struct trie *t);
/*
 * Diff: after ftable__build(), adds every function's counts in `other`. Names only `other`
 * has are interned into t (the shown trie; its samples are untouched) so they get rows: a
 * function that went away is listed. `negate`: t is BEFORE (changes are other - t).
 * Returns 0 or -ENOMEM.
 */
int ftable__compare(struct ftable *ft, struct trie *t, const struct trie *other, bool negate);
/* Diff: a row's change of total share, AFTER minus BEFORE, in 0..1 (0 without a compare). */
double ftable__delta(const struct ftable *ft, const struct ftable_row *row);

/* Orders the rows (largest first, ties by name) and keeps those whose name the search matches. */
int ftable__view(struct ftable *ft, const struct trie *t, enum ftable_key key,
		 const struct search *filter);
size_t ftable__count(const struct ftable *ft); /* rows in the current view */
const struct ftable_row *ftable__row(const struct ftable *ft, size_t i);

#endif
