// SPDX-License-Identifier: MIT
/*
 * Cells from text and rectangles. A frame name is untrusted bytes: it is decoded strictly as
 * UTF-8 and anything the terminal would interpret (C0/C1 controls, DEL, invalid sequences,
 * zero-width or unprintable code points such as bidi overrides) becomes a visible escape.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "palette.h"
#include "render.h"
#include "utf8.h"

#define ELLIPSIS_UTF8 0x2026
#define SHADE_UTF8 0x2591 /* light shade, for merged remainders */

struct cellbuf *cellbuf__new(void)
{
	return calloc(1, sizeof(struct cellbuf));
}

struct cellbuf *cellbuf__free(struct cellbuf *b)
{
	if (!b)
		return NULL;
	free(b->cells);
	free(b);
	return NULL;
}

int cellbuf__resize(struct cellbuf *b, int w, int h)
{
	struct cell *c;

	if (w < 0 || h < 0)
		return -EINVAL;
	if (w != b->w || h != b->h) {
		c = calloc((size_t)w * (size_t)h + 1, sizeof(*c));
		if (!c)
			return -ENOMEM;
		free(b->cells);
		b->cells = c;
		b->w = w;
		b->h = h;
	}
	cellbuf__clear(b);
	return 0;
}

void cellbuf__clear(struct cellbuf *b)
{
	for (size_t i = 0; i < (size_t)b->w * (size_t)b->h; i++)
		b->cells[i] = (struct cell){ .ch = ' ' };
}

struct cell *cellbuf__at(const struct cellbuf *b, int x, int y)
{
	if (x < 0 || y < 0 || x >= b->w || y >= b->h)
		return NULL;
	return &b->cells[(size_t)y * (size_t)b->w + (size_t)x];
}

void cellbuf__fill(struct cellbuf *b, int x, int y, int w, uint32_t ch, enum color_role role,
		   int shade)
{
	for (int i = 0; i < w; i++) {
		struct cell *c = cellbuf__at(b, x + i, y);

		if (c)
			*c = (struct cell){ .ch = ch, .role = role, .shade = (uint8_t)shade };
	}
}

void cellbuf__row_text(const struct cellbuf *b, int y, char *out, size_t size)
{
	size_t n = 0;

	if (!size)
		return;
	for (int x = 0; x < b->w; x++) {
		const struct cell *c = cellbuf__at(b, x, y);

		if (!c || !c->ch)
			continue;
		if (n + UTF8_MAX + 1 > size)
			break;
		n += utf8__encode(c->ch, out + n);
	}
	out[n] = '\0';
}

/*
 * One source unit of the text -> the code points to show and the cells they take. Escapes
 * are ASCII only, so they are safe on any terminal.
 */
struct glyphs {
	uint32_t cp[12];
	int n;
	int cells;
};

static size_t next_unit(const struct cellbuf *b, const unsigned char *s, size_t len,
			struct glyphs *g)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t cp = 0;
	size_t n = utf8__decode(s, len, &cp);
	int w;

	g->n = 0;
	if (!n) {
		/* invalid byte: \xNN */
		g->cp[g->n++] = '\\';
		g->cp[g->n++] = 'x';
		g->cp[g->n++] = (uint32_t)hex[s[0] >> 4];
		g->cp[g->n++] = (uint32_t)hex[s[0] & 15];
		g->cells = g->n;
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f) {
		g->cp[g->n++] = '\\';
		g->cp[g->n++] = 'x';
		g->cp[g->n++] = (uint32_t)hex[cp >> 4];
		g->cp[g->n++] = (uint32_t)hex[cp & 15];
		g->cells = g->n;
		return n;
	}
	if (cp < 0x80) {
		g->cp[g->n++] = cp;
		g->cells = 1;
		return n;
	}
	w = b->ascii || !utf8__harmless(cp) ? -1 : wcwidth((wchar_t)cp);
	if (w == 1 || w == 2) {
		g->cp[g->n++] = cp;
		g->cells = w;
		return n;
	}
	/* C1 controls, zero-width, bidi overrides, or a terminal that cannot show it: \uXXXX,
	 * and \UXXXXXXXX past U+FFFF (as C and Python spell them; \u01fae8 reads as U+01FA). */
	g->cp[g->n++] = '\\';
	g->cp[g->n++] = cp > 0xffff ? 'U' : 'u';
	for (int shift = cp > 0xffff ? 28 : 12; shift >= 0; shift -= 4)
		g->cp[g->n++] = (uint32_t)hex[(cp >> shift) & 15];
	g->cells = g->n;
	return n;
}

int render__text_width(const struct cellbuf *b, const char *s, size_t len, int limit)
{
	const unsigned char *p = (const unsigned char *)s;
	struct glyphs g;
	int w = 0;

	for (size_t i = 0; i < len && w <= limit;) {
		i += next_unit(b, p + i, len - i, &g);
		w += g.cells;
	}
	return w;
}

static void put_glyphs(struct cellbuf *b, int x, int y, const struct glyphs *g,
		       enum color_role role, int shade)
{
	for (int k = 0; k < g->n; k++) {
		struct cell *c = cellbuf__at(b, x++, y);

		if (!c)
			return;
		*c = (struct cell){ .ch = g->cp[k], .role = role, .shade = (uint8_t)shade };
		if (g->cells == 2 && g->n == 1) {
			c = cellbuf__at(b, x++, y);
			if (c)
				*c = (struct cell){ .ch = 0, .role = role, .shade = (uint8_t)shade };
		}
	}
}

int render__text(struct cellbuf *b, int x, int y, int maxw, const char *s, size_t len,
		 enum color_role role, int shade)
{
	const unsigned char *p = (const unsigned char *)s;
	int ellw = b->ascii ? 2 : 1, used = 0, avail;
	struct glyphs g;

	if (x < 0 || y < 0 || y >= b->h || maxw <= 0)
		return 0;
	if (maxw > b->w - x)
		maxw = b->w - x;
	if (maxw <= 0)
		return 0;
	/* Fits entirely: no ellipsis. Otherwise leave room for it. */
	avail = render__text_width(b, s, len, maxw) <= maxw ? maxw : maxw - ellw;
	for (size_t i = 0; i < len;) {
		size_t n = next_unit(b, p + i, len - i, &g);

		if (used + g.cells > avail)
			break;
		put_glyphs(b, x + used, y, &g, role, shade);
		used += g.cells;
		i += n;
	}
	if (avail < maxw) {
		if (avail < 0)
			return 0;
		if (b->ascii) {
			cellbuf__fill(b, x + used, y, 2, '.', role, shade);
			used += 2;
		} else {
			cellbuf__fill(b, x + used, y, 1, ELLIPSIS_UTF8, role, shade);
			used += 1;
		}
	}
	return used;
}

void render__graph(struct cellbuf *b, const struct layout *l, const struct render_graph *g)
{
	for (size_t i = 0; i < layout__count(l); i++) {
		const struct layout_rect *r = layout__rect(l, i);
		int y = layout__screen_row(r->depth, g->scroll, g->height, g->inverted);
		const char *name = "all";
		size_t len = 3;
		enum color_role role;
		int shade, textw;

		if (y < 0)
			continue;
		y += g->top;
		if (r->node->parent) {
			name = trie__name(g->trie, r->node->name);
			len = trie__name_len(g->trie, r->node->name);
			role = palette__kind_role(trie__kind(g->trie, r->node->name));
		} else {
			role = ROLE_ROOT;
		}
		shade = render__shade(name, len);
		if (g->change && r->node->parent) {
			int c = g->change(g->change_ctx, r->node);

			role = c > 0 ? ROLE_DIFF_UP : c < 0 ? ROLE_DIFF_DOWN : ROLE_DIFF_SAME;
			shade = c > 0 ? c - 1 : c < 0 ? -c - 1 : 0;
		}
		if (r->flags & LAYOUT_MERGED)
			role = ROLE_MERGED;
		else if (g->matches && r->node->name < g->nmatches && g->matches[r->node->name])
			role = ROLE_MATCH;
		else if (r->flags & LAYOUT_DIMMED)
			role = ROLE_DIMMED;
		if ((long)i == g->selected)
			role = ROLE_SELECTED;
		/* A one-cell gap at the right edge is the boundary between neighbours. */
		textw = r->width >= 2 ? r->width - 1 : r->width;
		if (r->flags & LAYOUT_MERGED) {
			cellbuf__fill(b, r->col, y, textw, b->ascii ? ':' : SHADE_UTF8, role, shade);
		} else {
			cellbuf__fill(b, r->col, y, textw, ' ', role, shade);
			if (textw >= 2)
				render__text(b, r->col, y, textw, name, len, role, shade);
		}
		if (r->width >= 2)
			cellbuf__fill(b, r->col + textw, y, 1, ' ', ROLE_DEFAULT, 0);
	}
}
