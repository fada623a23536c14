// SPDX-License-Identifier: MIT
/* Root names and regrouping: the per-thread format, its parser (comms holding '-' and '/'),
 * the group names, and a rebuilt view's roots and counts. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "grouping.h"

static void check_format(void)
{
	char buf[GROUPING_ROOT_MAX(16)];
	size_t n = grouping__format_root(buf, sizeof(buf), "a-b/c", 5, 42, 43);

	CHECK_STR(buf, "a-b/c-42/43");
	CHECK_EQ_U64(n, strlen("a-b/c-42/43"));
	n = grouping__format_root(buf, sizeof(buf), "0123456789abcdef", 16, 4194304, 4194304);
	CHECK_STR(buf, "0123456789abcdef-4194304/4194304");
	CHECK_EQ_U64(n, strlen(buf));
	/* the comm is taken by length, not up to a NUL */
	n = grouping__format_root(buf, sizeof(buf), "sh-extra", 2, 1, 2);
	CHECK_STR(buf, "sh-1/2");
}

static void check_root_len(void)
{
	const char *s = "a-b/c-42/43";
	size_t len = strlen(s);

	CHECK_EQ_U64(grouping__root_len(s, len, GROUP_COMM), strlen("a-b/c"));
	CHECK_EQ_U64(grouping__root_len(s, len, GROUP_PID), strlen("a-b/c-42"));
	CHECK_EQ_U64(grouping__root_len(s, len, GROUP_THREAD), len);
	/* a root without our suffix (a file's) is left whole */
	CHECK_EQ_U64(grouping__root_len("perl", 4, GROUP_COMM), 4);
	CHECK_EQ_U64(grouping__root_len("perl", 4, GROUP_PID), 4);
}

static void check_names(void)
{
	enum grouping g = GROUP_MAX;

	for (int i = 0; i < GROUP_MAX; i++) {
		CHECK(grouping__parse(grouping__name((enum grouping)i), &g) == 0);
		CHECK_EQ_U64(g, i);
	}
	CHECK_STR(grouping__name(GROUP_PID), "pid");
	g = GROUP_PID;
	CHECK(grouping__parse("threads", &g) == -EINVAL);
	CHECK(grouping__parse("", &g) == -EINVAL);
	CHECK_EQ_U64(g, GROUP_PID); /* untouched on failure */
}

static uint64_t root_total(struct trie *t, const char *name)
{
	uint32_t id = trie__intern(t, name, strlen(name), FRAME_ROOT);
	const struct trie_node *n = trie__child(t, trie__root(t), id);

	return n ? n->total : 0;
}

static void add(struct trie *t, const char *root, const char *leaf, uint64_t count)
{
	uint32_t ids[2] = { trie__intern(t, root, strlen(root), FRAME_ROOT),
			    trie__intern(t, leaf, strlen(leaf), FRAME_USER) };

	CHECK(trie__add(t, ids, 2, count) == 0);
}

static void check_rebuild(void)
{
	struct trie *base = trie__new(), *view = trie__new();

	CHECK(base && view);
	if (!base || !view)
		goto out;
	add(base, "a-b-1/1", "f", 1);
	add(base, "a-b-1/2", "f", 2);
	add(base, "a-b-3/3", "g", 4);
	add(base, "sh-9/9", "h", 8);

	CHECK(grouping__rebuild(view, base, GROUP_COMM) == 0);
	CHECK_EQ_U64(root_total(view, "a-b"), 7);
	CHECK_EQ_U64(root_total(view, "sh"), 8);
	CHECK_EQ_U64(root_total(view, "a"), 0);
	CHECK_EQ_U64(trie__total(view), 15);

	CHECK(grouping__rebuild(view, base, GROUP_PID) == 0);
	CHECK_EQ_U64(root_total(view, "a-b-1"), 3);
	CHECK_EQ_U64(root_total(view, "a-b-3"), 4);
	CHECK_EQ_U64(root_total(view, "a-b"), 0);

	CHECK(grouping__rebuild(view, base, GROUP_THREAD) == 0);
	CHECK_EQ_U64(root_total(view, "a-b-1/2"), 2);
	CHECK_EQ_U64(trie__total(view), 15);
out:
	trie__free(base);
	trie__free(view);
}

int main(void)
{
	check_format();
	check_root_len();
	check_names();
	check_rebuild();
	return check_done();
}
