// SPDX-License-Identifier: MIT
/*
 * The view. Selection and zoom are kept as paths of name ids from the root, not node
 * pointers: a live source may free nodes between two draws, and a path still resolves to the
 * deepest frame that exists. Keys move the selection visually: "up" is toward the top of the
 * screen, i.e. toward the leaves in a flame graph and toward the root in an icicle graph.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "search.h"
#include "table.h"
#include "utf8.h"
#include "view.h"

struct path {
	uint32_t *ids; /* owned: names from the root's child down */
	uint32_t n, cap;
};

enum prompt { PROMPT_NONE, PROMPT_SEARCH, PROMPT_FILTER };

struct view {
	struct trie *t;			/* borrowed */
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
	enum ftable_key tkey;
	size_t tsel, ttop;
	enum prompt prompt;
	char input[256];
	size_t ilen;
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

static int graph_top(void)
{
	return ROWS_ABOVE;
}

static int graph_height(const struct view *v)
{
	return v->h - ROWS_ABOVE - ROWS_BELOW;
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
	v->t = t;
	v->info = info;
	v->live = live;
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
	search__free(v->search);
	search__free(v->filter);
	ftable__free(v->table);
	free(v->sel.ids);
	for (size_t i = 0; i < v->zcap; i++)
		free(v->zooms[i].ids);
	free(v->zooms);
	free(v);
	return NULL;
}

void view__invalidate(struct view *v)
{
	v->stale = v->table_stale = true;
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

/* Lays out again when the trie, the size, the zoom or the order changed. */
static int prepare(struct view *v)
{
	const struct trie_node *n;
	long i = -1;

	if (!v->stale)
		return 0;
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

static int zoom_in(struct view *v)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);

	if (!r || (r->flags & LAYOUT_MERGED) || r->node == v->zoom)
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
		return VIEW_HANDLED;
	v->nzoom--;
	v->stale = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

static long next_match(struct view *v, int dir)
{
	size_t n = layout__count(v->lay);
	long start = v->sel_rect < 0 ? (dir > 0 ? -1 : 0) : v->sel_rect;

	if (!search__active(v->search) || !n)
		return -1;
	for (size_t k = 1; k <= n; k++) {
		long i = ((start + dir * (long)k) % (long)n + (long)n) % (long)n;
		const struct layout_rect *r = layout__rect(v->lay, (size_t)i);

		if (!(r->flags & LAYOUT_MERGED) && search__match(v->search, r->node->name))
			return i;
	}
	return -1;
}

static int apply_prompt(struct view *v)
{
	char err[160];
	int rc;

	v->input[v->ilen] = '\0';
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
	const char *cur = search__pattern(p == PROMPT_FILTER ? v->filter : v->search);

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

static int graph_key(struct view *v, int key)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	bool up = key == TK_UP || key == 'k' || key == 'w';
	bool down = key == TK_DOWN || key == 'j' || key == 'S';

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
	case 'h':
	case 'a':
		return r ? select_rect(v, layout__neighbour(v->lay, (size_t)v->sel_rect, -1)) :
			   VIEW_HANDLED;
	case TK_RIGHT:
	case 'l':
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
		v->nzoom = 0;
		v->scroll = 0;
		v->stale = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 'i':
		v->inverted = !v->inverted;
		return VIEW_HANDLED | VIEW_REDRAW;
	case 's':
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
		long i = next_match(v, key == 'n' ? 1 : -1);

		if (i < 0) {
			set_msg(v, "%s", search__active(v->search) ? "no visible match" :
								       "no search (press /)");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		return select_rect(v, i);
	}
	case TK_PGUP:
		return scroll_by(v, v->inverted ? -(graph_height(v) - 1) : graph_height(v) - 1);
	case TK_PGDN:
		return scroll_by(v, v->inverted ? graph_height(v) - 1 : -(graph_height(v) - 1));
	case 't':
	case TK_TAB:
		v->table_mode = true;
		return VIEW_HANDLED | VIEW_REDRAW;
	default:
		return 0;
	}
}

static int table_prepare(struct view *v)
{
	if (!v->table_stale)
		return 0;
	if (ftable__build(v->table, v->t) || ftable__view(v->table, v->t, v->tkey, v->filter))
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
	case 'k':
	case 'w':
		v->tsel = v->tsel ? v->tsel - 1 : 0;
		break;
	case TK_DOWN:
	case 'j':
	case 'S':
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
	case 's':
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
	depth = layout__row_depth(ev->y - graph_top(), v->scroll, gh, v->inverted);
	i = layout__hit(v->lay, depth, ev->x);
	if (i < 0)
		return VIEW_HANDLED;
	if (select_rect(v, i) < 0)
		return -ENOMEM;
	if (ev->type == TERM_EV_DOUBLE_CLICK)
		return zoom_in(v);
	return VIEW_HANDLED | VIEW_REDRAW;
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
	if (ev->type != TERM_EV_KEY) {
		rc = v->help ? VIEW_HANDLED : mouse(v, ev);
	} else if (v->help) {
		/* any key closes the help; q still quits */
		v->help = false;
		rc = ev->key == 'q' ? VIEW_QUIT : VIEW_HANDLED | VIEW_REDRAW;
	} else if (v->prompt) {
		rc = prompt_key(v, ev->key);
	} else if (ev->key == 'q') {
		rc = VIEW_QUIT;
	} else if (ev->key == '?' || ev->key == TK_F1) {
		v->help = true;
		rc = VIEW_HANDLED | VIEW_REDRAW;
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

static void draw_header(struct view *v, struct cellbuf *b)
{
	const char *live = v->live && v->live->header ? v->live->header(v->live->ctx) : NULL;
	const char *help = "? help  q quit ";
	char text[512];
	int hw = (int)strlen(help);

	snprintf(text, sizeof(text), " flametui | %s | %" PRIu64 " samples%s%s%s%s",
		 v->info && v->info->source ? v->info->source : "",
		 trie__total(v->t), v->info && v->info->drops_text ? " | " : "",
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
		snprintf(text, sizeof(text), "%s%.*s_",
			 v->prompt == PROMPT_FILTER ? "filter (regex): /" : "search (regex): /",
			 (int)v->ilen, v->input);
		line(b, y, ROLE_STATUS, text);
		if (v->msg[0])
			line(b, y - 1, ROLE_MESSAGE, v->msg);
	} else {
		line(b, y, ROLE_MESSAGE, v->msg);
	}
}

static void draw_status(struct view *v, struct cellbuf *b)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	uint64_t all = trie__total(v->t), ztotal = v->zoom ? v->zoom->total : 0;
	static const char *const kinds[] = { "", " [kernel]", " [jit]", " [root]", " [unknown]",
					     "" };
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
	} else {
		enum frame_kind k = r->node->parent && !(r->flags & LAYOUT_MERGED) ?
					    trie__kind(v->t, r->node->name) :
					    FRAME_SPECIAL;

		snprintf(text, sizeof(text),
			 "%" PRIu64 " samples, %.2f%% of all, %.2f%% of zoom%s%s%s", r->samples,
			 pct(r->samples, all), pct(r->samples, ztotal),
			 k < FRAME_KIND_MAX ? kinds[k] : "", v->nzoom ? " | zoomed" : "", match);
	}
	line(b, y, ROLE_STATUS, text);
}

static void draw_help(struct view *v, struct cellbuf *b)
{
	static const char *const lines[] = {
		"flametui keys",
		"",
		"Up/k/w      select toward the top of the screen",
		"Down/j/S    select toward the bottom",
		"Left/h/a    previous frame on the row",
		"Right/l/d   next frame on the row",
		"Enter       zoom into the selected frame",
		"Esc/Bksp    zoom out one level (Esc clears a search first)",
		"r           reset the zoom",
		"i           flip: flame graph / icicle (root on top)",
		"s           order siblings by name / by samples",
		"/           search (POSIX extended regex)",
		"n / N       next / previous match",
		"PgUp/PgDn   scroll; mouse: click, double-click, wheel",
		"t / Tab     function table (s: sort, /: filter, Enter: show)",
		"p / c       live modes: pause the view / clear the counts",
		"g           live modes: group by comm, comm-pid, thread",
		"[ / ]       ring mode: one slot alone, step back / forward",
		"?           this help      q  quit",
		"",
		"press any key to close",
	};
	int n = (int)(sizeof(lines) / sizeof(lines[0])), w = 66, h = n + 2;
	int x0 = (b->w - w) / 2, y0 = (b->h - h) / 2;

	(void)v;
	if (x0 < 0)
		x0 = 0, w = b->w;
	if (y0 < 0)
		y0 = 0;
	for (int y = 0; y < h && y0 + y < b->h; y++) {
		cellbuf__fill(b, x0, y0 + y, w, ' ', ROLE_HELP, 0);
		if (y >= 1 && y <= n)
			render__text(b, x0 + 2, y0 + y, w - 4, lines[y - 1], strlen(lines[y - 1]),
				     ROLE_HELP, 0);
	}
}

static void draw_table(struct view *v, struct cellbuf *b)
{
	uint64_t all = trie__total(v->t);
	int rows = table_rows(b->h);
	char text[512];

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
	snprintf(text, sizeof(text), "%zu functions%s%s | s: sort by %s | /: filter | Enter: show "
		 "in graph | t: graph", ftable__count(v->table),
		 search__active(v->filter) ? " matching /" : "", search__active(v->filter) ?
		 search__pattern(v->filter) : "", v->tkey == FTABLE_BY_SELF ? "total" : "self");
	line(b, STATUS_ROW(b->h), ROLE_STATUS, text);
	if (v->prompt || v->msg[0])
		draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	else
		line(b, PROMPT_ROW(b->h), ROLE_STATUS, "");
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
	draw_header(v, b);
	if (v->table_mode) {
		rc = table_prepare(v);
		if (rc)
			return rc;
		draw_table(v, b);
	} else if (!trie__total(v->t)) {
		const char *m = v->live ? "no samples yet" : "no samples";

		render__text(b, (b->w - (int)strlen(m)) / 2, b->h / 2, b->w, m, strlen(m),
			     ROLE_MESSAGE, 0);
		if (v->prompt || v->msg[0])
			draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	} else {
		struct render_graph g = {
			.trie = v->t,
			.top = graph_top(),
			.height = graph_height(v),
			.scroll = v->scroll,
			.inverted = v->inverted,
			.selected = v->sel_rect,
		};

		g.matches = search__matches(v->search, &g.nmatches);
		render__graph(b, v->lay, &g);
		draw_status(v, b);
	}
	if (v->help)
		draw_help(v, b);
	return 0;
}
