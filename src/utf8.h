/* SPDX-License-Identifier: MIT */
/*
 * UTF-8 for text that reaches a terminal: a strict decoder, an encoder, and the one policy for
 * which code points are harmless to show as they are. Everything else a profile's names or an
 * input line may hold (controls, bidi overrides, zero-width and separator characters, invalid
 * bytes) is for the caller to escape.
 */
#ifndef FLAMETUI_UTF8_H
#define FLAMETUI_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest encoding of one code point. */
#define UTF8_MAX 4

/* Decodes one sequence at s (len > 0 bytes): its length, with the code point in *ret_cp, or 0
 * for an invalid one (a stray continuation byte, overlong forms, surrogates, beyond U+10FFFF,
 * cut short by len). */
size_t utf8__decode(const unsigned char *s, size_t len, uint32_t *ret_cp);
/* Writes cp (at most U+10FFFF) as UTF-8 into out (UTF8_MAX bytes); returns the length. */
size_t utf8__encode(uint32_t cp, char *out);
/* Printable as it is: not a C0/C1 control or DEL, bidi control, zero-width or line/paragraph
 * separator, soft hyphen or byte-order mark. Whether the terminal has a glyph is wcwidth's
 * question, not this one. */
bool utf8__harmless(uint32_t cp);
/* The length of s (len bytes) without its last character (continuation bytes and all). */
size_t utf8__drop_last(const char *s, size_t len);

#endif
