// SPDX-License-Identifier: MIT
/*
 * perfframe: one perf script frame line ("\tADDR SYM+0xOFF (DSO)") split and named as
 * stackcollapse-perf.pl names it (see perfscript.h: perfscript__frame_name()).
 */
#include <stdint.h>
#include <string.h>

#include "perfscript.h"
#include "perftext.h"
#include "trie.h"

/* Addresses at or above this are kernel text on every 64-bit architecture perf supports. */
#define KERNEL_ADDR_MIN 0xffff800000000000ull

/*
 * Splits a frame line into address, symbol and dso. False when it is not a frame line: an
 * indented hex address, then anything; or unindented, then with a " (dso)".
 */
static bool parse_frame(const char *line, size_t len, uint64_t *ret_addr, struct span *ret_sym,
			struct span *ret_dso)
{
	size_t i = 0, start, j;
	uint64_t addr = 0;
	const char *r;
	size_t rlen;
	int depth = 0;

	bool indented;

	len = trim_end(line, len);
	/* perf pads addresses to 16 columns with spaces: skip them a word at a time */
	if (len > 9 && line[0] == '\t') {
		uint64_t w;

		for (i = 1; i + 8 <= len; i += 8) {
			memcpy(&w, line + i, 8);
			if (w != 0x2020202020202020ull)
				break;
		}
	}
	while (i < len && is_blank(line[i]))
		i++;
	indented = i > 0;
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
		return indented;
	/* The dso is the last balanced "(...)" preceded by a space: "foo(int) (/lib/x.so)". Most
	 * dsos hold no parenthesis: the last '(' then opens it. */
	{
		const char *open = memrchr(r, '(', rlen - 1);

		j = open ? (size_t)(open - r) : 0;
		if (open && !memchr(open + 1, ')', rlen - 2 - j) && (j == 0 || is_blank(r[j - 1]))) {
			*ret_dso = (struct span){ r + j + 1, rlen - j - 2 };
			*ret_sym = (struct span){ r, trim_end(r, j) };
			return true;
		}
	}
	for (j = rlen; j-- > 0;) {
		if (r[j] == ')') {
			depth++;
		} else if (r[j] == '(' && --depth == 0) {
			if (j == 0 || is_blank(r[j - 1])) {
				*ret_dso = (struct span){ r + j + 1, rlen - j - 2 };
				*ret_sym = (struct span){ r, trim_end(r, j) };
				return true;
			}
			break;
		}
	}
	/* Old perf versions print frames unindented: only with a dso is that one. */
	return indented;
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

/* The first lit in a (memchr for its first byte: this runs on every frame of a file). */
static const char *find(struct span a, const char *lit)
{
	size_t n = strlen(lit);
	const char *p = a.s, *end = a.s + a.len;

	while ((size_t)(end - p) >= n && (p = memchr(p, lit[0], (size_t)(end - p) - n + 1))) {
		if (!memcmp(p + 1, lit + 1, n - 1))
			return p;
		p++;
	}
	return NULL;
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

/* A name being written: what fits in buf, the length it would have in full. */
struct out {
	char *buf;
	size_t cap, len;
};

/* Appends s, turning ';' (it separates folded frames) into ':' and dropping quotes. */
static void put(struct out *o, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\'')
			continue;
		if (o->len < o->cap)
			o->buf[o->len] = s[i] == ';' ? ':' : s[i];
		o->len++;
	}
}

/*
 * The argument lists and other noise go: everything from the first '(' on, except an
 * "(anonymous namespace)" and names that look like Go methods ("net/http.(*Client).Do").
 */
static size_t cut_args(struct span x)
{
	const char *dot = find(x, ".("), *close;
	size_t i;

	if (dot) {
		struct span rest = { dot + 2, x.len - (size_t)(dot + 2 - x.s) };

		close = find(rest, ").");
		if (close)
			return x.len;
	}
	for (i = 0; i < x.len; i++) {
		struct span at = { x.s + i, x.len - i };

		/* the script keeps the blank before the '(' ("StubRoutines (1)" gives
		 * "StubRoutines "), which folded readers (this one too) trim */
		if (x.s[i] == '(' && !span_starts(at, "(anonymous namespace)"))
			return trim_end(x.s, i);
	}
	return x.len;
}

static struct span basename_of(struct span path)
{
	const char *base = path.s, *slash;

	while ((slash = memchr(base, '/', path.len - (size_t)(base - path.s))))
		base = slash + 1;
	return (struct span){ base, path.len - (size_t)(base - path.s) };
}

/* A symbol's name as the script tidies it: no arguments, no quotes, ':' for ';', and with
 * `java` Java's "Lorg/foo/Bar;.baz(I)V" as "org/foo/Bar:.baz". */
static void put_symbol(struct out *o, struct span x, bool java)
{
	x.len = cut_args(x);
	if (java && x.len > 0 && x.s[0] == 'L' && memchr(x.s, '/', x.len)) {
		x.s++;
		x.len--;
	}
	put(o, x.s, x.len);
}

/* One frame of an inline chain ("a->b->c"), the index-th from the outermost. */
static void put_piece(struct out *o, struct span x, struct span dso, bool java, size_t index)
{
	size_t n;

	if (span_is(x, "[unknown]") || x.len == 0) {
		if (dso.len == 0 || span_is(dso, "[unknown]")) {
			put(o, "[unknown]", 9);
			return;
		}
		/* name the binary that lacks symbols: "[dash]", "[[kernel.kallsyms]]" */
		x = basename_of(dso);
		n = cut_args(x);
		put(o, "[", 1);
		put(o, x.s, n);
		if (n == x.len)
			put(o, "]", 1);
		return;
	}
	put_symbol(o, x, java);
	if (index > 0 && !find(x, "_[i]"))
		put(o, "_[i]", 4);
}

size_t perfscript__tidy(const char *sym, size_t len, bool java, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0 };

	put_symbol(&o, (struct span){ sym, len }, java);
	return o.len;
}

long perfscript__frame_name(const char *line, size_t len, bool java, char *buf, size_t cap,
			    int *ret_kind)
{
	return perfscript__frame_name_at(line, len, java, buf, cap, ret_kind, NULL);
}

/* A user binary's file: an absolute path, not a perf map, not the kernel's. */
static bool is_file_dso(struct span dso, uint64_t addr)
{
	return dso.len > 1 && dso.len < 4096 && dso.s[0] == '/' && addr < KERNEL_ADDR_MIN &&
	       !is_jit_dso(dso) && !is_kernel_dso(dso) && !memchr(dso.s, '\0', dso.len);
}

long perfscript__frame_name_at(const char *line, size_t len, bool java, char *buf, size_t cap,
			       int *ret_kind, struct perfscript_where *ret_where)
{
	struct out o = { buf, cap, 0 };
	struct span sym, dso, rest;
	size_t index = 0;
	uint64_t addr;

	if (!parse_frame(line, len, &addr, &sym, &dso))
		return -1;
	if (ret_where) {
		bool file = is_file_dso(dso, addr);

		*ret_where = (struct perfscript_where){ file ? dso.s : NULL, file ? dso.len : 0,
							addr };
	}
	sym.len = trim_end(sym.s, strip_offset(sym));
	if (sym.len == 0 || span_is(sym, "[unknown]"))
		*ret_kind = FRAME_UNKNOWN;
	else if (is_jit_dso(dso))
		*ret_kind = FRAME_JIT;
	else if (addr >= KERNEL_ADDR_MIN || is_kernel_dso(dso))
		*ret_kind = FRAME_KERNEL;
	else
		*ret_kind = FRAME_USER;
	if (sym.len > 0 && sym.s[0] == '(')
		return 0; /* stackcollapse-perf.pl skips these (process names, it says) */
	if (sym.len == 0) {
		put_piece(&o, sym, dso, java, 0);
		return (long)o.len;
	}
	for (rest = sym;;) {
		const char *arrow = find(rest, "->");
		struct span x = { rest.s, arrow ? (size_t)(arrow - rest.s) : rest.len };

		if (x.len > 0) {
			if (index > 0) {
				if (o.len < o.cap)
					o.buf[o.len] = ';';
				o.len++;
			}
			put_piece(&o, x, dso, java, index++);
		}
		if (!arrow)
			break;
		rest.len -= x.len + 2;
		rest.s = arrow + 2;
	}
	return (long)o.len;
}

/* The binary a frame line names in its "(dso)": "[kernel]" for the kernel, a kernel module's
 * name, "[jit]" for a perf map, else the file's basename; TRIE_MODULE_NONE when it has none. */
uint16_t perfscript__frame_module(struct trie *t, const char *line, size_t len)
{
	struct span sym, dso;
	uint64_t addr;

	if (!parse_frame(line, len, &addr, &sym, &dso))
		return TRIE_MODULE_NONE;
	if (is_jit_dso(dso))
		return trie__module_intern(t, "[jit]", 5);
	if (span_starts(dso, "[kernel.") || (addr >= KERNEL_ADDR_MIN && !dso.len))
		return trie__module_intern(t, "[kernel]", 8);
	if (dso.len > 2 && dso.s[0] == '[' && dso.s[dso.len - 1] == ']' && is_kernel_dso(dso))
		return trie__module_intern(t, dso.s + 1, dso.len - 2); /* "[xfs]" */
	if (!dso.len || span_is(dso, "[unknown]"))
		return TRIE_MODULE_NONE;
	if (span_starts(dso, "/lib/modules/")) {
		/* a module's file: its name, as perf's "[ext4]" and the live view give it */
		const char *ko;

		dso = basename_of(dso);
		ko = find(dso, ".ko");
		if (ko && ko > dso.s)
			dso.len = (size_t)(ko - dso.s);
		return trie__module_intern(t, dso.s, dso.len);
	}
	dso = basename_of(dso);
	return trie__module_intern(t, dso.s, dso.len);
}
