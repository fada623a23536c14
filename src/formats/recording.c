// SPDX-License-Identifier: MIT
/*
 * recording: the writer (dictionary of names and stacks, the block being filled, zstd,
 * checksums) and the reader (block by block, resynchronising on the block magic after damage).
 * See doc/recording.md for the layout; every number is little-endian.
 */
#include "recording.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "frameaddrs.h"
#include "grow.h"
#include "timeline.h"

#define BLOCK_MAGIC 0x4b425446u /* "FTBK" */
#define BLOCK_HDR 32
#define BLOCK_RAW_MAX (64u << 20) /* a reader refuses bigger blocks: bounded memory */
#define BLOCK_FLUSH_RAW (4u << 20) /* the writer ends a block at this size at the latest */
#define NAME_MAX_LEN (1u << 20)
#define STACK_MAX 4096

enum rec_type {
	R_NAME = 1,
	R_STACK = 2,
	R_SAMPLE = 3,
	R_INFO = 4,
	R_COUNTER = 5,
	/* version 2 */
	R_MODULE = 6,
	R_BINARY = 7,
	R_ADDR = 8,
};

#define MODULE_MAX_LEN 255

struct rec_writer {
	int fd;
	int err; /* sticky first error */
	uint32_t seq;
	struct trie *names;	   /* owned: interns the names written so far */
	uint32_t *fid;		   /* owned: names' id -> the file's name id (NO_NAME: unwritten) */
	size_t fid_cap;
	uint32_t nfile_names;
	size_t nfile_modules; /* modules of `names` written (R_MODULE), the reserved two counted */
	struct timeline *stacks;   /* owned: only its stack interning, the file's stack ids */
	const struct trie *cached; /* borrowed: the trie whose ids `map` translates */
	uint32_t *map;		   /* owned: cached trie's name id -> file name id */
	size_t map_cap;
	uint32_t *ids; /* owned scratch */
	size_t ids_cap;
	uint8_t *raw; /* owned: the block being filled */
	size_t raw_len, raw_cap;
	void *out; /* owned: compressed block with its header */
	size_t out_cap;
	ZSTD_CCtx *zc;
	uint32_t block_names, block_stacks; /* dictionary sizes when the block started */
	uint64_t base_ns, prev_ns;
	bool has_sample;
	uint64_t block_start_ms;
	uint64_t bytes, samples;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int raw_room(struct rec_writer *w, size_t more)
{
	return grow_array((void **)&w->raw, &w->raw_cap, w->raw_len + more, 1);
}

/* Callers made room first (raw_room). */
static void put_varint(struct rec_writer *w, uint64_t v)
{
	while (v >= 0x80) {
		w->raw[w->raw_len++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	w->raw[w->raw_len++] = (uint8_t)v;
}

static int put_bytes(struct rec_writer *w, const void *s, size_t len)
{
	if (raw_room(w, 10 + len))
		return -ENOMEM;
	put_varint(w, len);
	memcpy(w->raw + w->raw_len, s, len);
	w->raw_len += len;
	return 0;
}

struct rec_writer *rec_writer__new(int fd)
{
	struct rec_writer *w = calloc(1, sizeof(*w));
	uint8_t hdr[16];

	if (!w)
		return NULL;
	w->fd = fd;
	w->names = trie__new();
	w->stacks = timeline__new();
	w->zc = ZSTD_createCCtx();
	if (!w->names || !w->stacks || !w->zc) {
		w->fd = -1;
		rec_writer__close(w);
		errno = ENOMEM;
		return NULL;
	}
	memcpy(hdr, REC_MAGIC, REC_MAGIC_LEN);
	put32(hdr + 8, REC_VERSION);
	w->nfile_modules = 2;
	put32(hdr + 12, 0);
	w->err = write_all(fd, hdr, sizeof(hdr));
	w->bytes = sizeof(hdr);
	w->block_start_ms = mono_ms();
	return w;
}

/*
 * The file's module id for module `m` of trie t (TRIE_MODULE_NONE and _SEVERAL are
 * themselves), written into the block (R_MODULE) when new: the writer's own trie numbers them.
 */
static uint16_t file_module(struct rec_writer *w, const struct trie *t, uint16_t m)
{
	const char *s;
	size_t len;
	uint16_t id;

	if (m == TRIE_MODULE_NONE || m == TRIE_MODULE_SEVERAL)
		return m;
	s = trie__module_name(t, m, &len);
	id = trie__module_intern(w->names, s, len);
	if (id == TRIE_MODULE_NONE || id < w->nfile_modules)
		return id;
	if (raw_room(w, 1 + 10) )
		return TRIE_MODULE_NONE;
	w->raw[w->raw_len++] = R_MODULE;
	put_varint(w, id);
	if (put_bytes(w, s, len))
		return TRIE_MODULE_NONE;
	w->nfile_modules = (size_t)id + 1;
	return id;
}

/* The file name id for a name, written into the block when new (with its binary, module m of
 * trie mt); TRIE_NO_NAME on ENOMEM. */
static uint32_t file_name(struct rec_writer *w, const char *s, size_t len, enum frame_kind kind,
			  const struct trie *mt, uint16_t m)
{
	uint32_t id = trie__intern(w->names, s, len, kind);
	uint16_t fm;

	if (id == TRIE_NO_NAME)
		return id;
	if (id >= w->fid_cap) {
		size_t old = w->fid_cap;

		if (grow_array((void **)&w->fid, &w->fid_cap, (size_t)id + 1, sizeof(*w->fid)))
			return TRIE_NO_NAME;
		memset(w->fid + old, 0xff, (w->fid_cap - old) * sizeof(*w->fid));
	}
	if (w->fid[id] != TRIE_NO_NAME)
		return w->fid[id];
	fm = mt ? file_module(w, mt, m) : TRIE_MODULE_NONE;
	if (raw_room(w, 2))
		return TRIE_NO_NAME;
	w->raw[w->raw_len++] = R_NAME;
	w->raw[w->raw_len++] = (uint8_t)kind;
	if (put_bytes(w, s, len) || raw_room(w, 3))
		return TRIE_NO_NAME;
	put_varint(w, fm);
	w->fid[id] = w->nfile_names++;
	return w->fid[id];
}

static uint32_t mapped_name(struct rec_writer *w, const struct trie *t, uint32_t tid)
{
	if (t != w->cached) {
		w->cached = t;
		if (w->map)
			memset(w->map, 0xff, w->map_cap * sizeof(*w->map));
	}
	if (tid >= w->map_cap) {
		size_t old = w->map_cap;

		if (grow_array((void **)&w->map, &w->map_cap, (size_t)tid + 1, sizeof(*w->map)))
			return TRIE_NO_NAME;
		memset(w->map + old, 0xff, (w->map_cap - old) * sizeof(*w->map));
	}
	if (w->map[tid] == TRIE_NO_NAME)
		w->map[tid] = file_name(w, trie__name(t, tid), trie__name_len(t, tid),
					trie__kind(t, tid), t, trie__module(t, tid));
	return w->map[tid];
}

int rec_writer__flush(struct rec_writer *w)
{
	size_t bound, clen;
	uint8_t *hdr;
	uLong crc;

	if (w->err || !w->raw_len)
		return w->err;
	bound = ZSTD_compressBound(w->raw_len) + BLOCK_HDR;
	if (grow_array(&w->out, &w->out_cap, bound, 1))
		return w->err = -ENOMEM;
	hdr = w->out;
	clen = ZSTD_compressCCtx(w->zc, hdr + BLOCK_HDR, bound - BLOCK_HDR, w->raw, w->raw_len, 3);
	if (ZSTD_isError(clen))
		return w->err = -EIO;
	put32(hdr, BLOCK_MAGIC);
	put32(hdr + 4, w->seq);
	put32(hdr + 8, (uint32_t)clen);
	put32(hdr + 12, (uint32_t)w->raw_len);
	put32(hdr + 16, w->block_names);
	put32(hdr + 20, w->block_stacks);
	put64(hdr + 24, w->base_ns);
	/* a CRC-32 of the header and the payload follows the payload */
	crc = crc32(0, hdr, BLOCK_HDR);
	crc = crc32(crc, hdr + BLOCK_HDR, (uInt)clen);
	if (grow_array(&w->out, &w->out_cap, BLOCK_HDR + clen + 4, 1))
		return w->err = -ENOMEM;
	hdr = w->out;
	put32(hdr + BLOCK_HDR + clen, (uint32_t)crc);
	w->err = write_all(w->fd, hdr, BLOCK_HDR + clen + 4);
	if (w->err)
		return w->err;
	w->bytes += BLOCK_HDR + clen + 4;
	w->seq++;
	w->raw_len = 0;
	w->has_sample = false;
	w->block_names = w->nfile_names;
	w->block_stacks = (uint32_t)timeline__stacks(w->stacks);
	w->block_start_ms = mono_ms();
	return 0;
}

int rec_writer__info(struct rec_writer *w, const char *key, const char *value)
{
	if (w->err)
		return w->err;
	if (raw_room(w, 1))
		return w->err = -ENOMEM;
	w->raw[w->raw_len++] = R_INFO;
	if (put_bytes(w, key, strlen(key)) || put_bytes(w, value, strlen(value)))
		return w->err = -ENOMEM;
	return 0;
}

int rec_writer__counter(struct rec_writer *w, const char *key, uint64_t value)
{
	if (w->err)
		return w->err;
	if (raw_room(w, 11))
		return w->err = -ENOMEM;
	w->raw[w->raw_len++] = R_COUNTER;
	if (put_bytes(w, key, strlen(key)) || raw_room(w, 10))
		return w->err = -ENOMEM;
	put_varint(w, value);
	return 0;
}

int rec_writer__sample(struct rec_writer *w, uint64_t ns, uint32_t cpu, uint32_t pid,
		       uint32_t tid, const char *comm, size_t comm_len, const struct trie *names,
		       const uint32_t *ids, size_t n)
{
	size_t before;
	uint32_t comm_id, stack;

	if (w->err)
		return w->err;
	if (w->has_sample && (ns - w->base_ns >= TIMELINE_NS || w->raw_len >= BLOCK_FLUSH_RAW) &&
	    rec_writer__flush(w))
		return w->err;
	if (n > STACK_MAX)
		n = STACK_MAX;
	if (grow_array((void **)&w->ids, &w->ids_cap, n + 1, sizeof(*w->ids)))
		return w->err = -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		w->ids[i] = mapped_name(w, names, ids[i]);
		if (w->ids[i] == TRIE_NO_NAME)
			return w->err = -ENOMEM;
	}
	comm_id = file_name(w, comm, comm_len, FRAME_ROOT, NULL, TRIE_MODULE_NONE);
	if (comm_id == TRIE_NO_NAME)
		return w->err = -ENOMEM;
	before = timeline__stacks(w->stacks);
	stack = timeline__stack_id(w->stacks, w->ids, n);
	if (stack == TIMELINE_NO_STACK || raw_room(w, 1 + 10 * (n + 7)))
		return w->err = -ENOMEM;
	if (stack >= before) {
		w->raw[w->raw_len++] = R_STACK;
		put_varint(w, n);
		for (size_t i = 0; i < n; i++)
			put_varint(w, w->ids[i]);
	}
	if (!w->has_sample) {
		w->base_ns = ns;
		w->prev_ns = ns;
		w->has_sample = true;
	}
	w->raw[w->raw_len++] = R_SAMPLE;
	put_varint(w, zigzag((int64_t)(ns - w->prev_ns)));
	put_varint(w, stack);
	put_varint(w, cpu);
	put_varint(w, pid);
	put_varint(w, tid);
	put_varint(w, comm_id);
	w->prev_ns = ns;
	w->samples++;
	return 0;
}

int rec_writer__tick(struct rec_writer *w)
{
	if (w->err)
		return w->err;
	if (w->raw_len && mono_ms() - w->block_start_ms >= 1000)
		return rec_writer__flush(w);
	return 0;
}

struct addr_writer {
	struct rec_writer *w;
	uint64_t *keys; /* owned: open addressing, key 0 = empty */
	uint32_t *ids;	/* owned: the file name id of keys[i] */
	size_t mask;
	int err;
};

static size_t key_slot(uint64_t key, size_t mask)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & mask;
}

static void put_addr(void *ctx, uint64_t key, int bin, uint64_t offset, uint64_t samples)
{
	struct addr_writer *a = ctx;
	struct rec_writer *w = a->w;
	size_t i = key_slot(key, a->mask);

	for (; a->keys[i] && a->keys[i] != key; i = (i + 1) & a->mask)
		;
	/* a name the file does not hold (its samples were never written) is left out */
	if (a->err || !a->keys[i])
		return;
	if (w->raw_len >= BLOCK_FLUSH_RAW && rec_writer__flush(w)) {
		a->err = w->err;
		return;
	}
	if (raw_room(w, 1 + 4 * 10)) {
		a->err = -ENOMEM;
		return;
	}
	w->raw[w->raw_len++] = R_ADDR;
	put_varint(w, a->ids[i]);
	put_varint(w, (uint64_t)bin);
	put_varint(w, offset);
	put_varint(w, samples);
}

int rec_writer__frame_addrs(struct rec_writer *w, const struct frameaddrs *fa,
			    rec_ident_fn ident, void *ctx)
{
	size_t n = trie__names(w->names), cap = 16;
	struct addr_writer a = { .w = w };

	if (w->err || !fa)
		return w->err;
	/* the table knows names by key (frameaddrs__key): the key of every name written */
	while (cap < 2 * n + 2)
		cap *= 2;
	a.keys = calloc(cap, sizeof(*a.keys));
	a.ids = calloc(cap, sizeof(*a.ids));
	a.mask = cap - 1;
	if (!a.keys || !a.ids) {
		a.err = -ENOMEM;
		goto out;
	}
	for (uint32_t id = 0; id < n && id < w->fid_cap; id++) {
		uint64_t key;
		size_t i;

		if (w->fid[id] == TRIE_NO_NAME || trie__kind(w->names, id) == FRAME_ROOT)
			continue;
		key = frameaddrs__key(trie__name(w->names, id), trie__name_len(w->names, id),
				      trie__kind(w->names, id));
		for (i = key_slot(key, a.mask); a.keys[i] && a.keys[i] != key; i = (i + 1) & a.mask)
			;
		a.keys[i] = key;
		a.ids[i] = w->fid[id];
	}
	for (int b = 0; b < frameaddrs__nbins(fa) && !a.err; b++) {
		const char *path = frameaddrs__bin_path(fa, b);
		struct frameaddrs_ident id = { 0 };
		bool known;

		/* readers refuse longer paths (and the rest of their block): its entries go too */
		if (strlen(path) > 4096)
			continue;
		known = ident && !ident(ctx, path, &id);
		if (raw_room(w, 1 + 10)) {
			a.err = -ENOMEM;
			break;
		}
		w->raw[w->raw_len++] = R_BINARY;
		put_varint(w, (uint64_t)b);
		if (put_bytes(w, path, strlen(path)) || raw_room(w, 3 * 10)) {
			a.err = -ENOMEM;
			break;
		}
		put_varint(w, known);
		put_varint(w, known ? id.size : 0);
		put_varint(w, known ? zigzag(id.mtime_ns) : 0);
		if (put_bytes(w, id.build_id, known ? id.build_id_len : 0))
			a.err = -ENOMEM;
	}
	if (!a.err)
		frameaddrs__all(fa, put_addr, &a);
out:
	free(a.keys);
	free(a.ids);
	if (a.err && !w->err)
		w->err = a.err;
	return w->err;
}

int rec_writer__close(struct rec_writer *w)
{
	int err;

	if (!w)
		return 0;
	if (w->fd >= 0) {
		rec_writer__flush(w);
		if (!w->err && fsync(w->fd) && errno != EINVAL && errno != EROFS)
			w->err = -errno;
		if (close(w->fd) && !w->err)
			w->err = -errno;
	}
	err = w->err;
	trie__free(w->names);
	timeline__free(w->stacks);
	ZSTD_freeCCtx(w->zc);
	free(w->map);
	free(w->fid);
	free(w->ids);
	free(w->raw);
	free(w->out);
	free(w);
	return err;
}

uint64_t rec_writer__bytes(const struct rec_writer *w)
{
	return w->bytes + w->raw_len;
}

uint64_t rec_writer__samples(const struct rec_writer *w)
{
	return w->samples;
}

/* ---- reading ---- */

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
