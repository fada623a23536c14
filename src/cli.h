/* SPDX-License-Identifier: MIT */
/* The sampling commands' shared command line: fixed, aggregate and ring take the same
 * targeting and sampling options, plus a few of their own. */
#ifndef FLAMETUI_CLI_H
#define FLAMETUI_CLI_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grouping.h"

enum cli_mode { CLI_FIXED, CLI_AGGREGATE, CLI_RING, CLI_RECORD };

/* --unwind: the same values as the sampler's SAMPLER_UNWIND_* */
enum cli_unwind { CLI_UNWIND_FP = 0, CLI_UNWIND_DWARF = 1, CLI_UNWIND_AUTO = 2 };

struct cli {
	enum cli_mode mode;
	unsigned int hz;
	unsigned long ms;	  /* fixed: duration (0 = until Ctrl-C); ring: slot length */
	unsigned long nslots;	  /* ring */
	unsigned long refresh_ms; /* aggregate (ring refreshes every slot) */
	unsigned long max_nodes;
	unsigned long ringbuf_kb; /* 0 = the sampler's default */
	enum cli_unwind unwind;
	unsigned long unwind_mem_mib; /* kernel memory for unwind tables */
	bool jit_maps; /* --jit-maps auto: ask JVMs for their perf maps (src/runtimes/jvm.c) */
	bool python;		      /* --python on: CPython frames (src/runtimes/pyrt.h) */
	uint32_t *pids; /* owned */
	size_t npids;
	const char *comm_src; /* --comm as given */
	regex_t comm;	      /* compiled when comm_src */
	char **cmd;	      /* argv after "--", NULL-terminated; borrowed from main's argv */
	const char *output;   /* --output FILE (borrowed), or NULL */
	const char *cmd_output; /* --cmd-output FILE, or NULL */
	bool cmd_as_root;	/* --cmd-as-root: do not drop to SUDO_UID/SUDO_GID */
	bool ms_set; /* --ms given (fixed with -- CMD otherwise runs until CMD exits) */
	bool enable_idle, folded, verbose;
	const char *out_path; /* -o FILE.ftrec: record every sample there (record: any name) */
	char cmdline[1024];   /* the command line, for the recording's header */
	bool per_address; /* --per-address: unresolved addresses as [bin+0xOFF], not [bin] */
	enum grouping group; /* the view's initial grouping (`g` changes it) */
};

/* Returns 0 to go on, 1 after printing --help (exit 0), or -1 after printing a one-line
 * error (exit EXIT_USAGE). */
int cli__parse(enum cli_mode mode, int argc, char **argv, struct cli *ret);
void cli__free(struct cli *c);
/* -o PATH names a recording (PATH ends in ".ftrec"; `record` takes any name). */
bool cli__is_recording_path(const char *path);

/* --pid values at most: the BPF pid filter is sized for them (plus room for their children). */
#define CLI_MAX_PIDS 65536u

/* Pure parsers (they print nothing): 0 with *ret set, or -errno with *ret untouched. */
/* A whole number in [min, max]: -EINVAL when arg is not one, -ERANGE when out of bounds. */
int cli__parse_ulong(const char *arg, unsigned long min, unsigned long max, unsigned long *ret);
/* Appends the process ids in arg ("123 456", "123,456") to *pids (realloc'd) and *npids:
 * -EINVAL for anything else or no id at all, -ERANGE for an id out of range, -ENOMEM. */
int cli__parse_pids(const char *arg, uint32_t **pids, size_t *npids);
/* cli__parse_ulong for option opt, printing the one-line error: 0, or -1 after printing. */
int cli__ulong_option(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      unsigned long *ret);
/* Seconds (fractions allowed, at most 1e9) for option opt, as ns: 0, or -1 after printing
 * the one-line error. --from/--to of file and diff. */
int cli__seconds_option(const char *opt, const char *arg, uint64_t *ret);

#endif
