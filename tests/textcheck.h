/* SPDX-License-Identifier: MIT */
/*
 * Checks on text that a writer produced from hostile names, shared by the export tests and
 * the export fuzz target: well-formed UTF-8 (no overlong two-byte forms), and no control byte
 * but the newline. Written independently of src/utf8.c so the product is not its own judge.
 */
#ifndef FT_TESTS_TEXTCHECK_H
#define FT_TESTS_TEXTCHECK_H

#include <stdbool.h>
#include <stddef.h>

static inline bool valid_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = s[i] < 0x80		   ? 1
			   : (s[i] & 0xe0) == 0xc0 ? 2
			   : (s[i] & 0xf0) == 0xe0 ? 3
			   : (s[i] & 0xf8) == 0xf0 ? 4
						   : 0;

		if (!n || i + n > len || (n == 2 && s[i] < 0xc2))
			return false;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

static inline bool has_control(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
			return true;
	return false;
}

#endif
