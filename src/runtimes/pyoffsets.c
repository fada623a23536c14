// SPDX-License-Identifier: MIT
/*
 * pyoffsets: CPython layouts. 3.11's come from its headers (Include/cpython/pystate.h,
 * Include/internal/pycore_frame.h, pycore_runtime.h, cpython/code.h, cpython/unicodeobject.h)
 * and were checked field by field against Debian 12's /usr/bin/python3.11 (3.11.2) while it
 * ran: the thread list found the threads by native id, every frame's code named the function
 * it ran, prev_instr fell inside co_code_adaptive. Patch releases keep the layout (the ABI).
 */
#include <stddef.h>

#include "pyoffsets.h"

static const struct py_offsets table[] = {
    {
	.major = 3,
	.minor = 11,
	.checked = "Debian 12 python3.11 3.11.2",
	.bpf =
	    {
		.rt_interp_head = 40,	  /* interpreters.head (after 5 ints, _finalizing, mutex) */
		.rt_tstate_current = 576, /* gilstate.tstate_current: NULL while nobody holds it */
		.interp_tstate_head = 16, /* threads.head, after next and next_unique_id */
		.tstate_next = 8,
		.tstate_native_tid = 160,
		.tstate_cframe = 56,
		.cframe_current_frame = 8,
		.frame_code = 32,
		.frame_previous = 48,
		.frame_prev_instr = 56,
		.frame_is_entry = 68,
		.code_firstlineno = 72,
		.code_adaptive = 184,
		.frame_span = 69 - 32, /* f_code up to is_entry */
	    },
	.user =
	    {
		.code_size = 184,
		.code_ob_size = 16,
		.code_filename = 112,
		.code_qualname = 128,
		.code_linetable = 136,
		.code_firstlineno = 72,
		.tstate_interp = 16,
		.str_header = 72,
		.str_length = 16,
		.str_state = 32,
		.str_ascii_data = 48,
		.str_data = 72,
		.bytes_header = 32,
		.bytes_size = 16,
	    },
    },
};

const struct py_offsets *pyoffsets__find(uint32_t version)
{
	uint32_t major = version >> 24, minor = version >> 16 & 0xff;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].major == major && table[i].minor == minor)
			return &table[i];
	return NULL;
}
