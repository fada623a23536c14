// SPDX-License-Identifier: MIT
/* The frame address table: counts per (frame, offset), the hottest address, the bound; keyed by
 * sample path: keys by root name in any grouping and frame order, one address per path. */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "frameaddrs.h"

static uint64_t path(const char *root, const char *const *frames, int n)
{
	uint64_t k = frameaddrs__root_key(root, strlen(root));

	for (int i = 0; i < n; i++)
		k = frameaddrs__path_key(k, frameaddrs__key(frames[i], strlen(frames[i]), 4));
	return k;
}

/* Two paths through the same unnamed frame: each its own address, while the frame has both. */
static void check_paths(void)
{
	struct frameaddrs *fa = frameaddrs__new();
	const char *ab[] = { "main", "[gzip]" }, *ba[] = { "[gzip]", "main" }, *b[] = { "[gzip]" };
	uint64_t p1 = path("gzip-12/13", ab, 2), p2 = path("gzip", b, 1);
	struct frameaddrs_hot h;
	int bin;

	CHECK(fa != NULL);
	if (!fa)
		return;
	/* the root counts by its process name, whatever the grouping */
	CHECK_EQ_U64(path("gzip-12", ab, 2), p1);
	CHECK_EQ_U64(path("gzip", ab, 2), p1);
	CHECK_EQ_U64(path("pool-3-7/8", ab, 2), path("pool", ab, 2));
	CHECK(path("zcat-12/13", ab, 2) != p1);
	CHECK(path("gzip", ba, 2) != p1); /* the order of frames counts */
	CHECK(p2 != p1 && p2 != 0 && p1 != 0);
	CHECK(path("-1", b, 1) != path("", b, 1)); /* no name is stripped to nothing */
	bin = frameaddrs__bin(fa, "/usr/bin/gzip");
	frameaddrs__add(fa, p1, bin, 0x4883, 7);
	frameaddrs__add(fa, p2, bin, 0x4308, 2);
	frameaddrs__add(fa, p2, bin, 0x4400, 3);
	CHECK(frameaddrs__hot(fa, p1, &h) == 0);
	CHECK(h.addrs == 1 && h.offset == 0x4883 && h.samples == 7 && h.total == 7 && !h.partial);
	CHECK(frameaddrs__hot(fa, p2, &h) == 0);
	CHECK(h.addrs == 2 && h.offset == 0x4400 && h.samples == 3 && h.total == 5);
	CHECK(frameaddrs__hot(fa, path("gzip", ba, 2), &h) == -ENOENT);
	frameaddrs__clear(fa); /* c: the path's counts start again */
	frameaddrs__add(fa, p2, bin, 0x4308, 1);
	CHECK(frameaddrs__hot(fa, p2, &h) == 0);
	CHECK(h.addrs == 1 && h.offset == 0x4308 && h.total == 1);
	frameaddrs__free(fa);
}

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
	check_paths();
	return check_done();
}
