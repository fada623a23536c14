// SPDX-License-Identifier: MIT
/* palette: the 256-colour table of the roles and xterm's colour cube (see palette.h). */
#include "palette.h"

const short palette_256_bg[ROLE_COUNT][RENDER_SHADES] = {
	[ROLE_DEFAULT] = { -1, -1, -1, -1, -1, -1, -1, -1 },
	[ROLE_HEADER] = { 236, 236, 236, 236, 236, 236, 236, 236 },
	[ROLE_STATUS] = { 236, 236, 236, 236, 236, 236, 236, 236 },
	[ROLE_MESSAGE] = { 124, 124, 124, 124, 124, 124, 124, 124 },
	[ROLE_USER] = { 160, 196, 203, 167, 220, 221, 226, 227 },
	[ROLE_KERNEL] = { 208, 209, 214, 215, 172, 173, 166, 179 },
	[ROLE_JIT] = { 34, 40, 70, 76, 106, 112, 71, 77 },
	[ROLE_PYTHON] = { 38, 44, 74, 80, 68, 110, 37, 73 },
	[ROLE_ROOT] = { 180, 180, 180, 180, 180, 180, 180, 180 },
	[ROLE_UNKNOWN] = { 244, 245, 246, 247, 248, 249, 250, 251 },
	[ROLE_SPECIAL] = { 141, 141, 141, 141, 141, 141, 141, 141 },
	[ROLE_MERGED] = { 238, 238, 238, 238, 238, 238, 238, 238 },
	[ROLE_SELECTED] = { 51, 51, 51, 51, 51, 51, 51, 51 },
	[ROLE_MATCH] = { 201, 201, 201, 201, 201, 201, 201, 201 },
	[ROLE_DIMMED] = { 239, 239, 239, 239, 239, 239, 239, 239 },
	[ROLE_TABLE_HEAD] = { 250, 250, 250, 250, 250, 250, 250, 250 },
	[ROLE_HELP] = { 24, 24, 24, 24, 24, 24, 24, 24 },
	/* diff: pale to strong */
	[ROLE_DIFF_UP] = { 224, 217, 210, 209, 203, 197, 196, 160 },
	[ROLE_DIFF_DOWN] = { 189, 153, 147, 111, 75, 69, 33, 27 },
	[ROLE_DIFF_SAME] = { 255, 255, 255, 255, 255, 255, 255, 255 },
	/* heat map: FlameScope's ramp, few samples white-yellow, many deep red */
	[ROLE_HEAT] = { 230, 229, 221, 214, 208, 202, 196, 160 },
	[ROLE_HEAT_SEL] = { 153, 117, 111, 75, 69, 33, 27, 21 },
};

const short palette_256_fg[ROLE_COUNT] = {
	[ROLE_DEFAULT] = -1,   [ROLE_HEADER] = 255, [ROLE_STATUS] = 255,  [ROLE_MESSAGE] = 231,
	[ROLE_USER] = 16,      [ROLE_KERNEL] = 16,  [ROLE_JIT] = 16, [ROLE_PYTHON] = 16,	  [ROLE_ROOT] = 16,
	[ROLE_UNKNOWN] = 16,   [ROLE_SPECIAL] = 16, [ROLE_MERGED] = 245,  [ROLE_SELECTED] = 16,
	[ROLE_MATCH] = 16,     [ROLE_DIMMED] = 250, [ROLE_TABLE_HEAD] = 16, [ROLE_HELP] = 231,
	[ROLE_DIFF_UP] = 16,   [ROLE_DIFF_DOWN] = 16, [ROLE_DIFF_SAME] = 16,
	[ROLE_HEAT] = 16,      [ROLE_HEAT_SEL] = 231,
};

/* render__shade() (render.h) lives here: the SVG export shades names the same way. */
int render__shade(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return (int)(h % RENDER_SHADES);
}

uint32_t palette__rgb(int x)
{
	static const uint32_t base[16] = {
		0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0xc0c0c0,
		0x808080, 0xff0000, 0x00ff00, 0xffff00, 0x0000ff, 0xff00ff, 0x00ffff, 0xffffff,
	};
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };

	if (x < 0 || x > 255)
		return 0xffffff;
	if (x < 16)
		return base[x];
	if (x >= 232) {
		uint32_t g = 8 + 10 * (uint32_t)(x - 232);

		return g << 16 | g << 8 | g;
	}
	x -= 16;
	return (uint32_t)level[x / 36] << 16 | (uint32_t)level[x / 6 % 6] << 8 | level[x % 6];
}

enum color_role palette__kind_role(enum frame_kind kind)
{
	switch (kind) {
	case FRAME_USER:
		return ROLE_USER;
	case FRAME_KERNEL:
		return ROLE_KERNEL;
	case FRAME_JIT:
		return ROLE_JIT;
	case FRAME_PYTHON:
		return ROLE_PYTHON;
	case FRAME_ROOT:
		return ROLE_ROOT;
	case FRAME_SPECIAL:
		return ROLE_SPECIAL;
	default:
		return ROLE_UNKNOWN;
	}
}
