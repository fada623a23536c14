// SPDX-License-Identifier: MIT
/*
 * The unwind loader (see loader.h): a cache of tables keyed by file identity, their runs in
 * the kernel's row array (runs.c), and the per-process entries that point into it. A run is
 * reused only once no process entry in the kernel points at it: an entry is replaced or
 * deleted before its tables lose their references.
 *
 * Tables are built on the builder thread (builder.c); the consumer's thread does everything
 * else, and picks finished tables up on its next call. Processes named at start are built
 * synchronously, before sampling.
 */
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bincache.h"
#include "builder.h"
#include "elfsyms.h"
#include "loader.h"
#include "loader_impl.h"
#include "procmaps.h"
#include "runs.h"
#include "table.h"

#define MAX_CACHED 4096		     /* binaries remembered, with or without a table */
#define RELOAD_NS  (20 * 1000000ull) /* a changed process is read again at most this often */
/* Loading is done from the ringbuf consumer: at most BUDGET_NS of it per WINDOW_NS, so a
 * system-wide start with dozens of new binaries never stalls the consumer long enough to
 * lose samples. Processes over the budget wait for their next sample (frame pointers and
 * counted until then). */
#define BUDGET_NS (10 * 1000000ull)
#define UNUSED_NS (2000 * 1000000ull) /* a table no process maps leaves the kernel after this */
#define SWEEP_NS  (200 * 1000000ull)
#define VERIFY_NS (2000 * 1000000ull) /* a file checked this recently is not opened again */
#define WINDOW_NS (100 * 1000000ull)

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct unwind_loader *unwind_loader__new(const struct unwind_loader_opts *opts)
{
	struct unwind_loader *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->opts = *opts;
	if (!l->opts.proc_root)
		l->opts.proc_root = "/proc";
	if (l->opts.max_rows > UINT32_MAX)
		l->opts.max_rows = UINT32_MAX;
	l->free_rows = runs__new((uint32_t)l->opts.max_rows);
	l->builder = builder__new();
	if (!l->free_rows || !l->builder) {
		runs__free(l->free_rows);
		builder__free(l->builder);
		free(l);
		return NULL;
	}
	l->stats.max_rows = l->opts.max_rows;
	if (l->opts.max_rows) {
		size_t len = l->opts.max_rows * sizeof(struct ft_unwind_row);
		void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, l->opts.rows_fd, 0);

		if (m != MAP_FAILED) {
			l->rows_map = m;
			l->rows_map_len = len;
		}
	}
	return l;
}

struct unwind_loader *unwind_loader__free(struct unwind_loader *l)
{
	if (!l)
		return NULL;
	builder__free(l->builder); /* first: its jobs point at the tables below */
	if (l->rows_map)
		munmap(l->rows_map, l->rows_map_len);
	for (size_t i = 0; i < l->nprocs; i++)
		free(l->procs[i].tabs);
	for (size_t i = 0; i < l->ntabs; i++) {
		unwind_table__free(l->tabs[i]->t);
		free(l->tabs[i]);
	}
	free(l->tabs);
	free(l->procs);
	runs__free(l->free_rows);
	free(l);
	return NULL;
}

/* ---- binaries ---- */

/* The file behind mapping m as the process sees it (map_files for containers and deleted
 * files, then its root), opened as the symbolizer opens it. */
static int open_mapping(const struct unwind_loader *l, uint32_t pid, const struct procmap *m)
{
	return bincache__open_mapping(l->opts.proc_root, pid, m);
}

static struct utab *tab_find(const struct unwind_loader *l, const struct stat *st)
{
	for (size_t i = 0; i < l->ntabs; i++) {
		struct utab *u = l->tabs[i];

		if (u->ino == st->st_ino && u->dev == st->st_dev &&
		    u->size == (uint64_t)st->st_size &&
		    u->mtime == (uint64_t)st->st_mtim.tv_sec * 1000000000ull +
				    (uint64_t)st->st_mtim.tv_nsec)
			return u;
	}
	return NULL;
}

/* The table of another file with the same build-id (the same library seen through another
 * mount namespace, a copy): the same code, the same rules. */
static struct utab *tab_find_build_id(const struct unwind_loader *l, const uint8_t *id, size_t len,
				      uint64_t size)
{
	for (size_t i = 0; i < l->ntabs; i++) {
		struct utab *u = l->tabs[i];

		if (u->build_id_len == len && u->size == size && !memcmp(u->build_id, id, len))
			return u;
	}
	return NULL;
}

/* Forgets the oldest binary nobody uses, to keep the cache bounded. */
static void tab_forget_one(struct unwind_loader *l)
{
	size_t best = SIZE_MAX;

	for (size_t i = 0; i < l->ntabs; i++)
		if (!l->tabs[i]->refs && !l->tabs[i]->building &&
		    (best == SIZE_MAX || l->tabs[i]->last_use < l->tabs[best]->last_use))
			best = i;
	if (best == SIZE_MAX)
		return;
	kernrows__unload(l, l->tabs[best]);
	unwind_table__free(l->tabs[best]->t);
	free(l->tabs[best]);
	l->tabs[best] = l->tabs[--l->ntabs];
}

/* A table the builder finished: into the kernel, and its processes reload on their next
 * sample (see()). */
static void take_built(void *ctx, void *tag, struct unwind_table *t, int err)
{
	struct unwind_loader *l = ctx;
	struct utab *u = tag;
	uint64_t t0 = mono_ns();

	u->building = false;
	u->t = t;
	if (err)
		l->stats.tables_failed++;
	else
		l->stats.tables_built++;
	kernrows__load(l, u);
	l->stats.build_ns += mono_ns() - t0;
}

/* The table of mapping m of pid, built when first seen; NULL with *ret_err when the file
 * cannot be opened (0) or memory ran out (-ENOMEM). */
/* A table whose file was opened and checked less than VERIFY_NS ago under the device and inode
 * the maps line names: used without opening the file again. Each open is a short-lived thread
 * (procfile.c, as the process, with a deadline), and a system-wide start maps libc hundreds
 * of times: opening it for each mapping of each process held up the first frame. */
static struct utab *tab_recent(const struct unwind_loader *l, const struct procmap *m, uint64_t now)
{
	uint64_t dev = makedev(m->dev_major, m->dev_minor);

	for (size_t i = 0; i < l->ntabs; i++) {
		struct utab *u = l->tabs[i];

		if (u->ino == m->inode && u->dev == dev && now - u->verified_ns < VERIFY_NS)
			return u;
	}
	return NULL;
}

static struct utab *tab_get(struct unwind_loader *l, uint32_t pid, const struct procmap *m,
			    bool sync, int *ret_err)
{
	struct utab *u;
	struct stat st;
	uint64_t t0 = mono_ns();
	int fd, err, dfd;

	*ret_err = 0;
	u = tab_recent(l, m, t0);
	if (u) {
		u->last_use = ++l->clock;
		err = kernrows__load(l, u);
		if (err) {
			*ret_err = err;
			return NULL;
		}
		return u;
	}
	fd = open_mapping(l, pid, m);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		close(fd);
		return NULL;
	}
	u = tab_find(l, &st);
	if (!u) {
		uint8_t id[BUILD_ID_MAX];
		int id_len = elfsyms__read_build_id(fd, id, sizeof(id));

		u = id_len > 0 ? tab_find_build_id(l, id, (size_t)id_len, (uint64_t)st.st_size)
			       : NULL;
		if (u)
			goto found;
		if (l->ntabs >= MAX_CACHED)
			tab_forget_one(l);
		if (l->ntabs == l->tcap) {
			size_t cap = l->tcap ? l->tcap * 2 : 64;
			struct utab **n = realloc(l->tabs, cap * sizeof(*n));

			if (!n) {
				close(fd);
				*ret_err = -ENOMEM;
				return NULL;
			}
			l->tabs = n;
			l->tcap = cap;
		}
		u = calloc(1, sizeof(*u));
		if (!u) {
			close(fd);
			*ret_err = -ENOMEM;
			return NULL;
		}
		u->dev = st.st_dev;
		u->ino = st.st_ino;
		u->size = (uint64_t)st.st_size;
		u->mtime =
		    (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec;
		if (id_len > 0) {
			memcpy(u->build_id, id, (size_t)id_len);
			u->build_id_len = (size_t)id_len;
		}
		/* no .eh_frame: the rules may be in its debug file's .debug_frame (-dbgsym) */
		dfd = unwind_table__has_eh_frame(fd)
			  ? -1
			  : bincache__open_debug(l->opts.proc_root, l->opts.debug_root, pid, m, fd);
		if (!sync && !builder__queue(l->builder, fd, dfd < 0 ? -1 : dfd, u)) {
			u->building = true;
			l->tabs[l->ntabs++] = u;
			u->last_use = ++l->clock;
			return u; /* no rows yet: the process is reloaded once it is built */
		}
		err = unwind_table__build_fds(fd, dfd < 0 ? -1 : dfd, &u->t);
		if (dfd >= 0)
			close(dfd);
		if (err == -ENOMEM) {
			close(fd);
			free(u);
			*ret_err = err;
			return NULL;
		}
		if (err)
			l->stats.tables_failed++;
		else
			l->stats.tables_built++;
		l->tabs[l->ntabs++] = u;
	}
found:
	close(fd);
	u->last_use = ++l->clock;
	if (u->ino == (uint64_t)st.st_ino && u->dev == (uint64_t)st.st_dev)
		u->verified_ns = t0;
	err = kernrows__load(l, u);
	l->stats.build_ns += mono_ns() - t0;
	if (err) {
		*ret_err = err;
		return NULL;
	}
	return u;
}

/* ---- processes ---- */

static struct uproc *proc_find(struct unwind_loader *l, uint32_t pid)
{
	for (size_t i = 0; i < l->nprocs; i++)
		if (l->procs[i].pid == pid)
			return &l->procs[i];
	return NULL;
}

/* A table no process entry uses any more leaves the kernel UNUSED_NS later (sweep()), or
 * at once when its rows are needed: a binary that runs again and again (a compiler under
 * make) keeps its rows instead of copying them back each time (cc1's 478k rows). */
static void drop_refs(struct utab **tabs, size_t n)
{
	uint64_t now = mono_ns();

	for (size_t i = 0; i < n; i++)
		if (!--tabs[i]->refs)
			tabs[i]->unused_ns = now;
	free(tabs);
}

/* Unloads the tables unused for UNUSED_NS (checked at most every SWEEP_NS). */
static void sweep(struct unwind_loader *l, uint64_t now)
{
	if (now - l->swept_ns < SWEEP_NS)
		return;
	l->swept_ns = now;
	for (size_t i = 0; i < l->ntabs; i++) {
		struct utab *u = l->tabs[i];

		if (!u->refs && u->row_count && now - u->unused_ns >= UNUSED_NS)
			kernrows__unload(l, u);
	}
}

/* Reads pid's mappings and writes its kernel entry. */
static int proc_load(struct unwind_loader *l, struct uproc *p, bool sync)
{
	struct ft_unwind_proc *e = &l->entry;
	struct procmaps *maps = procmaps__load(l->opts.proc_root, p->pid);
	struct utab **tabs;
	size_t n, ntabs = 0;
	int err = 0;

	p->changed = false;
	p->loaded_ns = mono_ns();
	if (!maps)
		return errno == ENOMEM ? -ENOMEM : 0; /* gone, or not ours to read */
	n = procmaps__count(maps);
	tabs = calloc(n ? n : 1, sizeof(*tabs));
	if (!tabs) {
		procmaps__free(maps);
		return -ENOMEM;
	}
	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < n && e->n < FT_UNWIND_MAX_MAPS; i++) {
		const struct procmap *m = procmaps__get(maps, i);
		struct ft_unwind_map *em = &e->maps[e->n];
		struct utab *u;
		uint64_t bias;

		if (m->flags & PROCMAP_ANON) {
			/* JIT code, [vdso]: no table, frame pointers; listed so the walk can
			 * tell code mapped since the load apart */
			*em = (struct ft_unwind_map){.start = m->start, .end = m->end};
			e->n++;
			continue;
		}
		u = tab_get(l, p->pid, m, sync, &err);
		if (err)
			break;
		if (u && u->building) {
			/* frame pointers there until it is built, and the samples say so */
			p->waiting = true;
			*em = (struct ft_unwind_map){
			    .start = m->start, .end = m->end, .row_start = FT_UNWIND_PENDING};
			e->n++;
			continue;
		}
		if (!u || !u->row_count || unwind_table__bias(u->t, m->start, m->offset, &bias)) {
			*em = (struct ft_unwind_map){.start = m->start, .end = m->end};
			e->n++;
			continue;
		}
		*em = (struct ft_unwind_map){.start = m->start,
					     .end = m->end,
					     .bias = bias,
					     .row_start = u->row_start,
					     .row_count = u->row_count,
					     .idx_count = u->idx_count,
					     .idx_pc_lo = u->idx_pc_lo};
		e->n++;
		u->refs++;
		tabs[ntabs++] = u;
	}
	if (!err && e->n == n)
		e->flags = FT_UNWIND_PROC_COMPLETE;
	procmaps__free(maps);
	if (err) {
		drop_refs(tabs, ntabs);
		return err;
	}
	/* the new entry replaces the old one before the old tables lose their references */
	if (bpf_map_update_elem(l->opts.procs_fd, &p->pid, e, BPF_ANY)) {
		l->stats.procs_full++;
		bpf_map_delete_elem(l->opts.procs_fd, &p->pid);
		drop_refs(tabs, ntabs);
		tabs = NULL;
		ntabs = 0;
	} else {
		l->stats.procs_loaded++;
	}
	drop_refs(p->tabs, p->ntabs);
	p->tabs = tabs;
	p->ntabs = ntabs;
	return 0;
}

/* Is there loading budget left in this window? */
static bool budget_left(struct unwind_loader *l, uint64_t now)
{
	if (now - l->window_start >= WINDOW_NS) {
		l->window_start = now;
		l->window_spent = 0;
	}
	return l->window_spent < BUDGET_NS;
}

static int proc_load_timed(struct unwind_loader *l, struct uproc *p, bool sync)
{
	uint64_t t0 = mono_ns();
	int err = proc_load(l, p, sync);

	l->window_spent += mono_ns() - t0;
	return err;
}

static int see(struct unwind_loader *l, uint32_t pid, bool budgeted)
{
	uint64_t now = mono_ns();
	struct uproc *p;

	if (!pid)
		return 0;
	sweep(l, now);
	if (builder__collect(l->builder, take_built, l)) {
		/* processes that wait for a table take it on their next sample */
		for (size_t i = 0; i < l->nprocs; i++)
			if (l->procs[i].waiting) {
				l->procs[i].changed = true;
				l->procs[i].loaded_ns = 0;
				l->procs[i].waiting = false;
			}
	}
	p = proc_find(l, pid);
	if (p) {
		if (!p->changed || now - p->loaded_ns < RELOAD_NS)
			return 0;
		if (budgeted && !budget_left(l, now)) {
			l->stats.deferred++;
			return 0;
		}
		return proc_load_timed(l, p, !budgeted);
	}
	if (l->nprocs >= l->opts.max_procs) {
		l->stats.procs_full++;
		return 0;
	}
	if (l->nprocs == l->pcap) {
		size_t cap = l->pcap ? l->pcap * 2 : 64;
		struct uproc *n = realloc(l->procs, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->procs = n;
		l->pcap = cap;
	}
	p = &l->procs[l->nprocs++];
	*p = (struct uproc){.pid = pid, .changed = true}; /* not in the kernel yet */
	if (budgeted && !budget_left(l, now)) {
		l->stats.deferred++;
		return 0;
	}
	return proc_load_timed(l, p, !budgeted);
}

int unwind_loader__see(struct unwind_loader *l, uint32_t pid)
{
	return see(l, pid, true);
}

int unwind_loader__load(struct unwind_loader *l, uint32_t pid)
{
	return see(l, pid, false);
}

void unwind_loader__changed(struct unwind_loader *l, uint32_t pid)
{
	struct uproc *p = proc_find(l, pid);

	if (p)
		p->changed = true;
}

void unwind_loader__exec(struct unwind_loader *l, uint32_t pid)
{
	struct uproc *p = proc_find(l, pid);

	if (p) {
		p->changed = true;
		p->loaded_ns = 0; /* no throttle: the process has no entry now */
	}
}

void unwind_loader__exit(struct unwind_loader *l, uint32_t pid)
{
	struct uproc *p = proc_find(l, pid);

	if (p) {
		bpf_map_delete_elem(l->opts.procs_fd, &pid);
		drop_refs(p->tabs, p->ntabs);
		*p = l->procs[--l->nprocs];
	}
	sweep(l, mono_ns()); /* any exit: also when no sample of a followed process comes */
}

void unwind_loader__stats(const struct unwind_loader *l, struct unwind_loader_stats *ret)
{
	*ret = l->stats;
}

int unwind_loader__func(const struct unwind_loader *l, uint64_t dev, uint64_t inode, uint64_t vaddr,
			uint64_t *ret_start)
{
	uint64_t end;

	for (size_t i = 0; i < l->ntabs; i++) {
		const struct utab *u = l->tabs[i];

		if (u->ino == inode && u->dev == dev && u->t)
			return unwind_table__func(u->t, vaddr, ret_start, &end);
	}
	return -ENOENT;
}
