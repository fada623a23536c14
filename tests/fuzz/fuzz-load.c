// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the whole-file loader on bytes in memory (format detection, then folded, perf
 * script or a recording: its magic is all it takes to be read as one), and the escaper that quotes bad input in its error messages. A successful load must
 * round-trip through folded text; an error must come with a one-line message.
 */
#include <errno.h>

#include "formats.h"
#include "fuzz.h"
#include "trie.h"

static void check_escape(const uint8_t *data, size_t size)
{
	size_t cap = 1 + size % 97, max_chars = size % 61, n;
	char *dst = malloc(cap);

	if (!dst)
		return;
	n = formats__escape(dst, cap, data, size, max_chars);
	FUZZ_CHECK(n < cap && strlen(dst) == n);
	/* what reaches a terminal holds no control byte */
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)dst[i] >= 0x20 && dst[i] != 0x7f);
	free(dst);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formats_error err = { 0 };
	enum formats_kind kind = FORMATS_EMPTY;
	struct trie *t = trie__new();
	int ret;

	check_escape(data, size);
	if (!t)
		return 0;
	ret = formats__load_buf(data, size, "fuzz", t, &kind, &err);
	if (ret == 0) {
		FUZZ_CHECK(kind == FORMATS_EMPTY || kind == FORMATS_FOLDED ||
			   kind == FORMATS_PERF_SCRIPT || kind == FORMATS_RECORDING);
		FUZZ_CHECK(formats__kind_name(kind) != NULL);
		if (kind == FORMATS_EMPTY)
			FUZZ_CHECK(trie__total(t) == 0);
		fuzz_check_roundtrip(t, (kind == FORMATS_FOLDED || kind == FORMATS_EMPTY) &&
					    fuzz_names_spellable(t));
	} else {
		FUZZ_CHECK(ret == -EINVAL || ret == -EOVERFLOW || ret == -ENOMEM || ret == -EFBIG);
		FUZZ_CHECK(memchr(err.msg, '\0', sizeof(err.msg)) && err.msg[0]);
		/* the message quotes the bad line escaped: safe to print to a terminal */
		for (const char *m = err.msg; *m; m++)
			FUZZ_CHECK((unsigned char)*m >= 0x20 && *m != 0x7f);
	}
	trie__free(t);
	return 0;
}
