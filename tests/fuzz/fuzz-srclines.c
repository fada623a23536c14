// SPDX-License-Identifier: MIT
/*
 * Fuzz target: arbitrary bytes as an ELF file with DWARF line info, through srclines (elffile,
 * then libdw's .debug_line). srclines opens files by path, so the input goes to a temporary
 * file of our own; a fresh reader per input (it caches by path). Debug files are looked up
 * under a root that does not exist. An answer has a file and a positive line.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "srclines.h"

static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct srclines *sl;
	struct srcline l;
	FILE *f;

	if (!path[0]) {
		int fd;

		snprintf(path, sizeof(path), "/tmp/flametui-fuzz-srclines-XXXXXX");
		fd = mkstemp(path);
		if (fd < 0)
			return 0;
		close(fd);
	}
	f = fopen(path, "wb");
	if (!f)
		return 0;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);
	sl = srclines__new("/nonexistent-flametui-fuzz", getuid());
	if (!sl)
		return 0;
	for (size_t i = 0; i < 32; i++) {
		uint64_t w = fuzz_word(data, size, i);
		uint64_t offs[2] = { w, w & 0xffff };

		for (int k = 0; k < 2; k++) {
			int err = srclines__find(sl, path, offs[k], &l);

			if (!err)
				FUZZ_CHECK(l.file && l.line > 0);
			else
				FUZZ_CHECK(err < 0);
		}
	}
	srclines__free(sl);
	return 0;
}
