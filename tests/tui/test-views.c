// SPDX-License-Identifier: MIT
/*
 * Unit tests of the derived views (src/tui/views.c): bottom-up, sandwich callers and callees
 * built from small hand-written tries, checked node by node with exact counts, including
 * recursion (a;b;a;b) and a function called from several places.
 */
#include <errno.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/tui/render.h"
#include "../../src/tui/view.h"
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

	CHECK(views__callees(v, src, id(src, "b"), NULL) == 0);
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
	/* a is outermost: no callers */
	CHECK_EQ_U64(trie_children(trie__root(v))[0]->nchildren, 0);
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

	CHECK(views__callees(v, src, f, NULL) == 0);
	CHECK_EQ_U64(trie__total(v), 11);
	CHECK_EQ_U64(total(v, src, "f"), 11);
	CHECK_EQ_U64(self(v, src, "f"), 3);
	CHECK_EQ_U64(total(v, src, "f;leaf"), 8);
	CHECK_EQ_U64(trie__root(v)->nchildren, 1);
	CHECK_EQ_U64(views__self(src, f), 3);

	/* a function nobody calls gives an empty view, not an error */
	CHECK(views__callees(v, src, id(src, "nowhere"), NULL) == 0);
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

/* A derived trie with a node limit keeps every sample: the rest goes to [overflow]. */
static void test_bounded(void)
{
	struct trie *src = many_callers(), *v = trie__new();
	trie__set_max_nodes(v, 6);
	CHECK(views__bottom_up(v, src) == 0);
	CHECK(trie__nodes(v) <= 7);
	CHECK_EQ_U64(trie__total(v), 15);
	CHECK(trie__overflowed(v) > 0);
	CHECK_EQ_U64(trie__names(v), trie__names(src)); /* ids still line up */
	trie__free(v);
	trie__free(src);
}

static const char *row(const struct cellbuf *b, int y)
{
	static char text[1024];

	cellbuf__row_text(b, y, text, sizeof(text));
	return text;
}

static int key(struct view *v, int k)
{
	struct term_event ev = { .type = TERM_EV_KEY, .key = k };

	return view__event(v, &ev);
}

/* Draws, then checks that the status line (row 18 at 120x20) starts with name. */
static bool selected(struct view *v, struct cellbuf *b, const char *name)
{
	CHECK(view__draw(v, b) == 0);
	if (strncmp(row(b, 18), name, strlen(name))) {
		fprintf(stderr, "selected: \"%s\", expected %s\n", row(b, 18), name);
		return false;
	}
	return true;
}

/* The views driven key by key, as the terminal would: b, x, Esc, search, sort, table, refresh. */
static void test_view_keys(void)
{
	struct trie *t = many_callers();
	struct tui_info info = { .source = "test" };
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, &info, NULL);

	CHECK(v && b && cellbuf__resize(b, 120, 20) == 0);
	CHECK(selected(v, b, "all"));
	key(v, TK_UP);
	CHECK(selected(v, b, "app"));
	/* bottom-up: the widest root is leaf (8 of 15 samples, from two paths) */
	CHECK(key(v, 'b') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "bottom-up") && strstr(row(b, 0), "15 samples"));
	key(v, TK_UP);
	CHECK(selected(v, b, "leaf"));
	CHECK(strstr(row(b, 19), "8 samples, 53.33% of all") != NULL);
	key(v, TK_UP);
	CHECK(selected(v, b, "f"));
	/* in name order the neighbour left of leaf is h; by samples leaf comes first */
	key(v, TK_DOWN);
	key(v, TK_LEFT);
	CHECK(selected(v, b, "h"));
	key(v, TK_RIGHT);
	key(v, 'o');
	key(v, TK_LEFT);
	CHECK(selected(v, b, "leaf"));
	key(v, 'o');
	/* zoom and search work in it */
	CHECK(key(v, TK_ENTER) & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "zoomed") != NULL);
	key(v, TK_ESC);
	key(v, '/');
	key(v, 'h');
	key(v, TK_ENTER);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "Matched: 40.00%") != NULL); /* h in 6 of 15 stacks */
	key(v, TK_ESC);	      /* clears the search */
	key(v, TK_ESC);	      /* leaves the view: the graph's selection is back */
	CHECK(selected(v, b, "app"));
	CHECK(strstr(row(b, 0), "bottom-up") == NULL);

	/* sandwich from the table: app, main, f by total */
	key(v, 't');
	key(v, TK_DOWN);
	key(v, TK_DOWN);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 18), "x: sandwich") != NULL);
	CHECK(key(v, 'x') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich f: callers, self 20.00% total 73.33%") != NULL);
	/* rows 1-8 the callers growing up from f, rows 9-17 the callees hanging down from it */
	CHECK(!strncmp(row(b, 8), "all", 3) && !strncmp(row(b, 7), "f ", 2));
	CHECK(strstr(row(b, 6), "main") && strstr(row(b, 6), "g"));
	CHECK(!strncmp(row(b, 9), "all", 3) && !strncmp(row(b, 10), "f ", 2));
	CHECK(!strncmp(row(b, 11), "leaf", 4));
	key(v, 'i');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "keeps callers above") != NULL);
	key(v, TK_UP);
	CHECK(selected(v, b, "f"));
	key(v, TK_UP);
	CHECK(selected(v, b, "main"));
	CHECK(strstr(row(b, 19), "6 samples, 40.00% of all") != NULL);
	/* x again: the callees */
	key(v, 'x');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich f: callees") != NULL);
	key(v, TK_DOWN); /* the callees hang down from f */
	key(v, TK_DOWN);
	CHECK(selected(v, b, "leaf"));
	CHECK(strstr(row(b, 19), "8 samples") != NULL);
	/* a refresh of the profile rebuilds the view and keeps the selection by path */
	add(t, "app;main;f;leaf", 10);
	view__invalidate(v);
	CHECK(selected(v, b, "leaf"));
	CHECK(strstr(row(b, 19), "18 samples") != NULL);
	/* x on a frame in the graph */
	key(v, TK_ESC);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich") == NULL);
	key(v, TK_UP);
	CHECK(selected(v, b, "main"));
	key(v, 'x');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich main: callers") != NULL);
	key(v, 'b'); /* from a sandwich straight to bottom-up, and back to the graph */
	key(v, 'b');
	CHECK(selected(v, b, "main"));
	/* the root is no function */
	key(v, TK_DOWN);
	key(v, TK_DOWN);
	key(v, 'x');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "select a function first") != NULL);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

static void set_module(struct trie *t, const char *name, const char *module)
{
	trie__set_module(t, id(t, name), trie__module_intern(t, module, strlen(module)));
}

/* many_callers() with each function in a binary: leaf in libc, f and g in libx, h in app. */
static struct trie *with_binaries(void)
{
	struct trie *t = many_callers();

	set_module(t, "leaf", "libc.so.6");
	set_module(t, "f", "libx.so");
	set_module(t, "g", "libx.so");
	set_module(t, "h", "app");
	return t;
}

/* Grouped by binary first: a binary's width is the self samples of its functions. */
static void test_by_binary(void)
{
	struct trie *src = with_binaries(), *bb = trie__new();
	uint32_t frames[8];
	size_t n = trie__modules(src);

	CHECK(n == 5 && n <= 8);
	for (size_t m = 0; m < n && m < 8; m++) {
		size_t len;
		const char *s = trie__module_name(src, (uint16_t)m, &len);

		frames[m] = trie__intern(src, s, len, FRAME_SPECIAL);
	}
	CHECK(views__by_binary(bb, src, frames, 0) == -EINVAL);
	CHECK(views__by_binary(bb, src, frames, n) == 0);
	CHECK_EQ_U64(trie__total(bb), 15);
	CHECK_EQ_U64(trie__root(bb)->nchildren, 3); /* no [unknown]: main and app have no self */
	CHECK_EQ_U64(trie__child(bb, trie__root(bb), frames[trie__module(src, id(src, "leaf"))])
			     ->total, 8);
	CHECK_EQ_U64(trie__child(bb, trie__root(bb), frames[trie__module(src, id(src, "f"))])
			     ->total, 3); /* f's self 1 + 2; g has none */
	CHECK_EQ_U64(trie__child(bb, trie__root(bb), frames[trie__module(src, id(src, "h"))])
			     ->total, 4);
	/* under each binary, the whole stacks that ended in it */
	CHECK_EQ_U64(trie__child(bb, trie__root(bb), frames[trie__module(src, id(src, "leaf"))])
			     ->nchildren, 1);
	CHECK_EQ_U64(total(bb, src, "libc.so.6"), 0); /* a FRAME_USER name: not a binary's */
	/* a sample on a frame with no binary goes under [unknown] */
	add(src, "app;main", 2);
	CHECK(views__by_binary(bb, src, frames, n) == 0);
	CHECK_EQ_U64(trie__child(bb, trie__root(bb), frames[TRIE_MODULE_NONE])->total, 2);
	trie__free(bb);
	trie__free(src);
}

/* m: the graph by binary; the status line and the table name each function's binary. */
static void test_binary_keys(void)
{
	struct trie *t = with_binaries();
	struct tui_info info = { .source = "test" };
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, &info, NULL);

	CHECK(v && b && cellbuf__resize(b, 120, 20) == 0);
	key(v, 'o'); /* by samples: libc (8) first */
	CHECK(key(v, 'm') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "by binary (m: back)") && strstr(row(b, 0), "15 samples"));
	key(v, TK_UP);
	CHECK(selected(v, b, "libc.so.6"));
	CHECK(strstr(row(b, 19), "8 samples, 53.33% of all") != NULL);
	key(v, TK_RIGHT);
	CHECK(selected(v, b, "app"));
	CHECK(strstr(row(b, 19), "4 samples") != NULL);
	key(v, TK_LEFT);
	for (int i = 0; i < 5; i++)
		key(v, TK_UP);
	CHECK(selected(v, b, "leaf"));
	CHECK(strstr(row(b, 19), "5 samples") && strstr(row(b, 19), "| in libc.so.6"));
	key(v, 'x'); /* a sandwich of a function works from here */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich leaf: callers") != NULL);
	key(v, 'm'); /* from the sandwich to the binaries, and back to the graph */
	key(v, 'm');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "by binary") == NULL);
	CHECK(selected(v, b, "all"));
	key(v, TK_UP);
	key(v, TK_UP);
	CHECK(selected(v, b, "main"));
	CHECK(strstr(row(b, 19), "| in [unknown]") != NULL);
	/* the table's binary column, and the selected row's binary on the last line */
	key(v, 't');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "Binary") != NULL);
	CHECK(strstr(row(b, 4), "libx.so") && strstr(row(b, 4), " f"));
	CHECK(strstr(row(b, 19), "in [unknown]") != NULL); /* app, first by total */
	CHECK(cellbuf__resize(b, 80, 20) == 0);
	key(v, TK_DOWN);
	key(v, TK_DOWN);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "Binary") == NULL);
	CHECK(strstr(row(b, 19), "in libx.so") != NULL);
	/* a refresh (new samples, a new binary) rebuilds it and keeps the selection by path */
	key(v, 't');
	key(v, 'm');
	key(v, TK_UP);
	key(v, TK_RIGHT);
	CHECK(selected(v, b, "app"));
	add(t, "app;main;h", 6);
	add(t, "app;main;z", 1);
	set_module(t, "z", "libz.so");
	view__invalidate(v);
	CHECK(selected(v, b, "app"));
	CHECK(strstr(row(b, 19), "10 samples") != NULL);
	CHECK(strstr(row(b, 0), "22 samples") != NULL);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* An input that does not name binaries says so after "in [unknown]" (tui_info.binary_note, last),
 * even where no frame has one; frames with a binary are named as always. */
static void test_binary_note(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test", .binary_note = "collapsed stacks say not" };
	struct cellbuf *b = cellbuf__new();
	struct view *v;

	add(t, "app;main;h", 3);
	v = view__new(t, &info, NULL);
	CHECK(v && b && cellbuf__resize(b, 140, 20) == 0);
	CHECK(selected(v, b, "all"));
	key(v, TK_UP);
	key(v, TK_UP);
	CHECK(selected(v, b, "main"));
	CHECK(strstr(row(b, 19), "| in [unknown] | collapsed stacks say not") != NULL);
	info.binary_note = NULL; /* without one: nothing said, as before */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "| in") == NULL);
	add(t, "app;main;k", 1);
	set_module(t, "k", "[kernel]");
	info.binary_note = "x";
	view__invalidate(v);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "| in [unknown] | x") != NULL);
	key(v, TK_UP); /* h, then k: in a binary, no note */
	key(v, TK_RIGHT);
	CHECK(selected(v, b, "k"));
	CHECK(strstr(row(b, 19), "| in [kernel]") && !strstr(row(b, 19), "| x"));
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

static uint32_t fake_addrs = 1;

/* tui_info.frame_addr as the live modes answer it, for the frame [gzip] only */
static int fake_frame_addr(void *ctx, const char *name, size_t len, enum frame_kind kind,
			   struct tui_frame_addr *ret)
{
	(void)ctx;
	if (kind != FRAME_UNKNOWN || len != 6 || memcmp(name, "[gzip]", 6))
		return -ENOENT;
	*ret = (struct tui_frame_addr){ .offset = 0x4883, .samples = 12, .total = 100,
					.addrs = fake_addrs };
	snprintf(ret->where, sizeof(ret->where), "%s", fake_addrs > 1 ? "gzip.c:77" : "");
	return 0;
}

static int fake_frame_lines(void *ctx, const char *name, size_t len, enum frame_kind kind,
			    struct tui_line *ret, size_t cap, uint64_t *ret_total)
{
	(void)ctx;
	(void)kind;
	if (len != 4 || memcmp(name, "work", 4) || cap < 2)
		return -ENOENT;
	ret[0] = (struct tui_line){ "/src/work.c", 12, 75 };
	ret[1] = (struct tui_line){ "/src/work.c", 9, 25 };
	*ret_total = 100;
	return 2;
}

/* L: the selected function's hottest source lines; the status line names the hottest. */
static void test_source_lines(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test", .frame_lines = fake_frame_lines };
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, &info, NULL);
	uint32_t s[2] = { trie__intern(t, "app", 3, FRAME_ROOT), id(t, "work") };

	CHECK(trie__add(t, s, 2, 100) == 0);
	CHECK(v && b && cellbuf__resize(b, 120, 20) == 0);
	CHECK(selected(v, b, "all"));
	key(v, TK_UP);
	CHECK(key(v, 'L') & VIEW_REDRAW);
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "select a function") != NULL); /* app is a process */
	key(v, TK_UP);
	CHECK(selected(v, b, "work"));
	key(v, 'L');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "hottest lines of work") != NULL);
	CHECK(strstr(row(b, 3), "75  75.00%  /src/work.c:12") != NULL);
	CHECK(strstr(row(b, 4), "25  25.00%  /src/work.c:9") != NULL);
	key(v, 'j'); /* any key closes it */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "hottest lines") == NULL);
	/* from the table's row too (filtered to work) */
	key(v, 't');
	key(v, '/');
	key(v, 'w');
	key(v, TK_ENTER);
	key(v, 'L');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "hottest lines of work") != NULL);
	key(v, 'q' + 1); /* closes; back to the graph */
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 1), "hottest lines") == NULL);
	info.frame_lines = NULL;
	key(v, 'L');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 19), "no addresses to find source lines by") != NULL);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* A frame named after its binary: the status line gives its address, or its hottest one. */
static void test_frame_address(void)
{
	struct trie *t = trie__new();
	struct tui_info info = { .source = "test", .frame_addr = fake_frame_addr };
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, &info, NULL);
	uint32_t s[2] = { trie__intern(t, "gzip", 4, FRAME_ROOT),
			  trie__intern(t, "[gzip]", 6, FRAME_UNKNOWN) };

	trie__set_module(t, s[1], trie__module_intern(t, "gzip", 4));
	CHECK(trie__add(t, s, 2, 100) == 0);
	CHECK(v && b && cellbuf__resize(b, 120, 20) == 0);
	CHECK(selected(v, b, "all"));
	key(v, TK_UP);
	key(v, TK_UP);
	CHECK(selected(v, b, "[gzip]"));
	CHECK(strstr(row(b, 19), "| in gzip+0x4883") != NULL);
	fake_addrs = 505;
	CHECK(selected(v, b, "[gzip]"));
	CHECK(strstr(row(b, 19), "| in gzip (505 addresses, hottest +0x4883 12%) | gzip.c:77"));
	key(v, TK_DOWN);
	CHECK(selected(v, b, "gzip"));
	CHECK(strstr(row(b, 19), "+0x") == NULL && strstr(row(b, 19), "| in") == NULL);
	view__free(v);
	cellbuf__free(b);
	trie__free(t);
}

/* view__presort() sorts the trie the first draw shows, as that draw would (tui__run runs it on
 * a second thread while the terminal opens): the children end in name order, and the first
 * draw is the same as a view's that did not presort. A derived view is left alone. */
static void test_presort(void)
{
	struct trie *a = trie__new(), *b2 = trie__new();
	struct tui_info info = { .source = "test" };
	struct cellbuf *ba = cellbuf__new(), *bb = cellbuf__new();
	struct view *va, *vb;
	const struct trie_node *root;
	char stack[64];

	CHECK(a && b2 && ba && bb);
	/* added in reverse name order, so that nothing is sorted by chance */
	for (int i = 99; i >= 0; i--) {
		snprintf(stack, sizeof(stack), "app;f%02d;leaf", i);
		add(a, stack, (uint64_t)i + 1);
		add(b2, stack, (uint64_t)i + 1);
	}
	va = view__new(a, &info, NULL);
	vb = view__new(b2, &info, NULL);
	CHECK(va && vb);
	root = trie__child(a, trie__root(a), id(a, "app"));
	CHECK(root && root->nchildren == 100);
	CHECK(strcmp(trie__name(a, trie_children(root)[0]->name), "f99") == 0);
	view__presort(va);
	CHECK(strcmp(trie__name(a, trie_children(root)[0]->name), "f00") == 0);
	for (uint32_t i = 1; root && i < root->nchildren; i++)
		CHECK(strcmp(trie__name(a, trie_children(root)[i - 1]->name),
			     trie__name(a, trie_children(root)[i]->name)) < 0);
	CHECK(cellbuf__resize(ba, 120, 20) == 0 && cellbuf__resize(bb, 120, 20) == 0);
	CHECK(view__draw(va, ba) == 0 && view__draw(vb, bb) == 0);
	for (int y = 0; y < 20; y++) {
		char ra[1024];

		snprintf(ra, sizeof(ra), "%s", row(ba, y));
		CHECK(strcmp(ra, row(bb, y)) == 0);
	}
	view__free(va);
	view__free(vb);
	cellbuf__free(ba);
	cellbuf__free(bb);
	trie__free(a);
	trie__free(b2);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 77;
	test_view_keys();
	test_presort();
	test_bottom_up();
	test_recursion();
	test_sandwich_many_callers();
	test_rebuild_follows_source();
	test_bounded();
	test_by_binary();
	test_binary_keys();
	test_binary_note();
	test_frame_address();
	test_source_lines();
	return check_done();
}
