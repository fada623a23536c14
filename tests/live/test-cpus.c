// SPDX-License-Identifier: MIT
/* The online-CPU list parser: ranges, singles, the machine's own list, and bad input. */
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "cpus.h"

static void expect_(const char *list, int n, const int *want)
{
	int *got = NULL, r = cpus__parse(list, &got);

	CHECK_EQ_U64(r, n);
	for (int i = 0; r == n && i < n; i++)
		CHECK_EQ_U64(got[i], want[i]);
	free(got);
}
#define expect(...) CHECK_CALLER(expect_(__VA_ARGS__))

int main(void)
{
	int *cpus = NULL, n;

	expect("0\n", 1, (int[]){ 0 });
	expect("0-3\n", 4, (int[]){ 0, 1, 2, 3 });
	expect("0-1,4,6-7", 5, (int[]){ 0, 1, 4, 6, 7 });
	CHECK(cpus__parse("", &cpus) == -EINVAL);
	CHECK(cpus__parse("3-1", &cpus) == -EINVAL);
	CHECK(cpus__parse("a", &cpus) == -EINVAL);
	CHECK(cpus__parse("0-", &cpus) == -EINVAL);
	CHECK(cpus__parse("1;2", &cpus) == -EINVAL);
	CHECK(cpus__parse("0-99999999", &cpus) == -EINVAL);
	n = cpus__online(&cpus);
	CHECK(n >= 1);
	free(cpus);
	return check_done();
}
