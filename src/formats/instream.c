/* SPDX-License-Identifier: MIT */
/*
 * instream: reads a file descriptor in large chunks and hands out decoded bytes, inflating
 * gzip (zlib, any number of concatenated members) and zstd (streaming, any number of frames)
 * when the first bytes carry their magic. Memory stays bounded: one raw buffer plus the
 * decoders' own windows, whatever the (possibly hostile) compression ratio.
 */
#include "instream.h"
#include "clock.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#define RAW_CAP (1u << 20)
/* What the first read asks for, to see the magic: a plain file's bytes then go straight to
 * the caller's buffer, so most of raw is never touched (1 MiB of fresh pages and a copy saved,
 * a few percent of a 10 MB file's load). */
#define FIRST_READ (64u << 10)
/* instream__stop_waiting(): how long a read may still wait for more input, in all */
#define LAST_LOOK_MS 500

struct instream {
	int fd; /* borrowed */
	enum instream_codec codec;
	bool started;
	bool eof; /* read() returned 0 */
	unsigned char *raw; /* owned, RAW_CAP bytes */
	size_t pos, len;    /* unread raw bytes are raw[pos..len) */
	z_stream z;
	bool z_ready;
	bool member_done; /* the current gzip member ended */
	ZSTD_DStream *zs; /* owned */
	size_t zret;	  /* last ZSTD_decompressStream() hint: 0 when a frame is complete */
	bool no_wait;	  /* instream__stop_waiting(): */
	size_t raw_left;  /* ... bytes it may still read */
	int64_t until_ms; /* ... and until when (clock__now_ms) */
};

struct instream *instream__new(int fd)
{
	struct instream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->raw = malloc(RAW_CAP);
	if (!s->raw) {
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	s->fd = fd;
	return s;
}

struct instream *instream__free(struct instream *s)
{
	if (!s)
		return NULL;
	if (s->z_ready)
		inflateEnd(&s->z);
	ZSTD_freeDStream(s->zs);
	free(s->raw);
	free(s);
	return NULL;
}

void instream__stop_waiting(struct instream *s, size_t max_raw)
{
	s->no_wait = true;
	s->raw_left = max_raw;
	s->until_ms = clock__now_ms() + LAST_LOOK_MS;
}

enum instream_codec instream__codec(const struct instream *s)
{
	return s->codec;
}

/* Appends what one read() of at most `want` bytes gives to the raw buffer (compacting it
 * first). 0 or -errno. */
static int fill_upto(struct instream *s, size_t want)
{
	ssize_t n;

	if (s->pos == s->len) {
		s->pos = 0;
		s->len = 0;
	} else if (s->pos > 0) {
		memmove(s->raw, s->raw + s->pos, s->len - s->pos);
		s->len -= s->pos;
		s->pos = 0;
	}
	if (s->len == RAW_CAP || s->eof)
		return 0;
	if (want > RAW_CAP - s->len)
		want = RAW_CAP - s->len;
	if (s->no_wait) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		int64_t left = s->until_ms - clock__now_ms();

		/* what has arrived is read at any time; waiting for more has a deadline */
		if (!s->raw_left || poll(&p, 1, left > 0 ? (int)left : 0) != 1)
			return -EAGAIN;
		if (want > s->raw_left)
			want = s->raw_left;
	}
	do
		n = read(s->fd, s->raw + s->len, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		s->eof = true;
	s->len += (size_t)n;
	if (s->no_wait)
		s->raw_left -= (size_t)n;
	return 0;
}

static int fill(struct instream *s)
{
	return fill_upto(s, RAW_CAP);
}

/* pzstd (and zstd --format=... with metadata) starts with a skippable frame: 0x184D2A5?. */
static bool zstd_skippable(const unsigned char *p)
{
	return (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18;
}

static int start(struct instream *s)
{
	static const unsigned char zstd_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
	int err;

	/* Pipes may deliver the magic a byte at a time. */
	while (s->len - s->pos < 4 && !s->eof) {
		err = fill_upto(s, FIRST_READ);
		if (err)
			return err;
	}
	s->started = true;
	if (s->len - s->pos >= 2 && s->raw[s->pos] == 0x1f && s->raw[s->pos + 1] == 0x8b) {
		/* 15 + 32: the largest window, and accept the gzip wrapper. */
		if (inflateInit2(&s->z, 15 + 32) != Z_OK)
			return -ENOMEM;
		s->z_ready = true;
		s->codec = INSTREAM_GZIP;
	} else if (s->len - s->pos >= 4 && (!memcmp(s->raw + s->pos, zstd_magic, 4) ||
					     zstd_skippable(s->raw + s->pos))) {
		s->zs = ZSTD_createDStream();
		if (!s->zs)
			return -ENOMEM;
		s->zret = ZSTD_initDStream(s->zs);
		if (ZSTD_isError(s->zret))
			return -ENOMEM;
		s->codec = INSTREAM_ZSTD;
	}
	return 0;
}

static ssize_t read_plain(struct instream *s, unsigned char *buf, size_t cap)
{
	ssize_t n;

	if (s->pos < s->len) {
		size_t k = s->len - s->pos < cap ? s->len - s->pos : cap;

		memcpy(buf, s->raw + s->pos, k);
		s->pos += k;
		return (ssize_t)k;
	}
	if (s->eof)
		return 0;
	do
		n = read(s->fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		s->eof = true;
	return n;
}

static ssize_t read_gzip(struct instream *s, unsigned char *buf, size_t cap, const char **why)
{
	for (;;) {
		size_t produced;
		int ret, err;

		if (s->member_done) {
			if (s->pos == s->len) {
				if (s->eof)
					return 0;
				err = fill(s);
				if (err)
					return err;
				continue;
			}
			/* Another member follows (concatenated .gz files are one stream). */
			if (s->raw[s->pos] != 0x1f) {
				*why = "trailing garbage after gzip data";
				return -EINVAL;
			}
			if (inflateReset(&s->z) != Z_OK)
				return -ENOMEM;
			s->member_done = false;
		}
		s->z.next_in = s->raw + s->pos;
		s->z.avail_in = (uInt)(s->len - s->pos);
		s->z.next_out = buf;
		s->z.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
		ret = inflate(&s->z, Z_NO_FLUSH);
		produced = (size_t)(s->z.next_out - buf);
		s->pos = s->len - s->z.avail_in;
		switch (ret) {
		case Z_STREAM_END:
			s->member_done = true;
			/* fall through */
		case Z_OK:
		case Z_BUF_ERROR: /* no progress possible: needs input */
			break;
		case Z_MEM_ERROR:
			return -ENOMEM;
		default:
			*why = "corrupt gzip data";
			return -EINVAL;
		}
		if (produced)
			return (ssize_t)produced;
		if (s->member_done)
			continue;
		if (s->pos == s->len) {
			if (s->eof) {
				*why = "truncated gzip data";
				return -EINVAL;
			}
			err = fill(s);
			if (err)
				return err;
		}
	}
}

static ssize_t read_zstd(struct instream *s, unsigned char *buf, size_t cap, const char **why)
{
	for (;;) {
		ZSTD_inBuffer in = { s->raw, s->len, s->pos };
		ZSTD_outBuffer out = { buf, cap, 0 };
		size_t r = ZSTD_decompressStream(s->zs, &out, &in);
		int err;

		if (ZSTD_isError(r)) {
			/* zstd --long=N (N > 27) needs a window past the decoder's default bound; we
			 * keep that bound (up to 2 GiB per stream otherwise) and say what to do. */
			if (ZSTD_getErrorCode(r) == ZSTD_error_frameParameter_windowTooLarge)
				*why = "zstd data made with --long needs a window over 128 MiB: "
				       "decompress it with `zstd -dc --long=31 FILE | flametui file -`";
			else
				*why = "corrupt zstd data";
			return -EINVAL;
		}
		/* Called on empty input after a frame, zstd hints at the next frame's header:
		 * only calls that did something tell whether the stream stopped mid-frame. */
		if (in.pos != s->pos || out.pos)
			s->zret = r;
		s->pos = in.pos;
		if (out.pos)
			return (ssize_t)out.pos;
		if (s->pos < s->len)
			continue;
		if (s->eof) {
			if (s->zret == 0)
				return 0;
			*why = "truncated zstd data";
			return -EINVAL;
		}
		err = fill(s);
		if (err)
			return err;
	}
}

ssize_t instream__read(struct instream *s, void *buf, size_t cap, const char **ret_why)
{
	const char *why = NULL;
	ssize_t n;

	if (ret_why)
		*ret_why = NULL;
	if (cap == 0)
		return 0;
	if (!s->started) {
		int err = start(s);

		if (err)
			return err;
	}
	switch (s->codec) {
	case INSTREAM_GZIP:
		n = read_gzip(s, buf, cap, &why);
		break;
	case INSTREAM_ZSTD:
		n = read_zstd(s, buf, cap, &why);
		break;
	default:
		n = read_plain(s, buf, cap);
		break;
	}
	if (n < 0 && ret_why)
		*ret_why = why;
	return n;
}
