/* SPDX-License-Identifier: MIT */
/*
 * Demangling of C++ (Itanium ABI, via libiberty), legacy Rust symbol names (the C++ form plus
 * a ::h<hash> suffix and $..$ escapes) and Rust v0 names (rustv0.c). Library code: never
 * prints.
 */
#ifndef FLAMETUI_DEMANGLE_H
#define FLAMETUI_DEMANGLE_H

/* A malloc'd demangled name, or NULL when name is not mangled, is too long, or cannot be
 * demangled (the caller keeps the raw name). */
char *demangle(const char *name);

#endif
