// SPDX-License-Identifier: MIT
/*
 * Timeline benchmark: a synthetic 1-hour recording at 99 Hz on 2 CPUs (tests/tui/genrec.h:
 * 20-frame stacks, two phases, 50 middles), then the time to open it (load into trie and
 * timeline), to draw its heat map (grid + view__draw at 200x50) and to open and draw a
 * range's flame graph. Prints "timeline SAMPLES BYTES write_s open_ms heat_ms range_ms",
 * medians of `reps` runs for the last three.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "../tests/tui/genrec.h"
#include "formats.h"
#include "render.h"
#include "term.h"
#include "timeline.h"
#include "tui.h"
#include "view.h"
#include "benchtime.h"

static int key(struct view *v, int k)
{
	struct term_event ev = { .type = TERM_EV_KEY, .key = k };

	return view__event(v, &ev);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/flametui-bench-1h.ftrec";
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	double t0, write_s, open_ms[32], heat_ms[32], range_ms[32];
	struct cellbuf *b = cellbuf__new();
	struct stat st;
	size_t samples = 0;

	if (reps < 1 || reps > 32 || !b || cellbuf__resize(b, 200, 50))
		return 1;
	t0 = now_ms();
	if (genrec_write(path, 3600, 99, 2, 20, 50))
		return 1;
	write_s = (now_ms() - t0) / 1e3;
	if (stat(path, &st))
		return 1;
	for (int r = 0; r < reps; r++) {
		struct trie *t = trie__new();
		struct timeline *tl = timeline__new();
		struct formats_error err;
		struct tui_info info = { .source = "bench", .heatmap = true };
		struct view *v;

		t0 = now_ms();
		if (formats__load_path_timeline(path, t, tl, NULL, &err)) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		open_ms[r] = now_ms() - t0;
		samples = timeline__samples(tl);
		info.tl = tl;
		t0 = now_ms();
		v = view__new(t, &info, NULL);
		if (!v || view__draw(v, b))
			return 1;
		heat_ms[r] = now_ms() - t0;
		/* a range of 5 cells in the middle of the hour, and its graph */
		t0 = now_ms();
		for (int i = 0; i < 1800; i++)
			key(v, TK_RIGHT);
		key(v, ' ');
		for (int i = 0; i < 4; i++)
			key(v, TK_DOWN);
		if (key(v, ' ') < 0 || view__draw(v, b))
			return 1;
		range_ms[r] = now_ms() - t0;
		view__free(v);
		timeline__free(tl);
		trie__free(t);
	}
	qsort(open_ms, (size_t)reps, sizeof(double), cmp_double);
	qsort(heat_ms, (size_t)reps, sizeof(double), cmp_double);
	qsort(range_ms, (size_t)reps, sizeof(double), cmp_double);
	printf("timeline %zu %lld %.2f %.1f %.1f %.1f\n", samples, (long long)st.st_size, write_s,
	       open_ms[reps / 2], heat_ms[reps / 2], range_ms[reps / 2]);
	unlink(path);
	cellbuf__free(b);
	return 0;
}
