/* SPDX-License-Identifier: MIT */
/*
 * `-- CMD`: the command is forked at once but held before exec until the kernel's pid filter
 * knows it, so its first instruction is already profiled; released, it execs, and a failed
 * exec comes back as its errno. Abandoned, it exits without running anything.
 */
#ifndef FLAMETUI_HELDCMD_H
#define FLAMETUI_HELDCMD_H

#include <sys/types.h>

struct heldcmd {
	pid_t pid;  /* the child, held or running */
	int gate;   /* write end: one byte lets it exec; -1 once used */
	int report; /* read end: exec's errno, or EOF when exec succeeded; -1 once used */
};

/* Forks the held child of argv (argv[0] looked up in PATH). 0, or -errno. */
int heldcmd__spawn(struct heldcmd *h, char *const *argv);
/* Lets it exec. 0 once it runs CMD; -errno when exec failed (the child is reaped, and
 * h->pid is 0). */
int heldcmd__release(struct heldcmd *h);
/* Makes it exit without running CMD, and reaps it. */
void heldcmd__abandon(struct heldcmd *h);

#endif
