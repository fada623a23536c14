// SPDX-License-Identifier: MIT
/*
 * Rust v0 symbol names ("_R...", RFC 2603), printed as rustc-demangle's alternate form does
 * ({:#}: no crate disambiguators): paths, nested names, impls, generic arguments, types,
 * constants and backrefs. Hostile input is bounded three ways: the output length, the
 * recursion depth, and the parse steps (backrefs may only point backwards, but nested ones
 * could otherwise replay a short input exponentially often). Anything not understood fails,
 * and the caller keeps the raw name. Punycode identifiers are not decoded (they fail).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rustv0.h"

#define RUSTV0_MAX_OUTPUT 4096
#define RUSTV0_MAX_DEPTH 64
#define RUSTV0_MAX_STEPS 20000

struct p {
	const char *s; /* after "_R" */
	size_t len, pos;
	char *out;
	size_t olen;
	int depth;
	unsigned steps;
	bool bad;
};

static void put(struct p *p, const char *s, size_t n)
{
	if (p->bad || n > RUSTV0_MAX_OUTPUT - p->olen) {
		p->bad = true;
		return;
	}
	memcpy(p->out + p->olen, s, n);
	p->olen += n;
}

static void puts_(struct p *p, const char *s)
{
	put(p, s, strlen(s));
}

static void put_u64(struct p *p, uint64_t v)
{
	char buf[24];
	int n = 0;

	do
		buf[sizeof(buf) - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < 20);
	put(p, buf + sizeof(buf) - n, (size_t)n);
}

static char peek(const struct p *p)
{
	return p->pos < p->len ? p->s[p->pos] : '\0';
}

static bool eat(struct p *p, char c)
{
	if (peek(p) != c)
		return false;
	p->pos++;
	return true;
}

/* <base-62-number>: digits then '_'; "_" alone is 0, otherwise the value plus one. */
static uint64_t base62(struct p *p)
{
	uint64_t v = 0;

	if (eat(p, '_'))
		return 0;
	for (;;) {
		char c = peek(p);
		uint64_t d;

		if (c == '_') {
			p->pos++;
			break;
		}
		if (c >= '0' && c <= '9')
			d = (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'z')
			d = (uint64_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'Z')
			d = (uint64_t)(c - 'A' + 36);
		else {
			p->bad = true;
			return 0;
		}
		if (v > (UINT64_MAX - d) / 62) {
			p->bad = true;
			return 0;
		}
		v = v * 62 + d;
		p->pos++;
	}
	if (v == UINT64_MAX) {
		p->bad = true;
		return 0;
	}
	return v + 1;
}

static uint64_t decimal(struct p *p)
{
	uint64_t v = 0;

	if (peek(p) < '0' || peek(p) > '9') {
		p->bad = true;
		return 0;
	}
	if (eat(p, '0'))
		return 0; /* "0" | nonzero {digit}: a following digit is the next token's */
	while (peek(p) >= '0' && peek(p) <= '9') {
		if (v > (UINT64_MAX - 9) / 10) {
			p->bad = true;
			return 0;
		}
		v = v * 10 + (uint64_t)(peek(p) - '0');
		p->pos++;
	}
	return v;
}

/* [s<base-62>]: absent is 0, "s_" is 1, and so on */
static uint64_t disambiguator(struct p *p)
{
	uint64_t v;

	if (!eat(p, 's'))
		return 0;
	v = base62(p);
	if (v == UINT64_MAX)
		p->bad = true;
	return v + 1;
}

/* <undisambiguated-identifier>: the bytes, without printing them. */
static bool ident(struct p *p, const char **ret, size_t *ret_len)
{
	uint64_t n;

	if (peek(p) == 'u') {
		p->bad = true; /* punycode */
		return false;
	}
	n = decimal(p);
	if (p->bad)
		return false;
	eat(p, '_');
	if (n > p->len - p->pos) {
		p->bad = true;
		return false;
	}
	*ret = p->s + p->pos;
	*ret_len = (size_t)n;
	p->pos += (size_t)n;
	return true;
}

static void path(struct p *p, bool in_value);
static void type(struct p *p);
static void konst(struct p *p);

/* Enters one level of recursion; false (and bad) past the bounds. */
static bool enter(struct p *p)
{
	if (p->bad || ++p->depth > RUSTV0_MAX_DEPTH || ++p->steps > RUSTV0_MAX_STEPS) {
		p->bad = true;
		return false;
	}
	return true;
}

/* B<base-62>: runs fn at an earlier position, then comes back. */
static void backref(struct p *p, void (*fn)(struct p *))
{
	size_t at = p->pos - 1, back; /* the 'B' */
	uint64_t i = base62(p);

	if (p->bad || i >= at) {
		p->bad = true;
		return;
	}
	back = p->pos;
	p->pos = (size_t)i;
	fn(p);
	p->pos = back;
}

static void path_type(struct p *p)
{
	path(p, false);
}

static void path_value(struct p *p)
{
	path(p, true);
}

static void generic_args(struct p *p)
{
	bool first = true;

	while (!p->bad && !eat(p, 'E')) {
		if (p->pos >= p->len) {
			p->bad = true;
			return;
		}
		if (!first)
			puts_(p, ", ");
		first = false;
		if (eat(p, 'L')) {
			base62(p);
			puts_(p, "'_");
		} else if (eat(p, 'K')) {
			konst(p);
		} else {
			type(p);
		}
	}
}

static void path(struct p *p, bool in_value)
{
	const char *id;
	size_t n;
	char tag;

	if (!enter(p))
		return;
	tag = peek(p);
	p->pos++;
	switch (tag) {
	case 'C': /* crate root */
		disambiguator(p);
		if (ident(p, &id, &n))
			put(p, id, n);
		break;
	case 'N': { /* nested: namespace, parent, identifier */
		char ns = peek(p);
		uint64_t dis;

		p->pos++;
		if (!((ns >= 'a' && ns <= 'z') || (ns >= 'A' && ns <= 'Z'))) {
			p->bad = true;
			break;
		}
		path(p, in_value);
		dis = disambiguator(p);
		if (!ident(p, &id, &n))
			break;
		if (ns >= 'A' && ns <= 'Z') {
			/* a special namespace: closures ({closure#0}), shims ... */
			puts_(p, "::{");
			puts_(p, ns == 'C' ? "closure" : ns == 'S' ? "shim" : "");
			if (ns != 'C' && ns != 'S')
				put(p, &ns, 1);
			if (n) {
				puts_(p, ":");
				put(p, id, n);
			}
			puts_(p, "#");
			put_u64(p, dis);
			puts_(p, "}");
		} else if (n) {
			puts_(p, "::");
			put(p, id, n);
		}
		break;
	}
	case 'M': /* <T>: the impl's own path is parsed, not printed */
		disambiguator(p);
		{
			size_t olen = p->olen;

			path(p, false);
			p->olen = olen;
		}
		puts_(p, "<");
		type(p);
		puts_(p, ">");
		break;
	case 'X': /* <T as Trait> */
		disambiguator(p);
		{
			size_t olen = p->olen;

			path(p, false);
			p->olen = olen;
		}
		puts_(p, "<");
		type(p);
		puts_(p, " as ");
		path(p, false);
		puts_(p, ">");
		break;
	case 'Y': /* <T as Trait> */
		puts_(p, "<");
		type(p);
		puts_(p, " as ");
		path(p, false);
		puts_(p, ">");
		break;
	case 'I': /* generic arguments */
		path(p, in_value);
		puts_(p, in_value ? "::<" : "<");
		generic_args(p);
		puts_(p, ">");
		break;
	case 'B':
		backref(p, in_value ? path_value : path_type);
		break;
	default:
		p->bad = true;
	}
	p->depth--;
}

static const char *basic(char c)
{
	switch (c) {
	case 'a': return "i8";
	case 'b': return "bool";
	case 'c': return "char";
	case 'd': return "f64";
	case 'e': return "str";
	case 'f': return "f32";
	case 'h': return "u8";
	case 'i': return "isize";
	case 'j': return "usize";
	case 'l': return "i32";
	case 'm': return "u32";
	case 'n': return "i128";
	case 'o': return "u128";
	case 's': return "i16";
	case 't': return "u16";
	case 'u': return "()";
	case 'v': return "...";
	case 'x': return "i64";
	case 'y': return "u64";
	case 'z': return "!";
	case 'p': return "_";
	default: return NULL;
	}
}

static void fn_sig(struct p *p)
{
	bool first = true;

	if (eat(p, 'G'))
		base62(p);
	if (eat(p, 'U'))
		puts_(p, "unsafe ");
	if (eat(p, 'K')) {
		const char *id;
		size_t n;

		puts_(p, "extern \"");
		if (eat(p, 'C'))
			puts_(p, "C");
		else if (ident(p, &id, &n))
			put(p, id, n);
		puts_(p, "\" ");
	}
	puts_(p, "fn(");
	while (!p->bad && !eat(p, 'E')) {
		if (p->pos >= p->len) {
			p->bad = true;
			return;
		}
		if (!first)
			puts_(p, ", ");
		first = false;
		type(p);
	}
	puts_(p, ")");
	if (peek(p) == 'u') {
		p->pos++;
	} else {
		puts_(p, " -> ");
		type(p);
	}
}

static void type(struct p *p)
{
	const char *b;
	char tag;

	if (!enter(p))
		return;
	tag = peek(p);
	if ((b = basic(tag))) {
		p->pos++;
		puts_(p, b);
		p->depth--;
		return;
	}
	p->pos++;
	switch (tag) {
	case 'R':
	case 'Q':
		puts_(p, tag == 'R' ? "&" : "&mut ");
		if (eat(p, 'L'))
			base62(p);
		type(p);
		break;
	case 'P':
	case 'O':
		puts_(p, tag == 'P' ? "*const " : "*mut ");
		type(p);
		break;
	case 'A':
		puts_(p, "[");
		type(p);
		puts_(p, "; ");
		konst(p);
		puts_(p, "]");
		break;
	case 'S':
		puts_(p, "[");
		type(p);
		puts_(p, "]");
		break;
	case 'T': {
		bool first = true;
		unsigned n = 0;

		puts_(p, "(");
		while (!p->bad && !eat(p, 'E')) {
			if (p->pos >= p->len) {
				p->bad = true;
				break;
			}
			if (!first)
				puts_(p, ", ");
			first = false;
			type(p);
			n++;
		}
		puts_(p, n == 1 ? ",)" : ")");
		break;
	}
	case 'F':
		fn_sig(p);
		break;
	case 'D': { /* dyn Trait + ... */
		bool first = true;

		if (eat(p, 'G'))
			base62(p);
		puts_(p, "dyn ");
		while (!p->bad && !eat(p, 'E')) {
			if (p->pos >= p->len) {
				p->bad = true;
				break;
			}
			if (!first)
				puts_(p, " + ");
			first = false;
			path(p, false);
			/* associated types join the trait's generic arguments: Fn<(), Output = ()> */
			for (bool any = false; !p->bad && eat(p, 'p');) {
				const char *id;
				size_t n;

				if (!ident(p, &id, &n))
					break;
				/* reopen the argument list the path (or the last binding) closed */
				if (p->olen && p->out[p->olen - 1] == '>' && (any || p->olen > 1)) {
					p->olen--;
					puts_(p, ", ");
				} else {
					puts_(p, "<");
				}
				any = true;
				put(p, id, n);
				puts_(p, " = ");
				type(p);
				puts_(p, ">");
			}
		}
		if (eat(p, 'L'))
			base62(p);
		else
			p->bad = true;
		break;
	}
	case 'B':
		backref(p, type);
		break;
	default:
		p->pos--;
		path(p, false);
	}
	p->depth--;
}

static void konst(struct p *p)
{
	if (!enter(p))
		return;
	if (eat(p, 'p')) {
		puts_(p, "_");
	} else if (eat(p, 'B')) {
		backref(p, konst);
	} else {
		char t = peek(p);
		bool neg;
		uint64_t v = 0;
		int digits = 0;

		p->pos++;
		if (!basic(t) || t == 'e' || t == 'u' || t == 'v' || t == 'z' || t == 'p') {
			p->bad = true;
			p->depth--;
			return;
		}
		neg = eat(p, 'n');
		while (!p->bad && !eat(p, '_')) {
			char c = peek(p);
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

			if (d < 0 || ++digits > 16) {
				p->bad = true;
				break;
			}
			v = v << 4 | (uint64_t)d;
			p->pos++;
		}
		if (t == 'b') {
			puts_(p, v ? "true" : "false");
		} else if (t == 'c') {
			if (v >= 0x20 && v < 0x7f && v != '\'' && v != '\\') {
				char q[3] = { '\'', (char)v, '\'' };

				put(p, q, 3);
			} else {
				puts_(p, "'\\u{");
				put_u64(p, v); /* decimal: only harmless text reaches the output */
				puts_(p, "}'");
			}
		} else {
			if (neg)
				puts_(p, "-");
			put_u64(p, v);
		}
	}
	p->depth--;
}

char *rustv0__demangle(const char *name, size_t len)
{
	struct p p = { 0 };

	if (len < 3 || strncmp(name, "_R", 2))
		return NULL;
	p.s = name + 2;
	p.len = len - 2;
	p.out = malloc(RUSTV0_MAX_OUTPUT + 1);
	if (!p.out)
		return NULL;
	if (peek(&p) >= '0' && peek(&p) <= '9')
		p.bad = true; /* an encoding version this code does not know */
	path(&p, true);
	/* an instantiating crate may follow (not printed), then a vendor suffix ('.' ...) */
	if (!p.bad && p.pos < p.len && peek(&p) != '.' && peek(&p) != '$') {
		size_t olen = p.olen;

		path(&p, false);
		p.olen = olen;
	}
	if (p.bad || (p.pos < p.len && peek(&p) != '.' && peek(&p) != '$') || !p.olen) {
		free(p.out);
		return NULL;
	}
	p.out[p.olen] = '\0';
	return p.out;
}
