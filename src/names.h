/* SPDX-License-Identifier: MIT */
/*
 * The trie's name table: interns frame names (text + kind) to dense ids, one at a time or a
 * whole stack at once. Private to trie.c (callers use trie__intern*()): the struct is here so
 * the id -> name accessors inline.
 */
#ifndef FLAMETUI_NAMES_H
#define FLAMETUI_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "trie.h"

/* Every name's text is followed by at least this many readable bytes (its NUL, then the arena's
 * next bytes or slack past a block's end, not all of them set): a reader may load 8 bytes at
 * any offset up to the name's length and mask off what lies past it (trie_rank.c). */
#define NAME_READ_SLACK 8

struct name {
	const char *s; /* in the arena, NUL-terminated */
	uint32_t len;
	uint8_t kind;
	uint8_t plain; /* no byte that folded output must rewrite (';', control bytes) */
	uint16_t module; /* the binary its code is in (trie__module), TRIE_MODULE_NONE if unknown */
};

/* A lookup reads its slot and then the name's record only: the slot holds the hash, the
 * length and where the text is, and the record's header (just before the text) the id and
 * the kind, so one intern costs two cache lines, and both can be prefetched. */
struct name_slot {
	const char *s; /* NULL = empty */
	uint32_t hash;
	uint32_t len;
};

struct name_block;

struct nametab {
	struct name *names; /* by id */
	uint32_t n, cap;
	struct name_slot *slots;
	uint32_t mask;
	struct name_block *arena;
	size_t max; /* 0 = only TRIE_MAX_NAMES */
};

int nametab__init(struct nametab *nt);
void nametab__fini(struct nametab *nt);

/* trie__intern(): an id, or TRIE_NO_NAME with errno EINVAL, ENOMEM or ENOSPC (past max). */
uint32_t nametab__intern(struct nametab *nt, const char *s, size_t len, enum frame_kind kind);
/* Copies other text (module names) into the arena: NUL-terminated, stable; NULL on ENOMEM. */
const char *nametab__store(struct nametab *nt, const char *s, size_t len);
/* trie__intern_many(), with each key's namehash() in hashes (NULL: computed here): 0 or
 * -EINVAL, -ENOMEM, -ENOSPC. */
int nametab__intern_many(struct nametab *nt, const struct trie_key *keys, const uint32_t *hashes,
			 size_t n, uint32_t *ret_ids);

#endif
