/* SPDX-License-Identifier: MIT */
/*
 * The per-binary cache. Lookups happen once per (process, mapping) — the symbolizer keeps the
 * resolved bin in its per-pid mapping table — so a small array scanned linearly is enough and
 * keeps eviction (least recently used) trivial.
 */
#include "bincache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "procfile.h"

#define BINCACHE_DEFAULT_MAX 256
#define BINCACHE_RETRY_NS 1000000000ull /* a failed binary is retried after a second */

struct bin {
	unsigned int refs;
	struct elfsyms *syms; /* owned */
};

enum key_kind { KEY_INODE, KEY_BUILD_ID };

struct entry {
	enum key_kind kind;
	uint32_t major, minor;
	uint64_t inode;
	uint8_t build_id[ELFSYMS_BUILD_ID_MAX];
	size_t build_id_len;
	struct bin *bin;    /* a reference; NULL for a negative entry */
	uint64_t mtime_ns, size; /* inode entries: the file as loaded, to notice a reused inode */
	uint64_t failed_at; /* negative entries: when loading failed */
	uint64_t used;	    /* LRU clock */
};

struct bincache {
	struct entry *entries;
	size_t n, cap; /* cap = 2 * max binaries: one inode and one build-id entry each */
	uint64_t clock, parses;
	const char *proc_root, *debug_root; /* borrowed from the opts' owner */
	int demangle;
};

struct bincache *bincache__new(const struct bincache_opts *opts)
{
	struct bincache *c = calloc(1, sizeof(*c));
	size_t max = opts && opts->max_binaries ? opts->max_binaries : BINCACHE_DEFAULT_MAX;

	if (!c)
		return NULL;
	c->cap = 2 * max;
	c->entries = calloc(c->cap, sizeof(*c->entries));
	if (!c->entries) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	c->proc_root = opts && opts->proc_root ? opts->proc_root : "/proc";
	c->debug_root = opts ? opts->debug_root : NULL;
	c->demangle = opts ? opts->demangle : 0;
	return c;
}

struct bin *bin__put(struct bin *b)
{
	if (b && !--b->refs) {
		elfsyms__free(b->syms);
		free(b);
	}
	return NULL;
}

struct elfsyms *bin__syms(const struct bin *b)
{
	return b ? b->syms : NULL;
}

struct bincache *bincache__free(struct bincache *c)
{
	size_t i;

	if (!c)
		return NULL;
	for (i = 0; i < c->n; i++)
		bin__put(c->entries[i].bin);
	free(c->entries);
	free(c);
	return NULL;
}

static void remove_entry(struct bincache *c, size_t i)
{
	bin__put(c->entries[i].bin);
	c->entries[i] = c->entries[--c->n];
}

/* Evicts the least recently used binary with all its keys, or a negative entry. */
static void evict_one(struct bincache *c)
{
	size_t i, lru = 0;
	struct bin *victim;

	for (i = 1; i < c->n; i++)
		if (c->entries[i].used < c->entries[lru].used)
			lru = i;
	victim = c->entries[lru].bin;
	if (!victim) {
		remove_entry(c, lru);
		return;
	}
	for (i = c->n; i > 0; i--)
		if (c->entries[i - 1].bin == victim)
			remove_entry(c, i - 1);
}

static struct entry *add_entry(struct bincache *c)
{
	struct entry *e;

	if (c->n == c->cap)
		evict_one(c);
	e = &c->entries[c->n++];
	memset(e, 0, sizeof(*e));
	e->used = ++c->clock;
	return e;
}

static struct entry *find_inode(struct bincache *c, const struct procmap *m)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct entry *e = &c->entries[i];

		if (e->kind == KEY_INODE && e->inode == m->inode && e->major == m->dev_major &&
		    e->minor == m->dev_minor)
			return e;
	}
	return NULL;
}

static struct entry *find_build_id(struct bincache *c, const uint8_t *id, size_t len)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		struct entry *e = &c->entries[i];

		if (e->kind == KEY_BUILD_ID && e->bin && e->build_id_len == len &&
		    !memcmp(e->build_id, id, len))
			return e;
	}
	return NULL;
}

/* A file opened by path must still be the mapped inode: it may have been replaced since. */
/* Opens through the process's root as the process (see procfile.h): fd or -errno. */
struct as_proc {
	const char *proc_root;
	uint32_t pid;
};

static int open_as_proc(void *ctx, const char *path, int flags)
{
	const struct as_proc *a = ctx;

	return procfile__open(a->proc_root, a->pid, path, flags, PROCFILE_TIMEOUT_MS);
}

/* as = NULL: the kernel's own link (map_files) or a host path, opened with our rights */
static int open_checked(const char *path, uint64_t inode, struct as_proc *as)
{
	struct stat st;
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK;
	/* as the process, or as we are (pid 0), but never waiting for a stalled open forever */
	int fd = as ? open_as_proc(as, path, flags)
		    : procfile__open(NULL, 0, path, flags, PROCFILE_TIMEOUT_MS);

	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (inode && st.st_ino != inode)) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

int bincache__open_mapping(const char *proc_root, uint32_t pid, const struct procmap *m)
{
	char path[PATH_MAX], root[PATH_MAX];
	int fd, n;

	if (!proc_root)
		proc_root = "/proc";
	n = snprintf(root, sizeof(root), "%s/%u/root", proc_root, pid);
	if (n < 0 || (size_t)n >= sizeof(root))
		root[0] = '\0';
	n = snprintf(path, sizeof(path), "%s/%u/map_files/%llx-%llx", proc_root, pid,
		     (unsigned long long)m->start, (unsigned long long)m->end);
	if (n > 0 && (size_t)n < sizeof(path)) {
		fd = open_checked(path, m->inode, NULL);
		if (fd >= 0)
			return fd;
	}
	if (root[0] && !(m->flags & PROCMAP_DELETED)) {
		struct as_proc as = {proc_root, pid};

		n = snprintf(path, sizeof(path), "%s%s", root, m->path);
		if (n > 0 && (size_t)n < sizeof(path)) {
			fd = open_checked(path, m->inode, &as);
			if (fd >= 0)
				return fd;
		}
	}
	if (m->flags & PROCMAP_DELETED) {
		errno = ENOENT;
		return -1;
	}
	return open_checked(m->path, m->inode, NULL);
}

static int open_binary(struct bincache *c, uint32_t pid, const struct procmap *m, char *root,
		       size_t root_cap)
{
	/* The process's root also anchors the debug file search, whichever way we open. */
	int n = snprintf(root, root_cap, "%s/%u/root", c->proc_root, pid);

	if (n < 0 || (size_t)n >= root_cap)
		root[0] = '\0';
	return bincache__open_mapping(c->proc_root, pid, m);
}

static uint64_t stat_mtime_ns(const struct stat *st)
{
	return (uint64_t)st->st_mtim.tv_sec * 1000000000ull + (uint64_t)st->st_mtim.tv_nsec;
}

/*
 * Is the file behind mapping m still the one entry e was loaded from? One stat through
 * map_files (or the process's root) per new mapping; when neither works, trust the cache.
 */
/* stat(2) with the open's deadline (a FUSE server answers a stat, or not): 0 or -1. */
static int stat_bounded(const char *path, uint32_t pid, const char *proc_root, struct stat *ret)
{
	int fd = procfile__open(proc_root, pid, path, O_PATH, PROCFILE_TIMEOUT_MS), err;

	if (fd < 0)
		return -1;
	err = fstat(fd, ret);
	close(fd);
	return err ? -1 : 0;
}

static int same_file(const struct bincache *c, uint32_t pid, const struct procmap *m,
		     const struct entry *e)
{
	char path[PATH_MAX];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s/%u/map_files/%llx-%llx", c->proc_root, pid,
		     (unsigned long long)m->start, (unsigned long long)m->end);
	if (n < 0 || (size_t)n >= sizeof(path) || stat_bounded(path, 0, NULL, &st)) {
		n = snprintf(path, sizeof(path), "%s/%u/root%s", c->proc_root, pid, m->path);
		if (n < 0 || (size_t)n >= sizeof(path) || (m->flags & PROCMAP_DELETED) ||
		    stat_bounded(path, pid, c->proc_root, &st) || st.st_ino != m->inode)
			return 1;
	}
	return stat_mtime_ns(&st) == e->mtime_ns && (uint64_t)st.st_size == e->size;
}

/* Where the debug file of mapping m is looked for, and how it is opened: as the process under
 * its root; dir (PATH_MAX) receives the binary's directory. */
static void debug_opts(struct elfsyms_opts *eo, struct as_proc *as, const char *root,
		       const char *debug_root, const struct procmap *m, char *dir)
{
	const char *slash = strrchr(m->path, '/');

	*eo = (struct elfsyms_opts){.root = root[0] ? root : NULL,
				    .debug_root = debug_root,
				    .open = open_as_proc,
				    .open_ctx = as};
	if (slash && (size_t)(slash - m->path) < PATH_MAX) {
		memcpy(dir, m->path, (size_t)(slash - m->path));
		dir[slash - m->path] = '\0';
		eo->dir = dir[0] ? dir : "/";
	}
}

int bincache__open_debug(const char *proc_root, const char *debug_root, uint32_t pid,
			 const struct procmap *m, int fd)
{
	struct as_proc as = {proc_root ? proc_root : "/proc", pid};
	struct elfsyms_opts eo;
	char root[PATH_MAX], dir[PATH_MAX];
	int n = snprintf(root, sizeof(root), "%s/%u/root", as.proc_root, pid);

	if (n < 0 || (size_t)n >= sizeof(root))
		root[0] = '\0';
	debug_opts(&eo, &as, root, debug_root, m, dir);
	return elfsyms__open_debug_fd(fd, &eo);
}

static struct bin *load(struct bincache *c, int fd, uint32_t pid, const struct procmap *m,
			const char *root)
{
	struct as_proc as = { c->proc_root, pid };
	struct elfsyms_opts eo;
	char dir[PATH_MAX];
	struct bin *b;

	debug_opts(&eo, &as, root, c->debug_root, m, dir);
	eo.demangle = c->demangle;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	c->parses++;
	b->syms = elfsyms__load_fd(fd, &eo);
	if (!b->syms) {
		int err = errno;

		free(b);
		errno = err;
		return NULL;
	}
	b->refs = 1;
	return b;
}

struct bin *bincache__get(struct bincache *c, uint32_t pid, const struct procmap *m)
{
	uint8_t id[ELFSYMS_BUILD_ID_MAX];
	char root[PATH_MAX];
	struct entry *e;
	struct stat st;
	struct bin *b;
	int fd, id_len, err, fstat_ok;

	if (!c || !m || (m->flags & PROCMAP_ANON)) {
		errno = EINVAL;
		return NULL;
	}
	e = find_inode(c, m);
	if (e && e->bin && !same_file(c, pid, m, e)) {
		/* Rewritten in place, or a new file on a freed inode: its names may differ. */
		remove_entry(c, (size_t)(e - c->entries));
		e = NULL;
	}
	if (e) {
		if (e->bin) {
			e->used = ++c->clock;
			e->bin->refs++;
			return e->bin;
		}
		if (clock__now_ns() - e->failed_at < BINCACHE_RETRY_NS) {
			errno = ENOENT;
			return NULL;
		}
		remove_entry(c, (size_t)(e - c->entries));
	}
	fd = open_binary(c, pid, m, root, sizeof(root));
	if (fd < 0) {
		err = errno;
		b = NULL;
		goto negative;
	}
	id_len = elfsyms__read_build_id(fd, id, sizeof(id));
	if (id_len > 0 && (e = find_build_id(c, id, (size_t)id_len))) {
		/* The same file seen through another inode (another container or a copy). */
		b = e->bin;
		b->refs++; /* the caller's, taken before add_entry can evict e */
		e->used = ++c->clock;
	} else {
		b = load(c, fd, pid, m, root); /* holds the caller's reference */
		err = errno;
		if (!b) {
			close(fd);
			goto negative;
		}
		if (id_len > 0) {
			e = add_entry(c);
			e->kind = KEY_BUILD_ID;
			memcpy(e->build_id, id, (size_t)id_len);
			e->build_id_len = (size_t)id_len;
			e->bin = b;
			b->refs++;
		}
	}
	fstat_ok = !fstat(fd, &st);
	close(fd);
	e = add_entry(c);
	e->kind = KEY_INODE;
	e->major = m->dev_major;
	e->minor = m->dev_minor;
	e->inode = m->inode;
	if (fstat_ok) {
		e->mtime_ns = stat_mtime_ns(&st);
		e->size = (uint64_t)st.st_size;
	}
	e->bin = b;
	b->refs++;
	return b;
negative:
	e = add_entry(c);
	e->kind = KEY_INODE;
	e->major = m->dev_major;
	e->minor = m->dev_minor;
	e->inode = m->inode;
	e->failed_at = clock__now_ns();
	errno = err ? err : ENOENT;
	return NULL;
}

size_t bincache__count(const struct bincache *c)
{
	size_t i, n = 0;

	for (i = 0; c && i < c->n; i++)
		n += c->entries[i].kind == KEY_INODE && c->entries[i].bin;
	return n;
}

uint64_t bincache__parses(const struct bincache *c)
{
	return c ? c->parses : 0;
}
