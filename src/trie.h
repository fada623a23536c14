/* SPDX-License-Identifier: MIT */
/*
 * The stack trie: every mode (fixed, live, file) aggregates samples here and every output
 * (folded text, the flame graph) reads from here. It knows nothing about where samples come
 * from. Frame names are interned once; a node is (parent, name id) with total/self counts.
 *
 * Threads: interning (trie__intern*) touches only the name table and trie__add() /
 * trie__add_overflow() only the nodes, so one thread may intern while one other adds (the
 * file loader does: src/formats/addpipe.c); any other call waits until both are done.
 */
#ifndef FLAMETUI_TRIE_H
#define FLAMETUI_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What a frame is: drives the "_[k]"/"_[j]"/"_[p]" folded suffixes and the colours. */
enum frame_kind {
	FRAME_USER = 0,	   /* user code, named from ELF symbols */
	FRAME_KERNEL = 1,  /* kernel (folded suffix "_[k]") */
	FRAME_JIT = 2,	   /* JIT code from a perf map (folded suffix "_[j]") */
	FRAME_ROOT = 3,	   /* the process/thread name at the bottom of a stack */
	FRAME_UNKNOWN = 4, /* "[unknown]" or "[module+0xoff]" */
	FRAME_SPECIAL = 5, /* synthetic frames: overflow, merged remainder */
	FRAME_PYTHON = 6,  /* a CPython function, "qualname (file.py:line)" (folded suffix "_[p]") */
	FRAME_KIND_MAX
};

#define TRIE_NO_NAME UINT32_MAX
/* Most names one trie interns: the name table's 32-bit ids and mask never wrap below this.
 * (A test build sets it small to reach the cap: tests/core/test-trie-cap.c.) */
#ifndef TRIE_MAX_NAMES
#define TRIE_MAX_NAMES (1u << 30)
#endif

struct trie_node {
	struct trie_node *parent; /* NULL for the root */
	/* Private, read through trie_children(). Most nodes have one child: it is held here
	 * (cap 1) instead of in a malloc'd array of one, which would be a million mallocs for a
	 * million-node trie; and in the pointer's own place, not beside it, so that a node is
	 * 48 bytes, not 56 (the nodes are most of a big profile's memory). */
	union {
		struct trie_node *one;	 /* cap <= 1 */
		struct trie_node **many; /* cap > 1: owned array of cap pointers */
	} kids;
	uint32_t nchildren;
	uint32_t cap;
	uint32_t name;	/* interned id, see trie__name(); TRIE_NO_NAME for the root */
	uint32_t depth; /* root is 0 */
	uint64_t total; /* samples in this node and below */
	uint64_t self;	/* samples whose innermost frame is this node */
};

/* The node's nchildren children, in the trie's sibling order once sorted. Like strchr(), a
 * const node gives writable slots: the trie's own sorts reorder them in place. */
static inline struct trie_node **trie_children(const struct trie_node *n)
{
	return n->cap > 1 ? n->kids.many : (struct trie_node **)&n->kids.one;
}

enum trie_order {
	TRIE_ORDER_NAME = 0, /* siblings alphabetical: the flame graph convention */
	TRIE_ORDER_SAMPLES,  /* siblings by total, largest first (ties by name) */
};

struct trie;

/* Returns NULL with errno set on failure. */
struct trie *trie__new(void);
/* Frees everything; accepts NULL; returns NULL. */
struct trie *trie__free(struct trie *t);

/*
 * Interns a name of the given kind and returns its id (stable for the trie's lifetime), or
 * TRIE_NO_NAME with errno=ENOMEM. The same text with another kind is another name. The text
 * need not be NUL-terminated; it is copied.
 */
uint32_t trie__intern(struct trie *t, const char *s, size_t len, enum frame_kind kind);
/*
 * Interns a whole stack's names at once: ret_ids[i] gets keys[i]'s id. Faster than one
 * trie__intern() per frame for big inputs (the lookups' cache misses overlap). Returns 0, or
 * -EINVAL (a bad key), -ENOMEM, -ENOSPC (past trie__set_max_names()); the names before the
 * failing one are interned then.
 */
struct trie_key {
	const char *s;
	size_t len;
	enum frame_kind kind;
};
int trie__intern_many(struct trie *t, const struct trie_key *keys, size_t n, uint32_t *ret_ids);
/* The same, with each key's hash already worked out by the caller: hashes[i] is
 * namehash(keys[i].s, keys[i].len, keys[i].kind) (namehash.h). */
int trie__intern_many_hashed(struct trie *t, const struct trie_key *keys, const uint32_t *hashes,
			     size_t n, uint32_t *ret_ids);
const char *trie__name(const struct trie *t, uint32_t id);
size_t trie__name_len(const struct trie *t, uint32_t id);
enum frame_kind trie__kind(const struct trie *t, uint32_t id);
/*
 * The binary a name's code is in, for the per-binary views (perf report's "dso"): the executable
 * or library basename ("libc.so.6"), "[kernel]", a kernel module's name, "[jit]". A module is
 * interned once per trie (at most TRIE_MAX_MODULES; past that, and on ENOMEM, the answer is
 * TRIE_MODULE_NONE). A name seen in two binaries (the same function name in two libraries)
 * is TRIE_MODULE_SEVERAL. Names start with TRIE_MODULE_NONE, shown as "[unknown]".
 */
#define TRIE_MAX_MODULES 4096
#define TRIE_MODULE_NONE 0
#define TRIE_MODULE_SEVERAL 1
uint16_t trie__module_intern(struct trie *t, const char *s, size_t len);
void trie__set_module(struct trie *t, uint32_t id, uint16_t module);
uint16_t trie__module(const struct trie *t, uint32_t id);
/* The module's text (not NUL-terminated) and its length; "[unknown]" for an unknown id. */
const char *trie__module_name(const struct trie *t, uint16_t module, size_t *ret_len);
size_t trie__modules(const struct trie *t); /* module ids in use, the reserved two included */
/* Interns the name src_id of another trie into t, with its module: like trie__intern(). */
uint32_t trie__intern_from(struct trie *t, const struct trie *src, uint32_t src_id);
/* No byte that folded output must rewrite (';', control bytes, a leading '#'). */
bool trie__name_plain(const struct trie *t, uint32_t id);
size_t trie__names(const struct trie *t); /* number of interned names */

/*
 * Adds `count` samples for the stack names[0..n) (outermost first). n == 0 counts the samples
 * on the root itself. Returns 0 or -ENOMEM (the trie is unchanged then). When the node limit
 * is reached, the part of the stack that would need new nodes is counted into a child named
 * "[overflow]" (FRAME_SPECIAL) of the deepest existing node, so totals stay exact.
 */
int trie__add(struct trie *t, const uint32_t *names, size_t n, uint64_t count);
/*
 * Removes `count` samples previously added for the same stack (ring-mode eviction). Nodes
 * left with zero samples are freed. Returns 0, or -ENOENT if the stack (or that many samples)
 * is not there (the trie is unchanged then).
 */
int trie__sub(struct trie *t, const uint32_t *names, size_t n, uint64_t count);
/*
 * Like trie__add() but returns the node that received the samples (the leaf, or the overflow
 * frame), or NULL with errno set. A caller that will evict these samples later (ring mode) keeps
 * the node and passes it to trie__sub_node(): a node with samples is never freed under it.
 */
struct trie_node *trie__add_node(struct trie *t, const uint32_t *names, size_t n, uint64_t count);
/*
 * For builders that compute the counts themselves (src/tui/views.c): a new child of `parent`
 * (NULL: the root) named `name`, which parent must not have yet (not checked), holding `total`
 * and `self`. Only the child is counted, and the root when parent is NULL: the caller keeps
 * every other node's total the sum of its self and its children's totals. NULL with errno
 * ENOMEM, or ENOSPC at the node limit (the caller counts those samples with
 * trie__add_overflow()).
 */
struct trie_node *trie__add_child(struct trie *t, struct trie_node *parent, uint32_t name,
				  uint64_t total, uint64_t self);
/* Removes `count` self samples from `node` (from trie__add_node); 0 or -ENOENT. */
int trie__sub_node(struct trie *t, struct trie_node *node, uint64_t count);
/* Removes every sample and node (names stay interned). The nodes' memory is kept for the next
 * ones (a rebuild of the same size maps nothing); trie__free() returns it. */
void trie__clear(struct trie *t);

/* Limit on nodes (0 = unlimited, the default). */
void trie__set_max_nodes(struct trie *t, size_t max);
size_t trie__max_nodes(const struct trie *t);
/*
 * Limit on interned names (0 = TRIE_MAX_NAMES only): past it trie__intern() refuses new names
 * other than FRAME_SPECIAL with TRIE_NO_NAME and errno ENOSPC, and the caller counts the stack
 * with trie__add_overflow(). Bounds the memory of names whose stacks went to [overflow].
 */
void trie__set_max_names(struct trie *t, size_t max);
/* Counts `count` samples into the [overflow] frame under the root: 0 or -ENOMEM. */
int trie__add_overflow(struct trie *t, uint64_t count);
/* Carries an [overflow] sample count over to a rebuilt trie. */
void trie__count_overflow(struct trie *t, uint64_t samples);
size_t trie__nodes(const struct trie *t);	 /* nodes, root included */
uint64_t trie__overflowed(const struct trie *t); /* samples counted into [overflow] */

const struct trie_node *trie__root(const struct trie *t);
uint64_t trie__total(const struct trie *t);

/* Child of `parent` with that name, or NULL. */
const struct trie_node *trie__child(const struct trie *t, const struct trie_node *parent,
				    uint32_t name);

/*
 * Sorts every node's children in the given order. Adding samples may append children, so
 * callers that need an order (layout, folded output) call this after adding; it is cheap when
 * nothing changed since the last sort in the same order.
 */
void trie__sort(struct trie *t, enum trie_order order);
/* The name order trie__sort() uses, computed ahead (it is again only when names were added).
 * Reads the name table and writes only the rank: it may run while one other thread adds (the
 * file loader's parser does, while the last stacks reach the trie). 0 or -ENOMEM. */
int trie__rank_names(struct trie *t);
/*
 * The same rank in two halves, for two threads: trie__rank_split() splits the names by their
 * first two bytes into a lower and an upper part of about the same size (NULL with errno when
 * out of memory); trie__rank_half() puts one part in order (the two may run at once, while no
 * name is interned: they read the name table and write only their own part, not the trie);
 * trie__rank_join(), after both, gives the trie its rank and frees the split (0, or -ENOMEM
 * and trie__sort() ranks the names itself).
 */
struct trie_rank_split;
struct trie_rank_split *trie__rank_split(const struct trie *t);
void trie__rank_half(struct trie_rank_split *s, bool upper);
int trie__rank_join(struct trie *t, struct trie_rank_split *s);

/*
 * Adds every sample of src into dst (names re-interned in dst). `rename`, when not NULL, maps
 * each outermost frame (the process) of src to a name id of dst, e.g. to regroup threads by
 * process; it returns TRIE_NO_NAME on failure. O(src nodes). 0 or -ENOMEM (dst is then partial).
 */
typedef uint32_t (*trie_rename_fn)(void *ctx, struct trie *dst, uint32_t src_name);
int trie__merge(struct trie *dst, const struct trie *src, trie_rename_fn rename, void *ctx);

/* Writes the names from the outermost frame down to n into ret_ids; returns how many
 * (n->depth), or -ENOSPC when more than max. */
int trie__path(const struct trie_node *n, uint32_t *ret_ids, size_t max);

#endif
