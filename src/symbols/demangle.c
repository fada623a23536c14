/* SPDX-License-Identifier: MIT */
/* demangle.c: being written */
#include "demangle.h"
