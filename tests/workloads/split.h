// SPDX-License-Identifier: MIT
/* The work both ft-split and libftsplit.so do: the same loop, so a unit costs the same. */
#ifndef FT_SPLIT_H
#define FT_SPLIT_H

__attribute__((noinline, unused)) static unsigned long split_spin(unsigned long n)
{
	unsigned long x = 1;

	for (unsigned long i = 0; i < n; i++)
		__asm__ volatile("" : "+r"(x) : "r"(i)); /* one add per round, not folded away */
	return x;
}

extern "C" void split_lib_work(unsigned long n);

#endif
