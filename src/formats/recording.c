// SPDX-License-Identifier: MIT
/*
 * recording: the reader (see recording.h), block by block, resynchronising on the block magic
 * after damage; the writer is recwriter.c. The layout is doc/recording.md; every number is
 * little-endian.
 */
#include "recording.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "frameaddrs.h"
#include "grow.h"
#include "recfmt.h"

struct reader {
	const struct rec_callbacks *cb;
	struct rec_report *rep;
	uint32_t version;
	struct {
		char *s; /* owned, NULL: not defined (or in a skipped block) */
		size_t len;
	} *mods;	 /* owned: TRIE_MAX_MODULES, made at the first R_MODULE */
	uint32_t names, stacks; /* dictionary sizes so far */
	uint32_t *ids;		/* owned scratch */
	size_t ids_cap;
};

struct cursor {
	const uint8_t *p, *end;
};

static int get_varint(struct cursor *c, uint64_t *ret)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end)
			return -EINVAL;
		v |= (uint64_t)(*c->p & 0x7f) << shift;
		if (!(*c->p++ & 0x80)) {
			*ret = v;
			return 0;
		}
	}
	return -EINVAL;
}

static int get_u32(struct cursor *c, uint32_t *ret)
{
	uint64_t v;

	if (get_varint(c, &v) || v > UINT32_MAX)
		return -EINVAL;
	*ret = (uint32_t)v;
	return 0;
}

static int get_bytes(struct cursor *c, const char **ret, size_t *ret_len, size_t max)
{
	uint64_t len;

	if (get_varint(c, &len) || len > max || len > (uint64_t)(c->end - c->p))
		return -EINVAL;
	*ret = (const char *)c->p;
	*ret_len = (size_t)len;
	c->p += len;
	return 0;
}

static int emit_name(struct reader *r, const char *s, size_t len, enum frame_kind kind)
{
	int err = r->cb->name ? r->cb->name(r->cb->ctx, r->names, s, len, kind) : 0;

	if (!err)
		r->names++;
	return err;
}

static int emit_stack(struct reader *r, const uint32_t *ids, size_t n)
{
	int err = r->cb->stack ? r->cb->stack(r->cb->ctx, r->stacks, ids, n) : 0;

	if (!err)
		r->stacks++;
	return err;
}

/* A damaged block defined names and stacks we never saw: stand-ins keep later ids right. */
static int fill_gap(struct reader *r, uint32_t names, uint32_t stacks)
{
	int err = 0;

	while (r->names < names && !err)
		err = emit_name(r, "[lost]", 6, FRAME_SPECIAL);
	while (r->stacks < stacks && !err)
		err = emit_stack(r, NULL, 0);
	return err;
}

static int define_module(struct reader *r, size_t id, const char *s, size_t len)
{
	if (!r->mods && !(r->mods = calloc(TRIE_MAX_MODULES, sizeof(*r->mods))))
		return -ENOMEM;
	if (r->mods[id].s)
		return -EINVAL; /* defined once */
	r->mods[id].s = malloc(len);
	if (!r->mods[id].s)
		return -ENOMEM;
	memcpy(r->mods[id].s, s, len);
	r->mods[id].len = len;
	return 0;
}

/* A name's module: 0 none, 1 several, else an R_MODULE defined before (one a skipped block
 * defined reads as none). */
static int name_module(struct reader *r, uint32_t name, uint64_t m)
{
	if (m >= TRIE_MAX_MODULES)
		return -EINVAL;
	if (m == TRIE_MODULE_NONE || !r->cb->module)
		return 0;
	if (m == TRIE_MODULE_SEVERAL)
		return r->cb->module(r->cb->ctx, name, NULL, 0);
	if (!r->mods || !r->mods[m].s)
		return 0;
	return r->cb->module(r->cb->ctx, name, r->mods[m].s, r->mods[m].len);
}

/* Parses a checked block's payload. -EINVAL: bad content (the block is skipped there). */
static int parse_block(struct reader *r, const uint8_t *raw, size_t len, uint64_t base_ns)
{
	struct cursor c = { raw, raw + len };
	uint64_t prev = base_ns;
	int err;

	while (c.p < c.end) {
		uint8_t type = *c.p++;
		const char *s, *v;
		size_t slen, vlen;
		uint64_t x;

		switch (type) {
		case R_NAME: {
			uint8_t kind;

			if (c.p >= c.end)
				return -EINVAL;
			kind = *c.p++;
			if (kind >= FRAME_KIND_MAX || get_bytes(&c, &s, &slen, NAME_MAX_LEN))
				return -EINVAL;
			if (r->version >= 2 && get_varint(&c, &x))
				return -EINVAL;
			if ((err = emit_name(r, s, slen, (enum frame_kind)kind)))
				return err;
			if (r->version >= 2 && (err = name_module(r, r->names - 1, x)))
				return err;
			break;
		}
		case R_MODULE:
			if (r->version < 2 || get_varint(&c, &x) ||
			    get_bytes(&c, &s, &slen, MODULE_MAX_LEN) || x < 2 ||
			    x >= TRIE_MAX_MODULES || !slen)
				return -EINVAL;
			if ((err = define_module(r, (size_t)x, s, slen)))
				return err;
			break;
		case R_NAME_MODULE: {
			uint32_t name;

			if (r->version < 2 || get_u32(&c, &name) || get_varint(&c, &x) ||
			    name >= r->names)
				return -EINVAL;
			if ((err = name_module(r, name, x)))
				return err;
			break;
		}
		case R_BINARY: {
			struct frameaddrs_ident id = { 0 };
			uint64_t bin, known, mt;
			const char *bid;
			size_t blen;

			if (r->version < 2 || get_varint(&c, &bin) ||
			    get_bytes(&c, &s, &slen, 4096) || get_varint(&c, &known) ||
			    get_varint(&c, &id.size) || get_varint(&c, &mt) ||
			    get_bytes(&c, &bid, &blen, FRAMEADDRS_BUILD_ID_MAX) || !slen ||
			    bin >= FRAMEADDRS_MAX_BINS || known > 1)
				return -EINVAL;
			id.mtime_ns = (int64_t)((mt >> 1) ^ (0 - (mt & 1)));
			id.build_id_len = (uint8_t)blen;
			memcpy(id.build_id, bid, blen);
			if (r->cb->binary &&
			    (err = r->cb->binary(r->cb->ctx, (uint32_t)bin, s, slen,
						 known ? &id : NULL)))
				return err;
			break;
		}
		case R_ADDR: {
			uint32_t name, bin;
			uint64_t off;

			if (r->version < 2 || get_u32(&c, &name) || get_u32(&c, &bin) ||
			    get_varint(&c, &off) || get_varint(&c, &x) || name >= r->names)
				return -EINVAL;
			if (r->cb->addr && (err = r->cb->addr(r->cb->ctx, name, bin, off, x)))
				return err;
			break;
		}
		case R_STACK: {
			uint32_t n;

			if (get_u32(&c, &n) || n > STACK_MAX)
				return -EINVAL;
			if (grow_array((void **)&r->ids, &r->ids_cap, (size_t)n + 1, sizeof(*r->ids)))
				return -ENOMEM;
			for (uint32_t i = 0; i < n; i++)
				if (get_u32(&c, &r->ids[i]) || r->ids[i] >= r->names)
					return -EINVAL;
			if ((err = emit_stack(r, r->ids, n)))
				return err;
			break;
		}
		case R_SAMPLE: {
			struct rec_sample smp;

			if (get_varint(&c, &x) || get_u32(&c, &smp.stack) || get_u32(&c, &smp.cpu) ||
			    get_u32(&c, &smp.pid) || get_u32(&c, &smp.tid) || get_u32(&c, &smp.comm))
				return -EINVAL;
			if (smp.stack >= r->stacks || smp.comm >= r->names)
				return -EINVAL;
			/* zigzag back to a signed delta */
			prev += (x >> 1) ^ (0 - (x & 1));
			smp.ns = prev;
			if (r->cb->sample && (err = r->cb->sample(r->cb->ctx, &smp)))
				return err;
			r->rep->samples++;
			break;
		}
		case R_INFO:
			if (get_bytes(&c, &s, &slen, NAME_MAX_LEN) ||
			    get_bytes(&c, &v, &vlen, NAME_MAX_LEN))
				return -EINVAL;
			if (r->cb->info && (err = r->cb->info(r->cb->ctx, s, slen, v, vlen)))
				return err;
			break;
		case R_COUNTER:
			if (get_bytes(&c, &s, &slen, NAME_MAX_LEN) || get_varint(&c, &x))
				return -EINVAL;
			if (r->cb->counter && (err = r->cb->counter(r->cb->ctx, s, slen, x)))
				return err;
			break;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

bool recording__looks_like(const void *buf, size_t len)
{
	return len >= REC_MAGIC_LEN && !memcmp(buf, REC_MAGIC, REC_MAGIC_LEN);
}

/* Is there a whole, checksummed block at p? Sets its lengths. */
static bool block_ok(const uint8_t *p, size_t left, size_t *ret_clen, bool *ret_cut)
{
	uint8_t hdr[BLOCK_HDR];
	size_t clen;
	uLong crc;

	*ret_cut = false;
	if (left < BLOCK_HDR || get32(p) != BLOCK_MAGIC) {
		*ret_cut = left < BLOCK_HDR;
		return false;
	}
	clen = get32(p + 8);
	if (get32(p + 12) > BLOCK_RAW_MAX || clen > BLOCK_RAW_MAX)
		return false;
	if (left < BLOCK_HDR + clen + 4) {
		*ret_cut = true;
		return false;
	}
	memcpy(hdr, p, BLOCK_HDR);
	crc = crc32(0, hdr, BLOCK_HDR);
	crc = crc32(crc, p + BLOCK_HDR, (uInt)clen);
	*ret_clen = clen;
	return (uint32_t)crc == get32(p + BLOCK_HDR + clen);
}

/* The next offset from p where a whole, checksummed block starts, or end. */
static const uint8_t *next_good(const uint8_t *p, const uint8_t *end)
{
	size_t clen;
	bool cut;

	for (; p + BLOCK_HDR <= end; p++)
		if (get32(p) == BLOCK_MAGIC && block_ok(p, (size_t)(end - p), &clen, &cut))
			return p;
	return end;
}

static void note(struct rec_report *rep, const char *fmt, unsigned long long a,
		 unsigned long long b)
{
	size_t len = strlen(rep->note);

	if (len + 3 >= sizeof(rep->note))
		return;
	if (len)
		len += (size_t)snprintf(rep->note + len, sizeof(rep->note) - len, "; ");
	snprintf(rep->note + len, sizeof(rep->note) - len, fmt, a, b);
}

int recording__read(const void *buf, size_t len, const struct rec_callbacks *cb,
		    struct rec_report *rep, char *msg, size_t msg_cap)
{
	const uint8_t *p = buf, *end = p + len;
	struct reader r = { .cb = cb, .rep = rep };
	ZSTD_DCtx *dc = NULL;
	uint8_t *raw = NULL;
	size_t raw_cap = 0;
	uint32_t version;
	int err = 0;

	memset(rep, 0, sizeof(*rep));
	if (!recording__looks_like(buf, len) || len < 16) {
		snprintf(msg, msg_cap, "not a flametui recording (no \"FTREC\" magic)");
		return -EINVAL;
	}
	version = get32(p + 8);
	r.version = version;
	if (version < 1 || version > REC_VERSION) {
		snprintf(msg, msg_cap,
			 "recording format version %u is not one this flametui reads (it reads 1 to "
			 "%u): open it with a newer flametui", version, REC_VERSION);
		return -EINVAL;
	}
	dc = ZSTD_createDCtx();
	if (!dc) {
		snprintf(msg, msg_cap, "out of memory");
		return -ENOMEM;
	}
	p += 16;
	while (p < end) {
		size_t clen = 0, rlen;
		bool cut;

		if (!block_ok(p, (size_t)(end - p), &clen, &cut)) {
			const uint8_t *next = next_good(p + 1, end);

			/* a length that runs past the end is a cut only if no good block follows */
			if (cut && next == end) {
				rep->cut_bytes = (uint64_t)(end - p);
				note(rep, "the file ends inside a block (%llu bytes cut off after "
					  "block %llu)", rep->cut_bytes, rep->blocks + rep->bad_blocks);
				break;
			}
			rep->bad_blocks++;
			note(rep, "a damaged block at byte %llu (%llu bytes) was skipped",
			     (unsigned long long)(p - (const uint8_t *)buf),
			     (unsigned long long)(next - p));
			p = next;
			continue;
		}
		rlen = get32(p + 12);
		if (grow_array((void **)&raw, &raw_cap, rlen ? rlen : 1, 1)) {
			err = -ENOMEM;
			break;
		}
		if (get32(p + 16) < r.names || get32(p + 20) < r.stacks ||
		    ZSTD_isError(ZSTD_decompressDCtx(dc, raw, rlen, p + BLOCK_HDR, clen)) ||
		    ZSTD_getFrameContentSize(p + BLOCK_HDR, clen) != rlen) {
			rep->bad_blocks++;
			note(rep, "block %llu does not decompress or does not follow the one before "
				  "(%llu bytes), skipped", rep->blocks + rep->bad_blocks - 1,
			     BLOCK_HDR + clen + 4);
			p += BLOCK_HDR + clen + 4;
			continue;
		}
		err = fill_gap(&r, get32(p + 16), get32(p + 20));
		if (!err)
			err = parse_block(&r, raw, rlen, get64(p + 24));
		if (err == -EINVAL) {
			rep->bad_blocks++;
			note(rep, "block %llu holds malformed records (%llu bytes), the rest of it was "
				  "skipped", rep->blocks + rep->bad_blocks - 1, BLOCK_HDR + clen + 4);
			err = 0;
		} else if (err) {
			break;
		} else {
			rep->blocks++;
		}
		p += BLOCK_HDR + clen + 4;
	}
	ZSTD_freeDCtx(dc);
	free(raw);
	free(r.ids);
	for (size_t i = 0; r.mods && i < TRIE_MAX_MODULES; i++)
		free(r.mods[i].s);
	free(r.mods);
	if (err == -ENOMEM)
		snprintf(msg, msg_cap, "out of memory");
	else if (err)
		snprintf(msg, msg_cap, "reading the recording failed: %s", strerror(-err));
	return err;
}
