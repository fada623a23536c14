// SPDX-License-Identifier: MIT
/*
 * The selected frame's full name: shown wrapped (f) and copied to the clipboard (y).
 */

#include "utf8.h"
#include "view_impl.h"

/* y: the selected frame's name to the clipboard (OSC 52), when every character of it is
 * harmless: a name is untrusted bytes, and a terminal would paste controls as they are. */
int view_copy_name(struct view *v, const struct layout_rect *r)
{
	const unsigned char *s;
	size_t len;

	if (!r || !r->node->parent || (r->flags & LAYOUT_MERGED)) {
		view_msg(v, "%s", "select a frame to copy its name");
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	s = (const unsigned char *)trie__name(v->t, r->node->name);
	len = trie__name_len(v->t, r->node->name);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8__decode(s + i, len - i, &cp);

		if (!n || !utf8__harmless(cp)) {
			view_msg(v, "%s", "not copied: the name holds control or invisible characters");
			return VIEW_HANDLED | VIEW_REDRAW;
		}
		i += n;
	}
	v->copy = (const char *)s;
	v->copy_len = len;
	view_msg(v, "%s", "name copied to the clipboard (OSC 52)");
	return VIEW_HANDLED | VIEW_REDRAW | VIEW_COPY;
}

const char *view__copy_text(const struct view *v, size_t *ret_len)
{
	*ret_len = v->copy_len;
	return v->copy;
}

/* f: the selected frame's whole name, wrapped (escaped as everywhere), over the graph. */
void view_draw_name(struct view *v, struct cellbuf *b)
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
