/* SPDX-License-Identifier: MIT */
/* Text helpers shared by the perf script parser (perfscript.c) and its frame namer
 * (perfframe.c). Private to src/formats. */
#ifndef FLAMETUI_FORMATS_PERFTEXT_H
#define FLAMETUI_FORMATS_PERFTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct span {
	const char *s;
	size_t len;
};

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline size_t trim_end(const char *s, size_t len)
{
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return len;
}

static inline bool span_is(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len == n && !memcmp(a.s, lit, n);
}

static inline bool span_starts(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len >= n && !memcmp(a.s, lit, n);
}

static inline size_t digits(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

#endif
