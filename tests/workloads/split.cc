// SPDX-License-Identifier: MIT
/*
 * A known call tree without frame pointers (built -O2 -fomit-frame-pointer): each round spends
 * 6 units of work under split::path_a, 3 under split::path_b (in libftsplit.so, a library of
 * its own) and 1 under split::path_c, so the three paths take 60/30/10% of the CPU.
 * Usage: ft-split [--seconds S]
 */
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "split.h"

namespace split {

volatile unsigned long sink;

__attribute__((noinline)) void spin_a(unsigned long n)
{
	sink += split_spin(n);
}

__attribute__((noinline)) void spin_c(unsigned long n)
{
	sink += split_spin(n);
}

/* Each path does something after its call, so the call is not a tail call. */
__attribute__((noinline)) void path_a(unsigned long n)
{
	for (int i = 0; i < 6; i++)
		spin_a(n);
	sink = sink + 1;
}

__attribute__((noinline)) void path_b(unsigned long n)
{
	for (int i = 0; i < 3; i++)
		split_lib_work(n);
	sink = sink + 1;
}

__attribute__((noinline)) void path_c(unsigned long n)
{
	spin_c(n);
	sink = sink + 1;
}

} // namespace split

int main(int argc, char **argv)
{
	double seconds = argc > 2 && !strcmp(argv[1], "--seconds") ? atof(argv[2]) : 5;
	auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);

	printf("ready %d\n", getpid());
	fflush(stdout);
	while (std::chrono::steady_clock::now() < end) {
		split::path_a(200000);
		split::path_b(200000);
		split::path_c(200000);
	}
	return 0;
}
