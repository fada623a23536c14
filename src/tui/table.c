// SPDX-License-Identifier: MIT
/*
 * Per-name aggregation for the function table. "Total" is the inclusive count flame graph
 * users expect: a node's total is added only when no ancestor has the same name, so
 * recursion does not count a stack twice. The walk is iterative with an explicit stack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

struct ftable {
	struct ftable_row *rows; /* owned, one per name id */
	size_t nrows;
	size_t *view; /* owned: indexes into rows, filtered and sorted */
	size_t nview;
	uint32_t *active; /* owned: per name id, how many ancestors on the walk have it */
	uint64_t all, other_all; /* diff: the totals the shares are of */
	bool compared, negate;
};

struct ftable *ftable__new(void)
{
	return calloc(1, sizeof(struct ftable));
}

struct ftable *ftable__free(struct ftable *ft)
{
	if (!ft)
		return NULL;
	free(ft->rows);
	free(ft->view);
	free(ft->active);
	free(ft);
	return NULL;
}

struct frame {
	const struct trie_node *node;
	uint32_t next; /* next child to visit */
};

int ftable__build(struct ftable *ft, const struct trie *t)
{
	size_t n = trie__names(t), sp = 0, cap = 64;
	struct frame *stack;
	void *p;

	p = realloc(ft->rows, (n ? n : 1) * sizeof(*ft->rows));
	if (!p)
		return -ENOMEM;
	ft->rows = p;
	p = realloc(ft->view, (n ? n : 1) * sizeof(*ft->view));
	if (!p)
		return -ENOMEM;
	ft->view = p;
	free(ft->active);
	ft->active = calloc(n ? n : 1, sizeof(*ft->active));
	stack = malloc(cap * sizeof(*stack));
	if (!ft->active || !stack) {
		free(stack);
		return -ENOMEM;
	}
	ft->nrows = n;
	ft->nview = 0;
	ft->compared = false;
	ft->all = trie__total(t);
	for (size_t i = 0; i < n; i++)
		ft->rows[i] = (struct ftable_row){ .name = (uint32_t)i };
	stack[sp++] = (struct frame){ .node = trie__root(t) };
	while (sp) {
		struct frame *f = &stack[sp - 1];
		const struct trie_node *c;

		if (f->next == f->node->nchildren) {
			if (f->node->name < n)
				ft->active[f->node->name]--;
			sp--;
			continue;
		}
		c = trie_children(f->node)[f->next++];
		if (c->name >= n)
			continue;
		ft->rows[c->name].self += c->self;
		if (!ft->active[c->name]++)
			ft->rows[c->name].total += c->total;
		if (sp == cap) {
			p = realloc(stack, cap * 2 * sizeof(*stack));
			if (!p) {
				free(stack);
				return -ENOMEM;
			}
			stack = p;
			cap *= 2;
		}
		stack[sp++] = (struct frame){ .node = c };
	}
	free(stack);
	return 0;
}

int ftable__compare(struct ftable *ft, struct trie *t, const struct trie *other, bool negate)
{
	struct ftable *o = ftable__new();
	int rc = o ? ftable__build(o, other) : -ENOMEM;

	for (size_t i = 0; !rc && i < o->nrows; i++) {
		const struct ftable_row *r = &o->rows[i];
		uint32_t id;

		if (!r->total)
			continue;
		id = trie__intern(t, trie__name(other, r->name), trie__name_len(other, r->name),
				  trie__kind(other, r->name));
		if (id == TRIE_NO_NAME) {
			rc = -ENOMEM;
			break;
		}
		if (id >= ft->nrows) {
			/* a name only the other profile has: a row of its own */
			size_t n = (size_t)id + 1;
			void *p = realloc(ft->rows, n * sizeof(*ft->rows));

			if (!p) {
				rc = -ENOMEM;
				break;
			}
			ft->rows = p;
			p = realloc(ft->view, n * sizeof(*ft->view));
			if (!p) {
				rc = -ENOMEM;
				break;
			}
			ft->view = p;
			for (size_t k = ft->nrows; k < n; k++)
				ft->rows[k] = (struct ftable_row){ .name = (uint32_t)k };
			ft->nrows = n;
		}
		ft->rows[id].other_self = r->self;
		ft->rows[id].other_total = r->total;
	}
	if (!rc) {
		ft->compared = true;
		ft->negate = negate;
		ft->other_all = trie__total(other);
	}
	ftable__free(o);
	return rc;
}

double ftable__delta(const struct ftable *ft, const struct ftable_row *row)
{
	double s, o;

	if (!ft->compared)
		return 0;
	s = ft->all ? (double)row->total / (double)ft->all : 0;
	o = ft->other_all ? (double)row->other_total / (double)ft->other_all : 0;
	return (ft->negate ? o - s : s - o) + 0.0;
}

struct view_sort {
	const struct trie *trie;
	enum ftable_key key;
	const struct ftable_row *rows;
	const struct ftable *ft;
};

static int cmp_view(const void *a, const void *b, void *ctx)
{
	const struct view_sort *vs = ctx;
	enum ftable_key sort_key = vs->key;
	const struct ftable_row *x = &vs->rows[*(const size_t *)a];
	const struct ftable_row *y = &vs->rows[*(const size_t *)b];
	uint64_t kx = sort_key == FTABLE_BY_SELF ? x->self : x->total;
	uint64_t ky = sort_key == FTABLE_BY_SELF ? y->self : y->total;
	int c;

	if (sort_key == FTABLE_BY_DELTA) {
		double dx = ftable__delta(vs->ft, x), dy = ftable__delta(vs->ft, y);

		if (dx != dy)
			return (dx < dy) - (dx > dy);
		c = strcmp(trie__name(vs->trie, x->name), trie__name(vs->trie, y->name));
		return c ? c : (x->name > y->name) - (x->name < y->name);
	}
	if (kx != ky)
		return (kx < ky) - (kx > ky);
	/* the other count, then the name, so the order is total and stable across redraws */
	kx = sort_key == FTABLE_BY_SELF ? x->total : x->self;
	ky = sort_key == FTABLE_BY_SELF ? y->total : y->self;
	if (kx != ky)
		return (kx < ky) - (kx > ky);
	c = strcmp(trie__name(vs->trie, x->name), trie__name(vs->trie, y->name));
	return c ? c : (x->name > y->name) - (x->name < y->name);
}

int ftable__view(struct ftable *ft, const struct trie *t, enum ftable_key key,
		 const struct search *filter)
{
	ft->nview = 0;
	for (size_t i = 0; i < ft->nrows; i++) {
		if (!ft->rows[i].total && !ft->rows[i].other_total)
			continue;
		if (filter && !search__match_text(filter, trie__name(t, ft->rows[i].name)))
			continue;
		ft->view[ft->nview++] = i;
	}
	qsort_r(ft->view, ft->nview, sizeof(*ft->view), cmp_view,
		&(struct view_sort){ .trie = t, .key = key, .rows = ft->rows, .ft = ft });
	return 0;
}

size_t ftable__count(const struct ftable *ft)
{
	return ft->nview;
}

const struct ftable_row *ftable__row(const struct ftable *ft, size_t i)
{
	return i < ft->nview ? &ft->rows[ft->view[i]] : NULL;
}
