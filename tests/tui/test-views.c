// SPDX-License-Identifier: MIT
/*
 * Unit tests of the derived views (src/tui/views.c): bottom-up, sandwich callers and callees
 * built from small hand-written tries, checked node by node with exact counts, including
 * recursion (a;b;a;b) and a function called from several places.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/tui/views.h"

static uint32_t id(struct trie *t, const char *s)
{
	return trie__intern(t, s, strlen(s), FRAME_USER);
}

static void add(struct trie *t, const char *stack, uint64_t count)
{
	uint32_t ids[64];
	size_t n = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *tok = strtok_r(buf, ";", &save); tok && n < 64; tok = strtok_r(NULL, ";", &save))
		ids[n++] = id(t, tok);
	CHECK(trie__add(t, ids, n, count) == 0);
}

/* The node at path "a;b;c" of t, looked up through src's name ids (shared), or NULL. */
static const struct trie_node *at(const struct trie *t, struct trie *src, const char *path)
{
	const struct trie_node *n = trie__root(t);
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok_r(buf, ";", &save); tok && n; tok = strtok_r(NULL, ";", &save))
		n = trie__child(t, n, id(src, tok));
	return n;
}

static uint64_t total(const struct trie *t, struct trie *src, const char *path)
{
	const struct trie_node *n = at(t, src, path);

	return n ? n->total : 0;
}

static uint64_t self(const struct trie *t, struct trie *src, const char *path)
{
	const struct trie_node *n = at(t, src, path);

	return n ? n->self : 0;
}

/* main calls f directly and through g and h; f calls leaf. */
static struct trie *many_callers(void)
{
	struct trie *t = trie__new();

	add(t, "app;main;f;leaf", 5);
	add(t, "app;main;f", 1);
	add(t, "app;main;g;f;leaf", 3);
	add(t, "app;main;h;f", 2);
	add(t, "app;main;h", 4);
	return t;
}

static void test_bottom_up(void)
{
	struct trie *src = many_callers(), *bu = trie__new();

	CHECK(views__bottom_up(bu, src) == 0);
	CHECK_EQ_U64(trie__total(bu), trie__total(src));
	CHECK_EQ_U64(trie__total(bu), 15);
	/* leaf merged from its two paths */
	CHECK_EQ_U64(total(bu, src, "leaf"), 8);
	CHECK_EQ_U64(total(bu, src, "leaf;f"), 8);
	CHECK_EQ_U64(total(bu, src, "leaf;f;main"), 5);
	CHECK_EQ_U64(total(bu, src, "leaf;f;g;main;app"), 3);
	CHECK_EQ_U64(self(bu, src, "leaf;f;main;app"), 5);
	/* f's own samples: direct (1) and through h (2) */
	CHECK_EQ_U64(total(bu, src, "f"), 3);
	CHECK_EQ_U64(total(bu, src, "f;main"), 1);
	CHECK_EQ_U64(total(bu, src, "f;h;main;app"), 2);
	CHECK_EQ_U64(total(bu, src, "h"), 4);
	CHECK(at(bu, src, "main") == NULL); /* main has no self samples */
	CHECK_EQ_U64(trie__root(bu)->nchildren, 3);
	/* names are shared: the same ids mean the same text */
	CHECK_EQ_U64(trie__names(bu), trie__names(src));
	CHECK_STR(trie__name(bu, id(src, "leaf")), "leaf");
	trie__free(bu);
	trie__free(src);
}

static void test_recursion(void)
{
	struct trie *src = trie__new(), *v = trie__new();

	add(src, "a;b;a;b", 1);
	add(src, "a;b;a", 2);
	add(src, "a;c", 4);

	CHECK(views__bottom_up(v, src) == 0);
	CHECK_EQ_U64(total(v, src, "b;a;b;a"), 1);
	CHECK_EQ_U64(total(v, src, "a;b;a"), 2);
	CHECK_EQ_U64(total(v, src, "c;a"), 4);
	CHECK_EQ_U64(trie__total(v), 7);

	/* b appears twice in a;b;a;b: that stack counts once */
	CHECK(views__callers(v, src, id(src, "b")) == 0);
	CHECK_EQ_U64(trie__total(v), 3);
	CHECK_EQ_U64(trie__root(v)->nchildren, 1);
	CHECK_EQ_U64(total(v, src, "b"), 3);
	CHECK_EQ_U64(total(v, src, "b;a"), 3);
	CHECK(at(v, src, "b;a;b") == NULL);

	CHECK(views__callees(v, src, id(src, "b")) == 0);
	CHECK_EQ_U64(trie__total(v), 3);
	CHECK_EQ_U64(total(v, src, "b"), 3);
	CHECK_EQ_U64(self(v, src, "b"), 0);
	CHECK_EQ_U64(total(v, src, "b;a"), 3);
	CHECK_EQ_U64(self(v, src, "b;a"), 2);
	CHECK_EQ_U64(self(v, src, "b;a;b"), 1);

	CHECK(views__callers(v, src, id(src, "a")) == 0);
	CHECK_EQ_U64(trie__total(v), 7);
	CHECK_EQ_U64(total(v, src, "a"), 7);
	CHECK_EQ_U64(trie__root(v)->nchildren, 1);
	CHECK_EQ_U64(trie__root(v)->only->nchildren, 0); /* a is outermost: no callers */
	CHECK_EQ_U64(views__self(src, id(src, "a")), 2);
	CHECK_EQ_U64(views__self(src, id(src, "b")), 1);
	trie__free(v);
	trie__free(src);
}

static void test_sandwich_many_callers(void)
{
	struct trie *src = many_callers(), *v = trie__new();
	uint32_t f = id(src, "f");

	CHECK(views__callers(v, src, f) == 0);
	CHECK_EQ_U64(trie__total(v), 11);
	CHECK_EQ_U64(total(v, src, "f"), 11);
	CHECK_EQ_U64(total(v, src, "f;main"), 6);
	CHECK_EQ_U64(total(v, src, "f;g;main;app"), 3);
	CHECK_EQ_U64(total(v, src, "f;h;main;app"), 2);
	CHECK_EQ_U64(self(v, src, "f;main;app"), 6);
	CHECK(at(v, src, "f;leaf") == NULL);

	CHECK(views__callees(v, src, f) == 0);
	CHECK_EQ_U64(trie__total(v), 11);
	CHECK_EQ_U64(total(v, src, "f"), 11);
	CHECK_EQ_U64(self(v, src, "f"), 3);
	CHECK_EQ_U64(total(v, src, "f;leaf"), 8);
	CHECK_EQ_U64(trie__root(v)->nchildren, 1);
	CHECK_EQ_U64(views__self(src, f), 3);

	/* a function nobody calls gives an empty view, not an error */
	CHECK(views__callees(v, src, id(src, "nowhere")) == 0);
	CHECK_EQ_U64(trie__total(v), 0);
	trie__free(v);
	trie__free(src);
}

static void test_rebuild_follows_source(void)
{
	struct trie *src = trie__new(), *v = trie__new(), *other = trie__new();

	add(src, "p;x", 1);
	CHECK(views__bottom_up(v, src) == 0);
	add(src, "p;y;z", 2); /* new names after the first build */
	CHECK(views__bottom_up(v, src) == 0);
	CHECK_EQ_U64(trie__total(v), 3);
	CHECK_EQ_U64(total(v, src, "z;y;p"), 2);
	CHECK_EQ_U64(total(v, src, "x;p"), 1);
	/* a trie with names of its own cannot share ids */
	id(other, "something-else-entirely");
	CHECK(views__bottom_up(other, src) == -EINVAL);
	trie__free(other);
	trie__free(v);
	trie__free(src);
}

int main(void)
{
	test_bottom_up();
	test_recursion();
	test_sandwich_many_callers();
	test_rebuild_follows_source();
	return check_done();
}
