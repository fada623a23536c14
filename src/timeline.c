// SPDX-License-Identifier: MIT
/*
 * timeline: samples as (time, stack id) in arrays, stacks interned in one pool of name ids
 * with an open-addressing hash. The grid and the range are single passes over the samples, so
 * an hour at 99 Hz on two CPUs (~710k samples) takes a few milliseconds either way.
 */
#include "timeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "trie.h"

struct timeline {
	uint32_t *pool; /* owned: every stack's name ids, back to back */
	size_t pool_len, pool_cap;
	size_t *off; /* owned: stack i is pool[off[i] .. off[i + 1]) */
	size_t nstacks, off_cap;
	uint32_t *slots; /* owned hash of stack ids (TIMELINE_NO_STACK = empty) */
	size_t nslots;	 /* a power of two, at least twice nstacks */
	uint64_t *ns;	 /* owned: per sample */
	uint32_t *stack; /* owned: per sample */
	/* owned: per sample, what it weighs (perf script's period); NULL while every weight is 1,
	 * so the live modes and recordings pay nothing for it */
	uint64_t *w;
	size_t n, cap_ns, cap_stack, cap_w;
	uint64_t min_ns, max_ns;
};

struct timeline *timeline__new(void)
{
	struct timeline *tl = calloc(1, sizeof(*tl));

	if (!tl)
		return NULL;
	tl->off = malloc(64 * sizeof(*tl->off));
	if (!tl->off) {
		free(tl);
		errno = ENOMEM;
		return NULL;
	}
	tl->off_cap = 64;
	tl->off[0] = 0;
	return tl;
}

struct timeline *timeline__free(struct timeline *tl)
{
	if (!tl)
		return NULL;
	free(tl->pool);
	free(tl->off);
	free(tl->slots);
	free(tl->ns);
	free(tl->stack);
	free(tl->w);
	free(tl);
	return NULL;
}

static uint64_t hash_ids(const uint32_t *ids, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;

	for (size_t i = 0; i < n; i++) {
		h ^= ids[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

static bool stack_is(const struct timeline *tl, uint32_t id, const uint32_t *ids, size_t n)
{
	size_t len = tl->off[id + 1] - tl->off[id];

	return len == n && !memcmp(tl->pool + tl->off[id], ids, n * sizeof(*ids));
}

static int rehash(struct timeline *tl)
{
	size_t nslots = tl->nslots ? tl->nslots * 2 : 1024;
	uint32_t *slots = malloc(nslots * sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	memset(slots, 0xff, nslots * sizeof(*slots));
	for (uint32_t id = 0; id < tl->nstacks; id++) {
		size_t i = hash_ids(tl->pool + tl->off[id], tl->off[id + 1] - tl->off[id]) &
			   (nslots - 1);

		while (slots[i] != TIMELINE_NO_STACK)
			i = (i + 1) & (nslots - 1);
		slots[i] = id;
	}
	free(tl->slots);
	tl->slots = slots;
	tl->nslots = nslots;
	return 0;
}

uint32_t timeline__stack_id(struct timeline *tl, const uint32_t *ids, size_t n)
{
	size_t i;
	uint32_t id;

	if ((tl->nstacks + 1) * 2 > tl->nslots && rehash(tl))
		goto nomem;
	i = hash_ids(ids, n) & (tl->nslots - 1);
	while ((id = tl->slots[i]) != TIMELINE_NO_STACK) {
		if (stack_is(tl, id, ids, n))
			return id;
		i = (i + 1) & (tl->nslots - 1);
	}
	if (tl->nstacks + 1 >= TIMELINE_NO_STACK ||
	    grow_array((void **)&tl->pool, &tl->pool_cap, tl->pool_len + n + 1, sizeof(*tl->pool)) ||
	    grow_array((void **)&tl->off, &tl->off_cap, tl->nstacks + 2, sizeof(*tl->off)))
		goto nomem;
	if (n)
		memcpy(tl->pool + tl->pool_len, ids, n * sizeof(*ids));
	tl->pool_len += n;
	id = (uint32_t)tl->nstacks++;
	tl->off[tl->nstacks] = tl->pool_len;
	tl->slots[i] = id;
	return id;
nomem:
	errno = ENOMEM;
	return TIMELINE_NO_STACK;
}

const uint32_t *timeline__stack(const struct timeline *tl, uint32_t id, size_t *ret_n)
{
	if (id >= tl->nstacks)
		return NULL;
	*ret_n = tl->off[id + 1] - tl->off[id];
	return tl->pool + tl->off[id];
}

size_t timeline__stacks(const struct timeline *tl)
{
	return tl->nstacks;
}

int timeline__add(struct timeline *tl, uint64_t ns, uint32_t stack)
{
	return timeline__add_weighted(tl, ns, stack, 1);
}

int timeline__add_weighted(struct timeline *tl, uint64_t ns, uint32_t stack, uint64_t weight)
{
	if (stack >= tl->nstacks)
		return -EINVAL;
	if (grow_array((void **)&tl->ns, &tl->cap_ns, tl->n + 1, sizeof(*tl->ns)) ||
	    grow_array((void **)&tl->stack, &tl->cap_stack, tl->n + 1, sizeof(*tl->stack)))
		return -ENOMEM;
	if (weight != 1 || tl->w) {
		size_t had = tl->w ? tl->n : 0;

		if (grow_array((void **)&tl->w, &tl->cap_w, tl->n + 1, sizeof(*tl->w)))
			return -ENOMEM;
		for (size_t i = had; i < tl->n; i++)
			tl->w[i] = 1; /* the samples before the first weight other than 1 */
		tl->w[tl->n] = weight;
	}
	if (!tl->n || ns < tl->min_ns)
		tl->min_ns = ns;
	if (!tl->n || ns > tl->max_ns)
		tl->max_ns = ns;
	tl->ns[tl->n] = ns;
	tl->stack[tl->n] = stack;
	tl->n++;
	return 0;
}

static void rescan(struct timeline *tl)
{
	tl->min_ns = tl->max_ns = tl->n ? tl->ns[0] : 0;
	for (size_t i = 1; i < tl->n; i++) {
		if (tl->ns[i] < tl->min_ns)
			tl->min_ns = tl->ns[i];
		if (tl->ns[i] > tl->max_ns)
			tl->max_ns = tl->ns[i];
	}
}

void timeline__drop_before(struct timeline *tl, uint64_t ns)
{
	size_t k = 0;

	for (size_t i = 0; i < tl->n; i++) {
		if (tl->ns[i] < ns)
			continue;
		tl->ns[k] = tl->ns[i];
		if (tl->w)
			tl->w[k] = tl->w[i];
		tl->stack[k++] = tl->stack[i];
	}
	tl->n = k;
	rescan(tl);
}

void timeline__drop_oldest(struct timeline *tl, size_t n)
{
	if (n > tl->n)
		n = tl->n;
	memmove(tl->ns, tl->ns + n, (tl->n - n) * sizeof(*tl->ns));
	memmove(tl->stack, tl->stack + n, (tl->n - n) * sizeof(*tl->stack));
	if (tl->w)
		memmove(tl->w, tl->w + n, (tl->n - n) * sizeof(*tl->w));
	tl->n -= n;
	rescan(tl);
}

void timeline__clear(struct timeline *tl)
{
	tl->n = 0;
	tl->min_ns = tl->max_ns = 0;
}

size_t timeline__samples(const struct timeline *tl)
{
	return tl->n;
}

uint64_t timeline__start_ns(const struct timeline *tl)
{
	return tl->min_ns;
}

uint64_t timeline__span_ns(const struct timeline *tl)
{
	return tl->max_ns - tl->min_ns;
}

void timeline__sample(const struct timeline *tl, size_t i, uint64_t *ret_ns, uint32_t *ret_stack)
{
	*ret_ns = i < tl->n ? tl->ns[i] : 0;
	*ret_stack = i < tl->n ? tl->stack[i] : TIMELINE_NO_STACK;
}

uint64_t timeline__row_start(uint32_t row, uint32_t rows)
{
	return rows ? ((uint64_t)row * TIMELINE_NS + rows - 1) / rows : 0;
}

int timeline__grid(const struct timeline *tl, uint32_t rows, const uint8_t *keep,
		   uint32_t **ret_counts, uint32_t *ret_cols)
{
	uint64_t cols64 = tl->n ? (tl->max_ns - tl->min_ns) / TIMELINE_NS + 1 : 0;
	uint32_t *counts;

	if (!rows)
		return -EINVAL;
	/* A clock jump (or a hostile file) must not ask for a grid the size of the universe. */
	if (cols64 > TIMELINE_MAX_COLS || cols64 * rows > SIZE_MAX / sizeof(*counts))
		return -EFBIG;
	counts = calloc(cols64 ? cols64 * rows : 1, sizeof(*counts));
	if (!counts)
		return -ENOMEM;
	for (size_t i = 0; i < tl->n; i++) {
		uint64_t off = tl->ns[i] - tl->min_ns;
		uint64_t col = off / TIMELINE_NS, row = off % TIMELINE_NS * rows / TIMELINE_NS;

		if (keep && !keep[tl->stack[i]])
			continue;
		if (counts[col * rows + row] < UINT32_MAX)
			counts[col * rows + row]++;
	}
	*ret_counts = counts;
	*ret_cols = (uint32_t)cols64;
	return 0;
}

long long timeline__range_trie(const struct timeline *tl, const struct trie *names,
			       uint64_t from_ns, uint64_t to_ns, struct trie *dst)
{
	uint64_t *per = calloc(tl->nstacks ? tl->nstacks : 1, sizeof(*per));
	uint32_t *map = NULL, *ids = NULL;
	size_t nnames = trie__names(names), ids_cap = 0;
	long long added = 0;
	int err = 0;

	map = malloc((nnames ? nnames : 1) * sizeof(*map));
	if (!per || !map) {
		err = -ENOMEM;
		goto out;
	}
	memset(map, 0xff, (nnames ? nnames : 1) * sizeof(*map));
	for (size_t i = 0; i < tl->n; i++) {
		uint64_t off = tl->ns[i] - tl->min_ns;

		if (off >= from_ns && off < to_ns) {
			per[tl->stack[i]] += tl->w ? tl->w[i] : 1;
			added++;
		}
	}
	for (uint32_t s = 0; s < tl->nstacks && !err; s++) {
		size_t n = tl->off[s + 1] - tl->off[s];
		const uint32_t *src = tl->pool + tl->off[s];

		if (!per[s])
			continue;
		if (grow_array((void **)&ids, &ids_cap, n + 1, sizeof(*ids))) {
			err = -ENOMEM;
			break;
		}
		for (size_t k = 0; k < n; k++) {
			uint32_t id = src[k];

			if (id >= nnames) {
				err = -EINVAL;
				break;
			}
			if (map[id] == TRIE_NO_NAME)
				map[id] = trie__intern_from(dst, names, id);
			if (map[id] == TRIE_NO_NAME) {
				err = -ENOMEM;
				break;
			}
			ids[k] = map[id];
		}
		if (!err)
			err = trie__add(dst, ids, n, per[s]);
	}
out:
	free(per);
	free(map);
	free(ids);
	return err ? err : added;
}

void timeline__stacks_matching(const struct timeline *tl, const uint8_t *name_flags,
			       size_t nnames, uint8_t *keep)
{
	for (uint32_t s = 0; s < tl->nstacks; s++) {
		const uint32_t *ids = tl->pool + tl->off[s];
		size_t n = tl->off[s + 1] - tl->off[s];

		keep[s] = 0;
		for (size_t k = 0; k < n && !keep[s]; k++)
			keep[s] = ids[k] < nnames && name_flags[ids[k]];
	}
}
