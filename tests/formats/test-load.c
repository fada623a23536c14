// SPDX-License-Identifier: MIT
/*
 * The loader: format detection and its error, empty input, lines cut across reads of any
 * size, gzip and zstd from files and pipes (whole, concatenated, truncated, corrupt), open
 * and read errors, the line length limit, and the escaping of quoted lines.
 */
#include <errno.h>
#include <signal.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "util.h"

static char tmpdir[] = "/tmp/ft-formats-XXXXXX";

static void expect_kind(const char *s, enum formats_kind kind, const char *want)
{
	struct loaded r = load_str(s);

	CHECK_EQ_U64(r.ret, 0);
	if (r.ret)
		fprintf(stderr, "  error: %s\n", r.err.msg);
	CHECK_EQ_U64(r.kind, kind);
	CHECK_STR(r.folded, want);
	free(r.folded);
}

static void test_detect(void)
{
	struct loaded r;

	expect_kind("", FORMATS_EMPTY, "");
	expect_kind("\n\n# nothing here 12\n  \r\n", FORMATS_EMPTY, "");
	expect_kind("# folded\na;b 2\n", FORMATS_FOLDED, "a;b 2\n");
	/* "comm tid" looks folded, but a frame line follows: perf script -F comm,tid,ip,sym */
	expect_kind("sh  3927 \n\t1 f (/x)\n", FORMATS_PERF_SCRIPT, "sh;f 1\n");
	expect_kind("sh 3927\nsh 3927\n", FORMATS_FOLDED, "sh 7854\n");
	expect_kind("\t1 f\n", FORMATS_PERF_SCRIPT, "f 1\n");
	expect_kind("sh 1 [000] 1.0: cycles:\n", FORMATS_PERF_SCRIPT, "sh 1\n");

	r = load_str("# a comment\n\nhello world\na;b 1\n");
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_EQ_U64(r.err.line, 3);
	CHECK_STR(r.err.msg,
		  "t.txt:3: not a collapsed stack (\"a;b;c 12\") nor perf script text: \"hello world\"");
	/* decided on the first lines: a later misfit is the error */
	r = load_str("a;b 1\nc 2\n\tffff f (/x)\n");
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_EQ_U64(r.err.line, 3);
	r = load_str("only-one-line");
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_EQ_U64(r.err.line, 1);
	r = load_text("perf.data", "PERFILE2\x68\0\0\0\0\0\0\0\nxx", 19);
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK(strstr(r.err.msg, "perf.data file") && strstr(r.err.msg, "perf script -i"));
	/* binary junk is quoted safely */
	r = load_text("bin", "\x7f" "ELF\x02\x01\x01\0\0\x1b[2J\n", 14);
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_STR(r.err.msg, "bin:1: not a collapsed stack (\"a;b;c 12\") nor perf script text: "
			     "\"\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x1b[2J\"");
}

/* Hands out the buffer a few bytes at a time, like a slow pipe. */
struct dribble {
	const char *p;
	size_t left, step;
};

static ssize_t read_dribble(void *ctx, void *buf, size_t cap, const char **why)
{
	struct dribble *d = ctx;
	size_t n = d->step;

	*why = NULL;
	d->step = d->step % 7 + 1;
	if (n > cap)
		n = cap;
	if (n > d->left)
		n = d->left;
	memcpy(buf, d->p, n);
	d->p += n;
	d->left -= n;
	return (ssize_t)n;
}

static ssize_t read_fail(void *ctx, void *buf, size_t cap, const char **why)
{
	(void)ctx;
	(void)buf;
	(void)cap;
	*why = NULL;
	return -EIO;
}

static void test_chunking(const char *dir)
{
	static const char *const files[] = { "perf-default.txt", "perf-stackcollapse-py.folded" };
	struct trie *t;
	struct formats_error err;

	for (size_t i = 0; i < 2; i++) {
		char path[4096], *text, *a, *b;
		size_t len;
		struct dribble d;
		struct loaded whole;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		text = read_file(path, &len);
		whole = load_text(files[i], text, len);
		CHECK_EQ_U64(whole.ret, 0);
		t = trie__new();
		d = (struct dribble){ text, len, 1 };
		CHECK_EQ_U64(formats__load_reader(read_dribble, &d, "x", t, NULL, &err), 0);
		a = folded_of(t);
		CHECK_STR(a, whole.folded);
		trie__free(t);
		/* and with CRLF line ends and no final newline */
		{
			char *crlf = malloc(len * 2 + 1);
			size_t n = 0;
			struct loaded r;

			for (size_t k = 0; k < len; k++) {
				if (text[k] == '\n')
					crlf[n++] = '\r';
				crlf[n++] = text[k];
			}
			while (n && (crlf[n - 1] == '\n' || crlf[n - 1] == '\r'))
				n--;
			r = load_text("crlf", crlf, n);
			b = r.folded;
			CHECK_STR(b, whole.folded);
			free(b);
			free(crlf);
		}
		free(a);
		free(whole.folded);
		free(text);
	}
	t = trie__new();
	CHECK_EQ_U64(formats__load_reader(read_fail, NULL, "dev", t, NULL, &err), -EIO);
	CHECK_STR(err.msg, "dev: read error: Input/output error");
	trie__free(t);
}

static char *gzip_level(const char *s, size_t len, int level, size_t *ret_len)
{
	z_stream z = { 0 };
	char *out = malloc(len + len / 100 + 1024);

	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (unsigned char *)s;
	z.avail_in = (uInt)len;
	z.next_out = (unsigned char *)out;
	z.avail_out = (uInt)(len + len / 100 + 1024);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*ret_len = z.total_out;
	deflateEnd(&z);
	return out;
}

static char *gzip_of(const char *s, size_t len, size_t *ret_len)
{
	return gzip_level(s, len, 6, ret_len);
}

static char *zstd_of(const char *s, size_t len, size_t *ret_len)
{
	size_t cap = ZSTD_compressBound(len);
	char *out = malloc(cap);

	*ret_len = ZSTD_compress(out, cap, s, len, 3);
	if (ZSTD_isError(*ret_len))
		abort();
	return out;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static struct loaded load_path(const char *path)
{
	struct loaded r = { .kind = -1 };
	struct trie *t = trie__new();

	r.ret = formats__load_path(path, t, &r.kind, &r.err);
	if (!r.ret)
		r.folded = folded_of(t);
	trie__free(t);
	return r;
}

/* Loads buf through a pipe written by a child in uneven pieces. */
static struct loaded load_pipe(const char *buf, size_t len)
{
	struct loaded r = { .kind = -1 };
	struct trie *t;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		abort();
	pid = fork();
	if (pid == 0) {
		size_t off = 0, step = 1;

		close(fds[0]);
		while (off < len) {
			size_t n = step < len - off ? step : len - off;

			if (write(fds[1], buf + off, n) != (ssize_t)n)
				_exit(1);
			off += n;
			step = step < 65536 ? step * 3 : 1;
		}
		_exit(0);
	}
	close(fds[1]);
	t = trie__new();
	if (!t)
		abort();
	r.ret = formats__load_fd(fds[0], "(pipe)", t, &r.kind, &r.err);
	if (!r.ret)
		r.folded = folded_of(t);
	close(fds[0]);
	waitpid(pid, NULL, 0);
	trie__free(t);
	return r;
}

static void check_same(struct loaded r, const char *want, const char *what)
{
	if (r.ret)
		fprintf(stderr, "  %s: %s\n", what, r.err.msg);
	CHECK_EQ_U64(r.ret, 0);
	CHECK_STR(r.folded, want);
	free(r.folded);
}

static void check_error(struct loaded r, const char *msg)
{
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_STR(r.err.msg, msg);
	free(r.folded);
}

static void test_compressed(const char *dir)
{
	char path[4096], *text, *gz, *zs, *cat;
	size_t len, gzlen, zslen;
	struct loaded plain;

	snprintf(path, sizeof(path), "%s/perf-default.txt", dir);
	text = read_file(path, &len);
	plain = load_text("plain", text, len);
	CHECK_EQ_U64(plain.ret, 0);
	gz = gzip_of(text, len, &gzlen);
	zs = zstd_of(text, len, &zslen);

	snprintf(path, sizeof(path), "%s/p.gz", tmpdir);
	write_file(path, gz, gzlen);
	check_same(load_path(path), plain.folded, "gzip file");
	check_same(load_pipe(gz, gzlen), plain.folded, "gzip pipe");
	snprintf(path, sizeof(path), "%s/p.zst", tmpdir);
	write_file(path, zs, zslen);
	check_same(load_path(path), plain.folded, "zstd file");
	check_same(load_pipe(zs, zslen), plain.folded, "zstd pipe");

	/* truncated: the error names the codec */
	snprintf(path, sizeof(path), "%s/t.gz", tmpdir);
	write_file(path, gz, gzlen - 9);
	snprintf(path + strlen(path) - 4, 64, "%s", "");
	{
		char msg[4200];

		snprintf(path, sizeof(path), "%s/t.gz", tmpdir);
		snprintf(msg, sizeof(msg), "%s: truncated gzip data", path);
		check_error(load_path(path), msg);
		snprintf(path, sizeof(path), "%s/t.zst", tmpdir);
		write_file(path, zs, zslen - 5);
		snprintf(msg, sizeof(msg), "%s: truncated zstd data", path);
		check_error(load_path(path), msg);
	}
	check_error(load_pipe(gz, 2), "(pipe): truncated gzip data");
	check_error(load_pipe(gz, gzlen / 2), "(pipe): truncated gzip data");
	check_error(load_pipe(zs, zslen / 2), "(pipe): truncated zstd data");
	check_error(load_pipe(zs, 4), "(pipe): truncated zstd data");

	/* corrupt */
	gz[gzlen / 2] ^= 0x55;
	gz[gzlen / 2 + 1] ^= 0x55;
	check_error(load_pipe(gz, gzlen), "(pipe): corrupt gzip data");
	gz[gzlen / 2] ^= 0x55;
	gz[gzlen / 2 + 1] ^= 0x55;
	zs[zslen / 2] ^= 0x55;
	{
		struct loaded r = load_pipe(zs, zslen);

		/* zstd's checksum is optional: damage may show as corrupt or as odd text */
		CHECK_EQ_U64(r.ret, -EINVAL);
		free(r.folded);
	}

	/* Damage that decodes to text, found by the codec only later (here the gzip trailer's
	 * CRC, the data being stored blocks): the line it spoils is not the error, the corrupt
	 * data is, however the input arrives. */
	{
		size_t n = 200000, tl = 0, dl;
		char *txt = malloc(n * 8), *d, *at;
		struct loaded r;

		for (size_t i = 0; i < n; i++)
			tl += (size_t)sprintf(txt + tl, "a;b%zu 1\n", i % 10);
		d = gzip_level(txt, tl, 0, &dl); /* stored blocks: the text as it is */
		at = memmem(d + dl / 2, dl / 2, " 1\n", 3);
		at[1] = 'x';
		snprintf(path, sizeof(path), "%s/crc.gz", tmpdir);
		write_file(path, d, dl);
		r = load_path(path);
		CHECK_EQ_U64(r.ret, -EINVAL);
		CHECK(strstr(r.err.msg, ": corrupt gzip data") != NULL);
		free(r.folded);
		check_error(load_pipe(d, dl), "(pipe): corrupt gzip data");
		free(d);
		free(txt);
	}

	/* ... and a pipe's writer that stalls without closing is not waited for: the line's
	 * error comes after the last look's half second, not when the writer ends */
	{
		static const char bad[] = "a;b 1\nnot a profile\n";
		size_t bl;
		char *bg = gzip_of(bad, sizeof(bad) - 1, &bl);
		int fds[2];
		pid_t pid;
		struct trie *t = trie__new();
		struct formats_error ferr;
		struct timespec t0, t1;
		double took;

		if (pipe(fds))
			abort();
		pid = fork();
		if (pid == 0) {
			close(fds[0]);
			if (write(fds[1], bg, bl) != (ssize_t)bl)
				_exit(1);
			sleep(20); /* holds the pipe open */
			_exit(0);
		}
		close(fds[1]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_EQ_U64(formats__load_fd(fds[0], "(pipe)", t, NULL, &ferr), -EINVAL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		CHECK(took < 5);
		CHECK(strstr(ferr.msg, "not a") != NULL);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(fds[0]);
		trie__free(t);
		free(bg);
	}

	/* concatenated gzip members are one stream (cat a.gz b.gz) */
	{
		static const char a[] = "a;b 1\nc 2\n", b[] = "a;b 4\n";
		char *ga, *gb;
		size_t la, lb;

		ga = gzip_of(a, sizeof(a) - 1, &la);
		gb = gzip_of(b, sizeof(b) - 1, &lb);
		cat = malloc(la + lb + 4);
		memcpy(cat, ga, la);
		memcpy(cat + la, gb, lb);
		check_same(load_pipe(cat, la + lb), "a;b 5\nc 2\n", "gzip members");
		memcpy(cat + la + lb, "junk", 4);
		check_error(load_pipe(cat, la + lb + 4), "(pipe): trailing garbage after gzip data");
		free(ga);
		free(gb);
		free(cat);
	}
	/* an empty compressed file is an empty profile */
	{
		char *e;
		size_t el;
		struct loaded r;

		e = gzip_of("", 0, &el);
		r = load_pipe(e, el);
		CHECK_EQ_U64(r.ret, 0);
		CHECK_EQ_U64(r.kind, FORMATS_EMPTY);
		free(r.folded);
		free(e);
		e = zstd_of("", 0, &el);
		r = load_pipe(e, el);
		CHECK_EQ_U64(r.ret, 0);
		CHECK_EQ_U64(r.kind, FORMATS_EMPTY);
		free(r.folded);
		free(e);
	}
	/* short plain inputs (under a magic's length) still load */
	check_same(load_pipe("a 1", 3), "a 1\n", "short");
	check_same(load_pipe("", 0), "", "empty pipe");
	free(plain.folded);
	free(gz);
	free(zs);
	free(text);
}

/* A compressed file bigger than readahead's chunks (it inflates in a second thread): the same
 * profile as the plain text; and a bad first line ends the load with the line's error (after
 * a look for damage further on: none here), the thread stopped (ASan: nothing leaks). */
static void test_compressed_big(void)
{
	size_t cap = 6u << 20, len = 0, gzlen, zslen;
	char *text = malloc(cap), path[4096], *gz, *zs;
	struct loaded plain;

	while (len + 64 < cap)
		len += (size_t)snprintf(text + len, 64, "main;f%zu;g %zu\n", len % 997, len % 7 + 1);
	plain = load_text("plain", text, len);
	CHECK_EQ_U64(plain.ret, 0);
	gz = gzip_of(text, len, &gzlen);
	zs = zstd_of(text, len, &zslen);
	snprintf(path, sizeof(path), "%s/big.gz", tmpdir);
	write_file(path, gz, gzlen);
	check_same(load_path(path), plain.folded, "big gzip file");
	snprintf(path, sizeof(path), "%s/big.zst", tmpdir);
	write_file(path, zs, zslen);
	check_same(load_path(path), plain.folded, "big zstd file");
	free(gz);
	free(zs);
	memcpy(text, "not a profile\n", 14);
	gz = gzip_of(text, len, &gzlen);
	snprintf(path, sizeof(path), "%s/bad.gz", tmpdir);
	write_file(path, gz, gzlen);
	{
		struct loaded r = load_path(path);

		CHECK_EQ_U64(r.ret, -EINVAL);
		CHECK(strstr(r.err.msg, "bad.gz:1: not a collapsed stack"));
		free(r.folded);
	}
	free(gz);
	free(plain.folded);
	free(text);
}

static void test_open_errors(void)
{
	struct loaded r = load_path("/nonexistent/x.folded");
	char path[4096];

	CHECK_EQ_U64(r.ret, -ENOENT);
	CHECK_STR(r.err.msg, "cannot open /nonexistent/x.folded: No such file or directory");
	r = load_path(tmpdir);
	CHECK_EQ_U64(r.ret, -EISDIR);
	CHECK(strstr(r.err.msg, "Is a directory") != NULL);
	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	write_file(path, "", 0);
	r = load_path(path);
	CHECK_EQ_U64(r.ret, 0);
	CHECK_EQ_U64(r.kind, FORMATS_EMPTY);
	CHECK_STR(r.folded, "");
	free(r.folded);
}

static void test_line_limit(void)
{
	size_t len = (65u << 20);
	char *s = malloc(len);
	struct loaded r;

	memset(s, 0, len); /* think `flametui file /dev/zero` */
	r = load_text("zero", s, len);
	CHECK_EQ_U64(r.ret, -EFBIG);
	CHECK(!strncmp(r.err.msg, "zero:1: line longer than 64 MiB: \"\\x00\\x00", 42));
	free(s);
}

static void escaped_is(const char *in, size_t len, size_t max, const char *want)
{
	char buf[64];

	formats__escape(buf, sizeof(buf), in, len, max);
	CHECK_STR(buf, want);
}

static void test_escape(void)
{
	char tiny[6];

	escaped_is("plain", 5, 60, "plain");
	escaped_is("q\"b\\", 4, 60, "q\\\"b\\\\");
	escaped_is("\t\r\x1b\x7f", 4, 60, "\\x09\\x0d\\x1b\\x7f");
	escaped_is("caf\xc3\xa9", 5, 60, "caf\xc3\xa9");
	/* C1 control, overlong, surrogate, stray continuation, truncated sequence, bidi */
	escaped_is("\xc2\x9b", 2, 60, "\\xc2\\x9b");
	escaped_is("\xc0\xaf", 2, 60, "\\xc0\\xaf");
	escaped_is("\xed\xa0\x80", 3, 60, "\\xed\\xa0\\x80");
	escaped_is("\x80", 1, 60, "\\x80");
	escaped_is("\xe5\x87", 2, 60, "\\xe5\\x87");
	escaped_is("\xe2\x80\xae", 3, 60, "\\xe2\\x80\\xae");
	escaped_is("abcdef", 6, 3, "abc...");
	escaped_is("abc", 3, 3, "abc");
	formats__escape(tiny, sizeof(tiny), "abcdefgh", 8, 60);
	CHECK_STR(tiny, "ab...");
	formats__escape(tiny, sizeof(tiny), "\x01\x02", 2, 60);
	CHECK_STR(tiny, "...");
}

/* Issue 12.8: a bad count on the first line gets the same message as on any later line. */
static void test_first_line_count(void)
{
	static const char *const cases[][2] = {
		{ "a;b 99999999999999999999\n", "count too large" },
		{ "a;b -3\n", "count is not an integer" },
		{ "a;b 2.5\n", "count is not an integer" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct loaded first = load_str(cases[i][0]), later;
		char buf[128];

		snprintf(buf, sizeof(buf), "x;y 1\n%s", cases[i][0]);
		later = load_str(buf);
		CHECK(first.ret < 0 && later.ret < 0);
		CHECK_EQ_U64(first.err.line, 1);
		CHECK(strstr(first.err.msg, cases[i][1]) != NULL);
		CHECK(strstr(later.err.msg, cases[i][1]) != NULL);
		if (!strstr(first.err.msg, cases[i][1]))
			fprintf(stderr, "  first line: %s\n", first.err.msg);
	}
}

/* Issue 12.6: with a name bound, names of stacks that went to [overflow] are not kept. */
static void test_name_bound(void)
{
	for (int perf = 0; perf < 2; perf++) {
		struct trie *t = trie__new();
		char *buf = NULL, *out;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct formats_error err;

		CHECK(t && f);
		trie__set_max_nodes(t, 100);
		trie__set_max_names(t, 264);
		for (int i = 0; i < 20000; i++) {
			if (perf)
				fprintf(f, "comm%d 1 [000] 1.0: cycles:\n\t1 f%d (/x)\n\n", i % 3, i);
			else
				fprintf(f, "main;frame%d 1\n", i);
		}
		fclose(f);
		CHECK_EQ_U64(formats__load_buf(buf, len, "n.txt", t, NULL, &err), 0);
		CHECK(trie__names(t) <= 264);
		CHECK(trie__nodes(t) <= 101); /* and [overflow] */
		CHECK_EQ_U64(trie__total(t), 20000);
		CHECK(trie__overflowed(t) >= 20000 - 264);
		out = folded_of(t);
		CHECK(strstr(out, "[overflow] ") != NULL);
		free(out);
		free(buf);
		trie__free(t);
	}
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/formats/data";

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_detect();
	test_first_line_count();
	test_name_bound();
	test_chunking(dir);
	test_compressed(dir);
	test_compressed_big();
	test_open_errors();
	test_line_limit();
	test_escape();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	return check_done();
}
