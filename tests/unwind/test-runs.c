// SPDX-License-Identifier: MIT
/*
 * The row array's free runs against a model: a byte per row, taken or free. Random takes and
 * gives (of runs that were taken) must never hand out a row twice, must find room whenever a
 * long enough free stretch exists (runs coalesce), and must end all free again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "runs.h"

#define SIZE	 4096u
#define MAX_HELD 256

struct held {
	uint32_t start, len;
};

/* Is there a free stretch of len rows in the model? */
static bool model_fits(const unsigned char *used, uint32_t len)
{
	uint32_t run = 0;

	for (uint32_t i = 0; i < SIZE; i++) {
		run = used[i] ? 0 : run + 1;
		if (run >= len)
			return true;
	}
	return len == 0;
}

int main(void)
{
	static unsigned char used[SIZE];
	struct held held[MAX_HELD];
	struct runs *r = runs__new(SIZE);
	size_t nheld = 0;
	uint32_t start = 0;
	unsigned seed = 13;
	int bad = 0;

	CHECK(r != NULL);
	/* the obvious: first fit from 0, a give joins both neighbours */
	CHECK(runs__take(r, 100, &start) == 0 && start == 0);
	CHECK(runs__take(r, 50, &start) == 0 && start == 100);
	CHECK(runs__take(r, 10, &start) == 0 && start == 150);
	CHECK(runs__give(r, 0, 100) == 0 && runs__give(r, 150, 10) == 0);
	CHECK(runs__take(r, SIZE - 100, &start) == -ENOSPC); /* 50 rows still held in the middle */
	CHECK(runs__give(r, 100, 50) == 0);
	CHECK(runs__take(r, SIZE, &start) == 0 && start == 0); /* one run again */
	CHECK(runs__take(r, 1, &start) == -ENOSPC);
	CHECK(runs__give(r, 0, SIZE) == 0);

	for (int step = 0; step < 200000 && bad < 5; step++) {
		seed = seed * 1103515245u + 12345u;
		if (nheld < MAX_HELD && (seed >> 16) % 3) {
			uint32_t len = 1 + (seed >> 8) % 200;
			int err = runs__take(r, len, &start);

			if (err) {
				if (err != -ENOSPC || model_fits(used, len)) {
					fprintf(stderr, "step %d: take %u failed (%d) with room\n",
						step, len, err);
					bad++;
				}
				continue;
			}
			for (uint32_t i = start; i < start + len; i++) {
				if (i >= SIZE || used[i]) {
					fprintf(stderr, "step %d: row %u handed out twice\n", step,
						i);
					bad++;
					break;
				}
				used[i] = 1;
			}
			held[nheld++] = (struct held){start, len};
		} else if (nheld) {
			size_t k = (seed >> 4) % nheld;

			CHECK(runs__give(r, held[k].start, held[k].len) == 0);
			memset(used + held[k].start, 0, held[k].len);
			held[k] = held[--nheld];
		}
	}
	CHECK(bad == 0);
	while (nheld) {
		nheld--;
		CHECK(runs__give(r, held[nheld].start, held[nheld].len) == 0);
	}
	CHECK(runs__take(r, SIZE, &start) == 0 && start == 0); /* everything coalesced back */
	runs__free(r);
	return check_done();
}
