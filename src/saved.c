// SPDX-License-Identifier: MIT
/* saved: a profile file loaded for `file` and `diff` (see saved.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "frameaddrs.h"
#include "saved.h"
#include "timeline.h"

int saved__load(struct saved *s, const char *path, unsigned long max_nodes, bool bound_names,
		bool count_samples, bool addrs)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->to_ns = UINT64_MAX;
	s->t = trie__new();
	s->tl = timeline__new();
	s->addrs = addrs ? frameaddrs__new() : NULL;
	if (!s->t || !s->tl || (addrs && !s->addrs)) {
		fprintf(stderr, "flametui: out of memory\n");
		saved__fini(s);
		return -1;
	}
	trie__set_max_nodes(s->t, max_nodes);
	/* Every node has one name; names of stacks cut into [overflow] must not grow unbounded. */
	if (bound_names)
		trie__set_max_names(s->t, 2 * (size_t)max_nodes + 64);
	s->io.count_samples = count_samples;
	s->io.tl = s->tl;
	s->io.addrs = s->addrs;
	if (formats__load_path_opts(path, s->t, &s->io, &s->ferr)) {
		fprintf(stderr, "flametui: %s\n", s->ferr.msg);
		saved__fini(s);
		return -1;
	}
	if (s->io.note[0])
		fprintf(stderr, "flametui: %s\n", s->io.note);
	if (s->ferr.note[0])
		fprintf(stderr, "flametui: %s\n", s->ferr.note);
	return 0;
}

const char *saved__name(const struct saved *s)
{
	return strcmp(s->path, "-") ? s->path : "stdin";
}

int saved__cut(struct saved *s, uint64_t from, uint64_t to)
{
	struct trie *r;
	long long n;

	if (!timeline__samples(s->tl)) {
		fprintf(stderr,
			"flametui: %s has no sample times: --from/--to need a recording or perf "
			"script text with times\n",
			strcmp(s->path, "-") ? formats__q(s->path) : "stdin");
		return -1;
	}
	r = trie__new();
	n = r ? timeline__range_trie(s->tl, s->t, from, to, r) : -ENOMEM;
	if (n < 0) {
		fprintf(stderr, "flametui: out of memory\n");
		trie__free(r);
		return -1;
	}
	s->names = s->t;
	s->t = r;
	s->cut = true;
	s->from_ns = from;
	s->to_ns = to;
	return 0;
}

bool saved__empty_reason(const struct saved *s, char *buf, size_t len)
{
	double from = (double)s->from_ns / 1e9, to = (double)s->to_ns / 1e9;
	double span = s->tl ? (double)timeline__span_ns(s->tl) / 1e9 : 0;

	if (trie__total(s->t))
		return false;
	if (!s->cut)
		snprintf(buf, len, "%s holds no samples",
			 strcmp(s->path, "-") ? formats__q(s->path) : "stdin");
	else if (s->to_ns == UINT64_MAX)
		snprintf(buf, len, "no samples after %g s (the profile spans %.1f s)", from, span);
	else
		snprintf(buf, len, "no samples between %g s and %g s (the profile spans %.1f s)",
			 from, to, span);
	return true;
}

void saved__export_opts(const struct saved *s, struct export_opts *eo)
{
	uint64_t span, end;

	if (s->io.period_ns)
		eo->period_ns = s->io.period_ns;
	eo->unit = s->io.unit;
	if (!s->tl || !timeline__samples(s->tl))
		return;
	eo->tl = s->tl;
	eo->tl_names = s->names ? s->names : s->t;
	eo->from_ns = s->from_ns;
	eo->to_ns = s->to_ns;
	/* pprof's time and duration: from the first sample (of the range) to the end of the last */
	span = timeline__span_ns(s->tl) + s->io.period_ns;
	end = s->to_ns < span ? s->to_ns : span;
	if (end > s->from_ns && end - s->from_ns <= INT64_MAX)
		eo->duration_ns = (int64_t)(end - s->from_ns);
	if (s->io.wall_ns && s->from_ns <= (uint64_t)(INT64_MAX - s->io.wall_ns))
		eo->time_ns = s->io.wall_ns + (int64_t)s->from_ns;
}

void saved__fini(struct saved *s)
{
	s->t = trie__free(s->t);
	s->names = trie__free(s->names);
	s->tl = timeline__free(s->tl);
	s->addrs = frameaddrs__free(s->addrs);
}
