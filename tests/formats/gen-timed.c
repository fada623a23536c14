// SPDX-License-Identifier: MIT
/*
 * gen-timed OUT: a recording with a known number of samples per time, for diff's and file's
 * --from/--to (test-diff-range.sh). comm "app", times in seconds after the first sample:
 *   main;a at 0.0 0.1 0.2 3.1    main;b at 0.5 3.2 3.3 3.4 3.5 3.6    main;c at 3.7
 * written not quite in time order (0.5 before 0.2, 3.5 before 3.4), as CPUs' samples are.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "recording.h"
#include "trie.h"

int main(int argc, char **argv)
{
	static const struct {
		unsigned ds; /* tenths of a second */
		char leaf;
	} s[] = {{0, 'a'},  {1, 'a'},  {5, 'b'},  {2, 'a'},  {31, 'a'}, {32, 'b'},
		 {33, 'b'}, {35, 'b'}, {34, 'b'}, {36, 'b'}, {37, 'c'}};
	const uint64_t t0 = 5000000000ull;
	struct trie *t = trie__new();
	struct rec_writer *w;
	uint32_t ids[2];
	int fd;

	if (argc != 2 || !t) {
		fprintf(stderr, "usage: gen-timed OUT\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	w = fd >= 0 ? rec_writer__new(fd) : NULL;
	if (!w) {
		perror(argv[1]);
		return 1;
	}
	ids[0] = trie__intern(t, "main", 4, FRAME_USER);
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		ids[1] = trie__intern(t, &s[i].leaf, 1, FRAME_USER);
		if (rec_writer__sample(w, t0 + s[i].ds * 100000000ull, 0, 10, 10, "app", 3, t, ids,
				       2))
			break;
	}
	if (rec_writer__close(w)) {
		fprintf(stderr, "gen-timed: writing %s failed\n", argv[1]);
		return 1;
	}
	trie__free(t);
	return 0;
}
