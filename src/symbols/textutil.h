/* SPDX-License-Identifier: MIT */
/* Character helpers shared by the symbol-table text parsers (kallsyms, perf maps) and the
 * symbol ranking (kallsyms, ELF). */
#ifndef FLAMETUI_TEXTUTIL_H
#define FLAMETUI_TEXTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* The value of a hex digit, or -1. */
static inline int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* perf prefers the alias with fewer leading underscores (malloc over __libc_malloc). */
static inline size_t leading_underscores(const char *s)
{
	size_t n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

#endif
