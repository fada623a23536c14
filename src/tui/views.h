/* SPDX-License-Identifier: MIT */
/*
 * Derived views of a profile, each built as a trie of its own so that layout, render, search,
 * zoom and export work on it unchanged: bottom-up (every stack reversed, so the roots are the
 * functions samples ended in) and the two halves of a sandwich around one function (its callers
 * as an inverted graph, its callees merged below it). A derived trie shares the source's name
 * ids (views__sync_names), so a path of name ids means the same frames in both. Pure.
 */
#ifndef FLAMETUI_TUI_VIEWS_H
#define FLAMETUI_TUI_VIEWS_H

#include <stdint.h>

#include "../trie.h"

/*
 * Interns into dst every name of src that dst lacks, so that every name id of src means the
 * same name in dst. dst must have been given names only by this function (a fresh trie, or
 * one rebuilt from the same src). 0, -ENOMEM, or -EINVAL when the ids no longer line up.
 */
int views__sync_names(struct trie *dst, const struct trie *src);

/*
 * Clears dst and fills it with the bottom-up view of src: each sample's stack reversed, so the
 * outermost frames of dst are the innermost of src and every occurrence of a leaf function is
 * merged. Totals: dst's root-level node for f holds f's self samples. 0 or -ENOMEM.
 */
int views__bottom_up(struct trie *dst, const struct trie *src);

/*
 * Clears dst and fills it with the callers of function `name`: for every stack that contains
 * it, the path from its outermost occurrence back to the root, reversed (name first). A
 * recursive function counts once per stack. dst's only root-level node is `name`, with the
 * function's total. 0 or -ENOMEM.
 */
int views__callers(struct trie *dst, const struct trie *src, uint32_t name);

/*
 * Clears dst and fills it with the callees of `name`: the subtrees under its outermost
 * occurrence in every stack, merged under one root-level node `name` (total as above; deeper
 * recursive occurrences stay where they are in the subtree). *ret_self, when ret_self is not
 * NULL, gets the function's self samples (views__self of src, at no extra walk). 0 or -ENOMEM.
 */
int views__callees(struct trie *dst, const struct trie *src, uint32_t name, uint64_t *ret_self);

/*
 * Clears dst and fills it with src grouped by binary first (perf report --sort dso): every
 * sample's stack under one frame naming the binary its innermost frame is in. frames[m] is
 * the name id (of src) of module m's frame, for m < nframes; frames[TRIE_MODULE_NONE] must
 * exist and takes modules past nframes. A root-level node's total is its binary's self
 * samples. 0, -ENOMEM, or -EINVAL without frames.
 */
int views__by_binary(struct trie *dst, const struct trie *src, const uint32_t *frames,
		     size_t nframes);

/* Self samples of `name` summed over every node of t (what the function table calls self). */
uint64_t views__self(const struct trie *t, uint32_t name);

#endif
