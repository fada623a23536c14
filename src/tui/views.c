// SPDX-License-Identifier: MIT
/*
 * The derived views (see views.h). Each builder is one pre-order walk of the source trie that
 * adds whole stacks to the destination with trie__add(), so the destination's totals are exact
 * by construction: a node's total is the sum of the stacks through it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "views.h"

int views__sync_names(struct trie *dst, const struct trie *src)
{
	size_t have = trie__names(dst), want = trie__names(src);

	/* a cheap spot check that dst was filled from src: equal lengths on a stride */
	for (size_t i = 0; i < have && i < want; i += have > 64 ? have / 64 : 1)
		if (trie__name_len(dst, (uint32_t)i) != trie__name_len(src, (uint32_t)i) ||
		    trie__kind(dst, (uint32_t)i) != trie__kind(src, (uint32_t)i))
			return -EINVAL;
	for (size_t i = have; i < want; i++) {
		uint32_t id = trie__intern_from(dst, src, (uint32_t)i);

		if (id == TRIE_NO_NAME)
			return -ENOMEM;
		if (id != i)
			return -EINVAL;
	}
	return 0;
}

/* A growable array of name ids or child positions. */
struct ids {
	uint32_t *v;
	size_t n, cap;
};

static int ids_reserve(struct ids *a, size_t n)
{
	if (n > a->cap) {
		size_t cap = a->cap ? a->cap : 64;
		uint32_t *v;

		while (cap < n)
			cap *= 2;
		v = realloc(a->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		a->v = v;
		a->cap = cap;
	}
	return 0;
}

/* The names of n and its ancestors (the root excluded) into out, n first. */
static int reversed_path(const struct trie_node *n, struct ids *out)
{
	if (ids_reserve(out, n->depth))
		return -ENOMEM;
	out->n = 0;
	for (; n->parent; n = n->parent)
		out->v[out->n++] = n->name;
	return 0;
}

/*
 * Pre-order walk of the subtree under `top` (top itself excluded) calling visit on each node.
 * visit returns 1 to skip the node's subtree, 0 to descend, or a negative errno to stop.
 */
typedef int (*visit_fn)(void *ctx, const struct trie_node *n);

static int walk(const struct trie_node *top, visit_fn visit, void *ctx)
{
	const struct trie_node *cur = top;
	struct ids pos = { 0 };
	size_t depth = 0;
	int rc = 0;

	if (ids_reserve(&pos, 64))
		return -ENOMEM;
	pos.v[0] = 0;
	for (;;) {
		if (pos.v[depth] < cur->nchildren) {
			const struct trie_node *c = cur->children[pos.v[depth]++];

			rc = visit(ctx, c);
			if (rc < 0)
				break;
			if (rc > 0 || !c->nchildren)
				continue;
			if (ids_reserve(&pos, depth + 2)) {
				rc = -ENOMEM;
				break;
			}
			cur = c;
			pos.v[++depth] = 0;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		depth--;
	}
	free(pos.v);
	return rc < 0 ? rc : 0;
}

struct build {
	struct trie *dst;
	uint32_t name;
	const struct trie_node *top; /* callees: the occurrence being copied */
	struct ids stack;
};

static int begin(struct build *b, struct trie *dst, const struct trie *src, uint32_t name)
{
	b->dst = dst;
	b->name = name;
	b->top = NULL;
	b->stack = (struct ids){ 0 };
	trie__clear(dst);
	return views__sync_names(dst, src);
}

static int finish(struct build *b, int rc)
{
	free(b->stack.v);
	return rc;
}

static int visit_bottom_up(void *ctx, const struct trie_node *n)
{
	struct build *b = ctx;

	if (!n->self)
		return 0;
	if (reversed_path(n, &b->stack))
		return -ENOMEM;
	return trie__add(b->dst, b->stack.v, b->stack.n, n->self);
}

int views__bottom_up(struct trie *dst, const struct trie *src)
{
	struct build b;
	int rc = begin(&b, dst, src, TRIE_NO_NAME);

	if (!rc && trie__root(src)->self)
		rc = trie__add(dst, NULL, 0, trie__root(src)->self);
	if (!rc)
		rc = walk(trie__root(src), visit_bottom_up, &b);
	return finish(&b, rc);
}

static int visit_callers(void *ctx, const struct trie_node *n)
{
	struct build *b = ctx;
	int rc;

	if (n->name != b->name || !n->total)
		return 0;
	/* The outermost occurrence: its total covers every stack below it, recursive ones
	 * included, so the subtree is skipped and each stack counts once. */
	if (reversed_path(n, &b->stack))
		return -ENOMEM;
	rc = trie__add(b->dst, b->stack.v, b->stack.n, n->total);
	return rc ? rc : 1;
}

int views__callers(struct trie *dst, const struct trie *src, uint32_t name)
{
	struct build b;
	int rc = begin(&b, dst, src, name);

	if (!rc)
		rc = walk(trie__root(src), visit_callers, &b);
	return finish(&b, rc);
}

/* Adds n's self samples as the path from b->top down to n, renamed to start at b->name. */
static int copy_self(void *ctx, const struct trie_node *n)
{
	struct build *b = ctx;
	size_t k;

	if (!n->self)
		return 0;
	k = n->depth - b->top->depth + 1;
	if (ids_reserve(&b->stack, k))
		return -ENOMEM;
	b->stack.n = k;
	for (const struct trie_node *p = n; p != b->top; p = p->parent)
		b->stack.v[--k] = p->name;
	b->stack.v[0] = b->name;
	return trie__add(b->dst, b->stack.v, b->stack.n, n->self);
}

static int visit_callees(void *ctx, const struct trie_node *n)
{
	struct build *b = ctx;
	int rc;

	if (n->name != b->name || !n->total)
		return 0;
	b->top = n;
	rc = copy_self(b, n);
	if (!rc)
		rc = walk(n, copy_self, b);
	return rc ? rc : 1;
}

int views__callees(struct trie *dst, const struct trie *src, uint32_t name)
{
	struct build b;
	int rc = begin(&b, dst, src, name);

	if (!rc)
		rc = walk(trie__root(src), visit_callees, &b);
	return finish(&b, rc);
}

struct by_binary {
	struct build b;
	const struct trie *src;
	const uint32_t *frames;
	size_t nframes;
};

static int visit_binary(void *ctx, const struct trie_node *n)
{
	struct by_binary *bb = ctx;
	uint16_t m = trie__module(bb->src, n->name);
	size_t k = n->depth + 1;

	if (!n->self)
		return 0;
	if (ids_reserve(&bb->b.stack, k))
		return -ENOMEM;
	bb->b.stack.n = k;
	for (const struct trie_node *p = n; p->parent; p = p->parent)
		bb->b.stack.v[--k] = p->name;
	bb->b.stack.v[0] = bb->frames[m < bb->nframes ? m : TRIE_MODULE_NONE];
	return trie__add(bb->b.dst, bb->b.stack.v, bb->b.stack.n, n->self);
}

int views__by_binary(struct trie *dst, const struct trie *src, const uint32_t *frames,
		     size_t nframes)
{
	struct by_binary bb = { .src = src, .frames = frames, .nframes = nframes };
	int rc = nframes ? begin(&bb.b, dst, src, TRIE_NO_NAME) : -EINVAL;

	if (!rc && trie__root(src)->self)
		rc = trie__add(dst, &frames[TRIE_MODULE_NONE], 1, trie__root(src)->self);
	if (!rc)
		rc = walk(trie__root(src), visit_binary, &bb);
	return finish(&bb.b, rc);
}

struct self_sum {
	uint32_t name;
	uint64_t self;
};

static int visit_self(void *ctx, const struct trie_node *n)
{
	struct self_sum *s = ctx;

	if (n->name == s->name)
		s->self += n->self;
	return 0;
}

uint64_t views__self(const struct trie *t, uint32_t name)
{
	struct self_sum s = { name, 0 };

	walk(trie__root(t), visit_self, &s);
	return s.self;
}
