/* SPDX-License-Identifier: MIT */
/*
 * The sampler: the one file that owns the BPF skeleton and the perf events. It opens one
 * cpu-clock event per online CPU, configures the kernel-side filters, and hands every ringbuf
 * record to callbacks. It never prints; failures come back as -errno plus the step that failed.
 */
#ifndef FLAMETUI_SAMPLER_H
#define FLAMETUI_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "profile.h"

struct sampler;

struct sampler_opts {
	unsigned int hz;
	bool enable_idle;
	const uint32_t *pids; /* kernel pid filter (tgids); NULL/0 = every process */
	size_t npids;
	bool filter;	      /* filter even when npids is 0 (pids added later, e.g. --comm) */
	bool follow_forks;    /* children of filtered processes join the filter */
	bool track_procs;     /* report exec/exit/fork records */
	bool all_execs;	      /* report every exec, filtered or not (for --comm) */
	bool all_exits;	      /* report every process exit, filtered or not */
	size_t ringbuf_bytes; /* power of two; 0 = default */
	size_t max_pids;      /* size of the pid filter map; 0 = default */
	unsigned int unwind;  /* SAMPLER_UNWIND_* */
	size_t unwind_rows;   /* rows the kernel's table array holds (dwarf/auto) */
	size_t unwind_procs;  /* processes with tables at once (dwarf/auto) */
	/* dwarf/auto: the table walker is verified on a thread while frame pointers sample (0.2-
	 * 0.5 s); with this set, sampling starts only once it is there (whole runs, not views) */
	bool wait_walker;
	size_t python_procs;  /* Python processes walked at once; 0 = no Python frames */
	/* Called for each record; a negative return stops sampler__poll with that error. */
	int (*on_sample)(void *ctx, const struct ft_sample *s);
	int (*on_proc)(void *ctx, const struct ft_proc_event *e);
	/* Called once the maps exist, before the perf events start: 0 or -errno (stops open). */
	int (*on_loaded)(void *ctx, struct sampler *s);
	void *ctx;
};

/* --unwind: the values of the BPF side's unwind_mode */
enum { SAMPLER_UNWIND_FP = 0, SAMPLER_UNWIND_DWARF = 1, SAMPLER_UNWIND_AUTO = 2 };

struct sampler_counters {
	uint64_t v[FT_CNT_MAX];
	uint64_t received; /* sample records userspace got from the ringbuf */
};

struct sampler;

/*
 * Opens, loads and attaches. On failure returns -errno and points *ret_step at a static
 * description of what failed ("load the BPF program", "open a perf event on CPU 1", ...).
 */
int sampler__open(const struct sampler_opts *opts, struct sampler **ret, const char **ret_step);
/* Detaches and frees; NULL-safe; returns NULL. */
struct sampler *sampler__free(struct sampler *s);

/* Waits up to timeout_ms for records and handles at most a bounded batch of them (the rest
 * waits for the next call). Returns the samples handled, or -errno. */
int sampler__poll(struct sampler *s, int timeout_ms);
/* A pollable fd that becomes readable when records are waiting. */
int sampler__fd(const struct sampler *s);
/* Stops the perf events (no new samples) and hands over every record still in the ringbuf. */
int sampler__stop(struct sampler *s);

int sampler__add_pid(struct sampler *s, uint32_t tgid);
int sampler__remove_pid(struct sampler *s, uint32_t tgid);

/* The unwind tables' maps (rows array, per-process hash) for the loader; -1 in fp mode. */
void sampler__unwind_fds(const struct sampler *s, int *ret_rows, int *ret_procs);

/* The table walker's load: 0 when it unwinds, -EINPROGRESS while it loads, -ENOENT in fp mode,
 * or the -errno it failed with (*ret_step says at what; samples keep frame pointers). *ret_ns:
 * how long the load took. */
int sampler__walker(struct sampler *s, const char **ret_step, uint64_t *ret_ns);
/* The Python walker's per-process map (bpf/python.h), or -1 when python_procs is 0. */
int sampler__python_fd(const struct sampler *s);

void sampler__counters(const struct sampler *s, struct sampler_counters *ret);

/* Libbpf's own messages from the last failed open (for --verbose), or "". */
const char *sampler__libbpf_log(void);

#endif
