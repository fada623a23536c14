// SPDX-License-Identifier: MIT
/* Unit tests for the stack trie: interning, aggregation, order, folded output, eviction,
 * the node limit. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "folded.h"
#include "trie.h"

static uint32_t I(struct trie *t, const char *s, enum frame_kind k)
{
	return trie__intern(t, s, strlen(s), k);
}

static char *folded(struct trie *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f);
	CHECK(folded__write(t, f) == 0);
	fclose(f);
	return buf;
}

static void test_intern(void)
{
	struct trie *t = trie__new();
	uint32_t a = I(t, "main", FRAME_USER), b = I(t, "main", FRAME_KERNEL);

	CHECK(a != TRIE_NO_NAME && b != TRIE_NO_NAME);
	CHECK(a != b); /* same text, other kind: another name */
	CHECK_EQ_U64(I(t, "main", FRAME_USER), a);
	CHECK_STR(trie__name(t, a), "main");
	CHECK_EQ_U64(trie__kind(t, b), FRAME_KERNEL);
	/* many names: ids stay stable and pointers stay valid across growth */
	const char *p = trie__name(t, a);
	char buf[32];
	for (int i = 0; i < 100000; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		CHECK(I(t, buf, FRAME_USER) != TRIE_NO_NAME);
	}
	CHECK(p == trie__name(t, a));
	CHECK_STR(trie__name(t, I(t, "f4242", FRAME_USER)), "f4242");
	/* a name with embedded NUL and a 64 KiB name */
	uint32_t z = trie__intern(t, "a\0b", 3, FRAME_USER);
	CHECK_EQ_U64(trie__name_len(t, z), 3);
	char *big = malloc(65536);
	memset(big, 'x', 65536);
	uint32_t bi = trie__intern(t, big, 65536, FRAME_USER);
	CHECK_EQ_U64(trie__name_len(t, bi), 65536);
	CHECK(trie__name(t, bi)[65535] == 'x' && trie__name(t, bi)[65536] == 0);
	free(big);
	trie__free(t);
}

static void test_aggregate_and_folded(void)
{
	struct trie *t = trie__new();
	uint32_t comm = I(t, "work", FRAME_ROOT), m = I(t, "main", FRAME_USER);
	uint32_t a = I(t, "leaf_a", FRAME_USER), b = I(t, "leaf_b", FRAME_USER);
	uint32_t k = I(t, "do_syscall_64", FRAME_KERNEL), j = I(t, "LazyCompile:foo", FRAME_JIT);
	uint32_t s1[] = { comm, m, a }, s2[] = { comm, m, b }, s3[] = { comm, m }, s4[] = { comm, m, b, k };
	uint32_t s5[] = { comm, j };

	CHECK(trie__add(t, s1, 3, 5) == 0);
	CHECK(trie__add(t, s2, 3, 2) == 0);
	CHECK(trie__add(t, s1, 3, 1) == 0);
	CHECK(trie__add(t, s3, 2, 4) == 0); /* self samples in an interior frame */
	CHECK(trie__add(t, s4, 4, 3) == 0);
	CHECK(trie__add(t, s5, 2, 1) == 0);
	CHECK_EQ_U64(trie__total(t), 16);
	const struct trie_node *cn = trie__child(t, trie__root(t), comm);
	CHECK(cn && cn->total == 16 && cn->self == 0);
	const struct trie_node *mn = trie__child(t, cn, m);
	CHECK(mn && mn->total == 15 && mn->self == 4 && mn->depth == 2);
	const struct trie_node *bn = trie__child(t, mn, b);
	CHECK(bn && bn->total == 5 && bn->self == 2);
	CHECK_EQ_U64(trie__nodes(t), 7); /* root, work, main, a, b, k, j */

	char *out = folded(t);
	CHECK_STR(out, "work;LazyCompile:foo_[j] 1\n"
		       "work;main 4\n"
		       "work;main;leaf_a 6\n"
		       "work;main;leaf_b 2\n"
		       "work;main;leaf_b;do_syscall_64_[k] 3\n");
	free(out);

	/* by samples: main's children are leaf_a (6) then leaf_b (5) */
	trie__sort(t, TRIE_ORDER_SAMPLES);
	CHECK(mn->nchildren == 2 && trie_children(mn)[0]->name == a);
	trie__sort(t, TRIE_ORDER_NAME);
	CHECK(trie_children(cn)[0]->name == j); /* "LazyCompile" < "main" */
	trie__free(t);
}

static void test_folded_escapes(void)
{
	struct trie *t = trie__new();
	uint32_t s[] = { I(t, "p", FRAME_ROOT), I(t, "a;b\nc\x1b[2J", FRAME_USER) };

	trie__add(t, s, 2, 7);
	char *out = folded(t);
	CHECK_STR(out, "p;a:b\\x0ac\\x1b[2J 7\n");
	free(out);
	trie__free(t);
}

static void test_sub_and_free(void)
{
	struct trie *t = trie__new();
	uint32_t c = I(t, "c", FRAME_ROOT), x = I(t, "x", FRAME_USER), y = I(t, "y", FRAME_USER);
	uint32_t s1[] = { c, x, y }, s2[] = { c, x };

	trie__add(t, s1, 3, 3);
	trie__add(t, s2, 2, 2);
	CHECK_EQ_U64(trie__nodes(t), 4);
	CHECK(trie__sub(t, s1, 3, 4) == -ENOENT); /* more than there is: unchanged */
	CHECK_EQ_U64(trie__total(t), 5);
	CHECK(trie__sub(t, s1, 3, 3) == 0);
	CHECK_EQ_U64(trie__nodes(t), 3); /* y freed, x keeps its self samples */
	CHECK_EQ_U64(trie__total(t), 2);
	CHECK(trie__sub(t, s2, 2, 2) == 0);
	CHECK_EQ_U64(trie__nodes(t), 1);
	CHECK_EQ_U64(trie__total(t), 0);
	CHECK(trie__sub(t, s2, 2, 1) == -ENOENT);

	/* node handles: add, evict exactly, memory returns to the start */
	struct trie_node *leaf = trie__add_node(t, s1, 3, 10);
	CHECK(leaf && leaf->self == 10);
	CHECK(trie__sub_node(t, leaf, 10) == 0);
	CHECK_EQ_U64(trie__nodes(t), 1);

	/* a churn of distinct stacks added and evicted keeps the node count flat */
	uint32_t ids[64];
	struct trie_node *held[64];
	char buf[16];
	for (int i = 0; i < 64; i++) {
		snprintf(buf, sizeof(buf), "n%d", i);
		ids[i] = I(t, buf, FRAME_USER);
	}
	for (int round = 0; round < 200; round++) {
		for (int i = 0; i < 64; i++) {
			uint32_t st[] = { c, ids[i], ids[(i + round) % 64] };
			held[i] = trie__add_node(t, st, 3, 1);
		}
		for (int i = 0; i < 64; i++)
			CHECK(trie__sub_node(t, held[i], 1) == 0);
	}
	CHECK_EQ_U64(trie__nodes(t), 1);
	CHECK_EQ_U64(trie__total(t), 0);
	trie__free(t);
}

static void test_limit(void)
{
	struct trie *t = trie__new();
	uint32_t c = I(t, "c", FRAME_ROOT), ids[100];
	char buf[16];

	trie__set_max_nodes(t, 20);
	for (int i = 0; i < 100; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		ids[i] = I(t, buf, FRAME_USER);
	}
	for (int i = 0; i < 100; i++) {
		uint32_t st[] = { c, ids[i] };
		CHECK(trie__add(t, st, 2, 2) == 0);
	}
	CHECK(trie__nodes(t) <= 21); /* the limit, plus the one overflow frame */
	CHECK_EQ_U64(trie__total(t), 200); /* nothing lost */
	CHECK(trie__overflowed(t) > 0);
	CHECK_EQ_U64(trie__overflowed(t) + trie__child(t, trie__root(t), c)->total, 200);
	char *out = folded(t);
	CHECK(strstr(out, "[overflow] "));
	free(out);
	trie__clear(t);
	CHECK_EQ_U64(trie__nodes(t), 1);
	CHECK_EQ_U64(trie__total(t), 0);
	CHECK_EQ_U64(trie__overflowed(t), 0);
	trie__free(t);
}

static void test_deep(void)
{
	/* a 5000-deep stack: no recursion in sort, output or free */
	struct trie *t = trie__new();
	uint32_t *st = malloc(5000 * sizeof(*st));

	for (int i = 0; i < 5000; i++)
		st[i] = I(t, i % 2 ? "odd" : "even", FRAME_USER);
	CHECK(trie__add(t, st, 5000, 1) == 0);
	char *out = folded(t);
	CHECK(out && strlen(out) > 5000 * 3);
	free(out);
	free(st);
	trie__free(t);
}

struct rename_ctx {
	const struct trie *src;
};

/* "comm-PID/TID" -> "comm" */
static uint32_t to_comm(void *ctx, struct trie *dst, uint32_t name)
{
	struct rename_ctx *r = ctx;
	const char *s = trie__name(r->src, name), *dash = strrchr(s, '-');

	return trie__intern(dst, s, dash ? (size_t)(dash - s) : strlen(s), FRAME_ROOT);
}

static void test_merge_and_path(void)
{
	struct trie *src = trie__new(), *dst = trie__new();
	uint32_t t1 = I(src, "app-1/1", FRAME_ROOT), t2 = I(src, "app-1/2", FRAME_ROOT);
	uint32_t m = I(src, "main", FRAME_USER), k = I(src, "sys", FRAME_KERNEL);
	uint32_t s1[] = { t1, m }, s2[] = { t2, m, k }, s3[] = { t2, m };
	struct rename_ctx rc = { src };

	trie__add(src, s1, 2, 3);
	trie__add(src, s2, 3, 4);
	trie__add(src, s3, 2, 1);
	CHECK(trie__merge(dst, src, to_comm, &rc) == 0);
	CHECK_EQ_U64(trie__total(dst), 8);
	char *out = folded(dst);
	CHECK_STR(out, "app;main 4\napp;main;sys_[k] 4\n");
	free(out);
	/* merging again doubles; merging without rename keeps the threads apart */
	CHECK(trie__merge(dst, src, to_comm, &rc) == 0);
	CHECK_EQ_U64(trie__total(dst), 16);
	struct trie *same = trie__new();
	CHECK(trie__merge(same, src, NULL, NULL) == 0);
	out = folded(same);
	CHECK_STR(out, "app-1/1;main 3\napp-1/2;main 1\napp-1/2;main;sys_[k] 4\n");
	free(out);

	uint32_t ids[8];
	const struct trie_node *leaf = trie__add_node(src, s2, 3, 0);
	CHECK(trie__path(leaf, ids, 8) == 3);
	CHECK(ids[0] == t2 && ids[1] == m && ids[2] == k);
	CHECK(trie__path(leaf, ids, 2) == -ENOSPC);
	trie__free(same);
	trie__free(src);
	trie__free(dst);
}

/* Random adds and removals over stacks whose parents' fan-out crosses the narrow/wide
 * boundary both ways: the trie must agree with a plain table of counts. */
static void test_random_against_model(void)
{
	enum { NST = 300, OPS = 20000 };
	struct trie *t = trie__new();
	uint32_t st[NST][4], len[NST], ids[16];
	uint64_t model[NST] = { 0 };
	unsigned int seed = 12345;
	char buf[16];

	for (int i = 0; i < 16; i++) {
		snprintf(buf, sizeof(buf), "n%d", i);
		ids[i] = I(t, buf, FRAME_USER);
	}
	for (int i = 0; i < NST; i++) {
		/* stacks differ, and none is a prefix of another: 4 frames each */
		len[i] = 4;
		st[i][0] = ids[i % 2];
		st[i][1] = ids[(i / 2) % 12];
		st[i][2] = ids[(i / 24) % 16];
		st[i][3] = ids[(i / 7) % 16];
	}
	for (int op = 0; op < OPS; op++) {
		int i = (int)(rand_r(&seed) % NST);

		if (rand_r(&seed) % 3 == 0 && model[i]) {
			CHECK(trie__sub(t, st[i], len[i], 1) == 0);
			model[i]--;
		} else if (rand_r(&seed) % 2) {
			CHECK(trie__add(t, st[i], len[i], 1) == 0);
			model[i]++;
		}
	}
	uint64_t total = 0;
	for (int i = 0; i < NST; i++) {
		const struct trie_node *n = trie__root(t);

		for (uint32_t d = 0; d < len[i] && n; d++)
			n = trie__child(t, n, st[i][d]);
		/* several model stacks may share a path (duplicates): compare sums per path */
		uint64_t want = 0;
		for (int j = 0; j < NST; j++)
			if (!memcmp(st[j], st[i], sizeof(st[i])))
				want += model[j];
		CHECK_EQ_U64(n ? n->self : 0, want);
		total += model[i];
	}
	CHECK_EQ_U64(trie__total(t), total);
	/* empty everything: every node is freed */
	for (int i = 0; i < NST; i++)
		if (model[i])
			CHECK(trie__sub(t, st[i], len[i], model[i]) == 0);
	CHECK_EQ_U64(trie__nodes(t), 1);
	trie__free(t);
}

/* Siblings in name order by bytes (NUL included), a prefix before its extensions, the same text
 * ordered by kind; by samples with ties in name order; few and many children (two sort
 * paths); names interned after a sort join the order. */
static int by_bytes(const struct trie *t, uint32_t x, uint32_t y)
{
	size_t lx = trie__name_len(t, x), ly = trie__name_len(t, y);
	int c = memcmp(trie__name(t, x), trie__name(t, y), lx < ly ? lx : ly);

	if (c)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return (int)trie__kind(t, x) - (int)trie__kind(t, y);
}

static void check_order(const struct trie *t, const struct trie_node *p, enum trie_order order)
{
	for (uint32_t k = 1; k < p->nchildren; k++) {
		const struct trie_node *x = trie_children(p)[k - 1], *y = trie_children(p)[k];

		if (order == TRIE_ORDER_SAMPLES && x->total != y->total)
			CHECK(x->total > y->total);
		else
			CHECK(by_bytes(t, x->name, y->name) < 0);
	}
}

static void test_sort(void)
{
	struct trie *t = trie__new();
	uint32_t root = I(t, "p", FRAME_ROOT), few, many;
	const struct trie_node *pf, *pm;
	char name[16];

	few = I(t, "few", FRAME_USER);
	many = I(t, "many", FRAME_USER);
	for (int round = 0; round < 2; round++) {
		/* round 1 adds names the first sort has not ranked */
		for (int i = 0; i < 40; i++) {
			int v = (i * 37 + round * 11) % 53;
			uint32_t s[3] = { root, many, 0 };

			snprintf(name, sizeof(name), "f%d", v);
			s[2] = I(t, name, i % 3 ? FRAME_USER : FRAME_KERNEL);
			CHECK(trie__add(t, s, 3, (uint64_t)(v % 4 + 1)) == 0);
		}
		static const char *const odd[] = { "ab", "a", "abc", "b", "a\0z", "a\0a" };
		static const size_t odd_len[] = { 2, 1, 3, 1, 3, 3 };
		for (int i = 0; i < 6; i++) {
			uint32_t s[3] = { root, few,
					  trie__intern(t, odd[i], odd_len[i],
						       round ? FRAME_KERNEL : FRAME_USER) };

			CHECK(trie__add(t, s, 3, (uint64_t)(i % 2 + 1)) == 0);
		}
		pf = trie__child(t, trie__child(t, trie__root(t), root), few);
		pm = trie__child(t, trie__child(t, trie__root(t), root), many);
		CHECK(pf && pm && pm->nchildren > 16 && pf->nchildren <= 16);
		trie__sort(t, TRIE_ORDER_NAME);
		check_order(t, pf, TRIE_ORDER_NAME);
		check_order(t, pm, TRIE_ORDER_NAME);
		trie__sort(t, TRIE_ORDER_SAMPLES);
		check_order(t, pf, TRIE_ORDER_SAMPLES);
		check_order(t, pm, TRIE_ORDER_SAMPLES);
	}
	/* "a" < "a\0a" < "a\0z" < "ab" < "abc" < "b", user before kernel for the same text */
	trie__sort(t, TRIE_ORDER_NAME);
	CHECK(pf->nchildren == 12);
	CHECK(trie__name_len(t, trie_children(pf)[0]->name) == 1);
	CHECK(trie__kind(t, trie_children(pf)[0]->name) == FRAME_USER);
	CHECK(trie__kind(t, trie_children(pf)[1]->name) == FRAME_KERNEL);
	CHECK(!memcmp(trie__name(t, trie_children(pf)[2]->name), "a\0a", 3));
	CHECK(!strcmp(trie__name(t, trie_children(pf)[11]->name), "b"));
	trie__free(t);
}

static void check_all_orders(const struct trie *t, const struct trie_node *n)
{
	check_order(t, n, TRIE_ORDER_NAME);
	for (uint32_t k = 0; k < n->nchildren; k++)
		check_all_orders(t, trie_children(n)[k]);
}

/* Name order over many names (the rank is radix sorted on 8-byte slices, finished by the full
 * compare): long shared prefixes past 8, 16 and 64 bytes, lengths either side of each slice,
 * NUL bytes at the ends of slices, both kinds of the same text, and bytes above 0x7f. */
static void test_sort_radix(void)
{
	static const char *const prefixes[] = { "", "std::vec", "std::vector<int>::", "x",
						"0123456789abcdef0123456789abcdef0123456789abcdef"
						"0123456789abcdef0123" };
	struct trie *t = trie__new();
	uint32_t root = I(t, "p", FRAME_ROOT);
	unsigned seed = 11;
	char name[160];

	for (int i = 0; i < 3000; i++) {
		const char *pre = prefixes[(seed = seed * 1103515245 + 12345) >> 16 & 3];
		size_t len = strlen(pre), extra;
		uint32_t s[2] = { root, 0 };

		if (i % 7 == 0)
			pre = prefixes[4], len = strlen(pre);
		memcpy(name, pre, len);
		extra = ((seed = seed * 1103515245 + 12345) >> 16) % 20;
		for (size_t k = 0; k < extra; k++) {
			unsigned v = ((seed = seed * 1103515245 + 12345) >> 16) % 6;

			name[len++] = v == 0 ? '\0' : v == 1 ? (char)0xe9 : (char)('a' + v);
		}
		s[1] = trie__intern(t, name, len, i % 5 ? FRAME_USER : FRAME_KERNEL);
		CHECK(s[1] != TRIE_NO_NAME);
		CHECK(trie__add(t, s, 2, 1) == 0);
	}
	/* names that differ in one byte only: one radix pass, its output in the other buffer */
	for (int v = 0; v < 200; v++) {
		uint32_t s[2] = { root, 0 };

		snprintf(name, sizeof(name), "onebyte_%ctail", (char)(255 - v));
		s[1] = I(t, name, FRAME_USER);
		CHECK(trie__add(t, s, 2, 1) == 0);
	}
	trie__sort(t, TRIE_ORDER_NAME);
	check_all_orders(t, trie__root(t));
	CHECK(trie__child(t, trie__root(t), root)->nchildren > 1000);
	trie__free(t);
}

/* The rank in two parts (trie__rank_split/half/join, the file loader's two threads) orders the
 * names as the rank in one piece does: names either side of the split, short and empty ones,
 * NUL and high bytes, both kinds; all names in one part; and a name interned between split
 * and join is refused (-EINVAL, the trie ranks itself on the next sort). */
static void test_rank_split(void)
{
	for (int round = 0; round < 3; round++) {
		struct trie *t = trie__new();
		uint32_t root = I(t, "p", FRAME_ROOT);
		struct trie_rank_split *sp;
		unsigned seed = 7 + (unsigned)round;
		char name[64];

		for (int i = 0; i < 5000; i++) {
			size_t len = ((seed = seed * 1103515245 + 12345) >> 16) % 24;
			uint32_t s[2] = { root, 0 };

			for (size_t k = 0; k < len; k++) {
				unsigned v = ((seed = seed * 1103515245 + 12345) >> 16) % 40;

				/* round 2: every name starts "zz", so one part holds them all */
				name[k] = round == 2 && k < 2 ? 'z' : v == 0 ? '\0' : v == 1 ? (char)0xfe
					: (char)('a' + v % 26);
			}
			if (round == 2 && len < 2)
				len = 2, name[0] = name[1] = 'z';
			s[1] = trie__intern(t, name, len, i % 3 ? FRAME_USER : FRAME_KERNEL);
			CHECK(s[1] != TRIE_NO_NAME);
			CHECK(trie__add(t, s, 2, 1) == 0);
		}
		sp = trie__rank_split(t);
		CHECK(sp != NULL);
		trie__rank_half(sp, true);
		trie__rank_half(sp, false);
		if (round == 1) {
			CHECK(I(t, "interned between", FRAME_USER) != TRIE_NO_NAME);
			CHECK(trie__rank_join(t, sp) == -EINVAL);
		} else {
			CHECK(trie__rank_join(t, sp) == 0);
		}
		trie__sort(t, TRIE_ORDER_NAME);
		check_all_orders(t, trie__root(t));
		CHECK(trie__child(t, trie__root(t), root)->nchildren > 3000);
		trie__free(t);
	}
}

/* A name-order sort after adds sorts only the parents that gained children: every node's
 * children must end in order all the same, across rounds of adds, evictions, and a round that
 * brings more new parents than that list keeps. */
static void test_sort_incremental(void)
{
	struct trie *t = trie__new();
	unsigned seed = 7;
	uint32_t s[6];
	char name[16];

	for (int round = 0; round < 6; round++) {
		int lines = round == 3 ? 4000 : 500;

		for (int i = 0; i < lines; i++) {
			int n = round == 3 ? 2 : 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 6;

			for (int d = 0; d < n; d++) {
				unsigned v = ((seed = seed * 1103515245 + 12345) >> 16) % (d ? 40 : 4);

				if (round == 3)
					v = d ? (unsigned)(i % 2) : (unsigned)i;
				snprintf(name, sizeof(name), "%c%u", "zyxwvu"[d], v);
				s[d] = I(t, name, FRAME_USER);
			}
			CHECK(trie__add(t, s, (size_t)n, 1) == 0);
			if (round == 4 && i % 3 == 0)
				CHECK(trie__sub(t, s, (size_t)n, 1) == 0);
		}
		trie__sort(t, TRIE_ORDER_NAME);
		check_all_orders(t, trie__root(t));
		if (round == 1) {
			/* the other order and back: a full walk again */
			trie__sort(t, TRIE_ORDER_SAMPLES);
			trie__sort(t, TRIE_ORDER_NAME);
			check_all_orders(t, trie__root(t));
		}
	}
	trie__free(t);
}

/* More nodes than the small chunks hold, so most live in mapped ones: counts and lookups hold,
 * and clear, eviction (the free list) and refill work across both kinds. */
static void test_big(void)
{
	struct trie *t = trie__new();
	uint32_t outer[1000], inner[100], s[2];
	char name[16];

	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "o%d", i);
		outer[i] = I(t, name, FRAME_USER);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "i%d", i);
		inner[i] = I(t, name, FRAME_USER);
	}
	for (int round = 0; round < 2; round++) {
		uint64_t total = 0, o_total = 0;

		for (int i = 0; i < 100000; i++) {
			s[0] = outer[i / 100];
			s[1] = inner[i % 100];
			CHECK(trie__add(t, s, 2, (uint64_t)(i % 3 + 1)) == 0);
			total += (uint64_t)(i % 3 + 1);
			o_total += i / 100 == 777 ? (uint64_t)(i % 3 + 1) : 0;
		}
		CHECK_EQ_U64(trie__nodes(t), 1 + 1000 + 100000);
		CHECK_EQ_U64(trie__total(t), total);
		const struct trie_node *o = trie__child(t, trie__root(t), outer[777]);
		CHECK(o && o->nchildren == 100 && o->total == o_total);
		const struct trie_node *leaf = trie__child(t, o, inner[42]);
		CHECK(leaf && leaf->self == (uint64_t)(77742 % 3 + 1));
		/* evict every other outer frame's stacks: their nodes go to the free list */
		for (int i = 0; i < 100000; i++) {
			if ((i / 100) % 2)
				continue;
			s[0] = outer[i / 100];
			s[1] = inner[i % 100];
			CHECK(trie__sub(t, s, 2, (uint64_t)(i % 3 + 1)) == 0);
		}
		CHECK_EQ_U64(trie__nodes(t), 1 + 500 + 50000);
		/* refill from the free list */
		for (int i = 0; i < 100000; i += 200) {
			s[0] = outer[i / 100];
			s[1] = inner[i % 100];
			CHECK(trie__add(t, s, 2, 1) == 0);
		}
		CHECK_EQ_U64(trie__nodes(t), 1 + 1000 + 50000 + 500);
		if (!round)
			trie__clear(t);
	}
	trie__free(t);
}

/* A node's children: one held in the node, more in an array, and back, through removals. */
static void test_child_storage(void)
{
	struct trie *t = trie__new();
	uint32_t p = I(t, "p", FRAME_USER), s[2] = { p, 0 }, kid[3];
	const struct trie_node *pn;

	/* the nodes are most of a big profile's memory: a field more is 8 MB per million */
	_Static_assert(sizeof(void *) != 8 || sizeof(struct trie_node) == 48,
		       "a trie node is 48 bytes on 64-bit machines");
	for (int i = 0; i < 3; i++) {
		char name[4] = { 'k', (char)('0' + i), 0 };

		kid[i] = I(t, name, FRAME_USER);
	}
	for (int round = 0; round < 2; round++) {
		s[1] = kid[0];
		CHECK(trie__add(t, s, 2, 1) == 0);
		pn = trie__child(t, trie__root(t), p);
		CHECK(pn && pn->nchildren == 1 && pn->cap == 1);
		CHECK(trie_children(pn)[0]->name == kid[0] && trie_children(pn)[0]->parent == pn);
		s[1] = kid[1];
		CHECK(trie__add(t, s, 2, 2) == 0);
		CHECK(pn->nchildren == 2 && pn->cap == 2);
		CHECK(trie_children(pn)[0]->name == kid[0] && trie_children(pn)[1]->name == kid[1]);
		/* one left in the array, then a second again */
		s[1] = kid[0];
		CHECK(trie__sub(t, s, 2, 1) == 0);
		CHECK(pn->nchildren == 1 && trie_children(pn)[0]->name == kid[1]);
		s[1] = kid[2];
		CHECK(trie__add(t, s, 2, 4) == 0);
		CHECK(pn->nchildren == 2 && trie_children(pn)[1]->name == kid[2]);
		CHECK(trie__child(t, pn, kid[2])->total == 4);
		CHECK(trie__child(t, pn, kid[1])->total == 2);
		s[1] = kid[1];
		CHECK(trie__sub(t, s, 2, 2) == 0);
		s[1] = kid[2];
		CHECK(trie__sub(t, s, 2, 4) == 0);
		/* all gone, p too: the next round starts from a node on the free list */
		CHECK_EQ_U64(trie__nodes(t), 1);
		CHECK_EQ_U64(trie__root(t)->nchildren, 0);
	}
	trie__free(t);
}

static const char *M(const struct trie *t, uint32_t id)
{
	static char buf[64];
	size_t len;
	const char *s = trie__module_name(t, trie__module(t, id), &len);

	snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
	return buf;
}

/* Each name's binary: interned once, "[several]" when two disagree, carried into other tries. */
static void test_modules(void)
{
	struct trie *t = trie__new(), *u = trie__new(), *w = trie__new();
	uint32_t f = I(t, "f", FRAME_USER), g = I(t, "g", FRAME_USER), h = I(t, "h", FRAME_USER);
	uint16_t libc = trie__module_intern(t, "libc.so.6", 9);
	uint32_t s[] = { f, g, h };
	char big[300];

	CHECK_STR(M(t, f), "[unknown]");
	CHECK(libc != TRIE_MODULE_NONE && libc != TRIE_MODULE_SEVERAL);
	CHECK_EQ_U64(trie__module_intern(t, "libc.so.6", 9), libc);
	CHECK(trie__module_intern(t, "sh", 2) != libc);
	CHECK_EQ_U64(trie__modules(t), 4);
	trie__set_module(t, f, libc);
	trie__set_module(t, f, TRIE_MODULE_NONE); /* nothing known: no change */
	CHECK_STR(M(t, f), "libc.so.6");
	trie__set_module(t, g, libc);
	trie__set_module(t, g, trie__module_intern(t, "sh", 2));
	CHECK_STR(M(t, g), "[several]");
	trie__set_module(t, h, trie__module_intern(t, "sh", 2));
	CHECK_EQ_U64(trie__modules(t), 4);
	memset(big, 'x', sizeof(big));
	CHECK_EQ_U64(trie__module_intern(t, big, sizeof(big)), TRIE_MODULE_NONE);
	CHECK_EQ_U64(trie__module_intern(t, "", 0), TRIE_MODULE_NONE);

	/* another trie: the same names and binaries by text, its own ids */
	trie__module_intern(u, "other", 5);
	CHECK_STR(M(u, trie__intern_from(u, t, h)), "sh");
	CHECK_STR(M(u, trie__intern_from(u, t, f)), "libc.so.6");
	CHECK_STR(M(u, trie__intern_from(u, t, g)), "[several]");
	CHECK(trie__add(t, s, 3, 2) == 0);
	CHECK(trie__merge(w, t, NULL, NULL) == 0);
	CHECK_STR(M(w, I(w, "f", FRAME_USER)), "libc.so.6");
	CHECK_STR(M(w, I(w, "h", FRAME_USER)), "sh");
	trie__free(t);
	trie__free(u);
	trie__free(w);
}

/*
 * Clearing frees every children array whether the trie still lists the nodes that have one or
 * (after eviction churn outgrew that list) visits every node: run under ASan/LSan, a missed
 * array is a leak, a wrong one a double free. Both rounds then refill from the kept chunks.
 */
static void test_clear_after_churn(void)
{
	for (int churn = 0; churn < 2; churn++) {
		struct trie *t = trie__new();
		uint32_t s[2], kids[12];

		s[0] = I(t, "parent", FRAME_USER);
		for (int k = 0; k < 12; k++) {
			char buf[8];

			snprintf(buf, sizeof(buf), "k%d", k);
			kids[k] = I(t, buf, FRAME_USER);
		}
		/* each round gives parent an array (12 children, past WIDE) and takes it away */
		for (int round = 0; round < (churn ? 3000 : 3); round++) {
			for (int k = 0; k < 12; k++) {
				s[1] = kids[k];
				CHECK(trie__add(t, s, 2, 1) == 0);
			}
			for (int k = 0; k < 12; k++) {
				s[1] = kids[k];
				CHECK(trie__sub(t, s, 2, 1) == 0);
			}
		}
		for (int k = 0; k < 12; k++) {
			s[1] = kids[k];
			CHECK(trie__add(t, s, 2, 2) == 0);
		}
		CHECK_EQ_U64(trie__nodes(t), 14);
		trie__clear(t);
		CHECK_EQ_U64(trie__nodes(t), 1);
		CHECK_EQ_U64(trie__total(t), 0);
		for (int k = 0; k < 12; k++) {
			s[1] = kids[k];
			CHECK(trie__add(t, s, 2, 3) == 0);
		}
		CHECK_EQ_U64(trie__total(t), 36);
		CHECK_EQ_U64(trie_children(trie__root(t))[0]->nchildren, 12);
		trie__free(t);
	}
}

int main(void)
{
	test_child_storage();
	test_clear_after_churn();
	test_modules();
	test_random_against_model();
	test_sort_incremental();
	test_sort_radix();
	test_rank_split();
	test_merge_and_path();
	test_intern();
	test_aggregate_and_folded();
	test_folded_escapes();
	test_sub_and_free();
	test_limit();
	test_deep();
	test_sort();
	test_big();
	return check_done();
}
