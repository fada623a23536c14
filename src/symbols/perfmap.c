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

struct perfmap *perfmap__free(struct perfmap *m)
{
	if (!m)
		return NULL;
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
	m->offset = 0;
	m->skipping = false;
	m->head_len = 0;
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

/* One line without its newline. 0 when kept or skipped, -errno to stop. */
static int parse_line(struct perfmap *m, const char *s, size_t len)
{
	uint64_t start, size;
	size_t pos = 0, i, off;
	struct pment *e;

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
	if (m->n >= PERFMAP_MAX_ENTRIES)
		return -E2BIG;

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
	return 0;
bad:
	m->bad++;
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

/* Reads from m->offset to the end of the file, consuming complete lines only. */
static int read_appended(struct perfmap *m, int fd, char *buf)
{
	for (;;) {
		ssize_t r = pread(fd, buf, PERFMAP_CHUNK, m->offset);
		size_t used, len, tail;
		int err;

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return 0;
		len = (size_t)r;
		used = 0;
		if (m->skipping) {
			/* the rest of an overlong line, already counted as bad */
			const char *nl = memchr(buf, '\n', len);

			used = nl ? (size_t)(nl - buf) + 1 : len;
			m->skipping = !nl;
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
				m->bad++;
				m->skipping = true;
				used = len;
			}
		}
		m->offset += (off_t)used;
		/* a short read with a partial line left: wait for the JIT to finish it */
		if (len < PERFMAP_CHUNK)
			return 0;
	}
}

int perfmap__refresh(struct perfmap *m, const char *path, uid_t owner_uid)
{
	struct stat st;
	char *buf;
	int fd, err;

	if (!m || !path)
		return -EINVAL;
	/* another user's file, read as root: no symlinks, no FIFOs that block, no devices */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	err = -EPERM;
	if (!S_ISREG(st.st_mode) || (st.st_uid != owner_uid && st.st_uid != 0))
		goto out;

	/* replaced or rewritten: start over */
	err = check_same_file(m, fd, &st);
	if (err || st.st_size == m->offset)
		goto out;

	buf = malloc(PERFMAP_CHUNK);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	err = read_appended(m, fd, buf);
	free(buf);
	{
		int err2 = build_index(m);

		err = err ? err : err2;
	}
out:
	close(fd);
	return err;
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
