// SPDX-License-Identifier: MIT
/* Folded (collapsed stack) parsing: names, counts, suffixes, comments, errors, odd bytes. */
#include <errno.h>

#include "folded.h"
#include "util.h"

/* Loads s and checks the folded text read back from the trie. */
static void expect(const char *s, const char *want)
{
	struct loaded r = load_str(s);

	CHECK_EQ_U64(r.ret, 0);
	if (r.ret)
		fprintf(stderr, "  error: %s\n", r.err.msg);
	CHECK_STR(r.folded, want);
	free(r.folded);
}

static void expect_error(const char *s, int code, uint64_t line, const char *msg)
{
	struct loaded r = load_str(s);

	CHECK_EQ_U64(r.ret, code);
	CHECK_EQ_U64(r.err.line, line);
	CHECK_STR(r.err.msg, msg);
	free(r.folded);
}

static void test_basic(void)
{
	expect("a;b;c 42\n", "a;b;c 42\n");
	expect("a;b 1\na;b;c 2\na 3\n", "a 3\na;b 1\na;b;c 2\n");
	/* duplicates merge */
	expect("a;b 1\nx 5\na;b 2\n", "a;b 3\nx 5\n");
	/* no newline at the end, CRLF, blank lines, comments, trailing blanks */
	expect("a;b 1", "a;b 1\n");
	expect("a;b 1\r\nc 2\r\n\r\n", "a;b 1\nc 2\n");
	expect("# comment 12\n\n   \na\t7\na;b 2  \n", "a 7\na;b 2\n");
	/* names with spaces: the count is after the last space */
	expect("my worker;do thing (x) 3\n", "my worker;do thing (x) 3\n");
	expect("java;Foo bar.baz(int a) 10\n", "java;Foo bar.baz(int a) 10\n");
	/* several blanks between stack and count */
	expect("a;b   4\n", "a;b 4\n");
	/* empty frames are skipped, blanks around names dropped */
	expect(";a;;b; 2\n", "a;b 2\n");
	expect(" a ;\tb c\t; ;d 2\n", "a;b c;d 2\n");
	/* zero counts are valid and add nothing */
	expect("a 0\nb 1\n", "b 1\n");
	/* big counts */
	expect("a 18446744073709551615\n", "a 18446744073709551615\n");
}

static void test_suffixes(void)
{
	struct trie *t = trie__new();
	struct folded_parser *p = folded_parser__new(t);
	const char *line = "a;k_[k];j_[j];main (t.py:3)_[p];i_[i];w_[w];_[k]";
	const struct trie_node *n = trie__root(t);
	static const char *names[] = { "a", "k", "j", "main (t.py:3)", "i_[i]", "w_[w]", "_[k]" };
	static const int kinds[] = { FRAME_USER, FRAME_KERNEL, FRAME_JIT, FRAME_PYTHON,
				     FRAME_USER, FRAME_USER,	FRAME_USER };
	char buf[128];

	snprintf(buf, sizeof(buf), "%s 5", line);
	CHECK_EQ_U64(folded_parser__line(p, buf, strlen(buf)), 0);
	CHECK_EQ_U64(trie__total(t), 0); /* aggregated until finish */
	CHECK_EQ_U64(folded_parser__finish(p), 0);
	CHECK_EQ_U64(trie__total(t), 5);
	for (size_t i = 0; i < 7 && n; i++) {
		CHECK_EQ_U64(n->nchildren, 1);
		n = n->nchildren ? trie_children(n)[0] : NULL;
		if (!n)
			break;
		CHECK_STR(trie__name(t, n->name), names[i]);
		CHECK_EQ_U64(trie__kind(t, n->name), kinds[i]);
	}
	CHECK(n && n->self == 5);
	/* round trip keeps the suffixes */
	{
		char *s = folded_of(t);

		CHECK_STR(s, "a;k_[k];j_[j];main (t.py:3)_[p];i_[i];w_[w];_[k] 5\n");
		free(s);
	}
	folded_parser__free(p);
	trie__free(t);
}

static void test_errors(void)
{
	expect_error("a;b 1\nc 2\nhello world\n", -EINVAL, 3,
		     "t.txt:3: not a collapsed stack line (\"a;b;c 12\"): \"hello world\"");
	expect_error("a;b 1\na;b 12.5\n", -EINVAL, 2,
		     "t.txt:2: count is not an integer (whole sample counts only): \"a;b 12.5\"");
	expect_error("a;b 1\na;b -3\n", -EINVAL, 2,
		     "t.txt:2: count is not an integer (whole sample counts only): \"a;b -3\"");
	expect_error("a 1\nb 18446744073709551616\n", -EOVERFLOW, 2,
		     "t.txt:2: count too large: \"b 18446744073709551616\"");
	expect_error("a 18446744073709551615\nb 1\n", -EOVERFLOW, 2,
		     "t.txt:2: sample counts overflow: \"b 1\"");
	expect_error("a 1\n; ;\t 3\n", -EINVAL, 2,
		     "t.txt:2: empty stack before the count: \"; ;\\x09 3\"");
	expect_error("a 1\n;; 3\n", -EINVAL, 2, "t.txt:2: empty stack before the count: \";; 3\"");
	expect_error("a 1\n  4\n", -EINVAL, 2, "t.txt:2: empty stack before the count: \"  4\"");
	expect_error("a 1\nnocount\n", -EINVAL, 2,
		     "t.txt:2: not a collapsed stack line (\"a;b;c 12\"): \"nocount\"");
	/* the bad line is quoted escaped and cut */
	expect_error("a 1\n\x1b]0;pwned\x07 x\x80y\n", -EINVAL, 2,
		     "t.txt:2: not a collapsed stack line (\"a;b;c 12\"): "
		     "\"\\x1b]0;pwned\\x07 x\\x80y\"");
	expect_error("a 1\n"
		     "0123456789012345678901234567890123456789012345678901234567890123456789 x\n",
		     -EINVAL, 2,
		     "t.txt:2: not a collapsed stack line (\"a;b;c 12\"): "
		     "\"012345678901234567890123456789012345678901234567890123456789...\"");
}

static void test_odd_bytes(void)
{
	static const char nul[] = "a\0b;c 2\n";
	struct loaded r = load_text("t", nul, sizeof(nul) - 1);

	struct trie *t = trie__new();
	const struct trie_node *n;

	/* NUL is an ordinary byte of the name (the trie's folded output escapes it) */
	CHECK_EQ_U64(r.ret, 0);
	CHECK(r.folded && r.folded[0] == 'a' && strlen(r.folded) > 7 &&
	      !strcmp(r.folded + strlen(r.folded) - 6, "b;c 2\n"));
	free(r.folded);
	CHECK_EQ_U64(formats__load_buf(nul, sizeof(nul) - 1, "t", t, NULL, NULL), 0);
	n = trie__root(t);
	CHECK(n->nchildren == 1 && trie__name_len(t, trie_children(n)[0]->name) == 3 &&
	      !memcmp(trie__name(t, trie_children(n)[0]->name), "a\0b", 3));
	trie__free(t);
	/* invalid UTF-8 passes through untouched */
	expect("\xff\xfe;\xc3\x28 1\n", "\xff\xfe;\xc3\x28 1\n");
	expect("caf\xc3\xa9;\xe5\x87\xbd\xe6\x95\xb0 1\n", "caf\xc3\xa9;\xe5\x87\xbd\xe6\x95\xb0 1\n");
}

static void test_long_line(void)
{
	size_t frames = 100000, len = 0;
	char *s = malloc(frames * 11 + 32), *want;
	struct loaded r;

	for (size_t i = 0; i < frames; i++)
		len += (size_t)sprintf(s + len, "%sf%07zu", i ? ";" : "", i % 1000);
	len += (size_t)sprintf(s + len, " 9");
	CHECK(len > 900000);
	want = malloc(len + 2);
	memcpy(want, s, len);
	memcpy(want + len, "\n", 2);
	r = load_text("big", s, len);
	CHECK_EQ_U64(r.ret, 0);
	CHECK_STR(r.folded, want);
	free(r.folded);
	/* one 1 MB frame name */
	memset(s, 'x', 1 << 20);
	memcpy(s + (1 << 20), " 3\n", 4);
	r = load_text("big", s, (1 << 20) + 3);
	CHECK_EQ_U64(r.ret, 0);
	CHECK(r.folded && strlen(r.folded) == (1 << 20) + 3);
	free(r.folded);
	free(want);
	free(s);
}

/* More distinct stacks than the pre-aggregation table holds: it drains midway, exactly. */
static void test_many_stacks(void)
{
	size_t n = 700000, len = 0;
	char *s = malloc(n * 24);
	struct trie *t = trie__new();
	enum formats_kind kind;

	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(s + len, "r;f%zu %zu\n", i % (n - 1000), i % 3 + 1);
	CHECK_EQ_U64(formats__load_buf(s, len, "many", t, &kind, NULL), 0);
	CHECK_EQ_U64(kind, FORMATS_FOLDED);
	{
		uint64_t want = 0;

		for (size_t i = 0; i < n; i++)
			want += i % 3 + 1;
		CHECK_EQ_U64(trie__total(t), want);
	}
	CHECK_EQ_U64(trie__nodes(t), 1 + 1 + (n - 1000));
	{
		const struct trie_node *r = trie_children(trie__root(t))[0];
		uint32_t id = trie__intern(t, "f5", 2, FRAME_USER);
		const struct trie_node *f5 = trie__child(t, r, id);

		/* f5 came on lines 5 and n - 1000 + 5 */
		CHECK(f5 && f5->self == 5 % 3 + 1 + (n - 1000 + 5) % 3 + 1);
	}
	trie__free(t);
	free(s);
}

/* Consecutive stacks reuse the ids of the frames in their shared bytes: only whole frames
 * (with their ';') may be reused, whatever the blanks and empty frames around them. */
static void test_shared_prefixes(void)
{
	expect("a;bc;d 1\na;bd;d 2\n", "a;bc;d 1\na;bd;d 2\n");
	expect("ab;c 1\na;c 2\n", "a;c 2\nab;c 1\n");
	expect("a;b;c 1\na;b 2\n", "a;b 2\na;b;c 1\n");
	expect("a;b 1\na;b;c 2\na;bb 3\n", "a;b 1\na;b;c 2\na;bb 3\n");
	expect(" a ; b;c 1\n a ; b ;c 2\n", "a;b;c 3\n");
	/* a blank only after a middle frame (the last frame's are the count's) */
	expect("a ;b 1\na\t;b 2\na;b 3\n", "a;b 6\n");
	expect(";;a;b 1\n;;a;c 2\n;;;a;c 3\n", "a;b 1\na;c 5\n");
	expect("a;b_[k];c 1\na;b_[k;c 2\n", "a;b_[k];c 1\na;b_[k;c 2\n");
	expect("a;b;c 1\na;b;c_[k] 2\n", "a;b;c 1\na;b;c_[k] 2\n");
}

/* Property: the same random lines loaded forwards and backwards give the same profile, so
 * what one line reuses from the line before it never changes the result. */
static void test_order_independent(void)
{
	static const char alphabet[] = "ab; \t";
	size_t nlines = 4000, len = 0, rlen = 0;
	char *fwd = malloc(nlines * 40), *bwd = malloc(nlines * 40);
	size_t *start = malloc((nlines + 1) * sizeof(*start));
	unsigned seed = 12345;
	struct loaded a, b;

	for (size_t i = 0; i < nlines; i++) {
		size_t n = 1 + (seed = seed * 1103515245 + 12345) % 23;

		start[i] = len;
		fwd[len++] = 'r';
		for (size_t k = 0; k < n; k++)
			fwd[len++] = alphabet[((seed = seed * 1103515245 + 12345) >> 16) % 5];
		len += (size_t)sprintf(fwd + len, " %zu\n", i % 7 + 1);
	}
	start[nlines] = len;
	for (size_t i = nlines; i-- > 0;) {
		memcpy(bwd + rlen, fwd + start[i], start[i + 1] - start[i]);
		rlen += start[i + 1] - start[i];
	}
	a = load_text("f.txt", fwd, len);
	b = load_text("b.txt", bwd, rlen);
	CHECK_EQ_U64(a.ret, 0);
	CHECK_EQ_U64(b.ret, 0);
	CHECK(a.folded && b.folded && strlen(a.folded) > 1000);
	CHECK_STR(a.folded, b.folded);
	free(a.folded);
	free(b.folded);
	free(fwd);
	free(bwd);
	free(start);
}

/* The parser hashes each name in the pass that finds its ';' (a word at a time): the hash must
 * be the name table's own, or the same name would be interned twice. Names of every length to
 * 40 at every offset from the line's start, with blanks and suffixes (the slow path) between;
 * after the load each one is found again by trie__intern() without a new name. */
static void test_hash_agrees(void)
{
	struct trie *t = trie__new();
	struct folded_parser *p = folded_parser__new(t);
	char line[4096], name[64];
	size_t names;

	for (size_t lead = 0; lead < 9; lead++) {
		for (size_t len = 1; len <= 40; len++) {
			size_t n = 0;

			for (size_t k = 0; k < lead; k++)
				n += (size_t)sprintf(line + n, "%c", (char)('A' + k));
			line[n++] = ';';
			for (size_t k = 0; k < len; k++)
				line[n++] = (char)('a' + (k * 7 + len) % 26);
			n += (size_t)sprintf(line + n, "%s", len % 3 ? ";x;y " : "; z_[k];w\t ");
			n += (size_t)sprintf(line + n, "%zu", len);
			CHECK(folded_parser__line(p, line, n) == 0);
		}
	}
	CHECK(folded_parser__finish(p) == 0);
	names = trie__names(t);
	for (size_t len = 1; len <= 40; len++) {
		for (size_t k = 0; k < len; k++)
			name[k] = (char)('a' + (k * 7 + len) % 26);
		CHECK(trie__intern(t, name, len, FRAME_USER) != TRIE_NO_NAME);
	}
	for (size_t lead = 1; lead < 9; lead++)
		CHECK(trie__intern(t, "ABCDEFGH", lead, FRAME_USER) != TRIE_NO_NAME);
	CHECK(trie__intern(t, "z", 1, FRAME_KERNEL) != TRIE_NO_NAME);
	CHECK(trie__intern(t, "w", 1, FRAME_USER) != TRIE_NO_NAME);
	CHECK(trie__intern(t, "x", 1, FRAME_USER) != TRIE_NO_NAME);
	CHECK_EQ_U64(trie__names(t), names);
	folded_parser__free(p);
	trie__free(t);
}

static void test_detect_helper(void)
{
	CHECK(folded__looks_like("a;b 1", 5));
	CHECK(folded__looks_like("a 1\r", 4));
	CHECK(!folded__looks_like("a", 1));
	CHECK(folded__looks_like(" a 1", 4)); /* a frame name may start with a space */
	/* a number we do not take is still a folded line: the parser then says what is wrong */
	CHECK(folded__looks_like("a 1.5", 5));
	CHECK(folded__looks_like("a -3", 4));
	CHECK(folded__looks_like("a 99999999999999999999", 22));
	CHECK(!folded__looks_like("sh 123 1.5:", 11));
}

int main(void)
{
	test_basic();
	test_suffixes();
	test_errors();
	test_odd_bytes();
	test_long_line();
	test_many_stacks();
	test_shared_prefixes();
	test_order_independent();
	test_hash_agrees();
	test_detect_helper();
	return check_done();
}
