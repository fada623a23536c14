/* SPDX-License-Identifier: MIT */
/*
 * The off-screen picture: a grid of cells (a code point, a colour role, a shade) that term.c
 * blits to the terminal. Everything that turns text or layout rectangles into cells lives here,
 * including the sanitizing of frame names, so no byte of a name ever reaches the terminal raw.
 */
#ifndef FLAMETUI_TUI_RENDER_H
#define FLAMETUI_TUI_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* Semantic colours; term.c maps each to a palette (256 colours, 8 colours, monochrome). */
enum color_role {
	ROLE_DEFAULT = 0,
	ROLE_HEADER,
	ROLE_STATUS,
	ROLE_MESSAGE, /* errors and notices in the status line */
	ROLE_USER,    /* warm red..yellow, shade by name */
	ROLE_KERNEL,  /* orange */
	ROLE_JIT,     /* green */
	ROLE_PYTHON,  /* blue-green: CPython functions */
	ROLE_ROOT,
	ROLE_UNKNOWN, /* grey */
	ROLE_SPECIAL, /* synthetic frames such as [overflow] */
	ROLE_MERGED,  /* the shaded remainder of frames narrower than a cell */
	ROLE_SELECTED,
	ROLE_MATCH,
	ROLE_DIMMED, /* ancestors of the zoomed frame */
	ROLE_TABLE_HEAD,
	ROLE_HELP,
	ROLE_HEAT,     /* heat-map cells: white (few samples) to red (many) by shade */
	ROLE_HEAT_SEL, /* heat-map cells in the selected range: a blue ramp */
	ROLE_DIFF_UP,	/* diff: the frame's share grew; shade = strength */
	ROLE_DIFF_DOWN, /* diff: it shrank */
	ROLE_DIFF_SAME, /* diff: unchanged */
	ROLE_COUNT
};

#define RENDER_SHADES 8

struct cell {
	uint32_t ch;  /* a printable code point; 0 = right half of a double-width glyph */
	uint8_t role; /* enum color_role */
	uint8_t shade; /* 0..RENDER_SHADES-1 within the role */
};

struct cellbuf {
	int w, h;
	struct cell *cells; /* owned, w * h, row-major */
	bool ascii;	    /* the terminal cannot show UTF-8: escape every non-ASCII glyph */
	bool few_colours;   /* under 256 colours (or NO_COLOR): shades need glyphs */
};

struct cellbuf *cellbuf__new(void);
struct cellbuf *cellbuf__free(struct cellbuf *b);
/* Resizes and clears. Returns 0 or -ENOMEM (the buffer is unchanged then). */
int cellbuf__resize(struct cellbuf *b, int w, int h);
void cellbuf__clear(struct cellbuf *b);
/* The cell at (x, y) or NULL when outside. */
struct cell *cellbuf__at(const struct cellbuf *b, int x, int y);
void cellbuf__fill(struct cellbuf *b, int x, int y, int w, uint32_t ch, enum color_role role,
		   int shade);
/* The text of row y as UTF-8 (for tests): writes at most size bytes, NUL-terminated. */
void cellbuf__row_text(const struct cellbuf *b, int y, char *out, size_t size);

/*
 * Writes `len` bytes of s at (x, y) within `maxw` cells: control characters and escape
 * sequences are shown as "\x1b", invalid UTF-8 as "\xNN", zero-width and unprintable code
 * points as "\u202e". Text that does not fit is cut and ends with an ellipsis. Returns the
 * number of cells written.
 */
int render__text(struct cellbuf *b, int x, int y, int maxw, const char *s, size_t len,
		 enum color_role role, int shade);
/* Cells the sanitized text would take (stops counting past `limit`). */
int render__text_width(const struct cellbuf *b, const char *s, size_t len, int limit);

/* A stable shade for a name: the same function keeps its colour across redraws and runs. */
int render__shade(const char *s, size_t len);

struct render_graph {
	const struct trie *trie; /* borrowed */
	int top, height;	 /* the buffer rows the graph occupies */
	uint32_t scroll;	 /* see layout__screen_row() */
	bool inverted;
	long selected;		/* rect index or -1 */
	const uint8_t *matches; /* per name id: nonzero when it matches the search; may be NULL */
	size_t nmatches;
	/* Optional (diff): a frame's change, -RENDER_SHADES..RENDER_SHADES (0 unchanged), which
	 * colours it instead of its kind. */
	int (*change)(void *ctx, const struct trie_node *n);
	void *change_ctx;
};

/* Draws every visible rect: background by role, the name inside, a gap at the right edge. */
void render__graph(struct cellbuf *b, const struct layout *l, const struct render_graph *g);

#endif
