// SPDX-License-Identifier: MIT
/*
 * Sibling order (trie__sort): by name through a rank of every name, or by samples. After a
 * load in name order only the parents that gained children are sorted again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trie_impl.h"

static int cmp_name_ids(const void *a, const void *b, void *ctx)
{
	const struct trie *t = ctx;
	const struct name *nx = &t->nt.names[*(const uint32_t *)a];
	const struct name *ny = &t->nt.names[*(const uint32_t *)b];
	/* memcmp, not strcmp: names may hold NUL bytes, and the order must not depend on the
	 * order samples arrived in */
	int c = memcmp(nx->s, ny->s, nx->len < ny->len ? nx->len : ny->len);

	if (c)
		return c;
	if (nx->len != ny->len)
		return (nx->len > ny->len) - (nx->len < ny->len);
	return (nx->kind > ny->kind) - (nx->kind < ny->kind);
}

/* A name's 8 bytes from `at`, big-endian and zero-padded: comparing two of these as integers
 * orders them as cmp_name_ids would, or ties them. */
static uint64_t key8(const struct name *nm, size_t at)
{
	unsigned char b[8] = { 0 };

	if (nm->len > at)
		memcpy(b, nm->s + at, nm->len - at < 8 ? nm->len - at : 8);
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 |
	       (uint64_t)b[3] << 32 | (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	       (uint64_t)b[6] << 8 | b[7];
}

struct keyed {
	uint64_t key;
	uint32_t id;
	uint32_t len; /* the name's (sort_names) */
};

/* LSD radix sort of a[0, n) by key, 8 bits a pass (a pass where every key has the same byte
 * is skipped); tmp holds n. Stable. */
static void radix_sort(struct keyed *a, struct keyed *tmp, size_t n)
{
	size_t count[8][256] = { { 0 } };
	struct keyed *from = a, *to = tmp;

	for (size_t i = 0; i < n; i++)
		for (unsigned p = 0; p < 8; p++)
			count[p][(a[i].key >> (8 * p)) & 0xff]++;
	for (unsigned p = 0; p < 8; p++) {
		size_t sum = 0;
		struct keyed *x;

		if (count[p][(a[0].key >> (8 * p)) & 0xff] == n)
			continue;
		for (unsigned d = 0; d < 256; d++) {
			size_t c = count[p][d];

			count[p][d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[p][(from[i].key >> (8 * p)) & 0xff]++] = from[i];
		x = from;
		from = to;
		to = x;
	}
	if (from != a)
		memcpy(a, from, n * sizeof(*a));
}

/* Stable, by key. */
static void insertion_sort(struct keyed *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct keyed x = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1].key > x.key; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Runs shorter than this are sorted by insertion (on the same keys): a radix pass's counts
 * cost more than that there. */
#define RADIX_MIN 64
/* Past this many bytes of shared prefix a run is finished with the full comparator. */
#define RADIX_MAX_DEPTH 64

/*
 * Sorts the names in a[0, n), which agree on their first `at` bytes, into cmp_name_ids order:
 * by their next 8 bytes as integers, then each run that ties on them the same way 8 bytes on
 * (when all its names are that long; else by the full comparator).
 */
static void sort_names(const struct trie *t, struct keyed *a, struct keyed *tmp, size_t n,
		       size_t at, uint32_t *ids)
{
	if (n == 1) {
		ids[0] = a[0].id;
		return;
	}
	if (at >= RADIX_MAX_DEPTH) {
		for (size_t i = 0; i < n; i++)
			ids[i] = a[i].id;
		qsort_r(ids, n, sizeof(*ids), cmp_name_ids, (void *)t);
		return;
	}
	/* each name's text is read once a level: reading them was the cost, not comparing */
	for (size_t i = 0; i < n; i++)
		a[i].key = key8(&t->nt.names[a[i].id], at);
	if (n < RADIX_MIN)
		insertion_sort(a, n);
	else
		radix_sort(a, tmp, n);
	for (size_t i = 0, j; i < n; i = j) {
		bool long_enough = true;

		for (j = i + 1; j < n && a[j].key == a[i].key; j++)
			;
		if (j - i == 1) {
			ids[i] = a[i].id;
			continue;
		}
		for (size_t k = i; k < j; k++)
			long_enough &= a[k].len >= at + 8;
		sort_names(t, a + i, tmp + i, j - i, long_enough ? at + 8 : RADIX_MAX_DEPTH, ids + i);
	}
}

/*
 * Every name's place in name order, so sorting siblings compares two integers instead of two
 * strings: a big trie has millions of nodes but far fewer names, and string compares were
 * most of trie__sort. The names themselves are radix sorted on 8-byte slices: qsort's string
 * compares of them were a tenth of a 10 MB file's load (32 bytes a name while it runs, beside
 * the 80 or more each interned name holds). Rebuilt when names were added since. 0 or -ENOMEM.
 */
static int rank_names(struct trie *t)
{
	uint32_t *ids, *rank;
	struct keyed *a;

	if (t->ranked == t->nt.n && t->rank)
		return 0;
	ids = malloc((size_t)t->nt.n * sizeof(*ids));
	a = malloc((size_t)t->nt.n * 2 * sizeof(*a));
	rank = realloc(t->rank, (size_t)t->nt.n * sizeof(*rank));
	if (!ids || !rank || !a) {
		free(ids);
		free(a);
		if (rank)
			t->rank = rank;
		return -ENOMEM;
	}
	t->rank = rank;
	for (uint32_t i = 0; i < t->nt.n; i++)
		a[i] = (struct keyed){ 0, i, t->nt.names[i].len };
	sort_names(t, a, a + t->nt.n, t->nt.n, 0, ids);
	for (uint32_t i = 0; i < t->nt.n; i++)
		rank[ids[i]] = i;
	free(ids);
	free(a);
	t->ranked = t->nt.n;
	return 0;
}

int trie__rank_names(struct trie *t)
{
	return rank_names(t);
}

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
	struct trie_node **c = p->children;
	uint32_t n = p->nchildren;
	struct keyed *a;

	if (n > WIDE_RADIX && order == TRIE_ORDER_NAME && (a = scratch_get(scr, n))) {
		for (uint32_t i = 0; i < n; i++)
			a[i] = (struct keyed){ rank[c[i]->name], i, 0 };
		radix_sort(a, a + n, n);
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
		radix_sort(a, a + n, n);
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
	if (rank_names(t))
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
			struct trie_node *c = cur->children[pos[depth]++];

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
