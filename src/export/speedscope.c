// SPDX-License-Identifier: MIT
/*
 * speedscope: the file format of https://www.speedscope.app (file-format-schema.json): one
 * frame per distinct name in shared.frames, one "sampled" profile whose samples are stacks of
 * frame indices (outermost first) with their sample counts as weights. The trie has no times,
 * so each stack appears once, in name order, which speedscope's left-heavy and sandwich views
 * aggregate exactly as the flame graph does. With a timeline (a recording, perf script text with
 * times, the live modes) every sample is written on its own, in time order and in nanoseconds,
 * with empty samples for the idle gaps, so the time-order view is real time too.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../formats/formats.h"
#include "../timeline.h"
#include "export.h"
#include "text.h"
#include "walk.h"

static int write_string(FILE *f, const char *s)
{
	size_t len = strlen(s);
	char *clean = malloc(4 * len + 5);
	int rc;

	if (!clean)
		return -ENOMEM;
	formats__sanitize(clean, 4 * len + 5, s, len);
	rc = text__json(f, clean, strlen(clean));
	free(clean);
	return rc;
}

static int write_frames(FILE *f, const struct trie *t, const uint32_t *index, size_t nnames)
{
	static const char *const files[] = {NULL, "[kernel]", "[jit]",	"[process]",
					    NULL, NULL,	      "[python]"};
	struct text_buf b = {0};
	int rc = 0;
	bool first = true;

	for (size_t id = 0; id < nnames && !rc; id++) {
		enum frame_kind k;

		if (index[id] == UINT32_MAX)
			continue;
		k = trie__kind(t, (uint32_t)id);
		rc = text__name(&b, t, (uint32_t)id);
		if (!rc && (fputs(first ? "{\"name\":" : ",\n{\"name\":", f) == EOF))
			rc = -EIO;
		first = false;
		if (!rc)
			rc = text__json(f, b.s, b.len);
		if (!rc && k < FRAME_KIND_MAX && files[k] &&
		    fprintf(f, ",\"file\":\"%s\"", files[k]) < 0)
			rc = -EIO;
		if (!rc && putc_unlocked('}', f) == EOF)
			rc = -EIO;
	}
	text_buf__fini(&b);
	return rc;
}

static int write_head(FILE *f, const struct export_opts *o, const struct trie *names,
		      const uint32_t *index, size_t nnames, uint64_t end)
{
	int rc;

	if (fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\n"
		  "\"exporter\":\"flametui " FLAMETUI_VERSION "\",\"name\":",
		  f) == EOF ||
	    write_string(f, o->title ? o->title : "flametui") ||
	    fputs(",\"activeProfileIndex\":0,\n\"shared\":{\"frames\":[\n", f) == EOF)
		return -EIO;
	rc = write_frames(f, names, index, nnames);
	if (rc)
		return rc;
	if (fputs("]},\n\"profiles\":[{\"type\":\"sampled\",\"name\":", f) == EOF ||
	    write_string(f, o->title ? o->title : "flametui") ||
	    fprintf(f, ",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%" PRIu64 ",\n\"samples\":[",
		    o->period_ns ? "nanoseconds" : "none", end) < 0)
		return -EIO;
	return 0;
}

struct timed {
	uint64_t ns;
	size_t i; /* the order added: ties keep it */
	uint32_t stack;
};

static int timed_cmp(const void *a, const void *b)
{
	const struct timed *x = a, *y = b;

	if (x->ns != y->ns)
		return x->ns < y->ns ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* The samples of o->tl in range (and among the first tl_count added), unsorted. */
static struct timed *timed_in_range(const struct export_opts *o, size_t *ret_n)
{
	size_t n = timeline__samples(o->tl), k = 0;
	uint64_t start = timeline__start_ns(o->tl), to = o->to_ns ? o->to_ns : UINT64_MAX;
	struct timed *s;

	if (o->tl_count && o->tl_count < n)
		n = o->tl_count;
	s = malloc((n ? n : 1) * sizeof(*s));
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint64_t ns;
		uint32_t stack;

		timeline__sample(o->tl, i, &ns, &stack);
		if (ns - start >= o->from_ns && ns - start < to)
			s[k++] = (struct timed){ns, i, stack};
	}
	*ret_n = k;
	return s;
}

/*
 * The node of t a timeline stack ends in, or NULL. Names are matched by text and kind, as t
 * may be another trie than tl_names (a range, a zoomed cut): map caches tl_names id -> t id.
 * A name t lacks is interned into t (no node uses it; names are never un-interned anyway).
 */
static const struct trie_node *stack_node(struct trie *t, const struct export_opts *o,
					  uint32_t stack, uint32_t *map, size_t nnames)
{
	const struct trie_node *n = trie__root(t);
	size_t len;
	const uint32_t *ids = timeline__stack(o->tl, stack, &len);

	for (size_t k = 0; ids && n && k < len; k++) {
		uint32_t id = ids[k];

		if (id >= nnames)
			return NULL;
		if (t != o->tl_names && map[id] == UINT32_MAX)
			map[id] = trie__intern_from(t, o->tl_names, id);
		id = t == o->tl_names ? id : map[id];
		if (id == TRIE_NO_NAME)
			return NULL;
		n = trie__child(t, n, id);
	}
	return ids ? n : NULL;
}

/*
 * The samples t is made of, in time order: those in range whose stacks end in a node of t
 * with self samples (a zoomed cut keeps only the stacks through the zoom), kept only when
 * they are exactly what t counts (every such node's self is its number of samples, and they
 * add up to t's total: t counts one per sample, and is not bottom-up or otherwise derived).
 * Returns the samples (*ret_n), or NULL: *ret_err 0 when t is not those samples, -ENOMEM.
 */
static struct timed *timed_samples(struct trie *t, const struct export_opts *o, size_t *ret_n,
				   int *ret_err)
{
	size_t nstacks = timeline__stacks(o->tl), nnames = trie__names(o->tl_names), n = 0, k = 0;
	const struct trie_node **node = calloc(nstacks ? nstacks : 1, sizeof(*node));
	uint64_t *count = calloc(nstacks ? nstacks : 1, sizeof(*count)), sum = 0;
	uint32_t *map = malloc((nnames ? nnames : 1) * sizeof(*map));
	struct timed *s = timed_in_range(o, &n);
	bool same = true;

	*ret_err = -ENOMEM;
	if (!node || !count || !map || !s)
		goto fail;
	*ret_err = 0;
	memset(map, 0xff, (nnames ? nnames : 1) * sizeof(*map));
	for (size_t i = 0; i < n; i++) {
		uint32_t st = s[i].stack;

		if (st >= nstacks)
			continue;
		if (!count[st]++)
			node[st] = stack_node(t, o, st, map, nnames);
		if (node[st] && node[st]->self)
			s[k++] = s[i];
	}
	for (size_t st = 0; st < nstacks && same; st++) {
		if (!node[st] || !node[st]->self)
			continue;
		same = node[st]->self == count[st];
		sum += count[st];
	}
	if (!same || sum != trie__total(t))
		goto fail;
	qsort(s, k, sizeof(*s), timed_cmp);
	free(node);
	free(count);
	free(map);
	*ret_n = k;
	return s;
fail:
	free(node);
	free(count);
	free(map);
	free(s);
	return NULL;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* What one sample stands for: the sampling period when known, else the median interval
 * between consecutive samples (a recording at N Hz: 1/N s); 1 ms when nothing tells. */
static uint64_t sample_ns(const struct export_opts *o, const struct timed *s, size_t n)
{
	uint64_t *d, ns = 1000000;
	size_t k = 0;

	if (o->period_ns)
		return o->period_ns;
	d = malloc((n ? n : 1) * sizeof(*d));
	if (!d)
		return ns;
	for (size_t i = 1; i < n; i++)
		if (s[i].ns > s[i - 1].ns)
			d[k++] = s[i].ns - s[i - 1].ns;
	if (k) {
		qsort(d, k, sizeof(*d), u64_cmp);
		ns = d[k / 2];
	}
	free(d);
	return ns;
}

/* Time with nothing sampled after sample i: a gap of more than one and a half periods to the
 * next sample is idle but for the period sample i stands for. */
static uint64_t idle_after(const struct timed *s, size_t n, size_t i, uint64_t period)
{
	uint64_t gap;

	if (i + 1 >= n)
		return 0;
	gap = s[i + 1].ns - s[i].ns;
	return gap > period && gap - period > period / 2 ? gap - period : 0;
}

/*
 * The time-ordered form, in nanoseconds: one sample per sample with the period as its weight
 * (totals stay what the other forms count), and an empty sample for each idle gap, so
 * speedscope's time-order view spans the real time and shows where nothing ran (as its own
 * importers do with sample durations). Frames over tl_names.
 */
static int write_timed(const struct export_opts *o, const struct timed *s, size_t n, FILE *f)
{
	size_t nnames = trie__names(o->tl_names), len;
	uint32_t *index = calloc(nnames ? nnames : 1, sizeof(*index)), next = 0;
	uint64_t period = sample_ns(o, s, n), end = 0;
	struct export_opts ns = *o;
	const uint32_t *ids;
	int rc;

	if (!index)
		return -ENOMEM;
	for (size_t i = 0; i < nnames; i++)
		index[i] = UINT32_MAX;
	for (size_t i = 0; i < n; i++) {
		ids = timeline__stack(o->tl, s[i].stack, &len);
		for (size_t k = 0; ids && k < len; k++)
			if (ids[k] < nnames)
				index[ids[k]] = 0;
		/* saturated: a crafted recording's times may span 2^64 ns */
		if (__builtin_add_overflow(end, period + idle_after(s, n, i, period), &end))
			end = UINT64_MAX;
	}
	for (size_t i = 0; i < nnames; i++)
		if (index[i] != UINT32_MAX)
			index[i] = next++;
	ns.period_ns = period; /* the unit is nanoseconds */
	rc = write_head(f, &ns, o->tl_names, index, nnames, end);
	for (size_t i = 0; i < n && !rc; i++) {
		ids = timeline__stack(o->tl, s[i].stack, &len);
		if (fputs(i ? ",\n[" : "\n[", f) == EOF)
			rc = -EIO;
		for (size_t k = 0; ids && k < len && !rc; k++)
			if (ids[k] < nnames &&
			    fprintf(f, k ? ",%" PRIu32 : "%" PRIu32, index[ids[k]]) < 0)
				rc = -EIO;
		if (!rc && putc_unlocked(']', f) == EOF)
			rc = -EIO;
		if (!rc && idle_after(s, n, i, period) && fputs(",[]", f) == EOF)
			rc = -EIO;
	}
	if (!rc && fputs("],\n\"weights\":[", f) == EOF)
		rc = -EIO;
	for (size_t i = 0; i < n && !rc; i++) {
		uint64_t idle = idle_after(s, n, i, period);

		if (fprintf(f, i ? ",%" PRIu64 : "%" PRIu64, period) < 0 ||
		    (idle && fprintf(f, ",%" PRIu64, idle) < 0))
			rc = -EIO;
	}
	if (!rc && fputs("]}]}\n", f) == EOF)
		rc = -EIO;
	free(index);
	return rc;
}

int export_speedscope__write(struct trie *t, const struct export_opts *o, FILE *f)
{
	size_t nnames = trie__names(t);
	uint32_t *index = malloc((nnames ? nnames : 1) * sizeof(*index)), *ids, next = 0;
	uint64_t all = trie__total(t), scale = o->period_ns ? o->period_ns : 1;
	const struct trie_node *n;
	struct walk w;
	bool first;
	int rc;

	if (!index)
		return -ENOMEM;
	if (o->tl && o->tl_names && !trie__overflowed(t)) {
		size_t nt = 0;
		struct timed *s = timed_samples(t, o, &nt, &rc);

		if (s) {
			rc = write_timed(o, s, nt, f);
			free(s);
		}
		if (s || rc) {
			free(index);
			return rc;
		}
	}
	trie__sort(t, TRIE_ORDER_NAME);
	/* A frame per name in use (names of freed nodes stay interned), indexed in id order so
	 * shared.frames can be written by ascending id. */
	for (size_t i = 0; i < nnames; i++)
		index[i] = UINT32_MAX;
	walk__init(&w, trie__root(t));
	while ((rc = walk__next(&w, &n)) > 0)
		if (n->parent)
			index[n->name] = 0;
	walk__fini(&w);
	if (rc)
		goto out;
	for (size_t i = 0; i < nnames; i++)
		if (index[i] != UINT32_MAX)
			index[i] = next++;
	rc = write_head(f, o, t, index, nnames, all * scale);
	if (rc)
		goto out;
	first = true;
	walk__init(&w, trie__root(t));
	while ((rc = walk__next(&w, &n)) > 0) {
		if (!n->self)
			continue;
		if (walk__path(&w, n, &ids)) {
			rc = -ENOMEM;
			break;
		}
		if (fputs(first ? "\n[" : ",\n[", f) == EOF)
			goto io;
		first = false;
		for (uint32_t i = 0; i < n->depth; i++)
			if (fprintf(f, i ? ",%" PRIu32 : "%" PRIu32, index[ids[i]]) < 0)
				goto io;
		if (putc_unlocked(']', f) == EOF)
			goto io;
	}
	walk__fini(&w);
	if (rc)
		goto out;
	if (fputs("],\n\"weights\":[", f) == EOF)
		goto io;
	first = true;
	walk__init(&w, trie__root(t));
	while ((rc = walk__next(&w, &n)) > 0) {
		if (!n->self)
			continue;
		if (fprintf(f, first ? "%" PRIu64 : ",%" PRIu64, n->self * scale) < 0)
			goto io;
		first = false;
	}
	walk__fini(&w);
	if (rc)
		goto out;
	rc = fputs("]}]}\n", f) == EOF ? -EIO : 0;
	goto out;
io:
	rc = -EIO;
	walk__fini(&w);
out:
	free(index);
	return rc;
}
