// SPDX-License-Identifier: MIT
/*
 * The view. Selection and zoom are kept as paths of name ids from the root, not node
 * pointers: a live source may free nodes between two draws, and a path still resolves to the
 * deepest frame that exists. Keys move the selection visually: "up" is toward the top of the
 * screen, i.e. toward the leaves in a flame graph and toward the root in an icicle graph.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../timeline.h"
#include "heatview.h"
#include "../diff.h"
#include "layout.h"
#include "search.h"
#include "table.h"
#include "utf8.h"
#include "view.h"
#include "views.h"

struct path {
	uint32_t *ids; /* owned: names from the root's child down */
	uint32_t n, cap;
};

enum prompt { PROMPT_NONE, PROMPT_SEARCH, PROMPT_FILTER, PROMPT_EXPORT };

/* Which trie the graph shows: the profile itself or one derived from it (views.h). */
enum view_kind { KIND_GRAPH, KIND_BOTTOM_UP, KIND_CALLERS, KIND_CALLEES };

struct view {
	struct trie *range;		/* owned: the selected time range's graph, or NULL */
	struct heatview *heat;		/* owned: the heat map, NULL without times */
	bool heat_mode;			/* the heat map is shown */
	char range_text[96];
	char heat_scale[128];
	char heat_status[200];
	struct trie *t;			/* the trie shown: src, or derived */
	struct trie *src;		/* borrowed: the profile */
	struct trie *derived;		/* owned: bottom-up or sandwich of src, made on demand */
	struct trie *other;		/* owned: the sandwich's other half, drawn passive */
	struct layout *other_lay;	/* owned */
	bool graph_inverted;		/* the graph's orientation, back on leaving a sandwich */
	enum view_kind kind;
	uint32_t focus;			/* the sandwich's function (a name id of src) */
	bool derived_stale;
	uint64_t focus_self;		/* the focus's self samples in src */
	struct path graph_sel;		/* the graph's selection, back on leaving a view */
	const struct tui_info *info;	/* borrowed */
	const struct tui_live *live;	/* borrowed, may be NULL */
	struct layout *lay;		/* owned */
	struct search *search;		/* owned: graph highlight */
	struct search *filter;		/* owned: table filter */
	struct ftable *table;		/* owned */
	struct path sel;
	bool sel_merged;
	struct path *zooms; /* owned stack; empty = the root */
	size_t nzoom, zcap;
	enum trie_order order;
	bool inverted;
	uint32_t scroll;
	bool table_mode, help;
	bool show_name; /* the selected frame's full name, wrapped, over the graph (f) */
	const char *copy;  /* VIEW_COPY: text for the clipboard (a trie name) */
	size_t copy_len;
	int help_top; /* first help line shown (the help scrolls on small terminals) */
	enum ftable_key tkey;
	size_t tsel, ttop;
	enum prompt prompt;
	char input[256];
	size_t ilen;
	char export_path[256]; /* the last file written with e: the next prompt starts there */
	char msg[256];
	bool stale, table_stale;
	int w, h;
	/* Resolved by prepare(): valid until the trie changes. */
	const struct trie_node *zoom;
	long sel_rect;
};

/* Screen rows: the header on top; the status line, then the prompt or message line, at the
 * bottom. The table puts its column heading under the header. */
#define ROWS_ABOVE 1	   /* the header */
#define ROWS_BELOW 2	   /* status + prompt */
#define TABLE_HEADING_ROW 1
#define TABLE_ROWS_ABOVE 2 /* header + column heading */
#define STATUS_ROW(h) ((h) - 2)
#define PROMPT_ROW(h) ((h) - 1)

static bool sandwiched(const struct view *v)
{
	return v->kind == KIND_CALLERS || v->kind == KIND_CALLEES;
}

/* A sandwich splits the graph area: callers in the top half, callees in the bottom half. */
static void pane(const struct view *v, enum view_kind kind, int *ret_top, int *ret_height)
{
	int area = v->h - ROWS_ABOVE - ROWS_BELOW;

	*ret_top = ROWS_ABOVE;
	*ret_height = area;
	if (kind == KIND_CALLERS) {
		*ret_height = area / 2;
	} else if (kind == KIND_CALLEES) {
		*ret_top = ROWS_ABOVE + area / 2;
		*ret_height = area - area / 2;
	}
}

static int graph_top(const struct view *v)
{
	int top, height;

	pane(v, v->kind, &top, &height);
	return top;
}

static int graph_height(const struct view *v)
{
	int top, height;

	pane(v, v->kind, &top, &height);
	return height;
}

/* Rows of functions the table shows at height h. */
static int table_rows(int h)
{
	return h - TABLE_ROWS_ABOVE - ROWS_BELOW;
}

static int path_set(struct path *p, const struct trie_node *node)
{
	uint32_t n = node ? node->depth : 0;

	if (n > p->cap) {
		uint32_t *ids = realloc(p->ids, (size_t)n * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		p->ids = ids;
		p->cap = n;
	}
	p->n = n;
	for (; node && node->parent; node = node->parent)
		p->ids[node->depth - 1] = node->name;
	return 0;
}

static const struct trie_node *path_resolve(const struct trie *t, const struct path *p)
{
	const struct trie_node *n = trie__root(t), *c;

	for (uint32_t i = 0; i < p->n; i++) {
		c = trie__child(t, n, p->ids[i]);
		if (!c || !c->total)
			break;
		n = c;
	}
	return n;
}

struct view *view__new(struct trie *t, const struct tui_info *info, const struct tui_live *live)
{
	struct view *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->t = v->src = t;
	v->info = info;
	v->live = live;
	if (info && info->tl) {
		v->heat = heatview__new(info->tl, 0);
		if (!v->heat) {
			view__free(v);
			errno = ENOMEM;
			return NULL;
		}
		v->heat_mode = info->heatmap;
		if (info->has_range) {
			heatview__select(v->heat, info->from_ns, info->to_ns);
			if (!info->heatmap && view__open_range(v)) {
				view__free(v);
				errno = ENOMEM;
				return NULL;
			}
		}
	}
	v->lay = layout__new();
	v->search = search__new();
	v->filter = search__new();
	v->table = ftable__new();
	v->stale = v->table_stale = true;
	v->sel_rect = -1;
	v->tkey = FTABLE_BY_TOTAL;
	if (!v->lay || !v->search || !v->filter || !v->table) {
		view__free(v);
		errno = ENOMEM;
		return NULL;
	}
	return v;
}

struct view *view__free(struct view *v)
{
	if (!v)
		return NULL;
	layout__free(v->lay);
	heatview__free(v->heat);
	trie__free(v->range);
	search__free(v->search);
	search__free(v->filter);
	ftable__free(v->table);
	free(v->sel.ids);
	free(v->graph_sel.ids);
	trie__free(v->derived);
	trie__free(v->other);
	layout__free(v->other_lay);
	for (size_t i = 0; i < v->zcap; i++)
		free(v->zooms[i].ids);
	free(v->zooms);
	free(v);
	return NULL;
}

void view__invalidate(struct view *v)
{
	v->stale = v->table_stale = v->derived_stale = true;
	if (v->heat)
		heatview__invalidate(v->heat);
}

/* A trie with the same name ids as the full one, so paths (selection, zoom) and search flags
 * mean the same in both. */
static struct trie *trie_like(const struct trie *src)
{
	struct trie *t = trie__new();

	for (uint32_t id = (uint32_t)trie__names(t); t && id < trie__names(src); id++)
		if (trie__intern(t, trie__name(src, id), trie__name_len(src, id),
				 trie__kind(src, id)) != id)
			t = trie__free(t);
	return t;
}

int view__open_range(struct view *v)
{
	uint64_t from, to;
	long long n;

	if (!v->heat || !heatview__range(v->heat, &from, &to))
		return 0;
	v->range = trie__free(v->range);
	v->range = trie_like(v->src);
	if (!v->range)
		return -ENOMEM;
	n = timeline__range_trie(v->info->tl, v->src, from, to, v->range);
	if (n < 0)
		return (int)n;
	snprintf(v->range_text, sizeof(v->range_text),
		 "range %" PRIu64 ".%03" PRIu64 "s..%" PRIu64 ".%03" PRIu64 "s (h: heat map)",
		 from / TIMELINE_NS, from % TIMELINE_NS / 1000000, to / TIMELINE_NS,
		 to % TIMELINE_NS / 1000000);
	v->t = v->range;
	v->heat_mode = false;
	view__invalidate(v);
	return 0;
}

/* The search restricts the heat map to the stacks it matches. */
static int heat_restrict(struct view *v)
{
	size_t nflags, nstacks = timeline__stacks(v->info->tl);
	const uint8_t *flags;
	uint8_t *keep;
	int rc;

	if (!search__active(v->search))
		return heatview__restricted(v->heat) ? heatview__restrict(v->heat, NULL, 0) : 0;
	if (search__update(v->search, v->t))
		return -ENOMEM;
	flags = search__matches(v->search, &nflags);
	keep = malloc(nstacks ? nstacks : 1);
	if (!keep)
		return -ENOMEM;
	timeline__stacks_matching(v->info->tl, flags, nflags, keep);
	rc = heatview__restrict(v->heat, keep, nstacks);
	free(keep);
	return rc;
}

static void set_msg(struct view *v, const char *fmt, const char *arg)
{
	snprintf(v->msg, sizeof(v->msg), fmt, arg);
}

static int select_rect(struct view *v, long i)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)i);

	if (!r)
		return 0;
	if (path_set(&v->sel, r->node))
		return -ENOMEM;
	v->sel_merged = r->flags & LAYOUT_MERGED;
	v->sel_rect = i;
	v->scroll = layout__scroll_to(layout__levels(v->lay), graph_height(v), v->scroll,
				      r->depth);
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Rebuilds the derived trie from the profile when either changed. */
static int derive(struct view *v)
{
	int rc = 0;

	if (v->kind == KIND_GRAPH || !v->derived_stale)
		return 0;
	if (v->kind == KIND_BOTTOM_UP) {
		rc = views__bottom_up(v->derived, v->src);
	} else {
		/* both halves: v->derived is the one the keys act on */
		bool up = v->kind == KIND_CALLERS;

		rc = views__callers(up ? v->derived : v->other, v->src, v->focus);
		if (!rc)
			rc = views__callees(up ? v->other : v->derived, v->src, v->focus);
	}
	if (v->kind != KIND_BOTTOM_UP)
		v->focus_self = views__self(v->src, v->focus);
	v->derived_stale = false;
	return rc;
}

/* Lays out again when the trie, the size, the zoom or the order changed. */
static int prepare(struct view *v)
{
	const struct trie_node *n;
	long i = -1;

	if (!v->stale)
		return 0;
	if (derive(v))
		return -ENOMEM;
	trie__sort(v->t, v->order);
	v->zoom = v->nzoom ? path_resolve(v->t, &v->zooms[v->nzoom - 1]) : trie__root(v->t);
	if (layout__update(v->lay, v->t, v->zoom, v->w) || search__update(v->search, v->t))
		return -ENOMEM;
	v->stale = false;
	/* The selected frame, or its nearest visible ancestor, or the zoomed frame. */
	n = path_resolve(v->t, &v->sel);
	if (v->sel_merged && n->depth == v->sel.n)
		i = layout__find(v->lay, n, true);
	for (; i < 0 && n; n = n->parent)
		i = layout__find(v->lay, n, false);
	if (i < 0)
		i = layout__find(v->lay, v->zoom, false);
	v->sel_rect = i;
	if (i >= 0 && select_rect(v, i) < 0)
		return -ENOMEM;
	v->scroll = layout__clamp_scroll(layout__levels(v->lay), graph_height(v), v->scroll);
	return 0;
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
	if (path_set(&v->zooms[v->nzoom], node))
		return -ENOMEM;
	v->nzoom++;
	return 0;
}

/* The heaviest frame of a merged run of siblings (the run starts at r->node). */
static const struct trie_node *merged_heaviest(const struct layout_rect *r)
{
	const struct trie_node *p = r->node->parent, *best = r->node;
	uint32_t i = 0;

	while (i < p->nchildren && p->children[i] != r->node)
		i++;
	for (uint32_t k = 0; k < r->nmerged && i + k < p->nchildren; k++)
		if (p->children[i + k]->total > best->total)
			best = p->children[i + k];
	return best;
}

static int zoom_in(struct view *v)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);

	if (r && (r->flags & LAYOUT_MERGED) && r->node->parent) {
		/* Frames narrower than a cell: zoom into the heaviest, which then has room (its
		 * siblings are one Esc away, or n/N for a search) */
		const struct trie_node *n = merged_heaviest(r);

		if (zoom_push(v, n) || path_set(&v->sel, n))
			return -ENOMEM;
		v->sel_merged = false;
		v->scroll = 0;
		v->stale = true;
		set_msg(v, "%s", "zoomed into the widest of the merged frames (Esc: back)");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
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

static int view_leave(struct view *v);

static int zoom_out(struct view *v)
{
	if (!v->nzoom)
		return v->kind != KIND_GRAPH ? view_leave(v) : VIEW_HANDLED;
	v->nzoom--;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/*
 * The matching node after (dir > 0) or before `from` in pre-order over the whole trie,
 * wrapping; NULL when nothing matches. Narrow frames and frames outside the zoom count too.
 */
static const struct trie_node *next_match_node(struct view *v, const struct trie_node *from,
					       int dir)
{
	const struct trie_node *first = NULL, *last = NULL, *before = NULL, *after = NULL;
	const struct trie_node **stack;
	size_t sp = 0, cap = 64;
	bool passed = false;

	stack = malloc(cap * sizeof(*stack));
	if (!stack)
		return NULL;
	stack[sp++] = trie__root(v->t);
	/* pre-order: pushed children in reverse pop in order */
	while (sp) {
		const struct trie_node *cur = stack[--sp];

		if (cur == from)
			passed = true;
		else if (cur->parent && cur->total && search__match(v->search, cur->name)) {
			if (!first)
				first = cur;
			last = cur;
			if (!passed)
				before = cur;
			else if (!after)
				after = cur;
		}
		if (dir > 0 ? after != NULL : passed && before)
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
			stack[sp++] = cur->children[i];
	}
	free(stack);
	if (dir > 0)
		return after ? after : first;
	return before ? before : last;
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
		if (prepare(v))
			return -ENOMEM;
		if (layout__find(v->lay, node, false) < 0 && zoom_push(v, node))
			return -ENOMEM;
		v->scroll = 0;
		set_msg(v, "%s", "zoomed to show the match (r: reset)");
	}
	if (path_set(&v->sel, node))
		return -ENOMEM;
	v->sel_merged = false;
	v->stale = true;
	rc = prepare(v);
	return rc ? rc : VIEW_HANDLED | VIEW_REDRAW;
}

/* Key e, after the file name was typed: the view as shown (zoom, grouping) to that file. */
static int apply_export(struct view *v)
{
	const struct trie_node *zoom = v->nzoom ? v->zoom : NULL;

	v->prompt = PROMPT_NONE;
	if (!v->ilen)
		return VIEW_HANDLED | VIEW_REDRAW;
	memcpy(v->export_path, v->input, v->ilen + 1);
	if (v->info->write(v->info->write_ctx, v->t, zoom,
			   search__active(v->search) ? search__pattern(v->search) : NULL, v->input,
			   v->msg, sizeof(v->msg)) == -ENOMEM)
		return -ENOMEM;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int apply_prompt(struct view *v)
{
	char err[160];
	int rc;

	v->input[v->ilen] = '\0';
	if (v->prompt == PROMPT_EXPORT)
		return apply_export(v);
	rc = search__set(v->prompt == PROMPT_FILTER ? v->filter : v->search, v->input, err,
			 sizeof(err));
	if (rc == -EINVAL) {
		set_msg(v, "bad regular expression: %s", err);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (rc)
		return rc;
	v->prompt = PROMPT_NONE;
	if (v->table_mode) {
		v->tsel = v->ttop = 0;
		v->table_stale = true;
	} else {
		v->stale = true;
	}
	if (v->heat_mode && heat_restrict(v))
		return -ENOMEM;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int prompt_key(struct view *v, int key)
{
	switch (key) {
	case TK_ESC:
		v->prompt = PROMPT_NONE;
		break;
	case TK_ENTER:
		return apply_prompt(v);
	case TK_BACKSPACE:
		v->ilen = utf8__drop_last(v->input, v->ilen);
		break;
	default:
		if (key >= 0x20 && key < 0x110000 && key != 0x7f) {
			char u[UTF8_MAX];
			size_t n = utf8__encode((uint32_t)key, u);

			if (v->ilen + n < sizeof(v->input)) {
				memcpy(v->input + v->ilen, u, n);
				v->ilen += n;
			}
		}
		break;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static void start_prompt(struct view *v, enum prompt p)
{
	const char *last = v->export_path[0] ? v->export_path : "flametui.svg";
	const char *cur = p == PROMPT_EXPORT ? last :
			  search__pattern(p == PROMPT_FILTER ? v->filter : v->search);

	v->prompt = p;
	v->ilen = strlen(cur) < sizeof(v->input) ? strlen(cur) : 0;
	memcpy(v->input, cur, v->ilen);
}

static int scroll_by(struct view *v, long rows)
{
	long s = (long)v->scroll + rows;

	v->scroll = layout__clamp_scroll(layout__levels(v->lay), graph_height(v),
					 s < 0 ? 0 : (uint32_t)s);
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* y: the selected frame's name to the clipboard (OSC 52), when every character of it is
 * harmless: a name is untrusted bytes, and a terminal would paste controls as they are. */
static int copy_name(struct view *v, const struct layout_rect *r)
{
	const unsigned char *s;
	size_t len;

	if (!r || !r->node->parent || (r->flags & LAYOUT_MERGED)) {
		set_msg(v, "%s", "select a frame to copy its name");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	s = (const unsigned char *)trie__name(v->t, r->node->name);
	len = trie__name_len(v->t, r->node->name);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8__decode(s + i, len - i, &cp);

		if (!n || !utf8__harmless(cp)) {
			set_msg(v, "%s", "not copied: the name holds control or invisible characters");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		i += n;
	}
	v->copy = (const char *)s;
	v->copy_len = len;
	set_msg(v, "%s", "name copied to the clipboard (OSC 52)");
	return VIEW_HANDLED | VIEW_REDRAW | VIEW_COPY;
}

#define DERIVED_MAX_NODES ((size_t)10 * 1000 * 1000) /* the CLI's default --max-nodes */

/*
 * Switches the graph to another kind of view. Zoom starts over there; the graph's own selection
 * is kept to come back to. The derived trie is built by the next prepare().
 */

static int view_enter(struct view *v, enum view_kind kind, uint32_t focus)
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

static int view_leave(struct view *v)
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

static int sandwich(struct view *v, uint32_t name)
{
	if (name == TRIE_NO_NAME || trie__kind(v->src, name) == FRAME_SPECIAL) {
		set_msg(v, "%s", "select a function first: a sandwich needs one frame");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	return view_enter(v, KIND_CALLERS, name);
}

/* The keys for the derived views, in the graph. */
static int views_key(struct view *v, int key)
{
	switch (key) {
	case 'b':
		return v->kind == KIND_BOTTOM_UP ? view_leave(v) : view_enter(v, KIND_BOTTOM_UP, 0);
	case 'x':
		if (v->kind == KIND_CALLERS || v->kind == KIND_CALLEES)
			return view_enter(v, v->kind == KIND_CALLERS ? KIND_CALLEES : KIND_CALLERS,
					  v->focus);
		return sandwich(v, selected_name(v));
	default:
		return 0;
	}
}

static int graph_key(struct view *v, int key)
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
			return select_rect(v, layout__widest_child(v->lay, (size_t)v->sel_rect));
		return r->node->parent ? select_rect(v, layout__find(v->lay, r->node->parent, false)) :
					 VIEW_HANDLED;
	}
	switch (key) {
	case TK_LEFT:
	case 'a':
		return r ? select_rect(v, layout__neighbour(v->lay, (size_t)v->sel_rect, -1)) :
			   VIEW_HANDLED;
	case TK_RIGHT:
	case 'd':
		return r ? select_rect(v, layout__neighbour(v->lay, (size_t)v->sel_rect, 1)) :
			   VIEW_HANDLED;
	case TK_ENTER:
		return zoom_in(v);
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
		if (sandwiched(v)) {
			set_msg(v, "%s", "a sandwich keeps callers above and callees below");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		v->inverted = !v->inverted;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'o':
		v->order = v->order == TRIE_ORDER_NAME ? TRIE_ORDER_SAMPLES : TRIE_ORDER_NAME;
		v->stale = true;
		set_msg(v, "siblings ordered by %s",
			v->order == TRIE_ORDER_NAME ? "name" : "samples");
		return VIEW_HANDLED | VIEW_REDRAW;
	case '/':
		start_prompt(v, PROMPT_SEARCH);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'n':
	case 'N': {
		const struct trie_node *m;

		if (!search__active(v->search)) {
			set_msg(v, "%s", "no search (press /)");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		/* in pre-order over the whole profile, so narrow and zoomed-out matches count */
		m = next_match_node(v, r ? r->node : NULL, key == 'n' ? 1 : -1);
		if (!m) {
			set_msg(v, "%s", "no match");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return reveal(v, m);
	}
	case TK_PGUP:
		return scroll_by(v, v->inverted ? -(graph_height(v) - 1) : graph_height(v) - 1);
	case TK_PGDN:
		return scroll_by(v, v->inverted ? graph_height(v) - 1 : -(graph_height(v) - 1));
	case 't':
	case TK_TAB:
		v->table_mode = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'B':
		if (!v->info || !v->info->diff)
			return 0;
		v->info->diff->by_total = !v->info->diff->by_total;
		set_msg(v, "diff: colours by the change of %s samples",
			v->info->diff->by_total ? "total" : "self");
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'e':
		if (!v->info || !v->info->write)
			return 0;
		start_prompt(v, PROMPT_EXPORT);
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'f':
		if (!r || !r->node->parent || (r->flags & LAYOUT_MERGED))
			return VIEW_HANDLED;
		v->show_name = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'y':
		return copy_name(v, r);
	default:
		return views_key(v, key);
	}
}

static int table_prepare(struct view *v)
{
	if (!v->table_stale)
		return 0;
	if (ftable__build(v->table, v->src) ||
	    (v->info && v->info->diff &&
	     ftable__compare(v->table, v->src, v->info->diff->other, v->info->diff->negate)) ||
	    ftable__view(v->table, v->src, v->tkey, v->filter))
		return -ENOMEM;
	v->table_stale = false;
	if (v->tsel >= ftable__count(v->table))
		v->tsel = ftable__count(v->table) ? ftable__count(v->table) - 1 : 0;
	return 0;
}

static int table_show(struct view *v)
{
	const struct ftable_row *row = ftable__row(v->table, v->tsel);
	char re[1024];
	int rc;

	if (!row)
		return VIEW_HANDLED;
	rc = search__quote(trie__name(v->t, row->name), trie__name_len(v->t, row->name), re,
			   sizeof(re));
	if (!rc)
		rc = search__set(v->search, re, NULL, 0);
	if (rc == -ENOMEM)
		return rc;
	if (rc)
		set_msg(v, "%s", "this name cannot be searched for (too long or contains NUL)");
	v->table_mode = false;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int table_key(struct view *v, int key)
{
	int rows = table_rows(v->h);
	size_t n = ftable__count(v->table), page = rows > 1 ? (size_t)rows - 1 : 1;

	switch (key) {
	case TK_UP:
	case 'w':
	case 'k':
		v->tsel = v->tsel ? v->tsel - 1 : 0;
		break;
	case TK_DOWN:
	case 's':
	case 'j':
		if (v->tsel + 1 < n)
			v->tsel++;
		break;
	case TK_PGUP:
		v->tsel = v->tsel > page ? v->tsel - page : 0;
		break;
	case TK_PGDN:
		v->tsel = v->tsel + page < n ? v->tsel + page : (n ? n - 1 : 0);
		break;
	case TK_HOME:
		v->tsel = 0;
		break;
	case TK_END:
		v->tsel = n ? n - 1 : 0;
		break;
	case 'o':
		if (v->info && v->info->diff) /* total -> delta -> self -> total */
			v->tkey = v->tkey == FTABLE_BY_TOTAL ? FTABLE_BY_DELTA :
				  v->tkey == FTABLE_BY_DELTA ? FTABLE_BY_SELF :
							       FTABLE_BY_TOTAL;
		else
			v->tkey = v->tkey == FTABLE_BY_SELF ? FTABLE_BY_TOTAL : FTABLE_BY_SELF;
		v->table_stale = true;
		break;
	case '/':
		start_prompt(v, PROMPT_FILTER);
		break;
	case TK_ESC:
		if (search__active(v->filter)) {
			search__clear(v->filter);
			v->table_stale = true;
			break;
		}
		/* fall through */
	case 't':
	case TK_TAB:
		v->table_mode = false;
		break;
	case TK_ENTER:
		return table_show(v);
	case 'x': {
		const struct ftable_row *row = ftable__row(v->table, v->tsel);

		if (!row)
			break;
		v->table_mode = false;
		return sandwich(v, row->name);
	}
	default:
		return 0;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

static int mouse(struct view *v, const struct term_event *ev)
{
	int gh = graph_height(v);
	uint32_t depth;
	long i;

	if (v->table_mode) {
		if (ev->type == TERM_EV_WHEEL_UP)
			return table_key(v, TK_UP);
		if (ev->type == TERM_EV_WHEEL_DOWN)
			return table_key(v, TK_DOWN);
		if (ev->y >= TABLE_ROWS_ABOVE && ev->y < v->h - ROWS_BELOW &&
		    v->ttop + (size_t)(ev->y - TABLE_ROWS_ABOVE) < ftable__count(v->table)) {
			v->tsel = v->ttop + (size_t)(ev->y - TABLE_ROWS_ABOVE);
			if (ev->type == TERM_EV_DOUBLE_CLICK)
				return table_show(v);
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (ev->type == TERM_EV_WHEEL_UP)
		return scroll_by(v, v->inverted ? -1 : 1);
	if (ev->type == TERM_EV_WHEEL_DOWN)
		return scroll_by(v, v->inverted ? 1 : -1);
	depth = layout__row_depth(ev->y - graph_top(v), v->scroll, gh, v->inverted);
	i = layout__hit(v->lay, depth, ev->x);
	if (i < 0)
		return VIEW_HANDLED;
	if (select_rect(v, i) < 0)
		return -ENOMEM;
	if (ev->type == TERM_EV_DOUBLE_CLICK)
		return zoom_in(v);
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Keys while the heat map is shown, and `h` from the graph. */
static int heat_key(struct view *v, int key)
{
	int rc;

	if (key == 'h') {
		/* back to the graph (of the range, when one is open), or to the map */
		v->heat_mode = !v->heat_mode;
		if (v->heat_mode && heat_restrict(v))
			return -ENOMEM;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == '/') {
		start_prompt(v, PROMPT_SEARCH);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 'r') {
		/* the whole profile again */
		v->t = v->src;
		v->range = trie__free(v->range);
		v->range_text[0] = '\0';
		v->heat_mode = false;
		view__invalidate(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	rc = heatview__key(v->heat, key);
	if (rc < 0)
		return rc;
	if (rc == HEAT_OPEN)
		return view__open_range(v) ?: VIEW_HANDLED | VIEW_REDRAW;
	if (rc == HEAT_NONE && key == TK_ESC && search__active(v->search)) {
		search__clear(v->search);
		return heat_restrict(v) ?: VIEW_HANDLED | VIEW_REDRAW;
	}
	return rc == HEAT_NONE ? VIEW_HANDLED : VIEW_HANDLED | VIEW_REDRAW;
}

int view__event(struct view *v, const struct term_event *ev)
{
	int rc, had_msg = v->msg[0];

	if (ev->type == TERM_EV_RESIZE) {
		v->stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (prepare(v) || (v->table_mode && table_prepare(v)))
		return -ENOMEM;
	v->msg[0] = '\0';
	if (ev->type != TERM_EV_KEY && v->heat_mode && !v->help) {
		rc = heatview__click(v->heat, ev, v->w, 1, v->h - 3);
		if (rc == HEAT_OPEN)
			rc = view__open_range(v);
		rc = rc < 0 ? rc : VIEW_HANDLED | VIEW_REDRAW;
	} else if (ev->type != TERM_EV_KEY) {
		rc = v->help ? VIEW_HANDLED : mouse(v, ev);
	} else if (v->show_name && ev->key != 'y') {
		v->show_name = false; /* any key closes it (y copies what it shows) */
		rc = ev->key == 'q' ? VIEW_QUIT : VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->help) {
		/* the moving keys scroll it; any other key closes it; q still quits */
		int k = ev->key;

		rc = VIEW_HANDLED | VIEW_REDRAW;
		if (k == TK_DOWN || k == 's' || k == 'j')
			v->help_top++;
		else if (k == TK_UP || k == 'w' || k == 'k')
			v->help_top = v->help_top > 0 ? v->help_top - 1 : 0;
		else if (k == TK_PGDN)
			v->help_top += v->h / 2;
		else if (k == TK_PGUP)
			v->help_top = v->help_top > v->h / 2 ? v->help_top - v->h / 2 : 0;
		else if (k == 'q')
			rc = VIEW_QUIT;
		else
			v->help = false;
	} else if (v->prompt) {
		rc = prompt_key(v, ev->key);
	} else if (ev->key == 'q') {
		rc = VIEW_QUIT;
	} else if (ev->key == '?' || ev->key == TK_F1) {
		v->help = true;
		v->help_top = 0;
		rc = VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->heat && !v->table_mode && (v->heat_mode || ev->key == 'h')) {
		rc = heat_key(v, ev->key);
	} else {
		rc = v->table_mode ? table_key(v, ev->key) : graph_key(v, ev->key);
		if (!rc && v->live && v->live->on_key && ev->key < 0x110000) {
			rc = v->live->on_key(v->live->ctx, ev->key);
			if (rc < 0)
				return rc;
			rc = rc ? VIEW_HANDLED | VIEW_REDRAW : VIEW_HANDLED;
			view__invalidate(v);
		}
	}
	if (rc >= 0 && had_msg)
		rc |= VIEW_REDRAW; /* the message must go away */
	return rc;
}

/* ---- drawing ---- */

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void line(struct cellbuf *b, int y, enum color_role role, const char *text)
{
	cellbuf__fill(b, 0, y, b->w, ' ', role, 0);
	render__text(b, 0, y, b->w, text, strlen(text), role, 0);
}

/* What the counts are: "samples" unless the source says otherwise ("ns of cpu-clock"). */
static const char *unit_of(const struct view *v)
{
	return v->info && v->info->unit ? v->info->unit : "samples";
}

/* " | bottom-up" or " | sandwich f: callers, ..." for the header; "" for the graph. */
static void view_label(const struct view *v, char *buf, size_t size)
{
	uint64_t all = trie__total(v->src), total = v->derived ? trie__total(v->derived) : 0;

	if (v->kind == KIND_GRAPH) {
		buf[0] = '\0';
	} else if (v->kind == KIND_BOTTOM_UP) {
		snprintf(buf, size, " | bottom-up (b: back)");
	} else {
		snprintf(buf, size, " | sandwich %.*s: %s, self %.2f%% total %.2f%% (x: %s)",
			 (int)(trie__name_len(v->src, v->focus) > 60 ? 60 :
			       trie__name_len(v->src, v->focus)),
			 trie__name(v->src, v->focus),
			 v->kind == KIND_CALLERS ? "callers" : "callees",
			 pct(v->focus_self, all), pct(total, all),
			 v->kind == KIND_CALLERS ? "callees" : "callers");
	}
}

static void draw_header(struct view *v, struct cellbuf *b)
{
	const char *live = v->live && v->live->header ? v->live->header(v->live->ctx) : NULL;
	const char *help = "? help  q quit ";
	const char *source = v->info && v->info->source ? v->info->source : "";
	char text[512], samples[256];
	int hw = (int)strlen(help), room;
	size_t len = strlen(source), cut = 0;

	/* the range or the map's scale right after the count, before drops and live state */
	const char *timed = v->heat_mode ? v->heat_scale : v->t == v->range ? v->range_text : "";
	char kind[200];

	view_label(v, kind, sizeof(kind));
	/* The view's name and the sample count must stay in view: a long source (a file path)
	 * gives up its start. */
	snprintf(samples, sizeof(samples), " | %" PRIu64 " %s%s%s",
		 trie__total(v->t == v->range ? v->range : v->src), unit_of(v), timed[0] ? " | " : "",
		 timed);
	room = b->w - (b->w > hw + 20 ? hw + 1 : 0) - (int)strlen(" flametui | ") -
	       (int)strlen(samples) - (int)strlen(kind);
	if (room < 8)
		room = 8;
	if (render__text_width(b, source, len, room) > room) {
		/* keep the end (the file name), after an ellipsis */
		while (cut < len && render__text_width(b, source + cut, len - cut, room) >
					    room - (b->ascii ? 3 : 1)) {
			cut++;
			while (cut < len && ((unsigned char)source[cut] & 0xc0) == 0x80)
				cut++;
		}
	}
	snprintf(text, sizeof(text), " flametui%s | %s%s%s%s%s%s%s", kind,
		 cut ? (b->ascii ? "..." : "…") : "", source + cut,
		 samples, v->info && v->info->drops_text ? " | " : "",
		 v->info && v->info->drops_text ? v->info->drops_text : "", live ? " | " : "",
		 live ? live : "");
	line(b, 0, ROLE_HEADER, text);
	if (b->w > hw + 20) {
		cellbuf__fill(b, b->w - hw - 1, 0, hw + 1, ' ', ROLE_HEADER, 0);
		render__text(b, b->w - hw, 0, hw, help, (size_t)hw, ROLE_HEADER, 0);
	}
}

static void draw_prompt_or_msg(struct view *v, struct cellbuf *b, int y)
{
	char text[300];

	if (v->prompt) {
		static const char export_prompt[] = "export to (.svg .folded .txt .json .pb.gz): ";

		snprintf(text, sizeof(text), "%s%.*s_",
			 v->prompt == PROMPT_EXPORT ? export_prompt :
			 v->prompt == PROMPT_FILTER ? "filter (regex): /" :
						      "search (regex): /",
			 (int)v->ilen, v->input);
		line(b, y, ROLE_STATUS, text);
		if (v->msg[0])
			line(b, y - 1, ROLE_MESSAGE, v->msg);
	} else {
		line(b, y, ROLE_MESSAGE, v->msg);
	}
}

/* The change of n's share, AFTER minus BEFORE whichever side is shown. */
static double change(const struct view *v, const struct trie_node *n, bool by_total)
{
	const struct tui_diff *d = v->info->diff;
	double c = diff__delta(d->d, n, by_total);

	return (d->negate ? -c : c) + 0.0; /* + 0.0: no "-0.00" */
}

/* render_graph.change: the strength of a frame's change against the largest one, 1..8. */
static int change_level(void *ctx, const struct trie_node *n)
{
	const struct view *v = ctx;
	bool by_total = v->info->diff->by_total;
	double c = change(v, n, by_total), max = diff__max_delta(v->info->diff->d, by_total);
	int level;

	if (fabs(c) < 1e-12 || max <= 0)
		return 0;
	level = (int)ceil(fabs(c) / max * RENDER_SHADES);
	if (level > RENDER_SHADES)
		level = RENDER_SHADES;
	return c > 0 ? level : -level;
}

/* The status line of a diff: both sides' samples and shares, and the change. */
static void diff_status(struct view *v, const struct layout_rect *r, const char *match,
			char *text, size_t cap)
{
	const struct tui_diff *d = v->info->diff;
	uint64_t shown = r->node->total, other = diff__other_samples(d->d, r->node, true);
	uint64_t all = trie__total(v->t), oall = trie__total(d->other);
	uint64_t before = d->negate ? shown : other, after = d->negate ? other : shown;
	uint64_t ball = d->negate ? all : oall, aall = d->negate ? oall : all;

	snprintf(text, cap,
		 "before %" PRIu64 " (%.2f%%) after %" PRIu64 " (%.2f%%) | total %+.2f, self %+.2f "
		 "pts | colour by %s (B)%s%s",
		 before, pct(before, ball), after, pct(after, aall),
		 100.0 * change(v, r->node, true), 100.0 * change(v, r->node, false),
		 d->by_total ? "total" : "self",
		 v->nzoom ? " | zoomed" : "", match);
}

static void draw_status(struct view *v, struct cellbuf *b)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	uint64_t all = trie__total(v->src), ztotal = v->zoom ? v->zoom->total : 0;
	static const char *const kinds[] = { "", " [kernel]", " [jit]", " [root]", " [unknown]",
					     "", " [python]" };
	char text[512], match[128] = "";
	int y = PROMPT_ROW(b->h);

	cellbuf__fill(b, 0, y - 1, b->w, ' ', ROLE_STATUS, 0);
	if (r && (r->flags & LAYOUT_MERGED)) {
		snprintf(text, sizeof(text), "[%" PRIu32 " frames merged: each narrower than a cell]",
			 r->nmerged);
		render__text(b, 0, y - 1, b->w, text, strlen(text), ROLE_STATUS, 0);
	} else if (r && r->node->parent) {
		render__text(b, 0, y - 1, b->w, trie__name(v->t, r->node->name),
			     trie__name_len(v->t, r->node->name), ROLE_STATUS, 0);
	} else if (r) {
		render__text(b, 0, y - 1, b->w, "all", 3, ROLE_STATUS, 0);
	}
	if (v->prompt || v->msg[0]) {
		draw_prompt_or_msg(v, b, y);
		return;
	}
	if (search__active(v->search)) {
		uint64_t m = search__matched(v->search, trie__root(v->t));

		snprintf(match, sizeof(match), " | Matched: %.2f%%", pct(m, all));
		if (v->nzoom)
			snprintf(match + strlen(match), sizeof(match) - strlen(match),
				 " (%.2f%% of zoom)", pct(search__matched(v->search, v->zoom),
							  ztotal));
	}
	if (!r) {
		snprintf(text, sizeof(text), "%s", match);
	} else if (v->info && v->info->diff && !(r->flags & LAYOUT_MERGED)) {
		diff_status(v, r, match, text, sizeof(text));
	} else {
		enum frame_kind k = r->node->parent && !(r->flags & LAYOUT_MERGED) ?
					    trie__kind(v->t, r->node->name) :
					    FRAME_SPECIAL;

		snprintf(text, sizeof(text),
			 "%" PRIu64 " %s, %.2f%% of all, %.2f%% of zoom%s%s%s", r->samples,
			 unit_of(v), pct(r->samples, all), pct(r->samples, ztotal),
			 k < FRAME_KIND_MAX ? kinds[k] : "", v->nzoom ? " | zoomed" : "", match);
	}
	line(b, y, ROLE_STATUS, text);
}

static void draw_help(struct view *v, struct cellbuf *b)
{
	static const char *const lines[] = {
		"flametui keys",
		"",
		"Up/w/k      select toward the top of the screen",
		"Down/s/j    select toward the bottom",
		"Left/a      previous frame on the row",
		"Right/d     next frame on the row",
		"Enter       zoom into the selected frame",
		"Esc/Bksp    zoom out one level (Esc clears a search first)",
		"r           reset the zoom and the selection",
		"i           flip: flame graph / icicle (root on top)",
		"o           order siblings by name / by samples",
		"/           search (POSIX extended regex)",
		"n / N       next / previous match",
		"PgUp/PgDn   scroll; mouse: click, double-click, wheel",
		"t / Tab     function table (o: sort, /: filter, Enter: show,",
		"            x: sandwich of the row)",
		"b           bottom-up: the graph rooted at the functions samples",
		"            ended in (b or Esc: back)",
		"x           sandwich of the selected function: callers above,",
		"            callees below; x: the other half (Esc: back)",
		"f / y       the selected name in full / copied to the clipboard",
		"B           diff: colour by the change of total / self samples",
		"e           export the view (zoom applied) to a file: .svg,",
		"            .folded/.txt, .json (speedscope), .pb.gz (pprof)",
		"p / c       live modes: pause the view / clear the counts",
		"g           sampled profiles: group by comm, comm-pid, thread",
		"[ / ]       ring mode: one slot alone, step back / forward",
		"h           heat map (inputs with times): Space/click marks a range, Enter its graph, +/- rows, h back, r all",
		"?           this help      q  quit",
		"",
		"j/k or arrows scroll this help; any other key closes it",
	};
	enum { KEYW = 12, MAXROWS = 128 };
	const char *text[MAXROWS];
	int len[MAXROWS], indent[MAXROWS];
	int n = 0, w = b->w < 66 ? b->w : 66, x0 = (b->w - w) / 2, inner = w - 4, h, y0, rows;

	/* Wrap each line to the box: a description too long for the width continues under
	 * itself, after the key column, so nothing is cut off at 40 columns. */
	for (size_t k = 0; k < sizeof(lines) / sizeof(lines[0]) && n < MAXROWS; k++) {
		const char *p = lines[k];
		int left = (int)strlen(p), ind = 0;

		do {
			int take = left;

			if (take > inner - ind && inner - ind > 0) {
				take = inner - ind;
				for (int c = take; c > 0; c--) {
					if (p[c] == ' ') {
						take = c;
						break;
					}
				}
			}
			text[n] = p;
			len[n] = take;
			indent[n++] = ind;
			p += take;
			left -= take;
			while (left && *p == ' ')
				p++, left--;
			ind = strlen(lines[k]) > KEYW && inner > 2 * KEYW ? KEYW : 2;
		} while (left > 0 && n < MAXROWS);
	}
	h = n + 2 < b->h ? n + 2 : b->h;
	rows = h - 2;
	if (v->help_top > n - rows)
		v->help_top = n - rows > 0 ? n - rows : 0;
	y0 = (b->h - h) / 2;
	for (int y = 0; y < h; y++) {
		int k = v->help_top + y - 1;

		cellbuf__fill(b, x0, y0 + y, w, ' ', ROLE_HELP, 0);
		if (y >= 1 && y <= rows && k < n)
			render__text(b, x0 + 2 + indent[k], y0 + y, inner - indent[k], text[k],
				     (size_t)len[k], ROLE_HELP, 0);
	}
	/* more above or below: say how to get there */
	if (v->help_top > 0)
		render__text(b, x0 + w - 12, y0, 12, "k/Up: more", 10, ROLE_HELP, 0);
	if (v->help_top + rows < n)
		render__text(b, x0 + w - 12, y0 + h - 1, 12, "j/Down: more", 12, ROLE_HELP, 0);
}

/* A diff's table row: each side's total samples and share, and the change of share. */
static void diff_row(struct view *v, const struct ftable_row *row, char *text, size_t cap)
{
	const struct tui_diff *d = v->info->diff;
	uint64_t all = trie__total(v->t), oall = trie__total(d->other);
	uint64_t before = d->negate ? row->total : row->other_total;
	uint64_t after = d->negate ? row->other_total : row->total;

	snprintf(text, cap, "%12" PRIu64 " %6.2f%% %12" PRIu64 " %6.2f%% %+8.2f %12" PRIu64 "  ",
		 before, pct(before, d->negate ? all : oall), after,
		 pct(after, d->negate ? oall : all),
		 100.0 * ftable__delta(v->table, row), row->self);
}

static void draw_table(struct view *v, struct cellbuf *b)
{
	uint64_t all = trie__total(v->src);
	int rows = table_rows(b->h);
	bool diff = v->info && v->info->diff;
	const char *next_diff_key = v->tkey == FTABLE_BY_TOTAL ? "delta" :
				    v->tkey == FTABLE_BY_DELTA ? "self" :
								 "after";
	bool narrow = !diff && b->w < 72; /* shares only, so the function names keep most of the row */
	char text[512];

	if (diff)
		snprintf(text, sizeof(text), "%12s %7s %12s %7s %8s %12s  %s", "Before", "Before%",
			 v->tkey == FTABLE_BY_TOTAL ? "After v" : "After", "After%",
			 v->tkey == FTABLE_BY_DELTA ? "Delta v" : "Delta",
			 v->tkey == FTABLE_BY_SELF ? "Self v" : "Self", "Function");
	else if (narrow)
		snprintf(text, sizeof(text), "%7s %7s  %s", v->tkey == FTABLE_BY_SELF ? "Self%v" :
			 "Self%", v->tkey == FTABLE_BY_TOTAL ? "Total%v" : "Total%", "Function");
	else
		snprintf(text, sizeof(text), "%12s %7s %12s %7s  %s", v->tkey == FTABLE_BY_SELF ?
			 "Self v" : "Self", "Self%", v->tkey == FTABLE_BY_TOTAL ? "Total v" : "Total",
			 "Total%", "Function");
	line(b, TABLE_HEADING_ROW, ROLE_TABLE_HEAD, text);
	if (v->tsel < v->ttop)
		v->ttop = v->tsel;
	if (rows > 0 && v->tsel >= v->ttop + (size_t)rows)
		v->ttop = v->tsel - (size_t)rows + 1;
	for (int i = 0; i < rows; i++) {
		const struct ftable_row *row = ftable__row(v->table, v->ttop + (size_t)i);
		enum color_role role;
		int x;

		if (!row)
			break;
		role = v->ttop + (size_t)i == v->tsel ? ROLE_SELECTED : ROLE_DEFAULT;
		if (diff)
			diff_row(v, row, text, sizeof(text));
		else if (narrow)
			snprintf(text, sizeof(text), "%6.2f%% %6.2f%%  ", pct(row->self, all),
				 pct(row->total, all));
		else
			snprintf(text, sizeof(text), "%12" PRIu64 " %6.2f%% %12" PRIu64 " %6.2f%%  ",
				 row->self, pct(row->self, all), row->total, pct(row->total, all));
		line(b, TABLE_ROWS_ABOVE + i, role, text);
		x = (int)strlen(text);
		render__text(b, x, TABLE_ROWS_ABOVE + i, b->w - x, trie__name(v->t, row->name),
			     trie__name_len(v->t, row->name), role, 0);
	}
	if (!ftable__count(v->table))
		line(b, TABLE_ROWS_ABOVE, ROLE_DEFAULT, search__active(v->filter) ? "  no function matches the filter" :
									"  no samples");
	cellbuf__fill(b, 0, STATUS_ROW(b->h), b->w, ' ', ROLE_STATUS, 0);
	snprintf(text, sizeof(text), "%zu functions%s%s | o: sort by %s | /: filter | Enter: show "
		 "in graph | x: sandwich | t: graph", ftable__count(v->table),
		 search__active(v->filter) ? " matching /" : "", search__active(v->filter) ?
		 search__pattern(v->filter) : "",
		 diff ? next_diff_key :
			v->tkey == FTABLE_BY_SELF ? "total" : "self");
	line(b, STATUS_ROW(b->h), ROLE_STATUS, text);
	if (v->prompt || v->msg[0])
		draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	else
		line(b, PROMPT_ROW(b->h), ROLE_STATUS, "");
}

const char *view__copy_text(const struct view *v, size_t *ret_len)
{
	*ret_len = v->copy_len;
	return v->copy;
}

/* f: the selected frame's whole name, wrapped (escaped as everywhere), over the graph. */
static void draw_name(struct view *v, struct cellbuf *b)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	const unsigned char *s;
	size_t len, i = 0;
	int w = b->w - 4, y = 2;

	if (!r || !r->node->parent || w < 10) {
		v->show_name = false;
		return;
	}
	s = (const unsigned char *)trie__name(v->t, r->node->name);
	len = trie__name_len(v->t, r->node->name);
	cellbuf__fill(b, 1, y - 1, b->w - 2, ' ', ROLE_HELP, 0);
	render__text(b, 2, y - 1, w, "full name (y: copy, any key: close)", 35, ROLE_HELP, 0);
	while (i < len && y < b->h - 1) {
		size_t end = i, next;
		uint32_t cp;

		/* the longest run of whole characters that fits the line */
		while (end < len) {
			size_t n = utf8__decode(s + end, len - end, &cp);

			next = end + (n ? n : 1);
			if (render__text_width(b, (const char *)s + i, next - i, w) > w)
				break;
			end = next;
		}
		if (end == i)
			end = i + 1;
		cellbuf__fill(b, 1, y, b->w - 2, ' ', ROLE_HELP, 0);
		render__text(b, 2, y, w, (const char *)s + i, end - i, ROLE_HELP, 0);
		i = end;
		y++;
	}
	cellbuf__fill(b, 1, y, b->w - 2, ' ', ROLE_HELP, 0);
}

/* The sandwich's passive half: laid out whole, no selection, the same search highlight. */
static int draw_other(struct view *v, struct cellbuf *b, const struct render_graph *active)
{
	enum view_kind kind = v->kind == KIND_CALLERS ? KIND_CALLEES : KIND_CALLERS;
	struct render_graph g = *active;

	trie__sort(v->other, v->order);
	if (layout__update(v->other_lay, v->other, trie__root(v->other), v->w))
		return -ENOMEM;
	g.trie = v->other;
	pane(v, kind, &g.top, &g.height);
	g.scroll = 0;
	g.inverted = kind == KIND_CALLEES;
	g.selected = -1;
	render__graph(b, v->other_lay, &g);
	return 0;
}

int view__draw(struct view *v, struct cellbuf *b)
{
	static const char small[] = "terminal too small";
	int rc;

	if (b->w != v->w || b->h != v->h) {
		v->w = b->w;
		v->h = b->h;
		v->stale = true;
	}
	cellbuf__clear(b);
	if (b->w < VIEW_MIN_W || b->h < VIEW_MIN_H) {
		render__text(b, 0, 0, b->w, small, sizeof(small) - 1, ROLE_MESSAGE, 0);
		return 0;
	}
	rc = prepare(v);
	if (rc)
		return rc;
	if (v->heat_mode) {
		rc = heatview__draw(v->heat, b, 1, v->h - 3, v->heat_status,
				    sizeof(v->heat_status), v->heat_scale, sizeof(v->heat_scale));
		if (rc)
			return rc;
		draw_header(v, b);
		line(b, b->h - 2, ROLE_STATUS, v->heat_status);
		if (v->prompt || v->msg[0])
			draw_prompt_or_msg(v, b, b->h - 1);
		else
			line(b, b->h - 1, ROLE_STATUS, search__active(v->search) ?
				"h: flame graph | Esc: clear the search | /: search" :
				"h: flame graph | /: show when a function runs | arrows/wasd: move");
		if (v->help)
			draw_help(v, b);
		return 0;
	}
	draw_header(v, b);
	if (v->table_mode) {
		rc = table_prepare(v);
		if (rc)
			return rc;
		draw_table(v, b);
	} else if (!trie__total(v->t)) {
		const char *m = v->info && v->info->empty_text ? v->info->empty_text :
				v->live ? "no samples yet" : "no samples";

		render__text(b, (b->w - (int)strlen(m)) / 2, b->h / 2, b->w, m, strlen(m),
			     ROLE_MESSAGE, 0);
		if (v->prompt || v->msg[0])
			draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	} else {
		struct render_graph g = {
			.trie = v->t,
			.top = graph_top(v),
			.height = graph_height(v),
			.scroll = v->scroll,
			.inverted = v->inverted,
			.selected = v->sel_rect,
		};

		if (v->info && v->info->diff) {
			g.change = change_level;
			g.change_ctx = v;
		}
		g.matches = search__matches(v->search, &g.nmatches);
		render__graph(b, v->lay, &g);
		if (sandwiched(v) && draw_other(v, b, &g))
			return -ENOMEM;
		draw_status(v, b);
	}
	if (v->show_name && !v->table_mode)
		draw_name(v, b);
	if (v->help)
		draw_help(v, b);
	return 0;
}
