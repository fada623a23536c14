// SPDX-License-Identifier: MIT
/*
 * Unit tests of the flame graph's pure parts: layout geometry (proportions, exact tiling over
 * random tries, merging, zoom, inversion, scrolling), rendering (ellipsis, sanitizing,
 * boundaries), search shares, the function table, and the view driven key by key.
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/tui/layout.h"
#include "../../src/tui/render.h"
#include "../../src/tui/search.h"
#include "../../src/tui/table.h"
#include "../../src/tui/view.h"

static uint32_t id(struct trie *t, const char *s)
{
	return trie__intern(t, s, strlen(s), FRAME_USER);
}

/* Adds "a;b;c" with count. */
static void add(struct trie *t, const char *stack, uint64_t count)
{
	uint32_t ids[64];
	size_t n = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *tok = strtok_r(buf, ";", &save); tok && n < 64; tok = strtok_r(NULL, ";", &save))
		ids[n++] = id(t, tok);
	CHECK(trie__add(t, ids, n, count) == 0);
}

static const struct layout_rect *find_name(const struct layout *l, const struct trie *t,
					   const char *name, uint32_t depth)
{
	for (size_t i = 0; i < layout__count(l); i++) {
		const struct layout_rect *r = layout__rect(l, i);

		if (r->depth == depth && r->node->parent && !(r->flags & LAYOUT_MERGED) &&
		    !strcmp(trie__name(t, r->node->name), name))
			return r;
	}
	return NULL;
}

static void test_proportions(void)
{
	struct trie *t = trie__new();
	struct layout *l = layout__new();
	const struct layout_rect *a, *b, *c;

	add(t, "main;a", 60);
	add(t, "main;b", 30);
	add(t, "main", 10);
	trie__sort(t, TRIE_ORDER_NAME);
	CHECK(layout__update(l, t, NULL, 100) == 0);
	CHECK_EQ_U64(layout__levels(l), 3);
	a = find_name(l, t, "a", 2);
	b = find_name(l, t, "b", 2);
	c = find_name(l, t, "main", 1);
	CHECK(a && b && c);
	if (a && b && c) {
		CHECK_EQ_U64(c->col, 0);
		CHECK_EQ_U64(c->width, 100);
		CHECK_EQ_U64(a->col, 0);
		CHECK_EQ_U64(a->width, 60);
		CHECK_EQ_U64(b->col, 60);
		CHECK_EQ_U64(b->width, 30); /* main's self (10) leaves 10 cells empty above it */
	}
	/* the root is one full-width rect on row 0 */
	CHECK(layout__rect(l, 0)->node == trie__root(t));
	CHECK_EQ_U64(layout__rect(l, 0)->width, 100);
	/* an empty trie lays out nothing */
	trie__clear(t);
	CHECK(layout__update(l, t, NULL, 100) == 0);
	CHECK_EQ_U64(layout__count(l), 0);
	CHECK_EQ_U64(layout__levels(l), 0);
	layout__free(l);
	trie__free(t);
}

/* Every sibling group starts at its parent's left edge, is contiguous and stays inside it. */
static void check_tiling(const struct trie *t, const struct layout *l)
{
	size_t n = layout__count(l);
	int width = layout__width(l);

	for (size_t i = 0; i < n; i++) {
		const struct layout_rect *p = layout__rect(l, i), *prev = NULL;
		uint64_t child_sum = 0, shown = 0;
		int end;

		CHECK(p->width >= 1);
		CHECK(p->col >= 0 && p->col + p->width <= width);
		/* no overlap with the next rect on the row */
		if (i + 1 < n && layout__rect(l, i + 1)->depth == p->depth)
			CHECK(p->col + p->width <= layout__rect(l, i + 1)->col);
		if (p->flags & LAYOUT_MERGED)
			continue;
		end = p->col;
		for (size_t j = 0; j < n; j++) {
			const struct layout_rect *c = layout__rect(l, j);

			if (c->depth != p->depth + 1 || c->node->parent != p->node)
				continue;
			if (c->flags & LAYOUT_DIMMED)
				continue;
			/* rects are sorted by col, so siblings come in order */
			CHECK(c->col == end);
			end = c->col + c->width;
			shown += c->samples;
			prev = c;
		}
		for (uint32_t k = 0; k < p->node->nchildren; k++)
			child_sum += trie_children(p->node)[k]->total;
		CHECK(end <= p->col + p->width);
		(void)prev;
		(void)shown;
		/* the children's cells are their share of the row, within rounding of one cell */
		if (!(p->flags & LAYOUT_DIMMED) && p->samples) {
			double want = (double)child_sum * p->width / (double)p->samples;

			CHECK((double)(end - p->col) >= want - 1.0001 &&
			      (double)(end - p->col) <= want + 1.0001);
		}
	}
	(void)t;
}

static void test_random_tiling(void)
{
	unsigned seed = 12345;

	for (int round = 0; round < 300; round++) {
		struct trie *t = trie__new();
		struct layout *l = layout__new();
		int stacks = 1 + rand_r(&seed) % 200, width = 1 + rand_r(&seed) % 300;
		uint64_t level1 = 0;
		int cells1 = 0;

		for (int s = 0; s < stacks; s++) {
			uint32_t ids[12];
			size_t depth = (size_t)(rand_r(&seed) % 12);
			char name[16];

			for (size_t d = 0; d < depth; d++) {
				snprintf(name, sizeof(name), "f%d", rand_r(&seed) % 6);
				ids[d] = id(t, name);
			}
			/* heavy-tailed counts give both huge and tiny frames */
			CHECK(trie__add(t, ids, depth,
					(uint64_t)1 << (rand_r(&seed) % 20)) == 0);
		}
		trie__sort(t, round % 2 ? TRIE_ORDER_SAMPLES : TRIE_ORDER_NAME);
		CHECK(layout__update(l, t, NULL, width) == 0);
		check_tiling(t, l);
		/* row 1 as a whole: exactly round(sum * width / total) cells, none lost */
		for (uint32_t k = 0; k < trie__root(t)->nchildren; k++)
			level1 += trie_children(trie__root(t))[k]->total;
		for (size_t i = 0; i < layout__count(l); i++)
			if (layout__rect(l, i)->depth == 1)
				cells1 += layout__rect(l, i)->width;
		CHECK_EQ_U64(cells1, (level1 * 2 * (uint64_t)width + trie__total(t)) /
					     (2 * trie__total(t)));
		/* zoom into the widest frame at depth 1 and check again */
		if (trie__root(t)->nchildren) {
			CHECK(layout__update(l, t, trie_children(trie__root(t))[0], width) == 0);
			check_tiling(t, l);
		}
		layout__free(l);
		trie__free(t);
	}
}

static void test_merging(void)
{
	struct trie *t = trie__new();
	struct layout *l = layout__new();
	const struct layout_rect *m = NULL;
	char stack[32];
	int cells = 0;

	add(t, "big", 1000);
	for (int i = 0; i < 50; i++) {
		snprintf(stack, sizeof(stack), "tiny%02d;leaf", i);
		add(t, stack, 1);
	}
	trie__sort(t, TRIE_ORDER_NAME);
	CHECK(layout__update(l, t, NULL, 100) == 0);
	for (size_t i = 0; i < layout__count(l); i++) {
		const struct layout_rect *r = layout__rect(l, i);

		if (r->depth == 1)
			cells += r->width;
		if (r->flags & LAYOUT_MERGED)
			m = r;
		/* nothing is laid out above a merged run */
		CHECK(r->depth < 2);
	}
	CHECK(m != NULL);
	if (m) {
		CHECK_EQ_U64(m->nmerged, 50);
		CHECK_EQ_U64(m->samples, 50);
		CHECK_EQ_U64(m->width, 5); /* 50/1050 of 100 cells = 4.76 */
	}
	CHECK_EQ_U64(cells, 100);

	/* the zoom into the run: only its frames, across the whole width, each with room */
	{
		uint32_t run[50];
		size_t n = 0, leaves = 0;

		for (int i = 0; i < 50; i++) {
			snprintf(stack, sizeof(stack), "tiny%02d", i);
			run[n++] = trie__intern(t, stack, strlen(stack), FRAME_USER);
		}
		/* ascending ids: interned in this order */
		CHECK(layout__update_run(l, t, NULL, run, n, 100) == 0);
		CHECK_EQ_U64(layout__total(l), 50);
		cells = 0;
		for (size_t i = 0; i < layout__count(l); i++) {
			const struct layout_rect *r = layout__rect(l, i);

			CHECK(!(r->flags & LAYOUT_MERGED));
			if (r->depth == 1) {
				cells += r->width;
				CHECK(!strncmp(trie__name(t, r->node->name), "tiny", 4));
				CHECK_EQ_U64(r->width, 2);
			}
			leaves += r->depth == 2;
		}
		CHECK_EQ_U64(cells, 100);
		CHECK_EQ_U64(leaves, 50); /* their children are laid out too */
		CHECK(layout__update_run(l, t, NULL, run + 10, 1, 100) == 0);
		CHECK_EQ_U64(layout__total(l), 1);
		CHECK_EQ_U64(layout__count(l), 3); /* all, tiny10, leaf */
		CHECK(layout__update(l, t, NULL, 100) == 0);
		CHECK_EQ_U64(layout__total(l), 1050);
	}
	layout__free(l);
	trie__free(t);
}

static void test_zoom(void)
{
	struct trie *t = trie__new();
	struct layout *l = layout__new();
	const struct trie_node *main_n, *work;
	const struct layout_rect *r;
	long i;

	add(t, "main;work;x", 30);
	add(t, "main;work;y", 10);
	add(t, "main;idle", 60);
	trie__sort(t, TRIE_ORDER_NAME);
	main_n = trie__child(t, trie__root(t), id(t, "main"));
	work = trie__child(t, main_n, id(t, "work"));
	CHECK(layout__update(l, t, work, 80) == 0);
	i = layout__find(l, work, false);
	CHECK(i >= 0);
	r = layout__rect(l, (size_t)i);
	CHECK(r && r->col == 0 && r->width == 80 && (r->flags & LAYOUT_ZOOM));
	/* ancestors: full width, dimmed */
	r = layout__rect(l, (size_t)layout__find(l, main_n, false));
	CHECK(r && r->width == 80 && (r->flags & LAYOUT_DIMMED));
	r = layout__rect(l, 0);
	CHECK(r->node == trie__root(t) && (r->flags & LAYOUT_DIMMED) && r->width == 80);
	/* idle is not shown; x gets 3/4 of the width */
	CHECK(find_name(l, t, "idle", 2) == NULL);
	r = find_name(l, t, "x", 3);
	CHECK(r && r->col == 0 && r->width == 60);
	r = find_name(l, t, "y", 3);
	CHECK(r && r->col == 60 && r->width == 20);
	/* navigation helpers */
	i = layout__find(l, work, false);
	CHECK(layout__rect(l, (size_t)layout__widest_child(l, (size_t)i))->node ==
	      trie__child(t, work, id(t, "x")));
	{
		long x = layout__hit(l, 3, 10), y = layout__hit(l, 3, 65);

		CHECK(x >= 0 && y >= 0);
		CHECK(layout__neighbour(l, (size_t)x, 1) == y);
		CHECK(layout__neighbour(l, (size_t)y, -1) == x);
		CHECK(layout__neighbour(l, (size_t)y, 1) == -1);
		CHECK(layout__hit(l, 3, 80) == -1);
		CHECK(layout__hit(l, 9, 0) == -1);
	}
	layout__free(l);
	trie__free(t);
}

static void test_viewport(void)
{
	/* flame graph: root at the bottom row */
	CHECK(layout__screen_row(0, 0, 10, false) == 9);
	CHECK(layout__screen_row(9, 0, 10, false) == 0);
	CHECK(layout__screen_row(10, 0, 10, false) == -1);
	/* icicle: root on top */
	CHECK(layout__screen_row(0, 0, 10, true) == 0);
	CHECK(layout__screen_row(3, 0, 10, true) == 3);
	/* scrolled by 5: depths 5..14 visible */
	CHECK(layout__screen_row(4, 5, 10, false) == -1);
	CHECK(layout__screen_row(5, 5, 10, false) == 9);
	CHECK(layout__screen_row(14, 5, 10, true) == 9);
	CHECK(layout__row_depth(9, 5, 10, false) == 5);
	CHECK(layout__row_depth(0, 5, 10, true) == 5);
	CHECK(layout__row_depth(10, 5, 10, true) == UINT32_MAX);
	for (uint32_t d = 0; d < 30; d++)
		for (int inv = 0; inv < 2; inv++) {
			int y = layout__screen_row(d, 7, 12, inv);

			if (y >= 0)
				CHECK(layout__row_depth(y, 7, 12, inv) == d);
		}
	CHECK(layout__clamp_scroll(5, 10, 3) == 0);
	CHECK(layout__clamp_scroll(25, 10, 30) == 15);
	CHECK(layout__scroll_to(25, 10, 0, 12) == 3);
	CHECK(layout__scroll_to(25, 10, 10, 4) == 4);
	CHECK(layout__scroll_to(25, 10, 5, 8) == 5);
}

static const char *row(const struct cellbuf *b, int y)
{
	static char text[1024];

	cellbuf__row_text(b, y, text, sizeof(text));
	return text;
}

static void test_render(void)
{
	struct trie *t = trie__new();
	struct layout *l = layout__new();
	struct cellbuf *b = cellbuf__new();
	struct render_graph g = { .trie = t, .top = 0, .height = 3, .selected = -1 };
	const char evil[] = "ev\x1b[2Jil";
	uint32_t ids[2];
	const struct cell *c;

	ids[0] = id(t, "abcdefghij");
	CHECK(trie__add(t, ids, 1, 6) == 0);
	ids[0] = trie__intern(t, evil, sizeof(evil) - 1, FRAME_USER);
	CHECK(trie__add(t, ids, 1, 24) == 0);
	ids[0] = trie__intern(t, "bad\xff\xc3(", 6, FRAME_KERNEL);
	ids[1] = id(t, "zz");
	CHECK(trie__add(t, ids, 2, 30) == 0);
	trie__sort(t, TRIE_ORDER_NAME);
	CHECK(cellbuf__resize(b, 60, 3) == 0);
	CHECK(layout__update(l, t, NULL, 60) == 0);
	render__graph(b, l, &g);
	/* root "all" on the bottom row, full width minus the boundary cell */
	CHECK(!strncmp(row(b, 2), "all ", 4));
	/* row 1: "abcdefghij" has 6 cells (5 for text): cut with an ellipsis */
	CHECK(!strncmp(row(b, 1), "abcd\u2026 ", 8));
	/* the boundary: the 6th cell is a gap in the default role */
	c = cellbuf__at(b, 5, 1);
	CHECK(c->ch == ' ' && c->role == ROLE_DEFAULT);
	c = cellbuf__at(b, 4, 1);
	CHECK(c->role == ROLE_USER);
	/* the escape sequence is shown escaped, and no cell holds a control character */
	CHECK(strstr(row(b, 1), "ev\\x1b[2Jil") != NULL);
	CHECK(strstr(row(b, 1), "bad\\xff\\xc3(") != NULL);
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 60; x++)
			CHECK(cellbuf__at(b, x, y)->ch >= 0x20 || cellbuf__at(b, x, y)->ch == 0);
	/* kernel frames get their own colour role */
	c = cellbuf__at(b, 30, 1);
	CHECK(c->role == ROLE_KERNEL);
	/* icicle: root on top */
	g.inverted = true;
	cellbuf__clear(b);
	render__graph(b, l, &g);
	CHECK(!strncmp(row(b, 0), "all ", 4));
	/* ASCII terminals: ".." ellipsis, non-ASCII escaped */
	b->ascii = true;
	cellbuf__clear(b);
	CHECK(render__text(b, 0, 0, 20, "h\xc3\xa9llo world", 12, ROLE_USER, 0) == 16);
	CHECK(!strncmp(row(b, 0), "h\\u00e9llo world ", 17));
	cellbuf__clear(b);
	/* past U+FFFF: \U and eight digits (U+1FAE8), never a six-digit \u */
	CHECK(render__text(b, 0, 0, 20, "a\xf0\x9f\xab\xa8" "b", 6, ROLE_USER, 0) == 12);
	CHECK(!strncmp(row(b, 0), "a\\U0001fae8b ", 13));
	cellbuf__clear(b);
	/* an escape is never cut in half: it goes whole or not at all */
	CHECK(render__text(b, 0, 0, 6, "h\xc3\xa9llo world", 12, ROLE_USER, 0) == 3);
	CHECK(!strncmp(row(b, 0), "h.. ", 4));
	b->ascii = false;
	cellbuf__clear(b);
	/* wide glyphs take two cells; a bidi override is escaped */
	CHECK(render__text(b, 0, 0, 20, "\xe6\x97\xa5x\xe2\x80\xae", 7, ROLE_USER, 0) == 9);
	CHECK(!strncmp(row(b, 0), "\xe6\x97\xa5x\\u202e", 10));
	/* same name, same shade */
	CHECK(render__shade("foo", 3) == render__shade("foo", 3));
	cellbuf__free(b);
	layout__free(l);
	trie__free(t);
}

static void test_search_and_table(void)
{
	struct trie *t = trie__new();
	struct search *s = search__new();
	struct ftable *ft = ftable__new();
	char err[128], re[64];

	add(t, "main;work;leaf", 3);
	add(t, "main;other;leaf", 3);
	add(t, "main;idle", 4);
	add(t, "rec;rec;rec", 5);
	/* leaf: 6 of 15 = 40%; "main|leaf": main's 10 only (leaf nested inside) */
	CHECK(search__set(s, "^leaf$", err, sizeof(err)) == 0);
	CHECK(search__update(s, t) == 0);
	CHECK_EQ_U64(search__matched(s, trie__root(t)), 6);
	CHECK(search__set(s, "main|leaf", err, sizeof(err)) == 0);
	CHECK(search__update(s, t) == 0);
	CHECK_EQ_U64(search__matched(s, trie__root(t)), 10);
	CHECK(search__set(s, "(", err, sizeof(err)) == -EINVAL);
	CHECK(err[0] != '\0');
	CHECK_STR(search__pattern(s), "main|leaf"); /* the old search stays */
	CHECK(search__quote("a.b(c)", 6, re, sizeof(re)) == 0);
	CHECK_STR(re, "^a\\.b\\(c\\)$");
	CHECK(search__set(s, re, err, sizeof(err)) == 0);
	CHECK(search__match_text(s, "a.b(c)") && !search__match_text(s, "axb(c)"));

	CHECK(ftable__build(ft, t) == 0);
	CHECK(ftable__view(ft, t, FTABLE_BY_TOTAL, NULL) == 0);
	CHECK_STR(trie__name(t, ftable__row(ft, 0)->name), "main");
	CHECK_EQ_U64(ftable__row(ft, 0)->total, 10);
	for (size_t i = 0; i < ftable__count(ft); i++) {
		const struct ftable_row *r = ftable__row(ft, i);

		if (!strcmp(trie__name(t, r->name), "rec")) {
			CHECK_EQ_U64(r->total, 5); /* once per stack, not 15 */
			CHECK_EQ_U64(r->self, 5);
		}
		if (!strcmp(trie__name(t, r->name), "leaf"))
			CHECK_EQ_U64(r->self, 6);
	}
	CHECK(ftable__view(ft, t, FTABLE_BY_SELF, NULL) == 0);
	CHECK_STR(trie__name(t, ftable__row(ft, 0)->name), "leaf");
	CHECK(search__set(s, "^i", err, sizeof(err)) == 0);
	CHECK(ftable__view(ft, t, FTABLE_BY_SELF, s) == 0);
	CHECK_EQ_U64(ftable__count(ft), 1);
	ftable__free(ft);
	search__free(s);
	trie__free(t);
}

static int key(struct view *v, int k)
{
	struct term_event ev = { .type = TERM_EV_KEY, .key = k };

	return view__event(v, &ev);
}

static int find_text(const struct cellbuf *b, const char *s)
{
	for (int y = 0; y < b->h; y++)
		if (strstr(row(b, y), s))
			return y;
	return -1;
}

static void test_view(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test", .drops_text = "lost 0" };
	struct view *v;
	struct cellbuf *b = cellbuf__new();
	int y;

	/* work (60) and leaf (50) have different shares, so every check can tell them apart */
	add(t, "main;work;leaf", 50);
	add(t, "main;work", 10);
	add(t, "main;rest", 40);
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 80, 20) == 0);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "100 samples") && strstr(row(b, 0), "lost 0"));
	CHECK(!strncmp(row(b, 18), "all", 3)); /* the selection starts on the root */
	/* up = toward the leaves in a flame graph */
	CHECK(key(v, TK_UP) & VIEW_REDRAW);
	CHECK(key(v, 'k') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "work", 4));
	CHECK(strstr(row(b, 19), "60 samples, 60.00% of all"));
	/* left: the neighbour "rest" (siblings in name order) */
	key(v, TK_LEFT);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "rest", 4));
	key(v, TK_RIGHT);
	/* zoom: work fills the row */
	CHECK(key(v, TK_ENTER) & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	y = find_text(b, "work");
	CHECK(y == 15);
	CHECK(y >= 0 && !strstr(row(b, y), "rest"));
	CHECK(strstr(row(b, 19), "100.00% of zoom") != NULL);
	/* leaf is most of the zoom, and the only name on its row */
	CHECK(find_text(b, "leaf") == 14);
	CHECK(!strstr(row(b, 14), "rest") && !strstr(row(b, 14), "work"));
	key(v, TK_BACKSPACE);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 15), "rest") != NULL);
	/* search */
	key(v, '/');
	key(v, 'l');
	key(v, 'e');
	key(v, TK_ENTER);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "Matched: 50.00%") != NULL); /* leaf's share, not work's */
	/* a bad regex reports */
	key(v, '/');
	key(v, TK_BACKSPACE);
	key(v, TK_BACKSPACE);
	key(v, '(');
	key(v, TK_ENTER);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 18), "bad regular expression") != NULL);
	CHECK(strstr(row(b, 19), "search (regex): /(_") != NULL);
	key(v, TK_ESC);
	/* icicle */
	key(v, 'i');
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 1), "all", 3));
	/* table */
	key(v, 'r'); /* the selection back on the root */
	key(v, 't');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "Total") && strstr(row(b, 2), "main"));
	CHECK(strstr(row(b, 3), "work") && strstr(row(b, 4), "leaf") && strstr(row(b, 5), "rest"));
	key(v, TK_DOWN);
	key(v, TK_ENTER); /* back to the graph with that function (work) highlighted */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "Matched: 60.00%") != NULL);
	/* and selected: the status line is about it */
	CHECK(!strncmp(row(b, 18), "work ", 5));
	CHECK(strstr(row(b, 19), "60 samples, 60.00% of all") != NULL);
	key(v, 'r');
	/* help */
	key(v, '?');
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "flametui keys") >= 0);
	key(v, 'x');
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "flametui keys") < 0);
	/* q closes a popup ("any key: close") and does not quit: in a live mode that would end
	 * the session */
	key(v, '?');
	CHECK(!(key(v, 'q') & VIEW_QUIT));
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "flametui keys") < 0);
	key(v, 'n'); /* the match: work */
	key(v, 'f');
	CHECK(view__draw(v, b) == 0);

	CHECK(find_text(b, "full name (y: copy") >= 0);
	CHECK(!(key(v, 'q') & VIEW_QUIT));
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "full name (y: copy") < 0);
	CHECK(key(v, 'q') & VIEW_QUIT);
	/* too small */
	CHECK(cellbuf__resize(b, 30, 8) == 0);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "too small") != NULL);
	CHECK(key(v, 'q') & VIEW_QUIT);
	/* no samples */
	view__free(v);
	trie__clear(t);
	v = view__new(t, &info, NULL);
	CHECK(cellbuf__resize(b, 80, 20) == 0);
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "no samples") > 0);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* Frames too narrow for a cell: Enter on the merged block zooms in, and n/N reach matches in
 * narrow frames (zooming as needed), in order, both ways. */
static void test_narrow_frames(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test" };
	struct cellbuf *b = cellbuf__new();
	struct view *v;
	char stack[64];

	add(t, "main;hot", 1000);
	for (int i = 0; i < 40; i++) {
		snprintf(stack, sizeof(stack), "main;tiny%02d;%s", i, i == 7 || i == 30 ? "needle" : "x");
		add(t, stack, 1);
	}
	add(t, "main;tiny05;y", 2); /* the heaviest of the merged run */
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 80, 20) == 0);
	if (!v || !b)
		goto out;
	CHECK(view__draw(v, b) == 0);
	/* search: the match share is known, and n reaches the first needle (under tiny07) */
	key(v, '/');
	for (const char *p = "needle"; *p; p++)
		key(v, *p);
	key(v, TK_ENTER);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "Matched: ") != NULL);
	CHECK(key(v, 'n') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "needle", 6));
	CHECK(strstr(row(b, 19), "zoomed") != NULL);
	CHECK(find_text(b, "tiny07") >= 0);
	/* n again: the second needle (under tiny30); n once more wraps to the first */
	key(v, 'n');
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "needle", 6) && find_text(b, "tiny30") >= 0);
	key(v, 'n');
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "needle", 6) && find_text(b, "tiny07") >= 0);
	/* N goes back: from the first, around to the last */
	key(v, 'N');
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "needle", 6) && find_text(b, "tiny30") >= 0);
	key(v, TK_ESC); /* clears the search */
	/* a search with one match: n selects it, then says it is the only one (not "no match",
	 * which a live view's fresh profile showed after c) */
	key(v, 'r');
	key(v, '/');
	for (const char *p = "^hot$"; *p; p++)
		key(v, *p);
	key(v, TK_ENTER);
	key(v, 'n');
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "hot", 3));
	key(v, 'n');
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "the only match") >= 0 && find_text(b, "no match") < 0);
	CHECK(!strncmp(row(b, 18), "hot", 3));
	key(v, 'N');
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "the only match") >= 0);
	key(v, TK_ESC);
	/* Enter on the merged block of tiny frames zooms into the range it stands for: the 40
	 * frames across the width (hot is not in it), the heaviest selected */
	key(v, 'r');
	key(v, TK_UP);
	key(v, TK_UP); /* main, then its widest child: hot */
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "hot", 3));
	key(v, TK_RIGHT); /* the merged run right of hot (siblings in name order) */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 18), "frames merged") != NULL);
	CHECK(key(v, TK_ENTER) & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "tiny05", 6));
	CHECK(strstr(row(b, 19), "zoomed into the merged frames") != NULL);
	CHECK(find_text(b, "hot") < 0);
	key(v, TK_LEFT);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "tiny04", 6)); /* its neighbour has a rect of its own */
	CHECK(strstr(row(b, 19), "1 samples, 0.10% of all, 2.38% of zoom") != NULL); /* 1 of 42 */
	key(v, TK_RIGHT);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "3 samples, 0.29% of all, 7.14% of zoom | zoomed") != NULL);
	key(v, TK_ESC);
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "hot") >= 0);
out:
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* Small terminals keep what matters: the header's sample count past a long path, the table's
 * function names at 40 columns, every help line at 40x10 (wrapped, and scrolled to). */
static void test_small_terminals(void)
{
	struct trie *t = trie__new();
	struct tui_info info = {
		.source = "file: /home/someone/projects/with/a/rather/long/path/to/profile.folded "
			  "(folded)",
		.drops_text = NULL,
	};
	struct cellbuf *b = cellbuf__new();
	struct view *v;
	bool seen_ring = false, seen_last = false;

	add(t, "main;compute_the_checksums", 70);
	add(t, "main;idle", 30);
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 80, 20) == 0);
	if (!v || !b)
		goto out;
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "100 samples") != NULL);
	CHECK(strstr(row(b, 0), "profile.folded") != NULL); /* the end of the path stays */
	/* the table at 40 columns: shares and names */
	CHECK(cellbuf__resize(b, 40, 12) == 0);
	key(v, 't');
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "Function") >= 0);
	CHECK(find_text(b, "compute_the_check") >= 0);
	CHECK(find_text(b, "70.00%") >= 0);
	key(v, 't');
	/* help at 40x10: scroll through it; every line shows up, none cut */
	CHECK(cellbuf__resize(b, 40, 10) == 0);
	key(v, '?');
	for (int i = 0; i < 80; i++) {
		CHECK(view__draw(v, b) == 0);
		if (find_text(b, "ring mode") >= 0)
			seen_ring = true;
		if (find_text(b, "closes it") >= 0)
			seen_last = true;
		CHECK(find_text(b, "flametui keys") >= 0 || i > 0);
		for (int y = 0; y < b->h; y++)
			CHECK(!strstr(row(b, y), "…"));
		key(v, 'j');
	}
	CHECK(seen_ring && seen_last);
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "k/Up: more") >= 0);
	key(v, 'x'); /* another key closes it */
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "closes it") < 0);
out:
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* f shows the selected frame's whole name, wrapped; y copies it (OSC 52) when it is inert. */
static void test_full_name(void)
{
	static const char name[] =
		"std::vector<std::pair<std::basic_string<char>, std::map<int, std::function<void "
		"(std::shared_ptr<my::very::long_namespace::Widget<float, 3ul>>)>>>>::_M_realloc_"
		"insert<std::pair<std::basic_string<char>, std::map<int, std::function<void ()>>>>"
		"(iterator, value_type&&) [clone .isra.0] END";
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test" };
	struct cellbuf *b = cellbuf__new();
	char all[4096] = "";
	uint32_t ids[2];
	const char *copied;
	struct view *v;
	size_t len = 0;
	int rc;

	ids[0] = trie__intern(t, "main", 4, FRAME_USER);
	ids[1] = trie__intern(t, name, strlen(name), FRAME_USER);
	CHECK(trie__add(t, ids, 2, 10) == 0); /* add() would cut the name at 256 bytes */
	add(t, "main;evil\x1b]0;title\x07", 1);
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 60, 20) == 0);
	if (!v || !b)
		goto out;
	CHECK(view__draw(v, b) == 0);
	key(v, TK_UP);
	key(v, TK_UP); /* main, then the long one (the widest) */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 18), "…") != NULL); /* cut in the status line */
	CHECK(key(v, 'f') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "full name") >= 0);
	for (int y = 2; y < b->h; y++) {
		const char *r = row(b, y);
		size_t n = strlen(r);

		/* the box's text starts at column 2; drop the trailing blanks */
		while (n > 2 && r[n - 1] == ' ')
			n--;
		if (n > 2 && strlen(all) + n < sizeof(all))
			memcpy(all + strlen(all), r + 2, n - 2);
	}
	/* every character is there, in order (lines break at cell boundaries, not words) */
	CHECK(strstr(all, "END") != NULL && strstr(all, "_M_realloc_insert") != NULL);
	CHECK(strstr(all, "3ul>>)>>>>") != NULL);
	rc = key(v, 'y');
	CHECK(rc & VIEW_COPY);
	copied = view__copy_text(v, &len);
	CHECK(copied && len == strlen(name) && !memcmp(copied, name, len));
	key(v, 'x'); /* closes the name */
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "full name") < 0);
	/* a name with an escape sequence is never copied */
	key(v, TK_LEFT);
	CHECK(view__draw(v, b) == 0);
	CHECK(!strncmp(row(b, 18), "evil", 4));
	rc = key(v, 'y');
	CHECK(!(rc & VIEW_COPY));
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "not copied") >= 0);
out:
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* A tui_info.write that fails for names starting with "bad", and keeps the last name asked. */
static char written[256];

static int fake_write(void *ctx, const struct tui_export *x, const char *path, char *msg,
		      size_t cap)
{
	(void)ctx;
	(void)x;
	snprintf(written, sizeof(written), "%s", path);
	if (!strncmp(path, "bad", 3)) {
		snprintf(msg, cap, "cannot create '%s'", path);
		return -EACCES;
	}
	snprintf(msg, cap, "wrote %s", path);
	return 0;
}

static void type(struct view *v, const char *s)
{
	while (*s)
		key(v, (unsigned char)*s++);
}

/* The prompt: what it opens with is replaced by typing, edited by Backspace, cleared by
 * Ctrl-U; a name that failed is not offered again; a long input shows its end. */
static void test_prompt(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test", .write = fake_write };
	struct cellbuf *b = cellbuf__new();
	struct view *v;
	int y;

	add(t, "main;work", 10);
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 60, 20) == 0);
	CHECK(view__draw(v, b) == 0);
	key(v, 'e');
	CHECK(view__draw(v, b) == 0);
	y = find_text(b, "export to");
	CHECK(y >= 0 && strstr(row(b, y), ": flametui.svg_"));
	type(v, "/tmp/x.svg"); /* replaces the suggestion */
	key(v, TK_ENTER);
	CHECK(!strcmp(written, "/tmp/x.svg"));
	/* the next prompt starts from it; Backspace edits it */
	key(v, 'e');
	key(v, TK_BACKSPACE);
	key(v, TK_BACKSPACE);
	key(v, TK_BACKSPACE);
	type(v, "folded");
	key(v, TK_ENTER);
	CHECK(!strcmp(written, "/tmp/x.folded"));
	/* a name that failed is not offered again */
	key(v, 'e');
	type(v, "bad/y.svg");
	key(v, TK_ENTER);
	CHECK(!strcmp(written, "bad/y.svg"));
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "cannot create 'bad/y.svg'") >= 0);
	key(v, 'e');
	CHECK(view__draw(v, b) == 0);
	y = find_text(b, "export to");
	CHECK(y >= 0 && strstr(row(b, y), ": /tmp/x.folded_"));
	/* Ctrl-U clears the line: Enter on nothing writes nothing */
	written[0] = '\0';
	key(v, 0x15);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, y), "pb.gz): _") != NULL);
	key(v, TK_ENTER);
	CHECK(written[0] == '\0');
	/* longer than the line: its end and the cursor stay in sight */
	key(v, 'e');
	type(v, "/a/very/long/directory/name/that/goes/on/and/on/past/the/edge/end.svg");
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, y), "\u2026") && strstr(row(b, y), "/edge/end.svg_"));
	key(v, TK_ESC);
	/* the search prompt too: it opens with the current search, typing replaces it */
	key(v, '/');
	type(v, "work");
	key(v, TK_ENTER);
	key(v, '/');
	type(v, "main");
	CHECK(view__draw(v, b) == 0);
	CHECK(find_text(b, "search (regex): /main_") >= 0);
	key(v, TK_ESC);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 77;
	test_proportions();
	test_random_tiling();
	test_merging();
	test_zoom();
	test_viewport();
	test_render();
	test_search_and_table();
	test_view();
	test_narrow_frames();
	test_small_terminals();
	test_full_name();
	test_prompt();
	return check_done();
}
