// SPDX-License-Identifier: MIT
/*
 * JIT-style code that keeps growing: every few milliseconds a new executable page is mapped
 * (never unmapped, so each one is new to whoever read the mappings before) and run, the way a
 * JIT adds code or a program dlopens a library. The copied function keeps a frame pointer, so
 * its callers are found through it. Usage: jitgrow [--seconds S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

/* x86-64: push rbp; mov rbp,rsp; mov ecx,imm32; 1: dec ecx; jnz 1b; pop rbp; ret */
static const unsigned char jit_code[] = { 0x55, 0x48, 0x89, 0xe5, 0xb9, 0x00, 0x00, 0x04, 0x00,
					  0xff, 0xc9, 0x75, 0xfc, 0x5d, 0xc3 };

__attribute__((noinline)) void run_new_code(void (*fn)(void))
{
	for (int i = 0; i < 8; i++)
		fn();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 2 && !strcmp(argv[1], "--seconds") ? atof(argv[2]) : 5;
	double end = now_s() + seconds;
	unsigned long pages = 0;

	while (now_s() < end && pages < 100000) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("jitgrow: mmap");
			return 1;
		}
		memcpy(p, jit_code, sizeof(jit_code));
		run_new_code((void (*)(void))p);
		pages++;
	}
	printf("%lu pages\n", pages);
	return 0;
}
