// SPDX-License-Identifier: MIT
/*
 * The selected function's hottest source lines (L), like pprof -list without the disassembly:
 * each line with the samples at its addresses and their share of the function's, from the
 * source's DWARF line info (tui_info.frame_lines), shown over the graph until the next key.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view_impl.h"

int view_lines_open(struct view *v, uint32_t name)
{
	enum frame_kind k = trie__kind(v->t, name);
	int n;

	if (!v->info || !v->info->frame_lines) {
		view_msg(v, "%s", "no addresses to find source lines by: they come from live profiles, "
				  "their recordings (-o) and perf script text");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (name == TRIE_NO_NAME || k == FRAME_ROOT || k == FRAME_SPECIAL) {
		view_msg(v, "%s", "select a function to list its source lines");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	n = v->info->frame_lines(v->info->frame_addr_ctx, trie__name(v->t, name),
				 trie__name_len(v->t, name), k, v->lines, VIEW_MAX_LINES,
				 &v->lines_total);
	if (n == -ENOMEM)
		return n;
	if (n == -ESTALE) {
		view_msg(v, "%s", "no source lines: the binary changed since it was recorded");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (n <= 0) {
		view_msg(v, "%s", "no source lines: the binary has no DWARF line info (build with "
				  "-g, or install its -dbgsym package)");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	v->nlines = n;
	v->lines_name = name;
	v->show_lines = true;
	return VIEW_HANDLED | VIEW_REDRAW;
}

void view_draw_lines(struct view *v, struct cellbuf *b)
{
	int w = b->w - 2, y = 1;
	char text[512];
	size_t len = trie__name_len(v->t, v->lines_name);

	snprintf(text, sizeof(text), "hottest lines of %.*s (any key: close)",
		 (int)(len > 200 ? 200 : len), trie__name(v->t, v->lines_name));
	cellbuf__fill(b, 1, y, w, ' ', ROLE_HELP, 0);
	render__text(b, 2, y++, w - 2, text, strlen(text), ROLE_HELP, 0);
	snprintf(text, sizeof(text), "%12s %7s  %s", view_unit(v), "share", "file:line");
	cellbuf__fill(b, 1, y, w, ' ', ROLE_HELP, 0);
	render__text(b, 2, y++, w - 2, text, strlen(text), ROLE_HELP, 0);
	for (int i = 0; i < v->nlines && y < b->h - 1; i++, y++) {
		const struct tui_line *l = &v->lines[i];

		snprintf(text, sizeof(text), "%12" PRIu64 " %6.2f%%  %s:%d", l->samples,
			 view_pct(l->samples, v->lines_total), l->file, l->line);
		cellbuf__fill(b, 1, y, w, ' ', ROLE_HELP, 0);
		render__text(b, 2, y, w - 2, text, strlen(text), ROLE_HELP, 0);
	}
	cellbuf__fill(b, 1, y, w, ' ', ROLE_HELP, 0);
}
