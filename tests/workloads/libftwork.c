// SPDX-License-Identifier: MIT
/* A shared library for tests: lib_hot() burns CPU inside the library. */
volatile unsigned long ftwork_sink;

__attribute__((noinline)) void lib_inner(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		ftwork_sink += i;
}

__attribute__((noinline)) void lib_hot(unsigned long n)
{
	lib_inner(n);
}
