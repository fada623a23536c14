/* SPDX-License-Identifier: MIT */
/*
 * /proc/PID/maps parsing. Every line is checked field by field; anything unexpected drops the
 * line (counted) rather than guessing, since a wrong mapping gives wrong names later.
 */
#include "procmaps.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../grow.h"

/* A maps file of a huge process is a few MiB; beyond this we stop rather than eat memory. */
#define PROCMAPS_MAX_FILE (64u << 20)

struct procmaps {
	struct procmap *maps;
	size_t n, cap;
	char *paths; /* owned: NUL-separated path strings */
	size_t paths_len, paths_cap;
	size_t bad_lines;
	bool truncated; /* the file went past PROCMAPS_MAX_FILE: the rest was not read */
};

static const char deleted_suffix[] = " (deleted)";

static int parse_hex(const char **p, const char *end, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0;

	for (; s < end; s++, digits++) {
		int d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | (uint64_t)d;
	}
	if (!digits)
		return -EINVAL;
	*p = s;
	*ret = v;
	return 0;
}

static int parse_dec(const char **p, const char *end, uint64_t *ret)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (!digits)
		return -EINVAL;
	*p = s;
	*ret = v;
	return 0;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

static int add_path(struct procmaps *m, const char *s, size_t len, size_t *ret_off)
{
	if (grow_array((void **)&m->paths, &m->paths_cap, m->paths_len + len + 1, 1))
		return -ENOMEM;
	memcpy(m->paths + m->paths_len, s, len);
	m->paths[m->paths_len + len] = '\0';
	*ret_off = m->paths_len;
	m->paths_len += len + 1;
	return 0;
}

/* 0 on success or a skipped line, -ENOMEM when out of memory. */
static int parse_line(struct procmaps *m, const char *s, const char *end)
{
	uint64_t start, endaddr, off, major, minor, inode;
	struct procmap *pm;
	const char *perms;
	size_t plen, path_off;

	if (parse_hex(&s, end, &start) || expect(&s, end, '-') || parse_hex(&s, end, &endaddr) ||
	    expect(&s, end, ' '))
		goto bad;
	if (end - s < 5 || s[4] != ' ')
		goto bad;
	perms = s;
	s += 5;
	if (parse_hex(&s, end, &off) || expect(&s, end, ' ') || parse_hex(&s, end, &major) ||
	    expect(&s, end, ':') || parse_hex(&s, end, &minor) || expect(&s, end, ' ') ||
	    parse_dec(&s, end, &inode))
		goto bad;
	if (s < end && *s != ' ')
		goto bad;
	if (start >= endaddr || major > UINT32_MAX || minor > UINT32_MAX)
		goto bad;
	if (perms[2] != 'x')
		return 0;
	while (s < end && *s == ' ')
		s++;
	plen = (size_t)(end - s);
	if (memchr(s, '\0', plen))
		goto bad;

	if (grow_array((void **)&m->maps, &m->cap, m->n + 1, sizeof(*m->maps)))
		return -ENOMEM;
	pm = &m->maps[m->n];
	memset(pm, 0, sizeof(*pm));
	pm->start = start;
	pm->end = endaddr;
	pm->offset = off;
	pm->dev_major = (uint32_t)major;
	pm->dev_minor = (uint32_t)minor;
	pm->inode = inode;
	if (plen >= sizeof(deleted_suffix) - 1 &&
	    !memcmp(s + plen - (sizeof(deleted_suffix) - 1), deleted_suffix,
		    sizeof(deleted_suffix) - 1)) {
		plen -= sizeof(deleted_suffix) - 1;
		pm->flags |= PROCMAP_DELETED;
	}
	/* Pseudo paths ([vdso], [anon:x]) and hugetlb/shmem anon names have no file to read. */
	if (!plen || s[0] != '/' || (plen >= 6 && !memcmp(s, "//anon", 6)))
		pm->flags |= PROCMAP_ANON;
	if (add_path(m, s, plen, &path_off))
		return -ENOMEM;
	/* Pointers are fixed up once the path buffer stops moving. */
	pm->path = (const char *)(uintptr_t)path_off;
	m->n++;
	return 0;
bad:
	m->bad_lines++;
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct procmap *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

struct procmaps *procmaps__parse(const char *buf, size_t len)
{
	struct procmaps *m = calloc(1, sizeof(*m));
	const char *p = buf, *end = buf + len;
	size_t i, out;

	if (!m)
		return NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (eol > p && parse_line(m, p, eol)) {
			procmaps__free(m);
			errno = ENOMEM;
			return NULL;
		}
		p = nl ? nl + 1 : end;
	}
	for (i = 0; i < m->n; i++)
		m->maps[i].path = m->paths + (uintptr_t)m->maps[i].path;
	if (m->n > 1)
		qsort(m->maps, m->n, sizeof(*m->maps), cmp_start);
	/* The kernel never reports overlaps; a hostile or corrupt input could. Keep the first. */
	for (i = 0, out = 0; i < m->n; i++) {
		if (out && m->maps[i].start < m->maps[out - 1].end) {
			m->bad_lines++;
			continue;
		}
		m->maps[out++] = m->maps[i];
	}
	m->n = out;
	return m;
}

struct procmaps *procmaps__load(const char *proc_root, uint32_t pid)
{
	char path[PATH_MAX];
	struct procmaps *m;
	size_t len = 0, cap = 64 << 10;
	bool truncated = false;
	char *buf;
	int fd, err = 0;

	if (snprintf(path, sizeof(path), "%s/%u/maps", proc_root ? proc_root : "/proc", pid) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nb;

			if (cap >= PROCMAPS_MAX_FILE) {
				/* keep complete lines only, and say the rest is missing */
				char *nl = memrchr(buf, '\n', len);

				len = nl ? (size_t)(nl - buf) + 1 : 0;
				truncated = true;
				break;
			}
			nb = realloc(buf, cap * 2);
			if (!nb) {
				err = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (err) {
		free(buf);
		errno = err;
		return NULL;
	}
	m = procmaps__parse(buf, len);
	err = errno;
	free(buf);
	if (m)
		m->truncated = truncated;
	errno = err;
	return m;
}

struct procmaps *procmaps__free(struct procmaps *m)
{
	if (m) {
		free(m->maps);
		free(m->paths);
		free(m);
	}
	return NULL;
}

bool procmaps__truncated(const struct procmaps *m)
{
	return m && m->truncated;
}

size_t procmaps__count(const struct procmaps *m)
{
	return m ? m->n : 0;
}

const struct procmap *procmaps__get(const struct procmaps *m, size_t i)
{
	return m && i < m->n ? &m->maps[i] : NULL;
}

long procmaps__find(const struct procmaps *m, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!m)
		return -1;
	hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < m->maps[mid].start)
			hi = mid;
		else if (addr >= m->maps[mid].end)
			lo = mid + 1;
		else
			return (long)mid;
	}
	return -1;
}

int procmaps__insert(struct procmaps *m, const struct procmap *pm)
{
	const char *old = m->paths;
	size_t i, out, off, pos;
	int err;

	if (pm->start >= pm->end || !pm->path)
		return -EINVAL;
	/* add_path may move the path buffer: hold the others as offsets meanwhile */
	for (i = 0; i < m->n; i++)
		m->maps[i].path = (const char *)(uintptr_t)(m->maps[i].path - old);
	err = add_path(m, pm->path, strlen(pm->path), &off);
	for (i = 0; i < m->n; i++)
		m->maps[i].path = m->paths + (uintptr_t)m->maps[i].path;
	if (err)
		return err;
	/* A new mapping replaces whatever it overlaps (mmap over a range unmaps it first). */
	for (i = 0, out = 0; i < m->n; i++)
		if (m->maps[i].end <= pm->start || pm->end <= m->maps[i].start)
			m->maps[out++] = m->maps[i];
	m->n = out;
	if (grow_array((void **)&m->maps, &m->cap, m->n + 1, sizeof(*m->maps)))
		return -ENOMEM;
	for (pos = 0; pos < m->n && m->maps[pos].start < pm->start; pos++)
		;
	memmove(&m->maps[pos + 1], &m->maps[pos], (m->n - pos) * sizeof(*m->maps));
	m->maps[pos] = *pm;
	m->maps[pos].path = m->paths + off;
	m->n++;
	return 0;
}

size_t procmaps__bad_lines(const struct procmaps *m)
{
	return m ? m->bad_lines : 0;
}
