// SPDX-License-Identifier: MIT
/*
 * Name order: every name's place among all names (the rank trie__sort compares siblings by),
 * from a radix sort of the names on 8-byte slices of their text.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trie_impl.h"

/* by text (memcmp, not strcmp: names may hold NUL bytes), then length, then kind: a total
 * order of the distinct names, whatever order they arrived in */
static int cmp_names(const struct name *nx, const struct name *ny)
{
	int c = memcmp(nx->s, ny->s, nx->len < ny->len ? nx->len : ny->len);

	if (c)
		return c;
	if (nx->len != ny->len)
		return (nx->len > ny->len) - (nx->len < ny->len);
	return (nx->kind > ny->kind) - (nx->kind < ny->kind);
}

static int cmp_name_ids(const void *a, const void *b, void *ctx)
{
	const struct name *names = ctx;

	return cmp_names(&names[*(const uint32_t *)a], &names[*(const uint32_t *)b]);
}

/* A name's 8 bytes from `at`, big-endian and zero-padded: comparing two of these as integers
 * orders them as cmp_names would, or ties them. One load: the arena keeps NAME_READ_SLACK bytes
 * readable past each text (a byte-wise copy into a buffer, read back whole, missed the store
 * forwarding: a fifth of the rank's time). */
static uint64_t key8(const struct name *nm, size_t at)
{
	uint64_t w;
	size_t left;

	if (nm->len <= at)
		return 0;
	left = nm->len - at;
	memcpy(&w, nm->s + at, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return left >= 8 ? w : w & ~(~0ull >> (8 * left));
}

void trie_radix_sort(struct keyed *a, struct keyed *tmp, size_t n)
{
	size_t count[8][256] = { { 0 } };
	struct keyed *from = a, *to = tmp;

	for (size_t i = 0; i < n; i++)
		for (unsigned p = 0; p < 8; p++)
			count[p][(a[i].key >> (8 * p)) & 0xff]++;
	for (unsigned p = 0; p < 8; p++) {
		size_t sum = 0;
		struct keyed *x;

		if (count[p][(a[0].key >> (8 * p)) & 0xff] == n)
			continue;
		for (unsigned d = 0; d < 256; d++) {
			size_t c = count[p][d];

			count[p][d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[p][(from[i].key >> (8 * p)) & 0xff]++] = from[i];
		x = from;
		from = to;
		to = x;
	}
	if (from != a)
		memcpy(a, from, n * sizeof(*a));
}

/* Stable, by key. */
static void insertion_sort(struct keyed *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct keyed x = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1].key > x.key; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Runs shorter than this are sorted by insertion (on the same keys): a radix pass's counts
 * cost more than that there. */
#define RADIX_MIN 64
/* Past this many bytes of shared prefix a run is finished with the full comparator. */
#define RADIX_MAX_DEPTH 64

/*
 * Sorts the names in a[0, n) (ids into `names`), which agree on their first `at` bytes, into
 * cmp_names order: by their next 8 bytes as integers, then each run that ties on them the same
 * way 8 bytes on (when all its names are that long; else by the full comparator).
 */
static void sort_names(const struct name *names, struct keyed *a, struct keyed *tmp, size_t n,
		       size_t at, uint32_t *ids)
{
	if (n == 1) {
		ids[0] = a[0].id;
		return;
	}
	if (at >= RADIX_MAX_DEPTH) {
		for (size_t i = 0; i < n; i++)
			ids[i] = a[i].id;
		qsort_r(ids, n, sizeof(*ids), cmp_name_ids, (void *)names);
		return;
	}
	/* each name's text is read once a level: reading them was the cost, not comparing */
	for (size_t i = 0; i < n; i++)
		a[i].key = key8(&names[a[i].id], at);
	if (n < RADIX_MIN)
		insertion_sort(a, n);
	else
		trie_radix_sort(a, tmp, n);
	for (size_t i = 0, j; i < n; i = j) {
		bool long_enough = true;

		for (j = i + 1; j < n && a[j].key == a[i].key; j++)
			;
		if (j - i == 1) {
			ids[i] = a[i].id;
			continue;
		}
		for (size_t k = i; k < j; k++)
			long_enough &= a[k].len >= at + 8;
		sort_names(names, a + i, tmp + i, j - i, long_enough ? at + 8 : RADIX_MAX_DEPTH,
			   ids + i);
	}
}

/* ids[0, n), names of `names`, put in name order. 0 or -ENOMEM. */
static int sort_list(const struct name *names, uint32_t *ids, uint32_t n)
{
	struct keyed *a;

	if (!n)
		return 0;
	a = malloc((size_t)n * 2 * sizeof(*a));
	if (!a)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		a[i] = (struct keyed){ 0, ids[i], names[ids[i]].len };
	sort_names(names, a, a + n, n, 0, ids);
	free(a);
	return 0;
}

/* t->rank from the ids of all its names in name order. 0 or -ENOMEM. */
static int set_rank(struct trie *t, const uint32_t *order, uint32_t n)
{
	uint32_t *rank = realloc(t->rank, (size_t)n * sizeof(*rank) + 1);

	if (!rank)
		return -ENOMEM;
	t->rank = rank;
	for (uint32_t i = 0; i < n; i++)
		rank[order[i]] = i;
	t->ranked = n;
	return 0;
}

/*
 * Every name's place in name order, so sorting siblings compares two integers instead of two
 * strings: a big trie has millions of nodes but far fewer names, and string compares were
 * most of trie__sort. The names themselves are radix sorted on 8-byte slices: qsort's string
 * compares of them were a tenth of a 10 MB file's load (32 bytes a name while it runs, beside
 * the 80 or more each interned name holds). Rebuilt when names were added since.
 */
int trie__rank_names(struct trie *t)
{
	uint32_t *ids;
	int err;

	if (t->ranked == t->nt.n && t->rank)
		return 0;
	ids = malloc((size_t)t->nt.n * sizeof(*ids) + 1);
	if (!ids)
		return -ENOMEM;
	for (uint32_t i = 0; i < t->nt.n; i++)
		ids[i] = i;
	err = sort_list(t->nt.names, ids, t->nt.n);
	if (!err)
		err = set_rank(t, ids, t->nt.n);
	free(ids);
	return err;
}

struct trie_rank_split {
	const struct name *names;
	uint32_t n, nlow;
	uint32_t *ids; /* the lower part's ids, then the upper part's */
	int err[2];
};

/* The first two bytes, big-endian and zero-padded: a weak form of cmp_names' order. */
static uint32_t prefix2(const struct name *nm)
{
	const unsigned char *b = (const unsigned char *)nm->s;

	return nm->len >= 2 ? (uint32_t)b[0] << 8 | b[1] : nm->len ? (uint32_t)b[0] << 8 : 0;
}

#define PREFIXES 65536

struct trie_rank_split *trie__rank_split(const struct trie *t)
{
	uint32_t n = t->nt.n, *count = calloc(PREFIXES, sizeof(*count));
	struct trie_rank_split *s = calloc(1, sizeof(*s));
	uint16_t *pre = malloc((size_t)n * sizeof(*pre) + 1);
	uint32_t pivot = 0, below = 0, lo = 0, hi;

	if (s)
		s->ids = malloc((size_t)n * sizeof(*s->ids) + 1);
	if (!count || !s || !pre || !s->ids) {
		free(count);
		free(pre);
		if (s)
			free(s->ids);
		free(s);
		errno = ENOMEM;
		return NULL;
	}
	for (uint32_t i = 0; i < n; i++)
		count[pre[i] = (uint16_t)prefix2(&t->nt.names[i])]++;
	/* the lower part: the prefixes below `pivot`, up to three fifths of the names (the thread
	 * that sorts it starts first: the other adds the last stacks before its part) */
	while (pivot < PREFIXES && below + count[pivot] <= (uint32_t)((uint64_t)n * 3 / 5))
		below += count[pivot++];
	s->names = t->nt.names;
	s->n = n;
	s->nlow = below;
	hi = below;
	for (uint32_t i = 0; i < n; i++) {
		if (pre[i] < pivot)
			s->ids[lo++] = i;
		else
			s->ids[hi++] = i;
	}
	free(count);
	free(pre);
	return s;
}


void trie__rank_half(struct trie_rank_split *s, bool upper)
{
	s->err[upper] = upper ? sort_list(s->names, s->ids + s->nlow, s->n - s->nlow)
			      : sort_list(s->names, s->ids, s->nlow);
}

int trie__rank_join(struct trie *t, struct trie_rank_split *s)
{
	int err = s->err[0] ? s->err[0] : s->err[1];

	/* the same names: no name may be interned between the split and the join */
	if (!err && s->n != t->nt.n)
		err = -EINVAL;
	if (!err)
		err = set_rank(t, s->ids, s->n);
	free(s->ids);
	free(s);
	return err;
}
