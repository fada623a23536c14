/* SPDX-License-Identifier: MIT */
/*
 * The view's state and behaviour: selection, zoom stack, sibling order, orientation, search,
 * the function table and the help overlay. Events in, a cell buffer out; no terminal here, so
 * tests can drive it key by key.
 */
#ifndef FLAMETUI_TUI_VIEW_H
#define FLAMETUI_TUI_VIEW_H

#include "render.h"
#include "term.h"
#include "tui.h"

/* What an event did; the loop redraws only on VIEW_REDRAW. */
enum view_flags {
	VIEW_HANDLED = 1 << 0,
	VIEW_REDRAW = 1 << 1,
	VIEW_QUIT = 1 << 2,
	VIEW_COPY = 1 << 3, /* view__copy_text() has text for the clipboard */
};

#define VIEW_MIN_W 40
#define VIEW_MIN_H 10

struct view;

/* `t`, `info` and `live` are borrowed and must outlive the view. NULL with errno on failure. */
struct view *view__new(struct trie *t, const struct tui_info *info, const struct tui_live *live);
struct view *view__free(struct view *v);

/* Sorts, ahead of the first draw, the trie the first draw shows (as that draw would; a no-op
 * for a view that derives its trie first). It touches the trie and nothing of the view's
 * state but reads, so it may run on another thread while that one opens the terminal, when
 * nothing else uses the trie or the view. */
void view__presort(struct view *v);
/* Handles one event; returns enum view_flags, or a negative errno from live->on_key. */
int view__event(struct view *v, const struct term_event *ev);
/* The trie changed (live source): layout, matches and table are recomputed before next use. */
void view__invalidate(struct view *v);
/* Shows the graph of the heat map's selected range (no-op without one). 0 or -ENOMEM. */
int view__open_range(struct view *v);
/* After VIEW_COPY: the text to put on the clipboard (the selected frame's name, checked to
 * hold only harmless characters) and its length; borrowed until the next event. */
const char *view__copy_text(const struct view *v, size_t *ret_len);
/* Draws into b at b's size. Returns 0 or -ENOMEM. */
int view__draw(struct view *v, struct cellbuf *b);

#endif
