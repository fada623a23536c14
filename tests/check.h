/* SPDX-License-Identifier: MIT */
/* A minimal assertion kit for the unit tests: each CHECK failure is printed and counted, and
 * check_done() turns the count into the exit code meson reads (0 pass, 1 fail). */
#ifndef FLAMETUI_CHECK_H
#define FLAMETUI_CHECK_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

/*
 * A helper that CHECKs on behalf of its caller is called through CHECK_CALLER(helper(...))
 * (usually hidden in a macro named like the helper): a failure inside then also names the
 * line that called it, the outermost one when helpers call helpers.
 */
static const char *check_caller_file;
static int check_caller_line;

#define CHECK_CALLER(call)                                                                 \
	do {                                                                               \
		bool check_outer_ = !check_caller_file;                                        \
		if (check_outer_) {                                                        \
			check_caller_file = __FILE__;                                      \
			check_caller_line = __LINE__;                                      \
		}                                                                          \
		call;                                                                      \
		if (check_outer_)                                                          \
			check_caller_file = NULL;                                          \
	} while (0)

static inline void check_fail_where(void)
{
	if (check_caller_file)
		fprintf(stderr, "%s:%d: (the helper's caller)\n", check_caller_file,
			check_caller_line);
	check_failures++;
}

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
			check_fail_where();                                                \
		}                                                                          \
	} while (0)

#define CHECK_EQ_U64(a, b)                                                                   \
	do {                                                                                 \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                             \
		if (a_ != b_) {                                                              \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%" PRIu64 " != %" PRIu64 ")\n", \
				__FILE__, __LINE__, #a, #b, a_, b_);                         \
			check_fail_where();                                                  \
		}                                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                                      \
	do {                                                                                 \
		const char *a_ = (a), *b_ = (b);                                             \
		if (!a_ || !b_ || strcmp(a_, b_)) {                                          \
			fprintf(stderr, "%s:%d: CHECK failed: %s == %s (\"%s\" != \"%s\")\n",     \
				__FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			check_fail_where();                                                  \
		}                                                                            \
	} while (0)

static inline int check_done(void)
{
	if (check_failures)
		fprintf(stderr, "%d check(s) failed\n", check_failures);
	return check_failures ? 1 : 0;
}

#endif
