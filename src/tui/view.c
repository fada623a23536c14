// SPDX-License-Identifier: MIT
/*
 * The view: its life (new, free, invalidate), its preparation for a draw, and the dispatch of
 * events and drawing to the files beside it (view_*.c, sharing view_impl.h). Selection and zoom
 * are kept as paths of name ids from the root, not node pointers: a live source may free nodes
 * between two draws, and a path still resolves to the deepest frame that exists. Keys move the selection visually: "up" is toward the top of the
 * screen, i.e. toward the leaves in a flame graph and toward the root in an icicle graph.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heatview.h"
#include "view_impl.h"

int path__set(struct path *p, const struct trie_node *node)
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

const struct trie_node *path__resolve(const struct trie *t, const struct path *p)
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
	free(v->binframes);
	trie__free(v->other);
	layout__free(v->other_lay);
	view_diff_free(v);
	for (size_t i = 0; i < v->zcap; i++) {
		free(v->zooms[i].ids);
		free(v->zooms[i].run);
	}
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

void view_msg(struct view *v, const char *fmt, const char *arg)
{
	snprintf(v->msg, sizeof(v->msg), fmt, arg);
}

void view__presort(struct view *v)
{
	if (v->kind == KIND_GRAPH || !v->derived_stale)
		trie__sort(v->t, v->order);
}

/* Lays out again when the trie, the size, the zoom or the order changed. */
int view_prepare(struct view *v)
{
	const struct trie_node *n;
	const struct path *z;
	long i = -1;
	bool run;

	if (!v->stale)
		return 0;
	if (view_derive(v))
		return -ENOMEM;
	trie__sort(v->t, v->order);
	z = v->nzoom ? &v->zooms[v->nzoom - 1] : NULL;
	v->zoom = z ? path__resolve(v->t, z) : trie__root(v->t);
	/* a run of frames whose parent is gone (live refresh): its nearest ancestor, whole */
	run = z && z->nrun && v->zoom->depth == z->n;
	if (layout__update_run(v->lay, v->t, v->zoom, run ? z->run : NULL, run ? z->nrun : 0,
			       v->w) ||
	    search__update(v->search, v->t))
		return -ENOMEM;
	v->zoom_total = layout__total(v->lay);
	v->stale = false;
	/* The selected frame, or its nearest visible ancestor, or the zoomed frame. */
	n = path__resolve(v->t, &v->sel);
	if (v->sel_merged && n->depth == v->sel.n)
		i = layout__find(v->lay, n, true);
	for (; i < 0 && n; n = n->parent)
		i = layout__find(v->lay, n, false);
	if (i < 0)
		i = layout__find(v->lay, v->zoom, false);
	v->sel_rect = i;
	if (i >= 0 && view_select_rect(v, i) < 0)
		return -ENOMEM;
	v->scroll = layout__clamp_scroll(layout__levels(v->lay), view_graph_height(v), v->scroll);
	return 0;
}

static int mouse(struct view *v, const struct term_event *ev)
{
	int gh = view_graph_height(v);
	uint32_t depth;
	long i;

	if (v->table_mode) {
		if (ev->type == TERM_EV_WHEEL_UP)
			return view_table_key(v, TK_UP);
		if (ev->type == TERM_EV_WHEEL_DOWN)
			return view_table_key(v, TK_DOWN);
		if (ev->y >= TABLE_ROWS_ABOVE && ev->y < v->h - ROWS_BELOW &&
		    v->ttop + (size_t)(ev->y - TABLE_ROWS_ABOVE) < ftable__count(v->table)) {
			v->tsel = v->ttop + (size_t)(ev->y - TABLE_ROWS_ABOVE);
			if (ev->type == TERM_EV_DOUBLE_CLICK)
				return view_table_show(v);
		}
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (ev->type == TERM_EV_WHEEL_UP)
		return view_scroll_by(v, v->inverted ? -1 : 1);
	if (ev->type == TERM_EV_WHEEL_DOWN)
		return view_scroll_by(v, v->inverted ? 1 : -1);
	depth = layout__row_depth(ev->y - view_graph_top(v), v->scroll, gh, v->inverted);
	i = layout__hit(v->lay, depth, ev->x);
	if (i < 0)
		return VIEW_HANDLED;
	if (view_select_rect(v, i) < 0)
		return -ENOMEM;
	if (ev->type == TERM_EV_DOUBLE_CLICK)
		return view_zoom_in(v);
	return VIEW_HANDLED | VIEW_REDRAW;
}

int view__event(struct view *v, const struct term_event *ev)
{
	int rc, had_msg = v->msg[0];

	if (ev->type == TERM_EV_RESIZE) {
		v->stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (view_prepare(v) || (v->table_mode && view_table_prepare(v)))
		return -ENOMEM;
	v->msg[0] = '\0';
	if (ev->type != TERM_EV_KEY && v->heat_mode && !v->help) {
		rc = heatview__click(v->heat, ev, v->w, 1, v->h - 3);
		if (rc == HEAT_OPEN)
			rc = view__open_range(v);
		rc = rc < 0 ? rc : VIEW_HANDLED | VIEW_REDRAW;
	} else if (ev->type != TERM_EV_KEY) {
		rc = v->help ? VIEW_HANDLED : mouse(v, ev);
	} else if (v->show_lines) {
		/* any key closes it, q too: a q meant for the popup must not end a live session */
		v->show_lines = false;
		rc = VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->show_name && ev->key != 'y') {
		v->show_name = false; /* any key closes it, q too (y copies what it shows) */
		rc = VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->help) {
		/* the moving keys scroll it; any other key closes it, q too */
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
		else
			v->help = false;
	} else if (v->prompt) {
		rc = view_prompt_key(v, ev->key);
	} else if (ev->key == 'q') {
		rc = VIEW_QUIT;
	} else if (ev->key == '?' || ev->key == TK_F1) {
		v->help = true;
		v->help_top = 0;
		rc = VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->heat && !v->table_mode && (v->heat_mode || ev->key == 'h')) {
		rc = view_heat_key(v, ev->key);
	} else {
		rc = v->table_mode ? view_table_key(v, ev->key) : view_graph_key(v, ev->key);
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
	rc = view_prepare(v);
	if (rc)
		return rc;
	if (v->heat_mode) {
		rc = heatview__draw(v->heat, b, 1, v->h - 3, v->heat_status,
				    sizeof(v->heat_status), v->heat_scale, sizeof(v->heat_scale));
		if (rc)
			return rc;
		view_draw_header(v, b);
		view_line(b, b->h - 2, ROLE_STATUS, v->heat_status);
		if (v->prompt || v->msg[0])
			view_draw_prompt_or_msg(v, b, b->h - 1);
		else
			view_line(b, b->h - 1, ROLE_STATUS, search__active(v->search) ?
				"h: flame graph | Esc: clear the search | /: search" :
				"h: flame graph | /: show when a function runs | arrows/wasd: move");
		if (v->help)
			view_draw_help(v, b);
		return 0;
	}
	view_draw_header(v, b);
	if (v->table_mode) {
		rc = view_table_prepare(v);
		if (rc)
			return rc;
		view_draw_table(v, b);
	} else if (!trie__total(v->t)) {
		const char *m = v->info && v->info->empty_text ? v->info->empty_text :
				v->live ? "no samples yet" : "no samples";

		render__text(b, (b->w - (int)strlen(m)) / 2, b->h / 2, b->w, m, strlen(m),
			     ROLE_MESSAGE, 0);
		if (v->prompt || v->msg[0])
			view_draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	} else {
		struct render_graph g = {
			.trie = v->t,
			.top = view_graph_top(v),
			.height = view_graph_height(v),
			.scroll = v->scroll,
			.inverted = v->inverted,
			.selected = v->sel_rect,
		};

		if (v->info && v->info->diff) {
			g.change = view_change_level;
			g.change_ctx = v;
		}
		g.matches = search__matches(v->search, &g.nmatches);
		render__graph(b, v->lay, &g);
		if (view_sandwiched(v) && view_draw_other(v, b, &g))
			return -ENOMEM;
		view_draw_status(v, b);
	}
	if (v->show_lines && !v->table_mode)
		view_draw_lines(v, b);
	if (v->show_name && !v->table_mode)
		view_draw_name(v, b);
	if (v->help)
		view_draw_help(v, b);
	return 0;
}
