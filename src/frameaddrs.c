// SPDX-License-Identifier: MIT
/*
 * The frame address table (see frameaddrs.h): open addressing with linear probing over a
 * fixed array (3 MiB) allocated at the first add, filled to 1/2 at most, so memory is bounded
 * and an add costs a short probe sequence. Reading a frame's addresses scans the table: it happens when the view draws
 * the status line, not per sample.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "frameaddrs.h"

#define SLOTS (FRAMEADDRS_MAX * 2) /* filled to 1/2 at most */

struct entry {
	uint64_t key; /* 0 = empty */
	uint64_t offset;
	uint64_t samples;
	uint32_t bin;
};

struct frameaddrs {
	struct entry *slots; /* owned: SLOTS entries */
	size_t used;
	bool full;
	char *bins[FRAMEADDRS_MAX_BINS]; /* owned paths */
	int nbins, last;
	struct frameaddrs_ident *idents[FRAMEADDRS_MAX_BINS]; /* owned, NULL: none known */
};

struct frameaddrs *frameaddrs__new(void)
{
	return calloc(1, sizeof(struct frameaddrs));
}

struct frameaddrs *frameaddrs__free(struct frameaddrs *fa)
{
	for (int i = 0; fa && i < fa->nbins; i++) {
		free(fa->bins[i]);
		free(fa->idents[i]);
	}
	if (fa)
		free(fa->slots);
	free(fa);
	return NULL;
}

uint64_t frameaddrs__key(const char *name, size_t len, int kind)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)(unsigned)kind;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 0x100000001b3ull;
	}
	return h ? h : 1;
}

/* len without a trailing "<sep>digits", or len itself */
static size_t strip_number(const char *s, size_t len, char sep)
{
	size_t i = len;

	while (i && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	return i < len && i > 1 && s[i - 1] == sep ? i - 1 : len;
}

uint64_t frameaddrs__root_key(const char *root, size_t len)
{
	size_t n;

	len = strip_number(root, len, '/');
	while ((n = strip_number(root, len, '-')) != len)
		len = n;
	return frameaddrs__key(root, len, -1);
}

uint64_t frameaddrs__path_key(uint64_t parent, uint64_t name_key)
{
	/* not symmetric in its two inputs: "a;b" and "b;a" differ */
	uint64_t h = (parent * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull) ^ name_key;

	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h ? h : 1;
}

static size_t slot_of(uint64_t key, uint64_t offset)
{
	uint64_t x = key ^ (offset * 0x9e3779b97f4a7c15ull);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return (size_t)x & (SLOTS - 1);
}

int frameaddrs__bin(struct frameaddrs *fa, const char *path)
{
	/* the same binary as last time is the common case: one compare */
	if (fa->nbins && !strcmp(fa->bins[fa->last], path))
		return fa->last;
	for (int i = 0; i < fa->nbins; i++)
		if (!strcmp(fa->bins[i], path))
			return fa->last = i;
	if (fa->nbins == FRAMEADDRS_MAX_BINS) {
		fa->full = true;
		return -ENOSPC;
	}
	fa->bins[fa->nbins] = strdup(path);
	if (!fa->bins[fa->nbins])
		return -ENOMEM;
	return fa->last = fa->nbins++;
}

void frameaddrs__add(struct frameaddrs *fa, uint64_t key, int bin, uint64_t offset,
		     uint64_t count)
{
	size_t i = slot_of(key, offset);

	if (bin < 0 || bin >= fa->nbins)
		return;

	_Static_assert((SLOTS & (SLOTS - 1)) == 0, "a power of two");
	if (!fa->slots) {
		fa->slots = calloc(SLOTS, sizeof(*fa->slots));
		if (!fa->slots) {
			fa->full = true; /* uncounted, and said so: not worth failing a sample */
			return;
		}
	}
	for (; fa->slots[i].key; i = (i + 1) & (SLOTS - 1)) {
		if (fa->slots[i].key == key && fa->slots[i].offset == offset &&
		    fa->slots[i].bin == (uint32_t)bin) {
			fa->slots[i].samples += count;
			return;
		}
	}
	if (fa->used >= FRAMEADDRS_MAX) {
		fa->full = true;
		return;
	}
	fa->slots[i] = (struct entry){ key, offset, count, (uint32_t)bin };
	fa->used++;
}

int frameaddrs__hot(const struct frameaddrs *fa, uint64_t key, struct frameaddrs_hot *ret)
{
	struct frameaddrs_hot h = { .partial = fa->full };

	for (size_t i = 0; fa->slots && i < SLOTS; i++) {
		const struct entry *e = &fa->slots[i];

		if (e->key != key)
			continue;
		h.addrs++;
		h.total += e->samples;
		/* ties: the lower address, so the answer does not depend on the table's order */
		if (e->samples > h.samples || (e->samples == h.samples && e->offset < h.offset)) {
			h.samples = e->samples;
			h.offset = e->offset;
			h.path = fa->bins[e->bin];
		}
	}
	if (!h.addrs)
		return -ENOENT;
	*ret = h;
	return 0;
}

void frameaddrs__each(const struct frameaddrs *fa, uint64_t key, frameaddrs_fn fn, void *ctx)
{
	for (size_t i = 0; fa->slots && i < SLOTS; i++)
		if (fa->slots[i].key == key)
			fn(ctx, fa->bins[fa->slots[i].bin], fa->slots[i].offset,
			   fa->slots[i].samples);
}

void frameaddrs__clear(struct frameaddrs *fa)
{
	if (fa->slots)
		memset(fa->slots, 0, SLOTS * sizeof(*fa->slots));
	fa->used = 0;
	fa->full = false;
}

void frameaddrs__all(const struct frameaddrs *fa, frameaddrs_all_fn fn, void *ctx)
{
	for (size_t i = 0; fa->slots && i < SLOTS; i++)
		if (fa->slots[i].key)
			fn(ctx, fa->slots[i].key, (int)fa->slots[i].bin, fa->slots[i].offset,
			   fa->slots[i].samples);
}

bool frameaddrs__full(const struct frameaddrs *fa)
{
	return fa->full;
}

void frameaddrs__set_full(struct frameaddrs *fa)
{
	fa->full = true;
}

int frameaddrs__nbins(const struct frameaddrs *fa)
{
	return fa->nbins;
}

const char *frameaddrs__bin_path(const struct frameaddrs *fa, int bin)
{
	return bin >= 0 && bin < fa->nbins ? fa->bins[bin] : NULL;
}

int frameaddrs__set_ident(struct frameaddrs *fa, int bin, const struct frameaddrs_ident *id)
{
	if (bin < 0 || bin >= fa->nbins)
		return -EINVAL;
	if (!fa->idents[bin] && !(fa->idents[bin] = malloc(sizeof(*id))))
		return -ENOMEM;
	*fa->idents[bin] = *id;
	return 0;
}

const struct frameaddrs_ident *frameaddrs__ident(const struct frameaddrs *fa, int bin)
{
	return bin >= 0 && bin < fa->nbins ? fa->idents[bin] : NULL;
}
