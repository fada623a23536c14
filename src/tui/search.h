/* SPDX-License-Identifier: MIT */
/*
 * The search: a POSIX extended regular expression over frame names, the set of matching
 * names, and the share of samples it matches (nested matches counted once, as flamegraph.pl
 * does). Pure: no terminal.
 */
#ifndef FLAMETUI_TUI_SEARCH_H
#define FLAMETUI_TUI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../trie.h"

struct search;

struct search *search__new(void);
struct search *search__free(struct search *s);

/*
 * Compiles `pattern` (REG_EXTENDED). On a bad pattern returns -EINVAL and writes regerror()'s
 * text into err; the previous search stays. An empty pattern clears the search.
 */
int search__set(struct search *s, const char *pattern, char *err, size_t errsz);
void search__clear(struct search *s);
bool search__active(const struct search *s);
const char *search__pattern(const struct search *s);

/* Tests any names interned since the last call. Returns 0 or -ENOMEM. */
int search__update(struct search *s, const struct trie *t);
/* Per name id: nonzero when the name matches; *ret_n receives the array length. */
const uint8_t *search__matches(const struct search *s, size_t *ret_n);
bool search__match(const struct search *s, uint32_t name);
/* Samples under `node` whose stack has a matching frame at or below it (each counted once). */
uint64_t search__matched(const struct search *s, const struct trie_node *node);

/* Does this one text match the current pattern? (For filtering the function table.) */
bool search__match_text(const struct search *s, const char *text);

/* Writes `name` as a regular expression matching exactly it: "^quoted$". */
int search__quote(const char *name, size_t len, char *out, size_t size);

#endif
