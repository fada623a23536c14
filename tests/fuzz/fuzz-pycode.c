// SPDX-License-Identifier: MIT
/*
 * Fuzz target: bytes read from a Python process (src/runtimes/pycode.c). The input is a 3.11
 * location table (after a 4-byte first line), and also a str header with its characters and a
 * code object. A table covers a prefix of the instructions: once an offset is past its end,
 * every later one is too, and an offset it covers has every earlier one covered. Characters
 * come out as NUL-terminated UTF-8 within the buffer.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "pycode.h"
#include "pyoffsets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct py_offsets *o = pyoffsets__find(0x030b02f0);
	const struct py_layout *l = &o->user;
	int32_t first = 0, line;
	int prev = 0;
	struct py_str s;
	struct py_code c;
	char out[64];

	FUZZ_CHECK(o != NULL);
	if (size >= 4)
		memcpy(&first, data, 4);
	for (uint32_t i = 0; i < 2 * size + 2; i++) {
		int rc = pycode__line(size >= 4 ? data + 4 : data, size >= 4 ? size - 4 : 0, first,
				      i, &line);

		FUZZ_CHECK(rc == 0 || rc == -ENOENT || rc == -EINVAL);
		/* a malformed entry stops every later offset too; the end of the table as well */
		if (i > 0 && prev)
			FUZZ_CHECK(rc == prev || (prev == -ENOENT && rc == -EINVAL) ||
				   (prev == -EINVAL && rc == -EINVAL));
		if (rc == 0)
			FUZZ_CHECK(prev == 0);
		prev = rc;
	}
	if (!pycode__str(l, data, size, 1000, &s)) {
		size_t n;

		FUZZ_CHECK(s.width == 1 || s.width == 2 || s.width == 4);
		FUZZ_CHECK(s.length <= 1000);
		n = s.data_off < size ? pycode__str_utf8(&s, data + s.data_off, size - s.data_off,
							 out, sizeof(out))
				      : pycode__str_utf8(&s, data, 0, out, sizeof(out));
		FUZZ_CHECK(n < sizeof(out) && out[n] == '\0' && strlen(out) == n);
	}
	if (!pycode__parse(l, data, size, &c))
		FUZZ_CHECK(size >= l->code_size);
	return 0;
}
