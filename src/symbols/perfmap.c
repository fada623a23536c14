/* SPDX-License-Identifier: MIT */
/* perfmap.c: being written */
#include "perfmap.h"
