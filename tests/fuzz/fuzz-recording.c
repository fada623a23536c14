// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the recording reader on any bytes (with the magic put in front half of the
 * time, so the fuzzer reaches the blocks), and the loader's recording branch. Ids handed to
 * the callbacks must be in order and every sample must refer to names and stacks already
 * given; a load must put every sample in both the trie and the timeline.
 */
#include <errno.h>

#include "formats.h"
#include "fuzz.h"
#include "recording.h"
#include "timeline.h"
#include "trie.h"

struct seen {
	uint32_t names, stacks;
	uint64_t samples;
};

static int on_name(void *ctx, uint32_t id, const char *s, size_t len, enum frame_kind kind)
{
	struct seen *v = ctx;

	FUZZ_CHECK(id == v->names && kind < FRAME_KIND_MAX && (len == 0 || s));
	v->names++;
	return 0;
}

static int on_stack(void *ctx, uint32_t id, const uint32_t *names, size_t n)
{
	struct seen *v = ctx;

	FUZZ_CHECK(id == v->stacks);
	FUZZ_CHECK(names || n == 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(names[i] < v->names);
	v->stacks++;
	return 0;
}

static int on_sample(void *ctx, const struct rec_sample *s)
{
	struct seen *v = ctx;

	FUZZ_CHECK(s->stack < v->stacks && s->comm < v->names);
	v->samples++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec_callbacks cb = { .name = on_name, .stack = on_stack, .sample = on_sample };
	uint8_t *buf = malloc(size + 16);
	struct formats_error err;
	struct rec_report rep;
	struct seen v = { 0 };
	struct timeline *tl;
	struct trie *t;
	char msg[300];
	size_t len = size;
	int rc;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (size && (data[0] & 1)) {
		/* a valid file header, then the input as blocks */
		memcpy(buf, REC_MAGIC, REC_MAGIC_LEN);
		memcpy(buf + 8, "\1\0\0\0\0\0\0\0", 8);
		memcpy(buf + 16, data + 1, size - 1);
		len = size + 15;
	}
	cb.ctx = &v;
	rc = recording__read(buf, len, &cb, &rep, msg, sizeof(msg));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM);
	if (rc == 0)
		FUZZ_CHECK(rep.samples == v.samples && memchr(rep.note, 0, sizeof(rep.note)));
	else
		FUZZ_CHECK(msg[0] && !strchr(msg, '\n'));

	t = trie__new();
	tl = timeline__new();
	if (t && tl && recording__looks_like(buf, len)) {
		rc = formats__load_buf(buf, len, "fuzz", t, NULL, &err);
		if (rc == 0)
			FUZZ_CHECK(trie__total(t) == v.samples);
		trie__free(t);
		t = trie__new();
	}
	timeline__free(tl);
	trie__free(t);
	free(buf);
	return 0;
}
