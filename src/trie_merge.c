// SPDX-License-Identifier: MIT
/*
 * Copies between tries (trie__merge) and paths out of one (trie__path).
 */
#include <errno.h>
#include <stdlib.h>

#include "trie_impl.h"

int trie__merge(struct trie *dst, const struct trie *src, trie_rename_fn rename, void *ctx)
{
	/* Pre-order walk of src with a parallel cursor in dst: each src node maps to one dst
	 * node, which takes its total and self, so the whole merge is O(src nodes). */
	const struct trie_node *cur = &src->root;
	struct trie_node *dcur = &dst->root;
	uint32_t *pos;
	size_t cap = 64, depth = 0;

	pos = malloc(cap * sizeof(*pos));
	if (!pos)
		return -ENOMEM;
	pos[0] = 0;
	dcur->total += cur->total;
	dcur->self += cur->self;
	for (;;) {
		if (pos[depth] < cur->nchildren) {
			const struct trie_node *c = trie_children(cur)[pos[depth]++];
			uint32_t id = depth == 0 && rename ? rename(ctx, dst, c->name)
							   : trie__intern_from(dst, src, c->name);
			struct trie_node *dc;

			if (id == TRIE_NO_NAME)
				goto nomem;
			dc = trie_lookup(dst, dcur, id);
			if (!dc)
				dc = trie_new_child(dst, dcur, id);
			if (!dc)
				goto nomem;
			if (depth + 1 == cap) {
				uint32_t *np = realloc(pos, cap * 2 * sizeof(*np));

				if (!np)
					goto nomem;
				pos = np;
				cap *= 2;
			}
			dc->total += c->total;
			dc->self += c->self;
			cur = c;
			dcur = dc;
			pos[++depth] = 0;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		dcur = dcur->parent;
		depth--;
	}
	free(pos);
	dst->dirty = true;
	return 0;
nomem:
	/* dst holds part of src now; callers throw such a dst away */
	free(pos);
	return -ENOMEM;
}

int trie__path(const struct trie_node *n, uint32_t *ret_ids, size_t max)
{
	size_t depth = n->depth, len = n->depth;

	if (depth > max)
		return -ENOSPC;
	for (; n->parent; n = n->parent)
		ret_ids[--depth] = n->name;
	return (int)len;
}
