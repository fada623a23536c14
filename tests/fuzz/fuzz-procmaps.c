// SPDX-License-Identifier: MIT
/*
 * Fuzz target: /proc/PID/maps text. The kept mappings are sorted, non-empty and disjoint, and
 * a lookup finds exactly the mapping a linear scan finds.
 */
#include "fuzz.h"
#include "probe.h"
#include "procmaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procmaps *m = procmaps__parse((const char *)data, size);
	uint64_t addrs[PROBE_MAX];
	size_t n, count;

	if (!m)
		return 0;
	count = procmaps__count(m);
	FUZZ_CHECK(procmaps__get(m, count) == NULL);
	for (size_t i = 0; i < count; i++) {
		const struct procmap *p = procmaps__get(m, i);

		FUZZ_CHECK(p && p->path && p->start < p->end);
		if (i)
			FUZZ_CHECK(procmaps__get(m, i - 1)->end <= p->start);
		if (!(p->flags & PROCMAP_ANON))
			FUZZ_CHECK(p->path[0] != '\0');
	}
	n = probe_addrs(data, size, addrs);
	for (size_t i = 0; i < n; i++) {
		long idx = procmaps__find(m, addrs[i]), want = -1;

		for (size_t j = 0; j < count; j++) {
			const struct procmap *p = procmaps__get(m, j);

			if (p->start <= addrs[i] && addrs[i] < p->end)
				want = (long)j;
		}
		FUZZ_CHECK(idx == want);
	}
	procmaps__free(m);
	return 0;
}
