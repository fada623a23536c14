// SPDX-License-Identifier: MIT
/*
 * svg: an interactive flame graph in one self-contained SVG file, as flamegraph.pl draws
 * them: click a frame to zoom, "Reset Zoom", "Search" (a regex; the share of samples matched),
 * a tooltip and a details line per frame. Colours are the terminal's palette, for a diff too
 * (red grew, blue shrank, in the terminal's steps: diff__level). Frames narrower than 0.1 px
 * are dropped and counted.
 * Each frame carries its sample offset and count (data-o, data-s) so the page's script zooms
 * on exact integers.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../diff.h"
#include "../formats/formats.h"
#include "../tui/palette.h"
#include "export.h"
#include "text.h"
#include "walk.h"

#define FRAME_H 16
#define FONT_PX 12
#define PAD	10
#define TOP	60 /* title, controls */
#define BOTTOM	34 /* details line, drop note */
#define MIN_PX	0.1

/* Written by hand for this file; it reads only what write_frame() emits. */
static const char script[] =
    "<script type=\"text/ecmascript\"><![CDATA[\n"
    "'use strict';\n"
    "var frames = [], W = 0, details, matchedEl, zoomed = null, pattern = null;\n"
    "function nameOf(g) { return g.getAttribute('data-n'); }\n"
    "function init() {\n"
    "  W = +document.documentElement.getAttribute('data-w');\n"
    "  details = document.getElementById('details');\n"
    "  matchedEl = document.getElementById('matched');\n"
    "  var gs = document.querySelectorAll('g.f');\n"
    "  for (var i = 0; i < gs.length; i++) {\n"
    "    var g = gs[i], r = g.querySelector('rect');\n"
    "    frames.push({ g: g, r: r, t: g.querySelector('text'), o: +g.getAttribute('data-o'),\n"
    "      s: +g.getAttribute('data-s'), d: +g.getAttribute('data-d'),\n"
    "      x: +r.getAttribute('x'), w: +r.getAttribute('width'), fill: r.getAttribute('fill') });\n"
    "    g.addEventListener('click', onClick);\n"
    "    g.addEventListener('mouseover', onOver);\n"
    "    g.addEventListener('mouseout', function () { details.textContent = ' '; });\n"
    "  }\n"
    "  document.getElementById('reset').addEventListener('click', reset);\n"
    "  document.getElementById('search').addEventListener('click', function () {\n"
    "    if (pattern !== null) { search(null); return; }\n"
    "    var re = prompt('Search for (regular expression):', '');\n"
    "    if (re !== null && re !== '') search(re);\n"
    "  });\n"
    "  window.addEventListener('keydown', function (e) {\n"
    "    if ((e.ctrlKey && e.key === 'f') || e.key === '/') {\n"
    "      e.preventDefault(); document.getElementById('search').dispatchEvent(new "
    "Event('click'));\n"
    "    } else if (e.key === 'Escape') { search(null); }\n"
    "  });\n"
    "  frames.forEach(fit);\n"
    "  var s0 = document.documentElement.getAttribute('data-search');\n"
    "  if (s0) search(s0);\n"
    "}\n"
    "function byG(g) { for (var i = 0; i < frames.length; i++) if (frames[i].g === g) return "
    "frames[i]; return null; }\n"
    "function onClick(e) { zoom(byG(e.currentTarget)); }\n"
    "function onOver(e) { details.textContent = "
    "e.currentTarget.querySelector('title').textContent; }\n"
    "function fit(f) {\n"
    "  var w = +f.r.getAttribute('width'), n = Math.floor((w - 6) / 7), name = nameOf(f.g);\n"
    "  f.t.setAttribute('x', +f.r.getAttribute('x') + 3);\n"
    "  f.t.textContent = n < 3 ? '' : name.length <= n ? name : name.slice(0, n - 2) + '..';\n"
    "}\n"
    "function zoom(z) {\n"
    "  if (!z) return;\n"
    "  var scale = (W - 20) / z.s;\n"
    "  zoomed = z;\n"
    "  frames.forEach(function (f) {\n"
    "    var inside = f.d >= z.d && f.o >= z.o && f.o + f.s <= z.o + z.s;\n"
    "    var below = f.d < z.d && f.o <= z.o && f.o + f.s >= z.o + z.s;\n"
    "    f.g.style.display = inside || below ? '' : 'none';\n"
    "    f.g.classList.toggle('dim', below);\n"
    "    if (inside) { f.r.setAttribute('x', 10 + (f.o - z.o) * scale); f.r.setAttribute('width', "
    "f.s * scale); }\n"
    "    else if (below) { f.r.setAttribute('x', 10); f.r.setAttribute('width', W - 20); }\n"
    "    if (inside || below) fit(f);\n"
    "  });\n"
    "  document.getElementById('reset').style.opacity = 1;\n"
    "}\n"
    "function reset() {\n"
    "  zoomed = null;\n"
    "  frames.forEach(function (f) {\n"
    "    f.g.style.display = ''; f.g.classList.remove('dim');\n"
    "    f.r.setAttribute('x', f.x); f.r.setAttribute('width', f.w); fit(f);\n"
    "  });\n"
    "  document.getElementById('reset').style.opacity = 0.3;\n"
    "}\n"
    "function search(re) {\n"
    "  var rx = null;\n"
    "  if (re !== null) { try { rx = new RegExp(re); } catch (err) { matchedEl.textContent = 'bad "
    "regex: ' + err.message; return -1; } }\n"
    "  pattern = re;\n"
    "  var spans = [], total = 0, root = null;\n"
    "  frames.forEach(function (f) {\n"
    "    if (f.d === 0) root = f;\n"
    "    var hit = rx !== null && f.d > 0 && rx.test(nameOf(f.g));\n"
    "    f.r.setAttribute('fill', hit ? 'rgb(230,0,230)' : f.fill);\n"
    "    if (hit) spans.push([f.o, f.o + f.s]);\n"
    "  });\n"
    "  spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });\n"
    "  var end = -1;\n"
    "  spans.forEach(function (s) {\n"
    "    if (s[0] >= end) { total += s[1] - s[0]; end = s[1]; }\n"
    "    else if (s[1] > end) { total += s[1] - end; end = s[1]; }\n"
    "  });\n"
    "  var pct = root && root.s ? 100 * total / root.s : 0;\n"
    "  document.getElementById('search').textContent = rx ? 'Clear search' : 'Search';\n"
    "  matchedEl.textContent = rx ? 'Matched: ' + pct.toFixed(2) + '%' : '';\n"
    "  return pct;\n"
    "}\n"
    "window.addEventListener('load', init);\n"
    "]]></script>\n";

struct svg {
	FILE *f;
	struct trie *t;
	const struct export_opts *o;
	struct text_buf name;
	double scale; /* px per sample */
	uint64_t all;
};

/* The change of n's share, AFTER minus BEFORE, whichever side is drawn. */
static double change(const struct export_diff *d, const struct trie_node *n, bool by_total)
{
	double v = diff__delta(d->d, n, by_total);

	return (d->negate ? -v : v) + 0.0; /* + 0.0: no "-0.00" */
}

/* The terminal's colours for a diff: red grew, blue shrank, in the same steps of change. */
static uint32_t diff_colour(const struct svg *s, const struct trie_node *n)
{
	const struct export_diff *d = s->o->diff;
	int level = diff__level(d->d, n, d->by_total, d->negate, RENDER_SHADES);

	if (level > 0)
		return palette__rgb(palette_256_bg[ROLE_DIFF_UP][level - 1]);
	if (level < 0)
		return palette__rgb(palette_256_bg[ROLE_DIFF_DOWN][-level - 1]);
	return palette__rgb(palette_256_bg[ROLE_DIFF_SAME][0]);
}

static uint32_t colour(const struct svg *s, const struct trie_node *n)
{
	const char *name;
	enum color_role role;
	size_t len;

	if (!n->parent)
		return palette__rgb(palette_256_bg[ROLE_ROOT][0]);
	if (s->o->diff)
		return diff_colour(s, n);
	name = trie__name(s->t, n->name);
	len = trie__name_len(s->t, n->name);
	role = palette__kind_role(trie__kind(s->t, n->name));
	return palette__rgb(palette_256_bg[role][render__shade(name, len)]);
}

static int write_title(struct svg *s, const struct trie_node *n)
{
	static const char *const kinds[] = {"",		  " [kernel]", " [jit]",   " [root]",
					    " [unknown]", "",	       " [python]"};
	enum frame_kind k = n->parent ? trie__kind(s->t, n->name) : FRAME_SPECIAL;
	double share = s->all ? 100.0 * (double)n->total / (double)s->all : 0;

	if (n->parent) {
		if (text__xml(s->f, s->name.s, s->name.len))
			return -EIO;
	} else if (fputs("all", s->f) == EOF) {
		return -EIO;
	}
	if (fprintf(s->f, "%s (%" PRIu64 " samples, %.2f%%", k < FRAME_KIND_MAX ? kinds[k] : "",
		    n->total, share) < 0)
		return -EIO;
	if (s->o->diff) {
		const struct export_diff *d = s->o->diff;
		uint64_t ot = diff__other_samples(d->d, n, true);

		if (fprintf(s->f, "; %s %" PRIu64 " samples; share %+.2f%% total, %+.2f%% self",
			    d->negate ? "after" : "before", ot, 100.0 * change(d, n, true),
			    100.0 * change(d, n, false)) < 0)
			return -EIO;
	}
	return fputs(")", s->f) == EOF ? -EIO : 0;
}

static int write_frame(struct svg *s, const struct trie_node *n, uint64_t off, uint32_t levels)
{
	double x = PAD + (double)off * s->scale, w = (double)n->total * s->scale;
	double y = TOP + (double)(levels - 1 - n->depth) * FRAME_H;
	uint32_t rgb = colour(s, n);
	int chars = (int)((w - 6) / 7);

	if (n->parent) {
		if (text__name(&s->name, s->t, n->name))
			return -ENOMEM;
	} else {
		s->name.len = 0;
	}
	if (fprintf(s->f,
		    "<g class=\"f\" data-o=\"%" PRIu64 "\" data-s=\"%" PRIu64 "\" data-d=\"%" PRIu32
		    "\" data-n=\"",
		    off, n->total, n->depth) < 0)
		return -EIO;
	if (n->parent ? text__xml(s->f, s->name.s, s->name.len) : fputs("all", s->f) == EOF)
		return -EIO;
	if (fputs("\"><title>", s->f) == EOF || write_title(s, n))
		return -EIO;
	if (fprintf(s->f,
		    "</title><rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%d\" "
		    "fill=\"rgb(%u,%u,%u)\" rx=\"2\"/><text x=\"%.2f\" y=\"%.1f\">",
		    x, y, w, FRAME_H - 1, rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff, x + 3,
		    y + FRAME_H - 4.5) < 0)
		return -EIO;
	/* The script fits the names again on zoom; this is the first fit, for viewers
	 * that run no script. */
	if (chars >= 3) {
		const char *nm = n->parent ? s->name.s : "all";
		size_t len = n->parent ? s->name.len : 3, cut = len;

		if ((size_t)chars < len) {
			cut = (size_t)chars - 2;
			/* not inside a UTF-8 sequence */
			while (cut && ((unsigned char)nm[cut] & 0xc0) == 0x80)
				cut--;
		}
		if (text__xml(s->f, nm, cut) || (cut < len && fputs("..", s->f) == EOF))
			return -EIO;
	}
	return fputs("</text></g>\n", s->f) == EOF ? -EIO : 0;
}

/* One pass finds how deep the drawn frames go and how many are dropped. */
static int measure(const struct svg *s, uint32_t *ret_levels, uint64_t *ret_dropped,
		   uint64_t *ret_dropped_samples)
{
	const struct trie_node *n;
	struct walk w;
	uint32_t levels = 1;
	int rc;

	*ret_dropped = *ret_dropped_samples = 0;
	walk__init(&w, trie__root(s->t));
	while ((rc = walk__next(&w, &n)) > 0) {
		/* the root is always drawn, even for an empty profile */
		if (n->parent && (double)n->total * s->scale < MIN_PX) {
			(*ret_dropped)++;
			if ((double)n->parent->total * s->scale >= MIN_PX)
				*ret_dropped_samples += n->total;
			continue;
		}
		if (n->depth + 1 > levels)
			levels = n->depth + 1;
	}
	walk__fini(&w);
	*ret_levels = levels;
	return rc;
}

int export_svg__write(struct trie *t, const struct export_opts *o, FILE *f)
{
	struct svg s = {.f = f, .t = t, .o = o, .all = trie__total(t)};
	int width = o->svg_width > 0 ? o->svg_width : 1200, height, rc;
	uint64_t dropped, dropped_samples, *offs = NULL;
	const struct trie_node *n;
	uint32_t levels, cap = 0;
	struct walk w;

	trie__sort(t, TRIE_ORDER_NAME);
	s.scale = s.all ? (double)(width - 2 * PAD) / (double)s.all : 0;
	rc = measure(&s, &levels, &dropped, &dropped_samples);
	if (rc)
		return rc;
	height = TOP + (int)levels * FRAME_H + BOTTOM;
	if (fprintf(f,
		    "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		    "<svg version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		    "data-w=\"%d\" xmlns=\"http://www.w3.org/2000/svg\"",
		    width, height, width, height, width) < 0)
		return -EIO;
	if (o->search && *o->search) {
		/* the search the view had: the page opens with it applied */
		char *clean = malloc(4 * strlen(o->search) + 5);

		if (!clean)
			return -ENOMEM;
		formats__sanitize(clean, 4 * strlen(o->search) + 5, o->search, strlen(o->search));
		rc = fputs(" data-search=\"", f) == EOF ? -EIO : text__xml(f, clean, strlen(clean));
		free(clean);
		if (rc || fputs("\"", f) == EOF)
			return -EIO;
	}
	if (fprintf(f,
		    ">\n<style>text { font-family: monospace; font-size: %dpx; fill: #000; }\n"
		    "g.f { cursor: pointer; } g.f text { pointer-events: none; }\n"
		    "g.f:hover rect { stroke: #000; stroke-width: 0.5; }\n"
		    "g.dim { opacity: 0.5; } .ctl { cursor: pointer; fill: #333; }</style>\n",
		    FONT_PX) < 0)
		return -EIO;
	if (fputs(script, f) == EOF)
		return -EIO;
	if (fprintf(f,
		    "<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f8\"/>\n"
		    "<text x=\"%d\" y=\"24\" text-anchor=\"middle\" style=\"font-size:17px\">",
		    width / 2) < 0)
		return -EIO;
	{
		const char *title = o->title  ? o->title
				    : o->diff ? "Differential Flame Graph"
					      : "Flame Graph";
		char *clean = malloc(4 * strlen(title) + 5);

		if (!clean)
			return -ENOMEM;
		formats__sanitize(clean, 4 * strlen(title) + 5, title, strlen(title));
		rc = text__xml(f, clean, strlen(clean));
		free(clean);
		if (rc)
			return rc;
	}
	if (fprintf(f,
		    "</text>\n<text id=\"reset\" class=\"ctl\" x=\"%d\" y=\"48\" "
		    "style=\"opacity:0.3\">Reset Zoom</text>\n"
		    "<text id=\"search\" class=\"ctl\" x=\"%d\" y=\"48\" "
		    "text-anchor=\"end\">Search</text>\n"
		    "<text id=\"matched\" x=\"%d\" y=\"%d\" text-anchor=\"end\"></text>\n"
		    "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n",
		    PAD, width - PAD, width - PAD, height - 18, PAD, height - 18) < 0)
		return -EIO;
	if (dropped &&
	    fprintf(f,
		    "<text id=\"dropped\" x=\"%d\" y=\"%d\">%" PRIu64
		    " frames narrower than 0.1 px not drawn (%" PRIu64 " samples, %.2f%%)</text>\n",
		    PAD, height - 4, dropped, dropped_samples,
		    s.all ? 100.0 * (double)dropped_samples / (double)s.all : 0) < 0)
		return -EIO;
	/* Frames in pre-order; offs[d] is where the next child at depth d starts. */
	walk__init(&w, trie__root(t));
	while ((rc = walk__next(&w, &n)) > 0) {
		uint64_t off;

		if (n->depth + 2 > cap) {
			uint64_t *p = realloc(offs, (n->depth + 64) * sizeof(*p));

			if (!p) {
				rc = -ENOMEM;
				break;
			}
			offs = p;
			cap = n->depth + 64;
		}
		off = n->depth ? offs[n->depth] : 0;
		if (n->depth)
			offs[n->depth] += n->total;
		offs[n->depth + 1] = off;
		if (n->parent && (double)n->total * s.scale < MIN_PX)
			continue;
		rc = write_frame(&s, n, off, levels);
		if (rc)
			break;
	}
	walk__fini(&w);
	free(offs);
	text_buf__fini(&s.name);
	if (rc)
		return rc;
	return fputs("</svg>\n", f) == EOF ? -EIO : 0;
}
