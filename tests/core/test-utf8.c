// SPDX-License-Identifier: MIT
/* The UTF-8 module: strict decoding, encoding round trips, the harmless policy. */
#include <string.h>

#include "check.h"
#include "utf8.h"

static size_t dec(const char *s, size_t len, uint32_t *cp)
{
	return utf8__decode((const unsigned char *)s, len, cp);
}

int main(void)
{
	uint32_t cp = 0;
	char out[UTF8_MAX];

	CHECK_EQ_U64(dec("a", 1, &cp), 1);
	CHECK_EQ_U64(cp, 'a');
	CHECK_EQ_U64(dec("\xc3\xa9", 2, &cp), 2);
	CHECK_EQ_U64(cp, 0xe9);
	CHECK_EQ_U64(dec("\xe2\x80\xae", 3, &cp), 3);
	CHECK_EQ_U64(cp, 0x202e);
	CHECK_EQ_U64(dec("\xf0\x9f\x94\xa5", 4, &cp), 4);
	CHECK_EQ_U64(cp, 0x1f525);
	/* invalid: stray continuation, overlong, surrogate, beyond U+10FFFF, cut short */
	CHECK_EQ_U64(dec("\x80", 1, &cp), 0);
	CHECK_EQ_U64(dec("\xc0\xaf", 2, &cp), 0);
	CHECK_EQ_U64(dec("\xe0\x80\xaf", 3, &cp), 0);
	CHECK_EQ_U64(dec("\xed\xa0\x80", 3, &cp), 0);
	CHECK_EQ_U64(dec("\xf4\x90\x80\x80", 4, &cp), 0);
	CHECK_EQ_U64(dec("\xe2\x80\xae", 2, &cp), 0);
	CHECK_EQ_U64(dec("\xc3" "a", 2, &cp), 0);

	for (uint32_t c = 1; c <= 0x10ffff; c += (c < 0x1000 ? 1 : 97)) {
		size_t n = utf8__encode(c, out);
		uint32_t back = 0;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		CHECK_EQ_U64(dec(out, n, &back), n);
		CHECK_EQ_U64(back, c);
	}
	CHECK_EQ_U64(utf8__encode(0x10ffff, out), 4);

	CHECK(utf8__harmless('a'));
	CHECK(utf8__harmless(0xe9));
	CHECK(utf8__harmless(0x4e2d));
	CHECK(!utf8__harmless('\n'));
	CHECK(!utf8__harmless(0x1b));
	CHECK(!utf8__harmless(0x7f));
	CHECK(!utf8__harmless(0x9b)); /* C1 CSI */
	CHECK(!utf8__harmless(0x202e)); /* right-to-left override */
	CHECK(!utf8__harmless(0x200b)); /* zero-width space */
	CHECK(!utf8__harmless(0x2028)); /* line separator */
	CHECK(!utf8__harmless(0x2066)); /* left-to-right isolate */
	CHECK(!utf8__harmless(0xfeff));
	CHECK(!utf8__harmless(0xad));

	CHECK_EQ_U64(utf8__drop_last("ab\xc3\xa9", 4), 2);
	CHECK_EQ_U64(utf8__drop_last("ab", 2), 1);
	CHECK_EQ_U64(utf8__drop_last("", 0), 0);
	return check_done();
}
