/* SPDX-License-Identifier: MIT */
/*
 * The 256-colour palette of the colour roles, as xterm colour indices, and their RGB values:
 * term.c shows it, the SVG export paints with it, so a graph looks the same in both.
 */
#ifndef FLAMETUI_TUI_PALETTE_H
#define FLAMETUI_TUI_PALETTE_H

#include <stdint.h>

#include "render.h"

/* Foreground, background per role; shades vary the background. -1 = terminal default. */
extern const short palette_256_bg[ROLE_COUNT][RENDER_SHADES];
extern const short palette_256_fg[ROLE_COUNT];

/* The RGB value of an xterm-256 colour index (0..255) as 0xRRGGBB. */
uint32_t palette__rgb(int xterm);
/* The role a frame of this kind is drawn in (ROLE_USER, ROLE_KERNEL, ...). */
enum color_role palette__kind_role(enum frame_kind kind);

#endif
