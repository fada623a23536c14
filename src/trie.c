// SPDX-License-Identifier: MIT
/*
 * The stack trie (see trie.h). Names are interned by names.c, into an arena that never moves, so
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

#include "grow.h"
#include "trie_impl.h"

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

static uint64_t trie_serials;

static size_t hash_edge(const struct trie_node *parent, uint32_t name)
{
	uint64_t x = (uint64_t)(uintptr_t)parent ^ ((uint64_t)name * 0x9e3779b97f4a7c15ull);

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (size_t)x;
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
	t->slots = calloc(1024, sizeof(*t->slots));
	t->slots_mask = 1023;
	if (!t->slots || nametab__init(&t->nt))
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
	if (n->cap > 1)
		free(n->kids.many);
	n->kids.one = NULL;
	n->nchildren = n->cap = 0;
}

static void unmap_chunk(struct node_chunk *c)
{
	if (c->mapped)
		munmap(c, BIG_CHUNK_BYTES);
	else
		free(c);
}

/*
 * Frees every node (the root is part of the trie and stays). Their chunks go to the spare list
 * when `keep`: a derived view or a live refresh clears and refills a trie of the same size,
 * and mapping and populating its chunks again was a third of such a rebuild.
 */
static void free_nodes(struct trie *t, bool keep)
{
	/* A listed node freed since has no array (release_node), one reused since has its own
	 * array or none, and a node listed twice has none the second time. */
	for (size_t i = 0; !t->arrays_lost && i < t->narrays; i++)
		free_children(t->arrays[i]);
	/* the newest chunk (the list's head) is used up to chunk_used, the others are full */
	for (size_t used = t->chunk_used; t->chunks; used = SIZE_MAX) {
		struct node_chunk *c = t->chunks;

		if (used > c->cap)
			used = c->cap;
		for (size_t i = 0; t->arrays_lost && i < used; i++)
			free_children(&c->nodes[i]); /* none for nodes on the free list */
		t->chunks = c->next;
		if (keep) {
			c->next = t->spare;
			t->spare = c;
		} else {
			unmap_chunk(c);
		}
	}
	t->chunk_used = 0;
	t->nchunks = 0;
	t->free_nodes = NULL;
	t->last_leaf = NULL;
	free_children(&t->root);
	t->narrays = 0;
	t->arrays_lost = false;
}

/* Lists n, which just got a malloc'd children array (see struct trie's `arrays`). */
static void note_array(struct trie *t, struct trie_node *n)
{
	if (t->arrays_lost)
		return;
	if (t->narrays > 2 * t->nodes + 1024 ||
	    grow_array((void **)&t->arrays, &t->arrays_cap, t->narrays + 1, sizeof(*t->arrays))) {
		t->arrays_lost = true;
		return;
	}
	t->arrays[t->narrays++] = n;
}

static struct node_chunk *new_chunk(struct trie *t)
{
	struct node_chunk *c = t->spare;

	if (c) {
		t->spare = c->next;
		return c;
	}
	if (t->nchunks >= SMALL_CHUNKS) {
		c = mmap(NULL, BIG_CHUNK_BYTES, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (c != MAP_FAILED) {
			*c = (struct node_chunk){
				.mapped = true,
				.cap = (BIG_CHUNK_BYTES - sizeof(*c)) / sizeof(c->nodes[0]),
			};
			return c;
		}
	}
	c = malloc(sizeof(*c) + SMALL_CHUNK * sizeof(c->nodes[0]));
	if (c)
		*c = (struct node_chunk){ .cap = SMALL_CHUNK };
	return c;
}

static struct trie_node *alloc_node(struct trie *t)
{
	struct trie_node *n = t->free_nodes;

	if (n) {
		t->free_nodes = n->parent;
	} else {
		if (!t->chunks || t->chunk_used == t->chunks->cap) {
			struct node_chunk *c = new_chunk(t);

			if (!c)
				return NULL;
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
	free_nodes(t, false);
	while (t->spare) {
		struct node_chunk *c = t->spare;

		t->spare = c->next;
		unmap_chunk(c);
	}
	free(t->arrays);
	free(t->last_ids);
	free(t->unsorted);
	free(t->rank);
	free(t->modules);
	free(t->modmap);
	nametab__fini(&t->nt);
	free(t->slots);
	free(t);
	return NULL;
}

void trie__clear(struct trie *t)
{
	free_nodes(t, true);
	t->root.total = t->root.self = 0;
	memset(t->slots, 0, (t->slots_mask + 1) * sizeof(*t->slots));
	t->hashed = 0;
	t->nodes = 1;
	t->overflowed = 0;
	t->dirty = false;
	t->nunsorted = 0;
	t->sort_all = false;
}

#define WIDE 8

struct trie_node *trie_lookup(const struct trie *t, const struct trie_node *parent, uint32_t name)
{
	if (parent->nchildren <= WIDE) {
		for (uint32_t k = 0; k < parent->nchildren; k++)
			if (trie_children(parent)[k]->name == name)
				return trie_children(parent)[k];
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
	return trie_lookup(t, parent, name);
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

static void note_unsorted(struct trie *t, struct trie_node *parent)
{
	size_t max = t->nodes / 4 > 1024 ? t->nodes / 4 : 1024;

	if (t->sort_all || (t->nunsorted && t->unsorted[t->nunsorted - 1] == parent))
		return;
	if (t->nunsorted >= max ||
	    grow_array((void **)&t->unsorted, &t->unsorted_cap, t->nunsorted + 1,
		       sizeof(*t->unsorted))) {
		t->sort_all = true;
		t->nunsorted = 0;
		return;
	}
	t->unsorted[t->nunsorted++] = parent;
}

struct trie_node *trie_new_child(struct trie *t, struct trie_node *parent, uint32_t name)
{
	struct trie_node *c;

	/* linear probing stays short up to a load of 3/4; a parent turning wide brings all its
	 * children into the table at once */
	while ((t->hashed + WIDE + 1) * 4 > (t->slots_mask + 1) * 3)
		if (slots_grow(t))
			return NULL;
	if (parent->cap == 0) {
		parent->cap = 1; /* kids.one */
	} else if (parent->nchildren == parent->cap) {
		/* start exact, then grow by half */
		uint32_t ncap = parent->cap < 4 ? parent->cap + 1 : parent->cap + parent->cap / 2;
		bool was_inline = parent->cap == 1;
		struct trie_node **nc = realloc(was_inline ? NULL : parent->kids.many,
						ncap * sizeof(*nc));

		if (!nc)
			return NULL;
		if (was_inline) {
			nc[0] = parent->kids.one;
			note_array(t, parent);
		}
		parent->kids.many = nc;
		parent->cap = ncap;
	}
	c = alloc_node(t);
	if (!c)
		return NULL;
	c->parent = parent;
	c->name = name;
	c->depth = parent->depth + 1;
	trie_children(parent)[parent->nchildren++] = c;
	if (parent->nchildren > 1)
		note_unsorted(t, parent);
	if (parent->nchildren == WIDE + 1) {
		for (uint32_t k = 0; k < parent->nchildren; k++)
			slot_insert(t->slots, t->slots_mask, trie_children(parent)[k]);
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
				if (trie_children(p)[k] != n)
					slot_remove(t, trie_children(p)[k]);
			t->hashed -= WIDE;
		}
	}
	for (uint32_t i = 0; i < p->nchildren; i++) {
		if (trie_children(p)[i] == n) {
			memmove(&trie_children(p)[i], &trie_children(p)[i + 1],
				(p->nchildren - i - 1) * sizeof(*trie_children(p)));
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
		struct trie_node *c = trie_lookup(t, cur, names[depth]);

		if (!c)
			break;
		cur = c;
	}
	if (depth < n && t->max_nodes && t->nodes + (n - depth) > t->max_nodes) {
		/* Over the limit: the samples are counted, under one frame, never dropped. */
		struct trie_node *o = trie_lookup(t, &t->root, t->overflow_name);

		if (!o)
			o = trie_new_child(t, &t->root, t->overflow_name);
		if (!o) {
			errno = ENOMEM;
			return NULL;
		}
		t->overflowed += count;
		add_path(t, o, count);
		return o;
	}
	for (struct trie_node *first_new = NULL; depth < n; depth++) {
		struct trie_node *c = trie_new_child(t, cur, names[depth]);

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

struct trie_node *trie__add_child(struct trie *t, struct trie_node *parent, uint32_t name,
				  uint64_t total, uint64_t self)
{
	struct trie_node *c;

	if (t->max_nodes && t->nodes >= t->max_nodes) {
		errno = ENOSPC;
		return NULL;
	}
	c = trie_new_child(t, parent ? parent : &t->root, name);
	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->total = total;
	c->self = self;
	if (!parent)
		t->root.total += total;
	return c;
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
		cur = trie_lookup(t, cur, names[i]);
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
	t->nt.max = max;
}

int trie__add_overflow(struct trie *t, uint64_t count)
{
	struct trie_node *o = trie_lookup(t, &t->root, t->overflow_name);

	if (!o)
		o = trie_new_child(t, &t->root, t->overflow_name);
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
