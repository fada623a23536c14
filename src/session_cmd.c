// SPDX-License-Identifier: MIT
/*
 * The session's -- CMD (see session_cmd.h): where its output goes, starting it held (heldcmd.h)
 * as the user behind sudo, ending it with flametui, and what the header says of it; and
 * whether the --pid processes are still there.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "formats.h"
#include "heldcmd.h"
#include "session.h"
#include "session_cmd.h"

/* Opens --cmd-output (given to the invoking user under sudo), or /dev/null while the graph
 * has the terminal. An exit code after printing, or EXIT_OK with o->output (-1: inherit) and
 * o->stdout_to_stderr set. */
static int cmd_output(struct session *s, const struct cli *cli, const struct heldcmd_user *u,
		      struct heldcmd_opts *o)
{
	const char *path = cli->cmd_output;
	int fd;

	o->output = -1;
	if (!path && cli->folded) {
		/* headless: flametui's stdout carries the profile, so CMD's goes to stderr */
		o->stdout_to_stderr = true;
		return EXIT_OK;
	}
	if (!path)
		path = "/dev/null";
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "flametui: cannot write --cmd-output '%s': %s\n", path,
			strerror(errno));
		return EXIT_FAIL;
	}
	if (u && cli->cmd_output && fchown(fd, u->uid, u->gid) && errno != EPERM) {
		fprintf(stderr, "flametui: cannot give --cmd-output '%s' to uid %u: %s\n", path,
			(unsigned)u->uid, strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	s->cmd_output = path;
	o->output = fd;
	return EXIT_OK;
}

/* Forks the held -- CMD: as the invoking user under sudo (unless --cmd-as-root), its output
 * away from the terminal the graph uses. An exit code after printing, or EXIT_OK. */
int session_cmd__start(struct session *s, const struct cli *cli, struct heldcmd *held)
{
	struct heldcmd_user user = { 0 };
	struct heldcmd_opts o = { .output = -1 };
	int err = 0, rc;

	if (!cli->cmd_as_root)
		err = heldcmd__sudo_user(&user);
	if (err < 0) {
		fprintf(stderr, "flametui: cannot run '%s' as the user who ran sudo (SUDO_UID=%s, "
				"SUDO_GID=%s): %s; --cmd-as-root runs it as root\n",
			cli->cmd[0], getenv("SUDO_UID") ? getenv("SUDO_UID") : "",
			getenv("SUDO_GID") ? getenv("SUDO_GID") : "", strerror(-err));
		return EXIT_FAIL;
	}
	if (err > 0)
		o.as = &user;
	rc = cmd_output(s, cli, o.as, &o);
	if (rc == EXIT_OK) {
		err = heldcmd__spawn(held, cli->cmd, &o);
		if (err) {
			fprintf(stderr, "flametui: cannot start '%s': %s\n", formats__q(cli->cmd[0]),
				strerror(-err));
			rc = EXIT_FAIL;
		}
	}
	if (o.output >= 0)
		close(o.output);
	heldcmd__user_free(&user);
	return rc;
}

void session_cmd__end(struct session *s)
{
	if (s->child <= 0)
		return;
	heldcmd__end(s->child, SESSION_CMD_GRACE_MS, &s->child_status);
	s->child = -1;
}

int session_cmd__watch_pids(struct session *s, const struct cli *cli)
{
	s->npidfds = 0;
	s->pids_gone = false;
	if (!cli->npids)
		return 0;
	s->pidfds = calloc(cli->npids, sizeof(*s->pidfds));
	if (!s->pidfds)
		return -ENOMEM;
	for (size_t i = 0; i < cli->npids; i++) {
		/* a thread id has no pidfd (before 6.9): then its process is never "gone" */
		s->pidfds[i].fd = (int)syscall(SYS_pidfd_open, (pid_t)cli->pids[i], 0);
		s->pidfds[i].events = POLLIN;
		s->npidfds++;
	}
	return 0;
}

bool session__pids_gone(struct session *s)
{
	/* one poll for them all, at each turn of the loops and each header: a pidfd is readable
	 * once its process exited (zombie or reaped); poll skips fd -1, which never counts */
	if (!s->pids_gone && s->npidfds &&
	    poll(s->pidfds, (nfds_t)s->npidfds, 0) == (int)s->npidfds)
		s->pids_gone = true;
	return s->pids_gone;
}

void session_cmd__free_pids(struct session *s)
{
	for (size_t i = 0; i < s->npidfds; i++)
		if (s->pidfds[i].fd >= 0)
			close(s->pidfds[i].fd);
	free(s->pidfds);
	s->pidfds = NULL;
	s->npidfds = 0;
}

void session__cmd_text(struct session *s, char *buf, size_t len)
{
	const char *cmd = s->cli && s->cli->cmd ? s->cli->cmd[0] : NULL;
	const char *out = s->cmd_output;
	int st = s->child_status;

	if (!cmd) {
		/* --pid instead: the live header says when nothing is left to sample */
		snprintf(buf, len, "%s", session__pids_gone(s) ? SESSION_PIDS_GONE : "");
		return;
	}
	session__cmd_done(s);
	if (s->child > 0)
		snprintf(buf, len, "%s running%s%s", cmd, out ? ", output " : "", out ? out : "");
	else if (WIFEXITED(st))
		snprintf(buf, len, "%s exited %d", cmd, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "%s killed by signal %d", cmd, WTERMSIG(st));
	else
		snprintf(buf, len, "%s ended", cmd);
}

bool session__cmd_done(struct session *s)
{
	if (s->child <= 0)
		return false;
	if (waitpid(s->child, &s->child_status, WNOHANG) == s->child) {
		s->child = -1;
		return true;
	}
	return false;
}
