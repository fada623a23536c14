/* SPDX-License-Identifier: MIT */
/*
 * `perf script` text collapsed directly, as stackcollapse-perf.pl does by default: a header line
 * ("comm pid/tid [cpu] time: period event:", fields optional) starts a sample, indented lines
 * "\tADDR SYMBOL+0xOFF (DSO)" are its frames innermost first, a blank line ends it. Each
 * sample weighs its period (1 when none is printed, or with count_samples), only samples of the
 * first event seen are kept; the stack is comm (FRAME_ROOT, spaces as '_') then the frames
 * outermost first. Without -g, perf prints the one frame on the header line: a one-frame stack.
 */
#ifndef FLAMETUI_FORMATS_PERFSCRIPT_H
#define FLAMETUI_FORMATS_PERFSCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
/* Also counts where in their binaries frames were into fa (borrowed; NULL for none): perf's
 * address of each frame in a file, weighed as the sample is. */
struct frameaddrs;
void perfscript_parser__set_addrs(struct perfscript_parser *p, struct frameaddrs *fa);
/* Counts each sample 1 instead of its period (set before the first line). */
void perfscript_parser__count_samples(struct perfscript_parser *p, bool on);
/* Adds the last sample (the input need not end with a blank line). 0 or -errno. */
int perfscript_parser__finish(struct perfscript_parser *p);
const char *perfscript_parser__why(const struct perfscript_parser *p);
/* Samples added so far. */
size_t perfscript_parser__samples(const struct perfscript_parser *p);
/* What the counts are: "samples", "ns of cpu-clock", "cycles" (valid until the next call). */
const char *perfscript_parser__unit(struct perfscript_parser *p);
/* One line saying which samples were left out (other events), or NULL. */
const char *perfscript_parser__note(struct perfscript_parser *p);

/* Format detection helpers. A frame line: a hex address first, indented or with a "(dso)". */
bool perfscript__looks_like_frame(const char *line, size_t len);
/* A header line with an unmistakable shape: a "pid/tid", "[cpu]" or "12.345:" time field. */
bool perfscript__looks_like_header(const char *line, size_t len);

/* A header of stackcollapse-perf.pl's shape ("comm PID ...") followed by a frame line. */
bool perfscript__starts_sample(const char *line, size_t len, const char *next, size_t next_len);

/* Where the comm is in a header line (it may contain spaces): offset and length. */
void perfscript__header_comm(const char *line, size_t len, size_t *ret_off, size_t *ret_len);

/*
 * Parses a frame line into its display name and kind with stackcollapse-perf.pl's rules:
 * offsets ("+0x1a") and everything from the first '(' stripped ("foo(int)" -> "foo", but
 * "(anonymous namespace)" and Go's "pkg.(*T).M" kept), quotes dropped, ';' turned into ':'
 * (it separates folded frames), unknown symbols named after their DSO ("[libc.so.6]"), with
 * `java` Java's "Lpkg/C;.m(I)V" as "pkg/C:.m". An inline chain "a->b" gives "a;b_[i]"
 * (outermost first); a symbol starting with '(' gives "" (the frame is skipped). Writes at
 * most cap bytes to buf; returns the length (which may exceed cap: call again with a bigger
 * buffer) or -1 when the line is not a frame.
 */
/*
 * The same tidying for one symbol name, not a frame line (perf map names of JIT code): args cut,
 * quotes dropped, ';' as ':', and with `java` "Lorg/foo/Bar;.baz(I)V" as "org/foo/Bar:.baz"
 * (HotSpot's own maps write "long org.foo.Bar.baz(int)", which gives "long org.foo.Bar.baz").
 * Writes at most cap bytes; returns the full length.
 */
size_t perfscript__tidy(const char *sym, size_t len, bool java, char *buf, size_t cap);
long perfscript__frame_name(const char *line, size_t len, bool java, char *buf, size_t cap,
			    int *ret_kind);

/*
 * The same, also saying where the frame's code is when its dso is a file (an absolute path,
 * not a perf map nor the kernel): the path (in the line) and the address perf printed, which
 * for user frames is relative to the binary's mapping (perf's map_ip: the file offset).
 */
struct perfscript_where {
	const char *path; /* NULL: not in a file */
	size_t path_len;
	uint64_t offset;
};
long perfscript__frame_name_at(const char *line, size_t len, bool java, char *buf, size_t cap,
			       int *ret_kind, struct perfscript_where *ret_where);

/* The binary a frame line names in its "(dso)": "[kernel]" for the kernel, a kernel module's
 * name, "[jit]" for a perf map, else the file's basename (interned in t); TRIE_MODULE_NONE
 * when it has none or is not a frame line. */
uint16_t perfscript__frame_module(struct trie *t, const char *line, size_t len);

#endif
