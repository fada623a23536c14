/* SPDX-License-Identifier: MIT */
/*
 * The heat-map mode of the view: its state (rows per second, scroll, cursor, the range being
 * marked and the one selected, the search restriction) and its keys and clicks. Pure, like
 * view.c: the view (view_heat.c) hands events over while the map is shown and asks for the
 * selected range when the user opens it.
 */
#ifndef FLAMETUI_TUI_HEATVIEW_H
#define FLAMETUI_TUI_HEATVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "render.h"
#include "term.h"

struct timeline;
struct heatview;

#define HEATVIEW_DEFAULT_ROWS 50

enum heatview_result {
	HEAT_NONE = 0,	 /* not a heat-map key */
	HEAT_REDRAW = 1, /* handled */
	HEAT_OPEN = 2,	 /* show the flame graph of heatview__range() */
};

/* tl is borrowed (it may grow: call heatview__invalidate()). NULL with errno set. */
struct heatview *heatview__new(const struct timeline *tl, uint32_t rows);
struct heatview *heatview__free(struct heatview *h);
/* The timeline grew or the restriction changed: the grid is recomputed before the next use. */
void heatview__invalidate(struct heatview *h);
/* Only samples of stacks with a nonzero keep[] entry count (NULL: all); copied. 0 or -ENOMEM. */
int heatview__restrict(struct heatview *h, const uint8_t *keep, size_t nkeep);
bool heatview__restricted(const struct heatview *h);

/* A key (enum heatview_result, or -ENOMEM). */
int heatview__key(struct heatview *h, int key);
/* A click on the buffer (w x height rows from `top`): the first marks, the second (or a
 * shift-click) ends the range and opens it. */
int heatview__click(struct heatview *h, const struct term_event *ev, int w, int top, int height);
/* Draws the map into rows [top, top + height) of b; fills status (cursor time and count) and
 * header (scale) texts. 0 or -errno. */
int heatview__draw(struct heatview *h, struct cellbuf *b, int top, int height, char *status,
		   size_t status_cap, char *scale, size_t scale_cap);

/* The selected range as offsets from the first sample, [from, to). False when none. */
bool heatview__range(const struct heatview *h, uint64_t *ret_from, uint64_t *ret_to);
/* Selects [from, to) (the --from/--to range), snapped to cells. */
void heatview__select(struct heatview *h, uint64_t from, uint64_t to);
uint32_t heatview__rows(const struct heatview *h);

#endif
