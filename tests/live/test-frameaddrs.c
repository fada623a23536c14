// SPDX-License-Identifier: MIT
/* The frame address table: counts per (frame, offset), the hottest address, the bound. */
#include <errno.h>

#include "check.h"
#include "frameaddrs.h"

int main(void)
{
	struct frameaddrs *fa = frameaddrs__new();
	uint64_t gzip = frameaddrs__key("[gzip]", 6, 4), other = frameaddrs__key("[gzip]", 6, 0);
	struct frameaddrs_hot h;
	int bin, bin2;

	CHECK(fa != NULL);
	if (!fa)
		return check_done();
	CHECK(gzip != other); /* the kind is part of the key */
	CHECK(frameaddrs__hot(fa, gzip, &h) == -ENOENT);
	bin = frameaddrs__bin(fa, "/usr/bin/gzip");
	bin2 = frameaddrs__bin(fa, "/usr/lib/libz.so.1");
	CHECK(bin >= 0 && bin2 >= 0 && bin != bin2);
	CHECK_EQ_U64(frameaddrs__bin(fa, "/usr/bin/gzip"), bin);
	frameaddrs__add(fa, gzip, bin, 0x4883, 1);
	CHECK(frameaddrs__hot(fa, gzip, &h) == 0);
	CHECK(h.addrs == 1 && h.offset == 0x4883 && h.samples == 1 && h.total == 1 && !h.partial);
	CHECK_STR(h.path, "/usr/bin/gzip");
	frameaddrs__add(fa, gzip, -1, 0x4883, 1); /* no binary: not counted */
	frameaddrs__add(fa, gzip, bin2, 0x10, 1); /* the same frame in another binary */
	frameaddrs__add(fa, gzip, bin, 0x4308, 2);
	frameaddrs__add(fa, gzip, bin, 0x4883, 2);
	frameaddrs__add(fa, gzip, bin, 0x1000, 3); /* ties with 0x4883: the lower address wins */
	frameaddrs__add(fa, other, bin, 0x9999, 50);
	CHECK(frameaddrs__hot(fa, gzip, &h) == 0);
	CHECK_EQ_U64(h.addrs, 4);
	CHECK_EQ_U64(h.offset, 0x1000);
	CHECK_EQ_U64(h.samples, 3);
	CHECK_EQ_U64(h.total, 9);
	/* bounded: past FRAMEADDRS_MAX pairs new ones are dropped, and that is said */
	for (uint64_t i = 0; i < FRAMEADDRS_MAX + 100; i++)
		frameaddrs__add(fa, other, bin, i * 16, 1);
	CHECK(frameaddrs__hot(fa, other, &h) == 0);
	CHECK(h.partial);
	CHECK_EQ_U64(h.addrs, FRAMEADDRS_MAX - 4);
	frameaddrs__add(fa, gzip, bin, 0x4883, 5); /* an existing pair still counts */
	CHECK(frameaddrs__hot(fa, gzip, &h) == 0);
	CHECK(h.offset == 0x4883 && h.samples == 8); /* 1 + 2 + 5 */
	frameaddrs__clear(fa);
	CHECK(frameaddrs__hot(fa, gzip, &h) == -ENOENT);
	frameaddrs__free(fa);
	return check_done();
}
