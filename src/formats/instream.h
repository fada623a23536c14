/* SPDX-License-Identifier: MIT */
/*
 * A byte stream over a file descriptor that transparently inflates gzip (1f 8b) and zstd
 * (28 b5 2f fd) input, recognised by magic, so files and pipes read the same way.
 */
#ifndef FLAMETUI_FORMATS_INSTREAM_H
#define FLAMETUI_FORMATS_INSTREAM_H

#include <stddef.h>
#include <sys/types.h>

enum instream_codec {
	INSTREAM_PLAIN = 0,
	INSTREAM_GZIP,
	INSTREAM_ZSTD,
};

struct instream;

/* Reads from fd (borrowed, not closed). Returns NULL with errno set. */
struct instream *instream__new(int fd);
struct instream *instream__free(struct instream *s);

/*
 * Reads up to cap decoded bytes into buf. Returns the count, 0 at the end of the input, or a
 * negative errno: -EIO style read errors, -EINVAL for corrupt or truncated compressed data,
 * -ENOMEM. On failure *ret_why (if not NULL) points to a static description
 * ("truncated gzip data") or NULL when strerror() of the code says it all.
 */
ssize_t instream__read(struct instream *s, void *buf, size_t cap, const char **ret_why);

/*
 * From now on reads wait for the input's writer (a pipe's) half a second in all (what has
 * arrived is read), and take at most `max_raw` more bytes from the fd: past either,
 * instream__read() fails with -EAGAIN and no reason. For a last look at the input, after an error. Not while another thread reads.
 */
void instream__stop_waiting(struct instream *s, size_t max_raw);

/* The codec found from the first bytes; valid after the first read. */
enum instream_codec instream__codec(const struct instream *s);

#endif
