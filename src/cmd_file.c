// SPDX-License-Identifier: MIT
/* `flametui file PATH`: load folded stacks, perf script text or a recording, then show or
 * print them (or the time range --from/--to of them). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrlines.h"
#include "cli.h"
#include "commands.h"
#include "folded.h"
#include "formats.h"
#include "frameaddrs.h"
#include "timeline.h"
#include "output.h"
#include "saved.h"
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
	"  perf script text  perf script's default output, with or without -F fields (with\n"
	"                    times, as `perf script --header` writes it, it has a heat map)\n"
	"  recordings        written by flametui record or -o FILE (doc/recording.md)\n"
	"  any of them compressed with gzip or zstd\n"
	"\n"
	"  --folded          print collapsed stacks instead of the graph\n"
	"  --heatmap         open on the heat map (inputs with times; h switches in the view)\n"
	"  --from S --to S   only the samples from S to S seconds after the first one\n"
	"                    (fractions allowed: --from 2.05 --to 2.25)\n"
	"  -o, --output FILE write the profile to FILE instead of showing it, the format by the\n"
	"                    extension: .folded/.txt, .svg (interactive flame graph), .json\n"
	"                    (speedscope; samples in time order when the input has times),\n"
	"                    .pb.gz (pprof)\n"
	"  --count WHAT      what a perf script sample counts: 'period' (default: its period\n"
	"                    when perf script prints one, as stackcollapse-perf.pl does, so\n"
	"                    cpu-clock counts ns and cycles cycles) or 'samples' (one each)\n"
	"  --max-nodes N     bound on the stack trie (default 10000000, about 1 GB); stacks\n"
	"                    beyond it are counted into an [overflow] frame\n"
	"  -h, --help        show this help\n"
	"\n"
	"Examples:\n"
	"  flametui file out.folded\n"
	"  perf script | flametui file -\n"
	"  perf script | flametui file --count samples -\n"
	"  flametui file --folded perf.txt.gz > out.folded\n"
	"  flametui file out.folded --output out.svg\n"
	"  flametui file --heatmap app.ftrec\n"
	"  flametui file --from 2.05 --to 2.25 --folded app.ftrec > burst.folded\n";

/* L and the status line's file:line: the input's frame address table (a recording's). */
struct file_lines {
	struct addrlines *al;
	const struct frameaddrs *fa;
};

static int file_frame_addr(void *ctx, const char *name, size_t len, enum frame_kind kind,
			   struct tui_frame_addr *ret)
{
	struct file_lines *f = ctx;

	return addrlines__frame_addr(f->al, f->fa, name, len, kind, ret);
}

static int file_frame_lines(void *ctx, const char *name, size_t len, enum frame_kind kind,
			    struct tui_line *ret, size_t cap, uint64_t *ret_total)
{
	struct file_lines *f = ctx;

	return addrlines__frame_lines(f->al, f->fa, name, len, kind, ret, cap, ret_total);
}

int cmd_file(int argc, char **argv)
{
	enum { OPT_FOLDED = 256, OPT_MAXNODES, OPT_COUNT, OPT_HEATMAP, OPT_FROM, OPT_TO };
	static const struct option longopts[] = {
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "heatmap", no_argument, NULL, OPT_HEATMAP },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "max-nodes", required_argument, NULL, OPT_MAXNODES },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct saved sv;
	struct export_opts eo = { 0 };
	bool folded = false, count_samples = false;
	bool heatmap = false, has_from = false, has_to = false;
	uint64_t from = 0, to = UINT64_MAX;
	unsigned long max_nodes = 10000000;
	char drops[96] = "", why[400] = "";
	const char *path, *output = NULL;
	struct trie *t;
	int opt, rc;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_FOLDED:
			folded = true;
			break;
		case OPT_HEATMAP:
			heatmap = true;
			break;
		case OPT_FROM:
			if (cli__seconds_option("--from", optarg, &from))
				return EXIT_USAGE;
			has_from = true;
			break;
		case OPT_TO:
			if (cli__seconds_option("--to", optarg, &to))
				return EXIT_USAGE;
			has_to = true;
			break;
		case OPT_COUNT:
			if (strcmp(optarg, "period") && strcmp(optarg, "samples")) {
				fprintf(stderr, "flametui: --count takes 'period' or 'samples', not "
						"'%s'\n", optarg);
				return EXIT_USAGE;
			}
			count_samples = !strcmp(optarg, "samples");
			break;
		case OPT_MAXNODES:
			if (cli__ulong_option("--max-nodes", optarg, 100, 1000000000, &max_nodes))
				return EXIT_USAGE;
			break;
		case 'o':
			if (output__check(optarg))
				return EXIT_USAGE;
			output = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "flametui: %s needs a value: see 'flametui file --help'\n",
				formats__q(argv[optind - 1]));
			return EXIT_USAGE;
		default:
			fprintf(stderr, "flametui: unknown option '%s': see 'flametui file --help'\n",
				formats__q(argv[optind - 1]));
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
			formats__q(argv[optind + 1]));
		return EXIT_USAGE;
	}
	if (has_from && has_to && to <= from) {
		fprintf(stderr, "flametui: --to must be after --from\n");
		return EXIT_USAGE;
	}
	path = argv[optind];
	if (!isatty(STDOUT_FILENO))
		folded = true;

	/* the view's source lines need the addresses: printing or writing does not */
	if (saved__load(&sv, path, max_nodes, true, count_samples, !folded && !output))
		return EXIT_FAIL;
	if ((heatmap || has_from || has_to) && !timeline__samples(sv.tl)) {
		fprintf(stderr, "flametui: %s has no sample times: the heat map and --from/--to need "
				"a recording or perf script text with times\n",
			saved__name(&sv));
		saved__fini(&sv);
		return EXIT_USAGE;
	}
	/* printed or written: the range alone (the graph opens on it, h shows the rest) */
	if ((folded || output) && (has_from || has_to) && saved__cut(&sv, from, to)) {
		saved__fini(&sv);
		return EXIT_FAIL;
	}
	t = sv.t;
	if (trie__overflowed(t)) {
		snprintf(drops, sizeof(drops), "overflow %llu (--max-nodes)",
			 (unsigned long long)trie__overflowed(t));
		fprintf(stderr,
			"flametui: %llu samples went to [overflow]: the profile has more than "
			"--max-nodes %lu distinct frames\n",
			(unsigned long long)trie__overflowed(t), max_nodes);
	}
	/* empty is not an error, but it is said (the view shows it in place of the graph) */
	if (saved__empty_reason(&sv, why, sizeof(why)) && (folded || output))
		fprintf(stderr, "flametui: %s\n", why);
	/* speedscope gets the samples in time order (--output; e: of the range and zoom shown) */
	saved__export_opts(&sv, &eo);
	if (output) {
		rc = output__write(t, output, &eo);
	} else if (folded) {
		rc = output__stdout_end(folded__write(t, stdout));
	} else {
		char source[300];
		/* only inputs that say where frames were (recordings from version 2) have lines */
		struct file_lines fl = { sv.addrs && frameaddrs__nbins(sv.addrs) ? addrlines__new() :
										    NULL,
					 sv.addrs };
		struct tui_info info = { .source = source,
					 .drops_text = drops[0] ? drops : NULL,
					 .write = output__view,
					 .write_ctx = &eo,
					 .unit = sv.io.unit,
					 .empty_text = why[0] ? why : NULL,
					 .tl = timeline__samples(sv.tl) ? sv.tl : NULL,
					 .heatmap = heatmap,
					 .has_range = has_from || has_to,
					 .from_ns = from,
					 .to_ns = to,
					 .frame_addr = fl.al ? file_frame_addr : NULL,
					 .frame_lines = fl.al ? file_frame_lines : NULL,
					 .frame_addr_ctx = &fl };

		if (to == UINT64_MAX)
			info.to_ns = timeline__span_ns(sv.tl) + 1;
		if (sv.io.kind == FORMATS_FOLDED)
			info.binary_note = "collapsed stacks name no binaries but the kernel's and JIT";
		else if (sv.io.kind == FORMATS_RECORDING && trie__modules(t) <= 2)
			info.binary_note = "recordings before version 2 name no binaries";
		snprintf(source, sizeof(source), "file: %s (%s)", saved__name(&sv),
			 formats__kind_name(sv.io.kind));
		/* a recording's command line and losses go last in the header */
		if (sv.ferr.about[0] && !info.drops_text)
			info.drops_text = sv.ferr.about;
		rc = tui__run(t, &info, NULL);
		addrlines__free(fl.al);
		if (rc)
			fprintf(stderr, "flametui: cannot show the graph: %s\n", tui__strerror(rc));
		rc = rc ? EXIT_FAIL : EXIT_OK;
	}
	saved__fini(&sv);
	return rc;
}
