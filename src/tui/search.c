// SPDX-License-Identifier: MIT
/*
 * Regex search over interned names. Matching is per name id, so a redraw never runs the
 * regex again; only names interned since the last update are tested (live modes add names).
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

struct search {
	regex_t re;
	bool active;
	char *pattern;	 /* owned */
	uint8_t *match;	 /* owned, per name id */
	size_t nmatch;	 /* names tested */
	size_t cap;
};

struct search *search__new(void)
{
	return calloc(1, sizeof(struct search));
}

void search__clear(struct search *s)
{
	if (s->active)
		regfree(&s->re);
	s->active = false;
	free(s->pattern);
	s->pattern = NULL;
	s->nmatch = 0;
}

struct search *search__free(struct search *s)
{
	if (!s)
		return NULL;
	search__clear(s);
	free(s->match);
	free(s);
	return NULL;
}

int search__set(struct search *s, const char *pattern, char *err, size_t errsz)
{
	regex_t re;
	char *copy;
	int rc;

	if (!*pattern) {
		search__clear(s);
		return 0;
	}
	rc = regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		if (err && errsz)
			regerror(rc, &re, err, errsz);
		return -EINVAL;
	}
	copy = strdup(pattern);
	if (!copy) {
		regfree(&re);
		return -ENOMEM;
	}
	search__clear(s);
	s->re = re;
	s->pattern = copy;
	s->active = true;
	return 0;
}

bool search__active(const struct search *s)
{
	return s->active;
}

const char *search__pattern(const struct search *s)
{
	return s->pattern ? s->pattern : "";
}

int search__update(struct search *s, const struct trie *t)
{
	size_t n = trie__names(t);

	if (!s->active)
		return 0;
	if (n > s->cap) {
		uint8_t *m = realloc(s->match, n);

		if (!m)
			return -ENOMEM;
		s->match = m;
		s->cap = n;
	}
	for (; s->nmatch < n; s->nmatch++)
		s->match[s->nmatch] =
			!regexec(&s->re, trie__name(t, (uint32_t)s->nmatch), 0, NULL, 0);
	return 0;
}

const uint8_t *search__matches(const struct search *s, size_t *ret_n)
{
	*ret_n = s->active ? s->nmatch : 0;
	return s->active ? s->match : NULL;
}

bool search__match(const struct search *s, uint32_t name)
{
	return s->active && name < s->nmatch && s->match[name];
}

bool search__match_text(const struct search *s, const char *text)
{
	return !s->active || !regexec(&s->re, text, 0, NULL, 0);
}

uint64_t search__matched(const struct search *s, const struct trie_node *node)
{
	const struct trie_node **stack = NULL;
	size_t sp = 0, cap = 0;
	uint64_t sum = 0;

	if (!s->active || !node)
		return 0;
	/* Iterative: a hostile trie can be deeper than the C stack. */
	if (search__match(s, node->name))
		return node->total;
	cap = 64;
	stack = malloc(cap * sizeof(*stack));
	if (!stack)
		return 0;
	stack[sp++] = node;
	while (sp) {
		const struct trie_node *n = stack[--sp];

		for (uint32_t i = 0; i < n->nchildren; i++) {
			const struct trie_node *c = trie_children(n)[i];

			if (search__match(s, c->name)) {
				sum += c->total;
				continue;
			}
			if (!c->nchildren)
				continue;
			if (sp == cap) {
				const struct trie_node **ns = realloc(stack, cap * 2 * sizeof(*stack));

				if (!ns)
					break;
				stack = ns;
				cap *= 2;
			}
			stack[sp++] = c;
		}
	}
	free(stack);
	return sum;
}

int search__quote(const char *name, size_t len, char *out, size_t size)
{
	size_t n = 0;

	if (size < 3)
		return -ENOSPC;
	out[n++] = '^';
	for (size_t i = 0; i < len; i++) {
		if (!name[i])
			return -EINVAL; /* regexec cannot see past a NUL */
		if (strchr("\\^$.|?*+()[]{}", name[i])) {
			if (n + 2 >= size - 1)
				return -ENOSPC;
			out[n++] = '\\';
		} else if (n + 1 >= size - 1) {
			return -ENOSPC;
		}
		out[n++] = name[i];
	}
	out[n++] = '$';
	out[n] = '\0';
	return 0;
}
