/* SPDX-License-Identifier: MIT */
/*
 * A synthetic recording with a known shape, for the tmux test and the timeline benchmark:
 * `seconds` at `hz` on `cpus` CPUs; in each second, samples in the first 300 ms end in leaf_a,
 * the rest in leaf_b, under `depth` frames of a "main;run;..." spine with `variety` different
 * middles so the dictionary is not trivial.
 */
#ifndef FLAMETUI_TESTS_GENREC_H
#define FLAMETUI_TESTS_GENREC_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "recording.h"
#include "trie.h"

static inline int genrec_write(const char *path, unsigned seconds, unsigned hz, unsigned cpus,
			       unsigned depth, unsigned variety)
{
	struct trie *t = trie__new();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	struct rec_writer *w = fd >= 0 ? rec_writer__new(fd) : NULL;
	uint64_t t0 = 1000000000000ull, period = 1000000000ull / hz;
	uint32_t ids[64], mid[64], a, b;
	char name[32];
	int rc;

	if (!t || !w || depth + 2 > 64 || variety > 64)
		return -1;
	for (unsigned i = 0; i < depth; i++) {
		snprintf(name, sizeof(name), "frame_%u", i);
		ids[i] = trie__intern(t, name, strlen(name), FRAME_USER);
	}
	for (unsigned i = 0; i < variety; i++) {
		snprintf(name, sizeof(name), "middle_%u", i);
		mid[i] = trie__intern(t, name, strlen(name), FRAME_USER);
	}
	a = trie__intern(t, "leaf_a", 6, FRAME_USER);
	b = trie__intern(t, "leaf_b", 6, FRAME_USER);
	rec_writer__info(w, "cmdline", "synthetic: leaf_a 300 ms, leaf_b 700 ms");
	for (uint64_t n = 0; n < (uint64_t)seconds * hz; n++) {
		uint64_t off = n * period;

		for (unsigned c = 0; c < cpus; c++) {
			ids[depth / 2] = mid[(n * 7 + c) % (variety ? variety : 1)];
			ids[depth] = off % 1000000000ull < 300000000ull ? a : b;
			/* the CPUs' timers are not in phase */
			if (rec_writer__sample(w, t0 + off + c * (period / 3), c, 100 + c, 100 + c,
					       "phases", 6, t, ids, depth + 1))
				break;
		}
	}
	rc = rec_writer__close(w);
	trie__free(t);
	return rc;
}

#endif
