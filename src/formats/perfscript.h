/* SPDX-License-Identifier: MIT */
/*
 * `perf script` text collapsed directly, as stackcollapse-perf.pl does: a header line
 * ("comm pid/tid [cpu] time: period event:", fields optional) starts a sample, indented lines
 * "\tADDR SYMBOL+0xOFF (DSO)" are its frames innermost first, a blank line ends it. Each
 * sample counts 1 (not its period); the stack is comm (FRAME_ROOT) then the frames outermost
 * first.
 */
#ifndef FLAMETUI_FORMATS_PERFSCRIPT_H
#define FLAMETUI_FORMATS_PERFSCRIPT_H

#include <stdbool.h>
#include <stddef.h>

struct trie;
struct timeline;
struct perfscript_parser;

/* Adds to t (borrowed). Returns NULL with errno set. */
struct perfscript_parser *perfscript_parser__new(struct trie *t);
struct perfscript_parser *perfscript_parser__free(struct perfscript_parser *p);

/* Also adds each sample whose header has a time ("2048.841723:") to tl (borrowed; NULL for
 * none), its stack over the trie's name ids. */
void perfscript_parser__set_timeline(struct perfscript_parser *p, struct timeline *tl);

/*
 * Feeds one line (without '\n'; a trailing '\r' is ignored). Lines starting with '#' are
 * skipped. Returns 0, -EINVAL for a line that fits no perf script shape (see
 * perfscript_parser__why()), -EOVERFLOW, or -ENOMEM.
 */
int perfscript_parser__line(struct perfscript_parser *p, const char *line, size_t len);
/* Adds the last sample (the input need not end with a blank line). 0 or -errno. */
int perfscript_parser__finish(struct perfscript_parser *p);
const char *perfscript_parser__why(const struct perfscript_parser *p);
/* Samples added so far. */
size_t perfscript_parser__samples(const struct perfscript_parser *p);

/* Format detection helpers. A frame line: indented, a hex address first. */
bool perfscript__looks_like_frame(const char *line, size_t len);
/* A header line with an unmistakable shape: a "pid/tid", "[cpu]" or "12.345:" time field. */
bool perfscript__looks_like_header(const char *line, size_t len);

/* Where the comm is in a header line (it may contain spaces): offset and length. */
void perfscript__header_comm(const char *line, size_t len, size_t *ret_off, size_t *ret_len);

/*
 * Parses a frame line into its display name and kind: offsets ("+0x1a") and argument lists
 * stripped ("foo(int)" -> "foo", "operator()" kept), ';' turned into ':' (it separates folded
 * frames), unknown symbols named after their DSO ("[libc.so.6]"). Writes at most cap bytes to
 * buf; returns the name length (which may exceed cap: call again with a bigger buffer) or -1
 * when the line is not a frame.
 */
long perfscript__frame_name(const char *line, size_t len, char *buf, size_t cap,
			    int *ret_kind);

#endif
