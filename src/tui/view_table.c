// SPDX-License-Identifier: MIT
/*
 * The function table (t): building it, its keys and its drawing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view_impl.h"

/* The trie the table counts: the open time range's (same name ids), or the profile. */
static struct trie *table_base(const struct view *v)
{
	return v->range ? v->range : v->src;
}

int view_table_prepare(struct view *v)
{
	struct trie *base = table_base(v);

	if (!v->table_stale)
		return 0;
	if (ftable__build(v->table, base) ||
	    (v->info && v->info->diff &&
	     ftable__compare(v->table, base, v->info->diff->other, v->info->diff->negate)) ||
	    ftable__view(v->table, base, v->tkey, v->filter))
		return -ENOMEM;
	v->table_stale = false;
	if (v->tsel >= ftable__count(v->table))
		v->tsel = ftable__count(v->table) ? ftable__count(v->table) - 1 : 0;
	return 0;
}

int view_table_show(struct view *v)
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
		view_msg(v, "%s", "this name cannot be searched for (too long or contains NUL)");
	v->table_mode = false;
	v->stale = true;
	/* every place it is highlighted, its hottest one selected (zoomed to when too narrow) */
	return view_reveal_name(v, row->name);
}

int view_table_key(struct view *v, int key)
{
	int rows = view_table_rows(v->h);
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
		view_start_prompt(v, PROMPT_FILTER);
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
		return view_table_show(v);
	case 'L': {
		const struct ftable_row *row = ftable__row(v->table, v->tsel);

		if (!row)
			break;
		v->table_mode = false; /* the list shows over the graph */
		return view_lines_open(v, row->name);
	}
	case 'x': {
		const struct ftable_row *row = ftable__row(v->table, v->tsel);

		if (!row)
			break;
		v->table_mode = false;
		return view_sandwich(v, row->name);
	}
	default:
		return 0;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* A diff's table row: each side's total samples and share, and the change of share. */
static void diff_row(struct view *v, const struct ftable_row *row, char *text, size_t cap)
{
	const struct tui_diff *d = v->info->diff;
	uint64_t all = trie__total(v->t), oall = trie__total(d->other);
	uint64_t before = d->negate ? row->total : row->other_total;
	uint64_t after = d->negate ? row->other_total : row->total;

	snprintf(text, cap, "%12" PRIu64 " %6.2f%% %12" PRIu64 " %6.2f%% %+8.2f %12" PRIu64 "  ",
		 before, view_pct(before, d->negate ? all : oall), after,
		 view_pct(after, d->negate ? oall : all),
		 100.0 * ftable__delta(v->table, row), row->self);
}

/* The binary column: from this width on, and this wide (longer names are cut). */
#define TABLE_BINARY_MIN_W 96
#define TABLE_BINARY_W 18

/* The binary a row's function is in; "" for a process (root) or synthetic frame. */
static const char *row_binary(const struct view *v, const struct ftable_row *row, size_t *ret_len)
{
	enum frame_kind k = trie__kind(v->src, row->name);

	if (k == FRAME_ROOT || k == FRAME_SPECIAL) {
		*ret_len = 0;
		return "";
	}
	return trie__module_name(v->src, trie__module(v->src, row->name), ret_len);
}

void view_draw_table(struct view *v, struct cellbuf *b)
{
	uint64_t all = trie__total(table_base(v));
	int rows = view_table_rows(b->h);
	bool diff = v->info && v->info->diff;
	const char *next_diff_key = v->tkey == FTABLE_BY_TOTAL ? "delta" :
				    v->tkey == FTABLE_BY_DELTA ? "self" :
								 "after";
	bool narrow = !diff && b->w < 72; /* shares only, so the function names keep most of the row */
	/* a profile that names no binary (folded text without _[k]) gets no column of [unknown] */
	bool known = trie__modules(v->src) > 2;
	bool binaries = known && !diff && b->w >= TABLE_BINARY_MIN_W;
	const struct ftable_row *sel = ftable__row(v->table, v->tsel);
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
		snprintf(text, sizeof(text), "%12s %7s %12s %7s  %-*s%s", v->tkey == FTABLE_BY_SELF ?
			 "Self v" : "Self", "Self%", v->tkey == FTABLE_BY_TOTAL ? "Total v" : "Total",
			 "Total%", binaries ? TABLE_BINARY_W + 1 : 0, binaries ? "Binary" : "",
			 "Function");
	view_line(b, TABLE_HEADING_ROW, ROLE_TABLE_HEAD, text);
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
			snprintf(text, sizeof(text), "%6.2f%% %6.2f%%  ", view_pct(row->self, all),
				 view_pct(row->total, all));
		else
			snprintf(text, sizeof(text), "%12" PRIu64 " %6.2f%% %12" PRIu64 " %6.2f%%  ",
				 row->self, view_pct(row->self, all), row->total, view_pct(row->total, all));
		view_line(b, TABLE_ROWS_ABOVE + i, role, text);
		x = (int)strlen(text);
		if (binaries) {
			size_t len;
			const char *s = row_binary(v, row, &len);

			render__text(b, x, TABLE_ROWS_ABOVE + i, TABLE_BINARY_W, s, len, role, 0);
			x += TABLE_BINARY_W + 1;
		}
		render__text(b, x, TABLE_ROWS_ABOVE + i, b->w - x, trie__name(v->t, row->name),
			     trie__name_len(v->t, row->name), role, 0);
	}
	if (!ftable__count(v->table))
		view_line(b, TABLE_ROWS_ABOVE, ROLE_DEFAULT, search__active(v->filter) ? "  no function matches the filter" :
									"  no samples");
	cellbuf__fill(b, 0, STATUS_ROW(b->h), b->w, ' ', ROLE_STATUS, 0);
	snprintf(text, sizeof(text), "%zu functions%s%s | o: sort by %s | /: filter | Enter: show "
		 "in graph | x: sandwich | t: graph", ftable__count(v->table),
		 search__active(v->filter) ? " matching /" : "", search__active(v->filter) ?
		 search__pattern(v->filter) : "",
		 diff ? next_diff_key :
			v->tkey == FTABLE_BY_SELF ? "total" : "self");
	view_line(b, STATUS_ROW(b->h), ROLE_STATUS, text);
	if (v->prompt || v->msg[0]) {
		view_draw_prompt_or_msg(v, b, PROMPT_ROW(b->h));
	} else if (sel && known) {
		/* the selected function's binary, also where the column does not fit */
		size_t len;
		const char *s = row_binary(v, sel, &len);

		snprintf(text, sizeof(text), "%s%.*s", len ? "in " : "", (int)(len < 200 ? len : 200),
			 s);
		view_line(b, PROMPT_ROW(b->h), ROLE_STATUS, text);
	} else {
		view_line(b, PROMPT_ROW(b->h), ROLE_STATUS, "");
	}
}
