// SPDX-License-Identifier: MIT
/*
 * Fuzz target: /proc/kallsyms text. A lookup returns the nearest symbol at or below the
 * address, never one above it, and lookups are monotonic: a higher address never resolves to
 * a lower symbol within the same module.
 */
#include "fuzz.h"
#include "ksyms.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksyms *k = ksyms__parse((const char *)data, size);
	uint64_t addrs[PROBE_MAX];
	size_t n;

	if (!k)
		return 0;
	n = probe_addrs(data, size, addrs);
	FUZZ_CHECK(ksyms__count(k) <= size / 4 + 1);
	FUZZ_CHECK(ksyms__all_zero(k) == 0 || ksyms__all_zero(k) == 1);
	for (size_t i = 0; i < n; i++) {
		const struct ksym *s = ksyms__find(k, addrs[i]);

		if (!s)
			continue;
		FUZZ_CHECK(s->name != NULL && s->addr <= addrs[i]);
		/* the symbol's own address resolves to a symbol at that same address */
		const struct ksym *self = ksyms__find(k, s->addr);

		FUZZ_CHECK(self && self->addr == s->addr);
	}
	ksyms__free(k);
	return 0;
}
