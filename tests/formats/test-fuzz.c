// SPDX-License-Identifier: MIT
/*
 * Deterministic mutation fuzzing of the loaders: mutated folded and perf script text, read
 * whole and in dribbles, and mutated gzip/zstd streams through a descriptor. Nothing may
 * crash or leak (run under ASan/valgrind for those); a successful load must read back the same
 * whole or dribbled, and its folded output must reload to itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "util.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static const char *const seeds[] = {
	"a;b;c 12\nmy worker;x_[k];y_[j] 3\n# c\n\na;b 1\r\n",
	"sh  3927  2048.841723:    1001001 cpu-clock:ppp: \n"
	"\tffffffff8133df95 access_error+0x5 ([kernel.kallsyms])\n"
	"\t           7e6b0 S::operator()(int)+0x0 (/usr/lib/libc.so.6)\n"
	"\t            ee55 [unknown] (/usr/bin/dash)\n\n"
	"my worker  4097/4097  [000]  2092.146122: 1 cpu-clock:\n"
	"\t15bb7 foo(int (*)(int)) (/tmp/perf-12.map)\n  src.c:12\n",
	"\n\t1 f\n\t2 g\n\n\t3 h\n",
};

static const char *const tokens[] = { "\n", "\t", " ", ";", "(", ")", "+0x1f", "[", "]", ":",
				      "7", "_[k]", "\r", "\0", "\xff", "\xe2\x80\xae", "/", "0x",
				      "ffffffffffffffff", "18446744073709551616", "#", "(" };

static size_t mutate(char *buf, size_t len, size_t cap)
{
	for (int k = rnd(6) + 1; k > 0; k--) {
		size_t at = rnd((uint32_t)len + 1);

		switch (rnd(5)) {
		case 0: /* flip */
			if (len)
				buf[at % len] ^= (char)(1 << rnd(8));
			break;
		case 1: /* delete a run */
			if (len) {
				size_t n = rnd(16) + 1;

				at %= len;
				if (n > len - at)
					n = len - at;
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
			}
			break;
		case 2: { /* insert a token */
			const char *t = tokens[rnd(sizeof(tokens) / sizeof(tokens[0]))];
			size_t n = t[0] ? strlen(t) : 1;

			if (len + n <= cap) {
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, t, n);
				len += n;
			}
			break;
		}
		case 3: { /* duplicate a chunk */
			size_t from = rnd((uint32_t)len + 1), n = rnd(64);

			if (from + n > len)
				n = len - from;
			if (len + n <= cap) {
				char chunk[64];

				memcpy(chunk, buf + from, n);
				memmove(buf + at + n, buf + at, len - at);
				memcpy(buf + at, chunk, n);
				len += n;
			}
			break;
		}
		default: /* cut */
			len = at;
			break;
		}
	}
	return len;
}

struct dribble {
	const char *p;
	size_t left;
};

static ssize_t read_dribble(void *ctx, void *buf, size_t cap, const char **why)
{
	struct dribble *d = ctx;
	size_t n = rnd(9) + 1;

	*why = NULL;
	if (n > cap)
		n = cap;
	if (n > d->left)
		n = d->left;
	memcpy(buf, d->p, n);
	d->p += n;
	d->left -= n;
	return (ssize_t)n;
}

static uint64_t total_of(const char *folded)
{
	uint64_t total = 0;

	for (const char *s = folded; s && *s;) {
		const char *nl = strchr(s, '\n'), *sp = memrchr(s, ' ', (size_t)(nl - s));

		total += strtoull(sp + 1, NULL, 10);
		s = nl + 1;
	}
	return total;
}

static void one_text(const char *buf, size_t len)
{
	struct loaded a = load_text("f", buf, len), c;
	struct trie *t = trie__new();
	struct dribble d = { buf, len };
	struct formats_error err;
	int ret = formats__load_reader(read_dribble, &d, "f", t, NULL, &err);
	char *b = ret ? NULL : folded_of(t);

	CHECK_EQ_U64(ret, a.ret);
	if (!a.ret && !ret && strcmp(a.folded, b))
		CHECK(!"whole and dribbled loads differ");
	/* Names of different kinds may print alike ("h" the comm, "h" a frame) and merge when
	 * reloaded, so the output need not reload to itself at once, but the second time. */
	if (!a.ret && a.folded[0] != '#' && !strstr(a.folded, "\n#")) {
		struct loaded e;

		c = load_text("again", a.folded, strlen(a.folded));
		CHECK_EQ_U64(c.ret, 0);
		CHECK_EQ_U64(total_of(c.folded), total_of(a.folded));
		if (c.ret || total_of(c.folded) != total_of(a.folded))
			fprintf(stderr, "  input: \"%.*s\"\n  out: \"%s\"\n  error: %s\n", (int)len,
				buf, a.folded, c.err.msg);
		e = load_text("again", c.folded ? c.folded : "", c.folded ? strlen(c.folded) : 0);
		if (!c.ret && (e.ret || strcmp(c.folded, e.folded))) {
			CHECK(!"folded output does not reload to itself");
			fprintf(stderr, "  input: %.*s\n  out: %s\n  again: %s\n", (int)len, buf,
				a.folded, c.folded);
		}
		free(e.folded);
		free(c.folded);
	}
	if (a.ret)
		CHECK(a.err.msg[0] && !strchr(a.err.msg, '\n') && !strchr(a.err.msg, '\x1b'));
	free(b);
	free(a.folded);
	trie__free(t);
}

static void one_compressed(const char *buf, size_t len, bool zstd)
{
	char out[8192];
	size_t n;
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	struct trie *t = trie__new();
	struct formats_error err;
	int ret;

	if (zstd) {
		n = ZSTD_compress(out, sizeof(out), buf, len, 1);
		if (ZSTD_isError(n))
			abort();
	} else {
		uLongf dl = sizeof(out);
		z_stream z = { 0 };

		if (deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			abort();
		z.next_in = (unsigned char *)buf;
		z.avail_in = (uInt)len;
		z.next_out = (unsigned char *)out;
		z.avail_out = (uInt)dl;
		if (deflate(&z, Z_FINISH) != Z_STREAM_END)
			abort();
		n = z.total_out;
		deflateEnd(&z);
	}
	n = mutate(out, n, sizeof(out));
	if (fd < 0 || write(fd, out, n) != (ssize_t)n || lseek(fd, 0, SEEK_SET))
		abort();
	ret = formats__load_fd(fd, "z", t, NULL, &err);
	CHECK(ret == 0 || ret == -EINVAL || ret == -EOVERFLOW);
	if (ret)
		CHECK(err.msg[0] && !strchr(err.msg, '\n'));
	close(fd);
	trie__free(t);
}

int main(int argc, char **argv)
{
	int iterations = argc > 2 ? atoi(argv[2]) : 20000;
	char buf[4096];

	for (int i = 0; i < iterations; i++) {
		const char *seed = seeds[rnd(sizeof(seeds) / sizeof(seeds[0]))];
		size_t len = strlen(seed);

		memcpy(buf, seed, len);
		len = mutate(buf, len, sizeof(buf));
		one_text(buf, len);
		if (i % 8 == 0)
			one_compressed(buf, len, i % 16 == 0);
		if (check_failures > 20)
			break;
	}
	return check_done();
}
