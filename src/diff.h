/* SPDX-License-Identifier: MIT */
/*
 * Differential profiles: two tries, one shown and one compared against. Every node of the
 * shown trie is matched, by its stack of names, to the node of the other trie with the same
 * stack (or none), so its share can be compared: the change of share, normalised by each
 * side's total, is what a differential flame graph colours (difffolded.pl + flamegraph.pl).
 * Pure: no terminal, no files.
 */
#ifndef FLAMETUI_DIFF_H
#define FLAMETUI_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trie.h"

struct diff;

/*
 * Matches the nodes of `shown` to those of `other` (names are interned into other as needed;
 * its samples are untouched). Both are borrowed and must not change while the diff lives.
 * NULL with errno set on failure.
 */
struct diff *diff__new(const struct trie *shown, struct trie *other);
struct diff *diff__free(struct diff *d);

/* The node of the other trie with the same stack as n (a node of shown), or NULL. */
const struct trie_node *diff__other(const struct diff *d, const struct trie_node *n);
/* Its samples: total (by_total) or self; 0 when the stack is not in the other trie. */
uint64_t diff__other_samples(const struct diff *d, const struct trie_node *n, bool by_total);
/*
 * The change of share of n: shown share minus other share (both 0..1, each normalised by its
 * own trie's total), by total or by self samples.
 */
double diff__delta(const struct diff *d, const struct trie_node *n, bool by_total);
/* The largest |diff__delta| over the shown trie (0 when nothing changed). */
double diff__max_delta(const struct diff *d, bool by_total);
/*
 * How strongly n changed against the largest change, in steps: 1..steps when its share grew
 * (AFTER minus BEFORE; negate: the shown trie is BEFORE, so the sign flips), -1..-steps when
 * it shrank, 0 unchanged. The terminal and the SVG colour frames by it, so they agree.
 */
int diff__level(const struct diff *d, const struct trie_node *n, bool by_total, bool negate,
		int steps);

/*
 * Writes the union of both profiles' stacks in difffolded.pl's format, one line per stack:
 * "a;b;c BEFORE AFTER" (self samples), names as folded__write() writes them, stacks in
 * name order. `normalize` scales BEFORE to AFTER's total as difffolded.pl -n does (rounding
 * down). Returns 0 or -errno.
 */
int diff__write_folded(struct trie *before, struct trie *after, bool normalize, FILE *f);

#endif
