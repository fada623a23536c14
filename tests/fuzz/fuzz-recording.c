// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the recording reader on any bytes (with the magic put in front half of the
 * time, so the fuzzer reaches the blocks), and the loader's recording branch. Ids handed to
 * the callbacks must be in order and every sample must refer to names and stacks already
 * given; a load must put every sample in both the trie and the timeline. Version 2's records
 * (a name's binary, the frame address table) too: a module comes right after its name, an
 * address entry only names names already given, and the load keeps its table bounded.
 */
#include <errno.h>

#include "formats.h"
#include "frameaddrs.h"
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

static int on_module(void *ctx, uint32_t name, const char *s, size_t len)
{
	struct seen *v = ctx;

	FUZZ_CHECK(name < v->names && (s ? len > 0 && len <= 255 : len == 0));
	return 0;
}

static int on_binary(void *ctx, uint32_t id, const char *path, size_t len,
		     const struct frameaddrs_ident *ident)
{
	(void)ctx;
	FUZZ_CHECK(id < FRAMEADDRS_MAX_BINS && path && len > 0 && len <= 4096);
	FUZZ_CHECK(!ident || ident->build_id_len <= FRAMEADDRS_BUILD_ID_MAX);
	return 0;
}

static int on_addr(void *ctx, uint32_t name, uint32_t bin, uint64_t offset, uint64_t samples)
{
	struct seen *v = ctx;

	(void)bin, (void)offset, (void)samples;
	FUZZ_CHECK(name < v->names);
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
	struct rec_callbacks cb = { .name = on_name, .stack = on_stack, .sample = on_sample,
				    .module = on_module, .binary = on_binary, .addr = on_addr };
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
		memcpy(buf + 8, data[0] & 2 ? "\2\0\0\0\0\0\0\0" : "\1\0\0\0\0\0\0\0", 8);
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
		struct frameaddrs *fa = frameaddrs__new();
		struct formats_load io = { .addrs = fa };

		rc = formats__load_buf_opts(buf, len, "fuzz", t, &io, &err);
		if (rc == 0)
			FUZZ_CHECK(trie__total(t) == v.samples);
		FUZZ_CHECK(!fa || frameaddrs__nbins(fa) <= FRAMEADDRS_MAX_BINS);
		frameaddrs__free(fa);
		trie__free(t);
		t = trie__new();
	}
	timeline__free(tl);
	trie__free(t);
	free(buf);
	return 0;
}
