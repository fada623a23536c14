// SPDX-License-Identifier: MIT
/* Unit tests for src/export: format by extension, zoomed sub-tries, safe file writing (a new
 * file renamed into place, a planted symlink replaced, the sudo user's ownership), and crafted
 * names through every exporter. The files themselves are opened by their real readers in the
 * export suite (test-*.py). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "export/export.h"
#include "textcheck.h"

static const char evil[] = "e<script>alert(1)</script>&\"'\x01\x1b[2J\xff\xc3(\xe2\x80\xae";

static uint32_t I(struct trie *t, const char *s, enum frame_kind k)
{
	return trie__intern(t, s, strlen(s), k);
}

static void add(struct trie *t, uint64_t n, const char *a, const char *b, const char *c)
{
	uint32_t ids[3];
	size_t k = 0;

	ids[k++] = I(t, a, FRAME_ROOT);
	if (b)
		ids[k++] = I(t, b, FRAME_USER);
	if (c)
		ids[k++] = I(t, c, strcmp(c, "sys") ? FRAME_USER : FRAME_KERNEL);
	CHECK(trie__add(t, ids, k, n) == 0);
}

static struct trie *sample(void)
{
	struct trie *t = trie__new();

	add(t, 6, "main", "foo", "bar");
	add(t, 2, "main", "foo", NULL);
	add(t, 1, "main", "baz", "sys");
	add(t, 3, "other", "x", NULL);
	add(t, 4, "other", evil, NULL);
	return t;
}

static char *out(struct trie *t, enum export_format fmt, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f);
	CHECK(export__write(t, fmt, NULL, f) == 0);
	fclose(f);
	*ret_len = len;
	return buf;
}

static void test_format_for(void)
{
	static const struct {
		const char *path;
		int rc;
		enum export_format fmt;
	} cases[] = {
	    {"a.folded", 0, EXPORT_FOLDED},
	    {"a.txt", 0, EXPORT_FOLDED},
	    {"dir/a.SVG", 0, EXPORT_SVG},
	    {"a.json", 0, EXPORT_SPEEDSCOPE},
	    {"a.pb.gz", 0, EXPORT_PPROF},
	    {"a.gz", -EINVAL, 0},
	    {"a.pb", -EINVAL, 0},
	    {".svg", -EINVAL, 0},
	    {"svg", -EINVAL, 0},
	    {"", -EINVAL, 0},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum export_format fmt = EXPORT_FORMAT_MAX;

		CHECK(export__format_for(cases[i].path, &fmt) == cases[i].rc);
		if (!cases[i].rc)
			CHECK(fmt == cases[i].fmt);
	}
}

static void test_subtrie(void)
{
	struct trie *t = sample(), *z;
	const struct trie_node *main_ = trie__child(t, trie__root(t), I(t, "main", FRAME_ROOT));
	const struct trie_node *foo = trie__child(t, main_, I(t, "foo", FRAME_USER));
	char *s;
	size_t len;

	CHECK(foo);
	z = export__subtrie(t, foo);
	CHECK(z);
	CHECK_EQ_U64(trie__total(z), 8);
	s = out(z, EXPORT_FOLDED, &len);
	CHECK_STR(s, "main;foo 2\nmain;foo;bar 6\n");
	free(s);
	trie__free(z);
	z = export__subtrie(t, NULL);
	CHECK_EQ_U64(trie__total(z), trie__total(t));
	CHECK_EQ_U64(trie__nodes(z), trie__nodes(t));
	trie__free(z);
	trie__free(t);
}

/* The shown form of `evil`: markup intact as text, everything unprintable as \xNN. */
static const char evil_shown[] =
    "e<script>alert(1)</script>&\"'\\x01\\x1b[2J\\xff\\xc3(\\xe2\\x80\\xae";

static void test_hostile_svg(void)
{
	struct trie *t = sample();
	size_t len;
	char *s = out(t, EXPORT_SVG, &len);

	CHECK(valid_utf8((unsigned char *)s, len));
	CHECK(!has_control(s, len));
	CHECK(!strstr(s, "<script>alert"));
	CHECK(strstr(s, "e&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\\x01\\x1b[2J"
			"\\xff\\xc3(\\xe2\\x80\\xae"));
	/* one script element: the file's own */
	CHECK(strstr(s, "<script") && !strstr(strstr(s, "<script") + 1, "<script"));
	/* the root spans the width: 1200 px less 10 px each side */
	CHECK(
	    strstr(s, "data-n=\"all\"><title>all (16 samples, 100.00%)</title><rect x=\"10.00\""));
	CHECK(strstr(s, "width=\"1180.00\""));
	free(s);
	trie__free(t);
}

static void test_hostile_json(void)
{
	struct trie *t = sample();
	size_t len;
	char *s = out(t, EXPORT_SPEEDSCOPE, &len);

	CHECK(valid_utf8((unsigned char *)s, len));
	CHECK(!has_control(s, len));
	CHECK(!strchr(s, '<'));
	CHECK(strstr(s, "{\"name\":\"e\\u003cscript>alert(1)\\u003c/script>&\\\"'\\\\x01\\\\x1b[2J"
			"\\\\xff\\\\xc3(\\\\xe2\\\\x80\\\\xae\"}"));
	CHECK(strstr(s, "\"endValue\":16"));
	free(s);
	trie__free(t);
}

static void test_hostile_pprof(void)
{
	struct trie *t = sample();
	size_t len, cap = 1 << 20;
	char *s = out(t, EXPORT_PPROF, &len);
	unsigned char *raw = malloc(cap);
	z_stream z = {0};

	CHECK(len > 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b);
	CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)len;
	z.next_out = raw;
	z.avail_out = (uInt)cap;
	CHECK(inflate(&z, Z_FINISH) == Z_STREAM_END);
	/* the string table holds the shown form, and nothing of the raw bytes */
	CHECK(memmem(raw, z.total_out, evil_shown, strlen(evil_shown)));
	CHECK(!memmem(raw, z.total_out, "\x1b[2J", 4));
	inflateEnd(&z);
	free(raw);
	free(s);
	trie__free(t);
}

static void test_hostile_folded(void)
{
	struct trie *t = sample();
	size_t len;
	char *s = out(t, EXPORT_FOLDED, &len);

	CHECK(!has_control(s, len));
	CHECK(strstr(s, "other;e<script>alert(1)</script>&\"'\\x01\\x1b[2J"));
	free(s);
	trie__free(t);
}

/* The view's search goes into the SVG as an attribute: escaped, and the page applies it. */
static void test_svg_search(void)
{
	struct trie *t = sample();
	struct export_opts o = {.search = "fo\"o<b>\x1b"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(export__write(t, EXPORT_SVG, &o, f) == 0);
	fclose(f);
	CHECK(strstr(buf, " data-search=\"fo&quot;o&lt;b&gt;\\x1b\">"));
	CHECK(strstr(buf, "if (s0) search(s0);"));
	free(buf);
	trie__free(t);
}

/* An empty profile (a file of comments) is still a file every reader opens. */
static void test_empty(void)
{
	struct trie *t = trie__new();

	for (int fmt = 0; fmt < EXPORT_FORMAT_MAX; fmt++) {
		size_t len;
		char *s = out(t, (enum export_format)fmt, &len);

		if (fmt == EXPORT_SVG)
			CHECK(strstr(s, "data-n=\"all\"><title>all (0 samples, 0.00%)"));
		if (fmt == EXPORT_SPEEDSCOPE)
			CHECK(strstr(s, "\"samples\":[],\n\"weights\":[]"));
		free(s);
	}
	trie__free(t);
}

static void test_to_path(void)
{
	char dir[] = "/tmp/ft-export-XXXXXX", path[128], target[128], err[512];
	struct trie *t = sample();
	struct stat st;
	FILE *f;

	CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.svg", dir);
	snprintf(target, sizeof(target), "%s/target", dir);
	/* a symlink planted where the export goes is replaced, never written through */
	f = fopen(target, "w");
	CHECK(f && fputs("keep", f) >= 0);
	fclose(f);
	CHECK(symlink(target, path) == 0);
	CHECK(export__to_path(t, path, NULL, err, sizeof(err)) == 0);
	CHECK(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	CHECK(stat(target, &st) == 0 && st.st_size == 4);
	/* no temporary file left behind */
	snprintf(target, sizeof(target), "rm -f %s/target && [ \"$(ls -A %s)\" = out.svg ]", dir,
		 dir);
	CHECK(system(target) == 0);
	/* under sudo the file belongs to the invoking user */
	if (geteuid() == 0) {
		setenv("SUDO_UID", "12345", 1);
		setenv("SUDO_GID", "12346", 1);
		CHECK(export__to_path(t, path, NULL, err, sizeof(err)) == 0);
		CHECK(stat(path, &st) == 0 && st.st_uid == 12345 && st.st_gid == 12346);
		unsetenv("SUDO_UID");
		unsetenv("SUDO_GID");
	}
	/* errors say what to do, in one line */
	CHECK(export__to_path(t, "x.png", NULL, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "name it .folded, .txt, .svg") && !strchr(err, '\n'));
	CHECK(export__to_path(t, "/nonexistent-dir/x.svg", NULL, err, sizeof(err)) == -ENOENT);
	CHECK(strstr(err, "choose a directory you can write to"));
	unlink(path);
	CHECK(rmdir(dir) == 0);
	trie__free(t);
}

int main(void)
{
	test_format_for();
	test_subtrie();
	test_hostile_svg();
	test_hostile_json();
	test_hostile_pprof();
	test_hostile_folded();
	test_svg_search();
	test_empty();
	test_to_path();
	return check_done();
}
