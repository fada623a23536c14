// SPDX-License-Identifier: MIT
/*
 * Sibling order (trie__sort): by name through the rank of every name (trie_rank.c), or by
 * samples. After a load in name order only the parents that gained children are sorted again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trie_impl.h"

/* x goes before y: by name, or by samples (most first) then name. */
static bool before(const uint32_t *rank, enum trie_order order, const struct trie_node *x,
		   const struct trie_node *y)
{
	if (order == TRIE_ORDER_SAMPLES && x->total != y->total)
		return x->total > y->total;
	return rank[x->name] < rank[y->name];
}

struct sort_ctx {
	const uint32_t *rank;
	enum trie_order order;
};

static int cmp_nodes(const void *a, const void *b, void *ctx)
{
	const struct sort_ctx *sc = ctx;
	const struct trie_node *x = *(struct trie_node *const *)a;
	const struct trie_node *y = *(struct trie_node *const *)b;

	return before(sc->rank, sc->order, x, y) ? -1 : before(sc->rank, sc->order, y, x);
}

/* Scratch space for radix sorts of siblings, kept across one trie__sort(). */
struct scratch {
	struct keyed *a; /* 2 * cap */
	size_t cap;
};

static struct keyed *scratch_get(struct scratch *sc, size_t n)
{
	if (n > sc->cap) {
		struct keyed *a = realloc(sc->a, n * 2 * sizeof(*a));

		if (!a)
			return NULL;
		sc->a = a;
		sc->cap = n;
	}
	return sc->a;
}

/* Wide parents in name order: a radix sort on the ranks (unique among siblings). */
#define WIDE_RADIX 64

/* Most parents have a few children: insertion sort beats qsort's call overhead there. */
static void sort_children(struct trie_node *p, const uint32_t *rank, enum trie_order order,
			  struct scratch *scr)
{
	struct trie_node **c = trie_children(p);
	uint32_t n = p->nchildren;
	struct keyed *a;

	if (n > WIDE_RADIX && order == TRIE_ORDER_NAME && (a = scratch_get(scr, n))) {
		for (uint32_t i = 0; i < n; i++)
			a[i] = (struct keyed){ rank[c[i]->name], i, 0 };
		trie_radix_sort(a, a + n, n);
		/* the second half holds the nodes in their new order, then they go back */
		for (uint32_t i = 0; i < n; i++)
			((struct trie_node **)(a + n))[i] = c[a[i].id];
		memcpy(c, a + n, n * sizeof(*c));
		return;
	}
	if (n > 16) {
		struct sort_ctx sc = { rank, order };

		qsort_r(c, n, sizeof(*c), cmp_nodes, &sc);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		struct trie_node *x = c[i];
		uint32_t j = i;

		while (j > 0 && before(rank, order, x, c[j - 1])) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = x;
	}
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

/* Name order kept since the last sort: only the parents that gained children need it. The
 * list is put in address order (radix sorted) so that each parent is sorted once. */
static void sort_noted(struct trie *t)
{
	struct trie_node *last = NULL;
	struct scratch scr = { 0 };
	size_t n = t->nunsorted;
	struct keyed *a = n > 1 ? scratch_get(&scr, n) : NULL;

	if (a) {
		for (size_t i = 0; i < n; i++)
			a[i] = (struct keyed){ (uint64_t)(uintptr_t)t->unsorted[i], 0, 0 };
		trie_radix_sort(a, a + n, n);
		for (size_t i = 0; i < n; i++)
			t->unsorted[i] = (struct trie_node *)(uintptr_t)a[i].key;
	} else if (n > 1) {
		qsort(t->unsorted, n, sizeof(*t->unsorted), cmp_ptr);
	}
	for (size_t i = 0; i < n; i++) {
		if (t->unsorted[i] != last)
			sort_children(t->unsorted[i], t->rank, TRIE_ORDER_NAME, &scr);
		last = t->unsorted[i];
	}
	free(scr.a);
	t->nunsorted = 0;
	t->dirty = false;
}

void trie__sort(struct trie *t, enum trie_order order)
{
	struct trie_node *cur = &t->root;
	uint32_t *pos; /* iterative pre-order walk with an explicit index per depth */
	size_t cap = 64, depth = 0;
	struct scratch scr = { 0 };

	if (!t->dirty && t->sorted_order == order)
		return;
	if (trie__rank_names(t))
		return; /* left unsorted: still a valid trie, and `dirty` stays set */
	if (order == TRIE_ORDER_NAME && t->sorted_order == TRIE_ORDER_NAME && !t->sort_all) {
		sort_noted(t);
		return;
	}
	pos = malloc(cap * sizeof(*pos));
	if (!pos)
		return;
	pos[0] = 0;
	if (cur->nchildren > 1)
		sort_children(cur, t->rank, order, &scr);
	for (;;) {
		if (pos[depth] < cur->nchildren) {
			struct trie_node *c = trie_children(cur)[pos[depth]++];

			if (depth + 1 == cap) {
				uint32_t *np = realloc(pos, cap * 2 * sizeof(*pos));

				if (!np) {
					free(pos);
					free(scr.a);
					return;
				}
				pos = np;
				cap *= 2;
			}
			if (c->nchildren > 1)
				sort_children(c, t->rank, order, &scr);
			cur = c;
			pos[++depth] = 0;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		depth--;
	}
	free(pos);
	free(scr.a);
	t->sorted_order = order;
	t->dirty = false;
	t->nunsorted = 0;
	t->sort_all = false;
}
