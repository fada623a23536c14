// SPDX-License-Identifier: MIT
/* `flametui file PATH`: load folded stacks or perf script text, then show or print them. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "folded.h"
#include "formats.h"
#include "trie.h"
#include "tui.h"

static const char usage[] =
	"Usage: flametui file [OPTIONS] PATH\n"
	"Shows the flame graph of a saved profile, or prints it as collapsed stacks when stdout\n"
	"is not a terminal or with --folded. PATH may be '-' for stdin.\n"
	"\n"
	"Inputs, recognised by content:\n"
	"  collapsed stacks  \"a;b;c 42\" lines (stackcollapse-*.pl, bcc profile -f, py-spy raw,\n"
	"                    perf script report stackcollapse, flametui --folded)\n"
	"  perf script text  perf script's default output, with or without -F fields\n"
	"  either one compressed with gzip or zstd\n"
	"\n"
	"  --folded          print collapsed stacks instead of the graph\n"
	"  --max-nodes N     bound on the stack trie (default 10000000, about 1 GB); stacks\n"
	"                    beyond it are counted into an [overflow] frame\n"
	"  -h, --help        show this help\n"
	"\n"
	"Examples:\n"
	"  flametui file out.folded\n"
	"  perf script | flametui file -\n"
	"  flametui file --folded perf.txt.gz > out.folded\n";

int cmd_file(int argc, char **argv)
{
	enum { OPT_FOLDED = 256, OPT_MAXNODES };
	static const struct option longopts[] = {
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "max-nodes", required_argument, NULL, OPT_MAXNODES },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct formats_error ferr;
	enum formats_kind kind;
	bool folded = false;
	unsigned long max_nodes = 10000000;
	char drops[96] = "";
	const char *path;
	struct trie *t;
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FOLDED:
			folded = true;
			break;
		case OPT_MAXNODES:
			if (cli__ulong_option("--max-nodes", optarg, 100, 1000000000, &max_nodes))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "flametui: %s needs a value: see 'flametui file --help'\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "flametui: unknown option '%s': see 'flametui file --help'\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "flametui: file: missing PATH ('-' for stdin): see "
				"'flametui file --help'\n");
		return EXIT_USAGE;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "flametui: unexpected argument '%s': see 'flametui file --help'\n",
			argv[optind + 1]);
		return EXIT_USAGE;
	}
	path = argv[optind];
	if (!isatty(STDOUT_FILENO))
		folded = true;

	t = trie__new();
	if (!t) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	trie__set_max_nodes(t, max_nodes);
	if (formats__load_path(path, t, &kind, &ferr)) {
		fprintf(stderr, "flametui: %s\n", ferr.msg);
		trie__free(t);
		return EXIT_FAIL;
	}
	if (trie__overflowed(t)) {
		snprintf(drops, sizeof(drops), "overflow %llu (--max-nodes)",
			 (unsigned long long)trie__overflowed(t));
		fprintf(stderr,
			"flametui: %llu samples went to [overflow]: the profile has more than "
			"--max-nodes %lu distinct frames\n",
			(unsigned long long)trie__overflowed(t), max_nodes);
	}
	if (folded) {
		rc = EXIT_OK;
		if (folded__write(t, stdout) || fflush(stdout) || ferror(stdout)) {
			fprintf(stderr, "flametui: writing the output failed\n");
			rc = EXIT_FAIL;
		}
	} else {
		char source[300];
		struct tui_info info = { .source = source, .drops_text = drops[0] ? drops : NULL };

		snprintf(source, sizeof(source), "file: %s (%s)", strcmp(path, "-") ? path : "stdin",
			 formats__kind_name(kind));
		rc = tui__run(t, &info, NULL);
		if (rc)
			fprintf(stderr, "flametui: cannot show the graph: %s\n", tui__strerror(rc));
		rc = rc ? EXIT_FAIL : EXIT_OK;
	}
	trie__free(t);
	return rc;
}
