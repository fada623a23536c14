/* SPDX-License-Identifier: MIT */
/* The shared library ft-target links against. */
#ifndef FT_LIB_H
#define FT_LIB_H

int lib_gamma(int x);
int lib_delta(int x);
/* The real address of a static function: in a non-PIE program &lib_gamma is a PLT stub. */
void *lib_inner_addr(void);

#endif
