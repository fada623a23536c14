/* SPDX-License-Identifier: MIT */
/*
 * Recordings: every sample with its time, cpu, pid, tid, comm and symbolized stack, in
 * zstd-compressed blocks (about one per second) that each carry a checksum, so a crash, a
 * kill -9 or a full disk loses at most the block being written, and a damaged block is
 * skipped. Names and stacks are stored once, in a dictionary that grows block by block. The
 * format is documented in doc/recording.md.
 */
#ifndef FLAMETUI_FORMATS_RECORDING_H
#define FLAMETUI_FORMATS_RECORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frameaddrs.h"
#include "trie.h"

#define REC_MAGIC "FTREC\r\n\x1a"
#define REC_MAGIC_LEN 8
/* 2 added each name's binary and the frame address table; version 1 files still load */
#define REC_VERSION 2u

struct rec_sample {
	uint64_t ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	uint32_t cpu, pid, tid;
	uint32_t comm;	/* a name id (kind FRAME_ROOT) */
	uint32_t stack; /* a stack id: frames outermost first, without the comm */
};

/* ---- writing ---- */

struct rec_writer;

/* Writes to fd (owned: closed by rec_writer__close) starting with the file header. NULL with
 * errno set. */
struct rec_writer *rec_writer__new(int fd);
/* "cmdline", "hz", "start_realtime_ns", ...: free text pairs kept in the file. 0 or -errno. */
int rec_writer__info(struct rec_writer *w, const char *key, const char *value);
/* A counter's value now (drops: "lost", "idle", ...); the last value in the file wins. */
int rec_writer__counter(struct rec_writer *w, const char *key, uint64_t value);
/*
 * One sample: comm[0..comm_len), frames ids[0..n) of trie `names` (outermost first). Ends the
 * block when it holds a second of samples. 0, or the first write error (-ENOSPC, -EIO ...),
 * which stays: later calls return it too.
 */
int rec_writer__sample(struct rec_writer *w, uint64_t ns, uint32_t cpu, uint32_t pid,
		       uint32_t tid, const char *comm, size_t comm_len, const struct trie *names,
		       const uint32_t *ids, size_t n);
/*
 * The frame address table (frameaddrs.h: samples per frame and file offset in its binary),
 * once, at the end: every binary with what identifies it (ident fills it, returning 0; NULL or
 * an error leaves it unknown), then every entry of a name the file holds. 0 or -errno.
 */
typedef int (*rec_ident_fn)(void *ctx, const char *path, struct frameaddrs_ident *ret);
int rec_writer__frame_addrs(struct rec_writer *w, const struct frameaddrs *fa,
			    rec_ident_fn ident, void *ctx);
/* Ends the block if it is a second old by the monotonic clock (call it now and then). */
int rec_writer__tick(struct rec_writer *w);
/* Writes the pending block. 0 or -errno. */
int rec_writer__flush(struct rec_writer *w);
/* Flushes, fsyncs and closes; returns the first error, or 0. Accepts NULL. */
int rec_writer__close(struct rec_writer *w);
uint64_t rec_writer__bytes(const struct rec_writer *w);
uint64_t rec_writer__samples(const struct rec_writer *w);

/* ---- reading ---- */

/* Each callback returns 0 to go on or a negative errno to stop the read with it. */
struct rec_callbacks {
	void *ctx;
	/* Names and stacks arrive in id order, before the samples that use them. A stack that
	 * only a skipped block defined comes with names == NULL (n == 0): show it as lost. */
	int (*name)(void *ctx, uint32_t id, const char *s, size_t len, enum frame_kind kind);
	int (*stack)(void *ctx, uint32_t id, const uint32_t *names, size_t n);
	int (*sample)(void *ctx, const struct rec_sample *s);
	int (*info)(void *ctx, const char *key, size_t klen, const char *val, size_t vlen);
	int (*counter)(void *ctx, const char *key, size_t klen, uint64_t value);
	/* Version 2: the binary of name `name` (just defined), s == NULL when in several. */
	int (*module)(void *ctx, uint32_t name, const char *s, size_t len);
	/* The frame address table: binaries (ident NULL when unknown), then the entries; an
	 * entry's bin may name a binary a skipped block defined (check it). */
	int (*binary)(void *ctx, uint32_t id, const char *path, size_t len,
		      const struct frameaddrs_ident *ident);
	int (*addr)(void *ctx, uint32_t name, uint32_t bin, uint64_t offset, uint64_t samples);
};

struct rec_report {
	uint32_t blocks;     /* good blocks read */
	uint32_t bad_blocks; /* blocks skipped: checksum, decompression or content errors */
	uint64_t samples;
	uint64_t cut_bytes; /* bytes of an incomplete last block */
	char note[256];	    /* one line saying what was cut or skipped, or "" */
};

/* Does the buffer start like a recording (the magic)? */
bool recording__looks_like(const void *buf, size_t len);

/*
 * Reads a whole recording from memory. Damage (a cut last block, corrupted blocks) is
 * reported in *rep and skipped; names a skipped block defined come back as "[lost]" and its
 * stacks as NULL, so later ids stay right. Returns 0, or -EINVAL with a one-line msg for a
 * file that is not a recording or has an unknown version, or a callback's error.
 */
int recording__read(const void *buf, size_t len, const struct rec_callbacks *cb,
		    struct rec_report *rep, char *msg, size_t msg_cap);

#endif
