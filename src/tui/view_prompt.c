// SPDX-License-Identifier: MIT
/*
 * The prompt line: typing a search, a table filter or an export file name, and applying it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "view_impl.h"

/* Key e, after the file name was typed: the view as shown (zoom, grouping) to that file. */
static int apply_export(struct view *v)
{
	struct tui_export x = {.t = v->t, .zoom = v->nzoom ? v->zoom : NULL,
			       .search = search__active(v->search) ? search__pattern(v->search) : NULL,
			       .has_range = v->range && v->range_to,
			       .from_ns = v->range_from, .to_ns = v->range_to};

	int rc;

	v->prompt = PROMPT_NONE;
	if (!v->ilen)
		return VIEW_HANDLED | VIEW_REDRAW;
	rc = v->info->write(v->info->write_ctx, &x, v->input, v->msg, sizeof(v->msg));
	if (rc == -ENOMEM)
		return -ENOMEM;
	if (!rc) /* the next e starts from a name that worked, not from a mistake */
		memcpy(v->export_path, v->input, v->ilen + 1);
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
		view_msg(v, "bad regular expression: %s", err);
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
	if (v->heat_mode && view_heat_restrict(v))
		return -ENOMEM;
	return VIEW_HANDLED | VIEW_REDRAW;
}

/* Ctrl-U: the line's keys of readline and the shells */
#define KEY_KILL_LINE 0x15

/*
 * Editing: characters are added at the end, Backspace takes the last one, Ctrl-U all. The
 * text the prompt opens with (the last export name, the current search) is replaced by the
 * first character typed, and edited by Backspace.
 */
int view_prompt_key(struct view *v, int key)
{
	bool fresh = v->ifresh;

	v->ifresh = false;
	switch (key) {
	case TK_ESC:
		v->prompt = PROMPT_NONE;
		break;
	case TK_ENTER:
		return apply_prompt(v);
	case TK_BACKSPACE:
		v->ilen = utf8__drop_last(v->input, v->ilen);
		break;
	case KEY_KILL_LINE:
		v->ilen = 0;
		break;
	default:
		if (key >= 0x20 && key < 0x110000 && key != 0x7f) {
			char u[UTF8_MAX];
			size_t n = utf8__encode((uint32_t)key, u);

			if (fresh)
				v->ilen = 0;

			if (v->ilen + n < sizeof(v->input)) {
				memcpy(v->input + v->ilen, u, n);
				v->ilen += n;
			}
		}
		break;
	}
	return VIEW_HANDLED | VIEW_REDRAW;
}

void view_start_prompt(struct view *v, enum prompt p)
{
	const char *last = v->export_path[0] ? v->export_path : "flametui.svg";
	const char *cur = p == PROMPT_EXPORT ? last :
			  search__pattern(p == PROMPT_FILTER ? v->filter : v->search);

	v->prompt = p;
	v->ilen = strlen(cur) < sizeof(v->input) ? strlen(cur) : 0;
	memcpy(v->input, cur, v->ilen);
	v->ifresh = v->ilen > 0;
}

/*
 * The prompt, then the input and the cursor ('_'). Input wider than the room left shows its
 * end, after an ellipsis: the cursor and what was just typed stay in sight. Text the prompt
 * opened with is shown selected until a key replaces or edits it.
 */
static void draw_prompt(struct view *v, struct cellbuf *b, int y)
{
	static const char export_prompt[] = "export to (.svg .folded .txt .json .pb.gz): ";
	const char *label = v->prompt == PROMPT_EXPORT ? export_prompt :
			    v->prompt == PROMPT_FILTER ? "filter (regex): /" :
							 "search (regex): /";
	size_t from = 0;
	int x, room;

	cellbuf__fill(b, 0, y, b->w, ' ', ROLE_STATUS, 0);
	x = render__text(b, 0, y, b->w, label, strlen(label), ROLE_STATUS, 0);
	room = b->w - x - 1; /* the cursor's cell */
	if (room < 2)
		return;
	if (render__text_width(b, v->input, v->ilen, room + 1) > room) {
		/* drop whole code points from the front until the rest and the ellipsis fit */
		while (from < v->ilen &&
		       render__text_width(b, v->input + from, v->ilen - from, room) > room - 1) {
			uint32_t cp;
			size_t n = utf8__decode((const unsigned char *)v->input + from, v->ilen - from,
						&cp);

			from += n ? n : 1;
		}
		x += render__text(b, x, y, 1, "\u2026", 3, ROLE_STATUS, 0);
	}
	x += render__text(b, x, y, b->w - x, v->input + from, v->ilen - from,
			  v->ifresh ? ROLE_SELECTED : ROLE_STATUS, 0);
	if (x < b->w)
		render__text(b, x, y, 1, "_", 1, ROLE_STATUS, 0);
}

void view_draw_prompt_or_msg(struct view *v, struct cellbuf *b, int y)
{
	if (v->prompt) {
		draw_prompt(v, b, y);
		if (v->msg[0])
			view_line(b, y - 1, ROLE_MESSAGE, v->msg);
	} else {
		view_line(b, y, ROLE_MESSAGE, v->msg);
	}
}
