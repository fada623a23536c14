/* SPDX-License-Identifier: MIT */
/*
 * Flame graph geometry, with no terminal in sight: a trie, a zoom node and a width become
 * rectangles, one row per stack depth, widths proportional to samples. A viewport (height,
 * scroll, orientation) maps depths to screen rows. Unit tests drive this directly.
 */
#ifndef FLAMETUI_TUI_LAYOUT_H
#define FLAMETUI_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../trie.h"

enum layout_flags {
	LAYOUT_DIMMED = 1 << 0, /* an ancestor of the zoomed node, drawn full width */
	LAYOUT_MERGED = 1 << 1, /* a run of siblings each narrower than a cell */
	LAYOUT_ZOOM = 1 << 2,	/* the zoomed node itself (full width) */
};

struct layout_rect {
	const struct trie_node *node; /* borrowed; for a merged run, its first node */
	uint64_t samples;	      /* node->total, or the sum over a merged run */
	uint32_t depth;		      /* node->depth: the row, counted from the root */
	uint32_t nmerged;	      /* nodes in a merged run, 0 otherwise */
	int col;
	int width; /* >= 1 */
	unsigned flags;
};

struct layout;

/* Returns NULL with errno set on failure. */
struct layout *layout__new(void);
struct layout *layout__free(struct layout *l);

/*
 * Lays out the subtree of `zoom` (a node of `t`, NULL for the root) across `width` columns,
 * plus its ancestors full width and dimmed. Siblings are taken in the order the trie holds
 * them (trie__sort first). Columns come from cumulative sample offsets, so siblings tile their
 * parent exactly; runs of siblings narrower than a cell become one LAYOUT_MERGED rect. Node
 * pointers stay valid only until the trie changes. Returns 0 or -ENOMEM.
 */
int layout__update(struct layout *l, const struct trie *t, const struct trie_node *zoom,
		   int width);

/*
 * The same with only the zoom's children named in names[0..nnames) (ascending name ids) laid
 * out, across the whole width: the zoom into a run of siblings too narrow to show one by one.
 * NULL names: every child, as layout__update().
 */
int layout__update_run(struct layout *l, const struct trie *t, const struct trie_node *zoom,
		       const uint32_t *names, size_t nnames, int width);
/* The samples the width stands for: the zoom's total, or the shown run's. */
uint64_t layout__total(const struct layout *l);

size_t layout__count(const struct layout *l);
/* Rects sorted by (depth, col); i < layout__count(). */
const struct layout_rect *layout__rect(const struct layout *l, size_t i);
uint32_t layout__levels(const struct layout *l); /* max depth + 1; 0 when empty */
int layout__width(const struct layout *l);
/* Index of the rect at (depth, col), or -1. */
long layout__hit(const struct layout *l, uint32_t depth, int col);
/* Index of the rect showing `node` (or the merged run starting at it), or -1. */
long layout__find(const struct layout *l, const struct trie_node *node, bool merged);
/* Index of the rect left (dir < 0) or right (dir > 0) of rect i on the same row, or -1. */
long layout__neighbour(const struct layout *l, size_t i, int dir);
/* Index of the widest (most samples) visible child rect of rect i, or -1. */
long layout__widest_child(const struct layout *l, size_t i);

/*
 * The viewport: `height` rows show depths [scroll, scroll + height). Root at the bottom
 * (flame graph) unless `inverted` (icicle). Returns the row 0..height-1 or -1 when hidden.
 */
int layout__screen_row(uint32_t depth, uint32_t scroll, int height, bool inverted);
/* The depth shown on screen row y, or -1 (UINT32_MAX) when none. */
uint32_t layout__row_depth(int y, uint32_t scroll, int height, bool inverted);
/* Clamps scroll to [0, levels - height], or 0 when everything fits. */
uint32_t layout__clamp_scroll(uint32_t levels, int height, uint32_t scroll);
/* The smallest change of scroll that keeps `depth` visible. */
uint32_t layout__scroll_to(uint32_t levels, int height, uint32_t scroll, uint32_t depth);

#endif
