/* SPDX-License-Identifier: MIT */
/*
 * addpipe: adds parsed stacks (name ids + count) to the trie from a second thread, so that
 * reading, splitting and interning (the parser's thread) and the trie walk (this one) run on
 * two cores. The parser's thread keeps interning names into the same trie meanwhile: the name
 * table and the nodes are disjoint parts of it (trie.h), and nothing else may touch the trie
 * until addpipe__finish(). Stacks reach the trie in the order they were given. Memory is
 * bounded: the parser waits when the buffers ahead of the adding thread are full. With one CPU
 * (or no thread) stacks are added at once, in the caller's thread.
 */
#ifndef FLAMETUI_FORMATS_ADDPIPE_H
#define FLAMETUI_FORMATS_ADDPIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trie;
struct addpipe;


/* Returns NULL with errno set. The trie is borrowed. */
struct addpipe *addpipe__new(struct trie *t);
/* Stops the thread (stacks not yet added are dropped) and frees; accepts NULL. */
struct addpipe *addpipe__free(struct addpipe *a);

/* trie__add(): the ids are copied. Returns 0, or an error of an earlier add (-ENOMEM). */
int addpipe__add(struct addpipe *a, const uint32_t *ids, size_t n, uint64_t count);
/* trie__add_overflow(), in order with the adds. */
int addpipe__overflow(struct addpipe *a, uint64_t count);
/* Whether a second thread adds (else each add was made at once). */
bool addpipe__threaded(const struct addpipe *a);
/* The last stack was given: the thread ends once it has added them all, and then runs
 * job(ctx) (NULL: nothing), which must touch nothing the caller's thread touches meanwhile.
 * Does not wait (without a thread job runs here, now); addpipe__finish() does, and nothing may
 * be added in between. Returns 0 or an earlier add's error (job runs all the same). */
int addpipe__close(struct addpipe *a, void (*job)(void *), void *ctx);
/* Waits until every stack is in the trie and ends the thread (and its job: after
 * addpipe__close(); later adds are direct). Returns 0 or the first add's error. */
int addpipe__finish(struct addpipe *a);

#endif
