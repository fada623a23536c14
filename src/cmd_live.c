// SPDX-License-Identifier: MIT
/*
 * The live modes. `aggregate` samples until quit and never evicts; `ring` keeps a sliding
 * window of --n slots of --ms each. Samples go into a base trie grouped per thread; what is
 * shown or printed is a view trie rebuilt from it at each refresh, regrouped as `g` asks, frozen
 * while paused, or one slot alone in ring mode ([ and ]).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "folded.h"
#include "grouping.h"
#include "grow.h"
#include "output.h"
#include "session.h"
#include "timeline.h"
#include "timetap.h"
#include "timewindow.h"
#include "tui.h"



#define HIST 32 /* points of the time strip */
/* The live heat map's memory: 12 bytes a sample; beyond this the oldest quarter goes. */
#define LIVE_TL_MAX (4u << 20)

struct live {
	struct cli cli;
	struct session s;
	struct timewindow *ring; /* ring mode */
	struct trie *view; /* what the user sees */
	enum grouping group;
	bool paused;
	int slot_view;	   /* ring: -1 = the whole window, else the slot's age */
	double start;
	int64_t wall_start;  /* the epoch time of start, for --output */
	double next_refresh; /* aggregate: next view rebuild */
	double next_slot;    /* ring: next slot boundary */
	double next_second;
	uint64_t last_samples;
	uint64_t hist[HIST]; /* samples per second (aggregate) */
	unsigned int compactions;
	unsigned int nhist;
	char header[512];
	/* The heat map and speedscope's time order: every sample's time, stacks over the view
	 * trie's names (stable: names are never un-interned) rooted at the comm. */
	struct timetap *tap;
	struct timeline *tl; /* the tap's */
	uint64_t shown_added; /* timetap__added() when the view was last rebuilt */
	/* ring: timetap__added() when each slot began, by slot number modulo nslots + 1 */
	uint64_t *slot_start;
	uint64_t slot_seq;
};

/* ring: a slot begins (after timewindow__advance or a clear); the timeline keeps exactly the
 * samples of the slots the window holds, as the tap saw them, so the map shows the window and
 * speedscope's time order is the window's samples. */
static void slot_begins(struct live *l)
{
	size_t n = l->cli.nslots + 1;
	uint64_t added, oldest, held_from;

	if (!l->tap || !l->slot_start)
		return;
	added = timetap__added(l->tap);
	l->slot_start[++l->slot_seq % n] = added;
	oldest = l->slot_start[(l->slot_seq - (timewindow__held(l->ring) - 1)) % n];
	held_from = added - timeline__samples(l->tl);
	if (oldest > held_from)
		timeline__drop_oldest(l->tl, (size_t)(oldest - held_from));
}

/* What the view shown was built from: the samples of the timeline up to its last rebuild
 * (speedscope writes them in time order; it checks they are exactly the view). */
static struct export_opts timed_opts(const struct live *l)
{
	struct export_opts eo = {.period_ns = 1000000000ull / l->cli.hz, .time_ns = l->wall_start};
	uint64_t dropped;

	/* a ring slot alone is not the first samples held: aggregated */
	if (!l->tap || !timeline__samples(l->tl) || (l->ring && l->slot_view >= 0))
		return eo;
	dropped = timetap__added(l->tap) - timeline__samples(l->tl);
	if (l->shown_added > dropped) {
		eo.tl = l->tl;
		eo.tl_names = l->view;
		eo.tl_count = (size_t)(l->shown_added - dropped);
	}
	return eo;
}

/* Key e: the view shown at that moment; times are those of the whole session. */
static int write_view(void *ctx, const struct tui_export *x, const char *path, char *msg,
		      size_t cap)
{
	struct export_opts eo = timed_opts(ctx);

	return output__view(&eo, x, path, msg, cap);
}

static int ring_sink(void *ctx, const uint32_t *ids, size_t n)
{
	return timewindow__add(ctx, ids, n);
}

static int rebuild_view(struct live *l)
{
	if (l->tap)
		l->shown_added = timetap__added(l->tap);
	/* the window may have shrunk under the slot shown (c clears it): show it whole */
	if (l->ring && l->slot_view >= (int)timewindow__held(l->ring))
		l->slot_view = -1;
	if (l->ring && l->slot_view >= 0) {
		struct trie *one = trie__new();
		int err;

		if (!one)
			return -ENOMEM;
		err = timewindow__slot_trie(l->ring, (unsigned int)l->slot_view, one) ?:
		      grouping__rebuild(l->view, one, l->group);
		trie__free(one);
		return err;
	}
	return grouping__rebuild(l->view, l->s.trie, l->group);
}

static void record_second(struct live *l)
{
	uint64_t n = collector__samples(l->s.col);

	if (l->nhist == HIST) {
		memmove(l->hist, l->hist + 1, (HIST - 1) * sizeof(*l->hist));
		l->nhist--;
	}
	l->hist[l->nhist++] = n - l->last_samples;
	l->last_samples = n;
}

static void sparkline(struct live *l, char *buf, size_t len)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	uint64_t v[HIST], max = 1;
	unsigned int n = 0, marked = HIST; /* the point of the slot shown alone, if any */
	size_t off = 0;

	if (l->ring) {
		unsigned int held = timewindow__held(l->ring);

		for (unsigned int age = held; age-- > 0 && n < HIST;) {
			if ((int)age == l->slot_view)
				marked = n;
			v[n++] = timewindow__slot_total(l->ring, age);
		}
	} else {
		memcpy(v, l->hist, l->nhist * sizeof(*v));
		n = l->nhist;
	}
	for (unsigned int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf[0] = '\0';
	for (unsigned int i = 0; i < n && off + 6 < len; i++) {
		const char *b = bars[v[i] * 7 / max];
		size_t bl = strlen(b);

		if (i == marked)
			buf[off++] = '[';
		memcpy(buf + off, b, bl);
		off += bl;
		if (i == marked)
			buf[off++] = ']';
		buf[off] = '\0';
	}
}

static const char *header(void *ctx)
{
	struct live *l = ctx;
	char drops[128], spark[HIST * 4 + 3], slot[64] = "", window[48] = "", cmd[160] = " · ";

	session__drops_text(&l->s, drops, sizeof(drops));
	session__cmd_text(&l->s, cmd + strlen(" · "), sizeof(cmd) - strlen(" · "));
	if (!cmd[strlen(" · ")])
		cmd[0] = '\0';
	if (trie__overflowed(l->s.trie)) {
		size_t dl = strlen(drops);

		snprintf(drops + dl, sizeof(drops) - dl, ", overflow %" PRIu64 " (--max-nodes)",
			 trie__overflowed(l->s.trie));
	}
	sparkline(l, spark, sizeof(spark));
	if (l->ring) {
		double ms = (double)l->cli.ms / 1000.0;

		snprintf(window, sizeof(window), " · window %lu × %g s", l->cli.nslots, ms);
		/* named by when it was sampled, which does not move as the window slides */
		if (l->slot_view >= 0) {
			double end = l->next_slot - l->start - (double)l->slot_view * ms;

			snprintf(slot, sizeof(slot), " · slot %.1f–%.1f s alone ([ ])",
				 end - ms < 0 ? 0 : end - ms, end);
		}
	}
	/* what the graph shows first: a narrow terminal cuts the end */
	snprintf(l->header, sizeof(l->header), "%s%.0f s · %u Hz%s%s · %s%s · group %s · %s",
		 l->paused ? "PAUSED (p) · " : "", clock__now_s() - l->start, l->cli.hz, window,
		 slot, drops, cmd, grouping__name(l->group), spark);
	return l->header;
}

/*
 * Names are never un-interned, and the base trie's roots are per thread: on a machine where
 * processes come and go, names would pile up for as long as flametui runs. When they clearly
 * outnumber the nodes, rebuild the base with only the names in use.
 */
static void maybe_compact(struct live *l)
{
	struct trie *nt = NULL;

	if (trie__names(l->s.trie) <= 2 * trie__nodes(l->s.trie) + 1024)
		return;
	if (l->ring) {
		if (timewindow__compact(l->ring, &nt))
			return; /* out of memory: keep going with what we have */
	} else {
		nt = trie__new();
		if (!nt || trie__merge(nt, l->s.trie, NULL, NULL)) {
			trie__free(nt);
			return;
		}
		trie__set_max_nodes(nt, trie__max_nodes(l->s.trie));
		trie__count_overflow(nt, trie__overflowed(l->s.trie));
	}
	trie__free(l->s.trie);
	l->s.trie = nt;
	collector__set_trie(l->s.col, nt);
	l->compactions++;
}

/* Time-driven work: slot boundaries, the per-second strip, refreshes. Returns 1 when the view
 * was rebuilt. */
static int advance_time(struct live *l)
{
	double t = clock__now_s();
	int rebuilt = 0;

	while (t >= l->next_second) {
		record_second(l);
		maybe_compact(l);
		l->next_second += 1.0;
	}
	if (l->ring) {
		while (t >= l->next_slot) {
			timewindow__advance(l->ring);
			slot_begins(l);
			l->next_slot += (double)l->cli.ms / 1000.0;
			if (l->slot_view >= 0 && (unsigned int)l->slot_view + 1 < timewindow__held(l->ring))
				l->slot_view++; /* keep looking at the same slot as it ages */
			rebuilt = 1;
		}
	} else if (t >= l->next_refresh) {
		while (t >= l->next_refresh)
			l->next_refresh += (double)l->cli.refresh_ms / 1000.0;
		rebuilt = 1;
	}
	if (rebuilt && !l->paused) {
		int err = rebuild_view(l);

		return err ? err : 1;
	}
	return 0;
}

static int on_ready(void *ctx)
{
	struct live *l = ctx;
	int n = sampler__poll(l->s.smp, 0);

	return n < 0 ? n : 0;
}

static int on_tick(void *ctx)
{
	struct live *l = ctx;
	int n = sampler__poll(l->s.smp, 0), r;

	if (n < 0)
		return n;
	r = advance_time(l);
	if (r < 0)
		return r;
	return 1; /* the header's clock moves every tick */
}

static int on_key(void *ctx, int key)
{
	struct live *l = ctx;

	switch (key) {
	case 'p':
		l->paused = !l->paused;
		break;
	case 'c':
		if (l->ring)
			timewindow__clear(l->ring);
		else
			trie__clear(l->s.trie);
		if (l->tl)
			timeline__clear(l->tl);
		collector__clear_paths(l->s.col); /* the status line's "path at" counts what is shown */
		if (l->ring)
			slot_begins(l);
		l->nhist = 0;
		l->slot_view = -1; /* the slots it showed are gone */
		break;
	case '[':
		if (!l->ring)
			return 0;
		/* the first step back lands on the newest complete slot */
		if (l->slot_view < 0 && timewindow__held(l->ring) > 1)
			l->slot_view = 1;
		else if (l->slot_view + 1 < (int)timewindow__held(l->ring))
			l->slot_view++;
		break;
	case ']':
		if (!l->ring)
			return 0;
		/* past the newest complete slot comes the whole window again */
		if (l->slot_view <= 1)
			l->slot_view = -1;
		else
			l->slot_view--;
		break;
	case 'g':
		l->group = (enum grouping)((l->group + 1) % GROUP_MAX);
		break;
	default:
		return 0;
	}
	if (key != 'p' || !l->paused) {
		int err = rebuild_view(l);

		if (err)
			return err;
	}
	return 1;
}

static int print_snapshot(struct live *l)
{
	struct timespec ts;
	int err;

	clock_gettime(CLOCK_REALTIME, &ts);
	printf("# time=%lld.%03ld elapsed=%.3f samples=%" PRIu64 "\n", (long long)ts.tv_sec,
	       ts.tv_nsec / 1000000, clock__now_s() - l->start, trie__total(l->view));
	err = folded__write(l->view, stdout);

	if (err)
		return err;
	return fflush(stdout) ? (errno ? -errno : -EIO) : 0;
}

static int run_headless(struct live *l)
{
	/* headless, the profile is done when what it profiles is: -- CMD, or every --pid */
	while (!session_stop && !session__cmd_done(&l->s) && !session__pids_gone(&l->s)) {
		double t = clock__now_s();
		double due = l->ring ? l->next_slot : l->next_refresh;
		int timeout = (int)((due - t) * 1000) + 1, n;

		if (timeout > 100)
			timeout = 100;
		if (timeout < 0)
			timeout = 0;
		n = sampler__poll(l->s.smp, timeout);
		if (n < 0)
			return n;
		if (clock__now_s() < due)
			continue;
		if (l->ring) {
			/* print the window that just completed, then move it */
			int err = rebuild_view(l) ?: print_snapshot(l);

			if (err)
				return err;
			advance_time(l);
		} else {
			int r = advance_time(l);

			if (r > 0)
				r = print_snapshot(l);
			if (r < 0)
				return r;
		}
	}
	if (!session_stop && session__pids_gone(&l->s))
		fprintf(stderr, "flametui: " SESSION_PIDS_GONE "; sampling ended after %.1f s\n",
			clock__now_s() - l->start);
	/* the partial last refresh is printed too: nothing collected is lost */
	return rebuild_view(l) ?: print_snapshot(l);
}

static int cmd_live(enum cli_mode mode, int argc, char **argv)
{
	struct live *l = calloc(1, sizeof(*l));
	int rc, err;

	if (!l) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	rc = cli__parse(mode, argc, argv, &l->cli);
	if (rc) {
		cli__free(&l->cli);
		free(l);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	l->group = l->cli.group;
	l->slot_view = -1;
	session__signals();
	rc = session__start(&l->s, &l->cli);
	if (rc != EXIT_OK)
		goto out;
	trie__set_max_nodes(l->s.trie, l->cli.max_nodes);
	l->view = trie__new();
	if (mode == CLI_RING) {
		l->ring = timewindow__new(l->s.trie, (unsigned int)l->cli.nslots);
		if (l->ring)
			collector__set_sink(l->s.col, ring_sink, l->ring);
	}
	if (!l->view || (mode == CLI_RING && !l->ring)) {
		fprintf(stderr, "flametui: out of memory\n");
		rc = EXIT_FAIL;
		goto out;
	}
	l->start = clock__now_s();
	l->wall_start = clock__wall_ns();
	l->next_second = l->start + 1.0;
	l->next_refresh = l->start + (double)l->cli.refresh_ms / 1000.0;
	l->next_slot = l->start + (double)l->cli.ms / 1000.0;
	/* the heat map, and speedscope's time order for --output; samples flow only once the
	 * loop polls: the tap is in place before the first */
	if (!l->cli.folded || l->cli.output) {
		l->tap = timetap__new(l->view, LIVE_TL_MAX);
		if (l->ring && l->tap) {
			l->slot_start = calloc(l->cli.nslots + 1, sizeof(*l->slot_start));
			if (!l->slot_start)
				l->tap = timetap__free(l->tap);
		}
		if (l->tap) {
			l->tl = timetap__timeline(l->tap);
			session__set_tap(&l->s, timetap__sample, l->tap);
		}
	}
	if (l->cli.folded) {
		err = run_headless(l);
	} else {
		struct tui_info info = { .source = mode == CLI_RING ? "ring" : "aggregate",
					 .write = write_view, .write_ctx = l,
					 .frame_addr = session__frame_addr,
					 .frame_lines = session__frame_lines,
					 .path_addr = session__path_addr, .frame_addr_ctx = &l->s };
		info.tl = l->tl;
		struct tui_live live = {
			.fd = sampler__fd(l->s.smp),
			.tick_ms = 100,
			.ctx = l,
			.on_ready = on_ready,
			.on_tick = on_tick,
			.on_key = on_key,
			.header = header,
			.stop = &session_stop,
		};

		err = tui__run(l->view, &info, &live);
	}
	if (err == -EPIPE && l->cli.folded)
		err = 0; /* the reader has what it wanted (| head): end quietly, like other tools */
	if (err)
		fprintf(stderr, "flametui: %s\n",
			l->cli.folded ? strerror(-err) : tui__strerror(err));
	rc = err ? EXIT_FAIL : EXIT_OK;
	if (session__stop(&l->s))
		rc = EXIT_FAIL;
	if (l->cli.output) {
		/* the last snapshot: what was shown (or printed) last */
		struct export_opts eo = timed_opts(l);

		eo.duration_ns = (int64_t)((clock__now_s() - l->start) * 1e9);
		if (output__write(l->view, l->cli.output, &eo) != EXIT_OK)
			rc = EXIT_FAIL;
	}
	if (l->cli.verbose)
		fprintf(stderr, "flametui: trie names compacted %u times (%zu names, %zu nodes now)\n",
			l->compactions, trie__names(l->s.trie), trie__nodes(l->s.trie));
	if (trie__overflowed(l->s.trie))
		fprintf(stderr,
			"flametui: %" PRIu64 " samples went to [overflow]: the trie reached "
			"--max-nodes %lu\n",
			trie__overflowed(l->s.trie), l->cli.max_nodes);
out:
	l->ring = timewindow__free(l->ring);
	l->tap = timetap__free(l->tap);
	l->tl = NULL;
	free(l->slot_start);
	l->view = trie__free(l->view);
	session__end(&l->s);
	cli__free(&l->cli);
	free(l);
	return rc;
}

int cmd_aggregate(int argc, char **argv)
{
	return cmd_live(CLI_AGGREGATE, argc, argv);
}

int cmd_ring(int argc, char **argv)
{
	return cmd_live(CLI_RING, argc, argv);
}
