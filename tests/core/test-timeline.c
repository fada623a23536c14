// SPDX-License-Identifier: MIT
/* Unit tests for the timeline: stack interning, heat-map cells against buckets computed by
 * hand (samples exactly on bucket edges included), range tries and their totals, the search
 * restriction. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "timeline.h"
#include "trie.h"

#define MS 1000000ull
#define T0 5000000000123ull /* an arbitrary monotonic start */

static uint32_t I(struct trie *t, const char *s)
{
	return trie__intern(t, s, strlen(s), FRAME_USER);
}

static void test_stacks(void)
{
	struct timeline *tl = timeline__new();
	uint32_t a[] = { 1, 2, 3 }, b[] = { 1, 2 }, c[] = { 1, 2, 3 };
	const uint32_t *got;
	size_t n;

	uint32_t ia = timeline__stack_id(tl, a, 3), ib = timeline__stack_id(tl, b, 2);
	CHECK(ia != ib);
	CHECK_EQ_U64(timeline__stack_id(tl, c, 3), ia);
	CHECK_EQ_U64(timeline__stack_id(tl, NULL, 0), 2); /* the empty stack is a stack */
	got = timeline__stack(tl, ib, &n);
	CHECK(got && n == 2 && got[0] == 1 && got[1] == 2);
	CHECK(!timeline__stack(tl, 99, &n));
	CHECK_EQ_U64(timeline__add(tl, 1, 99), (uint64_t)-EINVAL);
	/* many stacks: ids stay stable through rehashing */
	for (uint32_t i = 0; i < 50000; i++) {
		uint32_t s[] = { i, i * 7, 3 };

		CHECK_EQ_U64(timeline__stack_id(tl, s, 3), i + 3);
	}
	for (uint32_t i = 0; i < 50000; i += 997) {
		uint32_t s[] = { i, i * 7, 3 };

		CHECK_EQ_U64(timeline__stack_id(tl, s, 3), i + 3);
	}
	CHECK_EQ_U64(timeline__stacks(tl), 50003);
	timeline__free(tl);
}

/* Buckets by hand: 50 rows of 20 ms. */
static void test_grid_edges(void)
{
	struct timeline *tl = timeline__new();
	uint32_t s0 = 0, one = 1, *cells = NULL, cols = 0;
	uint32_t st = timeline__stack_id(tl, &s0, 1), st2 = timeline__stack_id(tl, &one, 1);
	/* offsets from the first sample, ms: row = ms / 20 within the second */
	static const struct {
		uint64_t ns;
		uint32_t col, row;
	} pts[] = {
		{ 0, 0, 0 },		      /* the first sample: col 0 row 0 */
		{ 20 * MS - 1, 0, 0 },	      /* last ns of row 0 */
		{ 20 * MS, 0, 1 },	      /* exactly on the edge: row 1 */
		{ 999 * MS, 0, 49 },	      /* last row */
		{ 1000 * MS - 1, 0, 49 },     /* last ns of the first second */
		{ 1000 * MS, 1, 0 },	      /* exactly one second: next column */
		{ 3000 * MS + 40 * MS, 3, 2 }, /* a gap: column 2 stays empty */
	};
	size_t npts = sizeof(pts) / sizeof(pts[0]);

	for (size_t i = npts; i-- > 0;) /* out of order: the start is the earliest */
		CHECK(timeline__add(tl, T0 + pts[i].ns, i == 3 ? st2 : st) == 0);
	CHECK_EQ_U64(timeline__start_ns(tl), T0);
	CHECK_EQ_U64(timeline__span_ns(tl), 3040 * MS);
	CHECK(timeline__grid(tl, 50, NULL, &cells, &cols) == 0);
	CHECK_EQ_U64(cols, 4);
	uint32_t want[4 * 50] = { 0 };
	for (size_t i = 0; i < npts; i++)
		want[pts[i].col * 50 + pts[i].row]++;
	CHECK(!memcmp(cells, want, sizeof(want)));
	CHECK_EQ_U64(cells[0], 2);
	CHECK_EQ_U64(cells[1], 1);
	CHECK_EQ_U64(cells[49], 2);
	CHECK_EQ_U64(cells[50], 1);
	CHECK_EQ_U64(cells[3 * 50 + 2], 1);
	free(cells);
	/* the row starts agree with the bucketing, also when rows do not divide a second */
	for (uint32_t rows = 1; rows <= 200; rows++)
		for (uint32_t r = 0; r < rows; r++) {
			uint64_t s = timeline__row_start(r, rows);

			CHECK_EQ_U64(s * rows / 1000000000ull, r);
			if (s)
				CHECK_EQ_U64((s - 1) * rows / 1000000000ull, r - 1);
		}
	/* 7 rows: 142857143 ns each, rounded up */
	CHECK_EQ_U64(timeline__row_start(1, 7), 142857143);
	/* restricted to stack st2 (the search's view) */
	uint8_t keep[2] = { 0, 1 };
	CHECK(timeline__grid(tl, 50, keep, &cells, &cols) == 0);
	for (uint32_t i = 0; i < cols * 50; i++)
		CHECK_EQ_U64(cells[i], i == 49 ? 1 : 0);
	free(cells);
	CHECK_EQ_U64(timeline__grid(tl, 0, NULL, &cells, &cols), (uint64_t)-EINVAL);
	/* one sample 100 days later: refused, not a terabyte grid */
	CHECK(timeline__add(tl, T0 + 100ull * 86400 * 1000 * MS, st) == 0);
	CHECK_EQ_U64(timeline__grid(tl, 50, NULL, &cells, &cols), (uint64_t)-EFBIG);
	timeline__free(tl);
}

static void test_range(void)
{
	struct trie *names = trie__new(), *dst = trie__new();
	struct timeline *tl = timeline__new();
	uint32_t a[2] = { I(names, "main"), I(names, "leaf_a") };
	uint32_t b[2] = { a[0], I(names, "leaf_b") };
	uint32_t sa = timeline__stack_id(tl, a, 2), sb = timeline__stack_id(tl, b, 2);
	uint64_t in_range = 0, want_a = 0;

	/* 10 s at 100 Hz: leaf_a in the first 300 ms of each second, leaf_b after */
	for (uint64_t i = 0; i < 1000; i++) {
		uint64_t ns = i * 10 * MS;
		bool is_a = ns % (1000 * MS) < 300 * MS;

		CHECK(timeline__add(tl, T0 + ns, is_a ? sa : sb) == 0);
		if (ns >= 2050 * MS && ns < 2250 * MS) {
			in_range++;
			want_a += is_a;
		}
	}
	long long got = timeline__range_trie(tl, names, 2050 * MS, 2250 * MS, dst);
	CHECK_EQ_U64(got, in_range);
	CHECK_EQ_U64(in_range, 20);
	CHECK_EQ_U64(trie__total(dst), in_range);
	const struct trie_node *m = trie__child(dst, trie__root(dst), trie__intern(dst, "main", 4,
								      FRAME_USER));
	CHECK(m && m->total == in_range);
	const struct trie_node *la = m ? trie__child(dst, m, trie__intern(dst, "leaf_a", 6,
									  FRAME_USER)) : NULL;
	CHECK(la && la->total == want_a && want_a == 20);
	/* the whole range is the whole profile; an empty range adds nothing */
	trie__clear(dst);
	CHECK_EQ_U64(timeline__range_trie(tl, names, 0, UINT64_MAX, dst), 1000);
	CHECK_EQ_U64(trie__total(dst), 1000);
	trie__clear(dst);
	CHECK_EQ_U64(timeline__range_trie(tl, names, 500 * MS, 500 * MS, dst), 0);
	CHECK_EQ_U64(trie__total(dst), 0);
	/* the search restriction: stacks holding a matching name */
	uint8_t flags[8] = { 0 }, keep[2];
	flags[b[1]] = 1;
	timeline__stacks_matching(tl, flags, trie__names(names), keep);
	CHECK(keep[sa] == 0 && keep[sb] == 1);
	flags[a[0]] = 1;
	timeline__stacks_matching(tl, flags, trie__names(names), keep);
	CHECK(keep[sa] == 1 && keep[sb] == 1);
	timeline__free(tl);
	trie__free(names);
	trie__free(dst);
}

/* Weights: a range sums them; samples before the first weight other than 1 weigh 1; the
 * weights move with their samples when the oldest are dropped. */
static void test_weights(void)
{
	struct timeline *tl = timeline__new();
	struct trie *t = trie__new(), *r = trie__new(), *r2 = trie__new();
	uint32_t a = I(t, "a"), b = I(t, "b");
	uint32_t sa = timeline__stack_id(tl, &a, 1), sb = timeline__stack_id(tl, &b, 1);

	CHECK(timeline__add(tl, T0, sa) == 0);
	CHECK(timeline__add_weighted(tl, T0 + 10 * MS, sb, 5000) == 0);
	CHECK(timeline__add_weighted(tl, T0 + 20 * MS, sa, 7000) == 0);
	CHECK_EQ_U64(timeline__range_trie(tl, t, 0, UINT64_MAX, r), 3);
	CHECK_EQ_U64(trie__total(r), 12001);
	timeline__drop_oldest(tl, 1);
	CHECK_EQ_U64(timeline__range_trie(tl, t, 0, 5 * MS, r2), 1);
	CHECK_EQ_U64(trie__total(r2), 5000);
	timeline__free(tl);
	trie__free(r2);
	trie__free(r);
	trie__free(t);
}

int main(void)
{
	test_stacks();
	test_grid_edges();
	test_range();
	test_weights();
	return check_done();
}
