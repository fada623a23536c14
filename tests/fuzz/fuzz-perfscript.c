// SPDX-License-Identifier: MIT
/*
 * Fuzz target: `perf script` text through the perf script parser, line by line, plus the
 * per-line helpers (frame names, header comm). The first byte's low bit picks counting samples
 * (then the trie total must equal the sample count) or periods (then it is at least that), and
 * the folded output must round-trip. Frames in files fill a frame address table: its entries
 * name only paths the frame lines had (absolute paths) and bins the table has.
 */
#include <errno.h>

#include "frameaddrs.h"
#include "fuzz.h"
#include "perfscript.h"
#include "trie.h"

struct run {
	struct perfscript_parser *p;
	bool stop;
	struct frameaddrs *fa;
};

static void check_addr(void *ctx, uint64_t key, int bin, uint64_t offset, uint64_t samples)
{
	struct run *r = ctx;

	(void)key, (void)offset, (void)samples;
	FUZZ_CHECK(frameaddrs__bin_path(r->fa, bin) != NULL);
}

static void check_helpers(const char *line, size_t len)
{
	char small[8], *buf;
	size_t off = 0, clen = 0;
	int kind = -1;
	long n;

	perfscript__looks_like_frame(line, len);
	perfscript__looks_like_header(line, len);
	perfscript__header_comm(line, len, &off, &clen);
	FUZZ_CHECK(off <= len && clen <= len - off);

	struct perfscript_where w;

	n = perfscript__frame_name_at(line, len, len & 1, small, sizeof(small), &kind, &w);
	if (n < 0)
		return;
	FUZZ_CHECK(!w.path || (w.path >= line && w.path + w.path_len <= line + len &&
			       w.path[0] == '/'));
	FUZZ_CHECK(kind >= 0 && kind < FRAME_KIND_MAX);
	buf = malloc((size_t)n + 1);
	if (!buf)
		return;
	/* a big enough buffer gets the same name, whose prefix the small one held */
	FUZZ_CHECK(perfscript__frame_name(line, len, len & 1, buf, (size_t)n + 1, &kind) == n);
	FUZZ_CHECK(!memcmp(small, buf, (size_t)n < sizeof(small) ? (size_t)n : sizeof(small)));
	/* ';' separates the frames of an inline chain: none is empty */
	FUZZ_CHECK(n == 0 || (buf[0] != ';' && buf[n - 1] != ';' && !memmem(buf, (size_t)n, ";;", 2)));
	free(buf);
}

static void one_line(void *ctx, const char *line, size_t len)
{
	struct run *r = ctx;
	int err;

	check_helpers(line, len);
	if (r->stop)
		return;
	err = perfscript_parser__line(r->p, line, len);
	if (err) {
		FUZZ_CHECK(err == -EINVAL || err == -EOVERFLOW || err == -ENOMEM);
		FUZZ_CHECK(perfscript_parser__why(r->p) != NULL);
		r->stop = err != -EINVAL;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trie *t = trie__new();
	struct run r = { 0 };
	bool count_samples = size > 0 && (data[0] & 1);
	int err;

	if (!t)
		return 0;
	r.p = perfscript_parser__new(t);
	if (!r.p) {
		trie__free(t);
		return 0;
	}
	struct frameaddrs *fa = frameaddrs__new();

	perfscript_parser__count_samples(r.p, count_samples);
	perfscript_parser__set_addrs(r.p, fa);
	fuzz_lines(data, size, one_line, &r);
	err = perfscript_parser__finish(r.p);
	FUZZ_CHECK(err == 0 || err == -ENOMEM || err == -EOVERFLOW || err == -EINVAL);
	if (!err && !r.stop) {
		if (count_samples)
			FUZZ_CHECK(trie__total(t) == perfscript_parser__samples(r.p));
		else
			FUZZ_CHECK(trie__total(t) >= perfscript_parser__samples(r.p));
		FUZZ_CHECK(strlen(perfscript_parser__unit(r.p)) > 0);
		fuzz_check_roundtrip(t, false);
		r.fa = fa;
		if (fa)
			frameaddrs__all(fa, check_addr, &r);
		for (int b = 0; fa && b < frameaddrs__nbins(fa); b++)
			FUZZ_CHECK(frameaddrs__bin_path(fa, b)[0] == '/');
	}
	frameaddrs__free(fa);
	perfscript_parser__free(r.p);
	trie__free(t);
	return 0;
}
