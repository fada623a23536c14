/* SPDX-License-Identifier: MIT */
/*
 * The trie's private layout, shared by the files that implement trie.h: trie.c (the nodes),
 * trie_names.c (names and binaries), trie_sort.c (sibling order), trie_merge.c (copies).
 * Nothing outside those files includes it.
 */
#ifndef FLAMETUI_TRIE_IMPL_H
#define FLAMETUI_TRIE_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "names.h"
#include "trie.h"

struct module {
	const char *s; /* in the name arena */
	uint32_t len;
};

struct node_chunk; /* trie.c */

struct trie {
	struct trie_node root;
	struct nametab nt; /* interned names */
	/* (parent, name) -> node, for the children of wide parents only (more than WIDE
	 * children): narrow parents are searched in their children array, which costs fewer
	 * cache misses than a hash probe and keeps the table small. Linear probing with
	 * backward-shift deletion. */
	struct trie_node **slots;
	size_t slots_mask;
	size_t hashed; /* nodes in slots */
	struct node_chunk *chunks;
	size_t chunk_used;		/* nodes handed out from chunks (the newest chunk) */
	size_t nchunks;
	struct node_chunk *spare;	/* chunks kept by trie__clear() for the next nodes */
	/* The nodes that got a malloc'd children array, so that freeing every node frees those
	 * alone instead of visiting each node (a node may be listed twice, or be freed or
	 * reused since: harmless, see free_nodes). `arrays_lost` when the list is not complete
	 * (out of memory, or grown past the nodes under ring-mode churn). */
	struct trie_node **arrays;
	size_t narrays, arrays_cap;
	bool arrays_lost;
	struct trie_node *free_nodes;	/* linked through ->parent */
	/* The previous stack added: input is often sorted (perf's collapsed output, our own), so
	 * the next stack usually shares a prefix that needs no lookups at all. */
	struct trie_node *last_leaf;	/* NULL when unknown (nodes were freed since) */
	uint32_t *last_ids;
	size_t last_len, last_cap;
	size_t nodes; /* root included */
	size_t max_nodes;
	uint32_t overflow_name;
	uint64_t overflowed;
	/* sort state: children are in `sorted_order` unless `dirty` */
	uint32_t *rank; /* name id -> place in name order, for the first `ranked` names */
	uint32_t ranked;
	bool dirty;
	enum trie_order sorted_order;
	/* Parents that gained a child since the last sort: a name-order sort after loading sorts
	 * these alone instead of walking every node (most nodes have one child, and the walk's
	 * cache misses were a big trie's first frame). `sort_all` when the list is not complete
	 * (too long, out of memory). A listed node that was freed since is harmless: freed nodes
	 * stay in their chunk with no children, or hold a new node, whose sort is as right. */
	struct trie_node **unsorted;
	size_t nunsorted, unsorted_cap;
	bool sort_all;
	/* binaries (trie__module_intern): few, so a linear search; ids 0 and 1 are reserved */
	struct module *modules; /* owned: modules[i - 2] is module i */
	uint32_t nmodules, modules_cap;
	/* trie__intern_from's last source and its module ids mapped to ours (0xffff: not yet) */
	uint64_t serial;	/* unique among the process's tries: a freed source's address may
				 * come back as another trie's */
	uint64_t modmap_src;	/* serial of the source modmap maps */
	uint16_t *modmap; /* owned: TRIE_MAX_MODULES entries once needed */
};

/* The child of parent named `name`, or NULL (trie.c). */
struct trie_node *trie_lookup(const struct trie *t, const struct trie_node *parent, uint32_t name);
/* A new child of parent named `name` with no samples, or NULL on ENOMEM (trie.c). */
struct trie_node *trie_new_child(struct trie *t, struct trie_node *parent, uint32_t name);

/* A sort record: a key, an id, and a name's length (trie_rank.c) or nothing. */
struct keyed {
	uint64_t key;
	uint32_t id;
	uint32_t len;
};

/* LSD radix sort of a[0, n) by key, 8 bits a pass (a pass where every key has the same byte
 * is skipped); tmp holds n. Stable. (trie_rank.c) */
void trie_radix_sort(struct keyed *a, struct keyed *tmp, size_t n);

#endif
