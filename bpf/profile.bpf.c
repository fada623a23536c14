// SPDX-License-Identifier: GPL-2.0
/*
 * flametui's kernel side: a perf_event program on cpu-clock that filters samples in the
 * kernel (idle, pid filter) and sends kernel+user stacks to userspace through a ringbuf, plus
 * tracepoints that report exec/exit/fork so userspace keeps its symbol caches honest. Every
 * sample is counted into exactly one outcome (see enum ft_counter).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "profile.h"
#include "unwind.bpf.h"
#include "python.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by userspace before load. */
const volatile bool filter_pids = false;  /* only tgids in the pids map */
const volatile bool include_idle = false; /* keep samples of the idle task (pid 0) */
const volatile bool follow_forks = false; /* children of filtered tgids join the filter */
const volatile bool all_execs = false;	  /* report every exec (--comm matches names) */
const volatile bool all_exits = false;	  /* report every exit (userspace tracks every mmap) */
const volatile __u64 wakeup_bytes = 0;	  /* wake userspace only past this much data */
/* --unwind auto/dwarf in the object loaded first: profile_sample uses frame pointers, and hands
 * each sample to the table walker (profile_walk, loaded from a second copy of this object while
 * sampling runs, into walkers[0]) once it is there. Verifying the walker takes 0.2-0.5 s: that
 * wait is off the first frame's path. */
const volatile bool unwind_tail = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by userspace */
} events SEC(".maps");

/* Wanted tgids (value unused). Sized by userspace; hundreds by default. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FT_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* The record is built in this per-CPU buffer, then copied out with only the bytes used:
 * bpf_get_stack() zero-fills what it does not use, and doing that to 2 KiB of ringbuf memory
 * (always cold: the ring cycles through megabytes) cost more than the capture. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_sample);
} scratch_map SEC(".maps");

/* Slot 0: profile_walk, once userspace has loaded it; empty until then. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} walkers SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		*v += 1; /* per-CPU slot: no atomics needed */
}

static __always_inline void count_add(__u32 which, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		*v += n;
}

/* CPython's own frames after the native ones, for processes userspace configured; timed, so
 * the walker's cost per sample is known exactly (--verbose, bench/python.py). */
static __always_inline __u32 python_frames(__u32 tgid, __u32 tid, __u64 *out, __u32 base)
{
	struct ft_py_proc *cfg = bpf_map_lookup_elem(&py_procs, &tgid);
	__u64 t0;
	__u32 py;

	if (!cfg)
		return 0;
	t0 = bpf_ktime_get_ns();
	py = py_walk(cfg, tid, out, base);
	count(FT_CNT_PY_WALKS);
	if (!(py & FT_PY_THREAD))
		count(FT_CNT_PY_NO_THREAD);
	count_add(FT_CNT_PY_NS, bpf_ktime_get_ns() - t0);
	return py;
}

static __always_inline __u64 submit_flags(void)
{
	/* Batch wakeups: at thousands of samples a second, one wakeup per sample would cost
	 * more than the sample. Userspace also polls with a short timeout. */
	if (!wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									      : BPF_RB_NO_WAKEUP;
}

static __always_inline void fill_hdr(struct ft_hdr *h, __u32 type, __u64 id)
{
	h->type = type;
	h->tgid = id >> 32;
	h->tid = (__u32)id;
	h->cpu = bpf_get_smp_processor_id();
	h->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/* The replaceable user-unwinding step: the tables where the process has them (--unwind dwarf
 * or auto), else frame pointers through the kernel's helper. Returns the bytes written to the
 * stack at slot `base`, or a negative error. */
static __always_inline long capture_user_stack(struct bpf_perf_event_data *ctx,
					       struct ft_sample *s, __u32 base, __u32 tgid,
					       __u32 *ret_kind)
{
	if (unwind_mode != UW_MODE_FP) {
		__u32 marked = 0, pending = 0, zero = 0;
		struct uw_budget *b = bpf_map_lookup_elem(&unwind_budget, &zero);
		__u64 t0 = bpf_ktime_get_ns();
		long n;

		if (b && t0 - b->window_start >= UW_WINDOW_NS) {
			b->window_start = t0;
			b->spent = 0;
		}
		if (b && b->spent >= UW_BUDGET_NS) {
			count(FT_CNT_UNWIND_SHED);
			goto fp;
		}
		n = uw_walk(tgid, s->stack, base, &marked, &pending);
		if (b)
			b->spent += bpf_ktime_get_ns() - t0;
		if (n >= 0) {
			if (marked)
				count(FT_CNT_UNWIND_MARKED);
			if (pending)
				count(FT_CNT_UNWIND_NOT_READY);
			*ret_kind = FT_USTACK_DWARF;
			return n;
		}
		count(FT_CNT_UNWIND_NOT_READY);
	}
fp:
	*ret_kind = FT_USTACK_FP;
	return bpf_get_stack(ctx, (void *)s->stack + base * 8, FT_MAX_STACK * 8,
			     BPF_F_USER_STACK);
}

/* A sample that interrupted user mode has no kernel stack (perf's callchain code skips it
 * the same way): say so without the helper call and its 1 KiB zero-fill. */
static __always_inline bool interrupted_user(struct bpf_perf_event_data *ctx)
{
#if defined(__TARGET_ARCH_x86)
	/* a whole-word load: the verifier rejects narrower reads of the saved registers */
	return (*(volatile __u64 *)&ctx->regs.cs & 3) == 3;
#else
	return false; /* capture and let the kernel decide */
#endif
}

/* Captures both stacks of a sample that passed the filters and sends it. */
static __always_inline int emit_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;
	__u32 tid = (__u32)id, zero = 0, ukind = 0;
	struct ft_sample *s;
	long ksz, usz = 0, koff, uoff, size;
	__u32 py = 0;

	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 0;
	ksz = interrupted_user(ctx) ? 0 : bpf_get_stack(ctx, s->stack, FT_MAX_STACK * 8, 0);
	/* the user stack follows the kernel's; the mask keeps the offset provably in bounds */
	koff = ksz > 0 ? ksz & (FT_MAX_STACK + 1) * 8 - 1 : 0;
	if (tid)
		usz = capture_user_stack(ctx, s, koff / 8, tgid, &ukind);
	uoff = usz > 0 ? usz & (FT_MAX_STACK + 1) * 8 - 1 : 0;
	if (tid)
		py = python_frames(tgid, tid, s->stack, (koff + uoff) / 8);
	if (ksz < 0)
		count(FT_CNT_KSTACK_ERR);
	if (usz < 0)
		count(FT_CNT_USTACK_ERR);
	fill_hdr(&s->hdr, FT_REC_SAMPLE, id);
	s->kstack_sz = ksz;
	s->ustack_sz = usz;
	s->ustack_kind = ukind;
	s->py_frames = py;
	size = FT_SAMPLE_HDR_SIZE + koff + uoff +
	       (FT_PY_COUNT(py) & (FT_PY_MAX_FRAMES * 2 - 1)) * FT_PY_SLOTS * 8;
	if (size > sizeof(*s))
		size = sizeof(*s);
	if (bpf_ringbuf_output(&events, s, size, submit_flags())) {
		count(FT_CNT_RINGBUF_FULL);
		return 0;
	}
	count(FT_CNT_EMITTED);
	return 0;
}

SEC("perf_event")
int profile_sample(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;

	count(FT_CNT_SEEN);
	if ((__u32)id == 0 && !include_idle) {
		count(FT_CNT_IDLE);
		return 0;
	}
	if (filter_pids && !bpf_map_lookup_elem(&pids, &tgid)) {
		count(FT_CNT_FILTERED);
		return 0;
	}
	if (unwind_tail) {
		bpf_tail_call(ctx, &walkers, 0);
		/* only reached while the walker is not loaded yet: frame pointers, counted */
		count(FT_CNT_UNWIND_NOT_READY);
	}
	return emit_sample(ctx);
}

/* The same sample, past the filters, with the table walk (loaded with unwind_mode set). */
SEC("perf_event")
int profile_walk(struct bpf_perf_event_data *ctx)
{
	return emit_sample(ctx);
}

static __always_inline void proc_event(__u32 type, __u64 id, __u32 parent)
{
	struct ft_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count(FT_CNT_EVENT_LOST);
		return;
	}
	fill_hdr(&e->hdr, type, id);
	e->parent_tgid = parent;
	e->pad = 0;
	/* --comm decides in userspace whether a new program joins the filter: wake it now, or
	 * a short-lived process is over before it is let in. */
	bpf_ringbuf_submit(e, type == FT_REC_EXEC && all_execs ? BPF_RB_FORCE_WAKEUP
								: submit_flags());
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(profile_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;

	/* the old program's tables must not unwind the new one: userspace reloads on the record */
	if (unwind_mode != UW_MODE_FP || unwind_tail)
		bpf_map_delete_elem(&unwind_procs, &tgid);
	/* nor the old interpreter's layout walk the new program, even if userspace missed this */
	bpf_map_delete_elem(&py_procs, &tgid);
	if (filter_pids && !all_execs && !bpf_map_lookup_elem(&pids, &tgid))
		return 0;
	proc_event(FT_REC_EXEC, id, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(profile_exit, struct task_struct *p)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;

	/* do_exit() counted this thread out of signal->live before the tracepoint: zero means
	 * the last thread of the process is leaving (the leader may exit before the others). */
	if (BPF_CORE_READ(p, signal, live.counter) != 0)
		return 0;
	bpf_map_delete_elem(&py_procs, &tgid); /* a reused pid must not be walked as Python */
	if (filter_pids) {
		if (!bpf_map_lookup_elem(&pids, &tgid)) {
			if (all_exits)
				proc_event(FT_REC_EXIT, id, 0);
			return 0;
		}
		/* A dead process leaves the filter, so fork storms cannot fill it with the
		 * dead, and a reused pid is not profiled by mistake. */
		bpf_map_delete_elem(&pids, &tgid);
	}
	proc_event(FT_REC_EXIT, id, 0);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(profile_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 cpid = BPF_CORE_READ(child, pid);
	__u8 one = 1;

	if (ptgid == ctgid)
		return 0; /* a new thread of the same process */
	if (!follow_forks || !bpf_map_lookup_elem(&pids, &ptgid))
		return 0;
	if (bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY))
		count(FT_CNT_FILTER_FULL);
	proc_event(FT_REC_FORK, ((__u64)ctgid << 32) | cpid, ptgid);
	return 0;
}
