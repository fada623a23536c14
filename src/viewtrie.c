// SPDX-License-Identifier: MIT
/* Regrouped views of a per-thread trie (see viewtrie.h). */
#include <string.h>

#include "viewtrie.h"

struct regroup {
	const struct trie *base;
	enum collector_group group;
};

/* "comm-PID/TID" -> "comm" or "comm-PID". The suffix is ours, so the last '-' and '/' are its
 * separators even when the comm itself holds either. */
static uint32_t regroup(void *ctx, struct trie *dst, uint32_t name)
{
	const struct regroup *r = ctx;
	const char *s = trie__name(r->base, name), *cut;
	size_t len = trie__name_len(r->base, name);
	enum frame_kind kind = trie__kind(r->base, name);

	if (kind == FRAME_ROOT) {
		if (r->group == GROUP_COMM && (cut = strrchr(s, '-')))
			len = (size_t)(cut - s);
		else if (r->group == GROUP_PID && (cut = strrchr(s, '/')))
			len = (size_t)(cut - s);
	}
	return trie__intern(dst, s, len, kind);
}

int viewtrie__rebuild(struct trie *view, const struct trie *base, enum collector_group group)
{
	struct regroup r = { base, group };

	trie__clear(view);
	return trie__merge(view, base, group == GROUP_THREAD ? NULL : regroup, &r);
}

const char *viewtrie__group_name(enum collector_group g)
{
	return g == GROUP_PID ? "pid" : g == GROUP_THREAD ? "thread" : "comm";
}
