// SPDX-License-Identifier: MIT
/*
 * pycode on bytes: the 3.11 location table against CPython's own answer for every instruction
 * of a few stdlib modules (dump-code.py run by Debian's python3.11, when installed), each entry
 * form hand-assembled, malformed tables; str headers and characters; a code object's fields;
 * the frame name's format.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "pycode.h"
#include "pyoffsets.h"
#include "pyrt.h"

#define PY311 0x030b02f0u

static const struct py_layout *layout(void)
{
	const struct py_offsets *o = pyoffsets__find(PY311);

	CHECK(o != NULL);
	return o ? &o->user : NULL;
}

static int32_t line_of(const uint8_t *t, size_t len, int32_t first, uint32_t lasti)
{
	int32_t line = -99;
	int rc = pycode__line(t, len, first, lasti, &line);

	return rc ? rc * 1000 : line;
}

static void test_forms(void)
{
	/* entry byte: 1 cccc lll (code, length - 1) */
	static const uint8_t t[] = {
	    0x80 | 13 << 3 | 0, 0x02,			       /* no columns, line +1, 1 unit */
	    0x80 | 0 << 3 | 1,	0x05,			       /* short form, same line, 2 units */
	    0x80 | 11 << 3 | 0, 0x01,	     0x02,	       /* one-line form, +1, 1 unit */
	    0x80 | 15 << 3 | 0,				       /* no location, 1 unit */
	    0x80 | 14 << 3 | 2, 0x07,	     0x00, 0x01, 0x02, /* long form, line -3, 3 units */
	    0x80 | 13 << 3 | 0, 0x40 | 0x00, 0x01, /* no columns, +32 (two-byte varint) */
	};

	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 0), 11);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 1), 11);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 2), 11);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 3), 12);
	CHECK(line_of(t, sizeof(t), 10, 4) == -1);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 5), 9);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 7), 9);
	CHECK_EQ_U64(line_of(t, sizeof(t), 10, 8), 41);
	CHECK(line_of(t, sizeof(t), 10, 9) == -ENOENT * 1000);
	/* cut anywhere: an error or a line, never a read past the end */
	for (size_t n = 0; n < sizeof(t); n++) {
		uint8_t *cut = malloc(n ? n : 1);

		memcpy(cut, t, n);
		for (uint32_t i = 0; i < 10; i++) {
			int32_t l = line_of(cut, n, 10, i);

			CHECK(l == -ENOENT * 1000 || l == -EINVAL * 1000 || (l >= -1 && l < 100));
		}
		free(cut);
	}
	/* an entry must start with bit 7; a varint never runs past 32 bits */
	CHECK(line_of((const uint8_t[]){0x05}, 1, 1, 0) == -EINVAL * 1000);
	CHECK(line_of((const uint8_t[]){0x80 | 13 << 3, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x01},
		      8, 1, 0) == -EINVAL * 1000);
}

/* Every instruction of real code objects: our line is CPython's. */
static void test_cpython(const char *dump)
{
	char cmd[1024];
	FILE *f;
	char *buf = NULL;
	size_t cap = 0;
	unsigned long objs = 0, insns = 0;

	if (access("/usr/bin/python3.11", X_OK)) {
		printf("SKIP part: /usr/bin/python3.11 is missing (Debian's python3.11)\n");
		return;
	}
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3.11 '%s'", dump);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	while (getline(&buf, &cap, f) > 0) {
		char *save, *first = strtok_r(buf, " \n", &save),
			    *hex = strtok_r(NULL, " \n", &save);
		char *count = strtok_r(NULL, " \n", &save);
		size_t hlen = hex ? strlen(hex) : 0, tlen = hlen / 2;
		uint8_t *t = malloc(tlen + 1);
		unsigned long n = count ? strtoul(count, NULL, 10) : 0;

		CHECK(first && hex && count && t);
		if (!first || !hex || !count || !t) {
			free(t);
			break;
		}
		if (!strcmp(hex, "-"))
			tlen = 0;
		for (size_t i = 0; i < tlen; i++) {
			unsigned int b;

			sscanf(hex + 2 * i, "%2x", &b);
			t[i] = (uint8_t)b;
		}
		for (unsigned long i = 0; i < n; i++) {
			char *tok = strtok_r(NULL, " \n", &save);
			int32_t want = tok ? (int32_t)strtol(tok, NULL, 10) : -99;
			int32_t got =
			    line_of(t, tlen, (int32_t)strtol(first, NULL, 10), (uint32_t)i);

			if (got != want) {
				printf(
				    "code at line %s, instruction %lu: line %d, CPython says %d\n",
				    first, i, got, want);
				CHECK(got == want);
				break;
			}
			insns++;
		}
		objs++;
		free(t);
	}
	free(buf);
	CHECK_EQ_U64(pclose(f), 0);
	printf("%lu code objects, %lu instructions compared with CPython's lines\n", objs, insns);
	CHECK(objs > 100);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void test_str(void)
{
	const struct py_layout *l = layout();
	uint8_t hdr[80] = {0};
	struct py_str s;
	char out[64];

	if (!l)
		return;
	/* compact ASCII "abc": state = ascii | compact | kind 1 */
	put64(hdr + l->str_length, 3);
	hdr[l->str_state] = 1 << 6 | 1 << 5 | 1 << 2;
	CHECK_EQ_U64(pycode__str(l, hdr, l->str_header, 100, &s), 0);
	CHECK_EQ_U64(s.data_off, l->str_ascii_data);
	CHECK_EQ_U64(pycode__str_utf8(&s, (const uint8_t *)"abc", 3, out, sizeof(out)), 3);
	CHECK_STR(out, "abc");
	/* too long for the caller, a legacy (not compact) str, a kind that does not exist */
	CHECK(pycode__str(l, hdr, l->str_header, 2, &s) == -EINVAL);
	hdr[l->str_state] = 1 << 2;
	CHECK(pycode__str(l, hdr, l->str_header, 100, &s) == -EINVAL);
	hdr[l->str_state] = 1 << 5 | 3 << 2;
	CHECK(pycode__str(l, hdr, l->str_header, 100, &s) == -EINVAL);
	CHECK(pycode__str(l, hdr, l->str_header - 1, 100, &s) == -EINVAL);
	/* UCS-2 "é€" and UCS-4 with a lone surrogate (shown as U+FFFD) */
	hdr[l->str_state] = 1 << 5 | 2 << 2;
	put64(hdr + l->str_length, 2);
	CHECK_EQ_U64(pycode__str(l, hdr, l->str_header, 100, &s), 0);
	CHECK_EQ_U64(s.data_off, l->str_data);
	CHECK_EQ_U64(
	    pycode__str_utf8(&s, (const uint8_t[]){0xe9, 0, 0xac, 0x20}, 4, out, sizeof(out)), 5);
	CHECK_STR(out, "\xc3\xa9\xe2\x82\xac");
	hdr[l->str_state] = 1 << 5 | 4 << 2;
	CHECK_EQ_U64(pycode__str(l, hdr, l->str_header, 100, &s), 0);
	pycode__str_utf8(&s, (const uint8_t[]){0x00, 0xd8, 0, 0, 0x00, 0xf6, 0x01, 0}, 8, out,
			 sizeof(out));
	CHECK_STR(out, "\xef\xbf\xbd\xf0\x9f\x98\x80");
	/* an embedded NUL would cut the name */
	CHECK_EQ_U64(
	    pycode__str_utf8(&s, (const uint8_t[]){0, 0, 0, 0, 0x41, 0, 0, 0}, 8, out, sizeof(out)),
	    4);
	CHECK_STR(out, "\xef\xbf\xbd"
		       "A");
	/* fewer bytes than characters, and a small output: cut, NUL-terminated */
	CHECK_EQ_U64(pycode__str_utf8(&s, (const uint8_t[]){0x41, 0, 0, 0}, 4, out, sizeof(out)),
		     1);
	CHECK_EQ_U64(
	    pycode__str_utf8(&s, (const uint8_t[]){0x00, 0xf6, 0x01, 0, 0x41, 0, 0, 0}, 8, out, 4),
	    0);
	CHECK_STR(out, "");
}

static void test_code(void)
{
	const struct py_layout *l = layout();
	uint8_t buf[512] = {0};
	struct py_code c;
	int32_t first = 42;

	if (!l)
		return;
	put64(buf + l->code_ob_size, 17);
	put64(buf + l->code_filename, 0x1000);
	put64(buf + l->code_qualname, 0x2000);
	put64(buf + l->code_linetable, 0x3000);
	memcpy(buf + l->code_firstlineno, &first, 4);
	CHECK_EQ_U64(pycode__parse(l, buf, l->code_size, &c), 0);
	CHECK_EQ_U64(c.ncodeunits, 17);
	CHECK_EQ_U64(c.filename, 0x1000);
	CHECK_EQ_U64(c.qualname, 0x2000);
	CHECK_EQ_U64(c.linetable, 0x3000);
	CHECK_EQ_U64(c.firstlineno, 42);
	CHECK(pycode__parse(l, buf, l->code_size - 1, &c) == -EINVAL);
	put64(buf + l->code_ob_size, 1ull << 40);
	CHECK(pycode__parse(l, buf, l->code_size, &c) == -EINVAL);
	/* versions: 3.11.x known, 3.10 and 3.12 not */
	CHECK(pyoffsets__find(0x030b07f0) != NULL);
	CHECK(pyoffsets__find(0x030a0cf0) == NULL);
	CHECK(pyoffsets__find(0x030c00f0) == NULL);
}

static void test_format(void)
{
	char buf[64];

	pyrt__format(buf, sizeof(buf), "main", "/tmp/x/t.py", 12);
	CHECK_STR(buf, "main (t.py:12)");
	pyrt__format(buf, sizeof(buf), "JSONDecoder.decode", "/usr/lib/python3.11/json/decoder.py",
		     337);
	CHECK_STR(buf, "JSONDecoder.decode (decoder.py:337)");
	pyrt__format(buf, sizeof(buf), "loads", "/usr/lib/python3.11/json/__init__.py", -1);
	CHECK_STR(buf, "loads (json/__init__.py)");
	pyrt__format(buf, sizeof(buf), "<module>", "<string>", 1);
	CHECK_STR(buf, "<module> (<string>:1)");
	CHECK_EQ_U64(pyrt__format(buf, 8, "a_long_name", "f.py", 1), 7);
	CHECK_STR(buf, "a_long_");
}

int main(int argc, char **argv)
{
	test_forms();
	test_str();
	test_code();
	test_format();
	if (argc > 1)
		test_cpython(argv[1]);
	return check_done();
}
