/* SPDX-License-Identifier: MIT */
/*
 * perfscript: collapses `perf script` text into the trie line by line, in place. Headers come
 * in many shapes (-F picks the fields; the comm may contain spaces and digits), so the comm is
 * found by locating the first field that can only follow it: "pid/tid", or a pid followed by
 * "[cpu]", a time, an event, or the end of the line.
 */
#include "perfscript.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timeline.h"
#include "trie.h"

/* Addresses at or above this are kernel text on every 64-bit architecture perf supports. */
#define KERNEL_ADDR_MIN 0xffff800000000000ull

struct span {
	const char *s;
	size_t len;
};

struct perfscript_parser {
	struct trie *t;	 /* borrowed */
	uint32_t *ids;	 /* owned: [0] is the comm, then frames innermost first */
	size_t n, cap;	 /* n counts ids[0] */
	bool open;	 /* a sample is being collected */
	bool has_comm;
	char *name;	 /* owned scratch for normalised names */
	size_t name_cap;
	size_t samples;
	const char *why;
	struct timeline *tl; /* borrowed, may be NULL */
	uint64_t ns;	     /* the open sample's time */
	bool has_time;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static size_t trim_end(const char *s, size_t len)
{
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	return len;
}

static bool span_is(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len == n && !memcmp(a.s, lit, n);
}

static bool span_starts(struct span a, const char *lit)
{
	size_t n = strlen(lit);

	return a.len >= n && !memcmp(a.s, lit, n);
}

static bool next_token(const char *s, size_t len, size_t *pos, struct span *tok)
{
	size_t i = *pos, start;

	while (i < len && is_blank(s[i]))
		i++;
	if (i >= len)
		return false;
	start = i;
	while (i < len && !is_blank(s[i]))
		i++;
	tok->s = s + start;
	tok->len = i - start;
	*pos = i;
	return true;
}

static size_t digits(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && is_digit(s[i]))
		i++;
	return i;
}

static bool tok_digits(struct span t)
{
	return t.len > 0 && digits(t.s, t.len) == t.len;
}

static bool tok_pidtid(struct span t)
{
	size_t a = digits(t.s, t.len);

	return a > 0 && a + 1 < t.len && t.s[a] == '/' &&
	       digits(t.s + a + 1, t.len - a - 1) == t.len - a - 1;
}

static bool tok_cpu(struct span t)
{
	return t.len >= 3 && t.s[0] == '[' && t.s[t.len - 1] == ']' &&
	       digits(t.s + 1, t.len - 2) == t.len - 2;
}

/* "2048.841723:" (the colon is absent in a few -F combinations). */
static bool tok_time(struct span t)
{
	size_t a = digits(t.s, t.len), len = t.len;

	if (len > 0 && t.s[len - 1] == ':')
		len--;
	return a > 0 && a + 1 < len && t.s[a] == '.' && digits(t.s + a + 1, len - a - 1) == len - a - 1;
}

static bool tok_event(struct span t)
{
	return t.len > 1 && t.s[t.len - 1] == ':';
}

void perfscript__header_comm(const char *line, size_t len, size_t *ret_off, size_t *ret_len)
{
	struct span tok, first, next;
	size_t pos = 0, end, peek;

	len = trim_end(line, len);
	if (!next_token(line, len, &pos, &first)) {
		*ret_off = 0;
		*ret_len = 0;
		return;
	}
	end = pos;
	while (next_token(line, len, &pos, &tok)) {
		if (tok_pidtid(tok) || tok_cpu(tok) || tok_time(tok) || tok_event(tok))
			break;
		if (tok_digits(tok)) {
			peek = pos;
			if (!next_token(line, len, &peek, &next) || tok_cpu(next) || tok_time(next) ||
			    tok_event(next))
				break;
			/* "comm pid period event:" (-F comm,tid,period,event) */
			if (tok_digits(next) && next_token(line, len, &peek, &next) && tok_event(next))
				break;
		}
		end = pos;
	}
	*ret_off = (size_t)(first.s - line);
	*ret_len = end - *ret_off;
}

bool perfscript__looks_like_header(const char *line, size_t len)
{
	struct span tok;
	size_t pos = 0;

	len = trim_end(line, len);
	if (len == 0 || line[0] == '\t' || !next_token(line, len, &pos, &tok))
		return false;
	while (next_token(line, len, &pos, &tok))
		if (tok_pidtid(tok) || tok_cpu(tok) || tok_time(tok))
			return true;
	return false;
}

/* Splits a frame line into address, symbol and dso. False when it is not a frame line. */
static bool parse_frame(const char *line, size_t len, uint64_t *ret_addr, struct span *ret_sym,
			struct span *ret_dso)
{
	size_t i = 0, start, j;
	uint64_t addr = 0;
	const char *r;
	size_t rlen;
	int depth = 0;

	len = trim_end(line, len);
	while (i < len && is_blank(line[i]))
		i++;
	if (i == 0)
		return false;
	start = i;
	while (i < len && is_xdigit(line[i])) {
		char c = line[i] | 0x20;

		addr = addr << 4 | (uint64_t)(is_digit(c) ? c - '0' : c - 'a' + 10);
		i++;
	}
	if (i == start || i - start > 16 || (i < len && !is_blank(line[i])))
		return false;
	while (i < len && is_blank(line[i]))
		i++;
	r = line + i;
	rlen = len - i;
	*ret_addr = addr;
	*ret_sym = (struct span){ r, rlen };
	*ret_dso = (struct span){ r + rlen, 0 };
	if (rlen == 0 || r[rlen - 1] != ')')
		return true;
	/* The dso is the last balanced "(...)" preceded by a space: "foo(int) (/lib/x.so)". */
	for (j = rlen; j-- > 0;) {
		if (r[j] == ')') {
			depth++;
		} else if (r[j] == '(' && --depth == 0) {
			if (j == 0 || is_blank(r[j - 1])) {
				*ret_dso = (struct span){ r + j + 1, rlen - j - 2 };
				*ret_sym = (struct span){ r, trim_end(r, j) };
			}
			break;
		}
	}
	return true;
}

bool perfscript__looks_like_frame(const char *line, size_t len)
{
	struct span sym, dso;
	uint64_t addr;

	return parse_frame(line, len, &addr, &sym, &dso);
}

/* Drops a "+0x1a" symbol offset. */
static size_t strip_offset(struct span s)
{
	size_t i = s.len;

	while (i > 0 && is_xdigit(s.s[i - 1]))
		i--;
	if (i < s.len && i >= 3 && s.s[i - 1] == 'x' && s.s[i - 2] == '0' && s.s[i - 3] == '+')
		return i - 3;
	return s.len;
}

static bool ends_with(const char *s, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	return len >= n && !memcmp(s + len - n, lit, n);
}

/*
 * Drops a trailing argument list: "ns::foo(int, char*) const" -> "ns::foo". The "()" of
 * "operator()" is the name itself, not arguments, so "S::operator()(int)" -> "S::operator()".
 */
static size_t strip_args(const char *s, size_t len)
{
	size_t e = len, j;
	int depth = 0;

	if (ends_with(s, e, " const"))
		e -= 6;
	if (e == 0 || s[e - 1] != ')')
		return len;
	for (j = e; j-- > 0;) {
		if (s[j] == ')') {
			depth++;
		} else if (s[j] == '(' && --depth == 0) {
			if (j == 0 || ends_with(s, j, "operator"))
				return len;
			return trim_end(s, j);
		}
	}
	return len;
}

static bool is_jit_dso(struct span dso)
{
	const char *base = dso.s, *slash;
	size_t n;

	while ((slash = memchr(base, '/', dso.len - (size_t)(base - dso.s))))
		base = slash + 1;
	n = dso.len - (size_t)(base - dso.s);
	if (n < 10 || memcmp(base, "perf-", 5) || memcmp(base + n - 4, ".map", 4))
		return false;
	return digits(base + 5, n - 9) == n - 9;
}

static bool is_kernel_dso(struct span dso)
{
	static const char *const user[] = { "[unknown]", "[vdso]",  "[vsyscall]", "[vectors]",
					    "[heap]",	 "[stack]", "[uprobes]",  "[sigpage]",
					    "[vvar]",	 "[vdso32]", "[vdso64]" };

	if (span_starts(dso, "[kernel.") || span_starts(dso, "[guest.kernel") ||
	    span_starts(dso, "/lib/modules/") || ends_with(dso.s, dso.len, "vmlinux"))
		return true;
	if (dso.len < 3 || dso.s[0] != '[' || dso.s[dso.len - 1] != ']' ||
	    span_starts(dso, "[anon"))
		return false;
	for (size_t i = 0; i < sizeof(user) / sizeof(user[0]); i++)
		if (span_is(dso, user[i]))
			return false;
	return true; /* a module: "[xfs]" */
}

/* Copies s into buf (up to cap), turning ';' into ':'; returns the full length. */
static size_t put(char *buf, size_t cap, size_t at, const char *s, size_t len)
{
	for (size_t i = 0; i < len && at + i < cap; i++)
		buf[at + i] = s[i] == ';' ? ':' : s[i];
	return at + len;
}

long perfscript__frame_name(const char *line, size_t len, char *buf, size_t cap, int *ret_kind)
{
	struct span sym, dso;
	uint64_t addr;
	size_t n;

	if (!parse_frame(line, len, &addr, &sym, &dso))
		return -1;
	sym.len = trim_end(sym.s, strip_offset(sym));
	if (sym.len == 0 || span_is(sym, "[unknown]")) {
		const char *base = dso.s, *slash;

		*ret_kind = FRAME_UNKNOWN;
		if (dso.len == 0 || span_is(dso, "[unknown]"))
			return (long)put(buf, cap, 0, "[unknown]", 9);
		/* stackcollapse-perf.pl's habit: name the binary that lacks symbols. */
		while ((slash = memchr(base, '/', dso.len - (size_t)(base - dso.s))))
			base = slash + 1;
		n = dso.len - (size_t)(base - dso.s);
		if (n > 0 && base[0] == '[')
			return (long)put(buf, cap, 0, base, n);
		n = put(buf, cap, put(buf, cap, 0, "[", 1), base, n);
		return (long)put(buf, cap, n, "]", 1);
	}
	if (is_jit_dso(dso))
		*ret_kind = FRAME_JIT;
	else if (addr >= KERNEL_ADDR_MIN || is_kernel_dso(dso))
		*ret_kind = FRAME_KERNEL;
	else
		*ret_kind = FRAME_USER;
	return (long)put(buf, cap, 0, sym.s, strip_args(sym.s, sym.len));
}

struct perfscript_parser *perfscript_parser__new(struct trie *t)
{
	struct perfscript_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->t = t;
	p->cap = 128;
	p->ids = malloc(p->cap * sizeof(*p->ids));
	if (!p->ids) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->n = 1; /* ids[0] is reserved for the comm */
	return p;
}

struct perfscript_parser *perfscript_parser__free(struct perfscript_parser *p)
{
	if (!p)
		return NULL;
	free(p->ids);
	free(p->name);
	free(p);
	return NULL;
}

const char *perfscript_parser__why(const struct perfscript_parser *p)
{
	return p->why ? p->why : "malformed line";
}

size_t perfscript_parser__samples(const struct perfscript_parser *p)
{
	return p->samples;
}

static int push(struct perfscript_parser *p, uint32_t id)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 128;
		uint32_t *ids = realloc(p->ids, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		p->ids = ids;
		p->cap = cap;
	}
	p->ids[p->n++] = id;
	return 0;
}

static int flush(struct perfscript_parser *p)
{
	size_t i, j;
	int err;

	if (!p->open)
		return 0;
	/* Frames came innermost first; the trie wants the root first. */
	for (i = 1, j = p->n - 1; i < j; i++, j--) {
		uint32_t tmp = p->ids[i];

		p->ids[i] = p->ids[j];
		p->ids[j] = tmp;
	}
	if (trie__total(p->t) == UINT64_MAX) {
		p->why = "sample counts overflow";
		return -EOVERFLOW;
	}
	if (p->has_comm)
		err = trie__add(p->t, p->ids, p->n, 1);
	else
		err = trie__add(p->t, p->ids + 1, p->n - 1, 1);
	if (!err && p->tl && p->has_time) {
		uint32_t id = p->has_comm ? timeline__stack_id(p->tl, p->ids, p->n) :
					    timeline__stack_id(p->tl, p->ids + 1, p->n - 1);

		err = id == TIMELINE_NO_STACK ? -ENOMEM : timeline__add(p->tl, p->ns, id);
	}
	if (err)
		return err;
	p->has_time = false;
	p->samples++;
	p->open = false;
	p->has_comm = false;
	p->n = 1;
	return 0;
}

/* Makes the name scratch buffer at least `need` bytes. */
static int scratch(struct perfscript_parser *p, size_t need)
{
	char *name;
	size_t cap = p->name_cap ? p->name_cap : 256;

	if (need <= p->name_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	name = realloc(p->name, cap);
	if (!name)
		return -ENOMEM;
	p->name = name;
	p->name_cap = cap;
	return 0;
}

void perfscript_parser__set_timeline(struct perfscript_parser *p, struct timeline *tl)
{
	p->tl = tl;
}

/* The first "SECONDS.FRACTION:" field after the comm, in ns. */
static bool header_time(const char *line, size_t len, size_t from, uint64_t *ret_ns)
{
	struct span tok;
	size_t pos = from;

	len = trim_end(line, len);
	while (next_token(line, len, &pos, &tok)) {
		uint64_t sec = 0, frac = 0, scale = TIMELINE_NS;
		size_t i = 0;

		if (!tok_time(tok))
			continue;
		for (; tok.s[i] != '.'; i++) {
			if (sec > UINT64_MAX / 10 / TIMELINE_NS)
				return false;
			sec = sec * 10 + (uint64_t)(tok.s[i] - '0');
		}
		for (i++; i < tok.len && is_digit(tok.s[i]); i++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(tok.s[i] - '0') * scale;
			}
		}
		*ret_ns = sec * TIMELINE_NS + frac;
		return true;
	}
	return false;
}

static int header(struct perfscript_parser *p, const char *line, size_t len)
{
	size_t off, clen;
	uint32_t id;
	int err = flush(p);

	if (err)
		return err;
	perfscript__header_comm(line, len, &off, &clen);
	if (scratch(p, clen + 1))
		return -ENOMEM;
	put(p->name, p->name_cap, 0, line + off, clen);
	id = trie__intern(p->t, p->name, clen, FRAME_ROOT);
	if (id == TRIE_NO_NAME)
		return -ENOMEM;
	p->ids[0] = id;
	p->has_comm = true;
	p->open = true;
	p->has_time = p->tl && header_time(line, len, off + clen, &p->ns);
	return 0;
}

static int frame(struct perfscript_parser *p, const char *line, size_t len)
{
	int kind;
	long n = perfscript__frame_name(line, len, p->name, p->name_cap, &kind);
	uint32_t id;

	if (n >= 0 && (size_t)n > p->name_cap) {
		if (scratch(p, (size_t)n))
			return -ENOMEM;
		n = perfscript__frame_name(line, len, p->name, p->name_cap, &kind);
	}
	id = trie__intern(p->t, p->name ? p->name : "", (size_t)n, (enum frame_kind)kind);
	if (id == TRIE_NO_NAME)
		return -ENOMEM;
	p->open = true;
	return push(p, id);
}

int perfscript_parser__line(struct perfscript_parser *p, const char *line, size_t len)
{
	len = trim_end(line, len);
	if (len == 0)
		return flush(p);
	if (line[0] == '#')
		return 0;
	if (line[0] == '\t') {
		if (perfscript__looks_like_frame(line, len))
			return frame(p, line, len);
		p->why = "not a perf script frame line (\"\\tADDRESS SYMBOL (DSO)\")";
		return -EINVAL;
	}
	if (line[0] != ' ' || perfscript__looks_like_header(line, len))
		return header(p, line, len);
	if (perfscript__looks_like_frame(line, len))
		return frame(p, line, len);
	/* Extra lines perf prints under a frame (srcline, -F +srcline) are indented by spaces. */
	if (p->open && p->n > 1)
		return 0;
	p->why = "not a perf script line";
	return -EINVAL;
}

int perfscript_parser__finish(struct perfscript_parser *p)
{
	return flush(p);
}
