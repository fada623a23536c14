// SPDX-License-Identifier: MIT
/* Unit tests for diff: node matching by stack across two tries, share deltas normalised by
 * each side's total (by self and by total), the largest change, and difffolded.pl's
 * three-column output with and without -n. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diff.h"

/* Adds "a;b;c N" (kernel frames end in _[k]). */
static void add(struct trie *t, const char *stack, uint64_t n)
{
	uint32_t ids[16];
	size_t k = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *f = strtok_r(buf, ";", &save); f; f = strtok_r(NULL, ";", &save)) {
		size_t len = strlen(f);
		bool kern = len > 4 && !strcmp(f + len - 4, "_[k]");

		ids[k++] =
		    trie__intern(t, f, kern ? len - 4 : len, kern ? FRAME_KERNEL : FRAME_USER);
	}
	CHECK(trie__add(t, ids, k, n) == 0);
}

static const struct trie_node *node(struct trie *t, const char *stack)
{
	const struct trie_node *n = trie__root(t);
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *f = strtok_r(buf, ";", &save); f && n; f = strtok_r(NULL, ";", &save))
		n = trie__child(t, n, trie__intern(t, f, strlen(f), FRAME_USER));
	return n;
}

#define NEAR(a, b) CHECK(fabs((a) - (b)) < 1e-9)

static void profiles(struct trie **ret_before, struct trie **ret_after)
{
	struct trie *b = trie__new(), *a = trie__new();

	/* before: 1000 samples; after: 2000 */
	add(b, "main;parse;lex", 300);
	add(b, "main;parse", 100);
	add(b, "main;render", 500);
	add(b, "main;gone", 100);
	add(a, "main;parse;lex", 300);
	add(a, "main;parse", 200);
	add(a, "main;render", 1000);
	add(a, "main;fresh", 500);
	*ret_before = b;
	*ret_after = a;
}

static void test_match_and_delta(void)
{
	struct trie *b, *a;
	struct diff *d;

	profiles(&b, &a);
	d = diff__new(a, b);
	CHECK(d);
	CHECK(diff__other(d, node(a, "main;parse;lex")) == node(b, "main;parse;lex"));
	CHECK(diff__other(d, node(a, "main;fresh")) == NULL);
	CHECK_EQ_U64(diff__other_samples(d, node(a, "main;parse"), true), 400);
	CHECK_EQ_U64(diff__other_samples(d, node(a, "main;parse"), false), 100);
	CHECK_EQ_U64(diff__other_samples(d, node(a, "main;fresh"), true), 0);
	/* the same count is a smaller share of a bigger profile: lex shrank 30% -> 15% */
	NEAR(diff__delta(d, node(a, "main;parse;lex"), true), 0.15 - 0.30);
	/* parse: self 5% -> 10% (grew), total 40% -> 25% (shrank): --by decides the colour */
	NEAR(diff__delta(d, node(a, "main;parse"), false), 0.10 - 0.10);
	NEAR(diff__delta(d, node(a, "main;parse"), true), 0.25 - 0.40);
	NEAR(diff__delta(d, node(a, "main;render"), true), 0.50 - 0.50);
	NEAR(diff__delta(d, node(a, "main;fresh"), true), 0.25);
	NEAR(diff__delta(d, node(a, "main;fresh"), false), 0.25);
	/* largest change by total: parse and lex -15%, fresh +25% */
	NEAR(diff__max_delta(d, true), 0.25);
	NEAR(diff__max_delta(d, false), 0.25);
	diff__free(d);
	/* negated: BEFORE shown, frames that went away are there */
	d = diff__new(b, a);
	CHECK(diff__other(d, node(b, "main;gone")) == NULL);
	NEAR(diff__delta(d, node(b, "main;gone"), true), 0.10);
	diff__free(d);
	trie__free(a);
	trie__free(b);
}

static char *folded(struct trie *b, struct trie *a, bool normalize)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(diff__write_folded(b, a, normalize, f) == 0);
	fclose(f);
	return buf;
}

static void test_folded(void)
{
	struct trie *b, *a;
	char *s;

	profiles(&b, &a);
	add(b, "main;sys_[k]", 7);
	add(a, "main;sys_[k]", 7);
	s = folded(b, a, false);
	CHECK_STR(s, "main;fresh 0 500\n"
		     "main;gone 100 0\n"
		     "main;parse 100 200\n"
		     "main;parse;lex 300 300\n"
		     "main;render 500 1000\n"
		     "main;sys_[k] 7 7\n");
	free(s);
	/* -n: BEFORE scaled to AFTER's total (1007 -> 2007), rounded down */
	s = folded(b, a, true);
	CHECK_STR(s, "main;fresh 0 500\n"
		     "main;gone 199 0\n"
		     "main;parse 199 200\n"
		     "main;parse;lex 597 300\n"
		     "main;render 996 1000\n"
		     "main;sys_[k] 13 7\n");
	free(s);
	/* both sides untouched */
	CHECK_EQ_U64(trie__total(b), 1007);
	CHECK_EQ_U64(trie__total(a), 2007);
	trie__free(a);
	trie__free(b);
}

int main(void)
{
	test_match_and_delta();
	test_folded();
	return check_done();
}
