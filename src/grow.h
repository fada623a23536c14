/* SPDX-License-Identifier: MIT */
/* Growing an array by doubling, with the overflow check every caller needs. */
#ifndef FLAMETUI_GROW_H
#define FLAMETUI_GROW_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* Makes *p hold at least `need` elements of `elem` bytes (*cap counts elements). 0 or -ENOMEM;
 * *p and *cap are unchanged on failure. */
static inline int grow_array(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / elem)
			return -ENOMEM;
		ncap *= 2;
	}
	np = realloc(*p, ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

#endif
