// SPDX-License-Identifier: MIT
/*
 * The derived views (views.h): bottom-up and the two halves of a sandwich, entered and left
 * from the graph and the table, and built from the profile when either changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "views.h"
#include "view_impl.h"

/* The trie derived views are built from: the selected time range's graph, or the profile. */
static const struct trie *base_of(const struct view *v)
{
	return v->range ? v->range : v->src;
}

/*
 * The frames naming each binary of base, for the by-binary view: names of the profile (kind
 * FRAME_SPECIAL, so no sandwich of them), which a range's graph then learns too, so that every
 * trie involved keeps sharing the profile's name ids.
 */
static int binary_frames(struct view *v, const struct trie *base)
{
	size_t n = trie__modules(base);

	if (n > v->binframes_cap) {
		uint32_t *f = realloc(v->binframes, n * sizeof(*f));

		if (!f)
			return -ENOMEM;
		v->binframes = f;
		v->binframes_cap = n;
	}
	for (size_t m = 0; m < n; m++) {
		size_t len;
		const char *s = trie__module_name(base, (uint16_t)m, &len);

		v->binframes[m] = trie__intern(v->src, s, len, FRAME_SPECIAL);
		if (v->binframes[m] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	v->nbinframes = n;
	return v->range ? views__sync_names(v->range, v->src) : 0;
}

/* Rebuilds the derived trie from the profile (or the range) when either changed. */
int view_derive(struct view *v)
{
	const struct trie *base = base_of(v);
	int rc = 0;

	if (v->kind == KIND_GRAPH || !v->derived_stale)
		return 0;
	if (v->kind == KIND_BOTTOM_UP) {
		rc = views__bottom_up(v->derived, base);
	} else if (v->kind == KIND_BINARY) {
		rc = binary_frames(v, base);
		if (!rc)
			rc = views__by_binary(v->derived, base_of(v), v->binframes, v->nbinframes);
	} else {
		/* both halves: v->derived is the one the keys act on */
		bool up = v->kind == KIND_CALLERS;

		rc = views__callers(up ? v->derived : v->other, base, v->focus);
		if (!rc)
			rc = views__callees(up ? v->other : v->derived, base, v->focus,
					    &v->focus_self);
	}
	if (!rc)
		rc = view_diff_derive(v);
	v->derived_stale = false;
	return rc;
}

#define DERIVED_MAX_NODES ((size_t)10 * 1000 * 1000) /* the CLI's default --max-nodes */

/*
 * Switches the graph to another kind of view. Zoom starts over there; the graph's own selection
 * is kept to come back to. The derived trie is built by the next view_prepare().
 */
int view_enter(struct view *v, enum view_kind kind, uint32_t focus)
{
	size_t max = trie__max_nodes(v->src) ? trie__max_nodes(v->src) : DERIVED_MAX_NODES;

	if (!v->derived) {
		v->derived = trie__new();
		v->other = trie__new();
		v->other_lay = layout__new();
		if (!v->derived || !v->other || !v->other_lay)
			return -ENOMEM;
		/* A reversed profile can need more nodes than the profile (leaves do not share
		 * their callers): the same bound, with the rest counted in [overflow]. */
		trie__set_max_nodes(v->derived, max);
		trie__set_max_nodes(v->other, max);
	}
	if (v->kind == KIND_GRAPH) {
		struct path keep = v->graph_sel;

		v->graph_sel = v->sel;
		v->sel = keep;
		v->graph_inverted = v->inverted;
	}
	/* callers grow up from the function, callees hang down from it */
	if (kind == KIND_CALLERS || kind == KIND_CALLEES)
		v->inverted = kind == KIND_CALLEES;
	else
		v->inverted = v->graph_inverted;
	v->sel.n = 0;
	v->sel_merged = false;
	v->kind = kind;
	v->focus = focus;
	v->t = v->derived;
	v->nzoom = 0;
	v->scroll = 0;
	v->stale = v->derived_stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

int view_leave(struct view *v)
{
	struct path keep = v->sel;

	v->sel = v->graph_sel;
	v->graph_sel = keep;
	v->sel_merged = false;
	v->kind = KIND_GRAPH;
	v->inverted = v->graph_inverted;
	v->t = v->range ? v->range : v->src; /* back to the time range, when one is open */
	v->nzoom = 0;
	v->scroll = 0;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* The frame name under the selection, or TRIE_NO_NAME for the root or a merged run. */
static uint32_t selected_name(const struct view *v)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);

	return r && r->node->parent && !(r->flags & LAYOUT_MERGED) ? r->node->name : TRIE_NO_NAME;
}

int view_sandwich(struct view *v, uint32_t name)
{
	if (name == TRIE_NO_NAME || trie__kind(v->src, name) == FRAME_SPECIAL) {
		view_msg(v, "%s", "select a function first: a sandwich needs one frame");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return view_enter(v, KIND_CALLERS, name);
}

/* The keys for the derived views, in the graph. */
int view_kinds_key(struct view *v, int key)
{
	switch (key) {
	case 'b':
		return v->kind == KIND_BOTTOM_UP ? view_leave(v) : view_enter(v, KIND_BOTTOM_UP, 0);
	case 'm':
		return v->kind == KIND_BINARY ? view_leave(v) : view_enter(v, KIND_BINARY, 0);
	case 'x':
		if (v->kind == KIND_CALLERS || v->kind == KIND_CALLEES)
			return view_enter(v, v->kind == KIND_CALLERS ? KIND_CALLEES : KIND_CALLERS,
					  v->focus);
		return view_sandwich(v, selected_name(v));
	default:
		return 0;
	}
}

/* " | bottom-up", " | by binary" or " | sandwich f: callers, ..." for the header; "" for the graph. */
void view_label(const struct view *v, char *buf, size_t size)
{
	uint64_t all = trie__total(base_of(v)), total = v->derived ? trie__total(v->derived) : 0;

	if (v->kind == KIND_GRAPH) {
		buf[0] = '\0';
	} else if (v->kind == KIND_BOTTOM_UP) {
		snprintf(buf, size, " | bottom-up (b: back)");
	} else if (v->kind == KIND_BINARY) {
		snprintf(buf, size, " | by binary (m: back)");
	} else {
		snprintf(buf, size, " | sandwich %.*s: %s, self %.2f%% total %.2f%% (x: %s)",
			 (int)(trie__name_len(v->src, v->focus) > 60 ? 60 :
			       trie__name_len(v->src, v->focus)),
			 trie__name(v->src, v->focus),
			 v->kind == KIND_CALLERS ? "callers" : "callees",
			 view_pct(v->focus_self, all), view_pct(total, all),
			 v->kind == KIND_CALLERS ? "callees" : "callers");
	}
}

/* The sandwich's passive half: laid out whole, no selection, the same search highlight. */
int view_draw_other(struct view *v, struct cellbuf *b, const struct render_graph *active)
{
	enum view_kind kind = v->kind == KIND_CALLERS ? KIND_CALLEES : KIND_CALLERS;
	struct render_graph g = *active;

	trie__sort(v->other, v->order);
	if (layout__update(v->other_lay, v->other, trie__root(v->other), v->w))
		return -ENOMEM;
	g.trie = v->other;
	if (g.change)
		g.change = view_change_level_other;
	view_pane(v, kind, &g.top, &g.height);
	g.scroll = 0;
	g.inverted = kind == KIND_CALLEES;
	g.selected = -1;
	render__graph(b, v->other_lay, &g);
	return 0;
}
