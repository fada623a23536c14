// SPDX-License-Identifier: MIT
/*
 * Calls into a shared library (lib_hot in libftwork.so) and into JIT-style code: a function
 * copied into an anonymous executable mapping and announced in /tmp/perf-PID.map, as Node's
 * --perf-basic-prof and the JVM do. Usage: uselib [--seconds S]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

void lib_hot(unsigned long n);

/* x86-64: push rbp; mov rbp,rsp; mov ecx,imm32; 1: dec ecx; jnz 1b; pop rbp; ret */
static const unsigned char jit_code[] = { 0x55, 0x48, 0x89, 0xe5, 0xb9, 0x00, 0x00, 0x10, 0x00,
					  0xff, 0xc9, 0x75, 0xfc, 0x5d, 0xc3 };

/* a killed run removes its map too: a stale one would greet the next process given this pid */
static char path[64];

static void on_term(int sig)
{
	(void)sig;
	if (path[0])
		unlink(path);
	_exit(0);
}

__attribute__((noinline)) void call_jit(void (*fn)(void))
{
	for (int i = 0; i < 20; i++)
		fn();
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 && !strcmp(argv[1], "--seconds") ? atof(argv[2]) : 5;
	void (*fn)(void) = NULL;
	struct timespec a, b;

#if defined(__x86_64__)
	void *mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	FILE *f;

	if (mem == MAP_FAILED)
		return 1;
	memcpy(mem, jit_code, sizeof(jit_code));
	fn = (void (*)(void))mem;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	/* no 0x on the address, as some JITs write it */
	fprintf(f, "%lx %zx LazyCompile:*jit_hot_loop test.js:1\n", (unsigned long)mem,
		sizeof(jit_code));
	fclose(f);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
#endif
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		lib_hot(2000000);
		if (fn)
			call_jit(fn);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < seconds);
	if (fn)
		unlink(path);
	return 0;
}
