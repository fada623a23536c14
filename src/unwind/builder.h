/* SPDX-License-Identifier: MIT */
/*
 * The table builder thread: builds unwind tables from open files off the caller's thread (a
 * big binary takes tens of milliseconds, seconds on a loaded machine, and the ringbuf consumer
 * must not wait for it). Jobs go in with a tag; finished tables come out with it when the
 * caller collects. Only the job lists cross threads, under a mutex. Library code: it never
 * prints.
 */
#ifndef FLAMETUI_UNWIND_BUILDER_H
#define FLAMETUI_UNWIND_BUILDER_H

#include <stddef.h>

#include "table.h"

struct builder;

struct builder *builder__new(void);		  /* NULL with errno set */
struct builder *builder__free(struct builder *b); /* NULL-safe: stops the thread, drops jobs */

/* Builds a table from fd (and debug_fd's .debug_frame when fd has no .eh_frame_hdr; -1: no
 * debug file) on the thread, started with the first job: 0, and the fds are the builder's
 * (closed once read); or -errno, and they are still the caller's. */
int builder__queue(struct builder *b, int fd, int debug_fd, void *tag);

/* Hands every finished job to fn: the table (owned by fn from then on; NULL on failure) and
 * unwind_table__build_fd's result. Returns how many. */
typedef void builder_done_fn(void *ctx, void *tag, struct unwind_table *t, int err);
size_t builder__collect(struct builder *b, builder_done_fn *fn, void *ctx);

#endif
