/* SPDX-License-Identifier: MIT */
/*
 * A profiling session, shared by the sampling commands: checks privileges and the kernel,
 * wires sampler -> collector -> trie, stops and reports what was lost. This is the program's
 * edge: it prints one-line errors to stderr and returns exit codes (commands.h).
 */
#ifndef FLAMETUI_SESSION_H
#define FLAMETUI_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "collector.h"
#include "sampler.h"
#include "symbolizer.h"
#include "trie.h"

struct session_opts {
	unsigned int hz;
	uint32_t *pids; /* owned by the caller */
	size_t npids;
	bool enable_idle;
	bool verbose;
	enum collector_group group;
};

struct session {
	struct trie *trie;
	struct symbolizer *sym;
	struct collector *col;
	struct sampler *smp;
	unsigned int hz;
	bool verbose;
};

/* Set by SIGINT/SIGTERM/SIGHUP once session__signals() installed the handlers. */
extern volatile sig_atomic_t session_stop;
void session__signals(void);

/* Returns EXIT_OK, or an exit code after printing one line saying what to do. */
int session__start(struct session *s, const struct session_opts *o);
/* Stops sampling, drains the ringbuf, prints losses (all counters with verbose). */
void session__stop(struct session *s);
/* "lost 0" / "lost 12 (ringbuf full)": text for a header. */
void session__drops_text(struct session *s, char *buf, size_t len);
void session__end(struct session *s);

/* Option helpers: print a one-line error and return -1 on bad input. */
int parse_ulong(const char *opt, const char *arg, unsigned long min, unsigned long max,
		unsigned long *ret);
int parse_pids(const char *arg, uint32_t **pids, size_t *npids);
int parse_group(const char *arg, enum collector_group *ret);

#endif
