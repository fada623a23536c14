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

int view_prompt_key(struct view *v, int key)
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

void view_start_prompt(struct view *v, enum prompt p)
{
	const char *last = v->export_path[0] ? v->export_path : "flametui.svg";
	const char *cur = p == PROMPT_EXPORT ? last :
			  search__pattern(p == PROMPT_FILTER ? v->filter : v->search);

	v->prompt = p;
	v->ilen = strlen(cur) < sizeof(v->input) ? strlen(cur) : 0;
	memcpy(v->input, cur, v->ilen);
}

void view_draw_prompt_or_msg(struct view *v, struct cellbuf *b, int y)
{
	char text[300];

	if (v->prompt) {
		static const char export_prompt[] = "export to (.svg .folded .txt .json .pb.gz): ";

		snprintf(text, sizeof(text), "%s%.*s_",
			 v->prompt == PROMPT_EXPORT ? export_prompt :
			 v->prompt == PROMPT_FILTER ? "filter (regex): /" :
						      "search (regex): /",
			 (int)v->ilen, v->input);
		view_line(b, y, ROLE_STATUS, text);
		if (v->msg[0])
			view_line(b, y - 1, ROLE_MESSAGE, v->msg);
	} else {
		view_line(b, y, ROLE_MESSAGE, v->msg);
	}
}
