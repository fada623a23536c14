/* SPDX-License-Identifier: MIT */
/* The program ft-target execs into: same pid, different names. Exits at EOF on stdin. */
#include <stdio.h>

__attribute__((noinline)) int other_fn(int x)
{
	return x + 42;
}

int main(void)
{
	char line[256];

	printf("other_fn %p\n", (void *)other_fn);
	printf("ready %d\n", other_fn(0) > 0);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
