/* SPDX-License-Identifier: MIT */
/*
 * The symbolizer facade: kernel addresses through kallsyms, user addresses through the pid's
 * executable mappings (re-read on exec, and on a miss at most every maps_reread_ns), the
 * per-binary symbol cache and, for code no file describes, the JIT's perf map (pidjit.c). The
 * steady-state user path is a pid hash lookup, a mapping hint or binary search and a symbol
 * binary search.
 */
#include "symbolizer.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elf.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "bincache.h"
#include "clock.h"
#include "elfsyms.h"
#include "ksyms.h"
#include "jitmaps.h"
#include "perfmap.h"
#include "perfscript.h"
#include "pidjit.h"
#include "procmaps.h"
#include "vdso.h"

#define MAPS_REREAD_NS 100000000ull   /* default: maps re-read on a miss at most every 100 ms */
#define MAX_PIDS 65536		      /* beyond this all per-pid state is dropped and re-read */
#define SCRATCH_SIZE (ELFSYMS_NAME_MAX + PATH_MAX + 64)

enum { BIN_UNTRIED = 0, BIN_OK, BIN_FAILED };

struct pidinfo {
	uint32_t pid;
	struct pidinfo *next;	/* hash chain */
	struct procmaps *maps;	/* owned; NULL when /proc/PID/maps could not be read */
	struct bin **bins;	/* owned references, one per mapping */
	uint8_t *bin_state;	/* BIN_* per mapping */
	size_t nbins;		/* entries in bins and bin_state */
	size_t hint;		/* index of the last mapping hit */
	uint64_t maps_read_ns;	/* when maps were last read; meaningless until maps_read */
	bool maps_read;		/* /proc/PID/maps read at least once: the first miss reads it */
	struct pidjit jit;	 /* its perf map */
	bool jvm;		 /* libjvm.so is mapped: a HotSpot JVM */
	uint64_t gen;		 /* see symbolizer__pid_gen() */
	int8_t vdso_class;	 /* for vdso__syms() */
};

struct symbolizer {
	char *proc_root, *kallsyms, *debug_root, *perfmap_dir; /* owned copies */
	struct ksyms *ksyms;
	int ksyms_state; /* 0 not loaded yet, 1 loaded, -1 unusable */
	struct ksyms_reading *ksyms_reading; /* symbolizer__load_kernel_async's, until waited */
	struct bincache *bins;
	struct jitmaps *jit;
	struct pidinfo **buckets;
	size_t nbuckets, npids;
	struct pidinfo *last; /* the pid of the previous lookup */
	uint64_t next_gen;    /* handed to a pidinfo whenever its mappings change */
	uint64_t maps_reread_ns;
	symbolizer_func_fn func_fn; /* names for code without symbols; NULL = none */
	void *func_ctx;
	struct pidjit_env jitenv; /* what every process's perf map lookup shares */
	bool per_address; /* see symbolizer_opts */
	struct vdso *vdso; /* owned: the vDSOs' symbols */
	struct symbolizer_stats stats;
	char scratch[SCRATCH_SIZE];
};

static char *dup_or(const char *s, const char *def)
{
	return strdup(s ? s : def);
}

struct symbolizer *symbolizer__new(const struct symbolizer_opts *opts)
{
	struct symbolizer_opts o = opts ? *opts : (struct symbolizer_opts){ 0 };
	struct bincache_opts bo = { 0 };
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->proc_root = dup_or(o.proc_root, "/proc");
	s->kallsyms = dup_or(o.kallsyms, "/proc/kallsyms");
	s->debug_root = dup_or(o.debug_root, "/usr/lib/debug");
	s->perfmap_dir = dup_or(o.perfmap_dir, "/tmp");
	s->nbuckets = 64;
	s->maps_reread_ns = MAPS_REREAD_NS;
	s->per_address = o.per_address;
	s->buckets = calloc(s->nbuckets, sizeof(*s->buckets));
	if (!s->proc_root || !s->kallsyms || !s->debug_root || !s->perfmap_dir || !s->buckets)
		goto nomem;
	bo.proc_root = s->proc_root;
	bo.debug_root = s->debug_root;
	bo.demangle = o.demangle == -1 ? -1 : 1;
	s->bins = bincache__new(&bo);
	s->jit = jitmaps__new(s->proc_root);
	s->vdso = vdso__new(s->proc_root);
	if (!s->bins || !s->jit || !s->vdso)
		goto nomem;
	s->jitenv = (struct pidjit_env){ .proc_root = s->proc_root, .perfmap_dir = s->perfmap_dir,
					 .maps = s->jit, .refused = &s->stats.perfmaps_refused };
	return s;
nomem:
	symbolizer__free(s);
	errno = ENOMEM;
	return NULL;
}

static void pidinfo_drop_maps(struct pidinfo *pi)
{
	size_t i, n = pi->nbins;

	for (i = 0; pi->bins && i < n; i++)
		bin__put(pi->bins[i]);
	free(pi->bins);
	free(pi->bin_state);
	pi->bins = NULL;
	pi->bin_state = NULL;
	pi->nbins = 0;
	pi->maps = procmaps__free(pi->maps);
	pi->hint = 0;
}

static void pidinfo_free(struct symbolizer *s, struct pidinfo *pi)
{
	pidinfo_drop_maps(pi);
	pidjit__put(&pi->jit, &s->jitenv);
	free(pi);
}

static void drop_all_pids(struct symbolizer *s)
{
	size_t i;

	for (i = 0; i < s->nbuckets; i++) {
		while (s->buckets[i]) {
			struct pidinfo *pi = s->buckets[i];

			s->buckets[i] = pi->next;
			pidinfo_free(s, pi);
		}
	}
	s->npids = 0;
	s->last = NULL;
}

struct symbolizer *symbolizer__free(struct symbolizer *s)
{
	if (!s)
		return NULL;
	if (s->ksyms_reading)
		s->ksyms = ksyms__load_wait(s->ksyms_reading);
	if (s->buckets)
		drop_all_pids(s);
	free(s->buckets);
	bincache__free(s->bins);
	jitmaps__free(s->jit);
	ksyms__free(s->ksyms);
	vdso__free(s->vdso);
	free(s->proc_root);
	free(s->kallsyms);
	free(s->debug_root);
	free(s->perfmap_dir);
	free(s);
	return NULL;
}

static size_t pid_bucket(const struct symbolizer *s, uint32_t pid)
{
	return (size_t)((pid * 2654435761u) & (s->nbuckets - 1));
}

static struct pidinfo *pid_find(struct symbolizer *s, uint32_t pid)
{
	struct pidinfo *pi;

	if (s->last && s->last->pid == pid)
		return s->last;
	for (pi = s->buckets[pid_bucket(s, pid)]; pi; pi = pi->next)
		if (pi->pid == pid)
			return s->last = pi;
	return NULL;
}

static void pid_grow(struct symbolizer *s)
{
	size_t i, old = s->nbuckets;
	struct pidinfo **nb, **ob = s->buckets;

	nb = calloc(old * 2, sizeof(*nb));
	if (!nb)
		return; /* longer chains, still correct */
	s->buckets = nb;
	s->nbuckets = old * 2;
	for (i = 0; i < old; i++) {
		while (ob[i]) {
			struct pidinfo *pi = ob[i];
			size_t b = pid_bucket(s, pi->pid);

			ob[i] = pi->next;
			pi->next = nb[b];
			nb[b] = pi;
		}
	}
	free(ob);
}

static bool is_libjvm(const char *path)
{
	const char *slash = strrchr(path, '/');

	return !strcmp(slash ? slash + 1 : path, "libjvm.so");
}

/* Resets the per-mapping binary slots after the mappings changed. */
static int pidinfo_reset_bins(struct pidinfo *pi)
{
	size_t i, n = procmaps__count(pi->maps);

	for (i = 0; i < n && !pi->jvm; i++)
		pi->jvm = is_libjvm(procmaps__get(pi->maps, i)->path);

	for (i = 0; pi->bins && i < pi->nbins; i++)
		bin__put(pi->bins[i]);
	free(pi->bins);
	free(pi->bin_state);
	pi->bins = calloc(n ? n : 1, sizeof(*pi->bins));
	pi->bin_state = calloc(n ? n : 1, 1);
	pi->nbins = n;
	pi->hint = 0;
	if (!pi->bins || !pi->bin_state) {
		pidinfo_drop_maps(pi);
		return -ENOMEM;
	}
	return 0;
}

/* A pid known only from reported mappings: no /proc read yet, so the first miss reads it. */
static int pidinfo_empty(struct pidinfo *pi)
{
	pi->maps = procmaps__parse("", 0);
	if (!pi->maps)
		return -ENOMEM;
	pi->maps_read = false;
	return pidinfo_reset_bins(pi);
}

/*
 * (Re)reads the pid's maps. When they cannot be read (the process is gone), what we had stays:
 * mappings the kernel reported (symbolizer__add_mapping) still name its samples.
 */
static int pid_read_maps(struct symbolizer *s, struct pidinfo *pi)
{
	struct procmaps *maps;

	pi->maps_read_ns = clock__now_ns();
	pi->maps_read = true;
	s->stats.maps_reads++;
	maps = procmaps__load(s->proc_root, pi->pid);
	if (procmaps__truncated(maps))
		s->stats.maps_truncated++;
	if (!maps)
		return errno == ENOMEM ? -ENOMEM : 0;
	pidinfo_drop_maps(pi);
	pi->maps = maps;
	pi->gen = ++s->next_gen;
	return pidinfo_reset_bins(pi);
}

static struct pidinfo *pid_get_opt(struct symbolizer *s, uint32_t pid, bool read_maps)
{
	struct pidinfo *pi = pid_find(s, pid);
	size_t b;

	if (pi)
		return pi;
	if (s->npids >= MAX_PIDS)
		drop_all_pids(s);
	pi = calloc(1, sizeof(*pi));
	if (!pi)
		return NULL;
	pi->pid = pid;
	pi->gen = ++s->next_gen;
	if (read_maps ? pid_read_maps(s, pi) : pidinfo_empty(pi)) {
		free(pi);
		return NULL;
	}
	if (s->npids >= s->nbuckets)
		pid_grow(s);
	b = pid_bucket(s, pid);
	pi->next = s->buckets[b];
	s->buckets[b] = pi;
	s->npids++;
	return s->last = pi;
}

static struct pidinfo *pid_get(struct symbolizer *s, uint32_t pid)
{
	return pid_get_opt(s, pid, true);
}

static void pid_remove(struct symbolizer *s, uint32_t pid)
{
	struct pidinfo **pp;

	for (pp = &s->buckets[pid_bucket(s, pid)]; *pp; pp = &(*pp)->next) {
		struct pidinfo *pi = *pp;

		if (pi->pid != pid)
			continue;
		*pp = pi->next;
		if (s->last == pi)
			s->last = NULL;
		pidinfo_free(s, pi);
		s->npids--;
		return;
	}
}

static int set_name(struct sym *ret, const char *name, size_t len, enum frame_kind kind)
{
	ret->name = name;
	ret->len = len;
	ret->kind = kind;
	return 0;
}

__attribute__((format(printf, 4, 5)))
static int set_fmt(struct symbolizer *s, struct sym *ret, enum frame_kind kind, const char *fmt,
		   ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->scratch, sizeof(s->scratch), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0, s->scratch[0] = '\0';
	if ((size_t)n >= sizeof(s->scratch))
		n = sizeof(s->scratch) - 1;
	return set_name(ret, s->scratch, (size_t)n, kind);
}

static int unknown(struct symbolizer *s, struct sym *ret)
{
	static const char name[] = "[unknown]";

	s->stats.unknown++;
	return set_name(ret, name, sizeof(name) - 1, FRAME_UNKNOWN);
}

void symbolizer__load_kernel_async(struct symbolizer *s)
{
	if (s->ksyms_state || s->ksyms_reading)
		return;
	/* without a thread, symbolizer__load_kernel reads it when it is asked */
	s->ksyms_reading = ksyms__load_start(s->kallsyms);
}

int symbolizer__load_kernel(struct symbolizer *s)
{
	if (s->ksyms_state)
		return 0;
	if (s->ksyms_reading) {
		s->ksyms = ksyms__load_wait(s->ksyms_reading);
		s->ksyms_reading = NULL;
	} else {
		s->ksyms = ksyms__load(s->kallsyms);
	}
	if (!s->ksyms && errno == ENOMEM)
		return -ENOMEM;
	/* Hidden addresses (kptr_restrict) would name every frame after the first symbol. */
	s->ksyms_state = s->ksyms && !ksyms__all_zero(s->ksyms) ? 1 : -1;
	return 0;
}

bool symbolizer__kernel_names(const struct symbolizer *s)
{
	return s->ksyms_state > 0;
}

int symbolizer__kernel(struct symbolizer *s, uint64_t addr, struct sym *ret)
{
	const struct ksym *k;

	s->stats.kernel_lookups++;
	if (symbolizer__load_kernel(s))
		return -ENOMEM;
	k = s->ksyms_state > 0 ? ksyms__find(s->ksyms, addr) : NULL;
	/* an unnamed kernel address is "[unknown]", a name user frames share: no module then */
	ret->module = !k || !k->name ? NULL : k->module ? k->module : "[kernel]";
	if (!k || !k->name)
		return unknown(s, ret);
	if (k->module)
		return set_fmt(s, ret, FRAME_KERNEL, "%s [%s]", k->name, k->module);
	return set_name(ret, k->name, strlen(k->name), FRAME_KERNEL);
}

static long find_mapping(struct pidinfo *pi, uint64_t addr)
{
	const struct procmap *m = procmaps__get(pi->maps, pi->hint);
	long i;

	if (m && addr >= m->start && addr < m->end)
		return (long)pi->hint;
	i = procmaps__find(pi->maps, addr);
	if (i >= 0)
		pi->hint = (size_t)i;
	return i;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A perf map's name tidied as stackcollapse-perf.pl does (Java's rules in a JVM), so live
 * profiles and `perf script` ones name JIT frames alike. */
static int jit_name(struct symbolizer *s, const struct pidinfo *pi, const char *name,
		    struct sym *ret)
{
	size_t n = perfscript__tidy(name, strlen(name), pi->jvm, s->scratch, sizeof(s->scratch));

	if (n >= sizeof(s->scratch))
		n = sizeof(s->scratch) - 1;
	if (n == 0)
		return set_name(ret, name, strlen(name), FRAME_JIT);
	s->scratch[n] = '\0';
	return set_name(ret, s->scratch, n, FRAME_JIT);
}

int symbolizer__user(struct symbolizer *s, uint32_t pid, uint64_t addr, struct sym *ret)
{
	const struct perfmap_entry *pe;
	const struct procmap *m = NULL;
	struct pidinfo *pi;
	long i;

	s->stats.user_lookups++;
	ret->module = NULL;
	ret->has_offset = false;
	pi = pid_get(s, pid);
	if (!pi)
		return -ENOMEM;
	i = find_mapping(pi, addr);
	if (i < 0 && (!pi->maps_read || clock__now_ns() - pi->maps_read_ns >= s->maps_reread_ns)) {
		/* Not covered: maybe a dlopen since we read the maps. */
		if (pid_read_maps(s, pi))
			return -ENOMEM;
		i = find_mapping(pi, addr);
	}
	if (i >= 0) {
		m = procmaps__get(pi->maps, (size_t)i);
		ret->module = m->path[0] ? base_name(m->path) : NULL;
		ret->has_offset = m->path[0] && !(m->flags & PROCMAP_ANON);
		ret->offset = addr - m->start + m->offset;
		ret->path = m->path;
		if (pi->bin_state[i] == BIN_UNTRIED && !(m->flags & PROCMAP_ANON)) {
			pi->bins[i] = bincache__get(s->bins, pid, m);
			pi->bin_state[i] = pi->bins[i] ? BIN_OK : BIN_FAILED;
			s->stats.binaries = bincache__parses(s->bins);
		}
		if (pi->bin_state[i] == BIN_OK) {
			struct elfsyms *es = bin__syms(pi->bins[i]);
			uint64_t vaddr, file_off = addr - m->start + m->offset;
			const char *name;
			size_t len;

			if (!elfsyms__file_to_vaddr(es, file_off, &vaddr)) {
				uint64_t fstart;

				name = elfsyms__find(es, vaddr, &len, NULL);
				if (name)
					return set_name(ret, name, len, FRAME_USER);
				if (s->func_fn && !s->per_address &&
				    !s->func_fn(s->func_ctx, makedev(m->dev_major, m->dev_minor),
						m->inode, vaddr, &fstart)) {
					s->stats.unknown++;
					return set_fmt(s, ret, FRAME_UNKNOWN, "[%s@0x%llx]",
						       base_name(m->path), (unsigned long long)fstart);
				}
			}
		}
	}
	/* Code that no ELF file describes may be a JIT's (anonymous or memfd mappings). */
	if (!m || pi->bin_state[i] != BIN_OK) {
		pe = pidjit__find(&pi->jit, &s->jitenv, pid, pi->jvm, addr,
				  !m || (m->flags & PROCMAP_ANON));
		if (pe && pe->name) {
			ret->module = "[jit]";
			ret->has_offset = false;
			return jit_name(s, pi, pe->name, ret);
		}
	}
	if (!m || !m->path[0]) {
		return unknown(s, ret);
	}
	if ((m->flags & PROCMAP_ANON) && !strcmp(m->path, "[vdso]")) {
		struct elfsyms *vs = vdso__syms(s->vdso, pid, m->start, m->end, &pi->vdso_class);
		uint64_t vaddr;
		const char *name;
		size_t len;

		if (vs && !elfsyms__file_to_vaddr(vs, addr - m->start, &vaddr) &&
		    (name = elfsyms__find(vs, vaddr, &len, NULL)))
			return set_name(ret, name, len, FRAME_USER);
	}
	s->stats.unknown++;
	if (m->flags & PROCMAP_ANON)
		return set_name(ret, m->path, strlen(m->path), FRAME_UNKNOWN);
	if (!s->per_address)
		return set_fmt(s, ret, FRAME_UNKNOWN, "[%s]", base_name(m->path));
	return set_fmt(s, ret, FRAME_UNKNOWN, "[%s+0x%llx]", base_name(m->path),
		       (unsigned long long)(addr - m->start + m->offset));
}

void symbolizer__set_func_lookup(struct symbolizer *s, symbolizer_func_fn fn, void *ctx)
{
	s->func_fn = fn;
	s->func_ctx = ctx;
}

bool symbolizer__is_jvm(struct symbolizer *s, uint32_t pid)
{
	struct pidinfo *pi = pid_get(s, pid);

	return pi && pi->jvm;
}

void symbolizer__set_jit_request(struct symbolizer *s, symbolizer_jit_fn fn, void *ctx)
{
	s->jitenv.ask = fn;
	s->jitenv.ask_ctx = ctx;
}

void symbolizer__pid_exec(struct symbolizer *s, uint32_t pid)
{
	struct pidinfo *pi = s ? pid_find(s, pid) : NULL;

	/* A new program: mappings are stale, and so is any JIT map of the old one. */
	if (pi)
		pid_remove(s, pid);
}

void symbolizer__pid_exit(struct symbolizer *s, uint32_t pid)
{
	if (s)
		pid_remove(s, pid);
}

int symbolizer__add_mapping(struct symbolizer *s, uint32_t pid, const struct procmap *m)
{
	struct pidinfo *pi = pid_get_opt(s, pid, false);
	int err;

	if (!pi)
		return -ENOMEM;
	if (!pi->maps && pidinfo_empty(pi))
		return -ENOMEM;
	err = procmaps__insert(pi->maps, m);
	if (err)
		return err;
	pi->gen = ++s->next_gen;
	return pidinfo_reset_bins(pi);
}

void symbolizer__set_maps_reread(struct symbolizer *s, uint64_t ns)
{
	s->maps_reread_ns = ns ? ns : MAPS_REREAD_NS;
}

uint64_t symbolizer__pid_gen(struct symbolizer *s, uint32_t pid)
{
	struct pidinfo *pi = pid_find(s, pid);

	return pi ? pi->gen : 0;
}

void symbolizer__stats(const struct symbolizer *s, struct symbolizer_stats *ret)
{
	if (s)
		*ret = s->stats;
	else
		memset(ret, 0, sizeof(*ret));
	if (s)
		jitmaps__counts(s->jit, &ret->perfmaps, &ret->perfmaps_shared);
}

size_t symbolizer__perfmap_notes(const struct symbolizer *s, struct jitmap_note *ret, size_t cap)
{
	return s ? jitmaps__notes(s->jit, ret, cap) : 0;
}
