// SPDX-License-Identifier: MIT
/* `flametui fixed`: sample for --ms milliseconds (or until Ctrl-C, or until -- CMD exits),
 * then show the flame graph or print collapsed stacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "session.h"
#include "tui.h"

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_fixed(int argc, char **argv)
{
	struct cli cli;
	struct session s;
	double start, deadline, last_progress = 0;
	bool progress;
	char drops[128];
	int rc;

	rc = cli__parse(CLI_FIXED, argc, argv, &cli);
	if (rc) {
		cli__free(&cli);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (cli.cmd && !cli.ms_set)
		cli.ms = 0; /* until the command exits */

	session__signals();
	rc = session__start(&s, &cli);
	if (rc != EXIT_OK) {
		session__end(&s);
		cli__free(&cli);
		return rc;
	}
	progress = isatty(STDERR_FILENO);
	start = now_s();
	deadline = cli.ms ? start + (double)cli.ms / 1000.0 : 0;
	while (!session_stop) {
		double t = now_s();
		int timeout = 100, n;

		if (deadline && t >= deadline)
			break;
		if (session__cmd_done(&s))
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
	session__stop(&s);
	if (cli.folded) {
		rc = trie__write_folded(s.trie, stdout) ? EXIT_FAIL : EXIT_OK;
		if (rc)
			fprintf(stderr, "flametui: writing the output failed\n");
	} else {
		char source[96];
		struct tui_info info = { .source = source, .drops_text = drops };

		session__drops_text(&s, drops, sizeof(drops));
		snprintf(source, sizeof(source), "fixed: %u Hz, %.1f s", cli.hz, now_s() - start);
		rc = tui__run(s.trie, &info, NULL) ? EXIT_FAIL : EXIT_OK;
	}
	session__end(&s);
	cli__free(&cli);
	return rc;
}
