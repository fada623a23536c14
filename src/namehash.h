/* SPDX-License-Identifier: MIT */
/*
 * The name table's hash (names.c), in pieces so that a parser can hash a name in the same pass
 * that finds where it ends (formats/folded.c): the name's whole 8-byte words one by one, then
 * its last 0-7 bytes as one zero-padded word with the length and the kind. Eight bytes at a
 * time: the hash must keep up with reading the file. Not keyed: a hostile input can only slow
 * down its own load.
 */
#ifndef FLAMETUI_NAMEHASH_H
#define FLAMETUI_NAMEHASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define NAMEHASH_SEED 0x9e3779b97f4a7c15ull

/* Only a rotate and an add depend on the words before (the multiply does not): two cycles a
 * word, not six. Each step is a bijection of h and of w, so names that differ in one word
 * never collide; the end mixes it all. */
static inline uint64_t namehash__word(uint64_t h, uint64_t w)
{
	return ((h << 23) | (h >> 41)) + w * 0xbf58476d1ce4e5b9ull;
}

/* tail: the name's last len % 8 bytes, zero-padded (little-endian: the first byte lowest) */
static inline uint32_t namehash__end(uint64_t h, uint64_t tail, size_t len, unsigned kind)
{
	h = (h ^ tail) * 0x94d049bb133111ebull;
	h ^= ((uint64_t)len << 8 | kind) * 0x9e3779b97f4a7c15ull;
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return (uint32_t)h;
}

static inline uint32_t namehash(const char *s, size_t len, unsigned kind)
{
	uint64_t h = NAMEHASH_SEED, w;
	size_t n = len;

	while (n >= 8) {
		memcpy(&w, s, 8);
		h = namehash__word(h, w);
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	return namehash__end(h, w, len, kind);
}

#endif
