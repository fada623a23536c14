// SPDX-License-Identifier: MIT
/*
 * What the view asks a session about its frames (session.h): where in its binary a frame was
 * (the collector's frame address tables, kept past session__detach) and its source lines
 * (srclines, made at the first question).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frameaddrs.h"
#include "session.h"
#include "srclines.h"
#include "tui.h"

static const struct frameaddrs *session_addrs(const struct session *s)
{
	return s->col ? collector__addrs(s->col) : s->addrs;
}

/* The source lines reader, made at the first use: files of root or of the user behind sudo. */
static struct srclines *session_lines(struct session *s)
{
	const char *u = getenv("SUDO_UID");

	if (!s->lines)
		s->lines = srclines__new(NULL, getuid() == 0 && u ? (uid_t)strtoul(u, NULL, 10) :
								  getuid());
	return s->lines;
}

int session__frame_addr(void *ctx, const char *name, size_t len, enum frame_kind kind,
			struct tui_frame_addr *ret)
{
	struct session *s = ctx;
	struct srclines *sl;
	struct frameaddrs_hot h;
	struct srcline line;
	int err;

	if (!session_addrs(s))
		return -ENOENT;
	err = frameaddrs__hot(session_addrs(s), frameaddrs__key(name, len, kind), &h);
	if (err)
		return err;
	*ret = (struct tui_frame_addr){ .offset = h.offset, .samples = h.samples,
					.total = h.total, .addrs = h.addrs,
					.partial = h.partial };
	sl = session_lines(s);
	if (sl && h.path && !srclines__find(sl, h.path, h.offset, &line)) {
		const char *base = strrchr(line.file, '/');

		snprintf(ret->where, sizeof(ret->where), "%s:%d", base ? base + 1 : line.file,
			 line.line);
	}
	return 0;
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

struct lines_acc {
	struct srclines *sl;
	struct tui_line *v; /* owned */
	size_t n, cap;
	uint64_t total;
	int err;
};

/* One address of the function: its samples go to its line's row. */
static void add_line(void *ctx, const char *path, uint64_t offset, uint64_t samples)
{
	struct lines_acc *a = ctx;
	struct srcline l;
	size_t i;

	a->total += samples;
	if (a->err || srclines__find(a->sl, path, offset, &l))
		return;
	for (i = 0; i < a->n; i++)
		if (a->v[i].line == l.line && !strcmp(a->v[i].file, l.file))
			break;
	if (i == a->n) {
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 64;
			struct tui_line *v = realloc(a->v, cap * sizeof(*v));

			if (!v) {
				a->err = -ENOMEM;
				return;
			}
			a->v = v;
			a->cap = cap;
		}
		a->v[a->n++] = (struct tui_line){ l.file, l.line, 0 };
	}
	a->v[i].samples += samples;
}

static int cmp_line(const void *x, const void *y)
{
	const struct tui_line *a = x, *b = y;

	if (a->samples != b->samples)
		return (a->samples < b->samples) - (a->samples > b->samples);
	return (a->line > b->line) - (a->line < b->line);
}

int session__frame_lines(void *ctx, const char *name, size_t len, enum frame_kind kind,
			 struct tui_line *ret, size_t cap, uint64_t *ret_total)
{
	struct session *s = ctx;
	struct lines_acc a = { .sl = session_lines(s) };
	size_t n;

	if (!session_addrs(s) || !a.sl)
		return -ENOENT;
	frameaddrs__each(session_addrs(s), frameaddrs__key(name, len, kind), add_line, &a);
	if (a.err) {
		free(a.v);
		return a.err;
	}
	if (a.n > 1)
		qsort(a.v, a.n, sizeof(*a.v), cmp_line);
	n = a.n < cap ? a.n : cap;
	if (n)
		memcpy(ret, a.v, n * sizeof(*ret));
	free(a.v);
	*ret_total = a.total;
	return n ? (int)n : -ENOENT;
}
