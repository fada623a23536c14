// SPDX-License-Identifier: MIT
/*
 * The flame graph's keys: moving the selection, zooming in and out, scrolling, and n/N over
 * the search's matches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "view_impl.h"

int view_select_rect(struct view *v, long i)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)i);

	if (!r)
		return 0;
	if (path__set(&v->sel, r->node))
		return -ENOMEM;
	v->sel_merged = r->flags & LAYOUT_MERGED;
	v->sel_rect = i;
	v->scroll = layout__scroll_to(layout__levels(v->lay), view_graph_height(v), v->scroll,
				      r->depth);
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int zoom_push(struct view *v, const struct trie_node *node)
{
	if (v->nzoom == v->zcap) {
		size_t cap = v->zcap ? v->zcap * 2 : 8;
		struct path *z = realloc(v->zooms, cap * sizeof(*z));

		if (!z)
			return -ENOMEM;
		memset(z + v->zcap, 0, (cap - v->zcap) * sizeof(*z));
		v->zooms = z;
		v->zcap = cap;
	}
	if (path__set(&v->zooms[v->nzoom], node))
		return -ENOMEM;
	v->zooms[v->nzoom].nrun = 0;
	v->nzoom++;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Whether name is one of a zoom's run (all children when it has none). */
static bool in_run(const struct path *z, uint32_t name)
{
	return !z || !z->nrun || bsearch(&name, z->run, z->nrun, sizeof(name), cmp_u32);
}

/*
 * Enter on a merged run of siblings: zoom into the range it stands for, i.e. its parent with
 * only the run's frames laid out across the whole width (each then has room, or merges again
 * into a smaller run to zoom into). The widest of them is selected.
 */
static int zoom_run(struct view *v, const struct layout_rect *r)
{
	const struct trie_node *p = r->node->parent, *best = r->node;
	/* the zoom it is in may be a run of the same parent already: the new one is part of it */
	size_t below = v->nzoom && v->zoom == p ? v->nzoom : 0;
	const struct path *outer;
	struct path *z;
	uint32_t i = 0, k = 0;

	if (zoom_push(v, p))
		return -ENOMEM;
	z = &v->zooms[v->nzoom - 1];
	outer = below ? &v->zooms[below - 1] : NULL;
	if (r->nmerged > z->run_cap) {
		uint32_t *run = realloc(z->run, r->nmerged * sizeof(*run));

		if (!run) {
			v->nzoom--;
			return -ENOMEM;
		}
		z->run = run;
		z->run_cap = r->nmerged;
	}
	while (i < p->nchildren && trie_children(p)[i] != r->node)
		i++;
	/* the run's frames as the layout took them: with samples, and in the outer run if any */
	for (; i < p->nchildren && k < r->nmerged; i++) {
		const struct trie_node *c = trie_children(p)[i];

		if (!c->total || !in_run(outer, c->name))
			continue;
		z->run[k++] = c->name;
		if (c->total > best->total)
			best = c;
	}
	z->nrun = k;
	qsort(z->run, k, sizeof(*z->run), cmp_u32);
	if (path__set(&v->sel, best))
		return -ENOMEM;
	v->sel_merged = false;
	v->scroll = 0;
	v->stale = true;
	view_msg(v, "%s", "zoomed into the merged frames (Esc: back)");
	return VIEW_HANDLED | VIEW_REDRAW;
}

int view_zoom_in(struct view *v)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);

	if (r && (r->flags & LAYOUT_MERGED) && r->node->parent)
		return zoom_run(v, r);
	if (!r || r->node == v->zoom)
		return VIEW_HANDLED;
	if (r->flags & LAYOUT_DIMMED) {
		/* An ancestor: unwind the zoom stack to it rather than stacking it on top. */
		while (v->nzoom && v->zooms[v->nzoom - 1].n > r->node->depth)
			v->nzoom--;
		if (r->node->parent && (!v->nzoom || v->zooms[v->nzoom - 1].n < r->node->depth) &&
		    zoom_push(v, r->node))
			return -ENOMEM;
	} else if (zoom_push(v, r->node)) {
		return -ENOMEM;
	}
	v->scroll = 0;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int zoom_out(struct view *v)
{
	if (!v->nzoom)
		return v->kind != KIND_GRAPH ? view_leave(v) : VIEW_HANDLED;
	v->nzoom--;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/*
 * Visits every node of t in pre-order (the root first) until visit() returns false. An
 * explicit stack, no recursion: stacks can be thousands of frames deep. Out of memory ends the
 * walk early.
 */
static void preorder(const struct trie *t, bool (*visit)(const struct trie_node *n, void *ctx),
		     void *ctx)
{
	const struct trie_node **stack;
	size_t sp = 0, cap = 64;

	stack = malloc(cap * sizeof(*stack));
	if (!stack)
		return;
	stack[sp++] = trie__root(t);
	/* pushed children in reverse pop in order */
	while (sp) {
		const struct trie_node *cur = stack[--sp];

		if (!visit(cur, ctx))
			break;
		if (sp + cur->nchildren > cap) {
			size_t ncap = (sp + cur->nchildren) * 2;
			const struct trie_node **ns = realloc(stack, ncap * sizeof(*ns));

			if (!ns)
				break;
			stack = ns;
			cap = ncap;
		}
		for (uint32_t i = cur->nchildren; i-- > 0;)
			stack[sp++] = trie_children(cur)[i];
	}
	free(stack);
}

struct next_match {
	struct view *v;
	const struct trie_node *from, *first, *last, *before, *after;
	int dir;
	bool passed;
};

static bool visit_match(const struct trie_node *cur, void *ctx)
{
	struct next_match *m = ctx;

	if (cur == m->from)
		m->passed = true;
	else if (cur->parent && cur->total && search__match(m->v->search, cur->name)) {
		if (!m->first)
			m->first = cur;
		m->last = cur;
		if (!m->passed)
			m->before = cur;
		else if (!m->after)
			m->after = cur;
	}
	return m->dir > 0 ? m->after == NULL : !(m->passed && m->before);
}

/*
 * The matching node after (dir > 0) or before `from` in pre-order over the whole trie,
 * wrapping; `from` itself when it is the only match; NULL when nothing matches. Narrow frames
 * and frames outside the zoom count too.
 */
static const struct trie_node *next_match_node(struct view *v, const struct trie_node *from,
					       int dir)
{
	struct next_match m = { .v = v, .from = from, .dir = dir };

	preorder(v->t, visit_match, &m);
	if (!m.first && from && from->parent && from->total &&
	    search__match(v->search, from->name))
		return from; /* the only match: "no match" would say there is none */
	if (dir > 0)
		return m.after ? m.after : m.first;
	return m.before ? m.before : m.last;
}

/* Selects node, zooming (into its parent, else itself) when it has no rect of its own. */
static int reveal(struct view *v, const struct trie_node *node)
{
	int rc;

	if (layout__find(v->lay, node, false) < 0) {
		v->nzoom = 0;
		if (node->parent && node->parent->parent && zoom_push(v, node->parent))
			return -ENOMEM;
		v->stale = true;
		if (view_prepare(v))
			return -ENOMEM;
		if (layout__find(v->lay, node, false) < 0 && zoom_push(v, node))
			return -ENOMEM;
		v->scroll = 0;
		view_msg(v, "%s", "zoomed to show the match (r: reset)");
	}
	if (path__set(&v->sel, node))
		return -ENOMEM;
	v->sel_merged = false;
	v->stale = true;
	rc = view_prepare(v);
	return rc ? rc : VIEW_HANDLED | VIEW_REDRAW;
}

struct hottest {
	uint32_t name;
	const struct trie_node *best;
};

static bool visit_hottest(const struct trie_node *cur, void *ctx)
{
	struct hottest *h = ctx;

	if (cur->parent && cur->name == h->name && cur->total &&
	    (!h->best || cur->total > h->best->total))
		h->best = cur;
	return true;
}

int view_reveal_name(struct view *v, uint32_t name)
{
	/* the node of that name with the most samples (the first in pre-order among equals) */
	struct hottest h = { .name = name };

	if (view_prepare(v))
		return -ENOMEM;
	preorder(v->t, visit_hottest, &h);
	return h.best ? reveal(v, h.best) : VIEW_HANDLED | VIEW_REDRAW;
}

int view_scroll_by(struct view *v, long rows)
{
	long s = (long)v->scroll + rows;

	v->scroll = layout__clamp_scroll(layout__levels(v->lay), view_graph_height(v),
					 s < 0 ? 0 : (uint32_t)s);
	return VIEW_HANDLED | VIEW_REDRAW;
}

int view_graph_key(struct view *v, int key)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	bool up = key == TK_UP || key == 'w' || key == 'k';
	bool down = key == TK_DOWN || key == 's' || key == 'j';

	if (up || down) {
		/* Visually up is toward the leaves unless the graph is upside down. */
		bool to_child = up != v->inverted;

		if (!r)
			return VIEW_HANDLED;
		if (to_child)
			return view_select_rect(v, layout__widest_child(v->lay, (size_t)v->sel_rect));
		return r->node->parent ? view_select_rect(v, layout__find(v->lay, r->node->parent, false)) :
					 VIEW_HANDLED;
	}
	switch (key) {
	case TK_LEFT:
	case 'a':
		return r ? view_select_rect(v, layout__neighbour(v->lay, (size_t)v->sel_rect, -1)) :
			   VIEW_HANDLED;
	case TK_RIGHT:
	case 'd':
		return r ? view_select_rect(v, layout__neighbour(v->lay, (size_t)v->sel_rect, 1)) :
			   VIEW_HANDLED;
	case TK_ENTER:
		return view_zoom_in(v);
	case TK_ESC:
		if (search__active(v->search)) {
			search__clear(v->search);
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return zoom_out(v);
	case TK_BACKSPACE:
		return zoom_out(v);
	case 'r':
		/* back to the start: no zoom, and the selection on the root again */
		v->nzoom = 0;
		v->scroll = 0;
		v->sel.n = 0;
		v->sel_merged = false;
		v->stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'i':
		if (view_sandwiched(v)) {
			view_msg(v, "%s", "a sandwich keeps callers above and callees below");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		v->inverted = !v->inverted;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'o':
		v->order = v->order == TRIE_ORDER_NAME ? TRIE_ORDER_SAMPLES : TRIE_ORDER_NAME;
		v->stale = true;
		view_msg(v, "siblings ordered by %s",
			v->order == TRIE_ORDER_NAME ? "name" : "samples");
		return VIEW_HANDLED | VIEW_REDRAW;
	case '/':
		view_start_prompt(v, PROMPT_SEARCH);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'n':
	case 'N': {
		const struct trie_node *m;

		if (!search__active(v->search)) {
			view_msg(v, "%s", "no search (press /)");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		/* in pre-order over the whole profile, so narrow and zoomed-out matches count */
		m = next_match_node(v, r ? r->node : NULL, key == 'n' ? 1 : -1);
		if (!m) {
			view_msg(v, "%s", "no match");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		if (r && m == r->node) {
			view_msg(v, "%s", "the only match");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return reveal(v, m);
	}
	case TK_PGUP:
		return view_scroll_by(v, v->inverted ? -(view_graph_height(v) - 1) : view_graph_height(v) - 1);
	case TK_PGDN:
		return view_scroll_by(v, v->inverted ? view_graph_height(v) - 1 : -(view_graph_height(v) - 1));
	case 't':
	case TK_TAB:
		v->table_mode = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'B':
		if (!v->info || !v->info->diff)
			return 0;
		v->info->diff->by_total = !v->info->diff->by_total;
		view_msg(v, "diff: colours by the change of %s samples",
			v->info->diff->by_total ? "total" : "self");
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'e':
		if (!v->info || !v->info->write)
			return 0;
		view_start_prompt(v, PROMPT_EXPORT);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'f':
		if (!r || !r->node->parent || (r->flags & LAYOUT_MERGED))
			return VIEW_HANDLED;
		v->show_name = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'y':
		return view_copy_name(v, r);
	case 'L':
		return view_lines_open(v, r && r->node->parent && !(r->flags & LAYOUT_MERGED) ?
						   r->node->name : TRIE_NO_NAME);
	default:
		return view_kinds_key(v, key);
	}
}
