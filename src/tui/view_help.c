// SPDX-License-Identifier: MIT
/*
 * The help overlay (?): the key list, wrapped to the box and scrollable.
 */
#include <string.h>

#include "view_impl.h"

void view_draw_help(struct view *v, struct cellbuf *b)
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
		"            x: sandwich of the row, L: its source lines)",
		"b           bottom-up: the graph rooted at the functions samples",
		"            ended in (b or Esc: back)",
		"x           sandwich of the selected function: callers above,",
		"            callees below; x: the other half (Esc: back)",
		"m           by binary: the share of each executable, library,",
		"            [kernel], module, [jit] (m or Esc: back)",
		"f / y       the selected name in full / copied to the clipboard",
		"L           live profiles: the selected function's hottest source",
		"            lines (DWARF line info, -g or a -dbgsym package)",
		"B           diff: colour by the change of total / self samples",
		"e           export the view (zoom applied) to a file: .svg,",
		"            .folded/.txt, .json (speedscope), .pb.gz (pprof)",
		"p / c       live modes: pause the view / clear the counts",
		"g           sampled profiles: group by comm, comm-pid, thread",
		"[ / ]       ring mode: one slot alone, step back / forward",
		"h           heat map (inputs with times): Space/click marks a range, Enter its graph, +/- rows, h back, r all",
		"?           this help      q  quit",
		"prompts     typing replaces the text shown, Bksp edits it,",
		"            Ctrl-U clears, Enter applies, Esc cancels",
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
