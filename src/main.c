// SPDX-License-Identifier: MIT
/* flametui's entry point: picks the subcommand; each parses its own options. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "formats.h"

static const char usage[] =
	"Usage: flametui COMMAND [OPTIONS]\n"
	"A sampling profiler that shows a flame graph in the terminal.\n"
	"\n"
	"Commands:\n"
	"  fixed      sample for a fixed time (--ms), then show or print the profile (root)\n"
	"  aggregate  sample until quit, the graph refreshing as counts grow (root)\n"
	"  ring       show only the last N slots of time, old samples leaving (root)\n"
	"  record     record every sample with its time to a file (-o FILE) (root)\n"
	"  file PATH  open collapsed stacks, perf script text or a recording ('-' for stdin;\n"
	"             .gz/.zst ok)\n"
	"  diff BEFORE AFTER  compare two profiles: a differential flame graph\n"
	"\n"
	"Options:\n"
	"  -h, --help     show this help (COMMAND --help for a command's options)\n"
	"  -V, --version  show the version\n"
	"\n"
	"Examples:\n"
	"  sudo flametui fixed --hz 49 --ms 1000\n"
	"  sudo flametui fixed --pid 1234 --ms 5000 --folded > out.folded\n"
	"  sudo flametui aggregate --comm '^nginx'\n"
	"  sudo flametui ring --n 10 -- ./my-server\n"
	"  sudo flametui record --hz 99 -o web.ftrec -- ./server\n"
	"  flametui file web.ftrec --heatmap\n"
	"  flametui file out.folded\n"
	"  flametui diff before.folded after.folded\n"
	"  flametui file out.folded --output out.svg\n";

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	/* A reader that closes the pipe (| head) is an EPIPE where the output is written, which
	 * ends the command quietly (output__stdout_end), not a signal that kills it mid-write
	 * with status 141. Commands flametui starts get the default back (heldcmd.c). */
	signal(SIGPIPE, SIG_IGN);
	if (!cmd) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		printf("flametui %s\n", FLAMETUI_VERSION);
		return EXIT_OK;
	}
	if (!strcmp(cmd, "fixed"))
		return cmd_fixed(argc - 1, argv + 1);
	if (!strcmp(cmd, "aggregate"))
		return cmd_aggregate(argc - 1, argv + 1);
	if (!strcmp(cmd, "ring"))
		return cmd_ring(argc - 1, argv + 1);
	if (!strcmp(cmd, "record"))
		return cmd_record(argc - 1, argv + 1);
	if (!strcmp(cmd, "file"))
		return cmd_file(argc - 1, argv + 1);
	if (!strcmp(cmd, "diff"))
		return cmd_diff(argc - 1, argv + 1);
	fprintf(stderr, "flametui: unknown command '%s': try 'flametui --help'\n",
		formats__q(cmd));
	return EXIT_USAGE;
}
