/* SPDX-License-Identifier: MIT */
/*
 * demangle: readable names for C++ and legacy Rust symbols. C++ goes through libiberty's
 * streaming demangler (binutils', the one c++filt and perf use). Legacy Rust symbols are
 * Itanium nested names with a "17h<16 hex>E" hash segment and $..$ escapes; they are decoded
 * here the way rustc-demangle does, because the C++ demangler would keep the hash and the
 * escapes.
 *
 * Not libstdc++'s: GCC 12's copy of the same code (its __cxa_demangle, and libsupc++'s
 * streaming entry) loops forever on an 11-byte name ("_Z1fAsrCi", found by our fuzzer), and a
 * symbol name is the profiled user's to choose. binutils 2.40's fails it at once.
 */
#include "demangle.h"
#include "rustv0.h"

#include <libiberty/demangle.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Mangled names grow with template depth; past this the work is not worth it (hostile or
 * absurd input), and the raw name is shown instead. */
#define DEMANGLE_MAX_INPUT 4096

/* Output past this is useless in a flame graph, and stopping there bounds the work: a few
 * hundred bytes of nested back-references can expand to gigabytes. */
#define DEMANGLE_MAX_OUTPUT (16U << 10)

/* std::string rather than std::basic_string<char, ...>, as __cxa_demangle and perf print */
#define CXX_FLAGS (DMGL_PARAMS | DMGL_ANSI)

struct bounded_out {
	char *buf; /* DEMANGLE_MAX_OUTPUT + 1 bytes */
	size_t len;
	jmp_buf overflow;
};

/* The demangler keeps its state on the stack (no malloc in the callback form), so leaving it
 * with longjmp leaks nothing. */
static void bounded_append(const char *s, size_t len, void *opaque)
{
	struct bounded_out *o = opaque;

	if (len > DEMANGLE_MAX_OUTPUT - o->len)
		longjmp(o->overflow, 1);
	memcpy(o->buf + o->len, s, len);
	o->len += len;
}

static char *cxx_bounded(const char *name)
{
	struct bounded_out o = { 0 };
	char *buf, *out;

	buf = malloc(DEMANGLE_MAX_OUTPUT + 1);
	if (!buf)
		return NULL;
	o.buf = buf;
	if (setjmp(o.overflow)) {
		free(buf);
		return NULL;
	}
	/* 1 on success */
	if (!cplus_demangle_v3_callback(name, CXX_FLAGS, bounded_append, &o) || !o.len) {
		free(buf);
		return NULL;
	}
	buf[o.len] = '\0';
	out = realloc(buf, o.len + 1);
	return out ? out : buf;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int hexval(char c)
{
	return c <= '9' ? c - '0' : c - 'a' + 10;
}

/* The rustc-demangle escapes inside one path segment. */
static const struct {
	const char *code, *text;
} rust_escapes[] = {
	{ "SP", "@" }, { "BP", "*" }, { "RF", "&" }, { "LT", "<" },
	{ "GT", ">" }, { "LP", "(" }, { "RP", ")" }, { "C", "," },
};

/* Appends the decoded segment s[0..len) to out. Never longer than the input: what is not a
 * known escape is copied as written. */
static void rust_segment(const char *s, size_t len, char *out, size_t *olen)
{
	size_t i = 0, j;

	/* a segment that would start with '$' is written with a leading '_' */
	if (len >= 2 && s[0] == '_' && s[1] == '$')
		i = 1;
	while (i < len) {
		if (s[i] == '.') {
			if (i + 1 < len && s[i + 1] == '.') {
				memcpy(out + *olen, "::", 2);
				*olen += 2;
				i += 2;
			} else {
				out[(*olen)++] = '.';
				i++;
			}
		} else if (s[i] == '$') {
			const char *end = memchr(s + i + 1, '$', len - i - 1);
			size_t clen, k;
			bool found = false;

			if (!end) {
				/* not an escape after all: keep the rest as written */
				memcpy(out + *olen, s + i, len - i);
				*olen += len - i;
				break;
			}
			clen = (size_t)(end - (s + i + 1));
			for (k = 0; k < sizeof(rust_escapes) / sizeof(rust_escapes[0]); k++) {
				if (strlen(rust_escapes[k].code) == clen &&
				    !memcmp(rust_escapes[k].code, s + i + 1, clen)) {
					out[(*olen)++] = rust_escapes[k].text[0];
					found = true;
					break;
				}
			}
			if (!found) {
				unsigned int c = 0;

				/* $uXX$: a code point in hex; only printable ASCII is decoded,
				 * anything else stays as written rather than reach a terminal */
				for (j = i + 2; j < i + 1 + clen && is_hex(s[j]); j++)
					c = c * 16 + (unsigned int)hexval(s[j]);
				bool ok = clen >= 2 && clen <= 3 && s[i + 1] == 'u';

				if (ok && j == i + 1 + clen && c >= 0x20 && c < 0x7f) {
					out[(*olen)++] = (char)c;
				} else {
					memcpy(out + *olen, s + i, clen + 2);
					*olen += clen + 2;
				}
			}
			i += clen + 2;
		} else {
			out[(*olen)++] = s[i++];
		}
	}
}

/*
 * "_ZN" { <decimal length> <segment> } "E", where the last segment is "h" and 16 lowercase
 * hex digits; an optional ".suffix" after the E (e.g. ".llvm.123") is dropped. Returns NULL
 * when the name is not of that form (or on allocation failure, where the C++ demangler
 * gets its chance and fails the same way).
 */
static char *rust_legacy(const char *name, size_t len)
{
	const char *p = name + 3, *end = name + len;
	size_t olen = 0, nseg = 0;
	bool hashed = false;
	char *out;

	/* "1a" becomes "a::": at most 3 bytes out per 2 in */
	out = malloc(len * 2 + 3);
	if (!out)
		return NULL;
	while (p < end && *p != 'E') {
		size_t seg = 0;

		if (*p < '1' || *p > '9')
			goto fail;
		while (p < end && *p >= '0' && *p <= '9') {
			seg = seg * 10 + (size_t)(*p++ - '0');
			if (seg > len)
				goto fail;
		}
		if (seg > (size_t)(end - p))
			goto fail;
		if (seg == 17 && p[0] == 'h' && p + seg < end && p[seg] == 'E') {
			size_t k;

			for (k = 1; k < 17 && is_hex(p[k]); k++)
				;
			if (k == 17 && nseg) {
				/* the hash: the name is complete */
				p += seg;
				hashed = true;
				break;
			}
		}
		if (nseg++) {
			memcpy(out + olen, "::", 2);
			olen += 2;
		}
		rust_segment(p, seg, out, &olen);
		p += seg;
	}
	if (!hashed) /* a C++ nested name */
		goto fail;
	p++;
	if (p < end && *p != '.')
		goto fail;
	out[olen] = '\0';
	return out;
fail:
	free(out);
	return NULL;
}

/* name: printable ASCII, NUL-terminated at len */
static char *demangle_plain(const char *name, size_t len)
{
	char *out;

	if (name[1] == 'R')
		return rustv0__demangle(name, len);
	/* strict: only a nested name of plain segments ending in the hash parses as Rust */
	if (!strncmp(name, "_ZN", 3)) {
		out = rust_legacy(name, len);
		if (out)
			return out;
	}
	return cxx_bounded(name);
}

/* name[0, at) demangled, then name[at, len) appended as it is */
static char *demangle_suffixed(const char *name, size_t at, size_t len)
{
	char *head, *d, *out = NULL;
	size_t dlen;

	if (at < 3)
		return NULL;
	head = strndup(name, at);
	if (!head)
		return NULL;
	d = demangle_plain(head, at);
	free(head);
	if (!d)
		return NULL;
	dlen = strlen(d);
	out = dlen + (len - at) > DEMANGLE_MAX_OUTPUT ? NULL : malloc(dlen + (len - at) + 1);
	if (out) {
		memcpy(out, d, dlen);
		memcpy(out + dlen, name + at, len - at);
		out[dlen + (len - at)] = '\0';
	}
	free(d);
	return out;
}

char *demangle(const char *name)
{
	const char *at;
	size_t len, i;

	if (!name || (strncmp(name, "_Z", 2) && strncmp(name, "_R", 2)))
		return NULL;
	len = strnlen(name, DEMANGLE_MAX_INPUT + 1);
	if (len > DEMANGLE_MAX_INPUT)
		return NULL;
	/* mangled names are printable ASCII; anything else is not ours to decode */
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] <= 0x20 || (unsigned char)name[i] >= 0x7f)
			return NULL;
	/* "_ZdlPv@plt", "_Z3foov@@GLIBCXX_3.4": the name before the '@' is demangled and the
	 * suffix kept, as perf prints "operator delete(void*)@plt" (mangled names have no '@') */
	at = memchr(name, '@', len);
	if (at)
		return demangle_suffixed(name, (size_t)(at - name), len);
	return demangle_plain(name, len);
}
