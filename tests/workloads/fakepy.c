// SPDX-License-Identifier: MIT
/*
 * python3.fake: a program that claims to be CPython 3.11 and lies in every structure the
 * walker and the code-object reader follow (tests/integration/test-python.sh). It exports
 * _PyRuntime and Py_Version like python3.11, with a layout that passes flametui's live check
 * (the first thread points back at the interpreter), and then: a frame chain that loops
 * forever, a code object whose name claims 2^40 characters, one whose file name is 2^31
 * characters of an anonymous region, a line table of 2^62 bytes, a code object in a file
 * mapping (not to be read), one at an unmapped address, and frames that change under the
 * reader. Every thread spins so it is sampled. Built with -rdynamic so the symbols are in
 * .dynsym; prints "ready PID" once set up.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef FAKE_VERSION
#define FAKE_VERSION 0x030b02f0 /* 3.11.2 final */
#endif
const unsigned long Py_Version = FAKE_VERSION;
uint8_t _PyRuntime[4096];

static uint8_t interp[256], tstates[2][256], cframes[2][32];
static uint8_t frames[8][80];
static uint8_t *codes[6];

static void put(uint8_t *base, size_t off, uint64_t v)
{
	memcpy(base + off, &v, sizeof(v));
}

static void put32(uint8_t *base, size_t off, uint32_t v)
{
	memcpy(base + off, &v, sizeof(v));
}

/* a compact str header claiming `length` characters (ASCII when ascii) */
static uint8_t *str(uint64_t length, int ascii)
{
	uint8_t *s = calloc(1, 4096);

	put(s, 16, length);
	s[32] = (uint8_t)((ascii ? 1 << 6 : 0) | 1 << 5 | 1 << 2);
	memset(s + (ascii ? 48 : 72), 'A', 4096 - 72);
	return s;
}

static uint8_t *code(uint8_t *qual, uint8_t *file, uint8_t *table, int first)
{
	uint8_t *c = calloc(1, 512);

	put(c, 16, 1000); /* instructions */
	put32(c, 72, (uint32_t)first);
	put(c, 112, (uint64_t)(uintptr_t)file);
	put(c, 128, (uint64_t)(uintptr_t)qual);
	put(c, 136, (uint64_t)(uintptr_t)table);
	return c;
}

static void frame(int i, uint8_t *c, uint8_t *prev, int entry)
{
	put(frames[i], 32, (uint64_t)(uintptr_t)c);
	put(frames[i], 48, (uint64_t)(uintptr_t)prev);
	put(frames[i], 56, (uint64_t)(uintptr_t)(c ? c + 184 + 2 * i : NULL));
	frames[i][68] = (uint8_t)entry;
}

static void thread_state(int t, uint8_t *first_frame)
{
	put(tstates[t], 16, (uint64_t)(uintptr_t)interp);
	put(tstates[t], 56, (uint64_t)(uintptr_t)cframes[t]);
	put(tstates[t], 160, (uint64_t)gettid());
	put(cframes[t], 8, (uint64_t)(uintptr_t)first_frame);
}

static void *second(void *arg)
{
	volatile uint64_t x = 0;

	(void)arg;
	thread_state(1, frames[4]);
	put(tstates[0], 8, (uint64_t)(uintptr_t)tstates[1]); /* on the list once it has its tid */
	for (;;) {
		/* frames that change under the reader: the code pointer flips every iteration */
		put(frames[4], 32, (uint64_t)(uintptr_t)(x & 1 ? codes[0] : codes[5]));
		x++;
	}
	return NULL;
}

int main(void)
{
	uint8_t *table = calloc(1, 64), *filemap;
	FILE *tmp = tmpfile();
	volatile uint64_t x = 0;
	pthread_t th;

	put(table, 16, 1ull << 62); /* a bytes object of 2^62 bytes */
	/* a code object inside a file mapping: flametui must not read it */
	if (!tmp || ftruncate(fileno(tmp), 4096))
		return 1;
	filemap = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fileno(tmp), 0);
	if (filemap == MAP_FAILED)
		return 1;
	codes[0] = code(str(1ull << 40, 1), str(5, 1), table, 1);      /* name too long */
	codes[1] = code(str(1u << 31, 1), str(1u << 31, 0), table, 2); /* huge, cut */
	codes[2] = code(str(3, 1), NULL, NULL, 3);		       /* no file */
	memcpy(filemap, code(str(3, 1), str(3, 1), table, 4), 512);
	codes[3] = filemap;
	codes[4] = (uint8_t *)(uintptr_t)0xdead0000; /* unmapped */
	codes[5] = code(str(4, 1), str(8, 1), table, 6);
	/* main thread: 0 -> 1 -> 2 -> 3 -> back to 0 (a loop), outermost never reached */
	frame(0, codes[0], frames[1], 0);
	frame(1, codes[1], frames[2], 1);
	frame(2, codes[2], frames[3], 0);
	frame(3, codes[3], frames[0], 1);
	/* second thread: an unmapped code object, then a chain that ends */
	frame(4, codes[4], frames[5], 0);
	frame(5, codes[5], NULL, 1);
	put(_PyRuntime, 40, (uint64_t)(uintptr_t)interp);
	put(interp, 16, (uint64_t)(uintptr_t)tstates[0]);
	thread_state(0, frames[0]);
	put(_PyRuntime, 576, (uint64_t)(uintptr_t)tstates[0]); /* holds the "GIL" */
	if (pthread_create(&th, NULL, second, NULL))
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		x++;
}
