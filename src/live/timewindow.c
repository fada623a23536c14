// SPDX-License-Identifier: MIT
/*
 * Ring mode's window (see timewindow.h). A slot is a small hash map from trie node to the samples
 * the slot put there; trie__add_node hands out the node and a node with samples is never
 * freed, so the handles stay valid until the slot is evicted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "timewindow.h"

struct slot_entry {
	struct trie_node *node;
	uint64_t count;
};

struct slot {
	struct slot_entry *e; /* open addressing; node == NULL is empty */
	size_t mask;	      /* capacity - 1, or 0 before the first sample */
	size_t used;
	uint64_t total;
};

struct timewindow {
	struct trie *trie; /* borrowed */
	struct slot *slots;
	unsigned int nslots;
	unsigned int cur;  /* index of the current slot */
	unsigned int held; /* slots in use, current included */
};

static size_t hash_ptr(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 31;
	x *= 0x9e3779b97f4a7c15ull;
	return (size_t)(x ^ (x >> 29));
}

struct timewindow *timewindow__new(struct trie *t, unsigned int nslots)
{
	struct timewindow *r;

	if (!nslots) {
		errno = EINVAL;
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->slots = calloc(nslots, sizeof(*r->slots));
	if (!r->slots) {
		free(r);
		return NULL;
	}
	r->trie = t;
	r->nslots = nslots;
	r->held = 1;
	return r;
}

static void slot_reset(struct slot *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

struct timewindow *timewindow__free(struct timewindow *r)
{
	if (!r)
		return NULL;
	for (unsigned int i = 0; i < r->nslots; i++)
		slot_reset(&r->slots[i]);
	free(r->slots);
	free(r);
	return NULL;
}

static int slot_grow(struct slot *s)
{
	size_t ncap = s->mask ? (s->mask + 1) * 2 : 64;
	struct slot_entry *e = calloc(ncap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	for (size_t i = 0; s->mask && i <= s->mask; i++) {
		if (!s->e[i].node)
			continue;
		size_t j = hash_ptr(s->e[i].node) & (ncap - 1);

		while (e[j].node)
			j = (j + 1) & (ncap - 1);
		e[j] = s->e[i];
	}
	free(s->e);
	s->e = e;
	s->mask = ncap - 1;
	return 0;
}

int timewindow__add(struct timewindow *r, const uint32_t *ids, size_t n)
{
	struct slot *s = &r->slots[r->cur];
	struct trie_node *node;
	size_t i;

	if ((!s->mask || (s->used + 1) * 2 > s->mask + 1) && slot_grow(s))
		return -ENOMEM;
	node = trie__add_node(r->trie, ids, n, 1);
	if (!node)
		return -ENOMEM;
	for (i = hash_ptr(node) & s->mask; s->e[i].node && s->e[i].node != node;
	     i = (i + 1) & s->mask)
		;
	if (!s->e[i].node) {
		s->e[i].node = node;
		s->used++;
	}
	s->e[i].count++;
	s->total++;
	return 0;
}

static void slot_evict(struct timewindow *r, struct slot *s)
{
	for (size_t i = 0; s->mask && i <= s->mask; i++)
		if (s->e[i].node)
			trie__sub_node(r->trie, s->e[i].node, s->e[i].count);
	slot_reset(s);
}

int timewindow__advance(struct timewindow *r)
{
	r->cur = (r->cur + 1) % r->nslots;
	if (r->held == r->nslots)
		slot_evict(r, &r->slots[r->cur]); /* the oldest slot is the one we reuse */
	else
		r->held++;
	return 0;
}

void timewindow__clear(struct timewindow *r)
{
	for (unsigned int i = 0; i < r->nslots; i++)
		slot_reset(&r->slots[i]);
	trie__clear(r->trie);
	r->held = 1;
}

unsigned int timewindow__held(const struct timewindow *r)
{
	return r->held;
}

static const struct slot *slot_at(const struct timewindow *r, unsigned int age)
{
	if (age >= r->held)
		return NULL;
	return &r->slots[(r->cur + r->nslots - age) % r->nslots];
}

uint64_t timewindow__slot_total(const struct timewindow *r, unsigned int age)
{
	const struct slot *s = slot_at(r, age);

	return s ? s->total : 0;
}

/* The path down to n (a node of r's trie) as name ids of dst, into *ids (grown as needed).
 * Returns its length, or -ENOMEM. */
static int path_in(const struct timewindow *r, const struct trie_node *n, struct trie *dst,
		   uint32_t **ids, size_t *cap)
{
	int len;

	if (grow_array((void **)ids, cap, n->depth ? n->depth : 1, sizeof(**ids)))
		return -ENOMEM;
	len = trie__path(n, *ids, *cap);
	for (int d = 0; d < len; d++) {
		uint32_t id = (*ids)[d];

		(*ids)[d] = trie__intern_from(dst, r->trie, id);
		if ((*ids)[d] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	return len;
}

int timewindow__slot_trie(const struct timewindow *r, unsigned int age, struct trie *dst)
{
	const struct slot *s = slot_at(r, age);
	uint32_t *ids = NULL;
	size_t cap = 0;
	int err = 0;

	if (!s)
		return -ERANGE;
	for (size_t i = 0; s->mask && i <= s->mask && !err; i++) {
		const struct trie_node *n = s->e[i].node;
		int len;

		if (!n)
			continue;
		len = path_in(r, n, dst, &ids, &cap);
		if (len < 0)
			err = len;
		if (!err)
			err = trie__add(dst, ids, (size_t)len, s->e[i].count);
	}
	free(ids);
	return err;
}

int timewindow__compact(struct timewindow *r, struct trie **ret_trie)
{
	struct trie *nt = trie__new();
	struct trie_node ***fresh = calloc(r->nslots, sizeof(*fresh));
	struct slot_entry **tables = calloc(r->nslots, sizeof(*tables));
	uint32_t *ids = NULL;
	size_t cap = 0;
	int err = 0;

	if (!nt || !fresh || !tables) {
		err = -ENOMEM;
		goto out;
	}
	/* Re-add every slot's samples (the trie is exactly the sum of its slots), keeping the
	 * new node of each entry aside until all succeeded. */
	for (unsigned int k = 0; k < r->nslots && !err; k++) {
		struct slot *s = &r->slots[k];

		if (!s->mask)
			continue;
		fresh[k] = calloc(s->mask + 1, sizeof(**fresh));
		if (!fresh[k]) {
			err = -ENOMEM;
			break;
		}
		for (size_t i = 0; i <= s->mask && !err; i++) {
			struct trie_node *n = s->e[i].node;
			int len;

			if (!n)
				continue;
			len = path_in(r, n, nt, &ids, &cap);
			if (len < 0)
				err = len;
			if (!err) {
				fresh[k][i] = trie__add_node(nt, ids, (size_t)len, s->e[i].count);
				if (!fresh[k][i])
					err = -ENOMEM;
			}
		}
	}
	if (err)
		goto out;
	/* The new tables first, so that nothing can fail once the slots start changing. */
	for (unsigned int k = 0; k < r->nslots && !err; k++) {
		struct slot *s = &r->slots[k];
		struct slot_entry *e;

		if (!s->mask)
			continue;
		e = calloc(s->mask + 1, sizeof(*e));
		if (!e) {
			err = -ENOMEM;
			break;
		}
		for (size_t i = 0; i <= s->mask; i++) {
			size_t j;

			if (!s->e[i].node)
				continue;
			/* slots are keyed by node: rehash under the new ones */
			for (j = hash_ptr(fresh[k][i]) & s->mask; e[j].node; j = (j + 1) & s->mask)
				;
			e[j].node = fresh[k][i];
			e[j].count = s->e[i].count;
		}
		tables[k] = e;
	}
	if (err)
		goto out;
	for (unsigned int k = 0; k < r->nslots; k++) {
		if (!r->slots[k].mask)
			continue;
		free(r->slots[k].e);
		r->slots[k].e = tables[k];
		tables[k] = NULL;
	}
	trie__set_max_nodes(nt, trie__max_nodes(r->trie));
	trie__count_overflow(nt, trie__overflowed(r->trie));
	r->trie = nt;
	*ret_trie = nt;
	nt = NULL;
out:
	for (unsigned int k = 0; k < r->nslots; k++) {
		if (fresh)
			free(fresh[k]);
		if (tables)
			free(tables[k]);
	}
	free(fresh);
	free(tables);
	free(ids);
	trie__free(nt);
	return err;
}
