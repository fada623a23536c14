// SPDX-License-Identifier: MIT
/* Unit tests for ring mode's window: exact eviction, freed nodes, slot views, flat memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "timewindow.h"

static uint32_t I(struct trie *t, const char *s)
{
	return trie__intern(t, s, strlen(s), FRAME_USER);
}

static void test_window(void)
{
	struct trie *t = trie__new();
	struct timewindow *r = timewindow__new(t, 3);
	uint32_t p = I(t, "p"), a = I(t, "leaf_a"), b = I(t, "leaf_b");
	uint32_t sa[] = { p, a }, sb[] = { p, b };

	/* slots 0 and 1: leaf_a; slots 2..: leaf_b */
	for (int slot = 0; slot < 6; slot++) {
		if (slot)
			timewindow__advance(r);
		for (int i = 0; i < 10 + slot; i++)
			CHECK(timewindow__add(r, slot < 2 ? sa : sb, 2) == 0);
		uint64_t sum = 0;
		for (unsigned int age = 0; age < timewindow__held(r); age++)
			sum += timewindow__slot_total(r, age);
		CHECK_EQ_U64(trie__total(t), sum); /* the window is exactly its slots */
	}
	CHECK_EQ_U64(timewindow__held(r), 3);
	/* a full window after the switch: leaf_a is gone, and its node freed */
	const struct trie_node *pn = trie__child(t, trie__root(t), p);
	CHECK(pn && !trie__child(t, pn, a));
	CHECK_EQ_U64(trie__total(t), 13 + 14 + 15);
	CHECK_EQ_U64(trie__nodes(t), 3);
	CHECK_EQ_U64(timewindow__slot_total(r, 0), 15);
	CHECK_EQ_U64(timewindow__slot_total(r, 2), 13);
	CHECK_EQ_U64(timewindow__slot_total(r, 3), 0);

	/* one slot alone */
	struct trie *one = trie__new();
	CHECK(timewindow__slot_trie(r, 1, one) == 0);
	CHECK_EQ_U64(trie__total(one), 14);
	CHECK(timewindow__slot_trie(r, 5, one) == -ERANGE);
	trie__free(one);

	timewindow__clear(r);
	CHECK_EQ_U64(trie__total(t), 0);
	CHECK_EQ_U64(trie__nodes(t), 1);
	timewindow__free(r);
	trie__free(t);
}

static void test_flat(void)
{
	/* many distinct stacks over many slots: the trie never holds more than the window */
	struct trie *t = trie__new();
	struct timewindow *r = timewindow__new(t, 4);
	uint32_t ids[3], names[500];
	char buf[16];
	size_t peak = 0;

	for (int i = 0; i < 500; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		names[i] = I(t, buf);
	}
	ids[0] = I(t, "proc");
	for (int slot = 0; slot < 400; slot++) {
		timewindow__advance(r);
		for (int i = 0; i < 200; i++) {
			ids[1] = names[(slot * 7 + i) % 500];
			ids[2] = names[(slot * 13 + i * 3) % 500];
			CHECK(timewindow__add(r, ids, 3) == 0);
		}
		if (trie__nodes(t) > peak)
			peak = trie__nodes(t);
		CHECK(trie__total(t) <= 4 * 200);
	}
	CHECK(peak <= 2 + 4 * 200 * 2);
	timewindow__free(r);
	trie__free(t);
}

/* Thread churn: every slot brings new root names. Compaction keeps only the names the window
 * uses, and the window stays exact through it. */
static void test_compact(void)
{
	struct trie *t = trie__new();
	struct timewindow *r = timewindow__new(t, 3);
	char buf[32];
	size_t peak_names = 0;

	for (int slot = 0; slot < 200; slot++) {
		timewindow__advance(r);
		for (int th = 0; th < 20; th++) {
			int n = snprintf(buf, sizeof(buf), "worker-%d/%d", slot, th);
			uint32_t ids[3] = { trie__intern(t, buf, (size_t)n, FRAME_ROOT),
					    I(t, "main"), I(t, th % 2 ? "leaf_a" : "leaf_b") };

			CHECK(timewindow__add(r, ids, 3) == 0);
			CHECK(timewindow__add(r, ids, 2) == 0);
		}
		if (slot % 10 == 9) {
			struct trie *nt = NULL;
			uint64_t before = trie__total(t);
			size_t nodes = trie__nodes(t);

			CHECK(timewindow__compact(r, &nt) == 0);
			CHECK(nt && nt != t);
			CHECK_EQ_U64(trie__total(nt), before);
			CHECK_EQ_U64(trie__nodes(nt), nodes);
			trie__free(t);
			t = nt;
		}
		if (trie__names(t) > peak_names)
			peak_names = trie__names(t);
		uint64_t sum = 0;
		for (unsigned int age = 0; age < timewindow__held(r); age++)
			sum += timewindow__slot_total(r, age);
		CHECK_EQ_U64(trie__total(t), sum);
	}
	/* 200 slots x 20 threads made 4000 names; the trie never held more than a few windows' */
	CHECK(peak_names < 4 * 3 * 20 + 16 + 3 * 20 * 10);
	/* eviction after compaction still frees everything */
	for (int i = 0; i < 3; i++)
		timewindow__advance(r);
	CHECK_EQ_U64(trie__total(t), 0);
	CHECK_EQ_U64(trie__nodes(t), 1);
	timewindow__free(r);
	trie__free(t);
}

int main(void)
{
	test_compact();
	test_window();
	test_flat();
	return check_done();
}
