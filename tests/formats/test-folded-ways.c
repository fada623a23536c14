// SPDX-License-Identifier: MIT
/*
 * The fast folded loader against a naive one on the same input: the loader (stack cache,
 * switching to direct adds when stacks do not repeat, shared prefixes reused, names interned a
 * stack at a time) must give exactly the trie that splitting every line and interning every
 * frame one by one gives. Built with a tiny cache and switch-back interval so a few thousand
 * lines cross every mode change many times (tests/formats/meson.build).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

/* The reference: one line at a time, one frame at a time, no cache, nothing reused. */
static int naive_line(struct trie *t, const char *line, size_t len)
{
	uint32_t ids[4096];
	size_t n = 0, end, i = 0;
	uint64_t count = 0;

	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t' || line[len - 1] == '\r'))
		len--;
	end = len;
	while (end && line[end - 1] != ' ')
		end--;
	for (size_t k = end; k < len; k++)
		count = count * 10 + (uint64_t)(line[k] - '0');
	if (!count)
		return 0;
	while (i < end) {
		size_t a = i, b;
		enum frame_kind kind = FRAME_USER;

		while (i < end && line[i] != ';')
			i++;
		b = i++;
		while (a < b && (line[a] == ' ' || line[a] == '\t'))
			a++;
		while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
			b--;
		if (a == b)
			continue;
		if (b - a > 4 && !memcmp(line + b - 4, "_[k]", 4)) {
			kind = FRAME_KERNEL;
			b -= 4;
		} else if (b - a > 4 && !memcmp(line + b - 4, "_[j]", 4)) {
			kind = FRAME_JIT;
			b -= 4;
		}
		if (n == 4096)
			return -E2BIG;
		ids[n++] = trie__intern(t, line + a, b - a, kind);
	}
	return trie__add(t, ids, n, count);
}

static char *naive_folded(const char *buf, size_t len)
{
	struct trie *t = trie__new();
	char *out;

	for (size_t i = 0; i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - buf) : len;

		CHECK_EQ_U64(naive_line(t, buf + i, e - i), 0);
		i = e + 1;
	}
	out = folded_of(t);
	trie__free(t);
	return out;
}

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static const char *const NAMES[] = { "main", "run", "poll", "std::vector<int>::push_back",
				     "do_syscall_64_[k]", "Interpreter::call_[j]", "a", "ab",
				     " spaced ", "\tx", "f;", "memcpy", "b_[k", "c_[k]" };
#define NNAMES (sizeof(NAMES) / sizeof(NAMES[0]))

/* Stacks as a profile has them: a shared call path and then whatever; blocks of distinct
 * lines, blocks repeating a few stacks, and sorted-like runs that share long prefixes. */
static size_t gen(char *buf, unsigned seed, size_t lines)
{
	char prev[4096] = "";
	size_t len = 0;

	for (size_t l = 0; l < lines; l++) {
		unsigned phase = (unsigned)(l / 500) % 3, depth;
		char line[4096];
		size_t n = 0;

		if (phase == 1 && l % 4) {
			/* repeats: one of 16 stacks again */
			unsigned k = rnd(&seed) % 16;

			n = (size_t)sprintf(line, "r;main;s%u;poll_[k];t%u", k, k % 3);
		} else if (phase == 2 && prev[0] && rnd(&seed) % 4) {
			/* the previous stack cut somewhere, then new frames */
			size_t cut = rnd(&seed) % (strlen(prev) + 1);

			if (cut > 3000)
				cut = 3000;

			memcpy(line, prev, cut);
			n = cut;
			n += (size_t)sprintf(line + n, ";%s;u%u", NAMES[rnd(&seed) % NNAMES],
					     rnd(&seed) % 50);
		} else {
			depth = 1 + rnd(&seed) % 30;
			n = (size_t)sprintf(line, "r");
			for (unsigned d = 0; d < depth; d++) {
				unsigned k = rnd(&seed) % (d < 4 ? 3 : 200);

				if (k < NNAMES && rnd(&seed) % 2)
					n += (size_t)sprintf(line + n, ";%s", NAMES[k]);
				else
					n += (size_t)sprintf(line + n, ";%sf%u", rnd(&seed) % 9 ? "" : ";",
							     k);
			}
		}
		line[n] = '\0';
		memcpy(prev, line, n + 1);
		len += (size_t)sprintf(buf + len, "%s %u\n", line, 1 + rnd(&seed) % 9);
	}
	return len;
}

/* Distinct stacks over some 30,000 names, more than the loader ranks in one piece: with two
 * CPUs its two threads rank them in two parts (formats/folded.c), which must give the order
 * the naive loader's one-piece rank gives. */
static size_t gen_many_names(char *buf, unsigned seed, size_t lines)
{
	static const char *const pre[] = { "", "a", "ab", "std::", "zz", "\xc3\xa9", "_Z", "~" };
	size_t len = 0;

	for (size_t l = 0; l < lines; l++) {
		unsigned depth = 1 + rnd(&seed) % 20;

		len += (size_t)sprintf(buf + len, "r");
		for (unsigned d = 0; d < depth; d++)
			len += (size_t)sprintf(buf + len, ";%sn%u", pre[rnd(&seed) % 8],
					       rnd(&seed) % 4000);
		len += (size_t)sprintf(buf + len, " %u\n", 1 + rnd(&seed) % 9);
	}
	return len;
}

int main(void)
{
	size_t lines = 20000;
	char *buf = malloc(lines * 600);

	for (unsigned seed = 1; seed <= 5; seed++) {
		size_t len = seed < 5 ? gen(buf, seed, lines) : gen_many_names(buf, seed, lines);
		struct loaded r = load_text("ways", buf, len);
		char *want = naive_folded(buf, len);

		CHECK_EQ_U64(r.ret, 0);
		CHECK(r.folded && strlen(r.folded) > 100000);
		CHECK_STR(r.folded, want);
		free(r.folded);
		free(want);
	}
	free(buf);
	return check_done();
}
