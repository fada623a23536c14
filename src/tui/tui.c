// SPDX-License-Identifier: MIT
/*
 * The loop behind tui__run(): poll() the terminal and the live source's fd, call the live
 * callbacks on time, hand events to the view, and draw only when something changed.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "render.h"
#include "term.h"
#include "twocpus.h"
#include "tui.h"
#include "view.h"

static int draw(struct tui_term *term, struct view *v, struct cellbuf *b)
{
	int w, h, rc;

	term__size(term, &w, &h);
	b->ascii = term__ascii(term);
	b->few_colours = term__few_colours(term);
	rc = cellbuf__resize(b, w, h);
	if (!rc)
		rc = view__draw(v, b);
	if (!rc)
		rc = term__blit(term, b);
	return rc;
}

/* Applies a live callback's verdict: 1 redraw, 0 nothing, < 0 end with that error. */
static int live_result(struct view *v, int rc, bool *dirty)
{
	if (rc < 0)
		return rc;
	/* The trie may have changed even when no redraw is asked: never keep stale nodes. */
	view__invalidate(v);
	if (rc > 0)
		*dirty = true;
	return 0;
}

static int loop(struct tui_term *term, struct view *v, struct cellbuf *b,
		const struct tui_live *live)
{
	int64_t next_tick = live && live->on_tick && live->tick_ms > 0 ? clock__now_ms() + live->tick_ms :
									  -1;
	bool dirty = true;

	for (;;) {
		struct pollfd fds[3] = { { .fd = term__fd(term), .events = POLLIN },
					 { .fd = term__wake_fd(term), .events = POLLIN },
					 { .fd = -1 } };
		struct term_event ev;
		int nfds = 3, timeout = -1, ready, rc;

		if (live && live->stop && *live->stop)
			return 0;
		if (dirty) {
			rc = draw(term, v, b);
			if (rc)
				return rc;
			dirty = false;
		}
		if (live && live->fd >= 0 && live->on_ready)
			fds[2] = (struct pollfd){ .fd = live->fd, .events = POLLIN };
		if (next_tick >= 0) {
			int64_t d = next_tick - clock__now_ms();

			timeout = d < 0 ? 0 : (int)d;
		}
		/* a signal that lands between the check above and poll() is seen this late */
		if (live && live->stop && (timeout < 0 || timeout > 250))
			timeout = 250;
		ready = poll(fds, (nfds_t)nfds, timeout);
		if (ready < 0 && errno != EINTR)
			return -errno;
		/* A SIGWINCH (the wake fd, or EINTR): curses then reports KEY_RESIZE; read either
		 * way. */
		if (ready > 0 && (fds[1].revents & POLLIN))
			term__drain_wake(term);
		while (term__read(term, &ev) > 0) {
			rc = view__event(v, &ev);
			if (rc < 0)
				return rc;
			if (rc & VIEW_QUIT)
				return 0;
			if (rc & VIEW_COPY) {
				size_t len;
				const char *text = view__copy_text(v, &len);

				if (text && term__clipboard(term, text, len))
					return -EIO;
			}
			if (rc & VIEW_REDRAW)
				dirty = true;
		}
		if (ready > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			return -EIO; /* the terminal went away */
		if (ready > 0 && fds[2].fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			rc = live_result(v, live->on_ready(live->ctx), &dirty);
			if (rc)
				return rc;
		}
		if (next_tick >= 0 && clock__now_ms() >= next_tick) {
			next_tick += live->tick_ms;
			if (next_tick < clock__now_ms())
				next_tick = clock__now_ms() + live->tick_ms; /* we fell behind: skip */
			rc = live_result(v, live->on_tick(live->ctx), &dirty);
			if (rc)
				return rc;
		}
	}
}

static void *presort(void *v)
{
	view__presort(v);
	return NULL;
}

/* Sorting a big trie for the first frame and opening the terminal took about a millisecond
 * each (10 MB file): with a second CPU they run side by side. */
#define PRESORT_NODES 20000

int tui__run(struct trie *t, const struct tui_info *info, const struct tui_live *live)
{
	struct cellbuf *b = cellbuf__new();
	struct view *v = view__new(t, info, live);
	struct tui_term *term = NULL;
	pthread_t sorter;
	bool sorting = false;
	int rc = -ENOMEM;

	if (!b || !v)
		goto out;
	/* nothing else touches the trie or the view until the join (a live source might) */
	if (!live && trie__nodes(t) > PRESORT_NODES && two_cpus())
		sorting = !pthread_create(&sorter, NULL, presort, v);
	term = term__open();
	if (sorting)
		pthread_join(sorter, NULL);
	if (!term) {
		rc = -errno;
		goto out;
	}
	rc = loop(term, v, b, live);
out:
	term__close(term);
	view__free(v);
	cellbuf__free(b);
	return rc;
}

const char *tui__strerror(int err)
{
	static char buf[160];
	const char *term = getenv("TERM");

	switch (-err) {
	case ENOENT:
		snprintf(buf, sizeof(buf),
			 "the terminal type '%s' is unknown: set TERM (e.g. TERM=xterm-256color) or "
			 "use --folded",
			 term && *term ? term : "(unset)");
		break;
	case ENOTTY:
		snprintf(buf, sizeof(buf), "no terminal to draw on: use --folded to print the stacks");
		break;
	case EIO:
		snprintf(buf, sizeof(buf), "the terminal went away");
		break;
	default:
		snprintf(buf, sizeof(buf), "%s", strerror(-err));
		break;
	}
	return buf;
}
