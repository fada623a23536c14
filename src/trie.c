// SPDX-License-Identifier: MIT
/*
 * The stack trie (see trie.h). Names are interned into an arena that never moves, so
 * trie__name() pointers stay valid for the trie's lifetime. A node's children are found through
 * one hash table keyed by (parent, name), and kept in a per-node array that trie__sort() orders
 * for drawing and output. Nodes whose counts drop to zero (ring-mode eviction) are freed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "trie.h"

#define ARENA_BLOCK (256 * 1024)

struct name {
	const char *s; /* in the arena, NUL-terminated */
	uint32_t len;
	uint32_t hash;
	uint8_t kind;
	uint8_t plain; /* no byte that folded output must rewrite (';', control bytes) */
	uint16_t module; /* the binary its code is in (trie__module), TRIE_MODULE_NONE if unknown */
};

struct module {
	const char *s; /* in the arena */
	uint32_t len;
};

/* Nodes come from chunks, not one malloc each: a million-node trie is common and per-node
 * allocator overhead and frees would double its cost. Freed nodes go on a free list. The first
 * chunks are malloc'd and small (a small trie stays small); past SMALL_CHUNKS of them the trie
 * is big, and its chunks are 2 MiB mappings filled in by the kernel at once (MAP_POPULATE):
 * faulting pages in one by one was a third of a big file's load. */
#define SMALL_CHUNK 4096
#define SMALL_CHUNKS 8
#define BIG_CHUNK_BYTES ((size_t)2 << 20)

struct node_chunk {
	struct node_chunk *next;
	size_t cap;   /* nodes */
	bool mapped;  /* a BIG_CHUNK_BYTES mapping, else malloc'd */
	struct trie_node nodes[];
};

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

struct trie {
	struct trie_node root;
	/* interned names */
	struct name *names;
	uint32_t nnames, names_cap;
	uint32_t *name_slots; /* open addressing: id + 1, 0 = empty */
	uint32_t name_slots_mask;
	struct arena_block *arena;
	/* (parent, name) -> node; linear probing with backward-shift deletion */
	/* (parent, name) -> node, for the children of wide parents only (more than WIDE
	 * children): narrow parents are searched in their children array, which costs fewer
	 * cache misses than a hash probe and keeps the table small. */
	struct trie_node **slots;
	size_t slots_mask;
	size_t hashed; /* nodes in slots */
	struct node_chunk *chunks;
	size_t chunk_used;		/* nodes handed out from chunks (the newest chunk) */
	size_t nchunks;
	struct trie_node *free_nodes;	/* linked through ->parent */
	/* The previous stack added: input is often sorted (perf's collapsed output, our own), so
	 * the next stack usually shares a prefix that needs no lookups at all. */
	struct trie_node *last_leaf;	/* NULL when unknown (nodes were freed since) */
	uint32_t *last_ids;
	size_t last_len, last_cap;
	size_t nodes; /* root included */
	size_t max_nodes;
	size_t max_names; /* 0 = only TRIE_MAX_NAMES */
	uint32_t overflow_name;
	uint64_t overflowed;
	/* sort state: children are in `sorted_order` unless `dirty` */
	uint32_t *rank; /* name id -> place in name order, for the first `ranked` names */
	uint32_t ranked;
	bool dirty;
	enum trie_order sorted_order;
	/* binaries (trie__module_intern): few, so a linear search; ids 0 and 1 are reserved */
	struct module *modules; /* owned: modules[i - 2] is module i */
	uint32_t nmodules, modules_cap;
	/* trie__intern_from's last source and its module ids mapped to ours (0xffff: not yet) */
	uint64_t serial;	/* unique among the process's tries: a freed source's address may
				 * come back as another trie's */
	uint64_t modmap_src;	/* serial of the source modmap maps */
	uint16_t *modmap; /* owned: TRIE_MAX_MODULES entries once needed */
};

static uint64_t trie_serials;
static const struct module reserved_modules[2] = { { "[unknown]", 9 }, { "[several]", 9 } };

static uint32_t hash_bytes(const char *s, size_t len, uint32_t seed)
{
	/* FNV-1a: names are short and this is not exposed to hash flooding in a way that
	 * matters more than the inputs' own size (a hostile file can only slow its own load). */
	uint32_t h = 2166136261u ^ seed;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static size_t hash_edge(const struct trie_node *parent, uint32_t name)
{
	uint64_t x = (uint64_t)(uintptr_t)parent ^ ((uint64_t)name * 0x9e3779b97f4a7c15ull);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
}

static char *arena_copy(struct trie *t, const char *s, size_t len)
{
	struct arena_block *b = t->arena;
	char *p;

	if (!b || b->cap - b->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		b = malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->used = 0;
		/* A big one-off name gets its own block behind the current one, so the current
		 * block's free space is not wasted. */
		if (t->arena && cap > ARENA_BLOCK) {
			b->next = t->arena->next;
			t->arena->next = b;
		} else {
			b->next = t->arena;
			t->arena = b;
		}
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static int name_slots_grow(struct trie *t)
{
	/* 64-bit arithmetic: the table stops growing at 2^31 slots (TRIE_MAX_NAMES names at half
	 * load), so the mask always fits 32 bits and never wraps to a zero-sized table. */
	size_t ncap = t->name_slots ? ((size_t)t->name_slots_mask + 1) * 2 : 1024;
	uint32_t *slots;

	if (ncap > (size_t)TRIE_MAX_NAMES * 2)
		return -E2BIG;
	slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t id = 0; id < t->nnames; id++) {
		size_t i = t->names[id].hash & (ncap - 1);

		while (slots[i])
			i = (i + 1) & (ncap - 1);
		slots[i] = id + 1;
	}
	free(t->name_slots);
	t->name_slots = slots;
	t->name_slots_mask = (uint32_t)(ncap - 1);
	return 0;
}

uint32_t trie__intern(struct trie *t, const char *s, size_t len, enum frame_kind kind)
{
	uint32_t h, i;
	struct name *n;

	if (len > UINT32_MAX - 1 || (unsigned)kind >= FRAME_KIND_MAX) {
		errno = EINVAL;
		return TRIE_NO_NAME;
	}
	h = hash_bytes(s, len, kind);
	for (i = h & t->name_slots_mask; t->name_slots[i]; i = (i + 1) & t->name_slots_mask) {
		n = &t->names[t->name_slots[i] - 1];
		if (n->hash == h && n->len == len && n->kind == kind && !memcmp(n->s, s, len))
			return t->name_slots[i] - 1;
	}
	if (t->nnames >= TRIE_MAX_NAMES) {
		errno = ENOMEM;
		return TRIE_NO_NAME;
	}
	if (t->max_names && t->nnames >= t->max_names && kind != FRAME_SPECIAL) {
		errno = ENOSPC;
		return TRIE_NO_NAME;
	}
	if (t->nnames == t->names_cap) {
		size_t ncap = (size_t)t->names_cap * 2;
		struct name *nn;

		if (ncap > TRIE_MAX_NAMES)
			ncap = TRIE_MAX_NAMES;
		nn = realloc(t->names, ncap * sizeof(*nn));

		if (!nn) {
			errno = ENOMEM;
			return TRIE_NO_NAME;
		}
		t->names = nn;
		t->names_cap = (uint32_t)ncap;
	}
	n = &t->names[t->nnames];
	n->s = arena_copy(t, s, len);
	if (!n->s) {
		errno = ENOMEM;
		return TRIE_NO_NAME;
	}
	n->len = (uint32_t)len;
	n->hash = h;
	n->kind = kind;
	n->module = TRIE_MODULE_NONE;
	/* a leading '#' would make the folded line read back as a comment */
	n->plain = !(len && s[0] == '#');
	for (size_t k = 0; k < len && n->plain; k++) {
		unsigned char c = (unsigned char)s[k];

		if (c < 0x20 || c == 0x7f || c == ';') {
			n->plain = 0;
			break;
		}
	}
	t->name_slots[i] = ++t->nnames;
	/* keep the load under 1/2 */
	if ((size_t)t->nnames * 2 > (size_t)t->name_slots_mask + 1 && name_slots_grow(t)) {
		/* the name is interned; the table is just fuller than we like */
	}
	return t->nnames - 1;
}

const char *trie__name(const struct trie *t, uint32_t id)
{
	return id < t->nnames ? t->names[id].s : "";
}

size_t trie__name_len(const struct trie *t, uint32_t id)
{
	return id < t->nnames ? t->names[id].len : 0;
}

enum frame_kind trie__kind(const struct trie *t, uint32_t id)
{
	return id < t->nnames ? (enum frame_kind)t->names[id].kind : FRAME_ROOT;
}

uint16_t trie__module_intern(struct trie *t, const char *s, size_t len)
{
	struct module *m;

	if (!len || len > 255)
		return TRIE_MODULE_NONE;
	for (uint32_t i = t->nmodules - 2; i-- > 0;)
		if (t->modules[i].len == len && !memcmp(t->modules[i].s, s, len))
			return (uint16_t)(i + 2);
	if (t->nmodules == TRIE_MAX_MODULES)
		return TRIE_MODULE_NONE;
	if (t->nmodules - 2 == t->modules_cap) {
		uint32_t cap = t->modules_cap ? t->modules_cap * 2 : 16;

		m = realloc(t->modules, cap * sizeof(*m));
		if (!m)
			return TRIE_MODULE_NONE;
		t->modules = m;
		t->modules_cap = cap;
	}
	m = &t->modules[t->nmodules - 2];
	m->s = arena_copy(t, s, len);
	if (!m->s)
		return TRIE_MODULE_NONE;
	m->len = (uint32_t)len;
	return (uint16_t)t->nmodules++;
}

void trie__set_module(struct trie *t, uint32_t id, uint16_t module)
{
	struct name *n = id < t->nnames ? &t->names[id] : NULL;

	if (!n || module == TRIE_MODULE_NONE || module >= t->nmodules || n->module == module)
		return;
	n->module = n->module == TRIE_MODULE_NONE ? module : TRIE_MODULE_SEVERAL;
}

uint16_t trie__module(const struct trie *t, uint32_t id)
{
	return id < t->nnames ? t->names[id].module : TRIE_MODULE_NONE;
}

const char *trie__module_name(const struct trie *t, uint16_t module, size_t *ret_len)
{
	const struct module *m = module < 2 || module >= t->nmodules ? &reserved_modules[module == 1] :
								     &t->modules[module - 2];

	*ret_len = m->len;
	return m->s;
}

size_t trie__modules(const struct trie *t)
{
	return t->nmodules;
}

uint32_t trie__intern_from(struct trie *t, const struct trie *src, uint32_t src_id)
{
	uint32_t id = trie__intern(t, trie__name(src, src_id), trie__name_len(src, src_id),
				   trie__kind(src, src_id));
	uint16_t sm = trie__module(src, src_id);

	if (id == TRIE_NO_NAME || sm == TRIE_MODULE_NONE)
		return id;
	if (!t->modmap) {
		t->modmap = malloc(TRIE_MAX_MODULES * sizeof(*t->modmap));
		if (!t->modmap)
			return id; /* the name without its module: not worth failing the caller */
		t->modmap_src = 0;
	}
	if (t->modmap_src != src->serial) {
		t->modmap_src = src->serial;
		memset(t->modmap, 0xff, TRIE_MAX_MODULES * sizeof(*t->modmap));
	}
	if (t->modmap[sm] == 0xffff) {
		size_t len;
		const char *s = trie__module_name(src, sm, &len);

		t->modmap[sm] = sm == TRIE_MODULE_SEVERAL ? TRIE_MODULE_SEVERAL :
							    trie__module_intern(t, s, len);
	}
	trie__set_module(t, id, t->modmap[sm]);
	return id;
}

bool trie__name_plain(const struct trie *t, uint32_t id)
{
	return id < t->nnames && t->names[id].plain;
}

size_t trie__names(const struct trie *t)
{
	return t->nnames;
}

struct trie *trie__new(void)
{
	struct trie *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->root.name = TRIE_NO_NAME;
	t->nodes = 1;
	t->nmodules = 2; /* TRIE_MODULE_NONE, TRIE_MODULE_SEVERAL */
	t->serial = __atomic_add_fetch(&trie_serials, 1, __ATOMIC_RELAXED);
	t->names_cap = 1024;
	t->names = malloc(t->names_cap * sizeof(*t->names));
	t->slots = calloc(1024, sizeof(*t->slots));
	t->slots_mask = 1023;
	if (!t->names || !t->slots || name_slots_grow(t))
		goto fail;
	t->overflow_name = trie__intern(t, "[overflow]", 10, FRAME_SPECIAL);
	if (t->overflow_name == TRIE_NO_NAME)
		goto fail;
	return t;
fail:
	trie__free(t);
	errno = ENOMEM;
	return NULL;
}

static void free_children(struct trie_node *n)
{
	if (n->children != &n->only)
		free(n->children);
	n->children = NULL;
	n->nchildren = n->cap = 0;
}

/* Frees every node (the root is part of the trie and stays). */
static void free_nodes(struct trie *t)
{
	/* the newest chunk (the list's head) is used up to chunk_used, the others are full */
	for (size_t used = t->chunk_used; t->chunks; used = SIZE_MAX) {
		struct node_chunk *c = t->chunks;

		if (used > c->cap)
			used = c->cap;
		for (size_t i = 0; i < used; i++)
			free_children(&c->nodes[i]); /* none for nodes on the free list */
		t->chunks = c->next;
		if (c->mapped)
			munmap(c, BIG_CHUNK_BYTES);
		else
			free(c);
	}
	t->chunk_used = 0;
	t->nchunks = 0;
	t->free_nodes = NULL;
	t->last_leaf = NULL;
	free_children(&t->root);
}

static struct trie_node *alloc_node(struct trie *t)
{
	struct trie_node *n = t->free_nodes;

	if (n) {
		t->free_nodes = n->parent;
	} else {
		if (!t->chunks || t->chunk_used == t->chunks->cap) {
			struct node_chunk *c = NULL;

			if (t->nchunks >= SMALL_CHUNKS) {
				c = mmap(NULL, BIG_CHUNK_BYTES, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
				if (c == MAP_FAILED)
					c = NULL;
				else
					*c = (struct node_chunk){
						.mapped = true,
						.cap = (BIG_CHUNK_BYTES - sizeof(*c)) /
						       sizeof(c->nodes[0]),
					};
			}
			if (!c) {
				c = malloc(sizeof(*c) + SMALL_CHUNK * sizeof(c->nodes[0]));
				if (!c)
					return NULL;
				*c = (struct node_chunk){ .cap = SMALL_CHUNK };
			}
			t->nchunks++;
			c->next = t->chunks;
			t->chunks = c;
			t->chunk_used = 0;
		}
		n = &t->chunks->nodes[t->chunk_used++];
	}
	memset(n, 0, sizeof(*n));
	return n;
}

static void release_node(struct trie *t, struct trie_node *n)
{
	free_children(n);
	n->parent = t->free_nodes;
	t->free_nodes = n;
}

struct trie *trie__free(struct trie *t)
{
	if (!t)
		return NULL;
	free_nodes(t);
	while (t->arena) {
		struct arena_block *b = t->arena;

		t->arena = b->next;
		free(b);
	}
	free(t->last_ids);
	free(t->rank);
	free(t->modules);
	free(t->modmap);
	free(t->names);
	free(t->name_slots);
	free(t->slots);
	free(t);
	return NULL;
}

void trie__clear(struct trie *t)
{
	free_nodes(t);
	t->root.total = t->root.self = 0;
	memset(t->slots, 0, (t->slots_mask + 1) * sizeof(*t->slots));
	t->hashed = 0;
	t->nodes = 1;
	t->overflowed = 0;
	t->dirty = false;
}

#define WIDE 8

static struct trie_node *lookup(const struct trie *t, const struct trie_node *parent, uint32_t name)
{
	if (parent->nchildren <= WIDE) {
		for (uint32_t k = 0; k < parent->nchildren; k++)
			if (parent->children[k]->name == name)
				return parent->children[k];
		return NULL;
	}
	for (size_t i = hash_edge(parent, name) & t->slots_mask; t->slots[i];
	     i = (i + 1) & t->slots_mask) {
		struct trie_node *c = t->slots[i];

		if (c->parent == parent && c->name == name)
			return c;
	}
	return NULL;
}

const struct trie_node *trie__child(const struct trie *t, const struct trie_node *parent,
				    uint32_t name)
{
	return lookup(t, parent, name);
}

static void slot_insert(struct trie_node **slots, size_t mask, struct trie_node *n)
{
	size_t i = hash_edge(n->parent, n->name) & mask;

	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = n;
}

static int slots_grow(struct trie *t)
{
	size_t ncap = (t->slots_mask + 1) * 2;
	struct trie_node **slots = calloc(ncap, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i <= t->slots_mask; i++)
		if (t->slots[i])
			slot_insert(slots, ncap - 1, t->slots[i]);
	free(t->slots);
	t->slots = slots;
	t->slots_mask = ncap - 1;
	return 0;
}

static void slot_remove(struct trie *t, struct trie_node *n)
{
	size_t mask = t->slots_mask;
	size_t i = hash_edge(n->parent, n->name) & mask;

	while (t->slots[i] != n)
		i = (i + 1) & mask;
	/* backward-shift deletion keeps probe chains intact without tombstones */
	for (size_t j = (i + 1) & mask; t->slots[j]; j = (j + 1) & mask) {
		size_t home = hash_edge(t->slots[j]->parent, t->slots[j]->name) & mask;

		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i] = NULL;
}

static struct trie_node *new_child(struct trie *t, struct trie_node *parent, uint32_t name)
{
	struct trie_node *c;

	/* linear probing stays short up to a load of 3/4; a parent turning wide brings all its
	 * children into the table at once */
	while ((t->hashed + WIDE + 1) * 4 > (t->slots_mask + 1) * 3)
		if (slots_grow(t))
			return NULL;
	if (parent->cap == 0) {
		parent->children = &parent->only;
		parent->cap = 1;
	} else if (parent->nchildren == parent->cap) {
		/* start exact, then grow by half */
		uint32_t ncap = parent->cap < 4 ? parent->cap + 1 : parent->cap + parent->cap / 2;
		bool was_inline = parent->children == &parent->only;
		struct trie_node **nc = realloc(was_inline ? NULL : parent->children,
						ncap * sizeof(*nc));

		if (!nc)
			return NULL;
		if (was_inline)
			nc[0] = parent->only;
		parent->children = nc;
		parent->cap = ncap;
	}
	c = alloc_node(t);
	if (!c)
		return NULL;
	c->parent = parent;
	c->name = name;
	c->depth = parent->depth + 1;
	parent->children[parent->nchildren++] = c;
	if (parent->nchildren == WIDE + 1) {
		for (uint32_t k = 0; k < parent->nchildren; k++)
			slot_insert(t->slots, t->slots_mask, parent->children[k]);
		t->hashed += parent->nchildren;
	} else if (parent->nchildren > WIDE + 1) {
		slot_insert(t->slots, t->slots_mask, c);
		t->hashed++;
	}
	t->nodes++;
	t->dirty = true;
	return c;
}

/* Frees `n` (which has no children and no samples) and unlinks it from its parent. */
static void remove_leaf(struct trie *t, struct trie_node *n)
{
	struct trie_node *p = n->parent;

	if (p->nchildren > WIDE) {
		slot_remove(t, n);
		t->hashed--;
		if (p->nchildren == WIDE + 1) {
			/* p turns narrow: its other children leave the table too */
			for (uint32_t k = 0; k < p->nchildren; k++)
				if (p->children[k] != n)
					slot_remove(t, p->children[k]);
			t->hashed -= WIDE;
		}
	}
	for (uint32_t i = 0; i < p->nchildren; i++) {
		if (p->children[i] == n) {
			memmove(&p->children[i], &p->children[i + 1],
				(p->nchildren - i - 1) * sizeof(*p->children));
			p->nchildren--;
			break;
		}
	}
	if (!p->nchildren)
		free_children(p);
	release_node(t, n);
	t->nodes--;
	t->last_leaf = NULL;
}

static void add_path(struct trie *t, struct trie_node *leaf, uint64_t count)
{
	leaf->self += count;
	for (struct trie_node *n = leaf; n; n = n->parent)
		n->total += count;
	if (t->sorted_order == TRIE_ORDER_SAMPLES)
		t->dirty = true;
}

static void remember(struct trie *t, struct trie_node *leaf, const uint32_t *names, size_t n)
{
	if (n > t->last_cap) {
		uint32_t *ids = realloc(t->last_ids, n * sizeof(*ids));

		if (!ids) {
			t->last_leaf = NULL;
			return;
		}
		t->last_ids = ids;
		t->last_cap = n;
	}
	if (n)
		memcpy(t->last_ids, names, n * sizeof(*names));
	t->last_len = n;
	t->last_leaf = leaf;
}

struct trie_node *trie__add_node(struct trie *t, const uint32_t *names, size_t n, uint64_t count)
{
	struct trie_node *cur = &t->root;
	size_t depth = 0;

	if (t->last_leaf) {
		size_t m = n < t->last_len ? n : t->last_len, k = 0;

		while (k < m && names[k] == t->last_ids[k])
			k++;
		if (k) {
			cur = t->last_leaf;
			for (size_t d = t->last_len; d > k; d--)
				cur = cur->parent;
			depth = k;
		}
	}

	/* Walk what exists; stop at the first missing edge. */
	for (; depth < n; depth++) {
		struct trie_node *c = lookup(t, cur, names[depth]);

		if (!c)
			break;
		cur = c;
	}
	if (depth < n && t->max_nodes && t->nodes + (n - depth) > t->max_nodes) {
		/* Over the limit: the samples are counted, under one frame, never dropped. */
		struct trie_node *o = lookup(t, &t->root, t->overflow_name);

		if (!o)
			o = new_child(t, &t->root, t->overflow_name);
		if (!o) {
			errno = ENOMEM;
			return NULL;
		}
		t->overflowed += count;
		add_path(t, o, count);
		return o;
	}
	for (struct trie_node *first_new = NULL; depth < n; depth++) {
		struct trie_node *c = new_child(t, cur, names[depth]);

		if (!c) {
			/* undo the nodes created for this stack so the trie is unchanged */
			if (first_new) {
				while (cur != first_new->parent) {
					struct trie_node *p = cur->parent;

					remove_leaf(t, cur);
					cur = p;
				}
			}
			errno = ENOMEM;
			return NULL;
		}
		if (!first_new)
			first_new = c;
		cur = c;
	}
	add_path(t, cur, count);
	remember(t, cur, names, n);
	return cur;
}

int trie__add(struct trie *t, const uint32_t *names, size_t n, uint64_t count)
{
	return trie__add_node(t, names, n, count) ? 0 : -ENOMEM;
}

int trie__sub_node(struct trie *t, struct trie_node *leaf, uint64_t count)
{
	if (leaf->self < count)
		return -ENOENT;
	if (leaf->name == t->overflow_name && leaf->parent == &t->root)
		t->overflowed -= count < t->overflowed ? count : t->overflowed;
	leaf->self -= count;
	for (struct trie_node *n = leaf; n; n = n->parent)
		n->total -= count;
	/* Free the nodes this left empty, innermost first. */
	for (struct trie_node *n = leaf; n != &t->root && n->total == 0 && !n->nchildren;) {
		struct trie_node *p = n->parent;

		remove_leaf(t, n);
		n = p;
	}
	t->dirty = true;
	return 0;
}

int trie__sub(struct trie *t, const uint32_t *names, size_t n, uint64_t count)
{
	struct trie_node *cur = &t->root;

	for (size_t i = 0; i < n; i++) {
		cur = lookup(t, cur, names[i]);
		if (!cur)
			return -ENOENT;
	}
	return trie__sub_node(t, cur, count);
}

void trie__set_max_nodes(struct trie *t, size_t max)
{
	t->max_nodes = max;
}

size_t trie__max_nodes(const struct trie *t)
{
	return t->max_nodes;
}

void trie__set_max_names(struct trie *t, size_t max)
{
	t->max_names = max;
}

int trie__add_overflow(struct trie *t, uint64_t count)
{
	struct trie_node *o = lookup(t, &t->root, t->overflow_name);

	if (!o)
		o = new_child(t, &t->root, t->overflow_name);
	if (!o)
		return -ENOMEM;
	t->overflowed += count;
	add_path(t, o, count);
	return 0;
}

void trie__count_overflow(struct trie *t, uint64_t samples)
{
	t->overflowed += samples;
}

size_t trie__nodes(const struct trie *t)
{
	return t->nodes;
}

uint64_t trie__overflowed(const struct trie *t)
{
	return t->overflowed;
}

const struct trie_node *trie__root(const struct trie *t)
{
	return &t->root;
}

uint64_t trie__total(const struct trie *t)
{
	return t->root.total;
}

static int cmp_name_ids(const void *a, const void *b, void *ctx)
{
	const struct trie *t = ctx;
	const struct name *nx = &t->names[*(const uint32_t *)a];
	const struct name *ny = &t->names[*(const uint32_t *)b];
	/* memcmp, not strcmp: names may hold NUL bytes, and the order must not depend on the
	 * order samples arrived in */
	int c = memcmp(nx->s, ny->s, nx->len < ny->len ? nx->len : ny->len);

	if (c)
		return c;
	if (nx->len != ny->len)
		return (nx->len > ny->len) - (nx->len < ny->len);
	return (nx->kind > ny->kind) - (nx->kind < ny->kind);
}

/*
 * Every name's place in name order, so sorting siblings compares two integers instead of two
 * strings: a big trie has millions of nodes but far fewer names, and string compares were
 * most of trie__sort. Rebuilt when names were added since. 0 or -ENOMEM.
 */
static int rank_names(struct trie *t)
{
	uint32_t *ids, *rank;

	if (t->ranked == t->nnames && t->rank)
		return 0;
	ids = malloc((size_t)t->nnames * sizeof(*ids));
	rank = realloc(t->rank, (size_t)t->nnames * sizeof(*rank));
	if (!ids || !rank) {
		free(ids);
		if (rank)
			t->rank = rank;
		return -ENOMEM;
	}
	t->rank = rank;
	for (uint32_t i = 0; i < t->nnames; i++)
		ids[i] = i;
	qsort_r(ids, t->nnames, sizeof(*ids), cmp_name_ids, t);
	for (uint32_t i = 0; i < t->nnames; i++)
		rank[ids[i]] = i;
	free(ids);
	t->ranked = t->nnames;
	return 0;
}

/* x goes before y: by name, or by samples (most first) then name. */
static bool before(const uint32_t *rank, enum trie_order order, const struct trie_node *x,
		   const struct trie_node *y)
{
	if (order == TRIE_ORDER_SAMPLES && x->total != y->total)
		return x->total > y->total;
	return rank[x->name] < rank[y->name];
}

struct sort_ctx {
	const uint32_t *rank;
	enum trie_order order;
};

static int cmp_nodes(const void *a, const void *b, void *ctx)
{
	const struct sort_ctx *sc = ctx;
	const struct trie_node *x = *(struct trie_node *const *)a;
	const struct trie_node *y = *(struct trie_node *const *)b;

	return before(sc->rank, sc->order, x, y) ? -1 : before(sc->rank, sc->order, y, x);
}

/* Most parents have a few children: insertion sort beats qsort's call overhead there. */
static void sort_children(struct trie_node *p, const uint32_t *rank, enum trie_order order)
{
	struct trie_node **c = p->children;
	uint32_t n = p->nchildren;

	if (n > 16) {
		struct sort_ctx sc = { rank, order };

		qsort_r(c, n, sizeof(*c), cmp_nodes, &sc);
		return;
	}
	for (uint32_t i = 1; i < n; i++) {
		struct trie_node *x = c[i];
		uint32_t j = i;

		while (j > 0 && before(rank, order, x, c[j - 1])) {
			c[j] = c[j - 1];
			j--;
		}
		c[j] = x;
	}
}

void trie__sort(struct trie *t, enum trie_order order)
{
	struct trie_node *cur = &t->root;
	uint32_t *pos; /* iterative pre-order walk with an explicit index per depth */
	size_t cap = 64, depth = 0;

	if (!t->dirty && t->sorted_order == order)
		return;
	if (rank_names(t))
		return; /* left unsorted: still a valid trie, and `dirty` stays set */
	pos = malloc(cap * sizeof(*pos));
	if (!pos)
		return;
	pos[0] = 0;
	if (cur->nchildren > 1)
		sort_children(cur, t->rank, order);
	for (;;) {
		if (pos[depth] < cur->nchildren) {
			struct trie_node *c = cur->children[pos[depth]++];

			if (depth + 1 == cap) {
				uint32_t *np = realloc(pos, cap * 2 * sizeof(*pos));

				if (!np) {
					free(pos);
					return;
				}
				pos = np;
				cap *= 2;
			}
			if (c->nchildren > 1)
				sort_children(c, t->rank, order);
			cur = c;
			pos[++depth] = 0;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		depth--;
	}
	free(pos);
	t->sorted_order = order;
	t->dirty = false;
}

int trie__merge(struct trie *dst, const struct trie *src, trie_rename_fn rename, void *ctx)
{
	/* Pre-order walk of src with a parallel cursor in dst: each src node maps to one dst
	 * node, which takes its total and self, so the whole merge is O(src nodes). */
	const struct trie_node *cur = &src->root;
	struct trie_node *dcur = &dst->root;
	uint32_t *pos;
	size_t cap = 64, depth = 0;

	pos = malloc(cap * sizeof(*pos));
	if (!pos)
		return -ENOMEM;
	pos[0] = 0;
	dcur->total += cur->total;
	dcur->self += cur->self;
	for (;;) {
		if (pos[depth] < cur->nchildren) {
			const struct trie_node *c = cur->children[pos[depth]++];
			uint32_t id = depth == 0 && rename ? rename(ctx, dst, c->name)
							   : trie__intern_from(dst, src, c->name);
			struct trie_node *dc;

			if (id == TRIE_NO_NAME)
				goto nomem;
			dc = lookup(dst, dcur, id);
			if (!dc)
				dc = new_child(dst, dcur, id);
			if (!dc)
				goto nomem;
			if (depth + 1 == cap) {
				uint32_t *np = realloc(pos, cap * 2 * sizeof(*np));

				if (!np)
					goto nomem;
				pos = np;
				cap *= 2;
			}
			dc->total += c->total;
			dc->self += c->self;
			cur = c;
			dcur = dc;
			pos[++depth] = 0;
			continue;
		}
		if (!depth)
			break;
		cur = cur->parent;
		dcur = dcur->parent;
		depth--;
	}
	free(pos);
	dst->dirty = true;
	return 0;
nomem:
	/* dst holds part of src now; callers throw such a dst away */
	free(pos);
	return -ENOMEM;
}

int trie__path(const struct trie_node *n, uint32_t *ret_ids, size_t max)
{
	size_t depth = n->depth, len = n->depth;

	if (depth > max)
		return -ENOSPC;
	for (; n->parent; n = n->parent)
		ret_ids[--depth] = n->name;
	return (int)len;
}
