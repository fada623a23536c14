// SPDX-License-Identifier: MIT
/* Free runs of the row array (see runs.h): a sorted array of disjoint, non-touching runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "runs.h"

struct run {
	uint32_t start, len;
};

struct runs {
	struct run *v; /* sorted by start; no two touch (they would be one) */
	size_t n, cap;
};

struct runs *runs__new(uint32_t size)
{
	struct runs *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->v = malloc(sizeof(*r->v));
	if (!r->v) {
		free(r);
		return NULL;
	}
	r->cap = 1;
	r->v[0] = (struct run){0, size};
	r->n = size ? 1 : 0;
	return r;
}

struct runs *runs__free(struct runs *r)
{
	if (r) {
		free(r->v);
		free(r);
	}
	return NULL;
}

int runs__take(struct runs *r, uint32_t len, uint32_t *ret_start)
{
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].len < len)
			continue;
		*ret_start = r->v[i].start;
		r->v[i].start += len;
		r->v[i].len -= len;
		if (!r->v[i].len) {
			memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
			r->n--;
		}
		return 0;
	}
	return -ENOSPC;
}

int runs__give(struct runs *r, uint32_t start, uint32_t len)
{
	size_t i = 0;

	if (!len)
		return 0;
	while (i < r->n && r->v[i].start < start)
		i++;
	/* join the run before and/or after */
	if (i > 0 && r->v[i - 1].start + r->v[i - 1].len == start) {
		r->v[i - 1].len += len;
		if (i < r->n && start + len == r->v[i].start) {
			r->v[i - 1].len += r->v[i].len;
			memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(*r->v));
			r->n--;
		}
		return 0;
	}
	if (i < r->n && start + len == r->v[i].start) {
		r->v[i].start = start;
		r->v[i].len += len;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap * 2;
		struct run *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	memmove(&r->v[i + 1], &r->v[i], (r->n - i) * sizeof(*r->v));
	r->v[i] = (struct run){start, len};
	r->n++;
	return 0;
}
