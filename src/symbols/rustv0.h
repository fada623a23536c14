/* SPDX-License-Identifier: MIT */
/* Rust v0 ("_R...") symbol names. Library code: never prints. */
#ifndef FLAMETUI_RUSTV0_H
#define FLAMETUI_RUSTV0_H

#include <stddef.h>

/* A malloc'd demangled name (rustc-demangle's alternate form, e.g. "spin::hot_loop"), or
 * NULL when name (len bytes, printable ASCII) is not a v0 name this code understands. */
char *rustv0__demangle(const char *name, size_t len);

#endif
