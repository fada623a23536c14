// SPDX-License-Identifier: MIT
/*
 * The derived views (see views.h). Each builder walks the source trie once for the stacks it
 * takes (the entries), then makes each destination node from the entries through it; by-binary
 * still adds whole stacks with trie__add(). Either way a node's total is the sum of the samples
 * of the stacks through it, exactly.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
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
			const struct trie_node *c = trie_children(cur)[pos.v[depth]++];

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

/*
 * Bottom-up, callers and callees are built a destination node at a time: each node is made
 * once, from every stack (entry) that goes through it, so no stack is looked up from the root
 * and no lookup in the destination is needed at all. The entries of one node are sorted by
 * their next frame, each run of equal frames becomes one child with the run's samples, and the
 * run is that child's entries (depth first, so the nodes come out in pre-order). A million-node
 * trie took 120 ms as one trie__add() per stack, which looked up each of its frames in turn.
 */
struct ent {
	union {
		uint64_t w;		   /* climbing: the samples */
		const struct trie_node *p; /* descending: the source node of the next frame */
	};
	uint32_t key; /* the next frame's sort key */
	uint32_t at;  /* climbing: the next frame's source node, its index in builder.up */
};
/* 16 bytes: a bottom-up view of a profile with self samples on most of its 10M nodes holds
 * that many entries, twice while sorting the first level */
_Static_assert(sizeof(struct ent) == 16, "struct ent grew");

/* A source node seen by walk_up(): its parent's index (UP_ROOT for the root) and name. */
struct up {
	uint32_t parent, name;
};
#define UP_ROOT UINT32_MAX

struct ents {
	struct ent *v;
	size_t n, cap;
};

static int ents_reserve(struct ents *a, size_t n)
{
	return grow_array((void **)&a->v, &a->cap, n, sizeof(*a->v));
}

static int ents_push(struct ents *a, const struct trie_node *p, uint32_t key)
{
	if (ents_reserve(a, a->n + 1))
		return -ENOMEM;
	a->v[a->n++] = (struct ent){ .p = p, .key = key };
	return 0;
}

/* Sorts e[0..n) by key: insertion sort when few, else LSD radix on the key's bytes in use;
 * tmp holds n. */
static void sort_ents(struct ent *e, size_t n, struct ent *tmp)
{
	struct ent *from = e, *to = tmp;
	uint32_t bits = 0;

	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			struct ent x = e[i];
			size_t j = i;

			for (; j > 0 && e[j - 1].key > x.key; j--)
				e[j] = e[j - 1];
			e[j] = x;
		}
		return;
	}
	for (size_t i = 0; i < n; i++)
		bits |= e[i].key;
	for (unsigned shift = 0; shift < 32 && (bits >> shift); shift += 8) {
		size_t count[256] = { 0 }, at = 0;

		for (size_t i = 0; i < n; i++)
			count[(from[i].key >> shift) & 255]++;
		if (count[(from[0].key >> shift) & 255] == n)
			continue; /* one value in this byte: already in order */
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & 255]++] = from[i];
		to = from;
		from = from == e ? tmp : e;
	}
	if (from != e)
		memcpy(e, from, n * sizeof(*e));
}

/* A destination node and its entries [a, b); `next` is the first not made into a child yet. */
struct frame {
	struct trie_node *d; /* NULL: the root */
	size_t a, b, next;
};

struct builder {
	struct trie *dst;
	struct ents e, tmp;
	struct frame *frames;
	size_t nframes, frames_cap;
	struct up *up; /* the source nodes walked, in pre-order; the root is 0 */
	size_t nup, up_cap;
	bool overflowed; /* nodes were refused at the limit: empty ones may be left */
	uint32_t name;	 /* callers, callees: the function */
	uint64_t name_self; /* callees: its self samples in the nodes made */
};

static int push_frame(struct builder *bd, struct trie_node *d, size_t a, size_t b)
{
	if (grow_array((void **)&bd->frames, &bd->frames_cap, bd->nframes + 1, sizeof(*bd->frames)))
		return -ENOMEM;
	bd->frames[bd->nframes++] = (struct frame){ d, a, b, a };
	return 0;
}

static int sort_range(struct builder *bd, size_t a, size_t b)
{
	size_t same = a + 1;

	/* one frame for all (a sandwich's first level, a run of one caller): nothing to do, and
	 * no room to take for the radix sort */
	while (same < b && bd->e.v[same].key == bd->e.v[a].key)
		same++;
	if (same >= b)
		return 0;
	if (b - a > 32 && ents_reserve(&bd->tmp, b - a))
		return -ENOMEM;
	sort_ents(bd->e.v + a, b - a, bd->tmp.v);
	return 0;
}

/*
 * A new child of d named `name` with the samples of a run, or NULL. At the node limit the run's
 * samples leave d and its ancestors for the root's [overflow] frame (as trie__add() does with
 * a stack that does not fit), and bd->overflowed is set. *ret_rc: 0 or -ENOMEM.
 */
static struct trie_node *make_child(struct builder *bd, struct trie_node *d, uint32_t name,
				    uint64_t total, uint64_t self, int *ret_rc)
{
	struct trie_node *c = trie__add_child(bd->dst, d, name, total, self);

	*ret_rc = 0;
	if (c)
		return c;
	if (errno != ENOSPC) {
		*ret_rc = -ENOMEM;
		return NULL;
	}
	for (struct trie_node *n = d; n; n = n->parent)
		n->total -= total;
	bd->overflowed = true;
	*ret_rc = trie__add_overflow(bd->dst, total);
	return NULL;
}

/* The key of an entry whose next frame is source node `at`: 0 when the stack ended there (the
 * root). */
static uint32_t up_key(const struct builder *bd, uint32_t at)
{
	return at ? bd->up[at].name + 1 : 0;
}

/*
 * Callers and bottom-up: entries e[0..n) hold the innermost frame of the stacks to add reversed
 * (at) and their samples; each makes its way to the source's root, one frame per level. The
 * source is climbed in the compact pre-order copy walk_up() made, where a parent is usually
 * close before its children, not through the nodes themselves: those are scattered, and
 * chasing their parent pointers was most of the time.
 */
static int climb(struct builder *bd)
{
	int rc = 0;

	for (size_t i = 0; i < bd->e.n; i++)
		bd->e.v[i].key = up_key(bd, bd->e.v[i].at);
	if (bd->e.n && (rc = sort_range(bd, 0, bd->e.n)) == 0)
		rc = push_frame(bd, NULL, 0, bd->e.n);
	while (!rc && bd->nframes) {
		struct frame f = bd->frames[--bd->nframes];

		/* the entries are sorted: the ended stacks (key 0) first */
		for (; f.next < f.b && !bd->e.v[f.next].key; f.next++)
			if (f.d)
				f.d->self += bd->e.v[f.next].w;
		while (!rc && f.next < f.b) {
			size_t r = f.next;
			uint32_t key = bd->e.v[r].key;
			uint64_t w = 0;
			struct trie_node *c;

			for (; f.next < f.b && bd->e.v[f.next].key == key; f.next++)
				w += bd->e.v[f.next].w;
			c = make_child(bd, f.d, key - 1, w, 0, &rc);
			if (!c)
				continue;
			for (size_t i = r; i < f.next; i++) {
				bd->e.v[i].at = bd->up[bd->e.v[i].at].parent;
				bd->e.v[i].key = up_key(bd, bd->e.v[i].at);
			}
			if (f.next - r > 1)
				rc = sort_range(bd, r, f.next);
			if (!rc)
				rc = push_frame(bd, c, r, f.next);
		}
	}
	return rc;
}

/* Appends the children (with samples) of the source nodes of e[a, b) as entries. */
static int expand(struct builder *bd, size_t a, size_t b)
{
	for (size_t i = a; i < b; i++) {
		const struct trie_node *p = bd->e.v[i].p;

		for (uint32_t k = 0; k < p->nchildren; k++)
			if (trie_children(p)[k]->total &&
			    ents_push(&bd->e, trie_children(p)[k], trie_children(p)[k]->name))
				return -ENOMEM;
	}
	return 0;
}

/*
 * Callees: entries e[0..n) hold source nodes (p) whose subtrees are merged under the root;
 * each destination node's entries are the children of its run's source nodes.
 */
static int descend(struct builder *bd)
{
	int rc = 0;

	for (size_t i = 0; i < bd->e.n; i++)
		bd->e.v[i].key = bd->e.v[i].p->name;
	if (bd->e.n && (rc = sort_range(bd, 0, bd->e.n)) == 0)
		rc = push_frame(bd, NULL, 0, bd->e.n);
	while (!rc && bd->nframes) {
		struct frame *f = &bd->frames[bd->nframes - 1];
		struct trie_node *d = f->d, *c;
		size_t r = f->next, end;
		uint32_t key;
		uint64_t w = 0, self = 0;

		if (r == f->b) {
			bd->e.n = f->a; /* this node's entries are done with */
			bd->nframes--;
			continue;
		}
		key = bd->e.v[r].key;
		for (end = r; end < f->b && bd->e.v[end].key == key; end++) {
			w += bd->e.v[end].p->total;
			self += bd->e.v[end].p->self;
		}
		f->next = end;
		c = make_child(bd, d, key, w, self, &rc);
		if (!c)
			continue;
		if (key == bd->name)
			bd->name_self += self;
		end = bd->e.n;
		rc = expand(bd, r, f->next);
		if (!rc && bd->e.n > end)
			rc = sort_range(bd, end, bd->e.n);
		if (!rc && bd->e.n > end)
			rc = push_frame(bd, c, end, bd->e.n);
	}
	return rc;
}

static int collect_leaf(void *ctx, const struct trie_node *n)
{
	struct ents *empty = ctx;

	return !n->total && !n->nchildren ? ents_push(empty, n, 0) : 0;
}

/* After the limit was hit: frees the nodes whose every sample went to [overflow]. */
static int sweep(struct trie *dst)
{
	struct ents empty = { 0 };
	int rc = walk(trie__root(dst), collect_leaf, &empty);

	/* the nodes are dst's own, reached through a const view of it */
	for (size_t i = 0; !rc && i < empty.n; i++)
		trie__sub_node(dst, (struct trie_node *)empty.v[i].p, 0);
	free(empty.v);
	return rc;
}

static int build(struct builder *bd, int (*grow)(struct builder *), int rc)
{
	if (!rc && grow)
		rc = grow(bd);
	if (!rc && bd->overflowed)
		rc = sweep(bd->dst);
	free(bd->e.v);
	free(bd->tmp.v);
	free(bd->frames);
	free(bd->up);
	return rc;
}

/*
 * Pre-order walk of src recording each node in bd->up and calling visit with the node and its
 * index there; visit returns 1 to skip the node's subtree, 0 to descend, or a negative errno.
 */
typedef int (*visit_up_fn)(struct builder *bd, const struct trie_node *n, uint32_t at);

static int walk_up(struct builder *bd, const struct trie *src, visit_up_fn visit)
{
	const struct trie_node *cur = trie__root(src);
	struct ids pos = { 0 }, at = { 0 }; /* per depth: the next child, the node's index */
	size_t depth = 0;
	int rc = 0;

	if (trie__nodes(src) >= UP_ROOT || ids_reserve(&pos, 64) || ids_reserve(&at, 64) ||
	    grow_array((void **)&bd->up, &bd->up_cap, trie__nodes(src), sizeof(*bd->up))) {
		rc = -ENOMEM;
		goto out;
	}
	bd->up[0] = (struct up){ UP_ROOT, TRIE_NO_NAME };
	bd->nup = 1;
	pos.v[0] = at.v[0] = 0;
	for (;;) {
		if (pos.v[depth] < cur->nchildren) {
			const struct trie_node *c = trie_children(cur)[pos.v[depth]++];
			uint32_t i = (uint32_t)bd->nup++;

			bd->up[i] = (struct up){ at.v[depth], c->name };
			rc = visit(bd, c, i);
			if (rc < 0)
				break;
			if (rc > 0 || !c->nchildren)
				continue;
			if (ids_reserve(&pos, depth + 2) || ids_reserve(&at, depth + 2)) {
				rc = -ENOMEM;
				break;
			}
			cur = c;
			pos.v[++depth] = 0;
			at.v[depth] = i;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		depth--;
	}
out:
	free(pos.v);
	free(at.v);
	return rc < 0 ? rc : 0;
}

static int push_at(struct builder *bd, uint32_t at, uint64_t w)
{
	if (ents_reserve(&bd->e, bd->e.n + 1))
		return -ENOMEM;
	bd->e.v[bd->e.n++] = (struct ent){ .at = at, .w = w };
	return 0;
}

static int visit_self_seed(struct builder *bd, const struct trie_node *n, uint32_t at)
{
	return n->self ? push_at(bd, at, n->self) : 0;
}

/* The outermost occurrences of the name: its total covers every stack below it, recursive
 * ones included, so the subtree is skipped and each stack counts once. */
static int visit_caller_seed(struct builder *bd, const struct trie_node *n, uint32_t at)
{
	if (n->name != bd->name || !n->total)
		return 0;
	return push_at(bd, at, n->total) ? -ENOMEM : 1;
}

struct seeds {
	struct builder *bd;
	uint32_t name;
};

static int visit_callee_seed(void *ctx, const struct trie_node *n)
{
	struct seeds *s = ctx;

	if (n->name != s->name || !n->total)
		return 0;
	return ents_push(&s->bd->e, n, 0) ? -ENOMEM : 1;
}

static int begin_build(struct builder *bd, struct trie *dst, const struct trie *src)
{
	*bd = (struct builder){ .dst = dst };
	trie__clear(dst);
	return views__sync_names(dst, src);
}

int views__bottom_up(struct trie *dst, const struct trie *src)
{
	struct builder bd;
	int rc = begin_build(&bd, dst, src);

	if (!rc && trie__root(src)->self)
		rc = trie__add(dst, NULL, 0, trie__root(src)->self);
	if (!rc)
		rc = walk_up(&bd, src, visit_self_seed);
	return build(&bd, climb, rc);
}

int views__callers(struct trie *dst, const struct trie *src, uint32_t name)
{
	struct builder bd;
	int rc = begin_build(&bd, dst, src);

	bd.name = name;
	if (!rc)
		rc = walk_up(&bd, src, visit_caller_seed);
	return build(&bd, climb, rc);
}

int views__callees(struct trie *dst, const struct trie *src, uint32_t name, uint64_t *ret_self)
{
	struct builder bd;
	struct seeds s = { &bd, name };
	int rc = begin_build(&bd, dst, src);

	bd.name = name;
	if (!rc)
		rc = walk(trie__root(src), visit_callee_seed, &s);
	if (!rc)
		rc = descend(&bd);
	/* every node of the function is under its outermost occurrence, so in the nodes made,
	 * unless some went to [overflow] */
	if (!rc && ret_self)
		*ret_self = bd.overflowed ? views__self(src, name) : bd.name_self;
	return build(&bd, NULL, rc);
}

struct by_binary {
	struct trie *dst;
	struct ids stack;
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
	if (ids_reserve(&bb->stack, k))
		return -ENOMEM;
	bb->stack.n = k;
	for (const struct trie_node *p = n; p->parent; p = p->parent)
		bb->stack.v[--k] = p->name;
	bb->stack.v[0] = bb->frames[m < bb->nframes ? m : TRIE_MODULE_NONE];
	return trie__add(bb->dst, bb->stack.v, bb->stack.n, n->self);
}

int views__by_binary(struct trie *dst, const struct trie *src, const uint32_t *frames,
		     size_t nframes)
{
	struct by_binary bb = { .dst = dst, .src = src, .frames = frames, .nframes = nframes };
	int rc = -EINVAL;

	if (nframes) {
		trie__clear(dst);
		rc = views__sync_names(dst, src);
	}

	if (!rc && trie__root(src)->self)
		rc = trie__add(dst, &frames[TRIE_MODULE_NONE], 1, trie__root(src)->self);
	if (!rc)
		rc = walk(trie__root(src), visit_binary, &bb);
	free(bb.stack.v);
	return rc;
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
