// SPDX-License-Identifier: MIT
/*
 * Fuzz target: any profile the loader accepts through every exporter and through diff. Names
 * are hostile by construction, so the invariants are the escaping ones: the SVG and the JSON
 * are valid UTF-8 without control bytes, the SVG holds exactly one <script> (its own), the
 * JSON no '<'; the pprof file is gzip; a zoomed cut never has more samples than the whole;
 * difffolded's AFTER column adds up to the profile. Inputs with times (recordings, perf script)
 * also go through speedscope's time-ordered form, of the whole and of a zoomed cut.
 */
#include <errno.h>
#include <math.h>

#include "diff.h"
#include "export/export.h"
#include "formats.h"
#include "fuzz.h"
#include "timeline.h"
#include "trie.h"
#include "textcheck.h"

static char *out_opts(struct trie *t, enum export_format fmt, const struct export_opts *o,
		      size_t *ret_len)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return NULL;
	rc = export__write(t, fmt, o, f);
	fclose(f);
	FUZZ_CHECK(rc == 0 || rc == -ENOMEM);
	if (rc) {
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

static char *out(struct trie *t, enum export_format fmt, size_t *ret_len)
{
	return out_opts(t, fmt, NULL, ret_len);
}

/* speedscope's JSON of t, with the samples of tl (over names) when they are t's. */
static void check_json(struct trie *t, const struct timeline *tl, const struct trie *names)
{
	struct export_opts o = {.tl = tl, .tl_names = names};
	size_t len;
	char *s = out_opts(t, EXPORT_SPEEDSCOPE, tl ? &o : NULL, &len);

	if (!s)
		return;
	FUZZ_CHECK(valid_utf8((unsigned char *)s, len));
	FUZZ_CHECK(!has_control(s, len));
	FUZZ_CHECK(!memchr(s, '<', len));
	free(s);
}

static size_t count(const char *s, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	for (const char *p = s; (p = memmem(p, len - (size_t)(p - s), needle, k)); p += k)
		n++;
	return n;
}

static uint64_t after_column(const char *s, size_t len)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(s + i, '\n', len - i), *sp;
		size_t end = nl ? (size_t)(nl - s) : len;

		sp = memrchr(s + i, ' ', end - i);
		FUZZ_CHECK(sp);
		sum += strtoull(sp + 1, NULL, 10);
		i = end + 1;
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct formats_error err;
	struct timeline *tl = timeline__new();
	struct formats_load io = {.count_samples = size & 1, .tl = tl}; /* both counts of perf script */
	struct trie *t = trie__new(), *small = trie__new(), *z;
	const struct trie_node *n;
	struct diff *d;
	size_t len;
	char *s;

	if (!t || !small || !tl || formats__load_buf_opts(data, size, "fuzz", t, &io, &err))
		goto out;
	s = out(t, EXPORT_SVG, &len);
	if (s) {
		FUZZ_CHECK(valid_utf8((unsigned char *)s, len));
		FUZZ_CHECK(!has_control(s, len));
		FUZZ_CHECK(count(s, len, "<script") == 1);
		free(s);
	}
	check_json(t, NULL, NULL);
	if (timeline__samples(tl))
		check_json(t, tl, t);
	s = out(t, EXPORT_PPROF, &len);
	if (s) {
		FUZZ_CHECK(len > 2 && (unsigned char)s[0] == 0x1f && (unsigned char)s[1] == 0x8b);
		free(s);
	}
	/* a zoomed cut: the first child's first child, or whatever exists */
	n = trie__root(t);
	for (int i = 0; i < 2 && n->nchildren; i++)
		n = trie_children(n)[size % n->nchildren];
	z = export__subtrie(t, n);
	if (z) {
		FUZZ_CHECK(trie__total(z) == n->total);
		if (timeline__samples(tl))
			check_json(z, tl, t);
		trie__free(z);
	}
	/* diff against the same input under a node limit */
	trie__set_max_nodes(small, 2 + size % 7);
	if (!formats__load_buf(data, size, "fuzz", small, NULL, &err)) {
		char *buf = NULL;
		FILE *f = open_memstream(&buf, &len);

		d = diff__new(t, small);
		if (d) {
			FUZZ_CHECK(fabs(diff__max_delta(d, true)) <= 1.0 + 1e-9);
			diff__free(d);
		}
		if (f) {
			int rc = diff__write_folded(small, t, false, f);

			fclose(f);
			if (!rc)
				FUZZ_CHECK(after_column(buf, len) == trie__total(t));
			free(buf);
		}
	}
out:
	timeline__free(tl);
	trie__free(t);
	trie__free(small);
	return 0;
}
