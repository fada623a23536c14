// SPDX-License-Identifier: MIT
/*
 * recwriter: the recording writer (see recording.h): a dictionary of names and stacks written
 * once, the block being filled, zstd, checksums, and at the end the frame address table.
 * The layout is doc/recording.md; every number is little-endian.
 */
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
#include "recfmt.h"
#include "recording.h"
#include "timeline.h"

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
	uint32_t *map;		   /* owned: cached trie's name id -> `names` id */
	uint16_t modmap[TRIE_MAX_MODULES]; /* cached trie's module id -> `names`' (0: unknown) */
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
	if (t == w->cached && w->modmap[m])
		return w->modmap[m];
	s = trie__module_name(t, m, &len);
	id = trie__module_intern(w->names, s, len);
	if (id != TRIE_MODULE_NONE && t == w->cached)
		w->modmap[m] = id;
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

/* The name's id in `names` (w->fid[] is its file id), written into the block when new (with its
 * binary, module m of trie mt); TRIE_NO_NAME on ENOMEM. */
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
		return id;
	fm = mt ? file_module(w, mt, m) : TRIE_MODULE_NONE;
	if (raw_room(w, 2))
		return TRIE_NO_NAME;
	w->raw[w->raw_len++] = R_NAME;
	w->raw[w->raw_len++] = (uint8_t)kind;
	if (put_bytes(w, s, len) || raw_room(w, 3))
		return TRIE_NO_NAME;
	put_varint(w, fm);
	trie__set_module(w->names, id, fm); /* what the file says so far */
	w->fid[id] = w->nfile_names++;
	return id;
}

/*
 * A name's binary can change after it was written: the same name seen in a second binary is
 * in several. The file follows the trie (R_NAME_MODULE), so a replay merges it the same way.
 */
static int follow_module(struct rec_writer *w, const struct trie *t, uint32_t tid, uint32_t wid)
{
	uint16_t m = trie__module(t, tid), want;

	if (m == TRIE_MODULE_NONE)
		return 0;
	want = file_module(w, t, m);
	if (want == TRIE_MODULE_NONE || want == trie__module(w->names, wid))
		return 0;
	if (raw_room(w, 1 + 2 * 10))
		return -ENOMEM;
	w->raw[w->raw_len++] = R_NAME_MODULE;
	put_varint(w, w->fid[wid]);
	put_varint(w, want);
	trie__set_module(w->names, wid, want);
	return 0;
}

static uint32_t mapped_name(struct rec_writer *w, const struct trie *t, uint32_t tid)
{
	if (t != w->cached) {
		w->cached = t;
		if (w->map)
			memset(w->map, 0xff, w->map_cap * sizeof(*w->map));
		memset(w->modmap, 0, sizeof(w->modmap));
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
	else if (follow_module(w, t, tid, w->map[tid]))
		return TRIE_NO_NAME;
	return w->map[tid] == TRIE_NO_NAME ? TRIE_NO_NAME : w->fid[w->map[tid]];
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
	comm_id = w->fid[comm_id];
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

		/* readers refuse empty and longer paths (and the rest of their block): its entries
		 * go too */
		if (!path[0] || strlen(path) > 4096)
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
	/* the view says "+" after the count of addresses of a table that missed some */
	if (!a.err && frameaddrs__full(fa))
		rec_writer__counter(w, "frame_addrs_full", 1);
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
