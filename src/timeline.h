/* SPDX-License-Identifier: MIT */
/*
 * The timeline: every sample's time and stack, for inputs that have times (recordings, perf
 * script text with timestamps, the live modes). It answers the heat map's question (how many
 * samples fell in each (second, sub-second bucket) cell) and the range's (the trie of the
 * samples between two times). Pure: no terminal, no kernel, no files.
 *
 * Stacks are sequences of name ids of one trie (the "names" trie, borrowed by the caller),
 * outermost first, interned once; a sample is (time in ns, stack id, weight: 1 unless perf
 * script printed a period). Times are offsets from the first sample (the earliest one added),
 * as FlameScope counts them.
 */
#ifndef FLAMETUI_TIMELINE_H
#define FLAMETUI_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trie;
struct timeline;

#define TIMELINE_NS UINT64_C(1000000000)
#define TIMELINE_NO_STACK UINT32_MAX
#define TIMELINE_MAX_COLS (1u << 22) /* seconds in a grid: 48 days */

/* Returns NULL with errno set. */
struct timeline *timeline__new(void);
struct timeline *timeline__free(struct timeline *tl);

/* Interns a stack (name ids, outermost first) and returns its id, or TIMELINE_NO_STACK with
 * errno=ENOMEM. The same sequence always gets the same id. */
uint32_t timeline__stack_id(struct timeline *tl, const uint32_t *ids, size_t n);
/* The names of stack `id`; NULL when there is no such stack. */
const uint32_t *timeline__stack(const struct timeline *tl, uint32_t id, size_t *ret_n);
size_t timeline__stacks(const struct timeline *tl);

/* Adds one sample at absolute time `ns` (any clock; only differences matter). 0 or -ENOMEM,
 * -EINVAL for a stack id that was never interned. */
int timeline__add(struct timeline *tl, uint64_t ns, uint32_t stack);
/* The same for a sample that weighs `weight` (perf script's period: ns of cpu-clock, cycles),
 * as it does in the trie, so a range weighs its samples as the whole profile does. */
int timeline__add_weighted(struct timeline *tl, uint64_t ns, uint32_t stack, uint64_t weight);
/* Forgets the samples taken before absolute time `ns` (ring mode's window, a live bound).
 * O(samples). */
void timeline__drop_before(struct timeline *tl, uint64_t ns);
/* Forgets the oldest `n` samples in the order added. */
void timeline__drop_oldest(struct timeline *tl, size_t n);
/* Forgets every sample (stacks stay interned). */
void timeline__clear(struct timeline *tl);

size_t timeline__samples(const struct timeline *tl);
/* The earliest sample's absolute time and the latest's offset from it; 0 when empty. */
uint64_t timeline__start_ns(const struct timeline *tl);
uint64_t timeline__span_ns(const struct timeline *tl);
/* The i-th sample in the order added (tests, exports). */
void timeline__sample(const struct timeline *tl, size_t i, uint64_t *ret_ns, uint32_t *ret_stack);

/* The first nanosecond offset (within a second) of row `row` of `rows`: a sample at offset
 * off is in row floor(off * rows / 1e9), so row r starts at ceil(r * 1e9 / rows). */
uint64_t timeline__row_start(uint32_t row, uint32_t rows);

/*
 * The heat map grid: one column per second from the first sample, `rows` buckets per second.
 * Fills *ret_counts (owned by the caller afterwards, free()) with cols * rows counts, column
 * major (counts[col * rows + row]) and sets *ret_cols. `keep`, when not NULL, is a per-stack
 * flag (timeline__stacks() entries): only samples of stacks with a nonzero flag count (the
 * heat map of a search). 0, -EINVAL (rows 0), -EFBIG (more than TIMELINE_MAX_COLS seconds),
 * -ENOMEM.
 */
int timeline__grid(const struct timeline *tl, uint32_t rows, const uint8_t *keep,
		   uint32_t **ret_counts, uint32_t *ret_cols);

/*
 * Adds every sample with offset in [from_ns, to_ns) to dst, each with its weight (names
 * re-interned from `names`, the trie the stack ids refer to). Returns the number of samples
 * added, or -ENOMEM.
 */
long long timeline__range_trie(const struct timeline *tl, const struct trie *names,
			       uint64_t from_ns, uint64_t to_ns, struct trie *dst);

/* Per-stack flags for timeline__grid(): nonzero where some frame's name has a nonzero
 * `name_flags` entry (nnames of them). Fills keep[timeline__stacks()]. */
void timeline__stacks_matching(const struct timeline *tl, const uint8_t *name_flags,
			       size_t nnames, uint8_t *keep);

#endif
