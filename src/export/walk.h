/* SPDX-License-Identifier: MIT */
/* A pre-order walk over a subtree of the trie, in the order siblings are held (each exporter
 * sorts first). No recursion: stacks can be thousands of frames deep. */
#ifndef FLAMETUI_EXPORT_WALK_H
#define FLAMETUI_EXPORT_WALK_H

#include <stdint.h>

#include "../trie.h"

struct walk {
	const struct trie_node *top, *cur; /* borrowed */
	uint32_t *pos;			   /* owned: next child index per depth below top */
	uint32_t cap;
	int started;
	uint32_t *ids; /* owned: the last walk__path() */
	uint32_t ids_cap;
};

/* Starts at top (visited first). */
void walk__init(struct walk *w, const struct trie_node *top);
void walk__fini(struct walk *w);
/* The next node into *ret: 1, 0 at the end, -ENOMEM. */
int walk__next(struct walk *w, const struct trie_node **ret);
/* The name ids from the outermost frame down to n (n->depth of them) into *ret, in a buffer
 * the walk owns until the next call. 0 or -ENOMEM. */
int walk__path(struct walk *w, const struct trie_node *n, uint32_t **ret);

#endif
