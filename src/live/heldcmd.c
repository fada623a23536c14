// SPDX-License-Identifier: MIT
/* The held `-- CMD` child (see heldcmd.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "heldcmd.h"

/*
 * The child waits on a pipe until its pid is in the kernel filter, then execs. A second,
 * close-on-exec pipe carries exec's errno back if exec fails.
 */
int heldcmd__spawn(struct heldcmd *h, char *const *cmd)
{
	int gate[2], report[2];
	pid_t pid;

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
		close(gate[1]);
		close(report[0]);
		if (read(gate[0], &c, 1) != 1)
			_exit(127); /* flametui gave up: do not run unprofiled */
		execvp(cmd[0], cmd);
		err = errno;
		if (write(report[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
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
