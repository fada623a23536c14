// SPDX-License-Identifier: MIT
/* pycode: CPython objects decoded from bytes (see pycode.h). */
#include <errno.h>
#include <string.h>

#include "pycode.h"

static uint64_t get_u64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int32_t get_i32(const uint8_t *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

int pycode__parse(const struct py_layout *l, const uint8_t *buf, size_t len, struct py_code *ret)
{
	uint64_t n;

	if (len < l->code_size)
		return -EINVAL;
	n = get_u64(buf + l->code_ob_size);
	if (n > UINT32_MAX)
		return -EINVAL;
	ret->ncodeunits = (uint32_t)n;
	ret->filename = get_u64(buf + l->code_filename);
	ret->qualname = get_u64(buf + l->code_qualname);
	ret->linetable = get_u64(buf + l->code_linetable);
	ret->firstlineno = get_i32(buf + l->code_firstlineno);
	return 0;
}

int pycode__str(const struct py_layout *l, const uint8_t *hdr, size_t len, uint32_t max_chars,
		struct py_str *ret)
{
	uint8_t state, kind;
	uint64_t n;

	if (len < l->str_header)
		return -EINVAL;
	state = hdr[l->str_state];
	kind = state >> 2 & 7;
	n = get_u64(hdr + l->str_length);
	/* compact only: a code object's names always are */
	if (!(state >> 5 & 1) || (kind != 1 && kind != 2 && kind != 4) || n > max_chars)
		return -EINVAL;
	ret->ascii = state >> 6 & 1;
	if (ret->ascii && kind != 1)
		return -EINVAL;
	ret->width = kind;
	ret->length = (uint32_t)n;
	ret->data_off = ret->ascii ? l->str_ascii_data : l->str_data;
	return 0;
}

static size_t put_utf8(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xe0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3f));
	out[2] = (char)(0x80 | (c >> 6 & 0x3f));
	out[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

size_t pycode__str_utf8(const struct py_str *s, const uint8_t *data, size_t len, char *out,
			size_t cap)
{
	size_t n = 0;

	for (uint32_t i = 0; i < s->length && (size_t)(i + 1) * s->width <= len; i++) {
		const uint8_t *p = data + (size_t)i * s->width;
		uint32_t c = s->width == 1   ? p[0]
			     : s->width == 2 ? (uint32_t)(p[0] | p[1] << 8)
					     : (uint32_t)get_i32(p);
		char tmp[4];
		size_t k;

		/* NUL (it would cut the name), a lone surrogate or a code point past Unicode is
		 * shown as U+FFFD */
		if (!c || (c >= 0xd800 && c < 0xe000) || c > 0x10ffff)
			c = 0xfffd;
		k = put_utf8(c, tmp);
		if (n + k >= cap)
			break;
		memcpy(out + n, tmp, k);
		n += k;
	}
	out[n] = '\0';
	return n;
}

int pycode__bytes_len(const struct py_layout *l, const uint8_t *hdr, size_t len, uint64_t *ret_len)
{
	uint64_t n;

	if (len < l->bytes_header)
		return -EINVAL;
	n = get_u64(hdr + l->bytes_size);
	if (n > INT64_MAX)
		return -EINVAL;
	*ret_len = n;
	return 0;
}

/* Location-table integers: 6 bits a byte, bit 6 says another follows (never bit 7: that
 * starts the next entry). */
static int read_varint(const uint8_t *t, size_t len, size_t *i, uint32_t *ret)
{
	uint32_t v = 0;

	for (unsigned int shift = 0; shift < 32; shift += 6) {
		uint8_t b;

		if (*i >= len || t[*i] & 0x80)
			return -EINVAL;
		b = t[(*i)++];
		v |= (uint32_t)(b & 63) << shift;
		if (!(b & 64)) {
			*ret = v;
			return 0;
		}
	}
	return -EINVAL;
}

static int read_svarint(const uint8_t *t, size_t len, size_t *i, int32_t *ret)
{
	uint32_t u;

	if (read_varint(t, len, i, &u))
		return -EINVAL;
	*ret = u & 1 ? -(int32_t)(u >> 1) : (int32_t)(u >> 1);
	return 0;
}

int pycode__line(const uint8_t *table, size_t len, int32_t firstlineno, uint32_t lasti,
		 int32_t *ret_line)
{
	int64_t line = firstlineno;
	uint64_t addr = 0;
	size_t i = 0;

	while (i < len) {
		uint8_t b = table[i++];
		uint32_t code = b >> 3 & 15, length = (b & 7) + 1, skip;
		int32_t delta = 0;
		int none = 0;

		if (!(b & 0x80))
			return -EINVAL;
		switch (code) {
		case 15: /* no location */
			none = 1;
			break;
		case 14: /* long form: line delta, end line delta, column, end column */
			if (read_svarint(table, len, &i, &delta) ||
			    read_varint(table, len, &i, &skip) ||
			    read_varint(table, len, &i, &skip) ||
			    read_varint(table, len, &i, &skip))
				return -EINVAL;
			break;
		case 13: /* no columns */
			if (read_svarint(table, len, &i, &delta))
				return -EINVAL;
			break;
		case 10:
		case 11:
		case 12: /* one line: the delta is in the code, then start and end column */
			delta = (int32_t)code - 10;
			i += 2;
			break;
		default: /* short form: same line, one byte of columns */
			i += 1;
			break;
		}
		if (i > len)
			return -EINVAL;
		line += delta;
		if (line < INT32_MIN || line > INT32_MAX)
			return -EINVAL;
		if (lasti < addr + length) {
			*ret_line = none ? -1 : (int32_t)line;
			return 0;
		}
		addr += length;
	}
	return -ENOENT;
}
