/* SPDX-License-Identifier: MIT */
/* Loading a recording (in memory) into a trie and a timeline: the loader's recording branch. */
#ifndef FLAMETUI_FORMATS_RECLOAD_H
#define FLAMETUI_FORMATS_RECLOAD_H

#include <stddef.h>
#include <stdint.h>

struct trie;
struct timeline;
struct formats_error;
struct frameaddrs;

/*
 * Adds every sample of the recording buf[0..len) to t (stacks rooted at the comm) and, when
 * tl is not NULL, to tl (stack ids over t's names), and its frame address table (version 2) to
 * fa when not NULL. Damage goes to err->note, the recorded
 * command line and drop counters to err->about. The rate it was recorded at and the wall time
 * of its first sample, when it says, go to *ret_period_ns and *ret_wall_ns (else 0). 0, -EINVAL
 * (err->msg says why), -ENOMEM.
 */
int recload__load(const void *buf, size_t len, const char *name, struct trie *t,
		  struct timeline *tl, struct frameaddrs *fa, struct formats_error *err,
		  uint64_t *ret_period_ns, int64_t *ret_wall_ns);

#endif
