// SPDX-License-Identifier: MIT
/*
 * Helpers shared by the fuzz targets: the folded round trip (trie -> text -> trie -> text)
 * that every target producing a trie checks, and the input as a file for the ELF readers.
 */
#include "fuzz.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>

#include "folded.h"
#include "trie.h"

char *fuzz_folded_text(struct trie *t, size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	if (!f)
		return NULL;
	err = folded__write(t, f);
	if (fclose(f) || err) {
		/* only running out of memory may stop the writer */
		FUZZ_CHECK(err == 0 || err == -ENOMEM || err == -EIO);
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

struct trie *fuzz_folded_reparse(const char *text, size_t len)
{
	struct trie *t = trie__new();
	struct folded_parser *p;
	const char *s = text, *end = text + len;
	int err = 0;

	if (!t)
		return NULL;
	p = folded_parser__new(t);
	if (!p)
		return trie__free(t);
	while (s < end && !err) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		/* the writer ends every line with '\n' */
		FUZZ_CHECK(nl != NULL);
		err = folded_parser__line(p, s, (size_t)(nl - s));
		if (err && err != -ENOMEM) {
			fprintf(stderr, "folded output line rejected (%s): \"%.*s\"\n",
				folded_parser__why(p), (int)(nl - s), s);
			FUZZ_CHECK(!"folded output parses back");
		}
		s = nl + 1;
	}
	if (!err)
		err = folded_parser__finish(p);
	folded_parser__free(p);
	if (err) {
		FUZZ_CHECK(err == -ENOMEM);
		return trie__free(t);
	}
	return t;
}

bool fuzz_names_spellable(const struct trie *t)
{
	for (uint32_t id = 0; id < trie__names(t); id++) {
		const char *s = trie__name(t, id);
		size_t len = trie__name_len(t, id);

		/* the reader trims blanks around frame names */
		if (len && (s[0] == '#' || s[0] == ' ' || s[len - 1] == ' '))
			return false;
		for (size_t i = 0; i < len; i++)
			if (s[i] == ';' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
				return false;
	}
	return true;
}

static bool same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen == blen && !memcmp(a, b, alen))
		return true;
	fprintf(stderr, "first:\n%.*s\nsecond:\n%.*s\n", (int)alen, a, (int)blen, b);
	return false;
}

void fuzz_check_roundtrip(struct trie *t, bool exact)
{
	size_t len = 0, len2 = 0, len3 = 0;
	char *text = fuzz_folded_text(t, &len), *text2 = NULL, *text3 = NULL;
	struct trie *back = NULL, *back2 = NULL;

	if (!text)
		return;
	back = fuzz_folded_reparse(text, len);
	if (!back)
		goto out;
	FUZZ_CHECK(trie__total(back) == trie__total(t) - trie__root(t)->self);
	text2 = fuzz_folded_text(back, &len2);
	if (!text2)
		goto out;
	/* frames that differ only in a kind folded text cannot spell merge: never longer */
	FUZZ_CHECK(len2 <= len);
	if (exact) {
		FUZZ_CHECK(same_text(text, len, text2, len2));
		goto out;
	}
	back2 = fuzz_folded_reparse(text2, len2);
	if (!back2)
		goto out;
	FUZZ_CHECK(trie__total(back2) == trie__total(back));
	text3 = fuzz_folded_text(back2, &len3);
	if (text3)
		FUZZ_CHECK(same_text(text2, len2, text3, len3));
out:
	free(text3);
	free(text2);
	free(text);
	trie__free(back2);
	trie__free(back);
}

int fuzz_memfd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return fd;
}
