// SPDX-License-Identifier: MIT
/*
 * Fuzz target: perf map text ("START SIZE name"), parsed whole and again in two pieces (the
 * file is read incrementally as a JIT appends to it). A lookup must land inside the entry it
 * returns, and both parses must agree on the count and every lookup.
 */
#include "fuzz.h"
#include "perfmap.h"
#include "probe.h"

static void check_find(struct perfmap *m, uint64_t addr)
{
	const struct perfmap_entry *e = perfmap__find(m, addr);

	if (!e)
		return;
	FUZZ_CHECK(e->name != NULL);
	FUZZ_CHECK(e->start <= addr && addr - e->start < e->size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfmap *whole = perfmap__new(), *split = perfmap__new();
	uint64_t addrs[PROBE_MAX];
	size_t n = probe_addrs(data, size, addrs), cut;
	const char *s = (const char *)data;
	const uint8_t *nl;

	if (!whole || !split)
		goto out;
	if (perfmap__parse(whole, s, size))
		goto out;
	for (size_t i = 0; i < n; i++)
		check_find(whole, addrs[i]);
	FUZZ_CHECK(perfmap__count(whole) <= size / 4 + 1);

	/* split after a line end, as refresh does: only complete lines are parsed early */
	cut = size ? size / 2 : 0;
	nl = memchr(data + cut, '\n', size - cut);
	if (!nl)
		goto out;
	cut = (size_t)(nl - data) + 1;
	if (perfmap__parse(split, s, cut) || perfmap__parse(split, s + cut, size - cut))
		goto out;
	FUZZ_CHECK(perfmap__count(split) == perfmap__count(whole));
	FUZZ_CHECK(perfmap__bad_lines(split) == perfmap__bad_lines(whole));
	for (size_t i = 0; i < n; i++) {
		const struct perfmap_entry *a = perfmap__find(whole, addrs[i]);
		const struct perfmap_entry *b = perfmap__find(split, addrs[i]);

		FUZZ_CHECK(!a == !b);
		if (a)
			FUZZ_CHECK(a->start == b->start && a->size == b->size &&
				   !strcmp(a->name, b->name));
	}
out:
	perfmap__free(split);
	perfmap__free(whole);
	return 0;
}
