// SPDX-License-Identifier: MIT
/*
 * heatview: the heat map's state and keys. The selection is kept as times, not cells, so it
 * survives a change of rows per second (+/-) and the map growing live.
 */
#include "heatview.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../timeline.h"
#include "heatmap.h"

static const uint32_t row_steps[] = { 1, 2, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000 };
#define NSTEPS (sizeof(row_steps) / sizeof(row_steps[0]))

struct heatview {
	const struct timeline *tl; /* borrowed */
	uint32_t rows;
	uint32_t *counts; /* owned grid, NULL when stale */
	uint32_t cols, max;
	int grid_err;
	uint8_t *keep; /* owned: the search restriction, or NULL */
	size_t nkeep;
	uint32_t col0, row0, cur_col, cur_row;
	bool has_anchor;
	uint64_t anchor_ns; /* the anchor cell's start */
	bool has_sel;
	uint64_t sel_from, sel_to; /* [from, to) offsets */
	int vis_cols, vis_rows;	   /* from the last draw */
	bool check;		   /* the timeline may have changed since the grid */
	size_t grid_n;		   /* its samples and start when the grid was made */
	uint64_t grid_start;
};

static void drop_grid(struct heatview *h);

struct heatview *heatview__new(const struct timeline *tl, uint32_t rows)
{
	struct heatview *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->tl = tl;
	h->rows = rows ? rows : HEATVIEW_DEFAULT_ROWS;
	h->vis_cols = 60;
	h->vis_rows = 20;
	return h;
}

struct heatview *heatview__free(struct heatview *h)
{
	if (!h)
		return NULL;
	drop_grid(h);
	free(h->keep);
	free(h);
	return NULL;
}

static void drop_grid(struct heatview *h)
{
	free(h->counts);
	h->counts = NULL;
}

void heatview__invalidate(struct heatview *h)
{
	/* a live source calls this every tick: recount only if samples came or went */
	h->check = true;
}

int heatview__restrict(struct heatview *h, const uint8_t *keep, size_t nkeep)
{
	free(h->keep);
	h->keep = NULL;
	h->nkeep = 0;
	drop_grid(h);
	if (!keep)
		return 0;
	h->keep = malloc(nkeep ? nkeep : 1);
	if (!h->keep)
		return -ENOMEM;
	memcpy(h->keep, keep, nkeep);
	h->nkeep = nkeep;
	return 0;
}

bool heatview__restricted(const struct heatview *h)
{
	return h->keep != NULL;
}

uint32_t heatview__rows(const struct heatview *h)
{
	return h->rows;
}

static uint64_t cell_start(const struct heatview *h, uint32_t col, uint32_t row)
{
	return (uint64_t)col * TIMELINE_NS + timeline__row_start(row, h->rows);
}

static uint64_t cell_end(const struct heatview *h, uint32_t col, uint32_t row)
{
	return row + 1 < h->rows ? cell_start(h, col, row + 1) : (uint64_t)(col + 1) * TIMELINE_NS;
}

static void cell_of(const struct heatview *h, uint64_t off, uint32_t *ret_col, uint32_t *ret_row)
{
	*ret_col = (uint32_t)(off / TIMELINE_NS);
	*ret_row = (uint32_t)(off % TIMELINE_NS * h->rows / TIMELINE_NS);
}

static int prepare(struct heatview *h)
{
	uint8_t *keep = h->keep;

	if (h->counts && h->check &&
	    (timeline__samples(h->tl) != h->grid_n || timeline__start_ns(h->tl) != h->grid_start))
		drop_grid(h);
	h->check = false;
	if (h->counts)
		return 0;
	h->grid_n = timeline__samples(h->tl);
	h->grid_start = timeline__start_ns(h->tl);
	/* stacks interned after the restriction was made (live) do not match: keep[] is short */
	if (keep && h->nkeep < timeline__stacks(h->tl)) {
		uint8_t *k = realloc(h->keep, timeline__stacks(h->tl));

		if (!k)
			return -ENOMEM;
		memset(k + h->nkeep, 0, timeline__stacks(h->tl) - h->nkeep);
		h->keep = keep = k;
		h->nkeep = timeline__stacks(h->tl);
	}
	h->grid_err = timeline__grid(h->tl, h->rows, keep, &h->counts, &h->cols);
	if (h->grid_err) {
		h->counts = NULL;
		return h->grid_err;
	}
	h->max = heatmap__max(h->counts, (uint64_t)h->cols * h->rows);
	if (h->cur_col >= h->cols)
		h->cur_col = h->cols ? h->cols - 1 : 0;
	if (h->cur_row >= h->rows)
		h->cur_row = h->rows - 1;
	return 0;
}

/* Keeps the cursor on screen. */
static void follow(struct heatview *h)
{
	if (h->cur_col < h->col0)
		h->col0 = h->cur_col;
	if (h->vis_cols > 0 && h->cur_col >= h->col0 + (uint32_t)h->vis_cols)
		h->col0 = h->cur_col - (uint32_t)h->vis_cols + 1;
	if (h->cur_row < h->row0)
		h->row0 = h->cur_row;
	if (h->vis_rows > 0 && h->cur_row >= h->row0 + (uint32_t)h->vis_rows)
		h->row0 = h->cur_row - (uint32_t)h->vis_rows + 1;
}

static void move(struct heatview *h, long dcol, long drow)
{
	long c = (long)h->cur_col + dcol, r = (long)h->cur_row + drow;

	if (c < 0)
		c = 0;
	if (h->cols && c >= (long)h->cols)
		c = (long)h->cols - 1;
	if (r < 0)
		r = 0;
	if (r >= (long)h->rows)
		r = (long)h->rows - 1;
	h->cur_col = (uint32_t)c;
	h->cur_row = (uint32_t)r;
	follow(h);
}

/* Ends the range being marked at the cursor: the selection is anchor..cursor, both included. */
static int finish_mark(struct heatview *h)
{
	uint64_t a = h->anchor_ns, c = cell_start(h, h->cur_col, h->cur_row);
	uint32_t ac, ar;

	cell_of(h, a < c ? a : c, &ac, &ar);
	h->sel_from = cell_start(h, ac, ar);
	cell_of(h, a < c ? c : a, &ac, &ar);
	h->sel_to = cell_end(h, ac, ar);
	h->has_sel = true;
	h->has_anchor = false;
	return HEAT_OPEN;
}

static int set_rows(struct heatview *h, int dir)
{
	size_t i = 0;
	uint64_t at = cell_start(h, h->cur_col, h->cur_row);

	while (i + 1 < NSTEPS && row_steps[i] < h->rows)
		i++;
	if (dir > 0 && row_steps[i] <= h->rows && i + 1 < NSTEPS)
		i++;
	else if (dir < 0 && i > 0)
		i--;
	h->rows = row_steps[i];
	drop_grid(h);
	cell_of(h, at, &h->cur_col, &h->cur_row);
	h->row0 = 0;
	follow(h);
	return HEAT_REDRAW;
}

int heatview__key(struct heatview *h, int key)
{
	int err = prepare(h);

	if (err && err != -EFBIG)
		return err;
	switch (key) {
	case TK_LEFT:
	case 'a':
		move(h, -1, 0);
		break;
	case TK_RIGHT:
	case 'd':
		move(h, 1, 0);
		break;
	case TK_UP:
	case 'w':
	case 'k':
		move(h, 0, -1);
		break;
	case TK_DOWN:
	case 's':
	case 'j':
		move(h, 0, 1);
		break;
	case TK_PGUP:
		move(h, -(long)(h->vis_cols > 1 ? h->vis_cols - 1 : 1), 0);
		break;
	case TK_PGDN:
		move(h, h->vis_cols > 1 ? h->vis_cols - 1 : 1, 0);
		break;
	case TK_HOME:
		move(h, -(long)h->cur_col, 0);
		break;
	case TK_END:
		move(h, (long)h->cols, 0);
		break;
	case '+':
	case '=':
		return set_rows(h, 1);
	case '-':
		return set_rows(h, -1);
	case ' ':
	case 'm':
		if (!h->has_anchor) {
			h->has_anchor = true;
			h->anchor_ns = cell_start(h, h->cur_col, h->cur_row);
			break;
		}
		return finish_mark(h);
	case TK_ENTER:
		if (h->has_anchor)
			return finish_mark(h);
		if (!h->has_sel) {
			h->sel_from = cell_start(h, h->cur_col, h->cur_row);
			h->sel_to = cell_end(h, h->cur_col, h->cur_row);
			h->has_sel = true;
		}
		return HEAT_OPEN;
	case TK_ESC:
	case TK_BACKSPACE:
		if (!h->has_anchor && !h->has_sel)
			return HEAT_NONE;
		h->has_anchor = h->has_sel = false;
		break;
	default:
		return HEAT_NONE;
	}
	return HEAT_REDRAW;
}

int heatview__click(struct heatview *h, const struct term_event *ev, int w, int top, int height)
{
	struct heatmap_view hv = { .cols = h->cols, .rows = h->rows, .col0 = h->col0,
				   .row0 = h->row0 };
	uint32_t col, row;
	int err = prepare(h);

	if (err && err != -EFBIG)
		return err;
	if (ev->type == TERM_EV_WHEEL_UP || ev->type == TERM_EV_WHEEL_DOWN) {
		long d = ev->type == TERM_EV_WHEEL_UP ? -3 : 3;
		long r0 = (long)h->row0 + d;

		h->row0 = r0 < 0 ? 0 : (uint32_t)r0;
		if (h->row0 + (uint32_t)(h->vis_rows > 0 ? h->vis_rows : 1) > h->rows)
			h->row0 = h->rows > (uint32_t)h->vis_rows ? h->rows - (uint32_t)h->vis_rows : 0;
		return HEAT_REDRAW;
	}
	if (!heatmap__hit(&hv, w, top, height, ev->x, ev->y, &col, &row))
		return HEAT_REDRAW;
	h->cur_col = col;
	h->cur_row = row;
	if (h->has_anchor || ev->shift) {
		if (!h->has_anchor) {
			/* a shift-click extends the selection from its start */
			h->anchor_ns = h->has_sel ? h->sel_from : cell_start(h, col, row);
			h->has_anchor = true;
		}
		return finish_mark(h);
	}
	h->has_anchor = true;
	h->anchor_ns = cell_start(h, col, row);
	return HEAT_REDRAW;
}

static int fmt_time(char *buf, size_t cap, uint64_t ns)
{
	return snprintf(buf, cap, "%" PRIu64 ".%03" PRIu64 "s", ns / TIMELINE_NS,
			ns % TIMELINE_NS / 1000000);
}

int heatview__draw(struct heatview *h, struct cellbuf *b, int top, int height, char *status,
		   size_t status_cap, char *scale, size_t scale_cap)
{
	struct heatmap_view hv;
	char a[32], z[32];
	int err = prepare(h);

	if (err == -EFBIG) {
		snprintf(status, status_cap, "the samples span more than %u days: no heat map",
			 TIMELINE_MAX_COLS / 86400);
		scale[0] = '\0';
		return 0;
	}
	if (err)
		return err;
	h->vis_cols = (int)heatmap__vis_cols(b->w);
	h->vis_rows = (int)heatmap__vis_rows(height);
	follow(h);
	hv = (struct heatmap_view){
		.counts = h->counts,
		.cols = h->cols,
		.rows = h->rows,
		.max = h->max,
		.col0 = h->col0,
		.row0 = h->row0,
		.cur_col = h->cur_col,
		.cur_row = h->cur_row,
		.glyphs = b->few_colours,
	};
	if (h->has_anchor) {
		uint32_t c, r;

		cell_of(h, h->anchor_ns, &c, &r);
		hv.has_anchor = true;
		hv.anchor = (uint64_t)c * h->rows + r;
	} else if (h->has_sel) {
		uint32_t c, r;

		cell_of(h, h->sel_from, &c, &r);
		hv.sel_a = (uint64_t)c * h->rows + r;
		cell_of(h, h->sel_to - 1, &c, &r);
		hv.sel_b = (uint64_t)c * h->rows + r;
		hv.has_sel = true;
	}
	heatmap__draw(b, top, height, &hv);
	fmt_time(a, sizeof(a), cell_start(h, h->cur_col, h->cur_row));
	fmt_time(z, sizeof(z), cell_end(h, h->cur_col, h->cur_row));
	snprintf(status, status_cap, "%s..%s: %" PRIu32 " samples%s%s", a, z,
		 h->cols ? h->counts[(uint64_t)h->cur_col * h->rows + h->cur_row] : 0,
		 h->keep ? " matching the search" : "",
		 h->has_anchor ? " | marking: Space/click ends the range" :
		 " | Space/click: mark a range, Enter: its flame graph, +/-: rows");
	snprintf(scale, scale_cap, "heat map: 1 column = 1 s, %" PRIu32 " rows of %.1f ms, "
		 "busiest cell %" PRIu32, h->rows, 1000.0 / h->rows, h->max);
	return 0;
}

bool heatview__range(const struct heatview *h, uint64_t *ret_from, uint64_t *ret_to)
{
	if (!h->has_sel)
		return false;
	*ret_from = h->sel_from;
	*ret_to = h->sel_to;
	return true;
}

void heatview__select(struct heatview *h, uint64_t from, uint64_t to)
{
	h->sel_from = from;
	h->sel_to = to > from ? to : from + 1;
	h->has_sel = true;
	h->has_anchor = false;
	cell_of(h, from, &h->cur_col, &h->cur_row);
}
