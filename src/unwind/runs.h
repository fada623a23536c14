/* SPDX-License-Identifier: MIT */
/*
 * Free runs of the kernel's row array: a first-fit allocator of [start, start + len) ranges of
 * [0, size), kept sorted and coalesced, so a freed table's rows join their neighbours and a
 * big table finds room once enough is free next to each other. Pure: no kernel, no files.
 */
#ifndef FLAMETUI_UNWIND_RUNS_H
#define FLAMETUI_UNWIND_RUNS_H

#include <stddef.h>
#include <stdint.h>

struct runs;

struct runs *runs__new(uint32_t size);	 /* all free; NULL with errno set */
struct runs *runs__free(struct runs *r); /* NULL-safe, returns NULL */

/* The first free run of at least len: 0 and its start, or -ENOSPC. */
int runs__take(struct runs *r, uint32_t len, uint32_t *ret_start);
/* Gives [start, start + len) back (it must have been taken): 0, or -ENOMEM (then it stays
 * taken: lost, never handed out twice). */
int runs__give(struct runs *r, uint32_t start, uint32_t len);

#endif
