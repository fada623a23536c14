// SPDX-License-Identifier: MIT
/*
 * A live source for the tmux test: every tick clears the trie and rebuilds it with one more
 * sample, so every node pointer the view held is freed, as a ring-mode rebuild does. The
 * view must keep its selection and zoom by path and never touch freed nodes (the test runs
 * this under valgrind when available). 'p' pauses through on_key.
 */
#include <stdio.h>
#include <string.h>

#include "tui.h"

struct src {
	struct trie *t;
	unsigned ticks;
	int paused;
	char header[64];
};

static int add(struct trie *t, const char *a, const char *b, uint64_t n)
{
	uint32_t ids[2] = { trie__intern(t, a, strlen(a), FRAME_USER),
			    trie__intern(t, b, strlen(b), FRAME_USER) };

	return trie__add(t, ids, 2, n);
}

static int rebuild(struct src *s)
{
	trie__clear(s->t);
	if (add(s->t, "main", "work", 10 + s->ticks) || add(s->t, "main", "idle", 10))
		return -12;
	return 1;
}

static int on_tick(void *ctx)
{
	struct src *s = ctx;

	if (s->paused)
		return 0;
	s->ticks++;
	return rebuild(s);
}

static int on_key(void *ctx, int key)
{
	struct src *s = ctx;

	if (key != 'p')
		return 0;
	s->paused = !s->paused;
	return 1;
}

static const char *header(void *ctx)
{
	struct src *s = ctx;

	snprintf(s->header, sizeof(s->header), "tick %u%s", s->ticks, s->paused ? " paused" : "");
	return s->header;
}

int main(void)
{
	struct src s = { .t = trie__new() };
	struct tui_info info = { .source = "live test", .drops_text = "lost 0" };
	struct tui_live live = { .fd = -1, .tick_ms = 100, .ctx = &s, .on_tick = on_tick,
				 .on_key = on_key, .header = header };
	int rc;

	if (!s.t || rebuild(&s) < 0)
		return 1;
	rc = tui__run(s.t, &info, &live);
	trie__free(s.t);
	if (rc)
		fprintf(stderr, "live-driver: %s\n", strerror(-rc));
	return rc ? 1 : 0;
}
