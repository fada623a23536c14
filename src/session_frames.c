// SPDX-License-Identifier: MIT
/*
 * What the view asks a session about its frames (session.h): where in its binary a frame was
 * (the collector's frame address tables, kept past session__detach; the selected path's own
 * address for unnamed frames) and its source lines (addrlines.c, made at the first question).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addrlines.h"
#include "frameaddrs.h"
#include "session.h"
#include "tui.h"

static const struct frameaddrs *session_addrs(const struct session *s)
{
	return s->col ? collector__addrs(s->col) : s->addrs;
}

/* The source lines reader (addrlines.h), made at the first use. */
struct addrlines *session__lines(struct session *s)
{
	if (!s->lines)
		s->lines = addrlines__new();
	return s->lines;
}

int session__frame_addr(void *ctx, const char *name, size_t len, enum frame_kind kind,
			struct tui_frame_addr *ret)
{
	struct session *s = ctx;

	if (!session__lines(s))
		return -ENOENT; /* as without lines: the view goes on */
	return addrlines__frame_addr(s->lines, session_addrs(s), name, len, kind, ret);
}

int session__frame_lines(void *ctx, const char *name, size_t len, enum frame_kind kind,
			 struct tui_line *ret, size_t cap, uint64_t *ret_total)
{
	struct session *s = ctx;

	if (!session__lines(s))
		return -ENOENT; /* as without lines: the view goes on */
	return addrlines__frame_lines(s->lines, session_addrs(s), name, len, kind, ret, cap,
				      ret_total);
}

/* Paths deeper than this are not looked up (the collector's stacks are shallower). */
#define PATH_MAX_DEPTH 1024

int session__path_addr(void *ctx, const struct trie *t, const struct trie_node *node,
		       struct tui_frame_addr *ret)
{
	struct session *s = ctx;
	const struct frameaddrs *fa = s->col ? collector__paths(s->col) : s->paths;
	const struct trie_node *path[PATH_MAX_DEPTH];
	struct frameaddrs_hot h;
	uint64_t key;
	size_t n = 0;
	int err;

	if (!fa || !node || !node->parent || !node->parent->parent)
		return -ENOENT; /* the view's root or a root frame */
	/* the frames below the root frame, innermost first; the key folds them outermost first */
	for (; node->parent->parent; node = node->parent) {
		if (n == PATH_MAX_DEPTH)
			return -ENOENT;
		path[n++] = node;
	}
	key = frameaddrs__root_key(trie__name(t, node->name), trie__name_len(t, node->name));
	while (n--) {
		uint32_t id = path[n]->name;

		key = frameaddrs__path_key(key, frameaddrs__key(trie__name(t, id),
								trie__name_len(t, id),
								trie__kind(t, id)));
	}
	err = frameaddrs__hot(fa, key, &h);
	if (err)
		return err;
	*ret = (struct tui_frame_addr){ .offset = h.offset, .samples = h.samples,
					.total = h.total, .addrs = h.addrs,
					.partial = h.partial };
	return 0;
}
