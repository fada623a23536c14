/* SPDX-License-Identifier: MIT */
/*
 * `-- CMD`: the command is forked at once but held before exec until the kernel's pid filter
 * knows it, so its first instruction is already profiled; released, it execs, and a failed
 * exec comes back as its errno. Abandoned, it exits without running anything.
 */
#ifndef FLAMETUI_HELDCMD_H
#define FLAMETUI_HELDCMD_H

#include <stdbool.h>
#include <sys/types.h>

struct heldcmd {
	pid_t pid;  /* the child, held or running */
	int gate;   /* write end: one byte lets it exec; -1 once used */
	int report; /* read end: exec's errno, or EOF when exec succeeded; -1 once used */
};

/* Who the command runs as, looked up before the fork (no NSS calls in the child). */
struct heldcmd_user {
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* supplementary groups; owned */
	int ngroups;
	char *name, *home; /* owned: USER/LOGNAME and HOME */
};

/*
 * Under sudo (running as root with SUDO_UID/SUDO_GID set), fills *ret with the invoking user
 * and returns 1; returns 0 when there is no one to drop to (not root, no sudo, or SUDO_UID is
 * 0), or -errno (-EINVAL for a malformed SUDO_UID/SUDO_GID, -ENOENT for an unknown uid).
 */
int heldcmd__sudo_user(struct heldcmd_user *ret);
void heldcmd__user_free(struct heldcmd_user *u);

struct heldcmd_opts {
	const struct heldcmd_user *as; /* drop to this user before exec; NULL = stay as we are */
	int output; /* fd for the command's stdout and stderr (stdin: /dev/null); -1 = inherit */
	/* with output -1: its stdout goes to our stderr (our stdout carries the profile) */
	bool stdout_to_stderr;
};

/* Forks the held child of argv (argv[0] looked up in PATH). 0, or -errno. */
int heldcmd__spawn(struct heldcmd *h, char *const *argv, const struct heldcmd_opts *opts);
/* Lets it exec. 0 once it runs CMD; -errno when exec failed (the child is reaped, and
 * h->pid is 0). */
int heldcmd__release(struct heldcmd *h);
/* Makes it exit without running CMD, and reaps it. */
void heldcmd__abandon(struct heldcmd *h);
/* Ends the released command pid, as perf record does: SIGTERM to its process group (it has
 * its own), SIGKILL after grace_ms if it is still there, and reaps it into *ret_status.
 * Returns 1 when it had to be ended, 0 when it had already exited. */
int heldcmd__end(pid_t pid, int grace_ms, int *ret_status);

#endif
