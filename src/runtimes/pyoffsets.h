/* SPDX-License-Identifier: MIT */
/*
 * pyoffsets: the one table of CPython struct layouts, per version (major.minor, from the
 * process's Py_Version). The kernel walker's part (bpf/python.h) and what userspace needs to
 * read code objects and strings. A version not in the table gets native frames only.
 */
#ifndef FLAMETUI_PYOFFSETS_H
#define FLAMETUI_PYOFFSETS_H

#include <stdint.h>

#include <linux/types.h>

#include "python.h"

/* Userspace's part: offsets in bytes. */
struct py_layout {
	uint16_t code_size; /* bytes of a code object read at once (covers every field below) */
	uint16_t code_ob_size, code_filename, code_qualname, code_linetable, code_firstlineno;
	uint16_t tstate_interp;	 /* PyThreadState.interp, to check the layout at start */
	uint16_t str_header;	 /* bytes of a str header read (the compact form's whole header) */
	uint16_t str_length;	 /* PyASCIIObject.length */
	uint16_t str_state;	 /* PyASCIIObject.state (interned:2 kind:3 compact:1 ascii:1) */
	uint16_t str_ascii_data; /* characters of a compact ASCII str */
	uint16_t str_data;	 /* characters of another compact str */
	uint16_t bytes_header;	 /* PyBytesObject up to ob_sval */
	uint16_t bytes_size;	 /* ob_size */
};

struct py_offsets {
	uint32_t major, minor;
	const char *checked;   /* where the layout was checked against a live interpreter */
	struct ft_py_proc bpf; /* runtime left 0: filled per process */
	struct py_layout user;
};

/* The layout for PY_VERSION_HEX `version`, or NULL when flametui does not know it. */
const struct py_offsets *pyoffsets__find(uint32_t version);

#endif
