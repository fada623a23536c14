// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the stack trie driven by a little program read from the input (intern names of
 * any bytes, add and remove stacks, node limits, clear, sort, merge). After every step the
 * trie must match a model of what was added: the total, and every node's total equal to its
 * self count plus its children's. Folded output must round-trip whenever every name is one
 * folded text can spell. The merge step also builds the derived views (src/tui/views.c) of the
 * trie, with and without a node limit: every sample kept, every node's sums right.
 */
#include <errno.h>

#include "fuzz.h"
#include "trie.h"
#include "views.h"

#define NAMES 32
#define LOG 64
#define DEPTH 12

struct added {
	uint32_t ids[DEPTH];
	size_t n;
	uint64_t count;
	struct trie_node *node; /* from trie__add_node, else NULL */
};

struct prog {
	const uint8_t *p, *end;
};

static uint8_t byte(struct prog *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

/* Can folded text carry this name unchanged? (see folded.h) */
static bool spellable(const struct trie *t, uint32_t id)
{
	const char *s = trie__name(t, id);
	size_t len = trie__name_len(t, id);
	enum frame_kind kind = trie__kind(t, id);
	char last;

	/* root, unknown and special frames read back as user frames and may merge with one */
	if (!len || s[0] == '#' ||
	    (kind != FRAME_USER && kind != FRAME_KERNEL && kind != FRAME_JIT && kind != FRAME_PYTHON))
		return false;
	/* the writer turns ';' into ':' and control bytes into \xNN (see fput_name in trie.c) */
	for (size_t i = 0; i < len; i++)
		if (s[i] == ';' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	/* the reader trims blanks around every frame name */
	last = s[len - 1];
	if (s[0] == ' ' || last == ' ')
		return false;
	if (kind == FRAME_USER && len >= 4 && s[len - 4] == '_' && s[len - 3] == '[' &&
	    s[len - 1] == ']' && (s[len - 2] == 'k' || s[len - 2] == 'j' || s[len - 2] == 'p'))
		return false;
	return true;
}

static size_t check_node(const struct trie_node *n);

/*
 * The derived views of t (its `total` samples) into dst, a limit of `max` nodes (0: none):
 * bottom-up keeps every sample, callers and callees of a name agree on the function's total
 * and the callees on its self; the sums hold and no node is left empty. Parameters come from
 * the trie, not the input, so that saved inputs keep their meaning.
 */
static void check_views(struct trie *t, uint64_t total, uint32_t name, size_t max)
{
	struct trie *dst = trie__new(), *other = trie__new();
	uint64_t self = 0;

	if (!dst || !other)
		goto out;
	trie__set_max_nodes(dst, max);
	trie__set_max_nodes(other, max);
	if (views__bottom_up(dst, t) == 0) {
		FUZZ_CHECK(trie__total(dst) == total);
		FUZZ_CHECK(check_node(trie__root(dst)) == trie__nodes(dst));
		FUZZ_CHECK(!max || trie__nodes(dst) <= max + 1);
	}
	if (name != TRIE_NO_NAME && views__callers(dst, t, name) == 0 &&
	    views__callees(other, t, name, &self) == 0) {
		FUZZ_CHECK(trie__total(dst) == trie__total(other));
		FUZZ_CHECK(check_node(trie__root(dst)) == trie__nodes(dst));
		FUZZ_CHECK(check_node(trie__root(other)) == trie__nodes(other));
		FUZZ_CHECK(self == views__self(t, name));
	}
out:
	trie__free(other);
	trie__free(dst);
}

/* Checks the node sums; returns the number of nodes below and including n. */
static size_t check_node(const struct trie_node *n)
{
	uint64_t sum = n->self;
	size_t nodes = 1;

	FUZZ_CHECK(n->nchildren <= n->cap);
	for (uint32_t i = 0; i < n->nchildren; i++) {
		const struct trie_node *c = trie_children(n)[i];

		FUZZ_CHECK(c->parent == n && c->depth == n->depth + 1);
		/* the trie frees nodes left without samples */
		FUZZ_CHECK(c->total > 0);
		sum += c->total;
		nodes += check_node(c);
	}
	FUZZ_CHECK(sum == n->total);
	return nodes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prog g = { data, data + size };
	struct trie *t = trie__new(), *dst = NULL;
	uint32_t names[NAMES];
	struct added log[LOG];
	size_t nnames = 0, nlog = 0;
	uint64_t total = 0;
	bool spell = true;

	if (!t)
		return 0;
	while (g.p < g.end) {
		uint8_t op = byte(&g);

		switch (op % 9) {
		case 0: { /* intern */
			size_t len = byte(&g) % 24;
			enum frame_kind kind = (enum frame_kind)(byte(&g) % FRAME_KIND_MAX);
			const char *s = (const char *)g.p;
			uint32_t id;

			if (len > (size_t)(g.end - g.p))
				len = (size_t)(g.end - g.p);
			g.p += len;
			id = trie__intern(t, s, len, kind);
			if (id == TRIE_NO_NAME)
				break;
			FUZZ_CHECK(trie__name_len(t, id) == len && !memcmp(trie__name(t, id), s, len));
			FUZZ_CHECK(trie__name(t, id)[len] == '\0' && trie__kind(t, id) == kind);
			FUZZ_CHECK(trie__intern(t, s, len, kind) == id);
			if (nnames < NAMES)
				names[nnames++] = id;
			break;
		}
		case 1:
		case 2: { /* add (2: keep the node for sub_node) */
			struct added a = { .n = byte(&g) % DEPTH };
			uint64_t c = byte(&g);

			/* never 0: callers do not add empty samples, and the sums check expects none */
			a.count = op & 0x80 ? (c + 1) << 40 : c + 1;
			for (size_t i = 0; i < a.n; i++)
				a.ids[i] = nnames ? names[byte(&g) % nnames] : TRIE_NO_NAME;
			if (a.n && !nnames)
				break;
			if (a.count > UINT64_MAX / 4 - total)
				break;
			if (op % 9 == 2) {
				a.node = trie__add_node(t, a.ids, a.n, a.count);
				if (!a.node)
					break;
				FUZZ_CHECK(a.node->self >= a.count);
			} else if (trie__add(t, a.ids, a.n, a.count)) {
				break;
			}
			total += a.count;
			for (size_t i = 0; i < a.n; i++)
				spell = spell && spellable(t, a.ids[i]);
			if (nlog < LOG)
				log[nlog++] = a;
			break;
		}
		case 3: { /* remove part of an earlier add */
			struct added *a;
			uint64_t c;
			int err;

			if (!nlog)
				break;
			a = &log[byte(&g) % nlog];
			c = a->count ? 1 + byte(&g) % a->count : 0;
			if (!c)
				break;
			/* with a node limit the stack may sit under [overflow]: only the node works */
			err = a->node ? trie__sub_node(t, a->node, c) :
					trie__sub(t, a->ids, a->n, c);
			if (!a->node && trie__overflowed(t)) {
				FUZZ_CHECK(err == 0 || err == -ENOENT);
				if (err)
					break;
			} else {
				FUZZ_CHECK(err == 0);
			}
			a->count -= c;
			total -= c;
			if (!a->count)
				*a = log[--nlog];
			break;
		}
		case 4: { /* removing more than is there fails and changes nothing */
			uint32_t ids[2] = { nnames ? names[0] : 0, nnames ? names[nnames - 1] : 0 };
			size_t n = nnames ? 1 + byte(&g) % 2 : 0;

			if (trie__overflowed(t))
				break;
			FUZZ_CHECK(trie__sub(t, ids, n, total + 1) == -ENOENT);
			FUZZ_CHECK(trie__total(t) == total);
			break;
		}
		case 5: /* clear: earlier nodes are gone */
			if (byte(&g) % 4)
				break;
			trie__clear(t);
			total = 0;
			nlog = 0;
			spell = true;
			break;
		case 6:
			trie__set_max_nodes(t, byte(&g) % 16);
			/* stacks added from now on may land in [overflow]: forget node-less ones */
			for (size_t i = 0; i < nlog;)
				if (!log[i].node)
					log[i] = log[--nlog];
				else
					i++;
			break;
		case 7:
			trie__sort(t, byte(&g) & 1 ? TRIE_ORDER_SAMPLES : TRIE_ORDER_NAME);
			break;
		case 8: { /* merge into a fresh trie: same samples, same folded text */
			dst = trie__new();
			if (dst && trie__merge(dst, t, NULL, NULL) == 0) {
				FUZZ_CHECK(trie__total(dst) == total);
				check_node(trie__root(dst));
			}
			dst = trie__free(dst);
			check_views(t, total, nnames ? names[total % nnames] : TRIE_NO_NAME,
				    total % 3 ? 0 : 2 + total % 13);
			break;
		}
		}
		FUZZ_CHECK(trie__total(t) == total);
		FUZZ_CHECK(trie__root(t)->total == total);
		FUZZ_CHECK(check_node(trie__root(t)) == trie__nodes(t));
	}
	if (spell && !trie__overflowed(t))
		fuzz_check_roundtrip(t, true);
	else
		/* folded text is still written; it need not read back the same */
		free(fuzz_folded_text(t, &(size_t){ 0 }));
	trie__free(t);
	return 0;
}
