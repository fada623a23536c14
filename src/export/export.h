/* SPDX-License-Identifier: MIT */
/*
 * Exports: the profile a user sees written in a format another tool opens. The format follows
 * the file name's extension: .folded/.txt collapsed stacks, .svg an interactive flame graph,
 * .json speedscope, .pb.gz pprof. Every name is escaped for its target. Library code: errors
 * come back as -errno and, for the program's edge to print, one line of text.
 */
#ifndef FLAMETUI_EXPORT_H
#define FLAMETUI_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../trie.h"

enum export_format {
	EXPORT_FOLDED = 0,
	EXPORT_SVG,
	EXPORT_SPEEDSCOPE,
	EXPORT_PPROF,
	EXPORT_FORMAT_MAX
};

struct diff;

/* Per-frame colouring by change against another profile (flametui diff). */
struct export_diff {
	const struct diff *d; /* borrowed: the exported trie matched to the other profile */
	bool by_total;	      /* colour by the change of total rather than of self samples */
	bool negate;	      /* the exported trie is BEFORE: a frame's change is other - it */
};

struct timeline;

struct export_opts {
	const char *title;   /* shown in the SVG and as the speedscope profile name; may be NULL */
	uint64_t period_ns;  /* nanoseconds one sample stands for (pprof cpu/nanoseconds); 0 = unknown */
	/* what t counts, as the loader names it: NULL or "samples" (one each), "ns of cpu-clock"
	 * (perf script's periods), "cycles"; pprof's sample type follows it */
	const char *unit;
	int64_t time_ns;     /* wall-clock start of the profile (pprof time_nanos), 0 = unknown */
	int64_t duration_ns; /* length of the profile (pprof duration_nanos), 0 = unknown */
	const struct export_diff *diff; /* SVG: colour by change; NULL = the terminal's palette */
	int svg_width;			/* pixels; 0 = 1200 */
	const char *search;		/* SVG: a search to open with (the TUI's regex), or NULL */
	/* speedscope: write the samples of tl with offsets in [from_ns, to_ns) (and among the
	 * first tl_count added, 0 = all: what a live view was built from) one by one in time
	 * order, weighted in nanoseconds with the idle gaps between them, so its time-order view
	 * is real time; only the samples whose stacks t holds (a zoomed cut), and only when they
	 * are exactly what t counts (else, or tl NULL, t's stacks aggregated). tl's stacks are ids
	 * of tl_names. */
	const struct timeline *tl;
	const struct trie *tl_names;
	uint64_t from_ns, to_ns;
	size_t tl_count;
};

/* The format for a file name by its extension, or -EINVAL (and *ret untouched). */
int export__format_for(const char *path, enum export_format *ret);
/* ".folded", ".svg", ... for messages. */
const char *export__format_name(enum export_format fmt);

/*
 * Writes t in the given format to f. t's siblings are re-sorted by name. Returns 0 or -errno
 * (-EIO when writing fails, -ENOMEM).
 */
int export__write(struct trie *t, enum export_format fmt, const struct export_opts *o, FILE *f);

/*
 * Writes t to PATH in the format its extension names: a new file next to PATH is filled, then
 * renamed over it, so a failed export never leaves half a file and a symlink planted at PATH is
 * replaced, not followed. Under sudo (root with SUDO_UID/SUDO_GID set) the file is given to the
 * invoking user. Returns 0, or -errno with err (cap bytes) holding one line saying what went
 * wrong and what to do.
 */
int export__to_path(struct trie *t, const char *path, const struct export_opts *o, char *err,
		    size_t cap);

/* The same for any content: fill writes it to f (0 or -errno). */
int export__to_path_with(const char *path, int (*fill)(void *ctx, FILE *f), void *ctx, char *err,
			 size_t cap);

/*
 * A new trie holding only the samples whose stacks pass through `node` (a node of src), with
 * the stacks from the root down to it kept: what a zoomed view shows. node NULL or the root
 * copies everything. NULL with errno set on failure.
 */
struct trie *export__subtrie(const struct trie *src, const struct trie_node *node);

/* The pieces each format lives in (export.c dispatches). */
int export_svg__write(struct trie *t, const struct export_opts *o, FILE *f);
int export_speedscope__write(struct trie *t, const struct export_opts *o, FILE *f);
int export_pprof__write(struct trie *t, const struct export_opts *o, FILE *f);

#endif
