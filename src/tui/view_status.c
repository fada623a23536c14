// SPDX-License-Identifier: MIT
/*
 * The header and the status line: what is shown, the selected frame and its share, a diff's
 * change.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../diff.h"
#include "view_impl.h"

void view_line(struct cellbuf *b, int y, enum color_role role, const char *text)
{
	cellbuf__fill(b, 0, y, b->w, ' ', role, 0);
	render__text(b, 0, y, b->w, text, strlen(text), role, 0);
}

/* What the counts are: "samples" unless the source says otherwise ("ns of cpu-clock"). */
const char *view_unit(const struct view *v)
{
	return v->info && v->info->unit ? v->info->unit : "samples";
}

void view_draw_header(struct view *v, struct cellbuf *b)
{
	const char *live = v->live && v->live->header ? v->live->header(v->live->ctx) : NULL;
	const char *help = "? help  q quit ";
	const char *source = v->info && v->info->source ? v->info->source : "";
	char text[512], samples[256];
	int hw = (int)strlen(help), room;
	size_t len = strlen(source), cut = 0;

	/* the range or the map's scale right after the count, before drops and live state */
	const char *timed = v->heat_mode ? v->heat_scale : v->range ? v->range_text : "";
	char kind[200];

	view_label(v, kind, sizeof(kind));
	/* The view's name and the sample count must stay in view: a long source (a file path)
	 * gives up its start. */
	snprintf(samples, sizeof(samples), " | %" PRIu64 " %s%s%s",
		 trie__total(v->range ? v->range : v->src), view_unit(v), timed[0] ? " | " : "",
		 timed);
	room = b->w - (b->w > hw + 20 ? hw + 1 : 0) - (int)strlen(" flametui | ") -
	       (int)strlen(samples) - (int)strlen(kind);
	if (room < 8)
		room = 8;
	if (render__text_width(b, source, len, room) > room) {
		/* keep the end (the file name), after an ellipsis */
		while (cut < len && render__text_width(b, source + cut, len - cut, room) >
					    room - (b->ascii ? 3 : 1)) {
			cut++;
			while (cut < len && ((unsigned char)source[cut] & 0xc0) == 0x80)
				cut++;
		}
	}
	snprintf(text, sizeof(text), " flametui%s | %s%s%s%s%s%s%s", kind,
		 cut ? (b->ascii ? "..." : "…") : "", source + cut,
		 samples, v->info && v->info->drops_text ? " | " : "",
		 v->info && v->info->drops_text ? v->info->drops_text : "", live ? " | " : "",
		 live ? live : "");
	view_line(b, 0, ROLE_HEADER, text);
	if (b->w > hw + 20) {
		cellbuf__fill(b, b->w - hw - 1, 0, hw + 1, ' ', ROLE_HEADER, 0);
		render__text(b, b->w - hw, 0, hw, help, (size_t)hw, ROLE_HEADER, 0);
	}
}

/* The change of n's share (a node of the trie shown), AFTER minus BEFORE whichever side is
 * shown. */
static double change(const struct view *v, const struct trie_node *n, bool by_total)
{
	const struct trie *other;
	const struct diff *dd = view_diff_of(v, v->t, &other);
	double c = dd ? diff__delta(dd, n, by_total) : 0;

	return (v->info->diff->negate ? -c : c) + 0.0; /* + 0.0: no "-0.00" */
}

static int level(const struct view *v, const struct trie *t, const struct trie_node *n)
{
	const struct tui_diff *d = v->info->diff;
	const struct trie *other;
	const struct diff *dd = view_diff_of(v, t, &other);

	return dd ? diff__level(dd, n, d->by_total, d->negate, RENDER_SHADES) : 0;
}

/* render_graph.change: the strength of a frame's change against the largest one, 1..8. */
int view_change_level(void *ctx, const struct trie_node *n)
{
	const struct view *v = ctx;

	return level(v, v->t, n);
}

int view_change_level_other(void *ctx, const struct trie_node *n)
{
	const struct view *v = ctx;

	return level(v, v->other, n);
}

/* The status line of a diff: both sides' samples and shares, and the change. */
static void diff_status(struct view *v, const struct layout_rect *r, const char *match,
			char *text, size_t cap)
{
	const struct tui_diff *d = v->info->diff;
	const struct trie *ot = d->other;
	const struct diff *dd = view_diff_of(v, v->t, &ot);
	uint64_t shown = r->node->total, other = dd ? diff__other_samples(dd, r->node, true) : 0;
	uint64_t all = trie__total(v->t), oall = trie__total(ot);
	uint64_t before = d->negate ? shown : other, after = d->negate ? other : shown;
	uint64_t ball = d->negate ? all : oall, aall = d->negate ? oall : all;

	snprintf(text, cap,
		 "before %" PRIu64 " (%.2f%%) after %" PRIu64 " (%.2f%%) | total %+.2f, self %+.2f "
		 "pts | colour by %s (B)%s%s",
		 before, view_pct(before, ball), after, view_pct(after, aall),
		 100.0 * change(v, r->node, true), 100.0 * change(v, r->node, false),
		 d->by_total ? "total" : "self",
		 v->nzoom ? " | zoomed" : "", match);
}

/* The search's matched samples in the zoom: in the run's frames alone for a zoom into a run. */
static uint64_t zoom_matched(const struct view *v)
{
	const struct path *z = &v->zooms[v->nzoom - 1];
	uint64_t m = 0;

	if (v->zoom_total == v->zoom->total || search__match(v->search, v->zoom->name))
		return search__matched(v->search, v->zoom) < v->zoom_total ?
			       search__matched(v->search, v->zoom) : v->zoom_total;
	for (uint32_t i = 0; i < v->zoom->nchildren; i++) {
		uint32_t name = trie_children(v->zoom)[i]->name, lo = 0, hi = z->nrun;

		while (lo < hi) { /* z->run is ascending */
			uint32_t mid = lo + (hi - lo) / 2;

			if (z->run[mid] < name)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < z->nrun && z->run[lo] == name)
			m += search__matched(v->search, trie_children(v->zoom)[i]);
	}
	return m;
}

/*
 * Where the selected node's own samples were, when its frame has several addresses: "path at
 * gzip+0x4308" where they all came from one, else "path: 3 addresses, hottest gzip+0x4308 40%".
 */
static size_t path_addr(const struct view *v, const struct trie_node *node, char *buf,
			size_t len, size_t cap)
{
	struct tui_frame_addr a;
	char bin[256];

	if (!v->info->path_addr || len >= cap ||
	    v->info->path_addr(v->info->frame_addr_ctx, v->t, node, &a))
		return len;
	view_binary(v, node->name, bin, sizeof(bin));
	if (a.addrs == 1 && !a.partial)
		return len + (size_t)snprintf(buf + len, cap - len, " | path at %s+0x%" PRIx64, bin,
					      a.offset);
	return len + (size_t)snprintf(buf + len, cap - len,
				      " | path: %" PRIu32 "%s addresses, hottest %s+0x%" PRIx64
				      " %.0f%%", a.addrs, a.partial ? "+" : "", bin, a.offset,
				      view_pct(a.samples, a.total));
}

/*
 * A frame named after its binary ("[gzip]") stands for all of the binary's unnamed code: the
 * binary text becomes "gzip+0x4883" where the frame has one address, and names the hottest of
 * several ("gzip (505 addresses, hottest +0x4883 12%)"), then the selected path's (path_addr).
 */
static void frame_addr(const struct view *v, const struct trie_node *node, enum frame_kind k,
		       char *binary, size_t cap)
{
	uint32_t name = node->name;
	struct tui_frame_addr a;
	size_t len = strlen(binary);

	if (!v->info || !v->info->frame_addr ||
	    v->info->frame_addr(v->info->frame_addr_ctx, trie__name(v->t, name),
				trie__name_len(v->t, name), trie__kind(v->t, name), &a))
		return;
	if (k == FRAME_UNKNOWN && len && a.addrs == 1 && !a.partial)
		len += (size_t)snprintf(binary + len, cap - len, "+0x%" PRIx64, a.offset);
	else if (k == FRAME_UNKNOWN && len)
		len = path_addr(v, node, binary,
				len + (size_t)snprintf(binary + len, cap - len,
						       " (%" PRIu32 "%s addresses, hottest +0x%" PRIx64
						       " %.0f%%)", a.addrs, a.partial ? "+" : "",
						       a.offset, view_pct(a.samples, a.total)),
				cap);
	/* where DWARF lines exist: the hottest address's source line (L lists them all) */
	if (a.where[0] && len < cap)
		snprintf(binary + len, cap - len, "%s%s", len ? " | " : "", a.where);
}

void view_binary(const struct view *v, uint32_t name, char *buf, size_t cap)
{
	size_t len;
	const char *s = trie__module_name(v->t, trie__module(v->t, name), &len);

	snprintf(buf, cap, "%.*s", (int)(len < cap ? len : cap - 1), s);
}

void view_draw_status(struct view *v, struct cellbuf *b)
{
	const struct layout_rect *r = layout__rect(v->lay, (size_t)v->sel_rect);
	uint64_t all = trie__total(v->src), ztotal = v->zoom ? v->zoom_total : 0;
	static const char *const kinds[] = { "", " [kernel]", " [jit]", " [root]", " [unknown]",
					     "", " [python]" };
	char text[640], match[128] = "", binary[320] = "", note[128] = "";
	int y = PROMPT_ROW(b->h);

	cellbuf__fill(b, 0, y - 1, b->w, ' ', ROLE_STATUS, 0);
	if (r && (r->flags & LAYOUT_MERGED)) {
		snprintf(text, sizeof(text), "[%" PRIu32 " frames merged: each narrower than a cell]",
			 r->nmerged);
		render__text(b, 0, y - 1, b->w, text, strlen(text), ROLE_STATUS, 0);
	} else if (r && r->node->parent) {
		render__text(b, 0, y - 1, b->w, trie__name(v->t, r->node->name),
			     trie__name_len(v->t, r->node->name), ROLE_STATUS, 0);
	} else if (r) {
		render__text(b, 0, y - 1, b->w, "all", 3, ROLE_STATUS, 0);
	}
	if (v->prompt || v->msg[0]) {
		view_draw_prompt_or_msg(v, b, y);
		return;
	}
	if (search__active(v->search)) {
		uint64_t m = search__matched(v->search, trie__root(v->t));

		snprintf(match, sizeof(match), " | Matched: %.2f%%", view_pct(m, all));
		if (v->nzoom)
			snprintf(match + strlen(match), sizeof(match) - strlen(match),
				 " (%.2f%% of zoom)", view_pct(zoom_matched(v), ztotal));
	}
	if (!r) {
		snprintf(text, sizeof(text), "%s", match);
	} else if (v->info && v->info->diff && !(r->flags & LAYOUT_MERGED)) {
		diff_status(v, r, match, text, sizeof(text));
	} else {
		enum frame_kind k = r->node->parent && !(r->flags & LAYOUT_MERGED) ?
					    trie__kind(v->t, r->node->name) :
					    FRAME_SPECIAL;

		if (k != FRAME_ROOT && k != FRAME_SPECIAL &&
		    (trie__modules(v->t) > 2 || (v->info && v->info->binary_note)))
			view_binary(v, r->node->name, binary, sizeof(binary));
		if (k != FRAME_ROOT && k != FRAME_SPECIAL)
			frame_addr(v, r->node, k, binary, sizeof(binary));
		/* the input does not say: not silently "[unknown]" (last: the rest matters more) */
		if (binary[0] && trie__module(v->t, r->node->name) == TRIE_MODULE_NONE && v->info &&
		    v->info->binary_note)
			snprintf(note, sizeof(note), " | %s", v->info->binary_note);
		snprintf(text, sizeof(text),
			 "%" PRIu64 " %s, %.2f%% of all, %.2f%% of zoom%s%s%s%s%s%s", r->samples,
			 view_unit(v), view_pct(r->samples, all), view_pct(r->samples, ztotal),
			 k < FRAME_KIND_MAX ? kinds[k] : "", binary[0] ? " | in " : "", binary,
			 v->nzoom ? " | zoomed" : "", match, note);
	}
	view_line(b, y, ROLE_STATUS, text);
}
