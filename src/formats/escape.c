/* SPDX-License-Identifier: MIT */
/*
 * escape: quotes untrusted input lines for error messages. A profile file is hostile: echoing
 * its bytes raw could move the cursor, retitle the terminal or reorder text (bidi controls).
 */
#include <stdint.h>
#include <string.h>

#include "formats.h"
#include "utf8.h"

/* The loop behind both: `quote` backslash-escapes '"' and '\\' (for text shown in quotes). */
static size_t escape(char *dst, size_t cap, const void *src, size_t len, size_t max_chars,
		     bool quote)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = src;
	size_t o = 0, i = 0, chars = 0;

	if (cap == 0)
		return 0;
	while (i < len) {
		char tmp[8];
		size_t n = 0, adv = 1;
		uint32_t cp;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			if (quote && (s[i] == '"' || s[i] == '\\'))
				tmp[n++] = '\\';
			tmp[n++] = (char)s[i];
		} else if (s[i] >= 0x80 && (adv = utf8__decode(s + i, len - i, &cp)) &&
			   utf8__harmless(cp)) {
			memcpy(tmp, s + i, adv);
			n = adv;
		} else {
			adv = 1;
			tmp[n++] = '\\';
			tmp[n++] = 'x';
			tmp[n++] = hex[s[i] >> 4];
			tmp[n++] = hex[s[i] & 15];
		}
		/* keep room for "..." and the NUL */
		if (chars == max_chars || o + n + 4 > cap) {
			size_t k = cap - 1 - o < 3 ? cap - 1 - o : 3;

			memcpy(dst + o, "...", k);
			o += k;
			break;
		}
		memcpy(dst + o, tmp, n);
		o += n;
		i += adv;
		chars++;
	}
	dst[o] = '\0';
	return o;
}

size_t formats__escape(char *dst, size_t cap, const void *src, size_t len, size_t max_chars)
{
	return escape(dst, cap, src, len, max_chars, true);
}

size_t formats__sanitize(char *dst, size_t cap, const void *src, size_t len)
{
	return escape(dst, cap, src, len, SIZE_MAX, false);
}

const char *formats__q(const char *s)
{
	static _Thread_local char bufs[8][200 * 4 + 8];
	static _Thread_local unsigned int next;
	char *b = bufs[next++ % 8];

	if (!s)
		s = "";
	formats__escape(b, sizeof(bufs[0]), s, strlen(s), 200);
	return b;
}
