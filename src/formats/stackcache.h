/* SPDX-License-Identifier: MIT */
/*
 * A bounded pre-aggregation table: identical stacks (as raw bytes) are counted once here and
 * reach the trie once per drain, so a big file costs one hash per line instead of one trie
 * walk and one intern per frame. Its memory is capped; callers drain it when it is full.
 */
#ifndef FLAMETUI_FORMATS_STACKCACHE_H
#define FLAMETUI_FORMATS_STACKCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct stackcache;

/* Returns NULL with errno set. */
struct stackcache *stackcache__new(void);
struct stackcache *stackcache__free(struct stackcache *c);

/* Adds count to key's entry (the key is copied). Returns 0, or -ENOMEM (possibly for a key
 * added a few calls before: lookups are pipelined). */
int stackcache__add(struct stackcache *c, const void *key, size_t len, uint64_t count);
/* Holds enough that the caller should drain it before adding more. */
bool stackcache__full(const struct stackcache *c);
/* Distinct keys it holds (those still in the lookup pipeline too). */
size_t stackcache__entries(const struct stackcache *c);
/* Sum of the counts it holds. */
uint64_t stackcache__total(const struct stackcache *c);

/*
 * Calls fn for each entry in the order the keys first came, then empties the table. Stops at
 * the first non-zero return of fn and returns it (the table is emptied anyway).
 */
typedef int (*stackcache_fn)(void *ctx, const char *key, size_t len, uint64_t count);
int stackcache__drain(struct stackcache *c, stackcache_fn fn, void *ctx);

#endif
