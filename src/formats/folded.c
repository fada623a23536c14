/* SPDX-License-Identifier: MIT */
/*
 * folded: parses collapsed-stack lines in place (no per-line allocation). Lines are counted
 * into a stackcache by their stack text and reach the trie (split, interned, added) once per
 * distinct stack when the cache drains: files repeat the same stacks a lot, and the trie walk
 * is what costs. A file whose stacks do not repeat skips the cache (it would only copy them).
 * The frame id array is reused and only grows with the deepest stack.
 */
#include "folded.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "addpipe.h"
#include "namehash.h"
#include "stackcache.h"
#include "trie.h"

struct folded_parser {
	struct trie *t; /* borrowed */
	struct stackcache *cache; /* owned */
	struct addpipe *pipe; /* owned: the trie walk runs in a second thread */
	uint64_t fed; /* samples in the trie, the cache and the pipe: the overflow check */
	uint32_t *ids;	/* owned, reused for every line */
	struct trie_key *keys; /* owned: the frames of the line, before they have ids */
	uint32_t *hashes; /* owned: each key's namehash() */
	size_t *ends;	/* owned: where each id's frame ends in the stack (its ';' or the end) */
	size_t cap;
	/* The previous stack's text: stacks arrive in file order and sorted files share long
	 * prefixes, so the frames in the common prefix keep their ids without being interned. */
	char *prev;
	size_t prev_len, prev_cap, prev_n;
	/* Lines since the cache last drained, and how many lines still skip it: a file with
	 * few repeated stacks pays the cache's copies and its arena's cache misses for nothing,
	 * so after a drain that found few repeats the next lines go straight to the trie. */
	size_t cached, direct_left;
	const char *why;
};

/* Repeats below 1 in 8 lines: the cache does not pay for itself. */
#define FEW_REPEATS(entries, lines) ((entries) * 8 > (lines) * 7)
/* Lines that skip the cache before it is tried again (the file may change its nature); a test
 * build sets it small (tests/formats/test-folded-ways.c). */
#ifndef FOLDED_DIRECT_LINES
#define FOLDED_DIRECT_LINES (1u << 18)
#endif
/* Lines cached before their repeats are first judged: a file whose stacks are all distinct
 * (a collapsed file from stackcollapse, already merged) goes direct after these, not after
 * filling the cache's 32 MiB arena with copies while the trie's thread waits. */
#ifndef FOLDED_FIRST_CHECK
#define FOLDED_FIRST_CHECK (1u << 12)
#endif
/* And earlier, only when these lines held at most one repeat: such a file goes direct at once
 * (4096 lines of 1 KB were 4 MB of copies and fresh pages, a tenth of a 10 MB file's load),
 * while one of a few thousand stacks repeated, which shows repeats by then, is still judged on
 * the 4096. */
#ifndef FOLDED_EARLY_CHECK
#define FOLDED_EARLY_CHECK (1u << 9)
#endif

struct folded_parser *folded_parser__new(struct trie *t)
{
	struct folded_parser *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->t = t;
	p->fed = trie__total(t);
	p->cache = stackcache__new();
	p->pipe = p->cache ? addpipe__new(t) : NULL;
	if (!p->pipe) {
		stackcache__free(p->cache);
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

struct folded_parser *folded_parser__free(struct folded_parser *p)
{
	if (!p)
		return NULL;
	addpipe__free(p->pipe);
	stackcache__free(p->cache);
	free(p->ids);
	free(p->ends);
	free(p->keys);
	free(p->hashes);
	free(p->prev);
	free(p);
	return NULL;
}

const char *folded_parser__why(const struct folded_parser *p)
{
	return p->why ? p->why : "malformed line";
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

#define NOT_FOLDED "not a collapsed stack line (\"a;b;c 12\")"
#define NOT_INTEGER "count is not an integer (whole sample counts only)"

/* "12.5", "-3", "1e3": a number, but not one we accept; worth a precise message. */
static bool numeric(const char *s, size_t len)
{
	bool digit = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
		else if (!strchr(".eE+-", s[i]) || s[i] == '\0')
			return false;
	}
	return digit;
}

/*
 * Splits "STACK COUNT" at the last space or tab. Returns 0 with the stack length and count,
 * or -EINVAL / -EOVERFLOW with *why set. len is already trimmed of trailing blanks.
 */
static int split_count(const char *line, size_t len, size_t *ret_stack_len, uint64_t *ret_count,
		       const char **why)
{
	size_t i = len, start, stack_len;
	uint64_t count = 0;

	while (i > 0 && line[i - 1] != ' ' && line[i - 1] != '\t')
		i--;
	start = i;
	if (start == 0) {
		*why = NOT_FOLDED;
		return -EINVAL;
	}
	for (i = start; i < len; i++) {
		unsigned d = (unsigned)((unsigned char)line[i] - '0');

		if (d > 9) {
			*why = numeric(line + start, len - start) ? NOT_INTEGER : NOT_FOLDED;
			return -EINVAL;
		}
		if (count > (UINT64_MAX - d) / 10) {
			*why = "count too large";
			return -EOVERFLOW;
		}
		count = count * 10 + d;
	}
	stack_len = start;
	while (stack_len > 0 && is_space(line[stack_len - 1]))
		stack_len--;
	if (stack_len == 0) {
		*why = "empty stack before the count";
		return -EINVAL;
	}
	*ret_stack_len = stack_len;
	*ret_count = count;
	return 0;
}

static size_t trim(const char *line, size_t len)
{
	while (len > 0 && is_space(line[len - 1]))
		len--;
	return len;
}

bool folded__looks_like(const char *line, size_t len)
{
	size_t stack_len;
	uint64_t count;
	const char *why;

	len = trim(line, len);
	/* A count that is a number but not one we take ("-3", too large) is still a folded line,
	 * so the parser gives the precise error, on the first line as on any other. */
	return len > 0 && (split_count(line, len, &stack_len, &count, &why) != -EINVAL ||
			   !strcmp(why, NOT_INTEGER));
}

static int grow(struct folded_parser *p, size_t need)
{
	size_t cap = p->cap ? p->cap : 64;
	uint32_t *ids;
	size_t *ends;
	struct trie_key *keys;
	uint32_t *hashes;

	while (cap < need)
		cap *= 2;
	ids = realloc(p->ids, cap * sizeof(*ids));
	if (!ids)
		return -ENOMEM;
	p->ids = ids;
	ends = realloc(p->ends, cap * sizeof(*ends));
	if (!ends)
		return -ENOMEM;
	p->ends = ends;
	keys = realloc(p->keys, cap * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	p->keys = keys;
	hashes = realloc(p->hashes, cap * sizeof(*hashes));
	if (!hashes)
		return -ENOMEM;
	p->hashes = hashes;
	p->cap = cap;
	return 0;
}

static size_t common_prefix(const char *a, const char *b, size_t len)
{
	size_t i = 0;
	uint64_t x, y;

	while (i + 8 <= len) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
		i += 8;
	}
	while (i < len && a[i] == b[i])
		i++;
	return i;
}

/* How many of the previous stack's ids hold for this one: those whose frame and the ';' after
 * it lie in the bytes both stacks share. Returns the count and where parsing resumes. */
static size_t reuse_prefix(const struct folded_parser *p, const char *stack, size_t stack_len,
			   size_t *resume)
{
	size_t same, n = p->prev_n;

	*resume = 0;
	if (!n)
		return 0;
	same = common_prefix(p->prev, stack, stack_len < p->prev_len ? stack_len : p->prev_len);
	while (n > 0 && p->ends[n - 1] >= same)
		n--;
	if (n)
		*resume = p->ends[n - 1] + 1;
	return n;
}

static void remember_stack(struct folded_parser *p, const char *stack, size_t stack_len, size_t n)
{
	p->prev_n = 0;
	if (grow_array((void **)&p->prev, &p->prev_cap, stack_len, 1))
		return; /* only an optimisation */
	memcpy(p->prev, stack, stack_len);
	p->prev_len = stack_len;
	p->prev_n = n;
}

/* The kind a frame's "_[k]"/"_[j]"/"_[p]" suffix names, FRAME_USER without one. */
static inline enum frame_kind suffix_kind(const char *s, size_t len)
{
	if (len <= 4 || s[len - 4] != '_' || s[len - 3] != '[' || s[len - 1] != ']')
		return FRAME_USER;
	switch (s[len - 2]) {
	case 'k':
		return FRAME_KERNEL;
	case 'j':
		return FRAME_JIT;
	case 'p':
		return FRAME_PYTHON;
	default:
		return FRAME_USER;
	}
}

/* One frame's key, its kind suffix read off. */
static struct trie_key frame_key(const char *s, size_t len)
{
	enum frame_kind kind = suffix_kind(s, len);

	return (struct trie_key){ s, kind == FRAME_USER ? len : len - 4, kind };
}

/* The only binary folded text names: "_[k]" is the kernel's, "_[j]" a JIT's, "_[p]" Python's. */
static void name_module(struct trie *t, uint32_t id, enum frame_kind kind)
{
	if (kind != FRAME_USER && trie__module(t, id) == TRIE_MODULE_NONE)
		trie__set_module(t, id, kind == FRAME_KERNEL   ? trie__module_intern(t, "[kernel]", 8)
					: kind == FRAME_PYTHON ? trie__module_intern(t, "[python]", 8)
							       : trie__module_intern(t, "[jit]", 5));
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define WORD_SCAN 1
#else
#define WORD_SCAN 0 /* the word scan's byte order is the hash's: little-endian only */
#endif
#define ONES 0x0101010101010101ull

/*
 * Finds the end of the frame that starts at stack[i] (its ';' or stack_len) and hashes its
 * bytes on the way, a word at a time: the one pass over each name's bytes that both the split
 * and namehash() need. Returns the end; *ret_h and *ret_tail are what namehash__end() takes.
 */
static size_t scan_frame(const char *stack, size_t i, size_t stack_len, uint64_t *ret_h,
			 uint64_t *ret_tail)
{
	uint64_t h = NAMEHASH_SEED, w, tail = 0;
	const char *semi;
	size_t k;

	while (WORD_SCAN && i + 8 <= stack_len) {
		uint64_t x, z;

		memcpy(&w, stack + i, 8);
		x = w ^ (ONES * ';');
		/* a byte of x is zero where w has ';': the lowest flagged byte is the first */
		z = (x - ONES) & ~x & (ONES * 0x80);
		if (z) {
			k = (size_t)__builtin_ctzll(z) >> 3;
			*ret_tail = k ? w & (~0ull >> (64 - 8 * k)) : 0;
			*ret_h = h;
			return i + k;
		}
		h = namehash__word(h, w);
		i += 8;
	}
	/* the last bytes (or the whole frame, where the scan is not word-wise) */
	semi = memchr(stack + i, ';', stack_len - i);
	k = semi ? (size_t)(semi - (stack + i)) : stack_len - i;
	for (; k >= 8; k -= 8, i += 8) {
		memcpy(&w, stack + i, 8);
		h = namehash__word(h, w);
	}
	memcpy(&tail, stack + i, k);
	*ret_h = h;
	*ret_tail = tail;
	return i + k;
}

/* Splits a stack into frames (past the prefix it shares with the previous one), interns them
 * all at once and adds the stack to the trie. */
static int add_stack(void *ctx, const char *stack, size_t stack_len, uint64_t count)
{
	struct folded_parser *p = ctx;
	size_t i, n = reuse_prefix(p, stack, stack_len, &i), first = n;
	int err;

	while (i < stack_len) {
		size_t start = i, end, len;
		uint64_t h, tail;

		end = scan_frame(stack, i, stack_len, &h, &tail);
		len = end - start;
		i = end + 1;
		if (n == p->cap && grow(p, n + 1))
			return -ENOMEM;
		/* the fields one by one: a struct returned through memory and read back whole
		 * missed the store forwarding, a fifth of this function's time */
		if (len && !blank(stack[start]) && !blank(stack[end - 1]) &&
		    suffix_kind(stack + start, len) == FRAME_USER) {
			p->keys[n].s = stack + start;
			p->keys[n].len = len;
			p->keys[n].kind = FRAME_USER;
			p->hashes[n] = namehash__end(h, tail, len, FRAME_USER);
		} else {
			/* Blanks around a name carry nothing, and a leading tab would make our
			 * own output look like perf script when read back; a kind suffix is read
			 * off. Both rare: the name is hashed again. */
			while (start < end && blank(stack[start]))
				start++;
			while (end > start && blank(stack[end - 1]))
				end--;
			if (end == start)
				continue;
			p->keys[n] = frame_key(stack + start, end - start);
			p->hashes[n] = namehash(p->keys[n].s, p->keys[n].len, p->keys[n].kind);
		}
		p->ends[n++] = i - 1;
	}
	err = trie__intern_many_hashed(p->t, p->keys + first, p->hashes + first, n - first,
				       p->ids + first);
	for (size_t k = first; !err && k < n; k++)
		name_module(p->t, p->ids[k], p->keys[k].kind);
	if (err == -ENOSPC) {
		/* Past the name bound (--max-nodes): the stack goes to [overflow]. */
		p->prev_n = 0;
		return addpipe__overflow(p->pipe, count);
	}
	if (!err)
		err = addpipe__add(p->pipe, p->ids, n, count);
	if (!err)
		remember_stack(p, stack, stack_len, n);
	else
		p->prev_n = 0;
	return err;
}

static int drain(struct folded_parser *p)
{
	p->cached = 0;
	return stackcache__drain(p->cache, add_stack, p);
}

int folded_parser__line(struct folded_parser *p, const char *line, size_t len)
{
	size_t stack_len, i = 0;
	uint64_t count;
	int err;

	len = trim(line, len);
	if (len == 0 || line[0] == '#')
		return 0;
	err = split_count(line, len, &stack_len, &count, &p->why);
	if (err)
		return err;
	while (i < stack_len && (line[i] == ';' || line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == stack_len) {
		p->why = "empty stack before the count";
		return -EINVAL;
	}
	if (count == 0)
		return 0;
	if (count > UINT64_MAX - p->fed) {
		p->why = "sample counts overflow";
		return -EOVERFLOW;
	}
	p->fed += count;
	if (p->direct_left) {
		p->direct_left--;
		return add_stack(p, line, stack_len, count);
	}
	err = stackcache__add(p->cache, line, stack_len, count);
	if (err < 0)
		return err;
	p->cached++;
	/* judged when the cache is full, and once early (earlier when nothing repeats) */
	if (stackcache__full(p->cache) || p->cached == FOLDED_FIRST_CHECK ||
	    (p->cached == FOLDED_EARLY_CHECK &&
	     stackcache__entries(p->cache) + 1 >= FOLDED_EARLY_CHECK)) {
		bool few = FEW_REPEATS(stackcache__entries(p->cache), p->cached);

		if (few)
			p->direct_left = FOLDED_DIRECT_LINES;
		if (few || stackcache__full(p->cache))
			return drain(p);
	}
	return 0;
}

static void rank_upper(void *split)
{
	trie__rank_half(split, true);
}

/* Below this many names the rank takes well under a millisecond: one thread does it. */
#define SPLIT_RANK_NAMES 4096

int folded_parser__finish(struct folded_parser *p)
{
	struct trie_rank_split *split = NULL;
	int err = drain(p), close_err, end_err;

	if (err)
		return err;
	/* Every name is in: their order for the first draw's sort is worked out now, while the
	 * trie's thread adds the last stacks, instead of after; with that thread, in two halves,
	 * the upper one there once it is done adding (the rank was a tenth of a 10 MB file's
	 * load). Only an optimisation: trie__sort() ranks them if this fails. */
	if (addpipe__threaded(p->pipe) && trie__names(p->t) >= SPLIT_RANK_NAMES)
		split = trie__rank_split(p->t);
	if (!split) {
		(void)trie__rank_names(p->t);
		return addpipe__finish(p->pipe);
	}
	close_err = addpipe__close(p->pipe, rank_upper, split);
	trie__rank_half(split, false);
	end_err = addpipe__finish(p->pipe);
	(void)trie__rank_join(p->t, split);
	return close_err ? close_err : end_err;
}

/* A failed write's -errno: -EPIPE when the reader went away (the caller ends quietly). */
static int write_error(void)
{
	return errno ? -errno : -EIO;
}

/* Writes the folded name of a frame (with its suffix) into f. */
static int fput_name(const struct trie *t, uint32_t id, FILE *f)
{
	const char *s = trie__name(t, id);
	size_t len = trie__name_len(t, id);
	enum frame_kind kind = trie__kind(t, id);

	if (id >= trie__names(t))
		return 0;
	if (trie__name_plain(t, id)) {
		if (fwrite(s, 1, len, f) != len)
			return write_error();
		goto suffix;
	}
	/* ';' separates frames and a newline ends the record: neither may appear inside a name
	 * in folded text. Other control bytes (an escape sequence in a crafted name) would reach
	 * whatever terminal the output goes to: they are written as \xNN. So is a leading '#':
	 * readers take a line starting with it for a comment and would drop the outermost frame's
	 * samples (a comm named "#x"). */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ';')
			c = ':';
		if (c < 0x20 || c == 0x7f || (c == '#' && i == 0)) {
			if (fprintf(f, "\\x%02x", c) < 0)
				return write_error();
			continue;
		}
		if (putc_unlocked(c, f) == EOF)
			return write_error();
	}
suffix:
	if (kind == FRAME_KERNEL && fputs("_[k]", f) == EOF)
		return write_error();
	if (kind == FRAME_PYTHON && fputs("_[p]", f) == EOF)
		return write_error();
	if (kind == FRAME_JIT && fputs("_[j]", f) == EOF)
		return write_error();
	return 0;
}

int folded__write_stack(const struct trie *t, const struct trie_node *n, FILE *f)
{
	const struct trie_node *path[256], **p = path;
	uint32_t depth = n ? n->depth : 0;
	int err = 0;

	if (depth > 256) {
		p = malloc(depth * sizeof(*p));
		if (!p)
			return -ENOMEM;
	}
	for (uint32_t i = depth; i-- > 0; n = n->parent)
		p[i] = n;
	for (uint32_t i = 0; i < depth && !err; i++) {
		if (i && putc_unlocked(';', f) == EOF)
			err = -EIO;
		if (!err)
			err = fput_name(t, p[i]->name, f);
	}
	if (p != path)
		free(p);
	return err;
}

/* The text of the path being walked: each node's name appended on the way down. */
struct pathbuf {
	char *s;
	size_t len, cap;
};

static int pb_put(struct pathbuf *b, const char *s, size_t len)
{
	if (!len) /* an empty name: nothing to copy (and b->s may still be NULL) */
		return 0;
	if (grow_array((void **)&b->s, &b->cap, b->len + len, 1))
		return -ENOMEM;
	memcpy(b->s + b->len, s, len);
	b->len += len;
	return 0;
}

/* Appends a frame's folded name (escaped as fput_name() writes it, with its suffix). */
static int pb_name(struct pathbuf *b, const struct trie *t, uint32_t id)
{
	const char *s = trie__name(t, id);
	size_t len = trie__name_len(t, id);
	enum frame_kind kind = trie__kind(t, id);
	int err = 0;

	if (id >= trie__names(t))
		return 0;
	if (trie__name_plain(t, id)) {
		err = pb_put(b, s, len);
	} else {
		for (size_t i = 0; i < len && !err; i++) {
			unsigned char c = (unsigned char)s[i];
			char esc[5];

			if (c == ';')
				c = ':';
			if (c < 0x20 || c == 0x7f || (c == '#' && i == 0)) {
				snprintf(esc, sizeof(esc), "\\x%02x", c);
				err = pb_put(b, esc, 4);
			} else {
				err = pb_put(b, (const char *)&c, 1);
			}
		}
	}
	if (!err && kind == FRAME_KERNEL)
		err = pb_put(b, "_[k]", 4);
	if (!err && kind == FRAME_JIT)
		err = pb_put(b, "_[j]", 4);
	if (!err && kind == FRAME_PYTHON)
		err = pb_put(b, "_[p]", 4);
	return err;
}

/*
 * Pre-order walk with the path's text kept in one buffer (a node's name is written once, not
 * once per stack under it); each stack with self samples is one fwrite of that buffer.
 */
int folded__write(struct trie *t, FILE *f)
{
	const struct trie_node *cur = trie__root(t);
	struct pathbuf b = { 0 };
	uint32_t *pos;
	size_t *at; /* the buffer's length before each depth's name */
	size_t cap = 128, depth = 0;
	int err = 0;

	trie__sort(t, TRIE_ORDER_NAME);
	pos = malloc(cap * sizeof(*pos));
	at = malloc(cap * sizeof(*at));
	if (!pos || !at) {
		free(pos);
		free(at);
		return -ENOMEM;
	}
	pos[0] = 0;
	for (;;) {
		if (pos[depth] < cur->nchildren) {
			const struct trie_node *c = trie_children(cur)[pos[depth]++];
			char num[32];
			int n;

			if (depth + 1 == cap) {
				uint32_t *npos = realloc(pos, cap * 2 * sizeof(*npos));
				size_t *nat;

				if (!npos) {
					err = -ENOMEM;
					break;
				}
				pos = npos;
				nat = realloc(at, cap * 2 * sizeof(*nat));
				if (!nat) {
					err = -ENOMEM;
					break;
				}
				at = nat;
				cap *= 2;
			}
			at[depth] = b.len;
			err = (depth ? pb_put(&b, ";", 1) : 0) ?: pb_name(&b, t, c->name);
			if (err)
				break;
			cur = c;
			pos[++depth] = 0;
			if (c->self) {
				n = snprintf(num, sizeof(num), " %llu\n", (unsigned long long)c->self);
				if (fwrite(b.s, 1, b.len, f) != b.len ||
				    fwrite(num, 1, (size_t)n, f) != (size_t)n) {
					err = write_error();
					break;
				}
			}
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		b.len = at[--depth];
	}
	free(b.s);
	free(pos);
	free(at);
	if (!err && fflush(f) == EOF)
		err = write_error();
	return err;
}
