/* SPDX-License-Identifier: MIT */
/*
 * addrlines: the view's questions about where in its binary a frame was sampled (its hottest
 * address, the status line's file:line, the L list) answered from a frame address table
 * (frameaddrs.h: the collector's while live, a recording's or perf script's in `flametui
 * file`), with source lines read lazily through srclines (libdw), never while sampling.
 * A binary the table knows an identity of (a recording's build-id, or size and mtime) is
 * compared with the file on disk at the first question about it: one that changed gives no
 * lines, and the status line says so.
 */
#ifndef FLAMETUI_ADDRLINES_H
#define FLAMETUI_ADDRLINES_H

#include <stddef.h>
#include <stdint.h>

#include "frameaddrs.h"
#include "trie.h"

struct addrlines;
struct tui_frame_addr;
struct tui_line;

/* Files of root or of the user behind sudo are read. NULL with errno set. */
struct addrlines *addrlines__new(void);
struct addrlines *addrlines__free(struct addrlines *a);

/* tui_info.frame_addr over table fa (NULL: nothing known, -ENOENT). */
int addrlines__frame_addr(struct addrlines *a, const struct frameaddrs *fa, const char *name,
			  size_t len, enum frame_kind kind, struct tui_frame_addr *ret);
/* tui_info.frame_lines over fa: -ENOENT without lines, -ESTALE when every address of the
 * frame is in a binary that changed since the table was made. */
int addrlines__frame_lines(struct addrlines *a, const struct frameaddrs *fa, const char *name,
			   size_t len, enum frame_kind kind, struct tui_line *ret, size_t cap,
			   uint64_t *ret_total);

/* What identifies the binary at path now (rec_ident_fn, for a recording's table): its
 * build-id when it has one, and its size and mtime. ctx: an addrlines, whose user's and root's
 * files only are read (-EACCES for others), or NULL for any. 0 or -errno. */
int addrlines__ident(void *ctx, const char *path, struct frameaddrs_ident *ret);

#endif
