// SPDX-License-Identifier: MIT
/*
 * Drawing benchmark: time to lay out and draw one frame of the flame graph (view__draw into a
 * cell buffer, everything but the curses blit) for tries of about 10k, 100k and 1M nodes at
 * 200x50, and the cost of the live modes' per-refresh view rebuild (trie__merge). Prints one
 * line per size: "draw NODES MEDIAN_MS MAX_MS merge MEDIAN_MS", then one line for the derived
 * views (src/tui/views.c) against that plain copy in the same run: "views NODES BOTTOMUP_MS
 * SANDWICH_MS MERGE_MS" (sandwich = callers + callees of the function in the most stacks, and
 * its self samples summed, as the view does), and
 * "binary NODES BY_BINARY_MS MERGE_MS" for the by-binary view (five binaries). Then a key press
 * in the bottom-up and sandwich views as the app handles one (view__event, then view__draw:
 * layout and draw into the cell buffer): "keys KIND NODES ENTER_MS MEDIAN_MS MAX_MS", where
 * ENTER_MS is the press that opens the view (its build included) and the rest are moves and
 * zooms in it (Up, Right, Enter, Down, Left, Esc, in turn).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "trie.h"
#include "tui.h"
#include "view.h"
#include "views.h"
#include "benchtime.h"

/* A tree shaped like a real profile: stack i, frame j is keyed by i >> (17 - 2j), so the top
 * is narrow and the leaves are many; stacks are added until the trie has `target` nodes. */
static struct trie *make_trie(size_t target)
{
	struct trie *t = trie__new();
	uint32_t ids[31], names[3844];
	char buf[32];

	if (!t)
		return NULL;
	for (int k = 0; k < 3844; k++) {
		int n = snprintf(buf, sizeof(buf), "function_%d", k);

		names[k] = trie__intern(t, buf, (size_t)n, k % 7 ? FRAME_USER : FRAME_KERNEL);
		/* five binaries, for the by-binary view */
		n = snprintf(buf, sizeof(buf), "lib%d.so", k % 5);
		trie__set_module(t, names[k], trie__module_intern(t, buf, (size_t)n));
	}
	ids[0] = trie__intern(t, "app", 3, FRAME_ROOT);
	for (unsigned long i = 0; trie__nodes(t) < target; i++) {
		for (int j = 0; j < 30; j++) {
			unsigned long key = i >> (17 - 2 * j > 0 ? 17 - 2 * j : 0);

			ids[j + 1] = names[(key * 7 + (unsigned long)j * 13) % 3844];
		}
		if (trie__add(t, ids, 31, 1 + i % 5))
			break;
	}
	return t;
}

/* The name of the first frame below the root's widest path at depth 3: in many stacks. */
static uint32_t busy_name(const struct trie *t)
{
	const struct trie_node *n = trie__root(t);

	for (int d = 0; d < 3 && n->nchildren; d++) {
		const struct trie_node *w = trie_children(n)[0];

		for (uint32_t i = 1; i < n->nchildren; i++)
			if (trie_children(n)[i]->total > w->total)
				w = trie_children(n)[i];
		n = w;
	}
	return n->name;
}

static volatile uint64_t sink;

static int bench_views(struct trie *t, int reps, double merge_ms)
{
	double *bu = calloc((size_t)reps, sizeof(*bu)), *sw = calloc((size_t)reps, sizeof(*sw));
	double *bb = calloc((size_t)reps, sizeof(*bb));
	struct trie *callers = trie__new(), *scratch = trie__new();
	uint32_t name = busy_name(t), frames[16];
	size_t nframes = trie__modules(t) < 16 ? trie__modules(t) : 16;

	if (!bu || !sw || !bb || !callers || !scratch)
		return 1;
	for (size_t m = 0; m < nframes; m++) {
		size_t len;
		const char *s = trie__module_name(t, (uint16_t)m, &len);

		frames[m] = trie__intern(t, s, len, FRAME_SPECIAL);
	}
	for (int r = 0; r < reps; r++) {
		double t0 = now_ms();
		uint64_t self;

		if (views__bottom_up(scratch, t))
			return 1;
		bu[r] = now_ms() - t0;
		t0 = now_ms();
		/* as the view does: both halves, and the function's self from the callees */
		if (views__callers(callers, t, name) || views__callees(scratch, t, name, &self))
			return 1;
		sink += self;
		sw[r] = now_ms() - t0;
		t0 = now_ms();
		if (views__by_binary(scratch, t, frames, nframes))
			return 1;
		bb[r] = now_ms() - t0;
	}
	qsort(bb, (size_t)reps, sizeof(*bb), cmp_double);
	qsort(bu, (size_t)reps, sizeof(*bu), cmp_double);
	qsort(sw, (size_t)reps, sizeof(*sw), cmp_double);
	printf("views %zu %.2f %.2f %.2f\n", trie__nodes(t), bu[reps / 2], sw[reps / 2], merge_ms);
	printf("binary %zu %.2f %.2f\n", trie__nodes(t), bb[reps / 2], merge_ms);
	fflush(stdout);
	trie__free(callers);
	trie__free(scratch);
	free(bu);
	free(sw);
	free(bb);
	return 0;
}

static int press(struct view *v, struct cellbuf *b, int k)
{
	struct term_event ev = { .type = TERM_EV_KEY, .key = k };

	return view__event(v, &ev) < 0 || view__draw(v, b) ? -1 : 0;
}

/* A key press in a derived view, entered from the graph by `enter` after `before` (moves). */
static int bench_keys(struct trie *t, int reps, const char *kind, const int *before, size_t nbefore,
		      int enter)
{
	static const int keys[] = { TK_UP, TK_RIGHT, TK_ENTER, TK_DOWN, TK_LEFT, TK_ESC };
	struct tui_info info = { .source = "bench", .drops_text = "lost 0" };
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, &info, NULL);
	double *d = calloc((size_t)reps, sizeof(*d)), enter_ms, t0;

	if (!b || !v || !d || cellbuf__resize(b, 200, 50) || view__draw(v, b))
		return 1;
	for (size_t i = 0; i < nbefore; i++)
		if (press(v, b, before[i]))
			return 1;
	t0 = now_ms();
	if (press(v, b, enter))
		return 1;
	enter_ms = now_ms() - t0;
	for (int r = 0; r < reps; r++) {
		t0 = now_ms();
		if (press(v, b, keys[r % 6]))
			return 1;
		d[r] = now_ms() - t0;
	}
	qsort(d, (size_t)reps, sizeof(*d), cmp_double);
	printf("keys %s %zu %.2f %.2f %.2f\n", kind, trie__nodes(t), enter_ms, d[reps / 2],
	       d[reps - 1]);
	fflush(stdout);
	view__free(v);
	cellbuf__free(b);
	free(d);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10000, 100000, 1000000 };
	int reps = argc > 1 ? atoi(argv[1]) : 15;

	if (reps < 3)
		reps = 3;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct trie *t = make_trie(sizes[s]), *view = trie__new();
		struct tui_info info = { .source = "bench", .drops_text = "lost 0" };
		struct cellbuf *b = cellbuf__new();
		struct view *v;
		double *d = calloc((size_t)reps, sizeof(*d)), *m = calloc((size_t)reps, sizeof(*m));

		if (!t || !view || !b || !d || !m || cellbuf__resize(b, 200, 50))
			return 1;
		trie__sort(t, TRIE_ORDER_NAME);
		v = view__new(t, &info, NULL);
		if (!v)
			return 1;
		for (int r = 0; r < reps; r++) {
			double t0 = now_ms();

			view__invalidate(v);
			if (view__draw(v, b))
				return 1;
			d[r] = now_ms() - t0;
			t0 = now_ms();
			trie__clear(view);
			if (trie__merge(view, t, NULL, NULL))
				return 1;
			m[r] = now_ms() - t0;
		}
		qsort(d, (size_t)reps, sizeof(*d), cmp_double);
		qsort(m, (size_t)reps, sizeof(*m), cmp_double);
		printf("draw %zu %.2f %.2f merge %.2f\n", trie__nodes(t), d[reps / 2], d[reps - 1],
		       m[reps / 2]);
		fflush(stdout);
		if (bench_views(t, reps, m[reps / 2]))
			return 1;
		/* the sandwich of the frame three up from the root */
		static const int up3[] = { TK_UP, TK_UP, TK_UP };

		if (bench_keys(t, reps * 2, "bottom-up", NULL, 0, 'b') ||
		    bench_keys(t, reps * 2, "sandwich", up3, 3, 'x'))
			return 1;
		view__free(v);
		cellbuf__free(b);
		trie__free(view);
		trie__free(t);
		free(d);
		free(m);
	}
	return 0;
}
