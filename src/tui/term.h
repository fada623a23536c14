/* SPDX-License-Identifier: MIT */
/*
 * The terminal: the only code that talks to curses. It owns the screen, the palette that maps
 * colour roles to colours, input (keys, mouse, resize) and putting the terminal back the way
 * it was on every exit path, fatal signals included.
 */
#ifndef FLAMETUI_TUI_TERM_H
#define FLAMETUI_TUI_TERM_H

#include <stdbool.h>

#include "render.h"

/* Keys that are not characters; above the Unicode range so they never clash with text. */
enum term_key {
	TK_UP = 0x110000,
	TK_DOWN,
	TK_LEFT,
	TK_RIGHT,
	TK_ENTER,
	TK_BACKSPACE,
	TK_ESC,
	TK_TAB,
	TK_BTAB,
	TK_PGUP,
	TK_PGDN,
	TK_HOME,
	TK_END,
	TK_F1,
	TK_OTHER, /* a function key the view does not use */
};

enum term_event_type {
	TERM_EV_KEY = 1,
	TERM_EV_CLICK,
	TERM_EV_DOUBLE_CLICK,
	TERM_EV_WHEEL_UP,
	TERM_EV_WHEEL_DOWN,
	TERM_EV_RESIZE,
};

struct term_event {
	enum term_event_type type;
	int key; /* TERM_EV_KEY: a code point or an enum term_key */
	int x, y; /* mouse events */
	bool shift; /* a click with Shift held */
};

struct tui_term;

/*
 * Takes over the terminal (stdin/stdout, or /dev/tty for whichever is not one). Returns NULL
 * with errno set (ENOTTY: no terminal; ENOENT: unknown $TERM). Only one may be open.
 */
struct tui_term *term__open(void);
/* Restores the terminal; accepts NULL; returns NULL. */
struct tui_term *term__close(struct tui_term *t);

int term__fd(const struct tui_term *t); /* poll() this for input */
/* poll() this too: readable after a SIGWINCH (then term__drain_wake() and read); -1 if none */
int term__wake_fd(const struct tui_term *t);
void term__drain_wake(struct tui_term *t);
void term__size(const struct tui_term *t, int *ret_w, int *ret_h);
bool term__ascii(const struct tui_term *t); /* no UTF-8: render escapes non-ASCII glyphs */
bool term__few_colours(const struct tui_term *t); /* 8 colours or monochrome (NO_COLOR) */
/* Copies the cell buffer to the screen; curses sends only what changed. Returns 0 or -EIO. */
int term__blit(struct tui_term *t, const struct cellbuf *b);
/* Puts text on the terminal's clipboard with OSC 52 (xterm, tmux with set-clipboard, kitty,
 * iTerm2 ...; terminals without it ignore the sequence). The caller checked the text is
 * inert. Returns 0 or -EIO. */
int term__clipboard(struct tui_term *t, const char *text, size_t len);
/* Reads one pending event without blocking: 1 with *ev filled, 0 when none. */
int term__read(struct tui_term *t, struct term_event *ev);

#endif
