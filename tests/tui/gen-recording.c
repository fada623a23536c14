// SPDX-License-Identifier: MIT
/* gen-recording OUT SECONDS HZ: writes genrec.h's synthetic alternating-phase recording. */
#include <stdlib.h>

#include "genrec.h"

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen-recording OUT SECONDS HZ\n");
		return 2;
	}
	return genrec_write(argv[1], (unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]), 2, 12, 8) ?
		       1 : 0;
}
