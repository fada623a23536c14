// SPDX-License-Identifier: MIT
/*
 * Trie -> rectangles. Every column boundary is computed from a cumulative sample offset
 * relative to the zoom root (col = round(offset * width / total)), so siblings tile their parent
 * exactly: no cell is counted twice or lost to rounding. Siblings narrower than one cell are
 * grouped into runs that become a single "merged" rect, so small frames show up as a shaded
 * remainder instead of vanishing. The walk is iterative: hostile input can nest very deep.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "../grow.h"

struct pending {
	const struct trie_node *node;
	uint64_t off; /* sample offset of the node's left edge from the zoom root's */
};

struct layout {
	struct layout_rect *rects; /* owned; sorted by (depth, col) after an update */
	size_t n, cap;
	size_t *level_start; /* owned; levels + 1 entries into rects */
	size_t level_cap;
	uint32_t levels;
	int width;
	struct pending *stack; /* owned scratch for the walk */
	size_t stack_cap;
	/* layout__update_run: the zoom's children shown (sorted name ids), or NULL for all */
	const uint32_t *only;
	size_t nonly;
	uint64_t total; /* samples across the width */
};

struct layout *layout__new(void)
{
	return calloc(1, sizeof(struct layout));
}

struct layout *layout__free(struct layout *l)
{
	if (!l)
		return NULL;
	free(l->rects);
	free(l->level_start);
	free(l->stack);
	free(l);
	return NULL;
}

static int emit(struct layout *l, const struct layout_rect *r)
{
	if (grow_array((void **)&l->rects, &l->cap, l->n + 1, sizeof(*l->rects)))
		return -ENOMEM;
	l->rects[l->n++] = *r;
	return 0;
}

/* round(off * width / total) without overflow; monotonic in off, which is what tiling needs. */
static int col_of(uint64_t off, int width, uint64_t total)
{
	unsigned __int128 x = (unsigned __int128)off * (unsigned)width * 2 + total;

	return (int)(x / ((unsigned __int128)total * 2));
}

static int cmp_rect(const void *a, const void *b)
{
	const struct layout_rect *x = a, *y = b;

	if (x->depth != y->depth)
		return (x->depth > y->depth) - (x->depth < y->depth);
	return (x->col > y->col) - (x->col < y->col);
}

static int push(struct layout *l, size_t *sp, const struct trie_node *node, uint64_t off)
{
	if (grow_array((void **)&l->stack, &l->stack_cap, *sp + 1, sizeof(*l->stack)))
		return -ENOMEM;
	l->stack[*sp].node = node;
	l->stack[*sp].off = off;
	(*sp)++;
	return 0;
}

/* Emits a run of narrow siblings: one merged rect, or the node itself if it is alone. */
static int flush_run(struct layout *l, size_t *sp, const struct trie_node *first, uint32_t nrun,
		     uint64_t off, uint64_t sum, uint64_t total)
{
	struct layout_rect r = { .node = first, .samples = sum, .depth = first->depth };
	int c0 = col_of(off, l->width, total), c1 = col_of(off + sum, l->width, total);

	if (c1 <= c0)
		return 0; /* less than half a cell in all: nothing to draw */
	r.col = c0;
	r.width = c1 - c0;
	if (nrun > 1) {
		r.flags = LAYOUT_MERGED;
		r.nmerged = nrun;
		return emit(l, &r);
	}
	if (emit(l, &r))
		return -ENOMEM;
	return push(l, sp, first, off);
}

static bool shown(const struct layout *l, const struct trie_node *parent,
		  const struct trie_node *zoom, uint32_t name)
{
	size_t lo = 0, hi = l->nonly;

	if (!l->only || parent != zoom)
		return true;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->only[mid] == name)
			return true;
		if (l->only[mid] < name)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int walk(struct layout *l, const struct trie_node *zoom)
{
	uint64_t total = l->total;
	size_t sp = 0;

	if (push(l, &sp, zoom, 0))
		return -ENOMEM;
	while (sp) {
		struct pending top = l->stack[--sp];
		const struct trie_node *n = top.node, *first = NULL;
		uint64_t cum = top.off, run_off = 0, run_sum = 0;
		uint32_t nrun = 0;

		for (uint32_t i = 0; i < n->nchildren; i++) {
			const struct trie_node *c = trie_children(n)[i];
			struct layout_rect r = { .node = c, .samples = c->total, .depth = c->depth };

			if (!c->total || !shown(l, n, zoom, c->name))
				continue;
			/* Narrower than one cell: collect it into the current run. */
			if ((unsigned __int128)c->total * (unsigned)l->width < total) {
				if (!nrun++) {
					first = c;
					run_off = cum;
					run_sum = 0;
				}
				run_sum += c->total;
				cum += c->total;
				continue;
			}
			if (nrun && flush_run(l, &sp, first, nrun, run_off, run_sum, total))
				return -ENOMEM;
			nrun = 0;
			r.col = col_of(cum, l->width, total);
			r.width = col_of(cum + c->total, l->width, total) - r.col;
			if (emit(l, &r) || push(l, &sp, c, cum))
				return -ENOMEM;
			cum += c->total;
		}
		if (nrun && flush_run(l, &sp, first, nrun, run_off, run_sum, total))
			return -ENOMEM;
	}
	return 0;
}

int layout__update(struct layout *l, const struct trie *t, const struct trie_node *zoom,
		   int width)
{
	return layout__update_run(l, t, zoom, NULL, 0, width);
}

int layout__update_run(struct layout *l, const struct trie *t, const struct trie_node *zoom,
		       const uint32_t *names, size_t nnames, int width)
{
	const struct trie_node *a;

	l->n = 0;
	l->levels = 0;
	l->width = width > 0 ? width : 0;
	if (!zoom)
		zoom = trie__root(t);
	l->only = names;
	l->nonly = nnames;
	l->total = zoom->total;
	if (names) {
		l->total = 0;
		for (uint32_t i = 0; i < zoom->nchildren; i++)
			if (shown(l, zoom, zoom, trie_children(zoom)[i]->name))
				l->total += trie_children(zoom)[i]->total;
	}
	if (!l->width || !trie__root(t)->total)
		goto index;
	for (a = zoom; a; a = a->parent) {
		struct layout_rect r = { .node = a, .samples = a->total, .depth = a->depth,
					 .width = l->width };

		r.flags = a == zoom ? (a->parent ? LAYOUT_ZOOM : 0) : LAYOUT_DIMMED;
		if (emit(l, &r))
			return -ENOMEM;
	}
	if (l->total && walk(l, zoom))
		return -ENOMEM;
index:
	/* an empty trie leaves rects NULL, which qsort must not be given even for 0 items */
	if (l->n > 1)
		qsort(l->rects, l->n, sizeof(*l->rects), cmp_rect);
	l->levels = l->n ? l->rects[l->n - 1].depth + 1 : 0;
	if (grow_array((void **)&l->level_start, &l->level_cap, (size_t)l->levels + 1,
		 sizeof(*l->level_start)))
		return -ENOMEM;
	for (size_t i = 0, d = 0; d <= l->levels; d++) {
		while (i < l->n && l->rects[i].depth < d)
			i++;
		l->level_start[d] = i;
	}
	return 0;
}

uint64_t layout__total(const struct layout *l)
{
	return l->total;
}

size_t layout__count(const struct layout *l)
{
	return l->n;
}

const struct layout_rect *layout__rect(const struct layout *l, size_t i)
{
	return i < l->n ? &l->rects[i] : NULL;
}

uint32_t layout__levels(const struct layout *l)
{
	return l->levels;
}

int layout__width(const struct layout *l)
{
	return l->width;
}

long layout__hit(const struct layout *l, uint32_t depth, int col)
{
	size_t lo, hi;

	if (depth >= l->levels)
		return -1;
	lo = l->level_start[depth];
	hi = l->level_start[depth + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct layout_rect *r = &l->rects[mid];

		if (col < r->col)
			hi = mid;
		else if (col >= r->col + r->width)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

long layout__find(const struct layout *l, const struct trie_node *node, bool merged)
{
	if (!node || node->depth >= l->levels)
		return -1;
	for (size_t i = l->level_start[node->depth]; i < l->level_start[node->depth + 1]; i++)
		if (l->rects[i].node == node && !(l->rects[i].flags & LAYOUT_MERGED) == !merged)
			return (long)i;
	return -1;
}

long layout__neighbour(const struct layout *l, size_t i, int dir)
{
	size_t j;

	if (i >= l->n || !dir)
		return -1;
	if (dir < 0) {
		if (i == 0)
			return -1;
		j = i - 1;
	} else {
		j = i + 1;
	}
	return j < l->n && l->rects[j].depth == l->rects[i].depth ? (long)j : -1;
}

long layout__widest_child(const struct layout *l, size_t i)
{
	const struct layout_rect *p;
	long best = -1;
	bool best_merged = true;

	if (i >= l->n || (l->rects[i].flags & LAYOUT_MERGED))
		return -1;
	p = &l->rects[i];
	if (p->depth + 1 >= l->levels)
		return -1;
	for (size_t j = l->level_start[p->depth + 1]; j < l->level_start[p->depth + 2]; j++) {
		const struct layout_rect *c = &l->rects[j];
		bool merged = c->flags & LAYOUT_MERGED;

		if (c->node->parent != p->node)
			continue;
		/* A real frame beats a merged run; among equals the most samples win. */
		if (best < 0 || (best_merged && !merged) ||
		    (merged == best_merged && c->samples > l->rects[best].samples)) {
			best = (long)j;
			best_merged = merged;
		}
	}
	return best;
}

int layout__screen_row(uint32_t depth, uint32_t scroll, int height, bool inverted)
{
	uint32_t k;

	if (height <= 0 || depth < scroll)
		return -1;
	k = depth - scroll;
	if (k >= (uint32_t)height)
		return -1;
	return inverted ? (int)k : height - 1 - (int)k;
}

uint32_t layout__row_depth(int y, uint32_t scroll, int height, bool inverted)
{
	uint32_t k;

	if (y < 0 || y >= height)
		return UINT32_MAX;
	k = inverted ? (uint32_t)y : (uint32_t)(height - 1 - y);
	if (k > UINT32_MAX - 1 - scroll)
		return UINT32_MAX;
	return scroll + k;
}

uint32_t layout__clamp_scroll(uint32_t levels, int height, uint32_t scroll)
{
	if (height <= 0 || levels <= (uint32_t)height)
		return 0;
	return scroll > levels - (uint32_t)height ? levels - (uint32_t)height : scroll;
}

uint32_t layout__scroll_to(uint32_t levels, int height, uint32_t scroll, uint32_t depth)
{
	if (height <= 0)
		return 0;
	if (depth < scroll)
		scroll = depth;
	else if (depth - scroll >= (uint32_t)height)
		scroll = depth - (uint32_t)height + 1;
	return layout__clamp_scroll(levels, height, scroll);
}
