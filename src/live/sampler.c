// SPDX-License-Identifier: MIT
/*
 * Owns the BPF skeleton (bpf/profile.bpf.c) and the perf events: open -> configure (rodata,
 * map sizes) -> load -> attach, each step checked and named on failure; then ringbuf polling
 * and the drop counters; then a clean detach on every path.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "clock.h"
#include "cpus.h"
#include "profile.skel.h"
#include "python.h"
#include "sampler.h"

#define DEFAULT_RINGBUF (8u << 20)
#define DEFAULT_MAX_PIDS 4096
/* Wake userspace once this much is waiting (it also polls with a timeout). */
#define WAKEUP_BYTES (64u << 10)
/* Records handled per sampler__poll(): libbpf consumes for as long as new data keeps coming,
 * so a producer faster than us would keep one call going forever (past --ms, deaf to keys).
 * What we cannot take stays in the ring, which fills, and the BPF side counts the losses. */
#define POLL_BUDGET 4096
#define POLL_BUDGET_NS (25 * 1000000ull) /* nor for longer than this (checked every 64) */
#define BUDGET_HIT (-ECANCELED) /* from the callback: stop here, not an error */

struct sampler {
	struct profile_bpf *skel;
	struct ring_buffer *rb;
	int *pfds;		  /* one perf event per online CPU; -1 when closed */
	struct bpf_link **links;  /* the program attached to each perf event */
	struct bpf_link *tp_links[3];
	int ncpus;		  /* entries in pfds/links */
	int ncpus_possible;	  /* for the per-CPU counter map */
	uint64_t received;
	struct sampler_opts opts;
	int cb_err;
	unsigned budget; /* records left in this sampler__poll(); 0 = unlimited */
	uint64_t budget_end; /* CLOCK_MONOTONIC ns; set 64 records into the poll, 0 before */
	/* --unwind auto/dwarf: the table walker (profile_walk), a second copy of the object that
	 * shares every map, loaded on its own thread while the first one samples */
	struct profile_bpf *walker;
	pthread_t walker_thread;
	bool walker_started, walker_joined;
	int walker_err;		 /* 0 loaded; -errno; set by the thread before it ends */
	const char *walker_step; /* what failed */
	uint64_t walker_ns;	 /* time the load took */
};

static char libbpf_log[4096];
static size_t libbpf_log_len;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len += (size_t)n;
	if (libbpf_log_len >= sizeof(libbpf_log))
		libbpf_log_len = sizeof(libbpf_log) - 1;
	return 0;
}

const char *sampler__libbpf_log(void)
{
	return libbpf_log;
}

static int handle_record(void *ctx, void *data, size_t size)
{
	struct sampler *s = ctx;
	const struct ft_hdr *h = data;
	int err = 0;

	if (size < sizeof(*h))
		return 0;
	switch (h->type) {
	case FT_REC_SAMPLE: {
		const struct ft_sample *smp = data;

		/* variable-length: both stacks and the Python frames must lie within the record */
		if (size < FT_SAMPLE_HDR_SIZE ||
		    size - FT_SAMPLE_HDR_SIZE < (size_t)(smp->kstack_sz > 0 ? smp->kstack_sz : 0) +
							(size_t)(smp->ustack_sz > 0 ? smp->ustack_sz : 0) +
							(size_t)FT_PY_COUNT(smp->py_frames) *
								FT_PY_SLOTS * 8)
			return 0;
		s->received++;
		if (s->opts.on_sample)
			err = s->opts.on_sample(s->opts.ctx, data);
		break;
	}
	case FT_REC_EXEC:
	case FT_REC_EXIT:
	case FT_REC_FORK:
		if (size >= sizeof(struct ft_proc_event) && s->opts.on_proc)
			err = s->opts.on_proc(s->opts.ctx, data);
		break;
	default:
		break;
	}
	if (err < 0) {
		s->cb_err = err;
		return err; /* stops ring_buffer__poll */
	}
	if (s->budget) {
		/* this record is consumed either way; the rest waits for the next call */
		if (--s->budget == 0)
			return BUDGET_HIT;
		if (s->budget % 64 == 0) {
			uint64_t t = clock__now_ns();

			if (!s->budget_end)
				s->budget_end = t + POLL_BUDGET_NS;
			else if (t > s->budget_end)
				return BUDGET_HIT;
		}
	}
	return 0;
}

/* The walker: the same object again, its unwind_mode set, only profile_walk loaded, every map
 * the first object's; then into walkers[0], where profile_sample's tail call finds it. */
static int walker_load(struct sampler *s)
{
	struct profile_bpf *w;
	struct bpf_program *prog;
	struct bpf_map *m;
	__u32 zero = 0;
	int fd, err;

	s->walker_step = "open the unwinder's BPF program";
	w = profile_bpf__open();
	if (!w)
		return -errno;
	s->walker = w;
	*w->rodata = *s->skel->rodata;
	w->rodata->unwind_mode = s->opts.unwind;
	w->rodata->unwind_tail = false;
	bpf_object__for_each_program(prog, w->obj)
	    bpf_program__set_autoload(prog, prog == w->progs.profile_walk);
	s->walker_step = "share the maps with the unwinder";
	bpf_object__for_each_map(m, w->obj)
	{
		struct bpf_map *a;

		if (bpf_map__is_internal(m))
			continue;
		a = bpf_object__find_map_by_name(s->skel->obj, bpf_map__name(m));
		if (!a)
			return -ENOENT;
		err = bpf_map__reuse_fd(m, bpf_map__fd(a));
		if (err)
			return err;
	}
	s->walker_step = "load the unwinder's BPF program";
	err = profile_bpf__load(w);
	if (err)
		return err;
	s->walker_step = "hand samples to the unwinder";
	fd = bpf_program__fd(w->progs.profile_walk);
	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.walkers), &zero, &fd, BPF_ANY))
		return -errno;
	s->walker_step = "";
	return 0;
}

static void *walker_main(void *arg)
{
	struct sampler *s = arg;
	uint64_t t0 = clock__now_ns();

	s->walker_err = walker_load(s);
	s->walker_ns = clock__now_ns() - t0;
	return NULL;
}

static void walker_join(struct sampler *s)
{
	if (s->walker_started && !s->walker_joined) {
		pthread_join(s->walker_thread, NULL);
		s->walker_joined = true;
	}
}

int sampler__walker(struct sampler *s, const char **ret_step, uint64_t *ret_ns)
{
	*ret_step = "";
	*ret_ns = 0;
	if (!s->walker_started)
		return -ENOENT;
	if (!s->walker_joined) {
		/* finished when the thread's result is in: it joins without waiting */
		if (pthread_tryjoin_np(s->walker_thread, NULL))
			return -EINPROGRESS;
		s->walker_joined = true;
	}
	*ret_step = s->walker_step;
	*ret_ns = s->walker_ns;
	return s->walker_err;
}

static int open_perf_event(int cpu, unsigned int hz)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_SW_CPU_CLOCK,
		.sample_freq = hz,
		.freq = 1,
	};
	int fd = (int)syscall(__NR_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static size_t round_pow2(size_t v)
{
	size_t p = 4096;

	while (p < v && p < (1u << 30))
		p <<= 1;
	return p;
}

int sampler__open(const struct sampler_opts *opts, struct sampler **ret, const char **ret_step)
{
	struct sampler *s;
	int *cpus = NULL, nonline = 0;
	size_t rb_size;
	uint64_t t0;
	bool single;
	int err, n;

	*ret_step = "set up the sampler";
	libbpf_log_len = 0;
	libbpf_log[0] = '\0';
	libbpf_set_print(libbpf_print);
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->opts = *opts;

	*ret_step = "read the online CPUs";
	n = nonline = cpus__online(&cpus);
	if (n <= 0) {
		err = n < 0 ? n : -ENODEV;
		goto fail;
	}
	n = cpus[n - 1] + 1; /* slots by CPU number; offline ones stay closed */
	s->ncpus = n;
	s->ncpus_possible = libbpf_num_possible_cpus();
	if (s->ncpus_possible <= 0) {
		err = s->ncpus_possible < 0 ? s->ncpus_possible : -ENODEV;
		goto fail;
	}
	s->pfds = malloc((size_t)n * sizeof(*s->pfds));
	s->links = calloc((size_t)n, sizeof(*s->links));
	if (!s->pfds || !s->links) {
		err = -ENOMEM;
		goto fail;
	}
	for (int i = 0; i < n; i++)
		s->pfds[i] = -1;

	*ret_step = "open the BPF program";
	s->skel = profile_bpf__open();
	if (!s->skel) {
		err = -errno;
		goto fail;
	}
	s->skel->rodata->filter_pids = opts->npids > 0 || opts->filter;
	s->skel->rodata->include_idle = opts->enable_idle;
	s->skel->rodata->follow_forks = opts->follow_forks;
	s->skel->rodata->all_execs = opts->all_execs;
	s->skel->rodata->all_exits = opts->all_exits;
	rb_size = round_pow2(opts->ringbuf_bytes ? opts->ringbuf_bytes : DEFAULT_RINGBUF);
	/* wake userspace at the latest when a quarter of the ring is used */
	s->skel->rodata->wakeup_bytes = rb_size / 4 < WAKEUP_BYTES ? rb_size / 4 : WAKEUP_BYTES;
	*ret_step = "size the BPF maps";
	err = bpf_map__set_max_entries(s->skel->maps.events, (__u32)rb_size);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.pids,
					       (__u32)(opts->max_pids ? opts->max_pids
								      : DEFAULT_MAX_PIDS));
	if (err)
		goto fail;
	/* The first object samples with frame pointers and hands samples to the walker, loaded
	 * from a second copy on a thread, so a live view starts at once. A run that waits for
	 * the walker anyway (fixed, record) loads one object that walks itself: the second
	 * verification and BTF parse were a fifth of such a run's start-up CPU. */
	single = opts->wait_walker && opts->unwind != SAMPLER_UNWIND_FP;
	s->skel->rodata->unwind_mode = single ? opts->unwind : SAMPLER_UNWIND_FP;
	s->skel->rodata->unwind_tail = !single && opts->unwind != SAMPLER_UNWIND_FP;
	bpf_program__set_autoload(s->skel->progs.profile_walk, false);
	if (!err && opts->unwind != SAMPLER_UNWIND_FP)
		err = bpf_map__set_max_entries(s->skel->maps.unwind_rows,
					       (__u32)(opts->unwind_rows ? opts->unwind_rows : 1));
	if (!err && opts->unwind != SAMPLER_UNWIND_FP)
		err = bpf_map__set_max_entries(s->skel->maps.unwind_procs,
					       (__u32)(opts->unwind_procs ? opts->unwind_procs : 1));
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.py_procs,
					       (__u32)(opts->python_procs ? opts->python_procs : 1));
	if (err)
		goto fail;
	if (!opts->track_procs && !opts->follow_forks) {
		bpf_program__set_autoload(s->skel->progs.profile_exec, false);
		bpf_program__set_autoload(s->skel->progs.profile_exit, false);
		bpf_program__set_autoload(s->skel->progs.profile_fork, false);
	}

	*ret_step = "load the BPF program";
	t0 = clock__now_ns();
	err = profile_bpf__load(s->skel);
	if (err)
		goto fail;
	if (single) { /* the walker is this object's program: "loaded" with it */
		s->walker_ns = clock__now_ns() - t0;
		s->walker_started = s->walker_joined = true;
		s->walker_step = "";
	}

	*ret_step = "fill the pid filter";
	for (size_t i = 0; i < opts->npids; i++) {
		err = sampler__add_pid(s, opts->pids[i]);
		if (err)
			goto fail;
	}

	if (opts->unwind != SAMPLER_UNWIND_FP && !single) {
		*ret_step = "start the unwinder's loader thread";
		err = -pthread_create(&s->walker_thread, NULL, walker_main, s);
		if (err)
			goto fail;
		s->walker_started = true;
	}

	*ret_step = "set up the unwinders";
	if (opts->on_loaded) {
		err = opts->on_loaded(opts->ctx, s);
		if (err)
			goto fail;
	}
	if (opts->wait_walker)
		walker_join(s);

	*ret_step = "set up the ring buffer";
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), handle_record, s, NULL);
	if (!s->rb) {
		err = -errno;
		goto fail;
	}

	if (opts->track_procs || opts->follow_forks) {
		*ret_step = "attach the sched_process_exec/exit/fork tracepoints";
		s->tp_links[0] = bpf_program__attach(s->skel->progs.profile_exec);
		s->tp_links[1] = bpf_program__attach(s->skel->progs.profile_exit);
		s->tp_links[2] = bpf_program__attach(s->skel->progs.profile_fork);
		for (int i = 0; i < 3; i++) {
			if (!s->tp_links[i]) {
				err = -errno;
				goto fail;
			}
		}
	}

	*ret_step = "open a cpu-clock perf event";
	for (int i = 0; i < nonline; i++) {
		int cpu = cpus[i];

		s->pfds[cpu] = open_perf_event(cpu, opts->hz);
		if (s->pfds[cpu] < 0) {
			err = s->pfds[cpu];
			goto fail;
		}
		*ret_step = "attach the BPF program to a perf event";
		s->links[cpu] = bpf_program__attach_perf_event(s->skel->progs.profile_sample,
							       s->pfds[cpu]);
		if (!s->links[cpu]) {
			err = -errno;
			goto fail;
		}
	}
	*ret_step = "";
	*ret = s;
	free(cpus);
	return 0;
fail:
	free(cpus);
	sampler__free(s);
	return err < 0 ? err : -EINVAL;
}

static void detach_events(struct sampler *s)
{
	for (int i = 0; s->links && i < s->ncpus; i++) {
		bpf_link__destroy(s->links[i]);
		s->links[i] = NULL;
	}
	for (int i = 0; s->pfds && i < s->ncpus; i++) {
		if (s->pfds[i] >= 0)
			close(s->pfds[i]);
		s->pfds[i] = -1;
	}
}

struct sampler *sampler__free(struct sampler *s)
{
	if (!s)
		return NULL;
	detach_events(s);
	walker_join(s); /* its load reads the first object: it must end first */
	for (int i = 0; i < 3; i++)
		bpf_link__destroy(s->tp_links[i]);
	ring_buffer__free(s->rb);
	profile_bpf__destroy(s->walker);
	profile_bpf__destroy(s->skel);
	free(s->pfds);
	free(s->links);
	free(s);
	return NULL;
}

int sampler__poll(struct sampler *s, int timeout_ms)
{
	uint64_t before = s->received;
	int n;

	s->budget = POLL_BUDGET;
	s->budget_end = 0;
	n = ring_buffer__poll(s->rb, timeout_ms);
	/* The BPF side skips wakeups until WAKEUP_BYTES are waiting, so a timeout does not mean
	 * the ring is empty: take whatever is there. */
	if (n >= 0 && !s->cb_err && s->budget)
		n = ring_buffer__consume(s->rb);
	s->budget = 0;
	if (s->cb_err) {
		n = s->cb_err;
		s->cb_err = 0;
		return n;
	}
	if (n < 0 && n != BUDGET_HIT && n != -EINTR)
		return n;
	return (int)(s->received - before);
}

int sampler__fd(const struct sampler *s)
{
	return ring_buffer__epoll_fd(s->rb);
}

int sampler__stop(struct sampler *s)
{
	int n;

	detach_events(s);
	n = ring_buffer__consume(s->rb);
	if (s->cb_err) {
		n = s->cb_err;
		s->cb_err = 0;
	}
	return n;
}

int sampler__add_pid(struct sampler *s, uint32_t tgid)
{
	__u8 one = 1;

	return bpf_map_update_elem(bpf_map__fd(s->skel->maps.pids), &tgid, &one, BPF_ANY) ? -errno
											 : 0;
}

int sampler__remove_pid(struct sampler *s, uint32_t tgid)
{
	return bpf_map_delete_elem(bpf_map__fd(s->skel->maps.pids), &tgid) ? -errno : 0;
}

void sampler__unwind_fds(const struct sampler *s, int *ret_rows, int *ret_procs)
{
	bool on = s->opts.unwind != SAMPLER_UNWIND_FP;

	*ret_rows = on ? bpf_map__fd(s->skel->maps.unwind_rows) : -1;
	*ret_procs = on ? bpf_map__fd(s->skel->maps.unwind_procs) : -1;
}

int sampler__python_fd(const struct sampler *s)
{
	return s->opts.python_procs ? bpf_map__fd(s->skel->maps.py_procs) : -1;
}

void sampler__counters(const struct sampler *s, struct sampler_counters *ret)
{
	int fd = bpf_map__fd(s->skel->maps.counters);
	__u64 *vals = calloc((size_t)s->ncpus_possible, sizeof(*vals));

	memset(ret, 0, sizeof(*ret));
	ret->received = s->received;
	if (!vals)
		return;
	for (__u32 k = 0; k < FT_CNT_MAX; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals))
			continue;
		for (int c = 0; c < s->ncpus_possible; c++)
			ret->v[k] += vals[c];
	}
	free(vals);
}

