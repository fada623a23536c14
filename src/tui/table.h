/* SPDX-License-Identifier: MIT */
/*
 * The function table: one row per frame name with its self samples and its total samples
 * (stacks in which it appears; a recursive function counts once per stack). Pure.
 */
#ifndef FLAMETUI_TUI_TABLE_H
#define FLAMETUI_TUI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "../trie.h"
#include "search.h"

enum ftable_key {
	FTABLE_BY_SELF = 0,
	FTABLE_BY_TOTAL,
};

struct ftable_row {
	uint32_t name;
	uint64_t self;
	uint64_t total;
};

struct ftable;

struct ftable *ftable__new(void);
struct ftable *ftable__free(struct ftable *ft);

/* Recomputes every row from the trie. Returns 0 or -ENOMEM. */
int ftable__build(struct ftable *ft, const struct trie *t);
/* Orders the rows (largest first, ties by name) and keeps those whose name the search matches. */
int ftable__view(struct ftable *ft, const struct trie *t, enum ftable_key key,
		 const struct search *filter);
size_t ftable__count(const struct ftable *ft); /* rows in the current view */
const struct ftable_row *ftable__row(const struct ftable *ft, size_t i);

#endif
