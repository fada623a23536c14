/* SPDX-License-Identifier: MIT */
/*
 * jitmaps: perf maps shared by file, opened as their process, under one global budget.
 */
#include "jitmaps.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procfile.h"

struct jitmap {
	struct jitmap *next; /* all maps, one list: few processes run a JIT */
	dev_t dev;
	ino_t ino;
	struct perfmap *m; /* owned */
	size_t refs;
	uint32_t pid;
	char path[256];
};

struct jitmaps {
	char *proc_root; /* owned */
	struct jitmap *maps;
	size_t nmaps;
	uint64_t shared;
	struct perfmap_budget budget;
};

struct jitmaps *jitmaps__new(const char *proc_root)
{
	struct jitmaps *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->proc_root = strdup(proc_root ? proc_root : "/proc");
	if (!j->proc_root) {
		free(j);
		errno = ENOMEM;
		return NULL;
	}
	j->budget.entries_left = JITMAPS_MAX_ENTRIES;
	j->budget.bytes_left = JITMAPS_MAX_BYTES;
	return j;
}

static void jitmap_free(struct jitmap *m)
{
	perfmap__free(m->m);
	free(m);
}

struct jitmaps *jitmaps__free(struct jitmaps *j)
{
	if (!j)
		return NULL;
	while (j->maps) {
		struct jitmap *m = j->maps;

		j->maps = m->next;
		jitmap_free(m);
	}
	free(j->proc_root);
	free(j);
	return NULL;
}

void jitmaps__put(struct jitmaps *j, struct jitmap *m)
{
	struct jitmap **pp;

	if (!m || --m->refs)
		return;
	for (pp = &j->maps; *pp; pp = &(*pp)->next) {
		if (*pp == m) {
			*pp = m->next;
			j->nmaps--;
			break;
		}
	}
	jitmap_free(m);
}

static struct jitmap *jitmap_get(struct jitmaps *j, const struct stat *st, uint32_t pid,
				 const char *path)
{
	struct jitmap *m;

	for (m = j->maps; m; m = m->next) {
		if (m->dev == st->st_dev && m->ino == st->st_ino) {
			m->refs++;
			j->shared++;
			return m;
		}
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->m = perfmap__new();
	if (!m->m) {
		free(m);
		return NULL;
	}
	perfmap__set_budget(m->m, &j->budget);
	m->dev = st->st_dev;
	m->ino = st->st_ino;
	m->refs = 1;
	m->pid = pid;
	snprintf(m->path, sizeof(m->path), "%s", path);
	m->next = j->maps;
	j->maps = m;
	j->nmaps++;
	return m;
}

int jitmaps__refresh(struct jitmaps *j, struct jitmap **slot, uint32_t pid, const char *path,
		     uid_t owner_uid)
{
	struct jitmap *m = *slot;
	struct stat st;
	int fd, err;

	/* as the process: no symlink at the end, no FIFO that blocks, and its rights only */
	fd = procfile__open(j->proc_root, pid, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK,
			    PROCFILE_TIMEOUT_MS);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out;
	}
	err = -EPERM;
	/* a FUSE server (the user may mount one in its namespace) can block any read forever */
	if (!S_ISREG(st.st_mode) || (st.st_uid != owner_uid && st.st_uid != 0) ||
	    procfile__untrusted_fs(fd))
		goto out;
	if (!m || m->dev != st.st_dev || m->ino != st.st_ino) {
		struct jitmap *n = jitmap_get(j, &st, pid, path);

		err = -ENOMEM;
		if (!n)
			goto out;
		jitmaps__put(j, m);
		*slot = m = n;
	}
	err = perfmap__refresh_fd(m->m, fd, owner_uid);
out:
	close(fd);
	return err;
}

const struct perfmap_entry *jitmaps__find(struct jitmap *m, uint64_t addr)
{
	return m ? perfmap__find(m->m, addr) : NULL;
}

size_t jitmaps__notes(const struct jitmaps *j, struct jitmap_note *ret, size_t cap)
{
	const struct jitmap *m;
	size_t n = 0;

	for (m = j ? j->maps : NULL; m; m = m->next) {
		struct jitmap_note *o;
		const char *bad;
		size_t len;
		uint64_t at;
		int cut = perfmap__cut(m->m, &at);

		if (!cut && !perfmap__bad_lines(m->m))
			continue;
		if (n++ >= cap)
			continue;
		o = &ret[n - 1];
		memset(o, 0, sizeof(*o));
		o->pid = m->pid;
		memcpy(o->path, m->path, sizeof(o->path));
		o->cut = cut;
		o->cut_at = at;
		o->bad_lines = perfmap__bad_lines(m->m);
		o->first_bad = perfmap__first_bad(m->m, &bad, &len);
		memcpy(o->bad_text, bad, len);
		o->bad_len = len;
		o->users = m->refs;
	}
	return n;
}

void jitmaps__counts(const struct jitmaps *j, size_t *ret_files, uint64_t *ret_shared)
{
	*ret_files = j ? j->nmaps : 0;
	*ret_shared = j ? j->shared : 0;
}
