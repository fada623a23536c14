/* SPDX-License-Identifier: MIT */
/*
 * perfmap: JIT symbols from /tmp/perf-PID.map. The JIT appends "START SIZE name" lines while
 * the program runs and reuses code memory, so entries are kept in file order (later wins),
 * the file is re-read from the last consumed byte, and a lookup index of non-overlapping
 * segments is rebuilt after each change so that finds are binary searches.
 */
#include "perfmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "textutil.h"
#include "../grow.h"

/* A JIT name longer than this is not a name; such lines are skipped and counted. */
#define PERFMAP_MAX_LINE (64U << 10)
/* Bytes read per pread; larger than a line so that every read makes progress. */
#define PERFMAP_CHUNK (1U << 20)
/* Bounds memory when another user's file is huge: far above what real JITs write. */
#define PERFMAP_MAX_ENTRIES (4U << 20)
/* Bytes of one file we ever read (holes skipped): a 50 GB file is cut here, and said so. */
#define PERFMAP_MAX_BYTES (1ULL << 30)
/* Bytes read by one refresh: the rest waits for the next one, so no refresh stalls sampling. */
#define PERFMAP_REFRESH_BYTES (32U << 20)

struct pment {
	struct perfmap_entry pub; /* pub.name is set when the index is built (strs moves) */
	uint64_t end;		  /* exclusive, saturated at UINT64_MAX */
	size_t name;		  /* offset into strs */
};

/* A piece of the address space where one entry is the newest. */
struct seg {
	uint64_t start, end;
	size_t ent;
};

struct perfmap {
	struct pment *ents; /* in file order: a larger index is newer */
	size_t n, cap;
	char *strs; /* owned: names, NUL-terminated */
	size_t slen, scap;
	struct seg *segs; /* sorted, disjoint */
	size_t nsegs, segcap;
	size_t bad;
	uint64_t lines;		 /* lines seen, for the line number of the first bad one */
	uint64_t first_bad_line; /* 0 = none */
	char first_bad[PERFMAP_BAD_TEXT];
	size_t first_bad_len;
	int cut;		       /* PERFMAP_CUT_*: reading stopped at a bound */
	uint64_t read_bytes;	       /* bytes read from this file (holes not counted) */
	struct perfmap_budget *budget; /* borrowed, may be NULL */
	size_t charged_entries, charged_bytes;
	bool index_stale; /* entries changed since the index was built */
	/* incremental reading of one file */
	bool have_file, skipping; /* skipping: inside an overlong line */
	dev_t dev;
	ino_t ino;
	off_t offset; /* bytes consumed: complete lines only */
	/* the first bytes seen: a file rewritten in place or recreated under a recycled inode
	 * number shows itself by a different beginning */
	char head[64];
	size_t head_len;
};

struct perfmap *perfmap__new(void)
{
	return calloc(1, sizeof(struct perfmap)); /* calloc sets errno */
}

static void uncharge(struct perfmap *m)
{
	if (m->budget) {
		m->budget->entries_left += m->charged_entries;
		m->budget->bytes_left += m->charged_bytes;
	}
	m->charged_entries = 0;
	m->charged_bytes = 0;
}

void perfmap__set_budget(struct perfmap *m, struct perfmap_budget *b)
{
	uncharge(m);
	m->budget = b;
}

struct perfmap *perfmap__free(struct perfmap *m)
{
	if (!m)
		return NULL;
	uncharge(m);
	free(m->ents);
	free(m->strs);
	free(m->segs);
	free(m);
	return NULL;
}

static void perfmap_reset(struct perfmap *m)
{
	m->n = 0;
	m->slen = 0;
	m->nsegs = 0;
	m->bad = 0;
	m->lines = 0;
	m->first_bad_line = 0;
	m->first_bad_len = 0;
	m->cut = PERFMAP_CUT_NONE;
	m->read_bytes = 0;
	m->offset = 0;
	m->skipping = false;
	m->head_len = 0;
	m->index_stale = true;
	uncharge(m);
}

/* Detects a different file behind the same name since the last refresh. */
static int check_same_file(struct perfmap *m, int fd, const struct stat *st)
{
	char head[sizeof(m->head)];
	ssize_t r;

	do
		r = pread(fd, head, sizeof(head), 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (m->have_file && (st->st_dev != m->dev || st->st_ino != m->ino ||
			     st->st_size < m->offset || (size_t)r < m->head_len ||
			     memcmp(head, m->head, m->head_len)))
		perfmap_reset(m);
	m->have_file = true;
	m->dev = st->st_dev;
	m->ino = st->st_ino;
	memcpy(m->head, head, (size_t)r);
	m->head_len = (size_t)r;
	return 0;
}

/* Parses a hex number with an optional 0x at *pos; false when absent or above 64 bits. */
static bool parse_hex(const char *s, size_t len, size_t *pos, uint64_t *ret)
{
	size_t i = *pos;
	uint64_t v = 0;
	int digits = 0;

	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		i += 2;
	for (; i < len && hexval(s[i]) >= 0; i++) {
		if (++digits > 16)
			return false;
		v = v << 4 | (uint64_t)hexval(s[i]);
	}
	if (!digits)
		return false;
	*pos = i;
	*ret = v;
	return true;
}

/* A malformed line; `inside` when it is the line being skipped, not yet counted in lines. */
static void note_bad(struct perfmap *m, const char *s, size_t len, bool inside)
{
	if (!m->bad++) {
		m->first_bad_line = m->lines + inside;
		m->first_bad_len = len < sizeof(m->first_bad) ? len : sizeof(m->first_bad);
		memcpy(m->first_bad, s, m->first_bad_len);
	}
}

/* One line without its newline. 0 when kept or skipped, -errno to stop. */
static int parse_line(struct perfmap *m, const char *s, size_t len)
{
	uint64_t start, size;
	size_t pos = 0, i, off;
	struct pment *e;

	m->lines++;
	while (len && (s[len - 1] == '\r' || is_blank(s[len - 1])))
		len--;
	while (pos < len && is_blank(s[pos]))
		pos++;
	if (pos == len)
		return 0; /* blank lines are harmless */
	if (len > PERFMAP_MAX_LINE || memchr(s, '\0', len))
		goto bad;
	if (!parse_hex(s, len, &pos, &start) || pos == len || !is_blank(s[pos]))
		goto bad;
	while (pos < len && is_blank(s[pos]))
		pos++;
	if (!parse_hex(s, len, &pos, &size) || pos == len || !is_blank(s[pos]))
		goto bad;
	while (pos < len && is_blank(s[pos]))
		pos++;
	if (pos == len)
		goto bad; /* trailing blanks were trimmed, so the name is empty */
	if (!size)
		return 0; /* covers nothing */
	if (m->n >= PERFMAP_MAX_ENTRIES) {
		m->cut = PERFMAP_CUT_ENTRIES;
		return -E2BIG;
	}
	if (m->budget && (!m->budget->entries_left || m->budget->bytes_left < len - pos + 1)) {
		m->cut = PERFMAP_CUT_GLOBAL;
		return -E2BIG;
	}

	if (grow_array((void **)&m->ents, &m->cap, m->n + 1, sizeof(*m->ents)) ||
	    grow_array((void **)&m->strs, &m->scap, m->slen + (len - pos) + 1, 1))
		return -ENOMEM;
	off = m->slen;
	for (i = pos; i < len; i++) {
		unsigned char c = s[i];

		/* names reach a terminal: no control bytes, whatever the JIT wrote */
		m->strs[m->slen++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	m->strs[m->slen++] = '\0';
	e = &m->ents[m->n++];
	e->pub.start = start;
	e->pub.size = size;
	e->pub.name = NULL;
	e->end = size > UINT64_MAX - start ? UINT64_MAX : start + size;
	e->name = off;
	m->index_stale = true;
	if (m->budget) {
		m->budget->entries_left--;
		m->budget->bytes_left -= len - pos + 1;
		m->charged_entries++;
		m->charged_bytes += len - pos + 1;
	}
	return 0;
bad:
	note_bad(m, s, len, false);
	return 0;
}

/* Parses the complete lines of buf, and the trailing partial one when final. Sets *ret_used
 * to the bytes consumed (complete lines). */
static int parse_lines(struct perfmap *m, const char *buf, size_t len, bool final,
		       size_t *ret_used)
{
	size_t pos = 0;
	int err = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		if (!nl && !final)
			break;
		err = parse_line(m, buf + pos, llen);
		if (err)
			break;
		pos += llen + (nl ? 1 : 0);
	}
	*ret_used = pos;
	return err;
}

static int cmp_by_start(const void *pa, const void *pb, void *arg)
{
	const struct pment *ents = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	uint64_t sa = ents[a].pub.start, sb = ents[b].pub.start;

	/* equal starts: the older first, so the sweep pushes entries in age order */
	if (sa != sb)
		return (sa > sb) - (sa < sb);
	return (a > b) - (a < b);
}

static int cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return (a > b) - (a < b);
}

/* A max-heap of entry indices: the newest active entry is on top. */
static void heap_push(size_t *heap, size_t *n, size_t v)
{
	size_t i = (*n)++;

	while (i && heap[(i - 1) / 2] < v) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = v;
}

static void heap_pop(size_t *heap, size_t *n)
{
	size_t v = heap[--(*n)], i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && heap[c + 1] > heap[c])
			c++;
		if (heap[c] <= v)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (*n)
		heap[i] = v;
}

/*
 * Sweeps the boundaries of all entries in address order, keeping the entries that cover the
 * current point in a heap by age: between two boundaries the newest one wins. That turns
 * overlapping entries into disjoint segments in O(n log n).
 */
static int build_index(struct perfmap *m)
{
	size_t *order = NULL, *heap = NULL, nb = 0, nheap = 0, k = 0, i, j;
	uint64_t *bounds = NULL;
	int err = -ENOMEM;

	m->nsegs = 0;
	m->index_stale = false;
	for (i = 0; i < m->n; i++)
		m->ents[i].pub.name = m->strs + m->ents[i].name;
	if (!m->n)
		return 0;
	order = malloc(m->n * sizeof(*order));
	heap = malloc(m->n * sizeof(*heap));
	bounds = malloc(2 * m->n * sizeof(*bounds));
	if (!order || !heap || !bounds ||
	    grow_array((void **)&m->segs, &m->segcap, 2 * m->n, sizeof(*m->segs)))
		goto out;
	for (i = 0; i < m->n; i++) {
		order[i] = i;
		bounds[nb++] = m->ents[i].pub.start;
		bounds[nb++] = m->ents[i].end;
	}
	qsort_r(order, m->n, sizeof(*order), cmp_by_start, m->ents);
	qsort(bounds, nb, sizeof(*bounds), cmp_u64);
	for (i = 1, j = 1; i < nb; i++)
		if (bounds[i] != bounds[j - 1])
			bounds[j++] = bounds[i];
	nb = j;

	for (j = 0; j + 1 < nb; j++) {
		uint64_t b = bounds[j];
		struct seg *prev = m->nsegs ? &m->segs[m->nsegs - 1] : NULL;

		while (k < m->n && m->ents[order[k]].pub.start <= b)
			heap_push(heap, &nheap, order[k++]);
		while (nheap && m->ents[heap[0]].end <= b)
			heap_pop(heap, &nheap);
		if (!nheap)
			continue;
		if (prev && prev->end == b && prev->ent == heap[0]) {
			prev->end = bounds[j + 1];
			continue;
		}
		m->segs[m->nsegs++] = (struct seg){ b, bounds[j + 1], heap[0] };
	}
	err = 0;
out:
	free(order);
	free(heap);
	free(bounds);
	return err;
}

int perfmap__parse(struct perfmap *m, const char *buf, size_t len)
{
	size_t used;
	int err, err2;

	if (!m || (!buf && len))
		return -EINVAL;
	err = parse_lines(m, buf, len, true, &used);
	err2 = build_index(m);
	return err ? err : err2;
}

size_t perfmap__bad_lines(const struct perfmap *m)
{
	return m ? m->bad : 0;
}

/*
 * Reads from m->offset towards the end of the file, consuming complete lines only, at most
 * PERFMAP_REFRESH_BYTES per call and PERFMAP_MAX_BYTES per file. Holes (a sparse file) are
 * skipped without reading: they hold NUL bytes, never a line. 1 when the call's budget ran out
 * with more to read, 0 when done for now, or -errno.
 */
static int read_appended(struct perfmap *m, int fd, char *buf, off_t size)
{
	uint64_t budget = PERFMAP_REFRESH_BYTES;

	while (m->offset < size) {
		off_t data = lseek(fd, m->offset, SEEK_DATA);
		size_t want = PERFMAP_CHUNK, used, len, tail;
		ssize_t r;
		int err;

		if (data < 0 && errno == ENXIO)
			data = size; /* only a hole up to the end */
		if (data > m->offset) {
			/* zeros: part of one bad line, which ends at the next newline */
			if (!m->skipping)
				note_bad(m, "\0", 1, true);
			m->skipping = true;
			m->offset = data;
			continue;
		}
		if (m->read_bytes >= PERFMAP_MAX_BYTES) {
			m->cut = PERFMAP_CUT_BYTES;
			return -E2BIG;
		}
		if (!budget)
			return 1; /* more to read: the next refresh goes on */
		if (want > budget)
			want = (size_t)budget;
		r = pread(fd, buf, want, m->offset);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return 0;
		len = (size_t)r;
		budget -= len;
		m->read_bytes += len;
		used = 0;
		if (m->skipping) {
			/* the rest of an overlong line, already counted as bad */
			const char *nl = memchr(buf, '\n', len);

			used = nl ? (size_t)(nl - buf) + 1 : len;
			m->skipping = !nl;
			m->lines += !!nl;
		}
		if (!m->skipping) {
			size_t more;

			err = parse_lines(m, buf + used, len - used, false, &more);
			used += more;
			if (err) {
				m->offset += (off_t)used;
				return err;
			}
			tail = len - used;
			if (tail > PERFMAP_MAX_LINE) {
				/* no newline in sight: drop this line whenever it ends */
				note_bad(m, buf + used, PERFMAP_BAD_TEXT, true);
				m->skipping = true;
				used = len;
			}
		}
		m->offset += (off_t)used;
		/* a short read with a partial line left: wait for the JIT to finish it */
		if (len < want)
			return 0;
		/* a partial line that fills no chunk: wait, unless the chunk was cut short */
		if (!used && want == PERFMAP_CHUNK)
			return 0;
	}
	return 0;
}

int perfmap__refresh_fd(struct perfmap *m, int fd, uid_t owner_uid)
{
	struct stat st;
	char *buf;
	int err;

	if (!m || fd < 0)
		return -EINVAL;
	if (fstat(fd, &st))
		return -errno;
	if (!S_ISREG(st.st_mode) || (st.st_uid != owner_uid && st.st_uid != 0))
		return -EPERM;

	/* replaced or rewritten: start over */
	err = check_same_file(m, fd, &st);
	if (err || st.st_size == m->offset)
		return err;
	/* cut at a bound: the entries so far stay, nothing more is read (nor re-indexed) */
	if (m->cut)
		return 0;

	buf = malloc(PERFMAP_CHUNK);
	if (!buf)
		return -ENOMEM;
	err = read_appended(m, fd, buf, st.st_size);
	free(buf);
	if (err == -E2BIG)
		err = 0; /* m->cut says why */
	/* Still catching up with a big file: index once at the end, not after every 32 MiB (each
	 * build sorts everything: that was most of the CPU a 5M-line map cost). */
	if (err == 1)
		return 0;
	if (m->index_stale) {
		int err2 = build_index(m);

		err = err ? err : err2;
	}
	return err;
}

int perfmap__refresh(struct perfmap *m, const char *path, uid_t owner_uid)
{
	int fd, err;

	if (!m || !path)
		return -EINVAL;
	/* another user's file, read as root: no symlinks, no FIFOs that block, no devices */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = perfmap__refresh_fd(m, fd, owner_uid);
	close(fd);
	return err;
}

int perfmap__cut(const struct perfmap *m, uint64_t *ret_offset)
{
	if (ret_offset)
		*ret_offset = m ? (uint64_t)m->offset : 0;
	return m ? m->cut : PERFMAP_CUT_NONE;
}

uint64_t perfmap__first_bad(const struct perfmap *m, const char **ret_text, size_t *ret_len)
{
	*ret_text = m ? m->first_bad : NULL;
	*ret_len = m ? m->first_bad_len : 0;
	return m ? m->first_bad_line : 0;
}

const struct perfmap_entry *perfmap__find(struct perfmap *m, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!m)
		return NULL;
	hi = m->nsegs;
	/* the last segment starting at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->segs[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr >= m->segs[lo - 1].end)
		return NULL;
	return &m->ents[m->segs[lo - 1].ent].pub;
}

size_t perfmap__count(const struct perfmap *m)
{
	return m ? m->n : 0;
}
