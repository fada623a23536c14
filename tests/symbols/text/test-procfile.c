/* SPDX-License-Identifier: MIT */
/* procfile: an open takes the profiled process's rights (a root-only file is refused for a
 * process of nobody's), and an open that blocks (a FIFO) is abandoned at its deadline. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfile.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	char dir[] = "/tmp/test-procfile-XXXXXX", secret[256], open_file[256], fifo[256];
	double t0;
	pid_t child;
	int fd;

	CHECK(mkdtemp(dir) != NULL);
	chmod(dir, 0755);
	snprintf(secret, sizeof(secret), "%s/secret", dir);
	snprintf(open_file, sizeof(open_file), "%s/open", dir);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	fd = open(secret, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	close(fd);
	fd = open(open_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	close(fd);
	CHECK(mkfifo(fifo, 0666) == 0);

	/* the deadline: nobody writes to the FIFO, so a blocking open never returns */
	t0 = now_s();
	CHECK_EQ_U64(procfile__open(NULL, 0, fifo, O_RDONLY, 200), -ETIMEDOUT);
	CHECK(now_s() - t0 < 1.0);

	if (geteuid() == 0) {
		child = fork();
		if (child == 0) {
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534))
				_exit(1);
			pause();
			_exit(0);
		}
		CHECK(child > 0);
		usleep(100000);
		/* as nobody: the root-only file is refused, the world-readable one opens */
		CHECK_EQ_U64(procfile__open(NULL, (uint32_t)child, secret, O_RDONLY, 1000), -EACCES);
		fd = procfile__open(NULL, (uint32_t)child, open_file, O_RDONLY, 1000);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
		/* and we are still root afterwards: only that thread changed */
		fd = open(secret, O_RDONLY | O_CLOEXEC);
		CHECK(fd >= 0 && geteuid() == 0);
		if (fd >= 0)
			close(fd);
		CHECK_EQ_U64(procfile__open(NULL, 4194305, open_file, O_RDONLY, 1000), -ESRCH);
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	} else {
		fprintf(stderr, "skipping the credential checks: needs root\n");
	}
	unlink(secret);
	unlink(open_file);
	unlink(fifo);
	rmdir(dir);
	return check_done();
}
