// SPDX-License-Identifier: MIT
/* walk: pre-order traversal with an explicit stack of child positions (see walk.h). */
#include <errno.h>
#include <stdlib.h>

#include "walk.h"

void walk__init(struct walk *w, const struct trie_node *top)
{
	w->top = w->cur = top;
	w->pos = NULL;
	w->cap = 0;
	w->started = 0;
	w->ids = NULL;
	w->ids_cap = 0;
}

void walk__fini(struct walk *w)
{
	free(w->pos);
	free(w->ids);
	w->pos = w->ids = NULL;
	w->cap = w->ids_cap = 0;
}

int walk__path(struct walk *w, const struct trie_node *n, uint32_t **ret)
{
	if (n->depth > w->ids_cap) {
		uint32_t *p = realloc(w->ids, ((size_t)n->depth + 64) * sizeof(*p));

		if (!p)
			return -ENOMEM;
		w->ids = p;
		w->ids_cap = n->depth + 64;
	}
	trie__path(n, w->ids, w->ids_cap);
	*ret = w->ids;
	return 0;
}

int walk__next(struct walk *w, const struct trie_node **ret)
{
	const struct trie_node *n = w->cur;

	if (!n)
		return 0;
	if (!w->started) {
		w->started = 1;
		if (w->cap < 64) {
			w->pos = malloc(64 * sizeof(*w->pos));
			if (!w->pos)
				return -ENOMEM;
			w->cap = 64;
		}
		w->pos[0] = 0;
		*ret = n;
		return 1;
	}
	for (;;) {
		uint32_t d = n->depth - w->top->depth;

		if (w->pos[d] < n->nchildren) {
			const struct trie_node *c = trie_children(n)[w->pos[d]++];

			if (d + 1 >= w->cap) {
				uint32_t *p = realloc(w->pos, (size_t)w->cap * 2 * sizeof(*p));

				if (!p)
					return -ENOMEM;
				w->pos = p;
				w->cap *= 2;
			}
			w->pos[d + 1] = 0;
			w->cur = c;
			*ret = c;
			return 1;
		}
		if (n == w->top) {
			w->cur = NULL;
			return 0;
		}
		n = n->parent;
		w->cur = n;
	}
}
