/* SPDX-License-Identifier: MIT */
/*
 * The view's state and the functions its files share (view.c and view_*.c); private to them.
 * view.h is the interface the rest of the program uses.
 */
#ifndef FLAMETUI_TUI_VIEW_IMPL_H
#define FLAMETUI_TUI_VIEW_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "render.h"
#include "search.h"
#include "table.h"
#include "view.h"

struct path {
	uint32_t *ids; /* owned: names from the root's child down */
	uint32_t n, cap;
	/* a zoom into a merged run of the node's children: their names, ascending (owned) */
	uint32_t *run;
	uint32_t nrun, run_cap;
};

#define VIEW_MAX_LINES 64 /* source lines L lists */

enum prompt { PROMPT_NONE, PROMPT_SEARCH, PROMPT_FILTER, PROMPT_EXPORT };

/* Which trie the graph shows: the profile itself or one derived from it (views.h). */
enum view_kind { KIND_GRAPH, KIND_BOTTOM_UP, KIND_CALLERS, KIND_CALLEES, KIND_BINARY };

struct view {
	struct trie *range;		/* owned: the selected time range's graph, or NULL */
	struct heatview *heat;		/* owned: the heat map, NULL without times */
	bool heat_mode;			/* the heat map is shown */
	char range_text[96];
	uint64_t range_from, range_to;	/* the range's offsets (key e), to > 0 once opened */
	char heat_scale[128];
	char heat_status[200];
	struct trie *t;			/* the trie shown: src, or derived */
	struct trie *src;		/* borrowed: the profile */
	struct trie *derived;		/* owned: bottom-up or sandwich of src, made on demand */
	struct trie *other;		/* owned: the sandwich's other half, drawn passive */
	struct layout *other_lay;	/* owned */
	/* diff mode (view_diff.c): derived (0) and other (1) matched to the same view of the
	 * other profile, dother[i] (all owned; NULL outside diff mode) */
	struct trie *dother[2];
	struct diff *ddiff[2];
	bool graph_inverted;		/* the graph's orientation, back on leaving a sandwich */
	enum view_kind kind;
	uint32_t focus;			/* the sandwich's function (a name id of src) */
	bool derived_stale;
	uint64_t focus_self;		/* the focus's self samples in src (or the range) */
	uint32_t *binframes;		/* owned: the by-binary view's frame per module id */
	size_t nbinframes, binframes_cap;
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
	bool show_lines; /* its hottest source lines (L) */
	struct tui_line lines[VIEW_MAX_LINES];
	int nlines;
	uint64_t lines_total;
	uint32_t lines_name;
	const char *copy;  /* VIEW_COPY: text for the clipboard (a trie name) */
	size_t copy_len;
	int help_top; /* first help line shown (the help scrolls on small terminals) */
	enum ftable_key tkey;
	size_t tsel, ttop;
	enum prompt prompt;
	char input[256];
	size_t ilen;
	bool ifresh; /* input is the text the prompt opened with: a typed character replaces it */
	char export_path[256]; /* the last file written with e: the next prompt starts there */
	char msg[256];
	bool stale, table_stale;
	int w, h;
	/* Resolved by prepare(): valid until the trie changes. */
	const struct trie_node *zoom;
	uint64_t zoom_total; /* what the width stands for: zoom's total, or its run's */
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

static inline bool view_sandwiched(const struct view *v)
{
	return v->kind == KIND_CALLERS || v->kind == KIND_CALLEES;
}

/* A sandwich splits the graph area: callers in the top half, callees in the bottom half. */
static inline void view_pane(const struct view *v, enum view_kind kind, int *ret_top,
			     int *ret_height)
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

static inline int view_graph_top(const struct view *v)
{
	int top, height;

	view_pane(v, v->kind, &top, &height);
	return top;
}

static inline int view_graph_height(const struct view *v)
{
	int top, height;

	view_pane(v, v->kind, &top, &height);
	return height;
}

/* Rows of functions the table shows at height h. */
static inline int view_table_rows(int h)
{
	return h - TABLE_ROWS_ABOVE - ROWS_BELOW;
}

static inline double view_pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* view.c */
int path__set(struct path *p, const struct trie_node *node);
const struct trie_node *path__resolve(const struct trie *t, const struct path *p);
void view_msg(struct view *v, const char *fmt, const char *arg);
/* Lays out again when the trie, the size, the zoom or the order changed. 0 or -ENOMEM. */
int view_prepare(struct view *v);

/* view_graph.c: the graph's keys */
int view_select_rect(struct view *v, long i);
int view_zoom_in(struct view *v);
int view_scroll_by(struct view *v, long rows);
/* Selects the hottest frame named `name` (zooming when it is too narrow to show). */
int view_reveal_name(struct view *v, uint32_t name);
int view_graph_key(struct view *v, int key);

/* view_table.c */
int view_table_prepare(struct view *v);
int view_table_show(struct view *v);
int view_table_key(struct view *v, int key);
void view_draw_table(struct view *v, struct cellbuf *b);

/* view_prompt.c */
int view_prompt_key(struct view *v, int key);
void view_start_prompt(struct view *v, enum prompt p);
void view_draw_prompt_or_msg(struct view *v, struct cellbuf *b, int y);

/* view_kinds.c: bottom-up and sandwich */
int view_derive(struct view *v);
int view_enter(struct view *v, enum view_kind kind, uint32_t focus);
int view_leave(struct view *v);
int view_sandwich(struct view *v, uint32_t name);
int view_kinds_key(struct view *v, int key);
void view_label(const struct view *v, char *buf, size_t size);
int view_draw_other(struct view *v, struct cellbuf *b, const struct render_graph *active);

/* view_diff.c: diff mode in the derived views */
int view_diff_derive(struct view *v);
void view_diff_free(struct view *v);
/* The diff that matches the nodes of t (the profile, or a derived trie) and the trie it
 * matches them to; NULL outside diff mode or when it could not be built. */
const struct diff *view_diff_of(const struct view *v, const struct trie *t,
				const struct trie **ret_other);

/* view_heat.c */
int view_heat_restrict(struct view *v);
int view_heat_key(struct view *v, int key);

/* view_status.c */
void view_line(struct cellbuf *b, int y, enum color_role role, const char *text);
const char *view_unit(const struct view *v);
void view_draw_header(struct view *v, struct cellbuf *b);
int view_change_level(void *ctx, const struct trie_node *n);
int view_change_level_other(void *ctx, const struct trie_node *n); /* the sandwich's other half */
void view_draw_status(struct view *v, struct cellbuf *b);
/* The binary name `name` (an id of the shown trie) is in: "libc.so.6", "[kernel]", "[unknown]". */
void view_binary(const struct view *v, uint32_t name, char *buf, size_t cap);

/* view_help.c */
void view_draw_help(struct view *v, struct cellbuf *b);

/* view_lines.c */
/* L on a function (a name id of the shown trie; TRIE_NO_NAME: none selected). */
int view_lines_open(struct view *v, uint32_t name);
void view_draw_lines(struct view *v, struct cellbuf *b);

/* view_name.c */
int view_copy_name(struct view *v, const struct layout_rect *r);
void view_draw_name(struct view *v, struct cellbuf *b);

#endif
