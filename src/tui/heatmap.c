// SPDX-License-Identifier: MIT
/* heatmap: counts -> cells (see heatmap.h). */
#include "heatmap.h"

#include <stdio.h>
#include <string.h>

#include "../timeline.h"

static const char density[] = " .:-=+*#%@";

uint32_t heatmap__max(const uint32_t *counts, uint64_t ncells)
{
	uint32_t m = 0;

	for (uint64_t i = 0; i < ncells; i++)
		if (counts[i] > m)
			m = counts[i];
	return m;
}

int heatmap__shade(uint32_t count, uint32_t max)
{
	if (!count || !max)
		return 0;
	return (int)(((uint64_t)count * RENDER_SHADES - 1) / max);
}

char heatmap__glyph(uint32_t count, uint32_t max)
{
	size_t n = sizeof(density) - 2; /* glyphs after the blank */

	if (!count || !max)
		return ' ';
	return density[1 + ((uint64_t)count * n - 1) / max];
}

uint32_t heatmap__vis_cols(int w)
{
	return w > HEATMAP_LABEL_W ? (uint32_t)(w - HEATMAP_LABEL_W) : 0;
}

uint32_t heatmap__vis_rows(int height)
{
	return height > 1 ? (uint32_t)(height - 1) : 0;
}

static bool in_sel(const struct heatmap_view *h, uint64_t cell)
{
	uint64_t a, b;

	if (h->has_anchor) {
		uint64_t cur = (uint64_t)h->cur_col * h->rows + h->cur_row;

		a = h->anchor < cur ? h->anchor : cur;
		b = h->anchor < cur ? cur : h->anchor;
		return cell >= a && cell <= b;
	}
	return h->has_sel && cell >= h->sel_a && cell <= h->sel_b;
}

/* The time scale: a label every 10 columns (every 5 when they fit). */
static void draw_scale(struct cellbuf *b, int y, const struct heatmap_view *h)
{
	uint32_t vis = heatmap__vis_cols(b->w), step = 10;
	char label[32];

	cellbuf__fill(b, 0, y, b->w, ' ', ROLE_TABLE_HEAD, 0);
	render__text(b, 0, y, HEATMAP_LABEL_W, "sec", 3, ROLE_TABLE_HEAD, 0);
	for (uint32_t c = 0; c < vis && h->col0 + c < h->cols; c++) {
		uint32_t col = h->col0 + c;
		int n;

		if (col % step)
			continue;
		n = snprintf(label, sizeof(label), "|%u", col);
		render__text(b, HEATMAP_LABEL_W + (int)c, y, (int)(vis - c), label, (size_t)n,
			     ROLE_TABLE_HEAD, 0);
	}
}

void heatmap__draw(struct cellbuf *b, int top, int height, const struct heatmap_view *h)
{
	uint32_t vcols = heatmap__vis_cols(b->w), vrows = heatmap__vis_rows(height);
	char label[32];

	if (height < 2)
		return;
	draw_scale(b, top, h);
	for (uint32_t r = 0; r < vrows && h->row0 + r < h->rows; r++) {
		uint32_t row = h->row0 + r;
		int y = top + 1 + (int)r, n;
		uint64_t ms = timeline__row_start(row, h->rows) / 1000000;

		/* a label every 5th row, and on the cursor's row */
		if (row % 5 == 0 || row == h->cur_row) {
			n = snprintf(label, sizeof(label), "%6llums", (unsigned long long)ms);
			render__text(b, 0, y, HEATMAP_LABEL_W, label, (size_t)n,
				     row == h->cur_row ? ROLE_STATUS : ROLE_DEFAULT, 0);
		}
		for (uint32_t c = 0; c < vcols && h->col0 + c < h->cols; c++) {
			uint32_t col = h->col0 + c;
			uint64_t cell = (uint64_t)col * h->rows + row;
			uint32_t count = h->counts[cell];
			bool sel = in_sel(h, cell), cur = col == h->cur_col && row == h->cur_row;
			enum color_role role = cur ? ROLE_SELECTED : sel ? ROLE_HEAT_SEL : ROLE_HEAT;
			uint32_t ch = ' ';
			int shade = heatmap__shade(count, h->max);

			if (h->glyphs)
				ch = (uint32_t)(unsigned char)heatmap__glyph(count, h->max);
			if (!count && role == ROLE_HEAT)
				role = ROLE_DEFAULT;
			if (cur && ch == ' ')
				ch = '+';
			cellbuf__fill(b, HEATMAP_LABEL_W + (int)c, y, 1, ch, role,
				      count || role != ROLE_HEAT_SEL ? shade : 0);
		}
	}
}

bool heatmap__hit(const struct heatmap_view *h, int w, int top, int height, int x, int y,
		  uint32_t *ret_col, uint32_t *ret_row)
{
	uint32_t c, r;

	if (x < HEATMAP_LABEL_W || y <= top || y >= top + height)
		return false;
	c = h->col0 + (uint32_t)(x - HEATMAP_LABEL_W);
	r = h->row0 + (uint32_t)(y - top - 1);
	if ((uint32_t)(x - HEATMAP_LABEL_W) >= heatmap__vis_cols(w) || c >= h->cols ||
	    r >= h->rows || (uint32_t)(y - top - 1) >= heatmap__vis_rows(height))
		return false;
	*ret_col = c;
	*ret_row = r;
	return true;
}
