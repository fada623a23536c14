// SPDX-License-Identifier: MIT
/*
 * `flametui diff BEFORE AFTER`: the graph of AFTER coloured by how each frame's share changed
 * since BEFORE (red grew, blue shrank), or with --negate the graph of BEFORE coloured the same
 * way, so frames that went away show. --folded prints difffolded.pl's three columns.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "diff.h"
#include "formats.h"
#include "output.h"
#include "saved.h"
#include "timeline.h"
#include "trie.h"
#include "tui.h"

static const char usage[] =
    "Usage: flametui diff [OPTIONS] BEFORE AFTER\n"
    "Compares two profiles (collapsed stacks or perf script text, plain, gzip or zstd): the\n"
    "flame graph of AFTER, each frame coloured by the change of its share of all samples\n"
    "since BEFORE (red grew, blue shrank, the stronger the larger the change). Prints\n"
    "difffolded.pl's \"stack BEFORE AFTER\" lines when stdout is not a terminal or with\n"
    "--folded.\n"
    "\n"
    "  --by self|total   colour by the change of a frame's self samples or of its total\n"
    "                    (itself and everything it calls; default total); key b in the graph\n"
    "  --negate          show the graph of BEFORE instead (coloured the same way: what went\n"
    "                    away is blue), as difffolded.pl AFTER BEFORE | flamegraph.pl --negate\n"
    "  --folded          print \"stack BEFORE AFTER\" lines (difffolded.pl's format) for every\n"
    "                    stack of either profile\n"
    "  -n, --normalize   with --folded: scale BEFORE's counts to AFTER's total (difffolded -n)\n"
    "  -o, --output FILE write instead of showing: .svg a differential flame graph, .folded or\n"
    "                    .txt the --folded lines, .json/.pb.gz the shown profile\n"
    "  --from S --to S   only the samples from S to S seconds after the first one of the\n"
    "                    profile that follows them (a recording, or perf script text with\n"
    "                    times); given before BEFORE for BEFORE, before AFTER for AFTER, so\n"
    "                    two ranges of one recording compare\n"
    "  --max-nodes N     bound on each profile's trie (default 10000000)\n"
    "  -h, --help        show this help\n"
    "\n"
    "Examples:\n"
    "  flametui diff before.folded after.folded\n"
    "  flametui diff --folded before.folded after.folded | flamegraph.pl > diff.svg\n"
    "  flametui diff before.folded after.folded --output diff.svg\n"
    "  flametui diff --from 0 --to 1 app.ftrec --from 3 --to 4 app.ftrec\n";

/* A side's --from/--to: offsets in ns from its first sample. */
struct range {
	bool set;
	uint64_t from, to;
};

/* A side: the profile, cut to its range when one was given before it. Prints why not. */
static int load(struct saved *sv, const char *path, unsigned long max_nodes, const struct range *r)
{
	char why[400];

	if (saved__load(sv, path, max_nodes, true, false, false))
		return -1;
	if (trie__overflowed(sv->t))
		fprintf(stderr,
			"flametui: %s: %llu samples went to [overflow]: the profile has more than "
			"--max-nodes %lu distinct frames\n",
			path, (unsigned long long)trie__overflowed(sv->t), max_nodes);
	if (r->set && saved__cut(sv, r->from, r->to)) {
		saved__fini(sv);
		return -1;
	}
	if (saved__empty_reason(sv, why, sizeof(why)))
		fprintf(stderr, "flametui: %s\n", why);
	return 0;
}

/* What the writers of a diff need. */
struct diff_write {
	struct trie *before, *after, *shown, *other;
	struct tui_diff *td;
	const struct saved *shown_sv; /* the shown side: its samples' times (speedscope) */
};

static int write_lines(void *ctx, FILE *f)
{
	struct diff_write *w = ctx;

	return diff__write_folded(w->before, w->after, false, f);
}

static int write_output(struct trie *before, struct trie *after, const struct saved *shown_sv,
			struct trie *other, const char *path, bool by_total, bool negate)
{
	struct trie *shown = shown_sv->t;
	enum export_format fmt = EXPORT_FOLDED;
	struct diff *d;
	char title[600];
	int rc;

	export__format_for(path, &fmt);
	if (fmt == EXPORT_FOLDED) {
		struct diff_write w = {before, after, shown, other, NULL, shown_sv};
		char err[512];

		/* the --folded lines: what flamegraph.pl draws a differential graph from */
		if (export__to_path_with(path, write_lines, &w, err, sizeof(err))) {
			fprintf(stderr, "flametui: %s\n", err);
			return EXIT_FAIL;
		}
		fprintf(stderr, "flametui: wrote %s (difffolded.pl's stack BEFORE AFTER lines)\n",
			path);
		return EXIT_OK;
	}
	d = diff__new(shown, other);
	if (!d) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	{
		struct export_diff ed = {.d = d, .by_total = by_total, .negate = negate};
		struct export_opts eo = {.title = title, .diff = fmt == EXPORT_SVG ? &ed : NULL};

		snprintf(title, sizeof(title), "Differential flame graph%s (by %s)",
			 negate ? ", negated: the graph of BEFORE" : "",
			 by_total ? "total" : "self");
		saved__export_opts(shown_sv, &eo); /* the shown side: its times for speedscope */
		rc = output__write(shown, path, &eo);
	}
	diff__free(d);
	return rc;
}

/* Key e in a diff: the whole differential graph (the colours are shares of each whole
 * profile, so a zoomed cut would not mean the same), in the format the name asks for. */
static int write_view(void *ctx, const struct tui_export *x, const char *path, char *msg,
		      size_t cap)
{
	struct diff_write *w = ctx;
	struct export_diff ed = {
	    .d = w->td->d, .by_total = w->td->by_total, .negate = w->td->negate};
	struct export_opts eo = {
	    .title = "Differential flame graph", .diff = &ed, .search = x->search};
	enum export_format fmt = EXPORT_FOLDED;
	int rc;

	saved__export_opts(w->shown_sv, &eo);
	if (export__format_for(path, &fmt) == 0 && fmt == EXPORT_FOLDED) {
		rc = export__to_path_with(path, write_lines, w, msg, cap);
		if (!rc)
			snprintf(msg, cap, "wrote %s (difffolded.pl's stack BEFORE AFTER lines)",
				 path);
		return rc;
	}
	rc = export__to_path(w->shown, path, &eo, msg, cap);
	if (!rc)
		snprintf(msg, cap, "wrote %s (%s%s)", path,
			 fmt == EXPORT_SVG ? "differential " : "", export__format_name(fmt));
	if (!rc && x->zoom && x->zoom->parent)
		snprintf(msg + strlen(msg), cap - strlen(msg),
			 ", the whole graph: a diff is not cut "
			 "to the zoom");
	return rc;
}

static int show(const struct saved *bsv, const struct saved *asv, bool by_total, bool negate)
{
	struct trie *before = bsv->t, *after = asv->t;
	struct trie *shown = negate ? before : after, *other = negate ? after : before;
	struct diff *d = diff__new(shown, other);
	struct tui_diff td = {.d = d, .other = other, .by_total = by_total, .negate = negate};
	struct diff_write w = {before, after, shown, other, &td, negate ? bsv : asv};
	const char *bpath = bsv->path, *apath = asv->path;
	struct tui_info info = {.diff = &td, .write = write_view, .write_ctx = &w};
	char source[600];
	int err;

	if (!d) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	/* the header keeps the end of a long source: what is drawn goes last */
	snprintf(source, sizeof(source), "diff: %s -> %s%s", bpath, apath,
		 negate ? " (negated: BEFORE shown)" : "");
	info.source = source;
	err = tui__run(shown, &info, NULL);
	diff__free(d);
	if (err)
		fprintf(stderr, "flametui: cannot show the graph: %s\n", tui__strerror(err));
	return err ? EXIT_FAIL : EXIT_OK;
}

int cmd_diff(int argc, char **argv)
{
	enum { OPT_FOLDED = 256, OPT_MAXNODES, OPT_BY, OPT_NEGATE, OPT_FROM, OPT_TO };
	static const struct option longopts[] = {
	    {"folded", no_argument, NULL, OPT_FOLDED},
	    {"normalize", no_argument, NULL, 'n'},
	    {"by", required_argument, NULL, OPT_BY},
	    {"negate", no_argument, NULL, OPT_NEGATE},
	    {"output", required_argument, NULL, 'o'},
	    {"max-nodes", required_argument, NULL, OPT_MAXNODES},
	    {"from", required_argument, NULL, OPT_FROM},
	    {"to", required_argument, NULL, OPT_TO},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	bool folded = false, normalize = false, negate = false, by_total = true;
	unsigned long max_nodes = 10000000;
	const char *output = NULL;
	struct saved sides[2] = {0};
	struct trie *before, *after;
	/* the profiles in order, each with the --from/--to given before it */
	const char *paths[2];
	struct range ranges[2], pending = {false, 0, UINT64_MAX};
	int opt, npaths = 0, rc = EXIT_FAIL;

	opterr = 0;
	optind = 1;
	/* "-": files come back as 1, in order, so a range applies to the file after it */
	while ((opt = getopt_long(argc, argv, "-:hno:", longopts, NULL)) != -1) {
		switch (opt) {
		case 1:
			if (npaths < 2) {
				paths[npaths] = optarg;
				ranges[npaths] = pending;
			}
			npaths++;
			pending = (struct range){false, 0, UINT64_MAX};
			break;
		case OPT_FROM:
			if (cli__seconds_option("--from", optarg, &pending.from))
				return EXIT_USAGE;
			pending.set = true;
			break;
		case OPT_TO:
			if (cli__seconds_option("--to", optarg, &pending.to))
				return EXIT_USAGE;
			pending.set = true;
			break;
		case OPT_FOLDED:
			folded = true;
			break;
		case 'n':
			normalize = true;
			break;
		case OPT_BY:
			if (strcmp(optarg, "self") && strcmp(optarg, "total")) {
				fprintf(stderr, "flametui: --by '%s': choose self or total\n",
					optarg);
				return EXIT_USAGE;
			}
			by_total = !strcmp(optarg, "total");
			break;
		case OPT_NEGATE:
			negate = true;
			break;
		case 'o':
			if (output__check(optarg))
				return EXIT_USAGE;
			output = optarg;
			break;
		case OPT_MAXNODES:
			if (cli__ulong_option("--max-nodes", optarg, 100, 1000000000, &max_nodes))
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_OK;
		case ':':
			fprintf(stderr, "flametui: %s needs a value: see 'flametui diff --help'\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		default:
			fprintf(stderr,
				"flametui: unknown option '%s': see 'flametui diff --help'\n",
				argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++) { /* after "--" */
		if (npaths < 2) {
			paths[npaths] = argv[optind];
			ranges[npaths] = pending;
		}
		npaths++;
		pending = (struct range){false, 0, UINT64_MAX};
	}
	if (pending.set) {
		fprintf(stderr, "flametui: --from/--to apply to the profile after them: put them "
				"before BEFORE or AFTER\n");
		return EXIT_USAGE;
	}
	if (npaths != 2) {
		fprintf(stderr,
			"flametui: diff needs two profiles, BEFORE and AFTER (%d given): see "
			"'flametui diff --help'\n",
			npaths);
		return EXIT_USAGE;
	}
	for (int i = 0; i < 2; i++) {
		if (ranges[i].set && ranges[i].to <= ranges[i].from) {
			fprintf(stderr, "flametui: --to must be after --from (for %s)\n",
				i ? "AFTER" : "BEFORE");
			return EXIT_USAGE;
		}
	}
	if (!strcmp(paths[0], "-") && !strcmp(paths[1], "-")) {
		fprintf(stderr,
			"flametui: diff: only one of BEFORE and AFTER can be '-' (stdin)\n");
		return EXIT_USAGE;
	}
	if (!isatty(STDOUT_FILENO) && !output)
		folded = true;
	if (load(&sides[0], paths[0], max_nodes, &ranges[0]))
		return EXIT_FAIL;
	if (load(&sides[1], paths[1], max_nodes, &ranges[1]))
		goto out;
	before = sides[0].t;
	after = sides[1].t;
	if (output) {
		rc = write_output(before, after, &sides[negate ? 0 : 1], negate ? after : before,
				  output, by_total, negate);
	} else if (folded) {
		rc = output__stdout_end(diff__write_folded(before, after, normalize, stdout));
	} else {
		rc = show(&sides[0], &sides[1], by_total, negate);
	}
out:
	saved__fini(&sides[0]);
	saved__fini(&sides[1]);
	return rc;
}
