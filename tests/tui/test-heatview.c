// SPDX-License-Identifier: MIT
/*
 * The heat map without a terminal: the drawn cells against a grid computed by hand (shades,
 * ASCII glyphs, the selection), ranges marked by keys and by clicks as times (cell edges),
 * +/- keeping the cursor's time, and the view's h/range/back cycle.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "heatmap.h"
#include "heatview.h"
#include "timeline.h"
#include "trie.h"
#include "tui.h"
#include "view.h"

#define MS 1000000ull

static int key(struct heatview *h, int k)
{
	return heatview__key(h, k);
}

static void test_glyphs(void)
{
	CHECK(heatmap__glyph(0, 10) == ' ');
	CHECK(heatmap__glyph(10, 10) == '@');
	CHECK(heatmap__glyph(1, 10) == '.');
	CHECK_EQ_U64(heatmap__shade(10, 10), RENDER_SHADES - 1);
	CHECK_EQ_U64(heatmap__shade(1, 100), 0);
	CHECK_EQ_U64(heatmap__shade(0, 100), 0);
}

static void test_draw(void)
{
	/* 3 columns x 4 rows, column major */
	uint32_t counts[12] = { 0, 1, 2, 4, 4, 0, 0, 0, 1, 1, 1, 1 };
	struct heatmap_view hv = { .counts = counts, .cols = 3, .rows = 4, .max = 4,
				   .cur_col = 2, .cur_row = 3, .glyphs = true };
	struct cellbuf *b = cellbuf__new();
	char row[256];

	CHECK(b && cellbuf__resize(b, 40, 10) == 0);
	heatmap__draw(b, 1, 6, &hv);
	cellbuf__row_text(b, 2, row, sizeof(row));
	CHECK(!strncmp(row + HEATMAP_LABEL_W, " @-", 3)); /* row 0 of each second (1 of 4: "-") */
	cellbuf__row_text(b, 5, row, sizeof(row));
	CHECK(!strncmp(row + HEATMAP_LABEL_W, "@ ", 2)); /* row 3; then the cursor */
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W + 2, 5)->role, ROLE_SELECTED);
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W, 3)->role, ROLE_HEAT);
	/* a selection: cells 1..4 (col 0 rows 1-3, col 1 row 0) */
	hv.has_sel = true, hv.sel_a = 1, hv.sel_b = 4, hv.glyphs = false;
	heatmap__draw(b, 1, 6, &hv);
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W, 2)->role, ROLE_DEFAULT); /* empty, outside */
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W, 3)->role, ROLE_HEAT_SEL);
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W + 1, 2)->role, ROLE_HEAT_SEL);
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W + 1, 3)->role, ROLE_DEFAULT);
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W + 1, 2)->shade, RENDER_SHADES - 1);
	/* hits: the grid's cells, nothing in the margin or past the grid */
	uint32_t c, r;
	CHECK(heatmap__hit(&hv, 40, 1, 6, HEATMAP_LABEL_W + 1, 4, &c, &r) && c == 1 && r == 2);
	CHECK(!heatmap__hit(&hv, 40, 1, 6, 2, 4, &c, &r));
	CHECK(!heatmap__hit(&hv, 40, 1, 6, HEATMAP_LABEL_W + 3, 4, &c, &r));
	CHECK(!heatmap__hit(&hv, 40, 1, 6, HEATMAP_LABEL_W, 6, &c, &r));
	cellbuf__free(b);
}

static struct timeline *ten_seconds(struct trie *t, uint32_t *ret_a, uint32_t *ret_b)
{
	struct timeline *tl = timeline__new();
	uint32_t a[2] = { trie__intern(t, "main", 4, FRAME_USER), trie__intern(t, "leaf_a", 6,
										 FRAME_USER) };
	uint32_t b[2] = { a[0], trie__intern(t, "leaf_b", 6, FRAME_USER) };
	uint32_t sa = timeline__stack_id(tl, a, 2), sb = timeline__stack_id(tl, b, 2);

	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t ns = i * 10 * MS;

		timeline__add(tl, 77 + ns, ns % (1000 * MS) < 300 * MS ? sa : sb);
		trie__add(t, ns % (1000 * MS) < 300 * MS ? a : b, 2, 1);
	}
	*ret_a = a[1];
	*ret_b = b[1];
	return tl;
}

static void test_keys(void)
{
	struct trie *t = trie__new();
	uint32_t la, lb;
	struct timeline *tl = ten_seconds(t, &la, &lb);
	struct heatview *h = heatview__new(tl, 0);
	uint64_t from, to;

	CHECK_EQ_U64(heatview__rows(h), HEATVIEW_DEFAULT_ROWS);
	CHECK(!heatview__range(h, &from, &to));
	/* column 2, row 0 .. row 14: [2.000 s, 2.300 s) */
	CHECK_EQ_U64(key(h, TK_RIGHT), HEAT_REDRAW);
	key(h, 'd');
	CHECK_EQ_U64(key(h, ' '), HEAT_REDRAW);
	for (int i = 0; i < 14; i++)
		key(h, 's');
	CHECK_EQ_U64(key(h, ' '), HEAT_OPEN);
	CHECK(heatview__range(h, &from, &to));
	CHECK_EQ_U64(from, 2000 * MS);
	CHECK_EQ_U64(to, 2300 * MS);
	/* marked backwards: the same range */
	key(h, 'm');
	for (int i = 0; i < 14; i++)
		key(h, 'w');
	CHECK_EQ_U64(key(h, 'm'), HEAT_OPEN);
	CHECK(heatview__range(h, &from, &to) && from == 2000 * MS && to == 2300 * MS);
	/* across a second: row 49 of column 2 to row 0 of column 3 */
	for (int i = 0; i < 49; i++)
		key(h, TK_DOWN);
	key(h, ' ');
	key(h, TK_RIGHT);
	for (int i = 0; i < 49; i++)
		key(h, TK_UP);
	key(h, ' ');
	CHECK(heatview__range(h, &from, &to) && from == 2980 * MS && to == 3020 * MS);
	/* + doubles the rows (100): the cursor stays on its time (3.000 s: row 0) */
	CHECK_EQ_U64(key(h, '+'), HEAT_REDRAW);
	CHECK_EQ_U64(heatview__rows(h), 100);
	key(h, TK_ENTER); /* a selection is kept as times: Enter reopens it */
	CHECK(heatview__range(h, &from, &to) && from == 2980 * MS && to == 3020 * MS);
	key(h, '-');
	key(h, '-');
	CHECK_EQ_U64(heatview__rows(h), 25);
	/* Esc drops the selection; Enter then opens the cursor's cell alone (40 ms rows) */
	key(h, TK_ESC);
	CHECK(!heatview__range(h, &from, &to));
	CHECK_EQ_U64(key(h, TK_ENTER), HEAT_OPEN);
	CHECK(heatview__range(h, &from, &to) && from == 3000 * MS && to == 3040 * MS);
	/* the cursor stops at the edges */
	for (int i = 0; i < 30; i++)
		key(h, TK_RIGHT);
	key(h, TK_ESC);
	key(h, TK_ENTER);
	CHECK(heatview__range(h, &from, &to) && from == 9000 * MS);
	CHECK_EQ_U64(key(h, 'x'), HEAT_NONE);
	heatview__free(h);
	timeline__free(tl);
	trie__free(t);
}

static void test_view_cycle(void)
{
	struct trie *t = trie__new();
	uint32_t la, lb;
	struct timeline *tl = ten_seconds(t, &la, &lb);
	struct tui_info info = { .source = "test", .tl = tl };
	struct view *v = view__new(t, &info, NULL);
	struct cellbuf *b = cellbuf__new();
	struct term_event ev = { .type = TERM_EV_KEY };
	char row[512];

	CHECK(v && b && cellbuf__resize(b, 120, 40) == 0);
	CHECK(view__draw(v, b) == 0);
	cellbuf__row_text(b, 0, row, sizeof(row));
	CHECK(strstr(row, "| 1000 samples"));
	ev.key = 'h';
	view__event(v, &ev);
	CHECK(view__draw(v, b) == 0);
	cellbuf__row_text(b, 0, row, sizeof(row));
	CHECK(strstr(row, "heat map: 1 column = 1 s, 50 rows"));
	/* click column 5 row 15 (5.300 s), then shift-click row 19: [5.300, 5.400), 10 samples */
	struct term_event c1 = { .type = TERM_EV_CLICK, .x = HEATMAP_LABEL_W + 5, .y = 2 + 15 };
	struct term_event c2 = c1;
	c2.y = 2 + 19;
	c2.shift = true;
	view__event(v, &c1);
	view__event(v, &c2);
	CHECK(view__draw(v, b) == 0);
	cellbuf__row_text(b, 0, row, sizeof(row));
	CHECK(strstr(row, "| 10 samples | range 5.300s..5.400s"));
	/* only leaf_b in that graph */
	bool saw_a = false, saw_b = false;
	for (int y = 1; y < 38; y++) {
		cellbuf__row_text(b, y, row, sizeof(row));
		saw_a |= strstr(row, "leaf_a") != NULL;
		saw_b |= strstr(row, "leaf_b") != NULL;
	}
	CHECK(saw_b && !saw_a);
	/* bottom-up and by binary are of the range too (not of the whole profile) */
	for (int k = 0; k < 2; k++) {
		ev.key = k ? 'm' : 'b';
		view__event(v, &ev);
		CHECK(view__draw(v, b) == 0);
		cellbuf__row_text(b, 0, row, sizeof(row));
		CHECK(strstr(row, k ? "by binary" : "bottom-up") &&
		      strstr(row, "| 10 samples | range 5.300s..5.400s"));
		saw_a = saw_b = false;
		for (int y = 1; y < 38; y++) {
			cellbuf__row_text(b, y, row, sizeof(row));
			saw_a |= strstr(row, "leaf_a") != NULL;
			saw_b |= strstr(row, "leaf_b") != NULL;
		}
		CHECK(saw_b && !saw_a);
		ev.key = TK_UP;
		view__event(v, &ev);
		CHECK(view__draw(v, b) == 0);
		cellbuf__row_text(b, 38, row, sizeof(row));
		if (!k)
			CHECK(!strncmp(row, "leaf_b", 6));
		cellbuf__row_text(b, 39, row, sizeof(row));
		CHECK(!strncmp(row, "10 samples", 10));
		ev.key = k ? 'm' : 'b';
		view__event(v, &ev);
	}
	/* the function table too: leaf_b's 10 samples, 100% of the range, and no leaf_a */
	ev.key = 't';
	view__event(v, &ev);
	CHECK(view__draw(v, b) == 0);
	saw_a = saw_b = false;
	for (int y = 1; y < 38; y++) {
		cellbuf__row_text(b, y, row, sizeof(row));
		saw_a |= strstr(row, "leaf_a") != NULL;
		if (strstr(row, "leaf_b"))
			saw_b = strstr(row, " 10 ") && strstr(row, "100.00%");
	}
	CHECK(saw_b && !saw_a);
	view__event(v, &ev);
	ev.key = 'h';
	/* h: back to the map, the range kept; r: the whole profile */
	view__event(v, &ev);
	CHECK(view__draw(v, b) == 0);
	cellbuf__row_text(b, 0, row, sizeof(row));
	CHECK(strstr(row, "heat map"));
	CHECK_EQ_U64(cellbuf__at(b, HEATMAP_LABEL_W + 5, 2 + 16)->role, ROLE_HEAT_SEL);
	ev.key = 'r';
	view__event(v, &ev);
	CHECK(view__draw(v, b) == 0);
	cellbuf__row_text(b, 0, row, sizeof(row));
	CHECK(strstr(row, "| 1000 samples") && !strstr(row, "range"));
	view__free(v);
	cellbuf__free(b);
	timeline__free(tl);
	trie__free(t);
}

int main(void)
{
	test_glyphs();
	test_draw();
	test_keys();
	test_view_cycle();
	return check_done();
}
