// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the TUI's pure drawing code. Arbitrary bytes as a frame name through
 * render__text (no byte may reach the terminal as a control character, bidi override or
 * zero-width glyph, and nothing is drawn outside the given width), then the input as folded
 * stacks laid out and drawn as a flame graph in a small buffer.
 */
#include <locale.h>

#include "folded.h"
#include "fuzz.h"
#include "layout.h"
#include "render.h"
#include "trie.h"

static bool safe_cp(uint32_t cp, bool ascii)
{
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp > 0x10ffff)
		return false;
	if (ascii && cp >= 0x80)
		return false;
	if ((cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff)
		return false;
	return true;
}

static void check_cells(const struct cellbuf *b)
{
	for (int y = 0; y < b->h; y++)
		for (int x = 0; x < b->w; x++) {
			const struct cell *c = cellbuf__at(b, x, y);

			FUZZ_CHECK(c && c->role < ROLE_COUNT && c->shade < RENDER_SHADES);
			/* 0 is the right half of a wide glyph: never in the first column */
			FUZZ_CHECK(c->ch ? safe_cp(c->ch, b->ascii) : x > 0);
		}
}

static void text(struct cellbuf *b, const uint8_t *data, size_t size)
{
	int x = (int)(size % 7) - 1, maxw = (int)(size % 23) - 2, n, w;
	const char *s = (const char *)data;

	cellbuf__clear(b);
	n = render__text(b, x, 1, maxw, s, size, ROLE_USER, render__shade(s, size));
	FUZZ_CHECK(n >= 0 && n <= (maxw > 0 ? maxw : 0));
	w = render__text_width(b, s, size, 1000);
	FUZZ_CHECK(w >= 0);
	if (w <= maxw)
		FUZZ_CHECK(n == w || x < 0 || x + w > b->w);
	check_cells(b);
	/* only row 1 was written, and only from column x on */
	for (int y = 0; y < b->h; y++)
		for (int i = 0; i < b->w; i++)
			if (y != 1 || i < x)
				FUZZ_CHECK(cellbuf__at(b, i, y)->ch == ' ');
}

static void graph(struct cellbuf *b, const uint8_t *data, size_t size)
{
	struct trie *t = trie__new();
	struct folded_parser *p = t ? folded_parser__new(t) : NULL;
	struct layout *l = layout__new();
	const char *s = (const char *)data, *end = s + size;
	struct render_graph g = { 0 };

	if (!p || !l)
		goto out;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		folded_parser__line(p, s, len);
		s += len + 1;
	}
	if (folded_parser__finish(p))
		goto out;
	trie__sort(t, size & 2 ? TRIE_ORDER_SAMPLES : TRIE_ORDER_NAME);
	if (layout__update(l, t, NULL, b->w))
		goto out;
	for (size_t i = 0; i < layout__count(l); i++) {
		const struct layout_rect *r = layout__rect(l, i);

		FUZZ_CHECK(r->width >= 1 && r->col >= 0 && r->col + r->width <= b->w);
		FUZZ_CHECK(layout__hit(l, r->depth, r->col) == (long)i);
	}
	g.trie = t;
	g.top = 0;
	g.height = b->h;
	g.inverted = size & 4;
	g.selected = layout__count(l) ? (long)(size % layout__count(l)) : -1;
	g.scroll = layout__clamp_scroll(layout__levels(l), b->h, (uint32_t)size);
	cellbuf__clear(b);
	render__graph(b, l, &g);
	check_cells(b);
out:
	layout__free(l);
	folded_parser__free(p);
	trie__free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool locale;
	struct cellbuf *b;

	/* wcwidth() needs a UTF-8 locale, as the program sets one up before drawing */
	if (!locale) {
		setlocale(LC_CTYPE, "C.UTF-8");
		locale = true;
	}
	b = cellbuf__new();
	if (!b || cellbuf__resize(b, 1 + (int)(size % 41), 4)) {
		cellbuf__free(b);
		return 0;
	}
	b->ascii = size & 8;
	text(b, data, size);
	b->ascii = !b->ascii;
	text(b, data, size);
	graph(b, data, size);
	cellbuf__free(b);
	return 0;
}
