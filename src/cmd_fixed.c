// SPDX-License-Identifier: MIT
/* `flametui fixed`: sample for --ms milliseconds (or until Ctrl-C), then show or print. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "session.h"
#include "tui.h"

static const char usage[] =
	"Usage: flametui fixed [OPTIONS]\n"
	"Samples on-CPU stacks of every process (or of --pid) for a fixed time, then shows the\n"
	"flame graph, or prints collapsed stacks when stdout is not a terminal or with --folded.\n"
	"\n"
	"  --hz N            samples per second per CPU (default 49)\n"
	"  --ms N            how long to sample, in milliseconds (default 1000; 0 = until Ctrl-C)\n"
	"  --pid \"P1 P2\"     only these processes (filtered in the kernel)\n"
	"  --enable-idle     keep samples of idle CPUs (the swapper task)\n"
	"  --group MODE      root frames per: comm (default), pid (comm-PID), thread (comm-PID/TID)\n"
	"  --folded          print collapsed stacks (flamegraph.pl's input) instead of the graph\n"
	"  --verbose         report every sample counter at the end\n"
	"  -h, --help        show this help\n"
	"\n"
	"Needs root (or CAP_BPF and CAP_PERFMON). Ctrl-C ends sampling early and keeps what was\n"
	"collected.\n";

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_fixed(int argc, char **argv)
{
	enum { OPT_HZ = 256, OPT_MS, OPT_PID, OPT_IDLE, OPT_FOLDED, OPT_VERBOSE, OPT_GROUP };
	static const struct option longopts[] = {
		{ "hz", required_argument, NULL, OPT_HZ },
		{ "ms", required_argument, NULL, OPT_MS },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "enable-idle", no_argument, NULL, OPT_IDLE },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct session_opts o = { .hz = 49 };
	struct session s;
	unsigned long v, ms = 1000;
	bool folded = false, progress;
	double start, deadline, last_progress = 0;
	char drops[128];
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_HZ:
			if (parse_ulong("--hz", optarg, 1, 1000000, &v))
				goto usage_err;
			o.hz = (unsigned int)v;
			break;
		case OPT_MS:
			if (parse_ulong("--ms", optarg, 0, 31ul * 24 * 3600 * 1000, &ms))
				goto usage_err;
			break;
		case OPT_PID:
			if (parse_pids(optarg, &o.pids, &o.npids))
				goto usage_err;
			break;
		case OPT_IDLE:
			o.enable_idle = true;
			break;
		case OPT_GROUP:
			if (parse_group(optarg, &o.group))
				goto usage_err;
			break;
		case OPT_FOLDED:
			folded = true;
			break;
		case OPT_VERBOSE:
			o.verbose = true;
			break;
		case 'h':
			fputs(usage, stdout);
			free(o.pids);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "flametui: %s needs a value: see 'flametui fixed --help'\n",
				argv[optind - 1]);
			goto usage_err;
		default:
			fprintf(stderr, "flametui: unknown option '%s': see 'flametui fixed --help'\n",
				argv[optind - 1]);
			goto usage_err;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "flametui: unexpected argument '%s': see 'flametui fixed --help'\n",
			argv[optind]);
		goto usage_err;
	}
	if (!isatty(STDOUT_FILENO))
		folded = true;

	session__signals();
	rc = session__start(&s, &o);
	free(o.pids);
	o.pids = NULL;
	if (rc != EXIT_OK) {
		session__end(&s);
		return rc;
	}
	progress = isatty(STDERR_FILENO);
	start = now_s();
	deadline = ms ? start + (double)ms / 1000.0 : 0;
	while (!session_stop) {
		double t = now_s();
		int timeout = 100, n;

		if (deadline && t >= deadline)
			break;
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
					o.hz, deadline - t,
					(unsigned long long)collector__samples(s.col));
			else
				fprintf(stderr, "\rflametui: sampling at %u Hz, %.1f s, %llu samples "
						"(Ctrl-C to stop) \033[K",
					o.hz, t - start, (unsigned long long)collector__samples(s.col));
		}
	}
	if (progress)
		fputs("\r\033[K", stderr);
	session__stop(&s);
	if (folded) {
		rc = trie__write_folded(s.trie, stdout) ? EXIT_FAIL : EXIT_OK;
		if (rc)
			fprintf(stderr, "flametui: writing the output failed\n");
	} else {
		char source[96];
		struct tui_info info = { .source = source, .drops_text = drops };

		session__drops_text(&s, drops, sizeof(drops));
		snprintf(source, sizeof(source), "fixed: %u Hz, %.1f s", o.hz, now_s() - start);
		rc = tui__run(s.trie, &info, NULL) ? EXIT_FAIL : EXIT_OK;
	}
	session__end(&s);
	return rc;
usage_err:
	free(o.pids);
	return EXIT_USAGE;
}
