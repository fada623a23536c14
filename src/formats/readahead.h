/* SPDX-License-Identifier: MIT */
/*
 * readahead: runs a reader (formats_read_fn) in a second thread, a few chunks ahead of its
 * consumer, so that decompressing a .gz/.zst file and parsing it use two cores. Only for
 * readers that cannot block indefinitely (a regular file): freeing waits for the one read in
 * progress.
 */
#ifndef FLAMETUI_FORMATS_READAHEAD_H
#define FLAMETUI_FORMATS_READAHEAD_H

#include <sys/types.h>

#include "formats.h"

struct readahead;

/* Starts the thread over rd(ctx) (borrowed). Returns NULL with errno set. */
struct readahead *readahead__new(formats_read_fn rd, void *ctx);
/* Stops the thread and frees; accepts NULL. */
struct readahead *readahead__free(struct readahead *r);
/* A formats_read_fn over the chunks read ahead: bytes, 0 at the end, or the reader's error. */
ssize_t readahead__read(void *r, void *buf, size_t cap, const char **ret_why);

#endif
