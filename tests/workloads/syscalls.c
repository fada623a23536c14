// SPDX-License-Identifier: MIT
/* A syscall-heavy workload: main -> do_writes -> write(2) to /dev/null, so samples land in
 * the kernel under user frames. Usage: syscalls [--seconds S] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[65536];

__attribute__((noinline)) void do_writes(int fd)
{
	for (int i = 0; i < 1000; i++)
		if (write(fd, buf, sizeof(buf)) < 0)
			exit(1);
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 && !strcmp(argv[1], "--seconds") ? atof(argv[2]) : 5;
	int fd = open("/dev/null", O_WRONLY);
	struct timespec a, b;

	if (fd < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		do_writes(fd);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < seconds);
	return 0;
}
