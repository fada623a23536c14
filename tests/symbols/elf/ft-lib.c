/* SPDX-License-Identifier: MIT */
/* A shared library with known functions for the symbolizer tests. */
#include "ft-lib.h"

__attribute__((noinline)) int lib_delta(int x)
{
	return x * 7 + 3;
}

__attribute__((noinline)) int lib_gamma(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += lib_delta(i);
	return s;
}

static __attribute__((noinline)) int lib_inner(int x)
{
	return lib_gamma(x) ^ 0x5a;
}

void *lib_inner_addr(void)
{
	return (void *)lib_inner;
}
