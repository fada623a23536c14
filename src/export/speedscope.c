// SPDX-License-Identifier: MIT
/*
 * speedscope: the file format of https://www.speedscope.app (file-format-schema.json): one
 * frame per distinct name in shared.frames, one "sampled" profile whose samples are stacks of
 * frame indices (outermost first) with their sample counts as weights. The trie has no times,
 * so each stack appears once, in name order, which speedscope's left-heavy and sandwich views
 * aggregate exactly as the flame graph does.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../formats/formats.h"
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
	static const char *const files[] = {NULL, "[kernel]", "[jit]", "[process]", NULL, NULL};
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
	rc = -EIO;
	if (fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\n"
		  "\"exporter\":\"flametui " FLAMETUI_VERSION "\",\"name\":",
		  f) == EOF ||
	    write_string(f, o->title ? o->title : "flametui") ||
	    fputs(",\"activeProfileIndex\":0,\n\"shared\":{\"frames\":[\n", f) == EOF)
		goto out;
	rc = write_frames(f, t, index, nnames);
	if (rc)
		goto out;
	rc = -EIO;
	if (fputs("]},\n\"profiles\":[{\"type\":\"sampled\",\"name\":", f) == EOF ||
	    write_string(f, o->title ? o->title : "flametui") ||
	    fprintf(f, ",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%" PRIu64 ",\n\"samples\":[",
		    o->period_ns ? "nanoseconds" : "none", all * scale) < 0)
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
