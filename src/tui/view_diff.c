// SPDX-License-Identifier: MIT
/*
 * Diff mode in the derived views (b, x, m): the profile's diff matches its own nodes only, so a
 * derived trie is matched to the same view built from the other profile (its bottom-up, the
 * same function's callers and callees, its binaries): a frame of the bottom-up view is coloured
 * by how the samples ending in it changed, not by a node of the graph it is not.
 */
#include <errno.h>
#include <stdlib.h>

#include "../diff.h"
#include "views.h"
#include "view_impl.h"

void view_diff_free(struct view *v)
{
	for (int i = 0; i < 2; i++) {
		v->ddiff[i] = diff__free(v->ddiff[i]);
		v->dother[i] = trie__free(v->dother[i]);
	}
}

/* The by-binary view of other into o: its binaries' frames named as in src (by text). */
static int other_by_binary(struct trie *o, const struct trie *other)
{
	size_t n = trie__modules(other);
	uint32_t *frames = malloc(n * sizeof(*frames));
	int rc = frames ? views__sync_names(o, other) : -ENOMEM;

	for (size_t m = 0; !rc && m < n; m++) {
		size_t len;
		const char *s = trie__module_name(other, (uint16_t)m, &len);

		frames[m] = trie__intern(o, s, len, FRAME_SPECIAL);
		if (frames[m] == TRIE_NO_NAME)
			rc = -ENOMEM;
	}
	if (!rc)
		rc = views__by_binary(o, other, frames, n);
	free(frames);
	return rc;
}

/* The view `kind` of the other profile into a new *ret_o (focus: a name id of v->src). */
static int other_view(struct view *v, enum view_kind kind, struct trie **ret_o)
{
	const struct trie *other = v->info->diff->other;
	struct trie *o = trie__new();
	uint32_t name;
	int rc;

	if (!o)
		return -ENOMEM;
	*ret_o = o;
	trie__set_max_nodes(o, trie__max_nodes(v->derived));
	switch (kind) {
	case KIND_BOTTOM_UP:
		return views__bottom_up(o, other);
	case KIND_BINARY:
		return other_by_binary(o, other);
	default:
		/* the function by its text: a name the other profile lacks gets an id of o's own
		 * past other's, and so an empty view */
		rc = views__sync_names(o, other);
		if (rc)
			return rc;
		name = trie__intern(o, trie__name(v->src, v->focus), trie__name_len(v->src, v->focus),
				    trie__kind(v->src, v->focus));
		if (name == TRIE_NO_NAME)
			return -ENOMEM;
		return kind == KIND_CALLERS ? views__callers(o, other, name) :
					      views__callees(o, other, name, NULL);
	}
}

int view_diff_derive(struct view *v)
{
	bool sandwich = v->kind == KIND_CALLERS || v->kind == KIND_CALLEES;
	int rc = 0;

	view_diff_free(v);
	if (!v->info || !v->info->diff || v->kind == KIND_GRAPH)
		return 0;
	for (int i = 0; i < (sandwich ? 2 : 1) && !rc; i++) {
		enum view_kind kind = v->kind;

		if (i) /* the passive half */
			kind = v->kind == KIND_CALLERS ? KIND_CALLEES : KIND_CALLERS;
		rc = other_view(v, kind, &v->dother[i]);
		if (!rc) {
			v->ddiff[i] = diff__new(i ? v->other : v->derived, v->dother[i]);
			if (!v->ddiff[i])
				rc = -ENOMEM;
		}
	}
	if (rc)
		view_diff_free(v); /* frames go uncoloured rather than wrongly coloured */
	return rc;
}

const struct diff *view_diff_of(const struct view *v, const struct trie *t,
				const struct trie **ret_other)
{
	const struct tui_diff *d = v->info ? v->info->diff : NULL;
	int i = t == v->derived ? 0 : t == v->other ? 1 : -1;

	if (!d)
		return NULL;
	*ret_other = d->other;
	if (i < 0 || v->kind == KIND_GRAPH)
		return d->d;
	if (v->ddiff[i])
		*ret_other = v->dother[i];
	return v->ddiff[i];
}
