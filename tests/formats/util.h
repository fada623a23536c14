/* SPDX-License-Identifier: MIT */
/* Helpers shared by the formats tests: load text, read a trie back as folded text. */
#ifndef FLAMETUI_TESTS_FORMATS_UTIL_H
#define FLAMETUI_TESTS_FORMATS_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "folded.h"
#include "formats.h"
#include "trie.h"

/* The trie as folded text (malloc'd; "" when empty). */
static inline char *folded_of(struct trie *t)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (!f)
		abort();
	if (folded__write(t, f))
		fprintf(stderr, "folded__write failed\n");
	fclose(f);
	return s;
}

struct loaded {
	int ret;
	enum formats_kind kind;
	struct formats_error err;
	char *folded; /* NULL on failure */
};

static inline struct loaded load_text(const char *name, const void *buf, size_t len)
{
	struct loaded r = { .kind = -1 };
	struct trie *t = trie__new();

	if (!t)
		abort();
	r.ret = formats__load_buf(buf, len, name, t, &r.kind, &r.err);
	if (r.ret == 0)
		r.folded = folded_of(t);
	trie__free(t);
	return r;
}

static inline struct loaded load_str(const char *s)
{
	return load_text("t.txt", s, strlen(s));
}

static inline char *read_file(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!f) {
		perror(path);
		exit(1);
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	*ret_len = len;
	return buf;
}

#endif
