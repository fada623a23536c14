// SPDX-License-Identifier: MIT
/*
 * Fuzz target: arbitrary bytes as an .eh_frame section (loaded at 0x400000) through the
 * reader the table builder uses (src/unwind/ehframe.c): the FDE list comes out sorted with
 * non-empty ranges inside the section, and each FDE's rows (at most a few hundred FDEs per
 * input) start inside it, in increasing order, below the limit, with known rule kinds.
 */
#include <errno.h>
#include <stdlib.h>

#include "fuzz.h"
#include "ehframe.h"

#define VADDR 0x400000ull

struct seen {
	const struct ehframe_fde *f;
	uint64_t limit, last;
	size_t n;
};

static int row(void *ctx, uint64_t pc, const struct ehframe_rule *r)
{
	struct seen *s = ctx;

	FUZZ_CHECK(pc >= s->f->start && pc < s->f->end && pc < s->limit);
	FUZZ_CHECK(s->n == 0 || pc > s->last);
	FUZZ_CHECK(r->cfa <= EH_CFA_EXPR && r->ra <= EH_REG_OTHER && r->rbp <= EH_REG_OTHER);
	s->last = pc;
	s->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ehframe_fde *fdes = NULL;
	size_t n = 0;
	int err = ehframe__fdes(data, size, VADDR, &fdes, &n);

	if (err) {
		FUZZ_CHECK(err == -ENODATA || err == -ENOMEM);
		return 0;
	}
	FUZZ_CHECK(n > 0);
	for (size_t i = 0; i < n; i++) {
		struct seen s = {.f = &fdes[i], .limit = i + 1 < n ? fdes[i + 1].start : UINT64_MAX};
		uint64_t end;

		FUZZ_CHECK(fdes[i].start < fdes[i].end && fdes[i].off < size && fdes[i].cie < size);
		FUZZ_CHECK(i == 0 || fdes[i - 1].start <= fdes[i].start);
		if (i >= 256)
			continue; /* the list is checked whole, the programs of the first ones */
		if (s.limit <= fdes[i].start)
			s.limit = UINT64_MAX;
		err = ehframe__rows(data, size, VADDR, &fdes[i], s.limit, row, &s, &end);
		FUZZ_CHECK(err == 0 || err == -ENODATA);
		FUZZ_CHECK(end >= fdes[i].start);
		FUZZ_CHECK(s.n == 0 || end > s.last);
	}
	free(fdes);
	return 0;
}
