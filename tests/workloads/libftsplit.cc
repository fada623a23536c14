// SPDX-License-Identifier: MIT
/* ft-split's library: path_b's work, without frame pointers like the program. */
#include "split.h"

static volatile unsigned long lib_sink;

__attribute__((noinline)) static void lib_inner(unsigned long n)
{
	lib_sink += split_spin(n);
}

extern "C" __attribute__((noinline)) void split_lib_work(unsigned long n)
{
	lib_inner(n);
	lib_sink = lib_sink + 1;
}
