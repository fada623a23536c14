// SPDX-License-Identifier: MIT
/* Parses the sampling commands' options (see cli.h) and their usage texts. */
#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "formats.h"
#include "output.h"

static const char common_opts[] =
	"  --hz N            samples per second per CPU (default 49)\n"
	"  --pid \"P1 P2\"     only these processes (filtered in the kernel)\n"
	"  --comm REGEX      only processes whose name matches (extended regex), including\n"
	"                    ones started later\n"
	"  -- CMD ARGS       start CMD and profile it and every process it forks; under sudo\n"
	"                    it runs as the invoking user (SUDO_UID, SUDO_GID)\n"
	"  --cmd-as-root     run CMD as root even under sudo\n"
	"  --cmd-output FILE CMD's stdout and stderr (default /dev/null while the graph is\n"
	"                    on the terminal)\n"
	"  --enable-idle     keep samples of idle CPUs (the swapper task)\n"
	"  --group MODE      root frames per: comm (default), pid (comm-PID), thread (comm-PID/TID)\n"
	"  --folded          print collapsed stacks (flamegraph.pl's input) instead of the graph\n"
	"  -o, --output FILE write the profile to FILE, the format by its extension: .folded or\n"
	"                    .txt, .svg (interactive flame graph), .json (speedscope), .pb.gz\n"
	"                    (pprof); fixed writes it instead of showing the graph, aggregate\n"
	"                    and ring write the last snapshot when they end; .ftrec records\n"
	"                    every sample with its time while sampling (doc/recording.md;\n"
	"                    'flametui file FILE' opens it, h: heat map)\n"
	"  --ringbuf-kb N    kernel-to-flametui buffer size (default 8192); raise it if\n"
	"                    samples are lost at high rates\n"
	"  --unwind MODE     user stacks: auto (default: .eh_frame tables where a binary\n"
	"                    has them, frame pointers elsewhere: whole stacks for Debian's\n"
	"                    binaries), dwarf (tables only), fp (frame pointers only)\n"
	"  --unwind-mem MIB  kernel memory for unwind tables (default 32)\n"
	"  --jit-maps MODE   auto (default): ask each HotSpot JVM (JDK 17+) for its perf\n"
	"                    map, as its own user, so JIT-compiled Java methods get names\n"
	"                    (whole Java stacks need -XX:+PreserveFramePointer); off: never\n"
	"                    ask (perf maps a runtime writes itself are read either way)\n"
	"  --python MODE     on (default): CPython 3.11 functions in place of the eval\n"
	"                    loop's frames, named 'qualname (file.py:line)'; off: native only\n"
	"  --per-address     name code no symbol covers per address ([gzip+0x4883]), not\n"
	"                    once per binary ([gzip], the default)\n"
	"  --verbose         report every sample counter at the end\n"
	"  -h, --help        show this help\n";

static void usage(enum cli_mode mode)
{
	switch (mode) {
	case CLI_FIXED:
		fputs("Usage: flametui fixed [OPTIONS] [-- CMD ARGS]\n"
		      "Samples on-CPU stacks for a fixed time (or until CMD exits), then shows the\n"
		      "flame graph, or prints collapsed stacks when stdout is not a terminal.\n\n"
		      "  --ms N            how long to sample, in milliseconds (default 1000;\n"
		      "                    0 = until Ctrl-C, or until CMD exits)\n",
		      stdout);
		break;
	case CLI_AGGREGATE:
		fputs("Usage: flametui aggregate [OPTIONS] [-- CMD ARGS]\n"
		      "Samples until you quit, refreshing the flame graph as counts grow. Headless\n"
		      "(--folded or stdout not a terminal): prints a snapshot every --refresh.\n\n"
		      "  --refresh MS      refresh period (default 1000)\n"
		      "  --max-nodes N     bound on the trie (default 1000000); beyond it new stacks\n"
		      "                    are counted into an [overflow] frame\n",
		      stdout);
		break;
	case CLI_RECORD:
		fputs("Usage: flametui record [OPTIONS] -o FILE [-- CMD ARGS]\n"
		      "Records every sample (time, cpu, pid, tid, comm, symbolized stack) to FILE, in\n"
		      "compressed blocks of about a second, until Ctrl-C, CMD's exit or --ms. Open it\n"
		      "with 'flametui file FILE' (h: heat map) or print a range with --from/--to.\n\n"
		      "  --ms N            how long to record, in milliseconds (default: until Ctrl-C\n"
		      "                    or CMD's exit)\n",
		      stdout);
		break;
	case CLI_RING:
		fputs("Usage: flametui ring [OPTIONS] [-- CMD ARGS]\n"
		      "Shows only the last N slots of SLOT ms: old samples leave the graph exactly.\n"
		      "Headless (--folded or stdout not a terminal): prints the window every slot.\n\n"
		      "  --ms SLOT         slot length in milliseconds (default 1000)\n"
		      "  --n SLOTS         slots in the window (default 10)\n"
		      "  --max-nodes N     bound on the trie (default 1000000)\n",
		      stdout);
		break;
	}
	fputs(common_opts, stdout);
	fputs("\nNeeds root (or CAP_BPF and CAP_PERFMON).\n", stdout);
}

int cli__parse_ulong(const char *arg, unsigned long min, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || arg[0] == '-')
		return -EINVAL;
	if (errno || v < min || v > max)
		return -ERANGE;
	*ret = v;
	return 0;
}

int cli__ulong_option(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      unsigned long *ret)
{
	if (!cli__parse_ulong(arg, min, max, ret))
		return 0;
	fprintf(stderr, "flametui: %s expects a whole number from %lu to %lu, not '%s'\n", opt, min,
		max, formats__q(arg));
	return -1;
}

int cli__parse_pids(const char *arg, uint32_t **pids, size_t *npids)
{
	const char *p = arg;
	uint32_t *list = NULL;
	size_t n = 0;
	int err = 0;

	while (*p) {
		char num[16];
		size_t len;
		unsigned long v;
		uint32_t *np;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " ,\t");
		if (len >= sizeof(num)) {
			err = -EINVAL;
			break;
		}
		memcpy(num, p, len);
		num[len] = '\0';
		p += len;
		err = cli__parse_ulong(num, 1, 4194304, &v);
		if (err)
			break;
		if (*npids + n >= CLI_MAX_PIDS) {
			err = -E2BIG;
			break;
		}
		np = realloc(list, (n + 1) * sizeof(*np));
		if (!np) {
			err = -ENOMEM;
			break;
		}
		list = np;
		list[n++] = (uint32_t)v;
	}
	if (!err && !n)
		err = -EINVAL;
	if (!err) {
		uint32_t *all = realloc(*pids, (*npids + n) * sizeof(*all));

		if (all) {
			memcpy(all + *npids, list, n * sizeof(*all));
			*pids = all;
			*npids += n;
		} else {
			err = -ENOMEM;
		}
	}
	free(list);
	return err;
}

/* --pid: parsed, and every process alive. 0, or -1 after printing. */
static int pid_option(const char *arg, struct cli *c)
{
	size_t first = c->npids;
	int err = cli__parse_pids(arg, &c->pids, &c->npids);

	if (err == -ENOMEM) {
		fprintf(stderr, "flametui: out of memory\n");
		return -1;
	}
	if (err == -E2BIG) {
		fprintf(stderr, "flametui: --pid takes at most %u process ids (the BPF pid filter's "
				"size); use --comm for more\n",
			CLI_MAX_PIDS);
		return -1;
	}
	if (err) {
		fprintf(stderr, "flametui: --pid expects process ids such as \"123 456\", not '%s'\n",
			formats__q(arg));
		return -1;
	}
	for (size_t i = first; i < c->npids; i++) {
		if (kill((pid_t)c->pids[i], 0) && errno == ESRCH) {
			fprintf(stderr, "flametui: --pid %u: no such process (check it with ps)\n",
				c->pids[i]);
			return -1;
		}
	}
	return 0;
}

static const char *mode_name(enum cli_mode mode)
{
	return mode == CLI_FIXED ? "fixed" : mode == CLI_RING ? "ring" :
	       mode == CLI_RECORD ? "record" : "aggregate";
}

bool cli__is_recording_path(const char *path)
{
	size_t n = strlen(path);

	return n > 6 && !strcmp(path + n - 6, ".ftrec");
}

int cli__parse(enum cli_mode mode, int argc, char **argv, struct cli *c)
{
	enum { OPT_HZ = 256, OPT_MS, OPT_N, OPT_REFRESH, OPT_MAXNODES, OPT_PID, OPT_COMM,
	       OPT_IDLE, OPT_GROUP, OPT_FOLDED, OPT_VERBOSE, OPT_RINGBUF, OPT_CMD_ROOT,
	       OPT_CMD_OUTPUT, OPT_PER_ADDRESS, OPT_UNWIND, OPT_UNWIND_MEM,
	       OPT_JIT_MAPS, OPT_PYTHON };
	static const struct option longopts[] = {
		{ "hz", required_argument, NULL, OPT_HZ },
		{ "ms", required_argument, NULL, OPT_MS },
		{ "n", required_argument, NULL, OPT_N },
		{ "refresh", required_argument, NULL, OPT_REFRESH },
		{ "max-nodes", required_argument, NULL, OPT_MAXNODES },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "comm", required_argument, NULL, OPT_COMM },
		{ "enable-idle", no_argument, NULL, OPT_IDLE },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "verbose", no_argument, NULL, OPT_VERBOSE },
		{ "ringbuf-kb", required_argument, NULL, OPT_RINGBUF },
		{ "output", required_argument, NULL, 'o' },
		{ "cmd-as-root", no_argument, NULL, OPT_CMD_ROOT },
		{ "cmd-output", required_argument, NULL, OPT_CMD_OUTPUT },
		{ "per-address", no_argument, NULL, OPT_PER_ADDRESS },
		{ "unwind", required_argument, NULL, OPT_UNWIND },
		{ "unwind-mem", required_argument, NULL, OPT_UNWIND_MEM },
		{ "jit-maps", required_argument, NULL, OPT_JIT_MAPS },
		{ "python", required_argument, NULL, OPT_PYTHON },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *name = mode_name(mode);
	unsigned long v;
	int opt, rerr, idx = -1;

	memset(c, 0, sizeof(*c));
	c->mode = mode;
	c->hz = 49;
	c->ms = 1000;
	c->nslots = 10;
	c->refresh_ms = 1000;
	c->max_nodes = 1000000;
	c->unwind = CLI_UNWIND_AUTO;
	c->unwind_mem_mib = 32;
	c->jit_maps = true;
	c->python = true;
	for (int i = 0, n = 0; i < argc && n < (int)sizeof(c->cmdline) - 1; i++)
		n += snprintf(c->cmdline + n, sizeof(c->cmdline) - (size_t)n, "%s%s",
			      i ? " " : "flametui ", argv[i]);
	opterr = 0;
	optind = 1;
	while ((idx = -1, opt = getopt_long(argc, argv, "+:ho:", longopts, &idx)) != -1) {
		switch (opt) {
		case OPT_HZ:
			if (cli__ulong_option("--hz", optarg, 1, 1000000, &v))
				return -1;
			c->hz = (unsigned int)v;
			break;
		case OPT_MS:
			if (mode == CLI_AGGREGATE)
				goto not_here; /* it runs until quit and refreshes every --refresh */
			if (cli__ulong_option("--ms", optarg, mode == CLI_RING ? 10 : 0,
					31ul * 24 * 3600 * 1000, &c->ms))
				return -1;
			c->ms_set = true;
			break;
		case OPT_N:
			if (mode != CLI_RING)
				goto not_here;
			if (cli__ulong_option("--n", optarg, 1, 100000, &c->nslots))
				return -1;
			break;
		case OPT_REFRESH:
			if (mode != CLI_AGGREGATE)
				goto not_here;
			if (cli__ulong_option("--refresh", optarg, 10, 3600000, &c->refresh_ms))
				return -1;
			break;
		case OPT_MAXNODES:
			if (mode == CLI_FIXED || mode == CLI_RECORD)
				goto not_here;
			if (cli__ulong_option("--max-nodes", optarg, 100, 1000000000, &c->max_nodes))
				return -1;
			break;
		case OPT_PID:
			if (pid_option(optarg, c))
				return -1;
			break;
		case OPT_COMM:
			if (c->comm_src)
				regfree(&c->comm);
			c->comm_src = optarg;
			rerr = regcomp(&c->comm, optarg, REG_EXTENDED | REG_NOSUB);
			if (rerr) {
				char msg[128];

				regerror(rerr, &c->comm, msg, sizeof(msg));
				c->comm_src = NULL;
				fprintf(stderr, "flametui: --comm '%s' is not a valid regular expression: %s\n",
					formats__q(optarg), msg);
				return -1;
			}
			break;
		case OPT_IDLE:
			c->enable_idle = true;
			break;
		case OPT_GROUP:
			if (grouping__parse(optarg, &c->group)) {
				fprintf(stderr,
					"flametui: --group expects comm, pid or thread, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case OPT_FOLDED:
			if (mode == CLI_RECORD)
				goto not_here;
			c->folded = true;
			break;
		case OPT_VERBOSE:
			c->verbose = true;
			break;
		case OPT_RINGBUF:
			if (cli__ulong_option("--ringbuf-kb", optarg, 16, 1024 * 1024, &c->ringbuf_kb))
				return -1;
			break;
		case OPT_UNWIND:
			if (!strcmp(optarg, "auto"))
				c->unwind = CLI_UNWIND_AUTO;
			else if (!strcmp(optarg, "dwarf"))
				c->unwind = CLI_UNWIND_DWARF;
			else if (!strcmp(optarg, "fp"))
				c->unwind = CLI_UNWIND_FP;
			else {
				fprintf(stderr, "flametui: --unwind expects auto, dwarf or fp, not '%s'\n",
					optarg);
				return -1;
			}
			break;
		case OPT_JIT_MAPS:
			if (strcmp(optarg, "auto") && strcmp(optarg, "off")) {
				fprintf(stderr, "flametui: --jit-maps expects auto or off, not '%s'\n",
					optarg);
				return -1;
			}
			c->jit_maps = !strcmp(optarg, "auto");
			break;
		case OPT_PYTHON:
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				fprintf(stderr, "flametui: --python expects on or off, not '%s'\n",
					optarg);
				return -1;
			}
			c->python = !strcmp(optarg, "on");
			break;
		case OPT_UNWIND_MEM:
			if (cli__ulong_option("--unwind-mem", optarg, 1, 16384, &c->unwind_mem_mib))
				return -1;
			break;
		case 'o':
			/* a recording (every sample with its time) for record and *.ftrec */
			if (mode == CLI_RECORD || cli__is_recording_path(optarg)) {
				c->out_path = optarg;
				break;
			}
			if (output__check(optarg))
				return -1;
			c->output = optarg;
			break;
		case OPT_PER_ADDRESS:
			c->per_address = true;
			break;
		case OPT_CMD_ROOT:
			c->cmd_as_root = true;
			break;
		case OPT_CMD_OUTPUT:
			c->cmd_output = optarg;
			break;
		case 'h':
			usage(mode);
			return 1;
		case ':':
			fprintf(stderr, "flametui: %s needs a value: see 'flametui %s --help'\n",
				formats__q(argv[optind - 1]), name);
			return -1;
		default:
			fprintf(stderr, "flametui: unknown option '%s': see 'flametui %s --help'\n",
				formats__q(argv[optind - 1]), name);
			return -1;
		}
	}
	if (optind < argc) {
		if (strcmp(argv[optind - 1], "--")) {
			fprintf(stderr, "flametui: unexpected argument '%s' (a command goes after --): "
					"see 'flametui %s --help'\n",
				formats__q(argv[optind]), name);
			return -1;
		}
		c->cmd = &argv[optind];
	}
	if (c->cmd && (c->npids || c->comm_src)) {
		fprintf(stderr, "flametui: choose one target: --pid, --comm or -- CMD\n");
		return -1;
	}
	if ((c->cmd_output || c->cmd_as_root) && !c->cmd) {
		fprintf(stderr, "flametui: %s applies to a command (-- CMD ARGS), and none is given\n",
			c->cmd_output ? "--cmd-output" : "--cmd-as-root");
		return -1;
	}
	if (c->npids && c->comm_src) {
		fprintf(stderr, "flametui: choose one target: --pid or --comm\n");
		return -1;
	}
	if (mode == CLI_RECORD && !c->out_path) {
		fprintf(stderr, "flametui: record needs -o FILE (where to write the recording)\n");
		return -1;
	}
	if (!isatty(STDOUT_FILENO))
		c->folded = true;
	return 0;
not_here:
	/* named from the table: argv[optind - 1] is the value when it came as a separate word */
	fprintf(stderr, "flametui: --%s is not an option of '%s': see 'flametui %s --help'\n",
		idx >= 0 ? longopts[idx].name : "?", name, name);
	return -1;
}

void cli__free(struct cli *c)
{
	free(c->pids);
	c->pids = NULL;
	if (c->comm_src)
		regfree(&c->comm);
	c->comm_src = NULL;
}

/* Seconds (fractions allowed) as ns; -1 after printing an error. */
int cli__seconds_option(const char *opt, const char *arg, uint64_t *ret)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1e9) {
		fprintf(stderr, "flametui: %s '%s' is not a number of seconds (e.g. 2.05)\n", opt,
			arg);
		return -1;
	}
	*ret = (uint64_t)(v * 1e9 + 0.5);
	return 0;
}
