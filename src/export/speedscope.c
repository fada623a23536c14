// SPDX-License-Identifier: MIT
/*
 * speedscope: the file format of https://www.speedscope.app (file-format-schema.json): one
 * frame per distinct name in shared.frames, one "sampled" profile whose samples are stacks of
 * frame indices (outermost first) with their sample counts as weights. The trie has no times,
 * so each stack appears once, in name order, which speedscope's left-heavy and sandwich views
 * aggregate exactly as the flame graph does. With a timeline (a recording, perf script text with
 * times) every sample is written on its own, in time order, so the time-order view is too.
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

/* The samples of o->tl in range, sorted by time (*ret_n of them), or NULL with -errno. */
static struct timed *timed_samples(const struct export_opts *o, size_t *ret_n, int *ret_err)
{
	size_t n = timeline__samples(o->tl), k = 0;
	uint64_t start = timeline__start_ns(o->tl);
	struct timed *s = malloc((n ? n : 1) * sizeof(*s));

	if (!s) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t ns;
		uint32_t stack;

		timeline__sample(o->tl, i, &ns, &stack);
		if (ns - start >= o->from_ns && ns - start < o->to_ns)
			s[k++] = (struct timed){ns, i, stack};
	}
	qsort(s, k, sizeof(*s), timed_cmp);
	*ret_n = k;
	return s;
}

/* The time-ordered form: frames over tl_names, one sample (weight one period) per sample. */
static int write_timed(const struct export_opts *o, const struct timed *s, size_t n, FILE *f)
{
	size_t nnames = trie__names(o->tl_names), len;
	uint32_t *index = calloc(nnames ? nnames : 1, sizeof(*index)), next = 0;
	uint64_t scale = o->period_ns ? o->period_ns : 1;
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
	}
	for (size_t i = 0; i < nnames; i++)
		if (index[i] != UINT32_MAX)
			index[i] = next++;
	rc = write_head(f, o, o->tl_names, index, nnames, n * scale);
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
	}
	if (!rc && fputs("],\n\"weights\":[", f) == EOF)
		rc = -EIO;
	for (size_t i = 0; i < n && !rc; i++)
		if (fprintf(f, i ? ",%" PRIu64 : "%" PRIu64, scale) < 0)
			rc = -EIO;
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
		struct timed *s = timed_samples(o, &nt, &rc);

		if (!s) {
			free(index);
			return rc;
		}
		/* only when it is the same profile: t counts one per sample of the range */
		rc = nt == all ? write_timed(o, s, nt, f) : 1;
		free(s);
		if (rc <= 0) {
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
