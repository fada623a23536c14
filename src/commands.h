/* SPDX-License-Identifier: MIT */
/* The subcommands main.c dispatches to; each parses its own options and returns an exit code. */
#ifndef FLAMETUI_COMMANDS_H
#define FLAMETUI_COMMANDS_H

/* Exit codes (documented in the man page). */
#define EXIT_OK 0
#define EXIT_FAIL 1	/* runtime failure: cannot load BPF, read a file, ... */
#define EXIT_USAGE 2	/* bad command line */
#define EXIT_NOPERM 3	/* not root / missing capabilities */
#define EXIT_NOKERNEL 4 /* the kernel lacks something flametui needs (BTF, ringbuf, ...) */

int cmd_fixed(int argc, char **argv);
int cmd_file(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_aggregate(int argc, char **argv);
int cmd_ring(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif
