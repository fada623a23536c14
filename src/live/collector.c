// SPDX-License-Identifier: MIT
/*
 * From raw samples to named stacks (see collector.h). Kernel names are cached per address:
 * the kernel's text does not change under us, so a repeated address costs one probe. User
 * names are cached per (process, address) for as long as the symbolizer says the process's
 * mappings are unchanged (symbolizer__pid_gen): at thousands of samples a second the same
 * few hundred addresses come back, and looking each one up again (mapping, ELF symbol,
 * interning) was half of flametui's CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "frameaddrs.h"
#include "grouping.h"
#include "pyrt.h"
#include "python.h"
#include "unwind.h"

/* All direct-mapped: a collision just costs the lookup the cache saves. */
#define KCACHE_SIZE 8192
#define UCACHE_SIZE 8192
#define RCACHE_SIZE 1024 /* root names ("comm-PID/TID" built and interned) by thread */
#define PCACHE_SIZE 8192 /* Python frame names by (pid, code object, offset) */
#define NKCACHE_SIZE 4096 /* frameaddrs__key of names by id, for the path table */

struct kcache_entry {
	uint64_t addr;
	uint32_t id;
};

struct rcache_entry {
	uint32_t tgid, tid;
	uint32_t id; /* TRIE_NO_NAME = empty */
	char comm[FT_COMM_LEN];
};

struct ucache_entry {
	uint64_t addr;
	uint64_t gen; /* symbolizer__pid_gen() when cached; 0 = empty */
	uint32_t pid;
	uint32_t id;
	uint64_t key, offset; /* for the frame address table; key 0: no offset */
	int bin;
};

struct nkey_entry {
	uint32_t id; /* TRIE_NO_NAME = empty */
	uint64_t key;
};

/* An unnamed frame of the sample being collected, with where in its binary it was. */
struct unnamed_frame {
	uint32_t id;
	int bin; /* in the path table */
	uint64_t offset;
};

struct pcache_entry {
	uint64_t code, info;
	uint64_t gen; /* pyrt__gen() when cached; 0 = empty */
	uint32_t pid;
	uint32_t id;
};

struct collector {
	struct trie *trie;	 /* borrowed */
	struct symbolizer *sym;	 /* borrowed */
	collector_sink_fn sink;
	void *sink_ctx;
	collector_tap_fn tap;
	void *tap_ctx;
	uint64_t samples;
	struct frameaddrs *addrs; /* owned: where in their binaries user frames were */
	struct frameaddrs *paths; /* owned: the same for unnamed frames, keyed by sample path */
	struct unnamed_frame unnamed[FT_MAX_STACK]; /* the sample's, outermost first */
	int nunnamed;
	struct nkey_entry nkcache[NKCACHE_SIZE];
	uint32_t ids[COLLECTOR_MAX_FRAMES];
	struct kcache_entry kcache[KCACHE_SIZE];
	struct ucache_entry ucache[UCACHE_SIZE];
	struct rcache_entry rcache[RCACHE_SIZE];
	struct pyrt *py;  /* borrowed */
	uint32_t eval_id; /* "_PyEval_EvalFrameDefault" in this trie, or TRIE_NO_NAME */
	uint32_t merged[COLLECTOR_MAX_FRAMES];
	struct pcache_entry pcache[PCACHE_SIZE];
};

static void flush_caches(struct collector *c)
{
	for (size_t i = 0; i < KCACHE_SIZE; i++)
		c->kcache[i].id = TRIE_NO_NAME;
	for (size_t i = 0; i < RCACHE_SIZE; i++)
		c->rcache[i].id = TRIE_NO_NAME;
	for (size_t i = 0; i < NKCACHE_SIZE; i++)
		c->nkcache[i].id = TRIE_NO_NAME;
	memset(c->ucache, 0, sizeof(c->ucache)); /* gen 0: empty */
	memset(c->pcache, 0, sizeof(c->pcache));
	c->eval_id = TRIE_NO_NAME;
}

struct collector *collector__new(struct trie *t, struct symbolizer *sym)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->trie = t;
	c->sym = sym;
	c->addrs = frameaddrs__new();
	c->paths = frameaddrs__new();
	if (!c->addrs || !c->paths)
		return collector__free(c);
	flush_caches(c);
	return c;
}

struct collector *collector__free(struct collector *c)
{
	if (c) {
		frameaddrs__free(c->addrs);
		frameaddrs__free(c->paths);
	}
	free(c);
	return NULL;
}

const struct frameaddrs *collector__addrs(const struct collector *c)
{
	return c->addrs;
}

struct frameaddrs *collector__take_addrs(struct collector *c)
{
	struct frameaddrs *fa = c->addrs;

	c->addrs = NULL;
	return fa;
}

const struct frameaddrs *collector__paths(const struct collector *c)
{
	return c->paths;
}

struct frameaddrs *collector__take_paths(struct collector *c)
{
	struct frameaddrs *fa = c->paths;

	c->paths = NULL;
	return fa;
}

void collector__clear_paths(struct collector *c)
{
	if (c->paths)
		frameaddrs__clear(c->paths);
}

void collector__set_trie(struct collector *c, struct trie *t)
{
	c->trie = t;
	flush_caches(c); /* the ids were the old trie's */
}

void collector__set_python(struct collector *c, struct pyrt *py)
{
	c->py = py;
}

void collector__set_tap(struct collector *c, collector_tap_fn tap, void *ctx)
{
	c->tap = tap;
	c->tap_ctx = ctx;
}

void collector__set_sink(struct collector *c, collector_sink_fn sink, void *ctx)
{
	c->sink = sink;
	c->sink_ctx = ctx;
}

/* The frame's name, with the binary it is in for the per-binary views (trie__module). */
static uint32_t intern_sym(struct collector *c, const struct sym *s)
{
	uint32_t id = trie__intern(c->trie, s->name, s->len, s->kind);

	if (id != TRIE_NO_NAME && s->module)
		trie__set_module(c->trie, id, trie__module_intern(c->trie, s->module,
								  strlen(s->module)));
	return id;
}

static uint32_t kernel_frame(struct collector *c, uint64_t addr)
{
	struct kcache_entry *e = &c->kcache[(addr ^ (addr >> 13)) % KCACHE_SIZE];
	struct sym s;

	if (e->id != TRIE_NO_NAME && e->addr == addr)
		return e->id;
	if (symbolizer__kernel(c->sym, addr, &s))
		return TRIE_NO_NAME;
	e->addr = addr;
	e->id = intern_sym(c, &s);
	return e->id;
}

/* The name id of a user address of process `pid`, whose mappings are at generation *gen. */
static uint32_t user_frame(struct collector *c, uint32_t pid, uint64_t addr, uint64_t *gen)
{
	uint64_t h = (addr ^ ((uint64_t)pid << 32)) * 0x9e3779b97f4a7c15ull;
	struct ucache_entry *e = &c->ucache[h >> (64 - 13)];
	struct sym sym;
	uint64_t key;
	uint32_t id;
	int bin;

	_Static_assert(UCACHE_SIZE == 1 << 13, "the slot is the hash's top 13 bits");
	if (*gen && e->gen == *gen && e->addr == addr && e->pid == pid) {
		if (e->key && c->addrs)
			frameaddrs__add(c->addrs, e->key, e->bin, e->offset, 1);
		return e->id;
	}
	if (symbolizer__user(c->sym, pid, addr, &sym))
		return TRIE_NO_NAME;
	id = intern_sym(c, &sym);
	key = sym.has_offset && c->addrs ? frameaddrs__key(sym.name, sym.len, sym.kind) : 0;
	bin = key ? frameaddrs__bin(c->addrs, sym.path) : -1;
	if (key)
		frameaddrs__add(c->addrs, key, bin, sym.offset, 1);
	/* unnamed frames are never cached below, so every one of them passes here */
	if (id != TRIE_NO_NAME && sym.kind == FRAME_UNKNOWN && sym.has_offset && c->paths &&
	    c->nunnamed < FT_MAX_STACK) {
		int pbin = frameaddrs__bin(c->paths, sym.path);

		if (pbin >= 0)
			c->unnamed[c->nunnamed++] = (struct unnamed_frame){ id, pbin, sym.offset };
	}
	/* the lookup may have read the mappings again: cache under the generation it used */
	*gen = symbolizer__pid_gen(c->sym, pid);
	if (id != TRIE_NO_NAME && sym.kind == FRAME_USER && *gen) {
		e->addr = addr;
		e->gen = *gen;
		e->pid = pid;
		e->id = id;
		e->key = bin >= 0 ? key : 0;
		e->offset = sym.offset;
		e->bin = bin;
	}
	return id;
}

/* Every root is per thread ("comm-PID/TID"): views regroup it (grouping.h). */
static uint32_t root_frame(struct collector *c, const struct ft_hdr *h)
{
	struct rcache_entry *e = &c->rcache[(h->tid * 0x9e3779b1u) >> 22];
	char buf[GROUPING_ROOT_MAX(FT_COMM_LEN)];
	size_t len;

	_Static_assert(RCACHE_SIZE == 1 << 10, "the slot is the hash's top 10 bits");
	if (e->id != TRIE_NO_NAME && e->tid == h->tid && e->tgid == h->tgid &&
	    !memcmp(e->comm, h->comm, FT_COMM_LEN))
		return e->id;
	len = grouping__format_root(buf, sizeof(buf), h->comm, strnlen(h->comm, FT_COMM_LEN),
				    h->tgid, h->tid);
	e->id = trie__intern(c->trie, buf, len, FRAME_ROOT);
	e->tgid = h->tgid;
	e->tid = h->tid;
	memcpy(e->comm, h->comm, FT_COMM_LEN);
	return e->id;
}

/* Where the .eh_frame walk stopped early: one frame that says why, instead of garbage. */
static uint32_t unwind_marker(struct collector *c, uint64_t why)
{
	static const char *const names[FT_UW_MARK_MAX] = {
		[FT_UW_MARK_NO_TABLE] = "[unwind: no table]",
		[FT_UW_MARK_READ_FAILED] = "[unwind: read failed]",
		[FT_UW_MARK_NO_PROGRESS] = "[unwind: stack did not grow]",
		[FT_UW_MARK_DEEP] = "[unwind: too deep]",
	};
	const char *name = why < FT_UW_MARK_MAX && names[why] ? names[why] : "[unwind: broken]";

	return trie__intern(c->trie, name, strlen(name), FRAME_UNKNOWN);
}

static uint32_t python_frame(struct collector *c, uint32_t pid, uint64_t code, uint64_t info,
			     uint64_t gen)
{
	uint64_t h = (code ^ info * 31 ^ ((uint64_t)pid << 40)) * 0x9e3779b97f4a7c15ull;
	struct pcache_entry *e = &c->pcache[h >> (64 - 13)];
	enum frame_kind kind;
	char buf[1024];
	size_t len;
	uint32_t id;

	_Static_assert(PCACHE_SIZE == 1 << 13, "the slot is the hash's top 13 bits");
	if (gen && e->gen == gen && e->code == code && e->info == info && e->pid == pid)
		return e->id;
	len = pyrt__frame(c->py, pid, code, info, buf, sizeof(buf), &kind);
	id = trie__intern(c->trie, buf, len, kind);
	/* the per-binary views group them under one module */
	if (id != TRIE_NO_NAME && kind == FRAME_PYTHON)
		trie__set_module(c->trie, id, trie__module_intern(c->trie, "[python]", 8));
	if (id != TRIE_NO_NAME && kind == FRAME_PYTHON && gen) {
		e->code = code;
		e->info = info;
		e->gen = gen;
		e->pid = pid;
		e->id = id;
	}
	return id;
}

/* Groups hi down to lo of the Python frames, outermost first, appended to out at n. */
static int emit_groups(uint32_t *out, int n, const uint32_t *pids, const uint32_t *gstart, int hi,
		       int lo)
{
	for (int g = hi; g >= lo; g--)
		for (int k = (int)gstart[g + 1] - 1; k >= (int)gstart[g]; k--)
			out[n++] = pids[k];
	return n;
}

/*
 * The Python frames of a sample merged into its user frames ids[0..nu) (outermost first), as
 * py-spy --native does: each _PyEval_EvalFrameDefault activation is replaced by the Python
 * frames it ran, innermost activation with the innermost frames. The frames arrive innermost
 * first, and the frame the eval loop was entered with (is_entry) closes an activation's group.
 * When the native stack has fewer activations than there are groups (its walk stopped early),
 * the outer groups go where the outermost activation is; with none at all (no unwind tables),
 * every Python frame goes below the native ones. Returns the merged count in c->merged.
 */
static int merge_python(struct collector *c, const struct ft_sample *s, const uint32_t *ids,
			int nu, const __u64 *py, int npy)
{
	uint32_t gstart[FT_PY_MAX_FRAMES + 1], pids[FT_PY_MAX_FRAMES];
	uint64_t gen = pyrt__gen(c->py, s->hdr.tgid);
	int ngroups = 0, nevals = 0, seen = 0, n = 0;

	if (c->eval_id == TRIE_NO_NAME)
		c->eval_id = trie__intern(c->trie, "_PyEval_EvalFrameDefault", 24, FRAME_USER);
	for (int i = 0; i < npy; i++) {
		pids[i] = python_frame(c, s->hdr.tgid, py[2 * i], py[2 * i + 1], gen);
		if (pids[i] == TRIE_NO_NAME)
			return -ENOMEM;
		if (i == 0 || py[2 * i - 1] & FT_PY_ENTRY)
			gstart[ngroups++] = (uint32_t)i;
	}
	gstart[ngroups] = (uint32_t)npy;
	for (int i = 0; i < nu; i++)
		nevals += ids[i] == c->eval_id;
	if (!nevals) {
		n = emit_groups(c->merged, n, pids, gstart, ngroups - 1, 0);
		memcpy(c->merged + n, ids, (size_t)nu * sizeof(*ids));
		return n + nu;
	}
	/* activation act (0 = innermost) runs group act; the outermost also runs every group
	 * the native stack has no activation for */
	for (int i = 0; i < nu; i++) {
		int act = ids[i] == c->eval_id ? nevals - 1 - seen++ : -1;

		if (act < 0 || act >= ngroups)
			c->merged[n++] = ids[i];
		else
			n = emit_groups(c->merged, n, pids, gstart,
					act == nevals - 1 ? ngroups - 1 : act, act);
	}
	return n;
}

/* The frame-name ids of one sample, outermost first; returns how many, or -errno. */
static int sample_frames(struct collector *c, const struct ft_sample *s, uint32_t *ids)
{
	int nk = s->kstack_sz > 0 ? s->kstack_sz / 8 : 0;
	int nu = s->ustack_sz > 0 ? s->ustack_sz / 8 : 0;
	const __u64 *kstack = s->stack, *ustack;
	uint64_t gen = symbolizer__pid_gen(c->sym, s->hdr.tgid);
	int n = 0, ustart, npy;

	/* the sampler checked both fit in the record; the user stack follows the kernel's */
	if (nk > FT_MAX_STACK)
		nk = FT_MAX_STACK;
	if (nu > FT_MAX_STACK)
		nu = FT_MAX_STACK;
	ustack = s->stack + nk;
	c->nunnamed = 0;
	ids[n] = root_frame(c, &s->hdr);
	if (ids[n++] == TRIE_NO_NAME)
		return -ENOMEM;
	/* a Python thread's samples say whether it held the GIL */
	if (c->py && s->py_frames & FT_PY_THREAD) {
		const char *m = s->py_frames & FT_PY_GIL ? "[gil]" : "[no gil]";

		ids[n] = trie__intern(c->trie, m, strlen(m), FRAME_SPECIAL);
		if (ids[n++] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	ustart = n;
	/* Stacks arrive innermost first. Every entry but the first is a return address, which
	 * can point just past the end of its caller (a call to a noreturn function): look up
	 * addr - 1 so it lands inside the call instruction. */
	for (int i = nu - 1; i >= 0; i--) {
		if (s->ustack_kind == FT_USTACK_DWARF && ustack[i] >= FT_UNWIND_MARK_BASE)
			ids[n] = unwind_marker(c, ustack[i] - FT_UNWIND_MARK_BASE);
		else
			ids[n] = user_frame(c, s->hdr.tgid, ustack[i] - (i > 0), &gen);
		if (ids[n++] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	npy = c->py ? (int)FT_PY_COUNT(s->py_frames) : 0;
	if (npy > FT_PY_MAX_FRAMES)
		npy = FT_PY_MAX_FRAMES;
	if (npy) {
		int m = merge_python(c, s, ids + ustart, n - ustart, ustack + nu, npy);

		if (m < 0)
			return m;
		memcpy(ids + ustart, c->merged, (size_t)m * sizeof(*ids));
		n = ustart + m;
	}
	for (int i = nk - 1; i >= 0; i--) {
		ids[n] = kernel_frame(c, kstack[i] - (i > 0));
		if (ids[n++] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	return n;
}

static uint64_t name_key(struct collector *c, uint32_t id)
{
	struct nkey_entry *e = &c->nkcache[id % NKCACHE_SIZE];

	if (e->id != id) {
		e->id = id;
		e->key = frameaddrs__key(trie__name(c->trie, id), trie__name_len(c->trie, id),
					 trie__kind(c->trie, id));
	}
	return e->key;
}

/*
 * Counts the sample's unnamed frames in the path table under the path down to each. They are
 * found again in ids (outermost first) by their name id, in the order they were named: the
 * Python merge keeps the native frames' order.
 */
static void count_paths(struct collector *c, const uint32_t *ids, size_t n)
{
	uint64_t key = frameaddrs__root_key(trie__name(c->trie, ids[0]),
					    trie__name_len(c->trie, ids[0]));
	int j = 0;

	for (size_t i = 1; i < n && j < c->nunnamed; i++) {
		key = frameaddrs__path_key(key, name_key(c, ids[i]));
		if (ids[i] == c->unnamed[j].id) {
			frameaddrs__add(c->paths, key, c->unnamed[j].bin, c->unnamed[j].offset, 1);
			j++;
		}
	}
}

int collector__on_sample(void *ctx, const struct ft_sample *s)
{
	struct collector *c = ctx;
	int n = sample_frames(c, s, c->ids);

	if (n < 0)
		return n;
	if (c->nunnamed)
		count_paths(c, c->ids, (size_t)n);
	c->samples++;
	if (c->tap)
		c->tap(c->tap_ctx, &s->hdr, c->trie, c->ids + 1, (size_t)n - 1);
	if (c->sink)
		return c->sink(c->sink_ctx, c->ids, (size_t)n);
	return trie__add(c->trie, c->ids, (size_t)n, 1);
}

int collector__on_proc(void *ctx, const struct ft_proc_event *e)
{
	struct collector *c = ctx;

	switch (e->hdr.type) {
	case FT_REC_EXEC:
		symbolizer__pid_exec(c->sym, e->hdr.tgid);
		break;
	case FT_REC_EXIT:
		symbolizer__pid_exit(c->sym, e->hdr.tgid);
		break;
	default:
		break;
	}
	return 0;
}

uint64_t collector__samples(const struct collector *c)
{
	return c->samples;
}
