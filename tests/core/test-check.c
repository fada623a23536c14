// SPDX-License-Identifier: MIT
/* check.h itself: a failing CHECK counts and names its line, and a failure inside a helper
 * called through CHECK_CALLER also names the caller's line (the outermost one). */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

static void helper_(int v)
{
	CHECK(v == 1);
}
#define helper(...) CHECK_CALLER(helper_(__VA_ARGS__))

static void outer_(int v)
{
	helper(v);
}
#define outer(...) CHECK_CALLER(outer_(__VA_ARGS__))

/* Runs the failing calls with stderr captured; returns what they printed. */
static char *capture(int *ret_failures, int *ret_lines)
{
	static char buf[4096];
	FILE *f = tmpfile();
	int saved = dup(2), base = check_failures;
	size_t n;

	if (!f || saved < 0)
		return NULL;
	fflush(stderr);
	dup2(fileno(f), 2);
	ret_lines[0] = __LINE__ + 1;
	helper(2);
	ret_lines[1] = __LINE__ + 1;
	outer(3);
	helper(1); /* passes: prints nothing */
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*ret_failures = check_failures - base;
	check_failures = base;
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

int main(void)
{
	int failures = 0, lines[2];
	char *out = capture(&failures, lines), want[64];

	CHECK(out != NULL);
	CHECK_EQ_U64(failures, 2);
	if (!out)
		return check_done();
	snprintf(want, sizeof(want), "test-check.c:%d: (the helper's caller)", lines[0]);
	CHECK(strstr(out, want) != NULL);
	snprintf(want, sizeof(want), "test-check.c:%d: (the helper's caller)", lines[1]);
	CHECK(strstr(out, want) != NULL);
	/* the helper's own line is named too, and nothing names outer_'s call of helper */
	CHECK(strstr(out, "CHECK failed: v == 1") != NULL);
	snprintf(want, sizeof(want), "test-check.c:%d: (the", 17);
	CHECK(strstr(out, want) == NULL);
	if (check_failures)
		fprintf(stderr, "captured:\n%s", out);
	return check_done();
}
