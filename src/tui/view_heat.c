// SPDX-License-Identifier: MIT
/*
 * The heat map inside the view: its keys, the graph of a selected time range, and the search
 * restricting the map to the stacks it matches.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "../timeline.h"
#include "heatview.h"
#include "view_impl.h"

/* A trie with the same name ids as the full one, so paths (selection, zoom) and search flags
 * mean the same in both. */
static struct trie *trie_like(const struct trie *src)
{
	struct trie *t = trie__new();

	for (uint32_t id = (uint32_t)trie__names(t); t && id < trie__names(src); id++)
		if (trie__intern_from(t, src, id) != id)
			t = trie__free(t);
	return t;
}

int view__open_range(struct view *v)
{
	uint64_t from, to;
	long long n;

	if (!v->heat || !heatview__range(v->heat, &from, &to))
		return 0;
	v->range = trie__free(v->range);
	v->range = trie_like(v->src);
	if (!v->range)
		return -ENOMEM;
	n = timeline__range_trie(v->info->tl, v->src, from, to, v->range);
	if (n < 0)
		return (int)n;
	snprintf(v->range_text, sizeof(v->range_text),
		 "range %" PRIu64 ".%03" PRIu64 "s..%" PRIu64 ".%03" PRIu64 "s (h: heat map)",
		 from / TIMELINE_NS, from % TIMELINE_NS / 1000000, to / TIMELINE_NS,
		 to % TIMELINE_NS / 1000000);
	if (v->kind == KIND_GRAPH)
		v->t = v->range; /* a derived view stays, rebuilt from the range */
	v->heat_mode = false;
	view__invalidate(v);
	return 0;
}

/* The search restricts the heat map to the stacks it matches. */
int view_heat_restrict(struct view *v)
{
	size_t nflags, nstacks = timeline__stacks(v->info->tl);
	const uint8_t *flags;
	uint8_t *keep;
	int rc;

	if (!search__active(v->search))
		return heatview__restricted(v->heat) ? heatview__restrict(v->heat, NULL, 0) : 0;
	if (search__update(v->search, v->t))
		return -ENOMEM;
	flags = search__matches(v->search, &nflags);
	keep = malloc(nstacks ? nstacks : 1);
	if (!keep)
		return -ENOMEM;
	timeline__stacks_matching(v->info->tl, flags, nflags, keep);
	rc = heatview__restrict(v->heat, keep, nstacks);
	free(keep);
	return rc;
}

/* Keys while the heat map is shown, and `h` from the graph. */
int view_heat_key(struct view *v, int key)
{
	int rc;

	if (key == 'h') {
		/* back to the graph (of the range, when one is open), or to the map */
		v->heat_mode = !v->heat_mode;
		if (v->heat_mode && view_heat_restrict(v))
			return -ENOMEM;
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == '/') {
		view_start_prompt(v, PROMPT_SEARCH);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	if (key == 'r') {
		/* the whole profile again */
		if (v->kind == KIND_GRAPH)
			v->t = v->src;
		v->range = trie__free(v->range);
		v->range_text[0] = '\0';
		v->heat_mode = false;
		view__invalidate(v);
		return VIEW_HANDLED | VIEW_REDRAW;
	}
	rc = heatview__key(v->heat, key);
	if (rc < 0)
		return rc;
	if (rc == HEAT_OPEN)
		return view__open_range(v) ?: VIEW_HANDLED | VIEW_REDRAW;
	if (rc == HEAT_NONE && key == TK_ESC && search__active(v->search)) {
		search__clear(v->search);
		return view_heat_restrict(v) ?: VIEW_HANDLED | VIEW_REDRAW;
	}
	return rc == HEAT_NONE ? VIEW_HANDLED : VIEW_HANDLED | VIEW_REDRAW;
}
