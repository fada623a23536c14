// SPDX-License-Identifier: MIT
/* The held `-- CMD` child (see heldcmd.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heldcmd.h"

static int parse_id(const char *s, unsigned long *ret)
{
	char *end;

	errno = 0;
	*ret = s ? strtoul(s, &end, 10) : 0;
	if (!s || !*s || *end || errno || *s == '-' || *ret >= UINT_MAX)
		return -EINVAL;
	return 0;
}

int heldcmd__sudo_user(struct heldcmd_user *ret)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	struct heldcmd_user u = { 0 };
	struct passwd *pw;
	unsigned long uid, gid;
	int n = 16;

	if (geteuid() || !su)
		return 0;
	if (parse_id(su, &uid) || parse_id(sg, &gid))
		return -EINVAL;
	if (!uid)
		return 0;
	u.uid = (uid_t)uid;
	u.gid = (gid_t)gid;
	errno = 0;
	pw = getpwuid(u.uid);
	if (!pw)
		return errno ? -errno : -ENOENT;
	u.name = strdup(pw->pw_name);
	u.home = strdup(pw->pw_dir);
	if (!u.name || !u.home)
		goto nomem;
	for (;;) {
		gid_t *g = realloc(u.groups, (size_t)n * sizeof(*g));
		int want = n;

		if (!g)
			goto nomem;
		u.groups = g;
		if (getgrouplist(u.name, u.gid, u.groups, &want) >= 0) {
			u.ngroups = want;
			break;
		}
		if (want <= n)
			want = n * 2;
		if (want > 65536)
			goto nomem;
		n = want;
	}
	*ret = u;
	return 1;
nomem:
	heldcmd__user_free(&u);
	return -ENOMEM;
}

void heldcmd__user_free(struct heldcmd_user *u)
{
	free(u->groups);
	free(u->name);
	free(u->home);
	memset(u, 0, sizeof(*u));
}

/* In the child: become the user, as sudo would have left them. 0 or an errno. */
static int become(const struct heldcmd_user *u)
{
	if (setgroups((size_t)u->ngroups, u->groups) || setgid(u->gid) || setuid(u->uid))
		return errno;
	if (setuid(0) == 0)
		return EPERM; /* the drop did not stick */
	if (setenv("HOME", u->home, 1) || setenv("USER", u->name, 1) ||
	    setenv("LOGNAME", u->name, 1))
		return errno;
	return 0;
}

/* In the child: stdout and stderr to fd, stdin from /dev/null. 0 or an errno. */
static int redirect(int fd)
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0)
		return errno;
	return 0;
}

/*
 * The child waits on a pipe until its pid is in the kernel filter, then execs. A second,
 * close-on-exec pipe carries exec's errno back if exec fails.
 */
int heldcmd__spawn(struct heldcmd *h, char *const *cmd, const struct heldcmd_opts *opts)
{
	int gate[2], report[2];
	pid_t pid, parent = getpid();

	h->pid = 0;
	h->gate = h->report = -1;
	if (pipe2(gate, O_CLOEXEC))
		return -errno;
	if (pipe2(report, O_CLOEXEC)) {
		int err = -errno;

		close(gate[0]);
		close(gate[1]);
		return err;
	}
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(gate[0]);
		close(gate[1]);
		close(report[0]);
		close(report[1]);
		return err;
	}
	if (!pid) {
		char c;
		int err;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		/* its own process group, so flametui can end it and what it forks (heldcmd__end) */
		setpgid(0, 0);
		close(gate[1]);
		close(report[0]);
		if (read(gate[0], &c, 1) != 1)
			_exit(127); /* flametui gave up: do not run unprofiled */
		err = opts && opts->output >= 0 ? redirect(opts->output) : 0;
		if (!err && opts && opts->stdout_to_stderr && dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
			err = errno;
		if (!err && opts && opts->as)
			err = become(opts->as);
		/* if flametui dies without ending it (SIGKILL), the kernel sends SIGTERM; set after
		 * become(), since a change of credentials clears it (exec keeps it) */
		if (!err && prctl(PR_SET_PDEATHSIG, SIGTERM))
			err = errno;
		if (!err && getppid() != parent)
			_exit(127); /* flametui died before that: do not run unprofiled */
		if (!err) {
			execvp(cmd[0], cmd);
			err = errno;
		}
		if (write(report[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	/* here too: the group exists before anyone may signal it, whichever runs first */
	setpgid(pid, pid);
	close(gate[0]);
	close(report[1]);
	h->pid = pid;
	h->gate = gate[1];
	h->report = report[0];
	return 0;
}

int heldcmd__release(struct heldcmd *h)
{
	int err = 0;
	ssize_t n;

	if (write(h->gate, "x", 1) != 1)
		err = errno;
	close(h->gate);
	h->gate = -1;
	n = read(h->report, &err, sizeof(err)); /* 0 bytes: exec succeeded and closed it */
	close(h->report);
	h->report = -1;
	if (n == (ssize_t)sizeof(err) && err) {
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
		return -err;
	}
	return 0;
}

void heldcmd__abandon(struct heldcmd *h)
{
	if (h->gate >= 0)
		close(h->gate);
	if (h->report >= 0)
		close(h->report);
	h->gate = h->report = -1;
	if (h->pid > 0)
		waitpid(h->pid, NULL, 0);
	h->pid = 0;
}

/* Whether pid was reaped within ms milliseconds (its status in *status). */
static bool reaped_within(pid_t pid, int ms, int *status)
{
	for (int waited = 0;; waited += 10) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return true;
		if (waited >= ms)
			return false;
		usleep(10000);
	}
}

int heldcmd__end(pid_t pid, int grace_ms, int *ret_status)
{
	int status = 0;

	/* not reaped yet, so the pid (and its group id) cannot have been reused */
	if (waitpid(pid, &status, WNOHANG) == pid) {
		*ret_status = status;
		return 0;
	}
	if (kill(-pid, SIGTERM) && errno == ESRCH)
		kill(pid, SIGTERM); /* it left its group */
	if (!reaped_within(pid, grace_ms, &status)) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	*ret_status = status;
	return 1;
}
