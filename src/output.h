/* SPDX-License-Identifier: MIT */
/* `--output FILE`, the same for every command: checked when parsed, written at the end, with
 * the one-line messages the user sees. */
#ifndef FLAMETUI_OUTPUT_H
#define FLAMETUI_OUTPUT_H

#include "export/export.h"
#include "trie.h"
#include "tui.h"

/* 0 when PATH names a format flametui writes; otherwise prints why and returns -1. */
int output__check(const char *path);
/* Writes t to PATH; prints "flametui: wrote PATH (FORMAT, N samples)" or the error. Returns
 * EXIT_OK or EXIT_FAIL. */
int output__write(struct trie *t, const char *path, const struct export_opts *o);

/* The end of a profile printed on stdout (--folded), `err` the writer's 0 or -errno: flushes
 * it; a reader that went away (| head, EPIPE) is no error, the command ends quietly with 0 as
 * other Unix tools do; any other error is said in one line with its reason. EXIT_OK or
 * EXIT_FAIL. (SIGPIPE is ignored from main() on, so a closed pipe is an EPIPE here.) */
int output__stdout_end(int err);

/* A tui_info.write for every command: what is shown (the stacks through the zoom) to PATH.
 * ctx, when not NULL, is a struct export_opts to start from (period, times; a timeline for
 * speedscope's timed form, cut to the view's time range). */
int output__view(void *ctx, const struct tui_export *x, const char *path, char *msg,
		 size_t cap);

#endif
