/* SPDX-License-Identifier: MIT */
/*
 * pycode: CPython's objects as bytes, decoded without touching the process (pure, so unit
 * tests and the fuzzer drive it): a code object's fields, a str's header and characters, a
 * bytes object's header, and the 3.11 location table (Objects/locations.md) that maps an
 * instruction offset to a line. Every input is hostile: lengths are bounded by the caller's
 * buffers, malformed tables end in an error, never a read past the end.
 */
#ifndef FLAMETUI_PYCODE_H
#define FLAMETUI_PYCODE_H

#include <stddef.h>
#include <stdint.h>

#include "pyoffsets.h"

struct py_code {
	uint64_t filename, qualname, linetable; /* object addresses in the process */
	int32_t firstlineno;
	uint32_t ncodeunits; /* instructions (ob_size) */
};

/* The fields of a code object read as len bytes (at least l->code_size). 0 or -EINVAL. */
int pycode__parse(const struct py_layout *l, const uint8_t *buf, size_t len, struct py_code *ret);

struct py_str {
	uint32_t data_off; /* where the characters start, from the object's address */
	uint32_t length;   /* characters */
	uint8_t width;	   /* bytes per character: 1, 2 or 4 */
	uint8_t ascii;
};

/* A compact str's header (len >= l->str_header bytes). 0, or -EINVAL for anything else
 * (legacy strings, bad kinds, lengths above max_chars). */
int pycode__str(const struct py_layout *l, const uint8_t *hdr, size_t len, uint32_t max_chars,
		struct py_str *ret);
/* The characters (s->length * s->width bytes at data) as UTF-8 into out (cap > 0, always
 * NUL-terminated; NUL, surrogates and non-characters become U+FFFD); characters that do not
 * fit are left out. Returns the bytes written. */
size_t pycode__str_utf8(const struct py_str *s, const uint8_t *data, size_t len, char *out,
			size_t cap);

/* A bytes object's length from its header (len >= l->bytes_header). 0 or -EINVAL. */
int pycode__bytes_len(const struct py_layout *l, const uint8_t *hdr, size_t len, uint64_t *ret_len);

/*
 * The line of instruction `lasti` (code units) from a 3.11 location table: 0 and the line, or
 * -1 in *ret_line when the table says the instruction has no line; -ENOENT when the table ends
 * first, -EINVAL when it is malformed.
 */
int pycode__line(const uint8_t *table, size_t len, int32_t firstlineno, uint32_t lasti,
		 int32_t *ret_line);

#endif
