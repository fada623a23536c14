/* SPDX-License-Identifier: MIT */
/*
 * pidjit: one process's JIT code as the symbolizer finds it: the perf map its runtime writes
 * (in the host's /tmp, or in the /tmp of the process's own root), trusted only when the
 * process's user or root wrote it, re-read on a miss at a bounded rate, and a JVM asked to
 * write a new one. The maps themselves are parsed and shared in jitmaps.c. Private to the
 * symbolizer.
 */
#ifndef FLAMETUI_SYMBOLS_PIDJIT_H
#define FLAMETUI_SYMBOLS_PIDJIT_H

#include <stdbool.h>
#include <stdint.h>

struct jitmap;
struct jitmaps;
struct perfmap_entry;

/* What every process's lookup shares (borrowed). */
struct pidjit_env {
	const char *proc_root, *perfmap_dir;
	struct jitmaps *maps;
	int (*ask)(void *ctx, uint32_t pid); /* asks a JVM for a new perf map; NULL = none */
	void *ask_ctx;
	uint64_t *refused; /* processes whose perf map is refused now */
};

/* Per process; zeroed = no perf map read yet. */
struct pidjit {
	struct jitmap *map; /* a reference into env->maps; NULL until a perf map was read */
	uint64_t read_ns;   /* the last look for it */
	int where;	    /* which file the map comes from: 0 until one was found */
	bool refused;	    /* its last read was refused: counted in *env->refused */
};

/* The perf map entry covering addr, or NULL. anon: the address is in anonymous memory (a
 * JVM's code cache, which a missing address makes us ask about); jvm: the process is one. */
const struct perfmap_entry *pidjit__find(struct pidjit *pj, const struct pidjit_env *env,
					 uint32_t pid, bool jvm, uint64_t addr, bool anon);
/* Drops the reference (the process is gone, or its state is reset). */
void pidjit__put(struct pidjit *pj, const struct pidjit_env *env);

#endif
