/* SPDX-License-Identifier: MIT */
/*
 * A saved profile, as `file` and `diff` open it: folded stacks, perf script text or a
 * recording loaded into a trie with every sample's time when the input has times, cut to a
 * time range when asked, and handed to the exporters so speedscope gets the samples in time
 * order. The program's edge: errors are printed here, in one line each.
 */
#ifndef FLAMETUI_SAVED_H
#define FLAMETUI_SAVED_H

#include <stdbool.h>
#include <stdint.h>

#include "export/export.h"
#include "formats.h"
#include "trie.h"

struct timeline;
struct frameaddrs;

struct saved {
	const char *path;    /* borrowed: as given, "-" for stdin */
	struct trie *t;	     /* what is shown: the profile, or the range alone after a cut */
	struct trie *names;  /* after a cut: the whole profile, whose names tl's stacks use */
	struct timeline *tl; /* every sample's time; empty for inputs without times */
	bool cut;	     /* t is the samples of tl with offsets in [from_ns, to_ns) */
	uint64_t from_ns, to_ns;
	struct formats_load io;	   /* what the loader found (kind, unit, note) */
	struct formats_error ferr; /* its notes (a recording's command line and losses) */
	struct frameaddrs *addrs;  /* where in their binaries frames were, or NULL (not asked) */
};

/*
 * Loads PATH into s (zeroed first): a trie of at most max_nodes nodes (and, with bound_names,
 * as many names as such a trie can need), perf script samples counted one each with
 * count_samples, and with addrs where in their binaries frames were (s->addrs: for the view's
 * source lines; perf script text costs a little more to load with it). Prints what went wrong
 * and returns -1, or prints the loader's notes and returns 0.
 */
int saved__load(struct saved *s, const char *path, unsigned long max_nodes, bool bound_names,
		bool count_samples, bool addrs);
/* The name to show for s's path ("stdin" for "-"). */
const char *saved__name(const struct saved *s);
/* Replaces s->t by the samples with offsets in [from, to) (a fresh trie counting one per
 * sample; the whole profile stays as s->names). Prints why and returns -1 when the input has
 * no times or memory runs out. */
int saved__cut(struct saved *s, uint64_t from, uint64_t to);
/* When s->t holds no samples, writes why into buf (one line, no "flametui: ": "x.folded
 * holds no samples", "no samples between 100 s and 200 s (the profile spans 5.0 s)") and
 * returns true; an empty result is not an error, but it is said. */
bool saved__empty_reason(const struct saved *s, char *buf, size_t len);
/* Sets what eo can know from s: the period a sample stands for (a recording's rate), and
 * when s has times, the timeline (speedscope writes the samples of the cut in time order),
 * the wall-clock start and the duration (pprof's time_nanos, duration_nanos). */
void saved__export_opts(const struct saved *s, struct export_opts *eo);
void saved__fini(struct saved *s);

#endif
