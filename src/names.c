// SPDX-License-Identifier: MIT
/*
 * The name table (see names.h). Texts live in an arena that never moves, so trie__name()
 * pointers stay valid for the trie's lifetime; each text is preceded by a small header (its id
 * and kind) so that a lookup that found a matching slot reads one more cache line, not two.
 * Interning a whole stack at once hashes every frame first and prefetches the slots, then the
 * records, then compares: the misses of one stack overlap instead of queueing up one by one,
 * and random misses in this table were most of a big file's load.
 */
#include "names.h"
#include "namehash.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (256 * 1024)
/* Readable bytes past a block's end: see NAME_READ_SLACK. */
#define ARENA_SLACK NAME_READ_SLACK
/* How many names one batch hashes and prefetches ahead of comparing. */
#define BATCH 32
#define SLOTS_QUADRUPLE (64u * 1024)
_Static_assert((TRIE_MAX_NAMES & (TRIE_MAX_NAMES - 1)) == 0, "the slots are a power of two");

struct name_block {
	struct name_block *next;
	size_t used, cap;
	char data[];
};

/* Just before each text in the arena (unaligned: read and written with memcpy). */
struct name_header {
	uint32_t id;
	uint8_t kind;
};

#define HEADER sizeof(struct name_header)

/* Copies the text behind a header; returns where the text starts, or NULL. */
static char *arena_copy(struct nametab *nt, const char *s, size_t len, uint32_t id, uint8_t kind)
{
	struct name_block *b = nt->arena;
	struct name_header hd = { .id = id, .kind = kind };
	size_t need = HEADER + len + 1;
	char *p;

	if (!b || b->cap - b->used < need) {
		size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;

		b = malloc(sizeof(*b) + cap + ARENA_SLACK);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		/* A big one-off name gets its own block behind the current one, so the current
		 * block's free space is not wasted. */
		if (nt->arena && cap > ARENA_BLOCK) {
			b->next = nt->arena->next;
			nt->arena->next = b;
		} else {
			b->next = nt->arena;
			nt->arena = b;
		}
	}
	p = b->data + b->used;
	memcpy(p, &hd, HEADER);
	p += HEADER;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += need;
	return p;
}

static int slots_grow(struct nametab *nt)
{
	/* 64-bit arithmetic: the table stops growing at 2^31 slots (TRIE_MAX_NAMES names at half
	 * load), so the mask always fits 32 bits and never wraps to a zero-sized table. */
	size_t cap = (size_t)nt->mask + 1;
	/* Four times while small (fewer rehashes and fewer fresh pages on the way to a few
	 * tens of thousands of names: 1.3 MiB less for 20k), twice beyond, to bound the waste. */
	size_t ncap = !nt->slots ? 1024 : cap < SLOTS_QUADRUPLE ? cap * 4 : cap * 2;
	struct name_slot *slots;

	if (ncap > (size_t)TRIE_MAX_NAMES * 2 && cap < (size_t)TRIE_MAX_NAMES * 2)
		ncap = (size_t)TRIE_MAX_NAMES * 2; /* a power of two too */
	if (ncap > (size_t)TRIE_MAX_NAMES * 2)
		return -E2BIG;
	slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (size_t k = 0; nt->slots && k <= nt->mask; k++) {
		size_t i;

		if (!nt->slots[k].s)
			continue;
		for (i = nt->slots[k].hash & (ncap - 1); slots[i].s; i = (i + 1) & (ncap - 1))
			;
		slots[i] = nt->slots[k];
	}
	free(nt->slots);
	nt->slots = slots;
	nt->mask = (uint32_t)(ncap - 1);
	return 0;
}

int nametab__init(struct nametab *nt)
{
	*nt = (struct nametab){ .cap = 1024 };
	nt->names = malloc(nt->cap * sizeof(*nt->names));
	if (!nt->names || slots_grow(nt)) {
		nametab__fini(nt);
		return -ENOMEM;
	}
	return 0;
}

void nametab__fini(struct nametab *nt)
{
	while (nt->arena) {
		struct name_block *b = nt->arena;

		nt->arena = b->next;
		free(b);
	}
	free(nt->names);
	free(nt->slots);
	*nt = (struct nametab){ 0 };
}

static bool plain_text(const char *s, size_t len)
{
	/* a leading '#' would make the folded line read back as a comment */
	if (len && s[0] == '#')
		return false;
	for (size_t k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c < 0x20 || c == 0x7f || c == ';')
			return false;
	}
	return true;
}

static uint32_t add(struct nametab *nt, size_t slot, const char *s, size_t len,
		    enum frame_kind kind, uint32_t h)
{
	struct name *n;

	if (nt->n >= TRIE_MAX_NAMES) {
		errno = ENOMEM;
		return TRIE_NO_NAME;
	}
	if (nt->max && nt->n >= nt->max && kind != FRAME_SPECIAL) {
		errno = ENOSPC;
		return TRIE_NO_NAME;
	}
	if (nt->n == nt->cap) {
		size_t ncap = (size_t)nt->cap * 2;
		struct name *nn;

		if (ncap > TRIE_MAX_NAMES)
			ncap = TRIE_MAX_NAMES;
		nn = realloc(nt->names, ncap * sizeof(*nn));
		if (!nn) {
			errno = ENOMEM;
			return TRIE_NO_NAME;
		}
		nt->names = nn;
		nt->cap = (uint32_t)ncap;
	}
	n = &nt->names[nt->n];
	n->s = arena_copy(nt, s, len, nt->n, (uint8_t)kind);
	if (!n->s) {
		errno = ENOMEM;
		return TRIE_NO_NAME;
	}
	n->len = (uint32_t)len;
	n->kind = (uint8_t)kind;
	n->plain = plain_text(s, len);
	n->module = TRIE_MODULE_NONE;
	nt->slots[slot] = (struct name_slot){ .s = n->s, .hash = h, .len = (uint32_t)len };
	nt->n++;
	/* keep the load under 1/2; past the largest table the name is interned all the same */
	if ((size_t)nt->n * 2 > (size_t)nt->mask + 1)
		(void)slots_grow(nt);
	return nt->n - 1;
}

static uint32_t intern_hashed(struct nametab *nt, const char *s, size_t len,
			      enum frame_kind kind, uint32_t h)
{
	size_t i;

	for (i = h & nt->mask; nt->slots[i].s; i = (i + 1) & nt->mask) {
		const struct name_slot *sl = &nt->slots[i];
		struct name_header hd;

		if (sl->hash != h || sl->len != len)
			continue;
		memcpy(&hd, sl->s - HEADER, HEADER);
		if (hd.kind == kind && !memcmp(sl->s, s, len))
			return hd.id;
	}
	return add(nt, i, s, len, kind, h);
}

const char *nametab__store(struct nametab *nt, const char *s, size_t len)
{
	return arena_copy(nt, s, len, TRIE_NO_NAME, FRAME_SPECIAL);
}

static bool valid(size_t len, enum frame_kind kind)
{
	return len <= UINT32_MAX - 1 && (unsigned)kind < FRAME_KIND_MAX;
}

uint32_t nametab__intern(struct nametab *nt, const char *s, size_t len, enum frame_kind kind)
{
	if (!valid(len, kind)) {
		errno = EINVAL;
		return TRIE_NO_NAME;
	}
	return intern_hashed(nt, s, len, kind, namehash(s, len, kind));
}

int nametab__intern_many(struct nametab *nt, const struct trie_key *keys, const uint32_t *hashes,
			 size_t n, uint32_t *ret_ids)
{
	uint32_t h[BATCH];

	for (size_t at = 0; at < n; at += BATCH) {
		size_t m = n - at < BATCH ? n - at : BATCH;
		const struct trie_key *k = keys + at;

		for (size_t i = 0; i < m; i++) {
			if (!valid(k[i].len, k[i].kind))
				return -EINVAL;
			h[i] = hashes ? hashes[at + i] : namehash(k[i].s, k[i].len, k[i].kind);
			__builtin_prefetch(&nt->slots[h[i] & nt->mask]);
		}
		for (size_t i = 0; i < m; i++) {
			const struct name_slot *sl = &nt->slots[h[i] & nt->mask];

			if (sl->s && sl->hash == h[i])
				__builtin_prefetch(sl->s - HEADER);
		}
		for (size_t i = 0; i < m; i++) {
			ret_ids[at + i] = intern_hashed(nt, k[i].s, k[i].len, k[i].kind, h[i]);
			if (ret_ids[at + i] == TRIE_NO_NAME)
				return -errno;
		}
	}
	return 0;
}
