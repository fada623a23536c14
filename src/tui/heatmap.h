/* SPDX-License-Identifier: MIT */
/*
 * The heat map's geometry and drawing, pure like layout.c + render.c: a grid of counts (one
 * column per second, `rows` buckets per second, column major as timeline__grid() makes it)
 * and a viewport become cells. Row 0 (the start of each second) is at the top, as FlameScope
 * draws it. A cell's shade is its count relative to the busiest cell; terminals without 256
 * colours get ASCII density glyphs instead.
 */
#ifndef FLAMETUI_TUI_HEATMAP_H
#define FLAMETUI_TUI_HEATMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"

#define HEATMAP_LABEL_W 8 /* the row labels' margin ("  980ms ") */

struct heatmap_view {
	const uint32_t *counts; /* borrowed: cols * rows */
	uint32_t cols, rows;
	uint32_t max;		/* the busiest cell (0: empty) */
	uint32_t col0, row0;	/* the first column and row shown */
	uint32_t cur_col, cur_row;
	bool has_sel;		/* cells sel_a..sel_b (linear col * rows + row, inclusive) */
	uint64_t sel_a, sel_b;
	bool has_anchor;	/* a range being marked: from the anchor to the cursor */
	uint64_t anchor;
	bool glyphs;		/* ASCII density instead of colours */
};

/* The busiest cell of a grid. */
uint32_t heatmap__max(const uint32_t *counts, uint64_t ncells);
/* The shade 0..RENDER_SHADES-1 of a nonzero count (linear in count / max). */
int heatmap__shade(uint32_t count, uint32_t max);
/* The ASCII density glyph for a count (' ' for zero). */
char heatmap__glyph(uint32_t count, uint32_t max);
/* Columns and rows of the grid that fit a buffer w wide and `height` rows tall (the first row
 * of the area is the time scale). */
uint32_t heatmap__vis_cols(int w);
uint32_t heatmap__vis_rows(int height);
/* Draws the scale and the grid into rows [top, top + height) of b. */
void heatmap__draw(struct cellbuf *b, int top, int height, const struct heatmap_view *h);
/* The cell under (x, y), or false when (x, y) is outside the grid. */
bool heatmap__hit(const struct heatmap_view *h, int w, int top, int height, int x, int y,
		  uint32_t *ret_col, uint32_t *ret_row);

#endif
