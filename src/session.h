/* SPDX-License-Identifier: MIT */
/*
 * A profiling session, shared by the sampling commands: checks privileges and the kernel,
 * wires sampler -> collector -> trie, stops and reports what was lost. This is the program's
 * edge: it prints one-line errors to stderr and returns exit codes (commands.h).
 */
#ifndef FLAMETUI_SESSION_H
#define FLAMETUI_SESSION_H

#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "collector.h"
#include "sampler.h"
#include "symbolizer.h"
#include "trie.h"

struct cli;
struct mapwatch;
struct unwind_loader;
struct jvm;
struct rec_writer;

struct session {
	struct trie *trie;
	struct symbolizer *sym;
	struct collector *col;
	struct sampler *smp;
	struct mapwatch *mm;      /* NULL when the kernel would not give mmap records */
	struct unwind_loader *uw; /* --unwind dwarf/auto: the tables in the kernel; else NULL */
	struct jvm *jvm;	  /* --jit-maps auto: asks JVMs for perf maps; else NULL */
	struct pyrt *py;	  /* --python on: CPython processes and their frames; else NULL */
	struct sampler_opts sampler_opts; /* as opened (the unwind loader reads its sizes) */
	const struct cli *cli; /* borrowed */
	pid_t child;	       /* -- CMD: its pid while it runs, else 0 */
	int child_status;      /* its wait status once it ended */
	const char *cmd_output; /* where its stdout/stderr go: a path, "/dev/null", or NULL */
	struct pollfd *pidfds;	/* --pid: a pidfd per process (fd -1: none could be opened); owned */
	size_t npidfds;
	bool pids_gone;		/* all of them seen readable (exited) once: stays so */
	uint64_t comm_matched; /* --comm: processes added to the filter */
	struct rec_writer *rec; /* -o FILE: the recording, NULL without */
	int rec_err;		/* its first write error, reported at the end */
	uint64_t rec_bytes, rec_samples; /* what it holds once closed */
	collector_tap_fn tap; /* see session__set_tap() */
	void *tap_ctx;
	struct frameaddrs *addrs; /* the collector's, kept past session__detach for the view */
	struct frameaddrs *paths; /* its per-path table for unnamed frames, likewise */
	struct addrlines *lines;  /* made at the view's first question about source lines */
};

/* Set by SIGINT/SIGTERM/SIGHUP once session__signals() installed the handlers. */
extern volatile sig_atomic_t session_stop;
void session__signals(void);
/* Sampling is over for good: closes the BPF program, its links and perf events, and frees the
 * symbolizer, keeping only the trie (fixed mode shows it for as long as the user likes). */
void session__detach(struct session *s);

/*
 * Checks privileges and the kernel, starts -- CMD (held until the filter knows it), loads and
 * attaches. Returns EXIT_OK, or an exit code after printing one line saying what to do.
 */
int session__start(struct session *s, const struct cli *cli);
/* After session__start(): fn sees every sample too (the live timeline). */
void session__set_tap(struct session *s, collector_tap_fn fn, void *ctx);
/* -- CMD: true once it exited (reaped); always false without a command. */
bool session__cmd_done(struct session *s);
/* --pid: true once every process named has exited; always false without --pid. */
bool session__pids_gone(struct session *s);
/* What the header and stderr say then. */
#define SESSION_PIDS_GONE "every --pid process has exited"
/* Stops sampling, drains the ringbuf, prints losses (all counters with verbose), closes the
 * recording (printing a write error) and returns EXIT_FAIL when the recording failed. */
int session__stop(struct session *s);
/* After session__stop: true when no sample was kept, with why in buf ("49 idle samples
 * dropped: --enable-idle keeps them", "no process matched --comm 'x'", ...). */
bool session__empty_reason(struct session *s, char *buf, size_t len);
/* -- CMD for a header: "" without one, else "CMD running, output: FILE" or "CMD exited 0". */
void session__cmd_text(struct session *s, char *buf, size_t len);
/* "lost 0" / "lost 12 (ringbuf full)": text for a header. */
void session__drops_text(struct session *s, char *buf, size_t len);
void session__end(struct session *s);
/* tui_info.frame_addr over the session's collector (ctx: the session). */
struct tui_frame_addr;
int session__frame_addr(void *ctx, const char *name, size_t len, enum frame_kind kind,
			struct tui_frame_addr *ret);
/* tui_info.path_addr likewise: where the unnamed frame ending the path `node` of t was. */
struct trie_node;
int session__path_addr(void *ctx, const struct trie *t, const struct trie_node *node,
		       struct tui_frame_addr *ret);
/* The session's source lines reader (addrlines.h), made at the first use; NULL on ENOMEM. */
struct addrlines;
struct addrlines *session__lines(struct session *s);
/* tui_info.frame_lines likewise: source lines through libdw (addrlines.h), lazily. */
struct tui_line;
int session__frame_lines(void *ctx, const char *name, size_t len, enum frame_kind kind,
			 struct tui_line *ret, size_t cap, uint64_t *ret_total);

#endif
