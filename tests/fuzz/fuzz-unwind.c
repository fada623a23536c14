// SPDX-License-Identifier: MIT
/*
 * Fuzz target: arbitrary bytes as an ELF file (in a memfd) through libdw's CFI reader and the
 * unwind table builder, as the binary and as its own debug file: bytes without .eh_frame_hdr
 * go through the .debug_frame reader. Rows come out strictly sorted with known kinds; every lookup
 * lands on a row at or below the address; functions contain what they are found for.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "unwind/table.h" /* not src/tui/table.h */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ft_unwind_row *rows;
	struct unwind_table *t = NULL;
	int fd = fuzz_memfd(data, size), err;
	size_t n;

	if (fd < 0)
		return 0;
	err = unwind_table__build_fds(fd, fd, &t);
	close(fd);
	if (err) {
		FUZZ_CHECK(err < 0 && !t);
		return 0;
	}
	n = unwind_table__rows(t, &rows);
	FUZZ_CHECK(n <= UNWIND_TABLE_MAX_ROWS);
	for (size_t i = 0; i < n; i++) {
		const struct ft_unwind_row *r;
		uint64_t s, e, bias;

		FUZZ_CHECK(rows[i].kind <= FT_UW_END);
		FUZZ_CHECK(i == 0 || rows[i - 1].pc < rows[i].pc);
		r = unwind_table__find(t, rows[i].pc);
		FUZZ_CHECK(r == &rows[i]);
		if (rows[i].pc) {
			r = unwind_table__find(t, rows[i].pc - 1);
			FUZZ_CHECK(i ? r == &rows[i - 1] : r == NULL);
		}
		if (!unwind_table__func(t, rows[i].pc, &s, &e))
			FUZZ_CHECK(s <= rows[i].pc && rows[i].pc < e);
		if (!unwind_table__bias(t, 0x7f0000000000ull, rows[i].pc & ~0xfffull, &bias))
			FUZZ_CHECK(bias != 1); /* computed without faulting */
	}
	unwind_table__free(t);
	return 0;
}
