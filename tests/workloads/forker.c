// SPDX-License-Identifier: MIT
/*
 * Process-lifecycle workloads:
 *   forker fork PROG ARGS...  forks a child that execs PROG, waits for it (-- CMD tests)
 *   forker exec S PROG ARGS...  burns S seconds in forker_spin, then execs PROG under the same
 *                              pid (exec tests)
 *   forker dlopen S LIB        burns S seconds in forker_spin, then dlopens LIB and runs its
 *                              lib_hot for S seconds (dlopen tests)
 *   forker storm N             forks N children, each spins briefly and exits, 32 at a time
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noinline)) void forker_spin(double seconds)
{
	for (double end = now() + seconds; now() < end;)
		for (int i = 0; i < 100000; i++)
			sink += (unsigned long)i;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 3 && !strcmp(argv[1], "fork")) {
		pid_t pid = fork();
		int status;

		if (!pid) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		printf("ready %d child %d\n", (int)getpid(), (int)pid);
		waitpid(pid, &status, 0);
		return 0;
	}
	if (argc >= 4 && !strcmp(argv[1], "exec")) {
		printf("ready %d\n", (int)getpid());
		forker_spin(atof(argv[2]));
		execv(argv[3], argv + 3);
		return 127;
	}
	if (argc >= 4 && !strcmp(argv[1], "dlopen")) {
		double s = atof(argv[2]);
		void *h;
		void (*hot)(unsigned long);

		printf("ready %d\n", (int)getpid());
		forker_spin(s);
		h = dlopen(argv[3], RTLD_NOW);
		if (!h)
			return 1;
		hot = (void (*)(unsigned long))dlsym(h, "lib_hot");
		if (!hot)
			return 1;
		for (double end = now() + s; now() < end;)
			hot(1000000);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "storm")) {
		int n = atoi(argv[2]), live = 0;

		printf("ready %d\n", (int)getpid());
		for (int i = 0; i < n; i++) {
			pid_t pid = fork();

			if (!pid) {
				forker_spin(0.001);
				_exit(0);
			}
			if (pid > 0)
				live++;
			if (live >= 32 || pid < 0) {
				wait(NULL);
				live--;
			}
		}
		while (live-- > 0)
			wait(NULL);
		forker_spin(0.3); /* the parent's own work after the storm */
		return 0;
	}
	fprintf(stderr, "usage: forker fork|exec|dlopen|storm ...\n");
	return 2;
}
