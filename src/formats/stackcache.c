/* SPDX-License-Identifier: MIT */
/*
 * stackcache: open addressing over an entry array kept in insertion order; keys live in one
 * byte arena addressed by offset, so growing it never invalidates anything.
 */
#include "stackcache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Past these the table is "full": memory stays bounded whatever the input's cardinality. */
#define MAX_ARENA (32u << 20)
#define MAX_ENTRIES (1u << 19)

struct entry {
	uint64_t hash;
	uint64_t count;
	size_t off; /* key in the arena */
	size_t len;
};

struct stackcache {
	struct entry *entries; /* owned, insertion order */
	size_t n, cap;
	uint32_t *slots; /* owned: entry index + 1, 0 = empty */
	size_t mask;
	char *arena; /* owned */
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
	free(c->entries);
	free(c->slots);
	free(c->arena);
	free(c);
	return NULL;
}

bool stackcache__full(const struct stackcache *c)
{
	return c->used >= MAX_ARENA || c->n >= MAX_ENTRIES;
}

uint64_t stackcache__total(const struct stackcache *c)
{
	return c->total;
}

static int grow_slots(struct stackcache *c)
{
	size_t mask = c->mask * 2 + 1;
	uint32_t *slots = calloc(mask + 1, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		size_t s = c->entries[i].hash & mask;

		while (slots[s])
			s = (s + 1) & mask;
		slots[s] = (uint32_t)i + 1;
	}
	free(c->slots);
	c->slots = slots;
	c->mask = mask;
	return 0;
}

int stackcache__add(struct stackcache *c, const void *key, size_t len, uint64_t count)
{
	uint64_t h = hash(key, len);
	size_t s = h & c->mask;
	struct entry *e;

	for (; c->slots[s]; s = (s + 1) & c->mask) {
		e = &c->entries[c->slots[s] - 1];
		if (e->hash == h && e->len == len && !memcmp(c->arena + e->off, key, len)) {
			e->count += count;
			c->total += count;
			return 0;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct entry *entries = realloc(c->entries, cap * sizeof(*entries));

		if (!entries)
			return -ENOMEM;
		c->entries = entries;
		c->cap = cap;
	}
	if (c->arena_cap - c->used < len) {
		size_t cap = c->arena_cap ? c->arena_cap : 65536;
		char *arena;

		while (cap - c->used < len)
			cap *= 2;
		arena = realloc(c->arena, cap);
		if (!arena)
			return -ENOMEM;
		c->arena = arena;
		c->arena_cap = cap;
	}
	memcpy(c->arena + c->used, key, len);
	c->entries[c->n] = (struct entry){ .hash = h, .count = count, .off = c->used, .len = len };
	c->used += len;
	c->slots[s] = (uint32_t)++c->n;
	c->total += count;
	/* keep the load under one half */
	if (c->n * 2 > c->mask && grow_slots(c))
		return -ENOMEM;
	return 1;
}

int stackcache__drain(struct stackcache *c, stackcache_fn fn, void *ctx)
{
	int err = 0;

	for (size_t i = 0; i < c->n && !err; i++)
		err = fn(ctx, c->arena + c->entries[i].off, c->entries[i].len, c->entries[i].count);
	memset(c->slots, 0, (c->mask + 1) * sizeof(*c->slots));
	c->n = 0;
	c->used = 0;
	c->total = 0;
	return err;
}
