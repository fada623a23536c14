/* SPDX-License-Identifier: MIT */
/*
 * The flame graph view's entry points. Everything behind them lives in src/tui/: layout.c
 * (trie -> rectangles, pure), render.c (rectangles -> cell buffer, pure), term.c (the only
 * file that includes curses) and view.c with its view_*.c (keys, modes, the loop).
 */
#ifndef FLAMETUI_TUI_H
#define FLAMETUI_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../trie.h"

struct timeline;
struct diff;

/* A differential view (flametui diff): the shown trie matched to the other profile. */
struct tui_diff {
	const struct diff *d;	  /* borrowed: built on the trie tui__run() shows */
	const struct trie *other; /* borrowed: the profile compared against */
	bool by_total;		  /* colour by the change of total (else self); key b flips it */
	bool negate;		  /* the shown trie is BEFORE: changes are other - shown */
};

/* What key e exports: the view as shown. */
struct tui_export {
	struct trie *t;		      /* the trie shown */
	const struct trie_node *zoom; /* the zoomed frame (export its stacks), NULL: not zoomed */
	const char *search;	      /* the graph's search (a POSIX regex) or NULL */
	bool has_range;		      /* a time range is open: t is built from the samples of */
	uint64_t from_ns, to_ns;      /* tui_info.tl with offsets in [from_ns, to_ns) */
};

/* Where in its binary a frame was sampled (live and fixed modes): see tui_info.frame_addr. */
struct tui_frame_addr {
	uint64_t offset;  /* the hottest address, a file offset in the binary */
	uint64_t samples; /* its samples */
	uint64_t total;	  /* the frame's samples over every address */
	uint32_t addrs;	  /* distinct addresses */
	bool partial;	  /* the source's table was full: counts may miss some addresses */
	char where[160];  /* the hottest address's source line ("gzip.c:123"), or "" */
};

/* One source line of a function and the samples at its addresses (tui_info.frame_lines). */
struct tui_line {
	const char *file; /* borrowed: until the source is freed */
	int line;
	uint64_t samples;
};

struct tui_info {
	const char *source;	/* header text naming what is shown: "file: x.folded", "fixed 49 Hz 1000 ms" */
	const char *drops_text; /* drop counters for the header ("lost 0"), or NULL */
	/* Optional: every sample's time, stacks over the shown trie's name ids; `h` shows the
	 * heat map. A live source may add to it (then on_tick/on_ready return 1). */
	struct timeline *tl;
	bool heatmap;		/* open on the heat map */
	bool has_range;		/* open on the graph of [from_ns, to_ns) (offsets) */
	uint64_t from_ns, to_ns;
	/*
	 * Optional: key e writes what is shown (x) to PATH, the format by its extension. Returns
	 * 0 or -errno, with one line for the status line in msg either way ("wrote x.svg (...)"
	 * or what went wrong).
	 */
	int (*write)(void *ctx, const struct tui_export *x, const char *path, char *msg,
		     size_t cap);
	void *write_ctx;
	struct tui_diff *diff; /* optional: colour and describe frames by their change (b flips
				* its by_total, so the command's writer sees the choice) */
	const char *unit;	/* what the counts are ("ns of cpu-clock"); NULL: "samples" */
	const char *empty_text; /* why an empty profile is empty (shown instead of "no samples") */
	/* Optional: why the input names no binary for some frames ("collapsed stacks name no
	 * binaries but the kernel's and JIT"): the status line ends with it for a frame in
	 * [unknown], even when no frame of the profile has a binary. */
	const char *binary_note;
	/* Optional: the hottest address of the frame named so (the status line shows it for a
	 * frame named after its binary, "[gzip]"); 0, or -ENOENT when none is known. */
	int (*frame_addr)(void *ctx, const char *name, size_t len, enum frame_kind kind,
			  struct tui_frame_addr *ret);
	/* Optional, same ctx: the addresses of the unnamed frame that ends the path `node` of
	 * trie t, over its samples on that path alone; 0, or -ENOENT when none is known. */
	int (*path_addr)(void *ctx, const struct trie *t, const struct trie_node *node,
			 struct tui_frame_addr *ret);
	/* Optional, same ctx: the frame's source lines, hottest first, at most cap of them, and
	 * *ret_total its samples over every address: how many, or -ENOENT without line info. */
	int (*frame_lines)(void *ctx, const char *name, size_t len, enum frame_kind kind,
			   struct tui_line *ret, size_t cap, uint64_t *ret_total);
	void *frame_addr_ctx;
};

/*
 * A live source (aggregate/ring modes): the view polls `fd` (when >= 0) together with the
 * terminal and calls `on_ready` when it is readable, and calls `on_tick` every `tick_ms`.
 * A callback returns 1 when the view must be redrawn, 0 when not, or a negative errno to end
 * the view with that error. on_ready never changes the trie the view shows. When on_tick or
 * on_key returns 1, the trie was rebuilt in place: every trie_node pointer the view held is
 * invalid, but name ids stay valid (names are never un-interned), so the view keeps its
 * selection, zoom and search by re-finding them through their paths of name ids
 * (trie__child() from the root), falling back to the deepest ancestor that still exists.
 */
struct tui_live {
	int fd;
	int tick_ms;
	void *ctx;
	int (*on_ready)(void *ctx);
	int (*on_tick)(void *ctx);
	/* Optional: keys the view does not use itself ('p', 'c', '[', ']', 'g'); returns 1 to redraw. */
	int (*on_key)(void *ctx, int key);
	/* Optional: text for the header, refreshed on every draw. */
	const char *(*header)(void *ctx);
	/* Optional: set by the program's own SIGINT/SIGTERM/SIGHUP handler; the view then ends
	 * as after q (the terminal's fatal-signal handler leaves signals so handled alone). */
	const volatile sig_atomic_t *stop;
};

/*
 * Shows the trie until the user quits. `live` may be NULL for a static profile. The terminal
 * is restored on every exit path, fatal signals included. Returns 0 or a negative errno.
 */
int tui__run(struct trie *t, const struct tui_info *info, const struct tui_live *live);

/* One line saying why tui__run() failed and what to do, e.g. for -ENOENT "the terminal type
 * 'xyz' is unknown: set TERM (e.g. TERM=xterm-256color) or use --folded". */
const char *tui__strerror(int err);

#endif
