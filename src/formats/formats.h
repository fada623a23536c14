/* SPDX-License-Identifier: MIT */
/*
 * Profiles read from files: collapsed ("folded") stacks, `perf script` text and flametui
 * recordings, plain, gzip or zstd, recognised by content. The loaders fill a trie; errors come back as one line of
 * text for the program's edge to print (library code never prints).
 */
#ifndef FLAMETUI_FORMATS_H
#define FLAMETUI_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct trie;
struct timeline;
struct frameaddrs;

struct formats_error {
	char msg[512]; /* one line, no "flametui: " prefix: `x.txt:3: not a collapsed ...` */
	uint64_t line; /* 1-based line of the bad input, 0 when not about a line */
	/* On success: damage that was skipped (a recording cut short), or "". */
	char note[320];
	/* On success: what the input says about itself (a recording's command line), or "". */
	char about[200];
};

enum formats_kind {
	FORMATS_EMPTY = 0, /* no samples: nothing but blank or comment lines */
	FORMATS_FOLDED,
	FORMATS_PERF_SCRIPT,
	FORMATS_RECORDING, /* flametui record's files (doc/recording.md) */
};

/* What a load is asked, and what it found. */
struct formats_load {
	bool count_samples;	 /* in: perf script samples count 1, not their period */
	struct timeline *tl;	 /* in: also every sample's time, or NULL (see below) */
	/* in: also where in their binaries frames were (a recording's table, perf script's
	 * addresses), or NULL */
	struct frameaddrs *addrs;
	enum formats_kind kind;	 /* out */
	char unit[80];		 /* out: what the counts are: "samples", "ns of cpu-clock" */
	char note[320];		 /* out: one line about what was left out, or "" */
	uint64_t period_ns;	 /* out: what one sample stands for (a recording's 1/hz), 0: unknown */
	int64_t wall_ns;	 /* out: wall-clock time of the first sample (a recording), 0: unknown */
};

/* "empty", "collapsed stacks", "perf script", "recording". */
const char *formats__kind_name(enum formats_kind kind);

/*
 * Loads PATH ("-" = stdin) into t. The format is decided on the first lines, then every line
 * must fit it. Returns 0 with *ret_kind set (ret_kind may be NULL), or a negative errno with
 * err->msg filled: -ENOENT etc. when the file cannot be opened or read, -EINVAL for bad or
 * truncated input, -EOVERFLOW when sample counts overflow, -EFBIG for a line over 64 MiB,
 * -ENOMEM. On failure t holds whatever was read before the error: callers discard it.
 */
int formats__load_path(const char *path, struct trie *t, enum formats_kind *ret_kind,
		       struct formats_error *err);
/*
 * The same, also filling tl (when not NULL) with every sample's time and stack (over t's
 * names): recordings, and perf script text whose headers carry times. tl stays empty for
 * inputs without times.
 */
int formats__load_path_timeline(const char *path, struct trie *t, struct timeline *tl,
				enum formats_kind *ret_kind, struct formats_error *err);
/* The same with options in and the summary out (io must not be NULL). */
int formats__load_path_opts(const char *path, struct trie *t, struct formats_load *io,
			    struct formats_error *err);
int formats__load_buf_opts(const void *buf, size_t len, const char *name, struct trie *t,
			   struct formats_load *io, struct formats_error *err);
/* The same for an open descriptor (borrowed, not closed); name is used in messages. */
int formats__load_fd(int fd, const char *name, struct trie *t, enum formats_kind *ret_kind,
		     struct formats_error *err);
/* The same for uncompressed text in memory (tests, fuzzing). */
int formats__load_buf(const void *buf, size_t len, const char *name, struct trie *t,
		      enum formats_kind *ret_kind, struct formats_error *err);

/*
 * The loader behind the others: `read` fills buf with up to cap bytes and returns the count,
 * 0 at the end, or a negative errno (with *ret_why pointing to a static text, or NULL).
 */
typedef ssize_t (*formats_read_fn)(void *ctx, void *buf, size_t cap, const char **ret_why);
int formats__load_reader(formats_read_fn read, void *ctx, const char *name, struct trie *t,
			 enum formats_kind *ret_kind, struct formats_error *err);

/*
 * Writes s[0..len) into dst (always NUL-terminated when cap > 0) so that a terminal shows it
 * literally: control bytes, invalid UTF-8, bidi and zero-width characters become \xNN, '"' and
 * '\' are backslash-escaped. Stops after max_chars characters and appends "...". Returns the
 * length written.
 */
size_t formats__escape(char *dst, size_t cap, const void *s, size_t len, size_t max_chars);
/*
 * The same without quoting and without a length limit: valid, printable UTF-8 out, every other
 * byte as the four characters \xNN. Exporters run names through it before escaping them for
 * their target (XML, JSON). dst needs 4 * len + 5 bytes to hold all of it (then nothing is cut).
 */
size_t formats__sanitize(char *dst, size_t cap, const void *s, size_t len);

/*
 * The helper for every message that quotes outside text (paths, arguments, names): s escaped
 * as above, at most 200 characters, in one of eight per-thread buffers, so up to eight calls
 * can appear in one printf. NULL reads as "".
 */
const char *formats__q(const char *s);

#endif
