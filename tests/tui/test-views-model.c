// SPDX-License-Identifier: MIT
/*
 * The derived views (src/tui/views.c) against a model: random tries (few names, so recursion
 * and functions called from many places are everywhere), each view built by the builders and by
 * the plain definition, one trie__add() per stack, and the two compared node by node: same
 * names, totals, self counts and children. Also under a node limit: every sample kept, the
 * limit kept, no empty node left behind.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/tui/views.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* A trie of `stacks` random stacks over `names` names, depth 0..maxdepth. */
static struct trie *random_trie(int stacks, uint32_t names, uint32_t maxdepth)
{
	struct trie *t = trie__new();
	uint32_t ids[64], ns[512];

	CHECK(t != NULL && names <= 512 && maxdepth <= 64);
	for (uint32_t k = 0; k < names; k++) {
		char buf[16];
		int n = snprintf(buf, sizeof(buf), "f%u", k);

		ns[k] = trie__intern(t, buf, (size_t)n, FRAME_USER);
	}
	for (int s = 0; s < stacks; s++) {
		uint32_t depth = rnd(maxdepth + 1);

		for (uint32_t d = 0; d < depth; d++)
			ids[d] = ns[rnd(names)];
		CHECK(trie__add(t, ids, depth, 1 + rnd(9)) == 0);
	}
	return t;
}

/* The path of n into ids (outermost first); its length. */
static size_t path(const struct trie_node *n, uint32_t *ids)
{
	int len = trie__path(n, ids, 64);

	CHECK(len >= 0);
	return len < 0 ? 0 : (size_t)len;
}

/* Every stack of src by definition: calls add(ctx, node) for each node with samples. */
static void each_node(const struct trie_node *n, void (*add)(void *, const struct trie_node *),
		      void *ctx)
{
	add(ctx, n);
	for (uint32_t k = 0; k < n->nchildren; k++)
		each_node(trie_children(n)[k], add, ctx);
}

struct model {
	struct trie *dst;
	uint32_t name;
};

/* bottom-up: each node's self samples on its path reversed (the root's on the root) */
static void add_reversed(void *ctx, const struct trie_node *n)
{
	struct model *m = ctx;
	uint32_t ids[64], rev[64];
	size_t len = path(n, ids);

	if (!n->self)
		return;
	for (size_t i = 0; i < len; i++)
		rev[i] = ids[len - 1 - i];
	CHECK(trie__add(m->dst, rev, len, n->self) == 0);
}

/* the first index of name in ids[0..len), or len */
static size_t outermost(const uint32_t *ids, size_t len, uint32_t name)
{
	size_t i = 0;

	while (i < len && ids[i] != name)
		i++;
	return i;
}

/* callers: each stack (node with self samples) through name, from name's outermost
 * occurrence back to the root */
static void add_callers(void *ctx, const struct trie_node *n)
{
	struct model *m = ctx;
	uint32_t ids[64], rev[64];
	size_t len = path(n, ids), o = outermost(ids, len, m->name);

	if (!n->self || o == len)
		return;
	for (size_t i = 0; i <= o; i++)
		rev[i] = ids[o - i];
	CHECK(trie__add(m->dst, rev, o + 1, n->self) == 0);
}

/* callees: each stack through name, from its outermost occurrence on */
static void add_callees(void *ctx, const struct trie_node *n)
{
	struct model *m = ctx;
	uint32_t ids[64];
	size_t len = path(n, ids), o = outermost(ids, len, m->name);

	if (n->self && o < len)
		CHECK(trie__add(m->dst, ids + o, len - o, n->self) == 0);
}

/* a and b (sharing name ids) have the same nodes with the same counts */
static bool same(const struct trie_node *x, const struct trie *b, const struct trie_node *y)
{
	if (x->total != y->total || x->self != y->self || x->nchildren != y->nchildren)
		return false;
	for (uint32_t k = 0; k < x->nchildren; k++) {
		const struct trie_node *c = trie_children(x)[k];
		const struct trie_node *d = trie__child(b, y, c->name);

		if (!d || !same(c, b, d))
			return false;
	}
	return true;
}

static struct trie *model(const struct trie *src, uint32_t name,
			  void (*add)(void *, const struct trie_node *))
{
	struct model m = { trie__new(), name };

	CHECK(m.dst != NULL && views__sync_names(m.dst, src) == 0);
	each_node(trie__root(src), add, &m);
	return m.dst;
}

static void check_same(const struct trie *built, const struct trie *want, const char *what,
		       int round, uint32_t name)
{
	bool ok = same(trie__root(built), want, trie__root(want));

	if (!ok)
		fprintf(stderr, "%s differs from the model: round %d, name %u\n", what, round,
			name);
	CHECK(ok);
	CHECK_EQ_U64(trie__nodes(built), trie__nodes(want));
}

static void test_against_model(void)
{
	struct trie *v = trie__new();

	for (int round = 0; round < 60; round++) {
		/* small alphabets recurse a lot; the big rounds make groups past the insertion
		 * sort (radix, name ids past one byte) and wide nodes (the trie's hash) */
		uint32_t names = round < 20 ? 3 + (uint32_t)round % 4 : round < 40 ? 40 : 300;
		struct trie *src = random_trie(round < 40 ? 30 : 2000, names, round % 2 ? 12 : 6);
		struct trie *want;
		uint64_t self;

		if (round % 5 == 0) /* samples on the root itself (a stack of no frames) */
			CHECK(trie__add(src, NULL, 0, 3) == 0);
		want = model(src, 0, add_reversed);
		CHECK(views__bottom_up(v, src) == 0);
		check_same(v, want, "bottom-up", round, 0);
		trie__free(want);
		for (uint32_t name = 0; name < trie__names(src); name += names > 40 ? 37 : 1) {
			want = model(src, name, add_callers);
			CHECK(views__callers(v, src, name) == 0);
			check_same(v, want, "callers", round, name);
			trie__free(want);
			want = model(src, name, add_callees);
			CHECK(views__callees(v, src, name, &self) == 0);
			check_same(v, want, "callees", round, name);
			/* the sandwich's self, counted while making the callees */
			CHECK_EQ_U64(self, views__self(src, name));
			trie__free(want);
		}
		trie__free(src);
	}
	trie__free(v);
}

/* no node of t below n is without samples */
static bool none_empty(const struct trie_node *n)
{
	for (uint32_t k = 0; k < n->nchildren; k++)
		if (!trie_children(n)[k]->total || !none_empty(trie_children(n)[k]))
			return false;
	return true;
}

/* v, built under a limit of max nodes, holds the samples of `full`, built without one */
static void check_bounded(struct trie *v, const struct trie *src, size_t max,
			  const struct trie *full)
{
	uint64_t total = trie__total(full);

	CHECK_EQ_U64(trie__total(v), total);
	CHECK(trie__nodes(v) <= max + 1); /* the [overflow] frame may come on top */
	CHECK(none_empty(trie__root(v)));
	CHECK_EQ_U64(trie__names(v), trie__names(src));
}

static void test_bounded_model(void)
{
	for (size_t max = 2; max < 400; max = max * 3 / 2 + 1) {
		struct trie *src = random_trie(300, 8, 10), *v = trie__new(), *full = trie__new();
		uint32_t f0 = 0;
		uint64_t self;

		trie__set_max_nodes(v, max);
		CHECK(views__bottom_up(v, src) == 0);
		CHECK(views__bottom_up(full, src) == 0);
		check_bounded(v, src, max, full);
		CHECK(trie__overflowed(v) > 0);
		while (f0 < trie__names(src) && strcmp(trie__name(src, f0), "f0"))
			f0++;
		CHECK(views__callers(v, src, f0) == 0);
		CHECK(views__callers(full, src, f0) == 0);
		check_bounded(v, src, max, full);
		CHECK(views__callees(v, src, f0, &self) == 0);
		CHECK_EQ_U64(self, views__self(src, f0)); /* the profile summed: some overflowed */
		CHECK(views__callees(full, src, f0, NULL) == 0);
		check_bounded(v, src, max, full);
		trie__free(full);
		trie__free(v);
		trie__free(src);
	}
}

int main(void)
{
	test_against_model();
	test_bounded_model();
	return check_done();
}
