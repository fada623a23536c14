/* SPDX-License-Identifier: MIT */
/*
 * perfscript: collapses `perf script` text into the trie line by line, in place, with the
 * rules of stackcollapse-perf.pl's default options, so that the same input gives the same
 * collapsed stacks (tests/formats/data/scp/ holds its outputs):
 * - a header is "COMM PID[/TID] ..." with the comm the shortest prefix followed by a PID field
 *   (spaces in it become '_'); its period and event are "...: [PERIOD] EVENT:" at the end;
 * - each sample weighs its period (1 when none is printed), and only samples of the first
 *   event seen are kept;
 * - a frame "ADDR SYM+0xOFF (DSO)" is named SYM without the offset, split at "->" (inline
 *   chains, "_[i]" after the first), with everything from the first '(' on dropped (but not
 *   "(anonymous namespace)" nor Go's "pkg.(*T).M"), quotes dropped, "[unknown]" named after
 *   its DSO ("[dash]"), Java's "Lpkg/C;.m(I)V" as "pkg/C:.m" in comms starting "java", and a
 *   symbol that starts with '(' skipped.
 * Where the script gives up (a header without a PID, frames without a DSO, perf script without
 * -g that prints the one frame on the header line, comms right-aligned by old perf), the parser
 * goes on: the comm is then the text before the first field that can only follow it.
 */
#include "perfscript.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frameaddrs.h"
#include "perftext.h"
#include "timeline.h"
#include "trie.h"

#define EVENT_MAX 64
struct perfscript_parser {
	struct trie *t; /* borrowed */
	uint32_t *ids;	/* owned: [0] is the comm, then frames innermost first */
	size_t n, cap;	/* n counts ids[0] */
	bool open;	/* a sample is being collected */
	bool has_comm;
	bool cut;   /* a name of this sample was refused (name bound): it goes to [overflow] */
	char *name; /* owned scratch for normalised names */
	size_t name_cap;
	size_t samples;
	uint64_t weight; /* of the open sample */
	bool count_samples;
	bool skip;	       /* the open sample is of another event: its frames are dropped */
	bool java;	       /* the comm starts with "java": Java names are tidied */
	char event[EVENT_MAX]; /* the event kept ("" until the first header names one) */
	char other[EVENT_MAX]; /* the first other event seen */
	size_t skipped;	       /* samples of other events */
	bool others;	       /* of more than one other event */
	bool weighed;	       /* some sample had a period */
	char unit[EVENT_MAX + 8];
	char note[2 * EVENT_MAX + 192];
	const char *why;
	struct timeline *tl; /* borrowed, may be NULL */
	uint64_t ns;	     /* the open sample's time */
	bool has_time;
	struct frameaddrs *fa; /* borrowed, may be NULL: where in their binaries frames were */
	char path[4096];       /* the last binary's path, NUL-terminated for fa */
	int bin;	       /* its bin in fa, or -1 */
	size_t nuser;	       /* user frame lines of the open sample so far */
};

static bool next_token(const char *s, size_t len, size_t *pos, struct span *tok)
{
	size_t i = *pos, start;

	while (i < len && is_blank(s[i]))
		i++;
	if (i >= len)
		return false;
	start = i;
	while (i < len && !is_blank(s[i]))
		i++;
	tok->s = s + start;
	tok->len = i - start;
	*pos = i;
	return true;
}

static bool tok_digits(struct span t)
{
	return t.len > 0 && digits(t.s, t.len) == t.len;
}

static bool tok_pidtid(struct span t)
{
	size_t a = digits(t.s, t.len);

	return a > 0 && a + 1 < t.len && t.s[a] == '/' &&
	       digits(t.s + a + 1, t.len - a - 1) == t.len - a - 1;
}

static bool tok_cpu(struct span t)
{
	return t.len >= 3 && t.s[0] == '[' && t.s[t.len - 1] == ']' &&
	       digits(t.s + 1, t.len - 2) == t.len - 2;
}

/* "2048.841723:" (the colon is absent in a few -F combinations). */
static bool tok_time(struct span t)
{
	size_t a = digits(t.s, t.len), len = t.len;

	if (len > 0 && t.s[len - 1] == ':')
		len--;
	return a > 0 && a + 1 < len && t.s[a] == '.' && digits(t.s + a + 1, len - a - 1) == len - a - 1;
}

static bool tok_event(struct span t)
{
	return t.len > 1 && t.s[t.len - 1] == ':';
}

void perfscript__header_comm(const char *line, size_t len, size_t *ret_off, size_t *ret_len)
{
	struct span tok, first, next;
	size_t pos = 0, end, peek;

	len = trim_end(line, len);
	if (!next_token(line, len, &pos, &first)) {
		*ret_off = 0;
		*ret_len = 0;
		return;
	}
	end = pos;
	while (next_token(line, len, &pos, &tok)) {
		if (tok_pidtid(tok) || tok_cpu(tok) || tok_time(tok) || tok_event(tok))
			break;
		if (tok_digits(tok)) {
			peek = pos;
			if (!next_token(line, len, &peek, &next) || tok_cpu(next) || tok_time(next) ||
			    tok_event(next))
				break;
			/* "comm pid period event:" (-F comm,tid,period,event) */
			if (tok_digits(next) && next_token(line, len, &peek, &next) && tok_event(next))
				break;
		}
		end = pos;
	}
	*ret_off = (size_t)(first.s - line);
	*ret_len = end - *ret_off;
}

static bool ref_header(const char *s, size_t len, size_t *ret_comm, size_t *ret_after);

bool perfscript__starts_sample(const char *line, size_t len, const char *next, size_t next_len)
{
	size_t clen, after;

	return ref_header(line, len, &clen, &after) && perfscript__looks_like_frame(next, next_len);
}

bool perfscript__looks_like_header(const char *line, size_t len)
{
	struct span tok;
	size_t pos = 0;

	len = trim_end(line, len);
	if (len == 0 || line[0] == '\t' || !next_token(line, len, &pos, &tok))
		return false;
	while (next_token(line, len, &pos, &tok))
		if (tok_pidtid(tok) || tok_cpu(tok) || tok_time(tok))
			return true;
	return false;
}

struct perfscript_parser *perfscript_parser__new(struct trie *t)
{
	struct perfscript_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->t = t;
	p->cap = 128;
	p->ids = malloc(p->cap * sizeof(*p->ids));
	if (!p->ids) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->n = 1; /* ids[0] is reserved for the comm */
	p->weight = 1;
	return p;
}

struct perfscript_parser *perfscript_parser__free(struct perfscript_parser *p)
{
	if (!p)
		return NULL;
	free(p->ids);
	free(p->name);
	free(p);
	return NULL;
}

void perfscript_parser__count_samples(struct perfscript_parser *p, bool on)
{
	p->count_samples = on;
}

const char *perfscript_parser__why(const struct perfscript_parser *p)
{
	return p->why ? p->why : "malformed line";
}

size_t perfscript_parser__samples(const struct perfscript_parser *p)
{
	return p->samples;
}

/* "cpu-clock:ppp" -> "cpu-clock": the modifiers perf accepts after an event name. */
static size_t event_base(const char *e, size_t len)
{
	const char *colon = memrchr(e, ':', len);

	if (!colon || colon == e)
		return len;
	for (const char *c = colon + 1; c < e + len; c++)
		if (!strchr("ukhIGHpPSDWeb", *c))
			return len;
	return (size_t)(colon - e);
}

const char *perfscript_parser__unit(struct perfscript_parser *p)
{
	size_t n = event_base(p->event, strlen(p->event));

	if (p->count_samples || !p->weighed || n == 0)
		return "samples";
	/* the software clocks count nanoseconds */
	if ((n == 9 && !memcmp(p->event, "cpu-clock", 9)) ||
	    (n == 10 && !memcmp(p->event, "task-clock", 10)))
		snprintf(p->unit, sizeof(p->unit), "ns of %.*s", (int)n, p->event);
	else
		snprintf(p->unit, sizeof(p->unit), "%.*s", (int)n, p->event);
	return p->unit;
}

const char *perfscript_parser__note(struct perfscript_parser *p)
{
	if (!p->skipped)
		return NULL;
	snprintf(p->note, sizeof(p->note),
		 "only the first event, %s, is shown: %zu samples of %s%s were left out (mixing "
		 "events misleads; record one with perf record -e EVENT)", p->event, p->skipped,
		 p->other, p->others ? " and other events" : "");
	return p->note;
}

static int push(struct perfscript_parser *p, uint32_t id)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 128;
		uint32_t *ids = realloc(p->ids, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		p->ids = ids;
		p->cap = cap;
	}
	p->ids[p->n++] = id;
	return 0;
}

static int flush(struct perfscript_parser *p)
{
	uint64_t w = p->count_samples ? 1 : p->weight;
	size_t i, j;
	int err;

	p->skip = false;
	if (!p->open)
		return 0;
	/* Frames came innermost first; the trie wants the root first. */
	for (i = 1, j = p->n - 1; i < j; i++, j--) {
		uint32_t tmp = p->ids[i];

		p->ids[i] = p->ids[j];
		p->ids[j] = tmp;
	}
	if (trie__total(p->t) > UINT64_MAX - w) {
		p->why = "sample counts overflow";
		return -EOVERFLOW;
	}
	if (p->cut)
		err = trie__add_overflow(p->t, w);
	else if (p->has_comm)
		err = trie__add(p->t, p->ids, p->n, w);
	else
		err = trie__add(p->t, p->ids + 1, p->n - 1, w);
	if (!err && p->tl && p->has_time) {
		uint32_t id = p->has_comm ? timeline__stack_id(p->tl, p->ids, p->n) :
					    timeline__stack_id(p->tl, p->ids + 1, p->n - 1);

		err = id == TIMELINE_NO_STACK ? -ENOMEM : timeline__add_weighted(p->tl, p->ns, id, w);
	}
	if (err)
		return err;
	p->has_time = false;
	p->samples++;
	p->open = false;
	p->has_comm = false;
	p->cut = false;
	p->n = 1;
	p->weight = 1;
	return 0;
}

/* Makes the name scratch buffer at least `need` bytes. */
static int scratch(struct perfscript_parser *p, size_t need)
{
	char *name;
	size_t cap = p->name_cap ? p->name_cap : 256;

	if (need <= p->name_cap)
		return 0;
	while (cap < need)
		cap *= 2;
	name = realloc(p->name, cap);
	if (!name)
		return -ENOMEM;
	p->name = name;
	p->name_cap = cap;
	return 0;
}

void perfscript_parser__set_timeline(struct perfscript_parser *p, struct timeline *tl)
{
	p->tl = tl;
}

/* The first "SECONDS.FRACTION:" field after the comm, in ns. */
static bool header_time(const char *line, size_t len, size_t from, uint64_t *ret_ns)
{
	struct span tok;
	size_t pos = from;

	len = trim_end(line, len);
	while (next_token(line, len, &pos, &tok)) {
		uint64_t sec = 0, frac = 0, scale = TIMELINE_NS;
		size_t i = 0;

		if (!tok_time(tok))
			continue;
		for (; tok.s[i] != '.'; i++) {
			if (sec > UINT64_MAX / 10 / TIMELINE_NS)
				return false;
			sec = sec * 10 + (uint64_t)(tok.s[i] - '0');
		}
		for (i++; i < tok.len && is_digit(tok.s[i]); i++) {
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(tok.s[i] - '0') * scale;
			}
		}
		*ret_ns = sec * TIMELINE_NS + frac;
		return true;
	}
	return false;
}

/*
 * stackcollapse-perf.pl's header, `^(\S.+?)\s+(\d+)` then optional slashes and digits, then
 * `\s+`: the comm is the shortest
 * prefix of two characters or more followed by blanks, a "PID" or "PID/TID" field and a blank.
 * Sets the comm's length and where the field ends.
 */
static bool ref_header(const char *s, size_t len, size_t *ret_comm, size_t *ret_after)
{
	if (len < 2 || is_blank(s[0]))
		return false;
	for (size_t e = 2; e < len; e++) {
		size_t i = e, d;

		if (!is_blank(s[e]))
			continue;
		while (i < len && is_blank(s[i]))
			i++;
		d = digits(s + i, len - i);
		if (d == 0)
			continue;
		i += d;
		while (i < len && s[i] == '/')
			i++;
		i += digits(s + i, len - i);
		if (i < len && is_blank(s[i])) {
			*ret_comm = e;
			*ret_after = i;
			return true;
		}
	}
	return false;
}

static int parse_period(struct span d, uint64_t *ret)
{
	uint64_t v = 0;

	for (size_t i = 0; i < d.len; i++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -EOVERFLOW;
		v = v * 10 + (uint64_t)(d.s[i] - '0');
	}
	*ret = v;
	return 0;
}

/*
 * stackcollapse-perf.pl's event, `:\s*(\d+)*\s+(\S+):\s*$`: the line ends with "EVENT:",
 * after a ':' (the time's) and an optional period. Sets the event and the period (empty when
 * none is printed).
 */
static bool ref_event(const char *s, size_t len, struct span *ret_event, struct span *ret_period)
{
	size_t b, pe, pb, c;

	len = trim_end(s, len);
	b = len;
	while (b > 0 && !is_blank(s[b - 1]))
		b--;
	if (len - b < 2 || s[len - 1] != ':' || b == 0)
		return false;
	*ret_event = (struct span){ s + b, len - b - 1 };
	pe = trim_end(s, b);
	if (pe > 0 && s[pe - 1] == ':') {
		*ret_period = (struct span){ s + pe, 0 };
		return true;
	}
	pb = pe;
	while (pb > 0 && is_digit(s[pb - 1]))
		pb--;
	c = trim_end(s, pb);
	if (pb == pe || c == 0 || s[c - 1] != ':')
		return false;
	*ret_period = (struct span){ s + pb, pe - pb };
	return true;
}

/*
 * perf script without -g prints the one frame on the header line, after the event:
 * "comm 12 [000] 1.5: 250000 cycles:u:  55d0c1a0 main+0x10 (/usr/bin/perl)". Finds the event
 * (the first field after `from` ending in ':' that is not the time) and where the frame starts.
 */
static bool nog_event(const char *s, size_t len, size_t from, struct span *ret_event,
		      struct span *ret_period, size_t *ret_frame)
{
	struct span tok, prev = { s, 0 };
	size_t pos = from;

	while (next_token(s, len, &pos, &tok)) {
		if (tok_event(tok) && !tok_time(tok)) {
			if (!perfscript__looks_like_frame(s + pos, len - pos))
				return false;
			*ret_event = (struct span){ tok.s, tok.len - 1 };
			*ret_period = tok_digits(prev) ? prev : (struct span){ s, 0 };
			*ret_frame = pos;
			return true;
		}
		prev = tok;
	}
	return false;
}

/* Keeps the sample when it is of the first event seen; counts it out when not. */
static bool keep_event(struct perfscript_parser *p, struct span ev)
{
	if (ev.len >= EVENT_MAX)
		ev.len = EVENT_MAX - 1;
	if (!p->event[0]) {
		memcpy(p->event, ev.s, ev.len);
		p->event[ev.len] = '\0';
		return true;
	}
	if (strlen(p->event) == ev.len && !memcmp(p->event, ev.s, ev.len))
		return true;
	if (!p->other[0]) {
		memcpy(p->other, ev.s, ev.len);
		p->other[ev.len] = '\0';
	} else if (strlen(p->other) != ev.len || memcmp(p->other, ev.s, ev.len)) {
		p->others = true;
	}
	p->skipped++;
	return false;
}

#define NOT_FRAME 1
static int frame(struct perfscript_parser *p, const char *line, size_t len);
static int frame_bin(struct perfscript_parser *p, const struct perfscript_where *w);

static int header(struct perfscript_parser *p, const char *line, size_t len, size_t raw_len)
{
	size_t lead = 0, off, clen, after, at = 0;
	struct span ev, period = { line, 0 };
	bool has_event, one_frame = false;
	uint32_t id;
	int err = flush(p);

	if (err)
		return err;
	while (lead < len && is_blank(line[lead]))
		lead++;
	if (ref_header(line + lead, raw_len - lead, &clen, &after)) {
		off = lead;
		after += lead;
	} else {
		perfscript__header_comm(line, len, &off, &clen);
		after = off + clen;
	}
	has_event = ref_event(line, len, &ev, &period);
	if (!has_event && nog_event(line, len, after, &ev, &period, &at))
		has_event = one_frame = true;
	if (has_event && !keep_event(p, ev)) {
		p->skip = true;
		return 0;
	}
	p->weight = 1;
	if (period.len > 0) {
		if (parse_period(period, &p->weight)) {
			p->why = "a period over 2^64";
			return -EOVERFLOW;
		}
		p->weighed = true;
		if (p->weight == 0)
			p->weight = 1; /* as stackcollapse-perf.pl counts it */
	}
	if (scratch(p, clen + 1))
		return -ENOMEM;
	for (size_t i = 0; i < clen; i++) {
		char c = line[off + i];

		p->name[i] = c == ';' ? ':' : c == ' ' ? '_' : c;
	}
	id = trie__intern(p->t, p->name, clen, FRAME_ROOT);
	if (id == TRIE_NO_NAME && errno != ENOSPC)
		return -ENOMEM;
	/* Past the name bound (--max-nodes) the whole sample goes to [overflow]. */
	p->cut = id == TRIE_NO_NAME;
	p->java = clen >= 4 && !memcmp(line + off, "java", 4);
	p->ids[0] = id;
	p->has_comm = true;
	p->open = true;
	p->nuser = 0;
	p->has_time = p->tl && header_time(line, len, off + clen, &p->ns);
	return one_frame ? frame(p, line + at, len - at) : 0;
}

/* Adds a frame line to the open sample: 0, NOT_FRAME (nothing done) or -errno. The line is
 * parsed once: naming it is what tells whether it is a frame. */
static int frame(struct perfscript_parser *p, const char *line, size_t len)
{
	struct perfscript_where where;
	const char *name;
	int kind, bin;
	long n;

	if (p->skip)
		return perfscript__looks_like_frame(line, len) ? 0 : NOT_FRAME;
	n = perfscript__frame_name_at(line, len, p->java, p->name, p->name_cap, &kind, &where);
	if (n < 0)
		return NOT_FRAME;
	if ((size_t)n > p->name_cap) {
		if (scratch(p, (size_t)n))
			return -ENOMEM;
		n = perfscript__frame_name(line, len, p->java, p->name, p->name_cap, &kind);
	}
	bin = p->fa && where.path ? frame_bin(p, &where) : -1;
	/* below the innermost user frame, perf prints return addresses: as live, addr - 1 lands
	 * in the call instruction (a call to a noreturn function ends its caller) */
	if (bin >= 0 && p->nuser)
		where.offset--;
	if (kind != FRAME_KERNEL)
		p->nuser++;
	p->open = true;
	if (p->cut)
		return 0;
	/* An inline chain "a;b_[i]" is outermost first: push its pieces innermost first. */
	name = p->name;
	while (n > 0) {
		const char *semi = memrchr(name, ';', (size_t)n);
		size_t start = semi ? (size_t)(semi - name) + 1 : 0;
		uint32_t id = trie__intern(p->t, name + start, (size_t)n - start,
					   (enum frame_kind)kind);
		int err;

		if (id == TRIE_NO_NAME && errno == ENOSPC) {
			/* past the name bound (--max-nodes): the sample goes to [overflow] */
			p->cut = true;
			return 0;
		}
		if (id == TRIE_NO_NAME)
			return -ENOMEM;
		if (trie__module(p->t, id) == TRIE_MODULE_NONE)
			trie__set_module(p->t, id, perfscript__frame_module(p->t, line, len));
		/* each frame of an inline chain is at the address */
		if (bin >= 0)
			frameaddrs__add(p->fa, frameaddrs__key(name + start, (size_t)n - start, kind),
					bin, where.offset, p->count_samples ? 1 : p->weight);
		err = push(p, id);
		if (err)
			return err;
		n = semi ? (long)(semi - name) : 0;
	}
	return 0;
}

int perfscript_parser__line(struct perfscript_parser *p, const char *line, size_t len)
{
	size_t raw_len = len;
	int err;

	len = trim_end(line, len);
	if (len == 0)
		return flush(p);
	if (line[0] == '#')
		return 0;
	if (line[0] == '\t') {
		err = frame(p, line, len);
		if (err != NOT_FRAME)
			return err;
		p->why = "not a perf script frame line (\"\\tADDRESS SYMBOL (DSO)\")";
		return -EINVAL;
	}
	if (line[0] != ' ') {
		/* the script's order: its header shape, a frame, then anything else as a header */
		size_t clen, after;

		if (!ref_header(line, raw_len, &clen, &after) &&
		    (err = frame(p, line, len)) != NOT_FRAME)
			return err;
		return header(p, line, len, raw_len);
	}
	if (perfscript__looks_like_header(line, len))
		return header(p, line, len, raw_len);
	err = frame(p, line, len);
	if (err != NOT_FRAME)
		return err;
	/* Extra lines perf prints under a frame (srcline, -F +srcline) are indented by spaces. */
	if ((p->open && p->n > 1) || p->skip)
		return 0;
	p->why = "not a perf script line";
	return -EINVAL;
}

/* The frame's binary in fa: the same as the last frame's is one compare. */
static int frame_bin(struct perfscript_parser *p, const struct perfscript_where *w)
{
	if (p->bin >= 0 && !strncmp(p->path, w->path, w->path_len) && !p->path[w->path_len])
		return p->bin;
	memcpy(p->path, w->path, w->path_len);
	p->path[w->path_len] = '\0';
	p->bin = frameaddrs__bin(p->fa, p->path);
	return p->bin;
}

void perfscript_parser__set_addrs(struct perfscript_parser *p, struct frameaddrs *fa)
{
	p->fa = fa;
	p->bin = -1;
}

int perfscript_parser__finish(struct perfscript_parser *p)
{
	return flush(p);
}
