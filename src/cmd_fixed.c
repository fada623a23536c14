// SPDX-License-Identifier: MIT
/* `flametui fixed`: sample for --ms milliseconds (or until Ctrl-C, or until -- CMD exits),
 * then show the flame graph or print collapsed stacks. `flametui record` is the same loop
 * with only the recording as its output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "folded.h"
#include "grouping.h"
#include "output.h"
#include "session.h"
#include "timeline.h"
#include "timetap.h"
#include "tui.h"

/* speedscope's time order: 12 bytes a sample; beyond this the oldest quarter goes. */
#define FIXED_TL_MAX (4u << 20)

#define EMPTY_PREFIX "sampling is over, no samples: "

/* The finished profile's view: `g` regroups it from the per-thread base. */
struct fixed_view {
	struct trie *base; /* borrowed: the session's */
	struct trie *view; /* owned */
	enum grouping group;
	struct session *s; /* borrowed */
	char ended[80];	   /* why sampling ended early, when it says more than the command's text */
	char header[320];
};

static int on_key(void *ctx, int key)
{
	struct fixed_view *fv = ctx;

	if (key != 'g')
		return 0;
	fv->group = (enum grouping)((fv->group + 1) % GROUP_MAX);
	return grouping__rebuild(fv->view, fv->base, fv->group) ?: 1;
}

static const char *header(void *ctx)
{
	struct fixed_view *fv = ctx;

	char cmd[160];

	session__cmd_text(fv->s, cmd, sizeof(cmd));
	if (*fv->ended) /* it says more than the command's text: when */
		snprintf(cmd, sizeof(cmd), "%s", fv->ended);
	snprintf(fv->header, sizeof(fv->header), "%s%sgroup %s (g)", cmd, *cmd ? " · " : "",
		 grouping__name(fv->group));
	return fv->header;
}

/* record: the trie is not needed, only the recording; keeping it would grow for hours. */
static int drop_stack(void *ctx, const uint32_t *ids, size_t n)
{
	(void)ctx;
	(void)ids;
	(void)n;
	return 0;
}

static int run(enum cli_mode mode, int argc, char **argv)
{
	struct fixed_view fv = { 0 };
	struct export_opts eo = { 0 }; /* --output's and e's */
	struct timetap *tap = NULL;
	struct cli cli;
	struct session s;
	double start, deadline, last_progress = 0, pids_gone = -1;
	bool progress;
	int64_t wall_start;
	char drops[128], reason[256];
	const char *empty = NULL;
	int rc, rec_rc;

	rc = cli__parse(mode, argc, argv, &cli);
	if (rc) {
		cli__free(&cli);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if ((cli.cmd || mode == CLI_RECORD) && !cli.ms_set)
		cli.ms = 0; /* until the command exits (record: or Ctrl-C) */

	session__signals();
	rc = session__start(&s, &cli);
	if (rc != EXIT_OK) {
		session__end(&s);
		cli__free(&cli);
		return rc;
	}
	if (mode == CLI_RECORD)
		collector__set_sink(s.col, drop_stack, NULL);
	/* the view's names exist before the first sample: the timetap's stacks are made of them */
	fv.view = mode == CLI_FIXED ? trie__new() : NULL;
	if (fv.view && (cli.output || !cli.folded)) {
		tap = timetap__new(fv.view, FIXED_TL_MAX); /* speedscope's time order */
		if (tap)
			session__set_tap(&s, timetap__sample, tap);
	}
	progress = isatty(STDERR_FILENO);
	start = clock__now_s();
	wall_start = clock__wall_ns();
	eo.period_ns = 1000000000ull / cli.hz;
	eo.time_ns = wall_start;
	deadline = cli.ms ? start + (double)cli.ms / 1000.0 : 0;
	while (!session_stop) {
		double t = clock__now_s();
		int timeout = 100, n;

		if (deadline && t >= deadline)
			break;
		if (session__cmd_done(&s))
			break;
		if (session__pids_gone(&s)) {
			pids_gone = t - start;
			break;
		}
		if (deadline && (deadline - t) * 1000 < timeout)
			timeout = (int)((deadline - t) * 1000) + 1;
		n = sampler__poll(s.smp, timeout);
		if (n < 0) {
			fprintf(stderr, "flametui: reading samples failed: %s\n", strerror(-n));
			break;
		}
		if (progress && t - last_progress >= 0.1) {
			last_progress = t;
			if (deadline)
				fprintf(stderr, "\rflametui: sampling at %u Hz, %.1f s left, %llu samples \033[K",
					cli.hz, deadline - t,
					(unsigned long long)collector__samples(s.col));
			else
				fprintf(stderr, "\rflametui: sampling at %u Hz, %.1f s, %llu samples "
						"(Ctrl-C to stop) \033[K",
					cli.hz, t - start, (unsigned long long)collector__samples(s.col));
		}
	}
	if (progress)
		fputs("\r\033[K", stderr);
	if (pids_gone >= 0) {
		snprintf(fv.ended, sizeof(fv.ended),
			 SESSION_PIDS_GONE "; sampling ended after %.1f s", pids_gone);
		fprintf(stderr, "flametui: %s\n", fv.ended);
	}
	rec_rc = session__stop(&s);
	if (mode == CLI_RECORD) {
		if (rec_rc == EXIT_OK)
			fprintf(stderr,
				"flametui: recorded %llu samples in %.1f s to %s (%llu bytes, %.1f per "
				"sample)\n",
				(unsigned long long)s.rec_samples, clock__now_s() - start, cli.out_path,
				(unsigned long long)s.rec_bytes,
				s.rec_samples ? (double)s.rec_bytes / (double)s.rec_samples : 0.0);
		session__end(&s);
		cli__free(&cli);
		return rec_rc;
	}
	if (session__empty_reason(&s, reason, sizeof(reason) - strlen(EMPTY_PREFIX))) {
		memmove(reason + strlen(EMPTY_PREFIX), reason, strlen(reason) + 1);
		memcpy(reason, EMPTY_PREFIX, strlen(EMPTY_PREFIX));
		fprintf(stderr, "flametui: %s\n", reason);
		empty = reason;
	}
	session__drops_text(&s, drops, sizeof(drops));
	eo.duration_ns = (int64_t)((clock__now_s() - start) * 1e9);
	if (tap && timeline__samples(timetap__timeline(tap))) {
		/* every sample, in time order for speedscope (when they are exactly the view) */
		eo.tl = timetap__timeline(tap);
		eo.tl_names = fv.view;
	}
	/* nothing more to sample: no BPF program, link or perf event while the graph is shown */
	session__detach(&s);
	fv.base = s.trie;
	fv.s = &s;
	fv.group = cli.group;
	if (!fv.view || grouping__rebuild(fv.view, fv.base, fv.group)) {
		fprintf(stderr, "flametui: out of memory\n");
		rc = EXIT_FAIL;
	} else if (cli.output) {
		rc = output__write(fv.view, cli.output, &eo);
	} else if (cli.folded) {
		rc = output__stdout_end(folded__write(fv.view, stdout));
	} else {
		char source[96];
		struct tui_info info = { .source = source, .drops_text = drops,
					 .write = output__view, .write_ctx = &eo,
					 .empty_text = empty, .frame_addr = session__frame_addr,
					 .frame_lines = session__frame_lines,
					 .path_addr = session__path_addr, .frame_addr_ctx = &s };
		struct tui_live keys = { .fd = -1, .ctx = &fv, .on_key = on_key, .header = header,
					 .stop = &session_stop };
		int err;

		/* a Ctrl-C that ended sampling early shows the graph; the next signal closes it */
		session_stop = 0;
		snprintf(source, sizeof(source), "fixed: %u Hz, %.1f s", cli.hz, clock__now_s() - start);
		err = tui__run(fv.view, &info, &keys);
		if (err)
			fprintf(stderr, "flametui: cannot show the graph: %s\n", tui__strerror(err));
		rc = err ? EXIT_FAIL : EXIT_OK;
	}
	session__end(&s);
	timetap__free(tap);
	trie__free(fv.view);
	cli__free(&cli);
	return rec_rc ? rec_rc : rc;
}

int cmd_fixed(int argc, char **argv)
{
	return run(CLI_FIXED, argc, argv);
}

int cmd_record(int argc, char **argv)
{
	return run(CLI_RECORD, argc, argv);
}
