// SPDX-License-Identifier: MIT
/*
 * Fuzz target: symbol names to demangle (C++, legacy Rust, Rust v0). The input is tried as
 * is and with "_R" and "_Z" in front (so most runs reach a demangler); whatever comes back is
 * bounded and printable ASCII, and the same name always gives the same answer.
 */
#include <stdlib.h>
#include <string.h>

#include "demangle.h"
#include "fuzz.h"

static void one(const char *prefix, const uint8_t *data, size_t size)
{
	size_t pl = strlen(prefix);
	char *name = malloc(pl + size + 1);
	char *a, *b;

	if (!name)
		return;
	memcpy(name, prefix, pl);
	memcpy(name + pl, data, size);
	name[pl + size] = '\0';
	a = demangle(name);
	b = demangle(name);
	FUZZ_CHECK(!a == !b && (!a || !strcmp(a, b)));
	if (a) {
		size_t n = strlen(a);

		FUZZ_CHECK(n > 0 && n <= 16384);
		for (size_t i = 0; i < n; i++)
			FUZZ_CHECK((unsigned char)a[i] >= 0x20 && (unsigned char)a[i] < 0x7f);
	}
	free(a);
	free(b);
	free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	one("", data, size);
	one("_R", data, size);
	one("_Z", data, size);
	return 0;
}
