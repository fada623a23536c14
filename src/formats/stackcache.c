/* SPDX-License-Identifier: MIT */
/*
 * stackcache: open addressing over records kept in insertion order in one byte arena,
 * addressed by offset, so growing it never invalidates anything.
 */
#include "stackcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"

/* Past these the table is "full": memory stays bounded whatever the input's cardinality. A
 * test build sets them small (tests/formats/test-folded-ways.c). */
#ifndef STACKCACHE_MAX_ARENA
#define STACKCACHE_MAX_ARENA (32u << 20)
#endif
#ifndef STACKCACHE_MAX_ENTRIES
#define STACKCACHE_MAX_ENTRIES (1u << 19)
#endif

/* A record in the arena, followed by its key padded to 8 bytes. Records sit in insertion order,
 * so the arena is also the drain order, and a lookup touches the slot and one record only. */
struct record {
	uint64_t hash;
	uint64_t count;
	uint64_t len;
};

/* Keys wait here a few adds before they are looked up: the hash is known at once, so the
 * slot can be prefetched while the caller parses the next lines. Random slot loads were over
 * half of a big file's load time. */
#define PIPE 4

struct pending {
	uint64_t hash, count;
	size_t len, cap;
	char *key; /* owned, reused */
};

struct stackcache {
	struct pending pipe[PIPE];
	unsigned head, npending;
	/* (hash >> 32) << 32 | (record offset / 8 + 1); 0 = empty. The hash half rejects
	 * most mismatches without reading the record. */
	uint64_t *slots; /* owned */
	size_t mask;
	size_t n;
	char *arena; /* owned, 8-aligned records */
	size_t used, arena_cap;
	uint64_t total;
};

static uint64_t mix(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

/* Word at a time: the hash must keep up with reading the file. Not keyed: a hostile input can
 * only slow down its own load. */
static uint64_t hash(const unsigned char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
		p += 8;
		len -= 8;
	}
	w = 0;
	memcpy(&w, p, len);
	return mix((h ^ w) * 0x94d049bb133111ebull);
}

struct stackcache *stackcache__new(void)
{
	struct stackcache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->mask = 4095;
	c->slots = calloc(c->mask + 1, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

struct stackcache *stackcache__free(struct stackcache *c)
{
	if (!c)
		return NULL;
	for (unsigned i = 0; i < PIPE; i++)
		free(c->pipe[i].key);
	free(c->slots);
	free(c->arena);
	free(c);
	return NULL;
}

bool stackcache__full(const struct stackcache *c)
{
	return c->used >= STACKCACHE_MAX_ARENA || c->n >= STACKCACHE_MAX_ENTRIES;
}

size_t stackcache__entries(const struct stackcache *c)
{
	return c->n + c->npending;
}

uint64_t stackcache__total(const struct stackcache *c)
{
	return c->total;
}

static size_t record_size(size_t len)
{
	return sizeof(struct record) + ((len + 7) & ~(size_t)7);
}

static uint64_t slot_of(uint64_t hash, size_t off)
{
	return (hash >> 32 << 32) | (off / 8 + 1);
}

static struct record *record_at(const struct stackcache *c, uint64_t slot)
{
	return (struct record *)(c->arena + ((slot & 0xffffffffu) - 1) * 8);
}

static int grow_slots(struct stackcache *c)
{
	size_t mask = c->mask * 2 + 1;
	uint64_t *slots = calloc(mask + 1, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t off = 0; off < c->used;) {
		const struct record *r = (const struct record *)(c->arena + off);
		size_t s = r->hash & mask;

		while (slots[s])
			s = (s + 1) & mask;
		slots[s] = slot_of(r->hash, off);
		off += record_size(r->len);
	}
	free(c->slots);
	c->slots = slots;
	c->mask = mask;
	return 0;
}

static int insert(struct stackcache *c, uint64_t h, const void *key, size_t len, uint64_t count)
{
	uint64_t tag = h >> 32 << 32;
	size_t s = h & c->mask, need = record_size(len);
	struct record *r;

	for (; c->slots[s]; s = (s + 1) & c->mask) {
		if ((c->slots[s] & ~(uint64_t)0xffffffffu) != tag)
			continue;
		r = record_at(c, c->slots[s]);
		if (r->hash == h && r->len == len && !memcmp(r + 1, key, len)) {
			r->count += count;
			return 0;
		}
	}
	if (grow_array((void **)&c->arena, &c->arena_cap, c->used + need, 1))
		return -ENOMEM;
	r = (struct record *)(c->arena + c->used);
	*r = (struct record){ .hash = h, .count = count, .len = len };
	memcpy(r + 1, key, len);
	c->slots[s] = slot_of(h, c->used);
	c->used += need;
	c->n++;
	/* keep the load under one half */
	if (c->n * 2 > c->mask && grow_slots(c))
		return -ENOMEM;
	return 0;
}

static int flush_one(struct stackcache *c)
{
	struct pending *p = &c->pipe[c->head];

	c->head = (c->head + 1) % PIPE;
	c->npending--;
	return insert(c, p->hash, p->key, p->len, p->count);
}

int stackcache__add(struct stackcache *c, const void *key, size_t len, uint64_t count)
{
	uint64_t h = hash(key, len);
	struct pending *p;
	int err = 0;

	__builtin_prefetch(&c->slots[h & c->mask]);
	if (c->npending == PIPE)
		err = flush_one(c);
	p = &c->pipe[(c->head + c->npending) % PIPE];
	if (grow_array((void **)&p->key, &p->cap, len, 1))
		return -ENOMEM;
	memcpy(p->key, key, len);
	p->hash = h;
	p->len = len;
	p->count = count;
	c->npending++;
	c->total += count;
	return err < 0 ? err : 0;
}

int stackcache__drain(struct stackcache *c, stackcache_fn fn, void *ctx)
{
	int err = 0;

	while (c->npending && !err)
		err = flush_one(c);
	c->head = c->npending = 0;
	for (size_t off = 0; off < c->used && !err;) {
		const struct record *r = (const struct record *)(c->arena + off);

		err = fn(ctx, (const char *)(r + 1), r->len, r->count);
		off += record_size(r->len);
	}
	memset(c->slots, 0, (c->mask + 1) * sizeof(*c->slots));
	c->n = 0;
	c->used = 0;
	c->total = 0;
	return err;
}
