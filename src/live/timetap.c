// SPDX-License-Identifier: MIT
/* timetap: the collector's samples into a timeline over the view's names (see timetap.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "timeline.h"
#include "timetap.h"

struct timetap {
	struct trie *view; /* borrowed: the names stacks are made of */
	struct timeline *tl;
	size_t max;
	uint64_t added;
	const struct trie *mapped; /* the collector trie `map` translates */
	uint32_t *map;		   /* its name id -> view name id */
	size_t map_cap;
	uint32_t ids[1 + 2 * 128 + 1];
};

struct timetap *timetap__new(struct trie *view, size_t max)
{
	struct timetap *tt = calloc(1, sizeof(*tt));

	if (!tt)
		return NULL;
	tt->view = view;
	tt->max = max;
	tt->tl = timeline__new();
	if (!tt->tl) {
		free(tt);
		return NULL;
	}
	return tt;
}

struct timetap *timetap__free(struct timetap *tt)
{
	if (!tt)
		return NULL;
	timeline__free(tt->tl);
	free(tt->map);
	free(tt);
	return NULL;
}

struct timeline *timetap__timeline(const struct timetap *tt)
{
	return tt->tl;
}

uint64_t timetap__added(const struct timetap *tt)
{
	return tt->added;
}

static uint32_t view_name(struct timetap *tt, const struct trie *t, uint32_t id)
{
	if (t != tt->mapped) {
		tt->mapped = t; /* compacted: other ids */
		if (tt->map)
			memset(tt->map, 0xff, tt->map_cap * sizeof(*tt->map));
	}
	if (id >= tt->map_cap) {
		size_t old = tt->map_cap;

		if (grow_array((void **)&tt->map, &tt->map_cap, (size_t)id + 1, sizeof(*tt->map)))
			return TRIE_NO_NAME;
		memset(tt->map + old, 0xff, (tt->map_cap - old) * sizeof(*tt->map));
	}
	if (tt->map[id] == TRIE_NO_NAME)
		tt->map[id] = trie__intern_from(tt->view, t, id);
	return tt->map[id];
}

void timetap__sample(void *ctx, const struct ft_hdr *h, const struct trie *t, const uint32_t *ids,
		     size_t n)
{
	struct timetap *tt = ctx;
	size_t max = sizeof(tt->ids) / sizeof(tt->ids[0]) - 1;
	uint32_t stack;

	if (n > max)
		n = max;
	tt->ids[0] = trie__intern(tt->view, h->comm, strnlen(h->comm, FT_COMM_LEN), FRAME_ROOT);
	for (size_t i = 0; i < n; i++)
		if ((tt->ids[1 + i] = view_name(tt, t, ids[i])) == TRIE_NO_NAME)
			return;
	if (tt->ids[0] == TRIE_NO_NAME)
		return;
	stack = timeline__stack_id(tt->tl, tt->ids, n + 1);
	if (timeline__samples(tt->tl) >= tt->max)
		timeline__drop_oldest(tt->tl, tt->max / 4);
	if (stack != TIMELINE_NO_STACK && !timeline__add(tt->tl, h->ts, stack))
		tt->added++;
}
