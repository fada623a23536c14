/* SPDX-License-Identifier: MIT */
/* The recording format's constants and byte helpers, shared by its writer (recwriter.c) and its
 * reader (recording.c). Private to src/formats; the layout is doc/recording.md. */
#ifndef FLAMETUI_FORMATS_RECFMT_H
#define FLAMETUI_FORMATS_RECFMT_H

#include <stdint.h>

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
	R_NAME_MODULE = 9,
};

#define MODULE_MAX_LEN 255

static inline void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

#endif
