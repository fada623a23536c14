// SPDX-License-Identifier: MIT
/*
 * recload: the recording reader's callbacks that build the trie and the timeline. File name
 * ids map to trie name ids, file stacks to trie-id sequences; a sample's timeline stack is its
 * comm then its frames, cached per (file stack, comm) so most samples cost one probe.
 */
#include "recload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "frameaddrs.h"
#include "grow.h"
#include "recording.h"
#include "timeline.h"
#include "trie.h"

#define CACHE_SLOTS 4096

struct recload {
	struct trie *t;
	struct timeline *tl;
	uint32_t *names; /* file name id -> trie id */
	size_t nnames, names_cap;
	uint32_t *pool; /* file stacks as trie ids */
	size_t pool_len, pool_cap;
	size_t *off; /* file stack i: pool[off[i] .. off[i + 1]) */
	size_t nstacks, off_cap;
	uint32_t lost; /* trie id of "[lost]" */
	uint32_t *ids;
	size_t ids_cap;
	struct {
		uint32_t stack, comm, id;
	} cache[CACHE_SLOTS];
	struct frameaddrs *fa; /* borrowed, may be NULL: the frame address table read into */
	int bins[FRAMEADDRS_MAX_BINS]; /* file binary id -> fa's, -1: none */
	char cmdline[160];
	char counters[160];
	uint64_t hz;			       /* the info pairs flametui record writes, 0 absent */
	int64_t start_realtime, start_monotonic; /* the same instant on both clocks */
	bool has_realtime, has_monotonic;
};

/* A decimal info value (vlen bytes, not NUL-terminated): 0, or -EINVAL when it is not one. */
static int info_number(const char *val, size_t vlen, long long *ret)
{
	char buf[24], *end;
	long long v;

	if (!vlen || vlen >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, val, vlen);
	buf[vlen] = '\0';
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int on_name(void *ctx, uint32_t id, const char *s, size_t len, enum frame_kind kind)
{
	struct recload *l = ctx;
	uint32_t tid;

	if (id != l->nnames)
		return -EINVAL;
	tid = trie__intern(l->t, s, len, kind);
	if (tid == TRIE_NO_NAME ||
	    grow_array((void **)&l->names, &l->names_cap, l->nnames + 1, sizeof(*l->names)))
		return -ENOMEM;
	l->names[l->nnames++] = tid;
	return 0;
}

static int on_module(void *ctx, uint32_t id, const char *s, size_t len)
{
	struct recload *l = ctx;

	/* several binaries: set twice, as the collector did */
	if (!s)
		trie__set_module(l->t, l->names[id], TRIE_MODULE_SEVERAL);
	else
		trie__set_module(l->t, l->names[id], trie__module_intern(l->t, s, len));
	return 0;
}

static int on_binary(void *ctx, uint32_t id, const char *path, size_t len,
		     const struct frameaddrs_ident *ident)
{
	struct recload *l = ctx;
	char buf[4097];
	int bin;

	if (!l->fa || id >= FRAMEADDRS_MAX_BINS || memchr(path, '\0', len))
		return 0;
	memcpy(buf, path, len);
	buf[len] = '\0';
	bin = frameaddrs__bin(l->fa, buf);
	if (bin == -ENOMEM)
		return -ENOMEM;
	l->bins[id] = bin;
	if (bin >= 0 && ident)
		return frameaddrs__set_ident(l->fa, bin, ident);
	return 0;
}

static int on_addr(void *ctx, uint32_t name, uint32_t bin, uint64_t offset, uint64_t samples)
{
	struct recload *l = ctx;
	uint32_t id;

	if (!l->fa || bin >= FRAMEADDRS_MAX_BINS || l->bins[bin] < 0)
		return 0;
	id = l->names[name];
	frameaddrs__add(l->fa, frameaddrs__key(trie__name(l->t, id), trie__name_len(l->t, id),
					       trie__kind(l->t, id)),
			l->bins[bin], offset, samples);
	return 0;
}

static int on_stack(void *ctx, uint32_t id, const uint32_t *names, size_t n)
{
	struct recload *l = ctx;

	if (id != l->nstacks)
		return -EINVAL;
	if (!names) {
		names = &l->lost;
		n = 1;
	}
	if (grow_array((void **)&l->pool, &l->pool_cap, l->pool_len + n, sizeof(*l->pool)) ||
	    grow_array((void **)&l->off, &l->off_cap, l->nstacks + 2, sizeof(*l->off)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		l->pool[l->pool_len + i] = names == &l->lost ? l->lost : l->names[names[i]];
	l->pool_len += n;
	l->off[++l->nstacks] = l->pool_len;
	return 0;
}

static int on_sample(void *ctx, const struct rec_sample *s)
{
	struct recload *l = ctx;
	size_t slot = ((size_t)s->stack * 2654435761u ^ s->comm) % CACHE_SLOTS, n;
	uint32_t id;

	if (l->cache[slot].id != TIMELINE_NO_STACK && l->cache[slot].stack == s->stack &&
	    l->cache[slot].comm == s->comm) {
		id = l->cache[slot].id;
	} else {
		n = l->off[s->stack + 1] - l->off[s->stack];
		if (grow_array((void **)&l->ids, &l->ids_cap, n + 1, sizeof(*l->ids)))
			return -ENOMEM;
		l->ids[0] = l->names[s->comm];
		memcpy(l->ids + 1, l->pool + l->off[s->stack], n * sizeof(*l->ids));
		id = timeline__stack_id(l->tl, l->ids, n + 1);
		if (id == TIMELINE_NO_STACK)
			return -ENOMEM;
		l->cache[slot].stack = s->stack;
		l->cache[slot].comm = s->comm;
		l->cache[slot].id = id;
	}
	return timeline__add(l->tl, s->ns, id);
}

static int on_info(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
	struct recload *l = ctx;
	char safe[sizeof(l->cmdline)];

	long long v;

	if (klen == 7 && !memcmp(key, "cmdline", 7)) {
		formats__escape(safe, sizeof(safe), val, vlen, 100);
		snprintf(l->cmdline, sizeof(l->cmdline), "%s", safe);
	} else if (klen == 2 && !memcmp(key, "hz", 2)) {
		if (!info_number(val, vlen, &v) && v > 0 && v <= 1000000)
			l->hz = (uint64_t)v;
	} else if (klen == 17 && !memcmp(key, "start_realtime_ns", 17)) {
		l->has_realtime = !info_number(val, vlen, &v) && v > 0;
		l->start_realtime = v;
	} else if (klen == 18 && !memcmp(key, "start_monotonic_ns", 18)) {
		l->has_monotonic = !info_number(val, vlen, &v) && v >= 0;
		l->start_monotonic = v;
	}
	/* the rest (a bad value included) is only kept in the file */
	return 0;
}

static int on_counter(void *ctx, const char *key, size_t klen, uint64_t value)
{
	struct recload *l = ctx;
	char safe[40];

	if (klen == 16 && !memcmp(key, "frame_addrs_full", 16) && value && l->fa)
		frameaddrs__set_full(l->fa);
	/* only the drop count reaches the header; the others stay in the file */
	if (klen == 4 && !memcmp(key, "lost", 4)) {
		formats__escape(safe, sizeof(safe), key, klen, 30);
		snprintf(l->counters, sizeof(l->counters), "%s %" PRIu64, safe, value);
	}
	return 0;
}

int recload__load(const void *buf, size_t len, const char *name, struct trie *t,
		  struct timeline *tl, struct frameaddrs *fa, struct formats_error *err,
		  uint64_t *ret_period_ns, int64_t *ret_wall_ns)
{
	struct rec_callbacks cb = { .name = on_name, .stack = on_stack, .sample = on_sample,
				    .info = on_info, .counter = on_counter, .module = on_module,
				    .binary = on_binary, .addr = on_addr };
	struct rec_report rep;
	struct recload *l = calloc(1, sizeof(*l));
	char msg[300];
	long long added;
	int rc;

	if (!l)
		return -ENOMEM;
	l->t = t;
	l->fa = fa;
	for (size_t i = 0; i < FRAMEADDRS_MAX_BINS; i++)
		l->bins[i] = -1;
	l->tl = tl ? tl : timeline__new();
	l->off = calloc(1, sizeof(*l->off));
	l->off_cap = 1;
	l->lost = trie__intern(t, "[lost]", 6, FRAME_SPECIAL);
	if (!l->tl || !l->off || l->lost == TRIE_NO_NAME) {
		rc = -ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		goto out;
	}
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		l->cache[i].id = TIMELINE_NO_STACK;
	cb.ctx = l;
	rc = recording__read(buf, len, &cb, &rep, msg, sizeof(msg));
	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "%s: %s", name, msg);
		goto out;
	}
	added = timeline__range_trie(l->tl, t, 0, UINT64_MAX, t);
	if (added < 0) {
		rc = (int)added;
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", name);
		goto out;
	}
	if (rep.note[0])
		snprintf(err->note, sizeof(err->note), "%s: %s", name, rep.note);
	snprintf(err->about, sizeof(err->about), "%.120s%s%.60s", l->cmdline,
		 l->cmdline[0] && l->counters[0] ? ", " : "", l->counters);
	*ret_period_ns = l->hz ? 1000000000ull / l->hz : 0;
	*ret_wall_ns = 0;
	if (l->has_realtime && l->has_monotonic && timeline__samples(l->tl)) {
		/* the first sample's monotonic time on the wall clock (a bad pair: unknown) */
		int64_t first = (int64_t)timeline__start_ns(l->tl), wall;

		if (!__builtin_sub_overflow(first, l->start_monotonic, &wall) &&
		    !__builtin_add_overflow(wall, l->start_realtime, &wall) && wall > 0)
			*ret_wall_ns = wall;
	}
out:
	if (l->tl != tl)
		timeline__free(l->tl);
	free(l->names);
	free(l->pool);
	free(l->off);
	free(l->ids);
	free(l);
	return rc;
}
