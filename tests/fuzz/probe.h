/* SPDX-License-Identifier: MIT */
/*
 * Addresses worth looking up in a table parsed from fuzz input: every hex number the input
 * spells (and its neighbours), so lookups hit entry edges rather than random misses.
 */
#ifndef FLAMETUI_TESTS_FUZZ_PROBE_H
#define FLAMETUI_TESTS_FUZZ_PROBE_H

#include <stddef.h>
#include <stdint.h>

#define PROBE_MAX 256

/* Fills ret[] with up to PROBE_MAX addresses; returns how many. */
static inline size_t probe_addrs(const uint8_t *data, size_t size, uint64_t *ret)
{
	size_t n = 0, i = 0;

	ret[n++] = 0;
	ret[n++] = UINT64_MAX;
	while (i < size && n + 3 <= PROBE_MAX) {
		uint64_t v = 0;
		size_t digits = 0;

		for (; i < size; i++, digits++) {
			uint8_t c = data[i];
			unsigned d = c >= '0' && c <= '9' ? c - '0' + 0U :
				     c >= 'a' && c <= 'f' ? c - 'a' + 10U :
				     c >= 'A' && c <= 'F' ? c - 'A' + 10U : 16U;

			if (d == 16)
				break;
			v = v << 4 | d;
		}
		i++;
		if (!digits)
			continue;
		ret[n++] = v;
		ret[n++] = v - 1;
		ret[n++] = v + 1;
	}
	return n;
}

#endif
