// SPDX-License-Identifier: MIT
/* Root names and regrouped views of a per-thread trie (see grouping.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "grouping.h"

size_t grouping__format_root(char *buf, size_t size, const char *comm, size_t comm_len,
			     uint32_t tgid, uint32_t tid)
{
	int n = snprintf(buf, size, "%.*s-%u/%u", (int)comm_len, comm, tgid, tid);

	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}

size_t grouping__root_len(const char *s, size_t len, enum grouping g)
{
	const char *cut = NULL;

	if (g == GROUP_COMM)
		cut = memrchr(s, '-', len);
	else if (g == GROUP_PID)
		cut = memrchr(s, '/', len);
	return cut ? (size_t)(cut - s) : len;
}

struct regroup {
	const struct trie *base;
	enum grouping group;
};

/* "comm-PID/TID" -> "comm" or "comm-PID". */
static uint32_t regroup(void *ctx, struct trie *dst, uint32_t name)
{
	const struct regroup *r = ctx;
	const char *s = trie__name(r->base, name);
	size_t len = trie__name_len(r->base, name);
	enum frame_kind kind = trie__kind(r->base, name);

	if (kind == FRAME_ROOT)
		len = grouping__root_len(s, len, r->group);
	return trie__intern(dst, s, len, kind);
}

int grouping__rebuild(struct trie *view, const struct trie *base, enum grouping group)
{
	struct regroup r = { base, group };

	trie__clear(view);
	return trie__merge(view, base, group == GROUP_THREAD ? NULL : regroup, &r);
}

static const char *const names[GROUP_MAX] = {
	[GROUP_COMM] = "comm",
	[GROUP_PID] = "pid",
	[GROUP_THREAD] = "thread",
};

const char *grouping__name(enum grouping g)
{
	return g < GROUP_MAX ? names[g] : names[GROUP_COMM];
}

int grouping__parse(const char *name, enum grouping *ret)
{
	for (int g = 0; g < GROUP_MAX; g++) {
		if (!strcmp(name, names[g])) {
			*ret = (enum grouping)g;
			return 0;
		}
	}
	return -EINVAL;
}
