/* SPDX-License-Identifier: MIT */
/*
 * load: turns a byte stream into lines (in place, in one growing buffer: no per-line
 * allocation), decides the format from the first significant lines, feeds the chosen parser,
 * and words the one error the user sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addpipe.h"
#include "folded.h"
#include "formats.h"
#include "instream.h"
#include "perfscript.h"
#include "readahead.h"
#include "recload.h"
#include "recording.h"
#include "trie.h"
#include "twocpus.h"

/* The line buffer: 256 KiB (a quarter of a core's L2 here), not 1 MiB: the lines are still in
 * cache when the parser reads them, and 3/4 MiB fewer fresh pages are faulted in (about 1 ms
 * of a 10 MB file's 28 ms load here, measured alternating). Longer lines grow it. */
#define CHUNK (256u << 10)
/* A line longer than this is not a profile (think /dev/zero); refusing bounds memory. */
#define MAX_LINE (64u << 20)
/* Recordings are read whole: an hour at 4999 Hz on 2 CPUs is about 200 MiB. */
#define MAX_RECORDING (4ull << 30)
#define QUOTE_CHARS 60
/* After a line that is not a profile's, in compressed input: decoded text read on, at most,
 * to see whether the codec finds the data corrupt (codec_verdict); and compressed bytes. */
#define VERIFY_TEXT (16u << 20)
#define VERIFY_RAW (16u << 20)

struct loader {
	const char *name;
	struct trie *t; /* borrowed */
	struct timeline *tl; /* borrowed, may be NULL */
	enum formats_kind kind; /* FORMATS_EMPTY while still deciding */
	struct folded_parser *folded;
	struct perfscript_parser *perf;
	char *pending; /* owned copy of the first significant line, while deciding */
	size_t pending_len;
	uint64_t pending_lineno;
	bool has_pending;
	uint64_t lineno;
	struct formats_load *io;
	struct formats_error *err;
	struct instream *stream; /* borrowed, NULL when not reading one */
	bool stream_here;	 /* stream is read in this thread (no readahead) */
	uint64_t snapshots; /* "# time=" lines: flametui's live --folded output (cmd_live.c) */
};

/* What flametui aggregate and ring print before each snapshot with --folded and no terminal. */
#define SNAPSHOT_MARK "# time="

const char *formats__kind_name(enum formats_kind kind)
{
	switch (kind) {
	case FORMATS_FOLDED:
		return "collapsed stacks";
	case FORMATS_PERF_SCRIPT:
		return "perf script";
	case FORMATS_RECORDING:
		return "recording";
	default:
		return "empty";
	}
}

static void set_msg(struct formats_error *err, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_msg(struct formats_error *err, uint64_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->line = line;
}

/* NAME:LINE: WHY: "the line, escaped" */
static int line_error(struct loader *l, int code, uint64_t lineno, const char *why,
		      const char *line, size_t len)
{
	char quoted[QUOTE_CHARS * 4 + 8];

	while (len > 0 && line[len - 1] == '\r')
		len--;
	formats__escape(quoted, sizeof(quoted), line, len, QUOTE_CHARS);
	set_msg(l->err, lineno, "%s:%llu: %s: \"%s\"", l->name, (unsigned long long)lineno, why,
		quoted);
	return code;
}

static int generic_error(struct loader *l, int code, const char *why)
{
	if (code == -ENOMEM)
		set_msg(l->err, 0, "%s: out of memory", l->name);
	else if (why)
		set_msg(l->err, 0, "%s: %s", l->name, why);
	else
		set_msg(l->err, 0, "%s: read error: %s", l->name, strerror(-code));
	return code;
}

static bool significant(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	return i < len && line[0] != '#';
}

static int feed(struct loader *l, uint64_t lineno, const char *line, size_t len)
{
	int err;

	if (l->kind == FORMATS_FOLDED) {
		err = folded_parser__line(l->folded, line, len);
		if (err == -ENOMEM)
			return generic_error(l, err, NULL);
		if (err)
			return line_error(l, err, lineno, folded_parser__why(l->folded), line, len);
		return 0;
	}
	err = perfscript_parser__line(l->perf, line, len);
	if (err == -ENOMEM)
		return generic_error(l, err, NULL);
	if (err)
		return line_error(l, err, lineno, perfscript_parser__why(l->perf), line, len);
	return 0;
}

static int choose(struct loader *l, enum formats_kind kind)
{
	l->kind = kind;
	if (kind == FORMATS_FOLDED)
		l->folded = folded_parser__new(l->t);
	else if ((l->perf = perfscript_parser__new(l->t)))
		perfscript_parser__set_timeline(l->perf, l->tl);
	if (!l->folded && !l->perf)
		return generic_error(l, -ENOMEM, NULL);
	if (l->perf) {
		perfscript_parser__count_samples(l->perf, l->io->count_samples);
		perfscript_parser__set_addrs(l->perf, l->io->addrs);
	}
	return 0;
}

/*
 * Decides from the first significant line and the next one (NULL at the end of input):
 * a tab-indented "ADDRESS symbol" line (perf indents frames with a tab; folded files have no
 * indented lines) means perf script, whether first (-F ip,sym prints an empty header) or
 * under a header, or a "comm PID ..." header with any frame line under it (old perf indents
 * frames with spaces or not at all); then a folded line; then an unmistakable perf header.
 */
static int decide(struct loader *l, const char *next, size_t next_len)
{
	const char *first = l->pending;
	size_t len = l->pending_len;
	enum formats_kind kind;
	int err;

	if ((first[0] == '\t' && perfscript__looks_like_frame(first, len)) ||
	    (next && first[0] != '\t' && next[0] == '\t' &&
	     perfscript__looks_like_frame(next, next_len)) ||
	    (next && perfscript__starts_sample(first, len, next, next_len)))
		kind = FORMATS_PERF_SCRIPT;
	else if (folded__looks_like(first, len))
		kind = FORMATS_FOLDED;
	else if (perfscript__looks_like_header(first, len))
		kind = FORMATS_PERF_SCRIPT;
	else if (len >= 8 && !memcmp(first, "PERFILE2", 8))
		return line_error(l, -EINVAL, l->pending_lineno,
				  "this is a perf.data file, not text; convert it with "
				  "`perf script -i FILE | flametui file -`",
				  first, 8);
	else
		return line_error(l, -EINVAL, l->pending_lineno,
				  "not a collapsed stack (\"a;b;c 12\") nor perf script text", first,
				  len);
	err = choose(l, kind);
	if (!err)
		err = feed(l, l->pending_lineno, first, len);
	free(l->pending);
	l->pending = NULL;
	l->has_pending = false;
	return err;
}

static int on_line(struct loader *l, const char *line, size_t len)
{
	l->lineno++;
	if (len >= sizeof(SNAPSHOT_MARK) - 1 && line[0] == '#' &&
	    !memcmp(line, SNAPSHOT_MARK, sizeof(SNAPSHOT_MARK) - 1))
		l->snapshots++;
	if (l->kind != FORMATS_EMPTY)
		return feed(l, l->lineno, line, len);
	if (!significant(line, len))
		return 0;
	if (!l->has_pending) {
		l->pending = malloc(len + 1);
		if (!l->pending)
			return generic_error(l, -ENOMEM, NULL);
		memcpy(l->pending, line, len);
		l->pending_len = len;
		l->pending_lineno = l->lineno;
		l->has_pending = true;
		return 0;
	}
	return decide(l, line, len) ?: feed(l, l->lineno, line, len);
}

static int finish(struct loader *l)
{
	int err;

	if (l->has_pending) {
		err = decide(l, NULL, 0);
		if (err)
			return err;
	}
	if (l->kind == FORMATS_FOLDED) {
		err = folded_parser__finish(l->folded);
		if (err == -ENOMEM)
			return generic_error(l, err, NULL);
		if (err)
			return generic_error(l, err, folded_parser__why(l->folded));
	}
	if (l->kind == FORMATS_PERF_SCRIPT) {
		err = perfscript_parser__finish(l->perf);
		if (err == -ENOMEM)
			return generic_error(l, err, NULL);
		if (err)
			return generic_error(l, err, perfscript_parser__why(l->perf));
	}
	return 0;
}

/*
 * Doubles *buf when it is full (past max: -EFBIG, the message left to the caller), then
 * reads once into the free space: *ret_n bytes, 0 at the end. 0 or a negative errno.
 */
static int read_more(struct loader *l, formats_read_fn rd, void *ctx, char **buf, size_t *cap,
		     size_t len, size_t max, size_t *ret_n)
{
	const char *why = NULL;
	ssize_t n;

	if (len == *cap) {
		char *bigger;

		if (*cap >= max)
			return -EFBIG;
		bigger = realloc(*buf, *cap * 2);
		if (!bigger)
			return generic_error(l, -ENOMEM, NULL);
		*buf = bigger;
		*cap *= 2;
	}
	n = rd(ctx, *buf + len, *cap - len, &why);
	if (n < 0)
		return generic_error(l, (int)n, why);
	*ret_n = (size_t)n;
	return 0;
}

/* A recording is binary: read it whole (buf holds its first len bytes) and hand it over. */
static int run_recording(struct loader *l, formats_read_fn rd, void *ctx, char *buf, size_t len,
			 size_t cap)
{
	size_t n = 0;
	int err;

	while (!(err = read_more(l, rd, ctx, &buf, &cap, len, MAX_RECORDING, &n)) && n)
		len += n;
	if (err == -EFBIG)
		err = generic_error(l, -EFBIG, "recording larger than 4 GiB");
	if (!err) {
		l->kind = FORMATS_RECORDING;
		err = recload__load(buf, len, l->name, l->t, l->tl, l->io->addrs, l->err,
				    &l->io->period_ns,
				    &l->io->wall_ns);
	}
	free(buf);
	return err;
}

static void summarise(struct loader *l)
{
	const char *note = l->perf ? perfscript_parser__note(l->perf) : NULL;

	l->io->kind = l->kind;
	snprintf(l->io->unit, sizeof(l->io->unit), "%s",
		 l->perf ? perfscript_parser__unit(l->perf) : "samples");
	if (note)
		snprintf(l->io->note, sizeof(l->io->note), "%s", note);
	else if (l->snapshots > 1 && l->kind == FORMATS_FOLDED)
		/* each of aggregate's snapshots holds all before it: added up, counts multiply */
		snprintf(l->io->note, sizeof(l->io->note),
			 "%s holds %llu snapshots of flametui's live output, added together here; "
			 "each of aggregate's holds all before it: keep the lines after the last "
			 "'# time=' (sed -n '/^# time=/h;//!H;${x;p}' FILE)",
			 l->name, (unsigned long long)l->snapshots);
	else
		l->io->note[0] = '\0';
}

/*
 * A line that no parser takes, in compressed input: inflate hands out what it decoded before
 * it reaches damage, so garbage text may come before "corrupt gzip data", and how much of it
 * depends on how the input arrived (a pipe's chunks). The damage is the error to name: read
 * on, discarding, up to VERIFY_TEXT of text, and return the codec's error if it reports one,
 * else `err` (the line's error, its message kept). A pipe's writer that stalls without closing
 * is waited for half a second in all, and at most VERIFY_RAW more bytes of input are read
 * (a regular file read by the readahead thread never waits; that thread reads it on).
 */
static int codec_verdict(struct loader *l, formats_read_fn rd, void *ctx, char *buf, size_t cap,
			 int err)
{
	size_t seen = 0;

	if (!l->stream || instream__codec(l->stream) == INSTREAM_PLAIN)
		return err;
	if (l->stream_here)
		instream__stop_waiting(l->stream, VERIFY_RAW);
	while (seen < VERIFY_TEXT) {
		const char *why = NULL;
		ssize_t n = rd(ctx, buf, cap, &why);

		if (n < 0)
			return why ? generic_error(l, (int)n, why) : err;
		if (n == 0)
			break;
		seen += (size_t)n;
	}
	return err;
}

/* Reads everything, cutting lines in place; the tail of a chunk moves to the front. */
static int run(struct loader *l, formats_read_fn rd, void *ctx)
{
	size_t cap = CHUNK, len = 0, scanned = 0;
	char *buf = malloc(cap);
	bool first = true;
	int err = 0;

	if (!buf)
		return generic_error(l, -ENOMEM, NULL);
	for (;;) {
		size_t start = 0, n = 0;
		char *nl;

		err = read_more(l, rd, ctx, &buf, &cap, len, MAX_LINE, &n);
		if (err == -EFBIG) {
			err = line_error(l, -EFBIG, l->lineno + 1, "line longer than 64 MiB", buf, len);
			err = codec_verdict(l, rd, ctx, buf, cap, err);
		}
		if (err)
			break;
		if (n == 0) {
			if (len > 0)
				err = on_line(l, buf, len); /* no newline at the end */
			if (!err)
				err = finish(l);
			break;
		}
		len += n;
		/* a short first read that could still be a recording's magic: read on */
		if (first && len < REC_MAGIC_LEN && !memcmp(buf, REC_MAGIC, len))
			continue;
		if (first && recording__looks_like(buf, len))
			return run_recording(l, rd, ctx, buf, len, cap);
		first = false;
		while ((nl = memchr(buf + scanned, '\n', len - scanned))) {
			err = on_line(l, buf + start, (size_t)(nl - buf) - start);
			if (err)
				break;
			start = (size_t)(nl - buf) + 1;
			scanned = start;
		}
		if (err && err != -ENOMEM)
			err = codec_verdict(l, rd, ctx, buf, cap, err);
		if (err)
			break;
		if (start > 0)
			memmove(buf, buf + start, len - start);
		len -= start;
		scanned = len;
	}
	free(buf);
	return err;
}

static int load_reader(formats_read_fn rd, void *ctx, struct instream *stream, bool here,
		       const char *name, struct trie *t, struct formats_load *io,
		       struct formats_error *err)
{
	struct formats_error dummy;
	const char *raw = name ? name : "(input)";
	char qname[QUOTE_CHARS * 4 + 8];
	struct loader l = {
		.name = qname,
		.t = t,
		.tl = io->tl,
		.io = io,
		.err = err ? err : &dummy,
		.stream = stream,
		.stream_here = here,
	};
	int ret;

	/* The name (a path) is outside text too: escaped in every message. */
	formats__escape(qname, sizeof(qname), raw, strlen(raw), QUOTE_CHARS);
	l.err->msg[0] = '\0';
	l.err->note[0] = '\0';
	l.err->about[0] = '\0';
	l.err->line = 0;
	ret = run(&l, rd, ctx);
	if (ret == 0)
		summarise(&l);
	folded_parser__free(l.folded);
	perfscript_parser__free(l.perf);
	free(l.pending);
	return ret;
}

int formats__load_reader(formats_read_fn rd, void *ctx, const char *name, struct trie *t,
			 enum formats_kind *ret_kind, struct formats_error *err)
{
	struct formats_load io = { 0 };
	int ret = load_reader(rd, ctx, NULL, false, name, t, &io, err);

	if (ret == 0 && ret_kind)
		*ret_kind = io.kind;
	return ret;
}

static ssize_t read_instream(void *ctx, void *buf, size_t cap, const char **ret_why)
{
	return instream__read(ctx, buf, cap, ret_why);
}

/*
 * A compressed regular file is inflated in a second thread (readahead) while this one parses:
 * inflating is a third of such a load. Not for pipes and terminals: stopping early would wait
 * for their writer.
 */
static bool inflate_ahead(int fd)
{
	unsigned char m[4];
	struct stat st;
	off_t at;

	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (at = lseek(fd, 0, SEEK_CUR)) < 0 ||
	    pread(fd, m, sizeof(m), at) != (ssize_t)sizeof(m))
		return false;
	return ((m[0] == 0x1f && m[1] == 0x8b) || !memcmp(m, "\x28\xb5\x2f\xfd", 4)) &&
	       two_cpus();
}

static int load_fd(int fd, const char *name, struct trie *t, struct formats_load *io,
		   struct formats_error *err)
{
	struct instream *s = instream__new(fd);
	struct readahead *ra = NULL;
	int ret;

	if (s && inflate_ahead(fd))
		ra = readahead__new(read_instream, s); /* NULL: read in this thread */
	if (!s) {
		if (err)
			set_msg(err, 0, "%s: out of memory", formats__q(name));
		return -ENOMEM;
	}
	if (ra)
		ret = load_reader(readahead__read, ra, s, false, name, t, io, err);
	else
		ret = load_reader(read_instream, s, s, true, name, t, io, err);
	readahead__free(ra);
	instream__free(s);
	return ret;
}

int formats__load_fd(int fd, const char *name, struct trie *t, enum formats_kind *ret_kind,
		     struct formats_error *err)
{
	struct formats_load io = { 0 };
	int ret = load_fd(fd, name, t, &io, err);

	if (ret == 0 && ret_kind)
		*ret_kind = io.kind;
	return ret;
}

int formats__load_path_opts(const char *path, struct trie *t, struct formats_load *io,
			    struct formats_error *err)
{
	int fd, ret;

	if (!strcmp(path, "-"))
		return load_fd(STDIN_FILENO, "(stdin)", t, io, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (err)
			set_msg(err, 0, "cannot open %s: %s", formats__q(path), strerror(-ret));
		return ret;
	}
	ret = load_fd(fd, path, t, io, err);
	close(fd);
	return ret;
}

int formats__load_path(const char *path, struct trie *t, enum formats_kind *ret_kind,
		       struct formats_error *err)
{
	struct formats_load io = { 0 };
	int ret = formats__load_path_opts(path, t, &io, err);

	if (ret == 0 && ret_kind)
		*ret_kind = io.kind;
	return ret;
}

struct membuf {
	const char *p;
	size_t left;
};

static ssize_t read_mem(void *ctx, void *buf, size_t cap, const char **ret_why)
{
	struct membuf *m = ctx;
	size_t n = m->left < cap ? m->left : cap;

	*ret_why = NULL;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

int formats__load_buf_opts(const void *buf, size_t len, const char *name, struct trie *t,
			   struct formats_load *io, struct formats_error *err)
{
	struct membuf m = { buf, len };

	return load_reader(read_mem, &m, NULL, false, name, t, io, err);
}

int formats__load_buf(const void *buf, size_t len, const char *name, struct trie *t,
		      enum formats_kind *ret_kind, struct formats_error *err)
{
	struct formats_load io = { 0 };
	int ret = formats__load_buf_opts(buf, len, name, t, &io, err);

	if (ret == 0 && ret_kind)
		*ret_kind = io.kind;
	return ret;
}

int formats__load_path_timeline(const char *path, struct trie *t, struct timeline *tl,
				enum formats_kind *ret_kind, struct formats_error *err)
{
	struct formats_load io = { .tl = tl };
	int ret = formats__load_path_opts(path, t, &io, err);

	if (ret == 0 && ret_kind)
		*ret_kind = io.kind;
	return ret;
}
