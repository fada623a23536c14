// SPDX-License-Identifier: MIT
/*
 * Diff mode in the derived views: bottom-up (b), the sandwich (x, both halves) and by binary (m)
 * colour each frame by how its samples changed against the same view of the other profile,
 * as the graph does; not every frame as unchanged, nor as new.
 */
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "../../src/diff.h"
#include "../../src/tui/render.h"
#include "../../src/tui/view.h"

static void add(struct trie *t, const char *stack, uint64_t count, const char *module)
{
	uint32_t ids[16];
	size_t n = 0;
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", stack);
	for (char *tok = strtok_r(buf, ";", &save); tok && n < 16; tok = strtok_r(NULL, ";", &save))
		ids[n++] = trie__intern(t, tok, strlen(tok), FRAME_USER);
	CHECK(trie__add(t, ids, n, count) == 0);
	trie__set_module(t, ids[n - 1], trie__module_intern(t, module, strlen(module)));
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

/* The role of the frame named `name` on the graph rows (the first such frame), or -1. */
static int role_of(const struct cellbuf *b, const char *name)
{
	size_t len = strlen(name);

	for (int y = 1; y < b->h - 2; y++) {
		const char *r = row(b, y), *p = r;

		while ((p = strstr(p, name))) {
			/* the whole name: a frame's text starts at its left edge */
			if ((p == r || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
				return cellbuf__at(b, (int)(p - r), y)->role;
			p += len;
		}
	}
	fprintf(stderr, "no frame %s on screen\n", name);
	return -1;
}

/*
 * BEFORE: fast and slow 10 samples each, in libfast.so / libslow.so. AFTER (shown): fast 30,
 * slow 10, so fast's share grows (50% -> 75%) and slow's shrinks (50% -> 25%); main, in every
 * stack, stays at 100%.
 */
static void test_derived_diff_colours(void)
{
	struct trie *after = trie__new(), *before = trie__new();
	struct cellbuf *b = cellbuf__new();
	struct diff *d;
	struct tui_diff td = { .other = before, .by_total = true };
	struct tui_info info = { .source = "test", .diff = &td };
	struct view *v;

	add(before, "app;main;fast_path", 10, "libfast.so");
	add(before, "app;main;slow_path", 10, "libslow.so");
	add(after, "app;main;fast_path", 30, "libfast.so");
	add(after, "app;main;slow_path", 10, "libslow.so");
	d = diff__new(after, before);
	td.d = d;
	v = view__new(after, &info, NULL);
	CHECK(d && v && b && cellbuf__resize(b, 120, 20) == 0);
	CHECK(view__draw(v, b) == 0);
	CHECK_EQ_U64(role_of(b, "fast_path"), ROLE_DIFF_UP);
	CHECK_EQ_U64(role_of(b, "slow_path"), ROLE_DIFF_DOWN);
	CHECK_EQ_U64(role_of(b, "main"), ROLE_DIFF_SAME);

	/* bottom-up: the roots are the leaves, matched to the other profile's bottom-up */
	key(v, 'b');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "bottom-up") != NULL);
	CHECK_EQ_U64(role_of(b, "fast_path"), ROLE_DIFF_UP);
	CHECK_EQ_U64(role_of(b, "slow_path"), ROLE_DIFF_DOWN);
	/* the status line compares with the other profile's bottom-up too */
	key(v, TK_UP);
	CHECK(view__draw(v, b) == 0);
	CHECK(strncmp(row(b, 18), "fast_path", 9) == 0);
	CHECK(strstr(row(b, 19), "before 10 (50.00%) after 30 (75.00%)") != NULL);
	key(v, 'b');

	/* the sandwich of main: callers (active) and callees (the passive half) */
	key(v, TK_UP);
	key(v, TK_UP);
	CHECK(view__draw(v, b) == 0);
	CHECK(strncmp(row(b, 18), "main", 4) == 0 || !fprintf(stderr, "[%s]\n", row(b, 18)));
	key(v, 'x');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "sandwich main") != NULL);
	CHECK_EQ_U64(role_of(b, "main"), ROLE_DIFF_SAME);
	CHECK_EQ_U64(role_of(b, "fast_path"), ROLE_DIFF_UP);
	CHECK_EQ_U64(role_of(b, "slow_path"), ROLE_DIFF_DOWN);
	key(v, 'x'); /* the callees active */
	CHECK(view__draw(v, b) == 0);
	CHECK_EQ_U64(role_of(b, "fast_path"), ROLE_DIFF_UP);
	CHECK_EQ_U64(role_of(b, "slow_path"), ROLE_DIFF_DOWN);
	key(v, TK_ESC);

	/* by binary: each binary's frame matched by its name */
	key(v, 'm');
	CHECK(view__draw(v, b) == 0);
	CHECK(strstr(row(b, 0), "by binary") != NULL);
	CHECK_EQ_U64(role_of(b, "libfast.so"), ROLE_DIFF_UP);
	CHECK_EQ_U64(role_of(b, "libslow.so"), ROLE_DIFF_DOWN);

	view__free(v);
	diff__free(d);
	cellbuf__free(b);
	trie__free(after);
	trie__free(before);
}

int main(void)
{
	if (!setlocale(LC_CTYPE, "C.UTF-8"))
		return 77;
	test_derived_diff_colours();
	return check_done();
}
