/* SPDX-License-Identifier: MIT */
/*
 * escape: quotes untrusted input lines for error messages. A profile file is hostile: echoing
 * its bytes raw could move the cursor, retitle the terminal or reorder text (bidi controls).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "formats.h"

/* Length of a valid UTF-8 sequence at s (code point in *cp), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v;

	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Printable and harmless: not a C1 control, bidi override, zero-width or line separator. */
static bool harmless(uint32_t cp)
{
	return cp >= 0xa0 && !(cp >= 0x200b && cp <= 0x200f) && !(cp >= 0x2028 && cp <= 0x202e) &&
	       !(cp >= 0x2060 && cp <= 0x206f) && cp != 0xfeff && cp != 0xad;
}

size_t formats__escape(char *dst, size_t cap, const void *src, size_t len, size_t max_chars)
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
			if (s[i] == '"' || s[i] == '\\')
				tmp[n++] = '\\';
			tmp[n++] = (char)s[i];
		} else if (s[i] >= 0x80 && (adv = utf8_seq(s + i, len - i, &cp)) && harmless(cp)) {
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
