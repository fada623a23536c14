// SPDX-License-Identifier: MIT
/*
 * Fuzz target: collapsed-stack lines through the folded parser. The trie must hold exactly the
 * counts of the lines the parser accepted (computed here independently), with and without a
 * node limit, and its folded output must parse back to the very same text.
 */
#include <errno.h>

#include "folded.h"
#include "fuzz.h"
#include "trie.h"

struct run {
	struct folded_parser *p;
	uint64_t expect;
	bool stop;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The count of an accepted line: the digits after the last blank, trailing blanks trimmed. */
static uint64_t line_count(const char *line, size_t len)
{
	uint64_t count = 0;
	size_t i;

	while (len && blank(line[len - 1]))
		len--;
	if (!len || line[0] == '#')
		return 0;
	for (i = len; i && line[i - 1] != ' ' && line[i - 1] != '\t'; i--)
		;
	for (; i < len; i++) {
		FUZZ_CHECK(line[i] >= '0' && line[i] <= '9');
		count = count * 10 + (uint64_t)(line[i] - '0');
	}
	return count;
}

static void one_line(void *ctx, const char *line, size_t len)
{
	struct run *r = ctx;
	int err;

	if (r->stop)
		return;
	err = folded_parser__line(r->p, line, len);
	if (err == 0) {
		uint64_t count = line_count(line, len);

		if (count)
			FUZZ_CHECK(folded__looks_like(line, len));
		r->expect += count;
		return;
	}
	FUZZ_CHECK(err == -EINVAL || err == -EOVERFLOW || err == -ENOMEM);
	FUZZ_CHECK(folded_parser__why(r->p) != NULL);
	/* a bad line leaves the parser usable, as the loader's error message relies on */
	r->stop = err != -EINVAL;
}

static void run(const uint8_t *data, size_t size, size_t max_nodes)
{
	struct trie *t = trie__new();
	struct run r = { 0 };
	int err;

	if (!t)
		return;
	trie__set_max_nodes(t, max_nodes);
	r.p = folded_parser__new(t);
	if (!r.p) {
		trie__free(t);
		return;
	}
	fuzz_lines(data, size, one_line, &r);
	err = folded_parser__finish(r.p);
	FUZZ_CHECK(err == 0 || err == -ENOMEM || err == -EOVERFLOW);
	if (!err && !r.stop) {
		FUZZ_CHECK(trie__total(t) == r.expect);
		FUZZ_CHECK(trie__root(t)->self == 0);
		if (max_nodes)
			/* the [overflow] node itself may go past the limit */
			FUZZ_CHECK(trie__nodes(t) <= max_nodes + 1);
		/* [overflow] is a special frame: read back as a user frame it may merge */
		fuzz_check_roundtrip(t, !trie__overflowed(t) && fuzz_names_spellable(t));
	}
	folded_parser__free(r.p);
	trie__free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, 2 + size % 13);
	return 0;
}
