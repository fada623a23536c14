/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer targets (built with clang by build.sh) and by the corpus replay
 * driver (built with the project's compiler by meson): the entry point, an invariant check
 * that aborts so both the fuzzer and the replay test see a failure, and helpers that turn a
 * trie into folded text and parse it back.
 */
#ifndef FLAMETUI_TESTS_FUZZ_H
#define FLAMETUI_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trie;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant, not an input check: a failure is a bug the fuzzer should report. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond)) {                                                             \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, \
				#cond);                                                    \
			abort();                                                           \
		}                                                                          \
	} while (0)

/* Calls fn for every '\n'-separated line of data[0..size) (the last may lack its '\n'). */
static inline void fuzz_lines(const uint8_t *data, size_t size,
			      void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
	const char *s = (const char *)data, *end = s + size;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);

		fn(ctx, s, len);
		s += len + 1;
	}
}

/*
 * The folded text of t (folded__write) in a malloc'ed buffer, or NULL when memory ran
 * out (not a bug: the caller skips its checks).
 */
char *fuzz_folded_text(struct trie *t, size_t *ret_len);
/*
 * Parses folded text with the folded parser into a new trie. Folded text written by the trie
 * must always parse: a rejected line is an invariant failure. NULL when memory ran out.
 */
struct trie *fuzz_folded_reparse(const char *text, size_t len);
/*
 * The round trip every trie must survive: written as folded text and parsed back, it holds the
 * same samples (all but those counted on the root itself, which folded text cannot carry), and
 * the text is a fixpoint: the same text again when `exact` (every frame is one folded text
 * spells as is: a user, kernel or JIT frame whose name needs no replaced byte), else from the
 * second round on (root, unknown and special frames read back as user frames, and names the
 * writer had to alter, may merge with their namesakes).
 */
void fuzz_check_roundtrip(struct trie *t, bool exact);
/* No interned name holds a byte the folded writer must alter (';', control bytes
 * and a leading '#' as \xNN). */
bool fuzz_names_spellable(const struct trie *t);

/* The input as a file (a memfd, for the parsers that read an fd): the fd, or -1. */
int fuzz_memfd(const uint8_t *data, size_t size);

/* The i-th 8-byte word of the input (wrapping), to probe addresses with: i itself when short. */
static inline uint64_t fuzz_word(const uint8_t *data, size_t size, size_t i)
{
	uint64_t v = 0;

	if (size < 8)
		return i;
	i = (i * 8) % (size - 7);
	memcpy(&v, data + i, 8);
	return v;
}

#endif
