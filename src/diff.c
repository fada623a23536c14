// SPDX-License-Identifier: MIT
/*
 * diff: matches the nodes of two tries by stack (see diff.h). The match is a hash map from
 * each shown node to its counterpart, filled by one pre-order walk: a child's counterpart is
 * the child of its parent's counterpart with the same name, so each node costs one lookup.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include "diff.h"
#include "formats/folded.h"

struct slot {
	const struct trie_node *key, *val;
};

struct diff {
	const struct trie *shown; /* borrowed */
	struct trie *other;	  /* borrowed */
	struct slot *slots;	  /* owned, open addressing, power-of-two size */
	size_t mask;
	double max_delta[2]; /* by self, by total; < 0 until computed */
};

static size_t hash_ptr(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p;

	h ^= h >> 29;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h ^ (h >> 32));
}

static void put(struct diff *d, const struct trie_node *key, const struct trie_node *val)
{
	size_t i = hash_ptr(key) & d->mask;

	while (d->slots[i].key && d->slots[i].key != key)
		i = (i + 1) & d->mask;
	d->slots[i].key = key;
	d->slots[i].val = val;
}

const struct trie_node *diff__other(const struct diff *d, const struct trie_node *n)
{
	size_t i;

	if (!n)
		return NULL;
	if (!n->parent)
		return trie__root(d->other);
	for (i = hash_ptr(n) & d->mask; d->slots[i].key; i = (i + 1) & d->mask)
		if (d->slots[i].key == n)
			return d->slots[i].val;
	return NULL;
}

/* Pre-order over every node of t without recursion; calls fn for each node but the root. */
static int each_node(const struct trie *t, int (*fn)(void *ctx, const struct trie_node *n),
		     void *ctx)
{
	const struct trie_node *n = trie__root(t);
	uint32_t *pos = malloc(64 * sizeof(*pos)), cap = 64;
	int rc = 0;

	if (!pos)
		return -ENOMEM;
	pos[0] = 0;
	for (;;) {
		if (pos[n->depth] < n->nchildren) {
			const struct trie_node *c = trie_children(n)[pos[n->depth]++];

			if (c->depth + 1 >= cap) {
				uint32_t *p = realloc(pos, (size_t)cap * 2 * sizeof(*p));

				if (!p) {
					rc = -ENOMEM;
					break;
				}
				pos = p;
				cap *= 2;
			}
			pos[c->depth] = 0;
			rc = fn(ctx, c);
			if (rc)
				break;
			n = c;
			continue;
		}
		if (!n->parent)
			break;
		n = n->parent;
	}
	free(pos);
	return rc;
}

struct build {
	struct diff *d;
	uint32_t *map; /* shown name id -> other name id, TRIE_NO_NAME until needed */
};

static int match(void *ctx, const struct trie_node *n)
{
	struct build *b = ctx;
	const struct trie_node *op = diff__other(b->d, n->parent), *o = NULL;

	if (op) {
		if (b->map[n->name] == TRIE_NO_NAME) {
			b->map[n->name] = trie__intern(
			    b->d->other, trie__name(b->d->shown, n->name),
			    trie__name_len(b->d->shown, n->name), trie__kind(b->d->shown, n->name));
			if (b->map[n->name] == TRIE_NO_NAME)
				return -ENOMEM;
		}
		o = trie__child(b->d->other, op, b->map[n->name]);
	}
	if (o)
		put(b->d, n, o);
	return 0;
}

struct diff *diff__new(const struct trie *shown, struct trie *other)
{
	struct diff *d = calloc(1, sizeof(*d));
	size_t nodes = trie__nodes(shown), size = 64, nnames = trie__names(shown);
	struct build b = {.d = d};
	int rc;

	if (!d)
		return NULL;
	d->shown = shown;
	d->other = other;
	d->max_delta[0] = d->max_delta[1] = -1;
	while (size < 2 * nodes)
		size *= 2;
	d->slots = calloc(size, sizeof(*d->slots));
	d->mask = size - 1;
	b.map = malloc((nnames ? nnames : 1) * sizeof(*b.map));
	if (!d->slots || !b.map) {
		free(b.map);
		diff__free(d);
		errno = ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < nnames; i++)
		b.map[i] = TRIE_NO_NAME;
	rc = each_node(shown, match, &b);
	free(b.map);
	if (rc) {
		diff__free(d);
		errno = -rc;
		return NULL;
	}
	return d;
}

struct diff *diff__free(struct diff *d)
{
	if (!d)
		return NULL;
	free(d->slots);
	free(d);
	return NULL;
}

uint64_t diff__other_samples(const struct diff *d, const struct trie_node *n, bool by_total)
{
	const struct trie_node *o = diff__other(d, n);

	return o ? (by_total ? o->total : o->self) : 0;
}

double diff__delta(const struct diff *d, const struct trie_node *n, bool by_total)
{
	uint64_t st = trie__total(d->shown), ot = trie__total(d->other);
	double s = st ? (double)(by_total ? n->total : n->self) / (double)st : 0;
	double o = ot ? (double)diff__other_samples(d, n, by_total) / (double)ot : 0;

	return s - o;
}

struct maxd {
	const struct diff *d;
	bool by_total;
	double max;
};

static int max_one(void *ctx, const struct trie_node *n)
{
	struct maxd *m = ctx;
	double v = fabs(diff__delta(m->d, n, m->by_total));

	if (v > m->max)
		m->max = v;
	return 0;
}

double diff__max_delta(const struct diff *d, bool by_total)
{
	struct maxd m = {.d = d, .by_total = by_total};
	struct diff *w = (struct diff *)d; /* a cache, not a change of state */

	if (d->max_delta[by_total] >= 0)
		return d->max_delta[by_total];
	if (each_node(d->shown, max_one, &m))
		return 0;
	w->max_delta[by_total] = m.max;
	return m.max;
}

int diff__level(const struct diff *d, const struct trie_node *n, bool by_total, bool negate,
		int steps)
{
	double c = diff__delta(d, n, by_total), max = diff__max_delta(d, by_total);
	int level;

	if (negate)
		c = -c;
	if (fabs(c) < 1e-12 || max <= 0)
		return 0;
	level = (int)ceil(fabs(c) / max * steps);
	if (level > steps)
		level = steps;
	return c > 0 ? level : -level;
}

struct folded {
	struct trie *u;
	const struct diff *before, *after;
	uint64_t before_total, after_total;
	bool normalize;
	FILE *f;
};

static int write_line(void *ctx, const struct trie_node *n)
{
	struct folded *w = ctx;
	uint64_t b, a;

	if (!n->self)
		return 0;
	b = diff__other_samples(w->before, n, false);
	a = diff__other_samples(w->after, n, false);
	if (w->normalize && w->before_total != w->after_total && w->before_total)
		b = (uint64_t)((long double)b * w->after_total / w->before_total);
	if (folded__write_stack(w->u, n, w->f) ||
	    fprintf(w->f, " %" PRIu64 " %" PRIu64 "\n", b, a) < 0)
		return errno ? -errno : -EIO;
	return 0;
}

int diff__write_folded(struct trie *before, struct trie *after, bool normalize, FILE *f)
{
	struct trie *u = trie__new();
	struct folded w = {.u = u,
			   .normalize = normalize,
			   .f = f,
			   .before_total = trie__total(before),
			   .after_total = trie__total(after)};
	struct diff *db = NULL, *da = NULL;
	int rc = -ENOMEM;

	/* The union of both shapes; its own counts are not used, only its nodes. */
	if (!u || trie__merge(u, before, NULL, NULL) || trie__merge(u, after, NULL, NULL))
		goto out;
	trie__sort(u, TRIE_ORDER_NAME);
	db = diff__new(u, before);
	da = diff__new(u, after);
	if (!db || !da)
		goto out;
	w.before = db;
	w.after = da;
	rc = each_node(u, write_line, &w);
out:
	diff__free(db);
	diff__free(da);
	trie__free(u);
	return rc;
}
