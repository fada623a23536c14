// SPDX-License-Identifier: MIT
/*
 * pprof: profile.proto (github.com/google/pprof/proto/profile.proto), gzip'd, as `go tool
 * pprof`, Pyroscope and Grafana read it. The sample types say what the trie counts: samples
 * (samples/count, and cpu/nanoseconds when the period is known: live sampling, recordings),
 * nanoseconds (cpu/nanoseconds: perf script's cpu-clock periods) or another event (cycles/count);
 * one function and one location per distinct frame name, each in a mapping for its kind
 * (has_functions set: there is nothing left to symbolize); a sample per stack, leaf first as
 * the format wants. The encoder is the few protobuf wire rules this needs, no library.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../formats/formats.h"
#include "export.h"
#include "text.h"
#include "walk.h"

struct pb {
	uint8_t *b; /* owned */
	size_t len, cap;
	bool oom;
};

static void pb_put(struct pb *p, const void *s, size_t n)
{
	if (p->oom)
		return;
	if (p->len + n > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		uint8_t *b;

		while (cap < p->len + n)
			cap *= 2;
		b = realloc(p->b, cap);
		if (!b) {
			p->oom = true;
			return;
		}
		p->b = b;
		p->cap = cap;
	}
	memcpy(p->b + p->len, s, n);
	p->len += n;
}

static void pb_varint(struct pb *p, uint64_t v)
{
	uint8_t tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	pb_put(p, tmp, n);
}

static void pb_uint(struct pb *p, uint32_t field, uint64_t v)
{
	pb_varint(p, (uint64_t)field << 3);
	pb_varint(p, v);
}

static void pb_bytes(struct pb *p, uint32_t field, const void *s, size_t n)
{
	pb_varint(p, (uint64_t)field << 3 | 2);
	pb_varint(p, n);
	pb_put(p, s, n);
}

/* A nested message: its bytes are built in `sub` (reset here), then copied in. */
static void pb_msg(struct pb *p, uint32_t field, struct pb *sub)
{
	if (sub->oom)
		p->oom = true;
	pb_bytes(p, field, sub->b, sub->len);
	sub->len = 0;
}

/* String table indices of the fixed strings. */
enum {
	S_EMPTY,
	S_SAMPLES,
	S_COUNT,
	S_CPU,
	S_NS,
	S_USER,
	S_KERNEL,
	S_JIT,
	S_PROC,
	S_UNKNOWN,
	S_SPECIAL,
	S_PYTHON,
	S_FIXED
};

static const char *const fixed_strings[S_FIXED] = {
    "",	     "samples",	  "count",     "cpu",	     "nanoseconds", "[user]", "[kernel.kallsyms]",
    "[jit]", "[process]", "[unknown]", "[flametui]", "[python]",
};

static int gzip_out(const struct pb *p, FILE *f)
{
	uint8_t out[65536];
	z_stream z = {0};
	int rc = 0, zr;

	/* 15 + 16: a gzip header and trailer around the deflate stream. */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	z.next_in = p->b;
	z.avail_in = (uInt)p->len; /* checked by the caller: under 4 GiB */
	do {
		z.next_out = out;
		z.avail_out = sizeof(out);
		zr = deflate(&z, Z_FINISH);
		if (zr == Z_STREAM_ERROR) {
			rc = -EIO;
			break;
		}
		if (fwrite(out, 1, sizeof(out) - z.avail_out, f) != sizeof(out) - z.avail_out) {
			rc = -EIO;
			break;
		}
	} while (zr != Z_STREAM_END);
	deflateEnd(&z);
	return rc;
}

int export_pprof__write(struct trie *t, const struct export_opts *o, FILE *f)
{
	struct pb p = {0}, sub = {0}, packed = {0};
	size_t nnames = trie__names(t);
	bool in_ns = o->unit && !strncmp(o->unit, "ns of ", 6);
	bool samples = !o->unit || !strcmp(o->unit, "samples");
	/* a second value, cpu time, only when a sample's length is known: a sample is no ns */
	uint64_t period = samples ? o->period_ns : 0;
	/* the string after the names': another event's name (perf script's cycles) */
	uint64_t s_event = S_FIXED + nnames;
	uint32_t *ids;
	bool *used = calloc(nnames ? nnames : 1, sizeof(*used));
	struct text_buf name = {0};
	const struct trie_node *n;
	struct walk w;
	int rc;

	if (!used)
		return -ENOMEM;
	trie__sort(t, TRIE_ORDER_NAME);
	/* sample_type: samples/count [, cpu/nanoseconds], or cpu/nanoseconds, or EVENT/count */
	pb_uint(&sub, 1, in_ns ? S_CPU : samples ? S_SAMPLES : s_event);
	pb_uint(&sub, 2, in_ns ? S_NS : S_COUNT);
	pb_msg(&p, 1, &sub);
	if (period) {
		pb_uint(&sub, 1, S_CPU);
		pb_uint(&sub, 2, S_NS);
		pb_msg(&p, 1, &sub);
	}
	/* samples: location ids are name id + 1, leaf first */
	walk__init(&w, trie__root(t));
	while ((rc = walk__next(&w, &n)) > 0) {
		if (n->parent)
			used[n->name] = true;
		if (!n->self)
			continue;
		if (walk__path(&w, n, &ids)) {
			rc = -ENOMEM;
			break;
		}
		for (uint32_t i = n->depth; i-- > 0;)
			pb_varint(&packed, (uint64_t)ids[i] + 1);
		pb_msg(&sub, 1, &packed);
		pb_varint(&packed, n->self);
		if (period)
			pb_varint(&packed, n->self * period);
		pb_msg(&sub, 2, &packed);
		pb_msg(&p, 2, &sub);
	}
	walk__fini(&w);
	if (rc)
		goto out;
	/* mappings: one per frame kind, id = kind + 1 */
	for (uint32_t k = 0; k < FRAME_KIND_MAX; k++) {
		pb_uint(&sub, 1, k + 1);
		pb_uint(&sub, 5, S_USER + k);
		pb_uint(&sub, 7, 1); /* has_functions */
		pb_uint(&sub, 8, 1); /* has_filenames */
		pb_msg(&p, 3, &sub);
	}
	/* locations and functions: id = name id + 1; function names are strings S_FIXED + id */
	for (size_t id = 0; id < nnames; id++) {
		if (!used[id])
			continue;
		pb_uint(&packed, 1, id + 1); /* Line.function_id */
		pb_uint(&sub, 1, id + 1);
		pb_uint(&sub, 2, (uint64_t)trie__kind(t, (uint32_t)id) + 1);
		pb_msg(&sub, 4, &packed);
		pb_msg(&p, 4, &sub);
		pb_uint(&sub, 1, id + 1);
		pb_uint(&sub, 2, S_FIXED + id);
		pb_uint(&sub, 3, S_FIXED + id);
		pb_msg(&p, 5, &sub);
	}
	for (size_t i = 0; i < S_FIXED; i++)
		pb_bytes(&p, 6, fixed_strings[i], strlen(fixed_strings[i]));
	/* Every id gets a string so indices stay simple; unused ones are empty. Names are made
	 * valid UTF-8 without control bytes: readers print them to terminals. */
	for (size_t id = 0; id < nnames; id++) {
		if (!used[id]) {
			pb_bytes(&p, 6, "", 0);
			continue;
		}
		if (text__name(&name, t, (uint32_t)id)) {
			rc = -ENOMEM;
			goto out;
		}
		pb_bytes(&p, 6, name.s, name.len);
	}
	if (!in_ns && !samples) {
		char ev[4 * 80 + 5]; /* the unit is at most 79 bytes (struct formats_load) */
		size_t len = formats__sanitize(ev, sizeof(ev), o->unit, strnlen(o->unit, 79));

		pb_bytes(&p, 6, ev, len);
	}
	if (o->time_ns)
		pb_uint(&p, 9, (uint64_t)o->time_ns);
	if (o->duration_ns)
		pb_uint(&p, 10, (uint64_t)o->duration_ns);
	if (period) {
		pb_uint(&sub, 1, S_CPU); /* period_type */
		pb_uint(&sub, 2, S_NS);
		pb_msg(&p, 11, &sub);
		pb_uint(&p, 12, period);
	}
	if (p.oom || sub.oom || packed.oom) {
		rc = -ENOMEM;
		goto out;
	}
	rc = p.len >= UINT32_MAX ? -EFBIG : gzip_out(&p, f);
out:
	text_buf__fini(&name);
	free(used);
	free(p.b);
	free(sub.b);
	free(packed.b);
	return rc;
}
