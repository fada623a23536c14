/* SPDX-License-Identifier: MIT */
/*
 * The record layout shared by the BPF program (bpf/profile.bpf.c) and userspace
 * (src/sampler.c). Only __u32/__u64 and fixed arrays: it is included by both sides.
 */
#ifndef FLAMETUI_PROFILE_H
#define FLAMETUI_PROFILE_H

#define FT_MAX_STACK 127 /* the kernel's default perf_event_max_stack */
#define FT_COMM_LEN 16

/* Record types in the ringbuf; every record starts with struct ft_hdr. */
enum ft_record_type {
	FT_REC_SAMPLE = 1,
	FT_REC_EXEC = 2, /* a process exec'd: its mappings changed */
	FT_REC_EXIT = 3, /* a process (thread group) exited */
	FT_REC_FORK = 4, /* a process forked a child that follows the filter */
};

/* Per-CPU counters: every sample the perf event delivers ends up in exactly one of
 * EMITTED, IDLE, FILTERED or RINGBUF_FULL. Stack errors are counted on top. */
enum ft_counter {
	FT_CNT_SEEN = 0,     /* program runs on the perf event */
	FT_CNT_EMITTED,	     /* sample records submitted to the ringbuf */
	FT_CNT_IDLE,	     /* idle-task samples dropped (no --enable-idle) */
	FT_CNT_FILTERED,     /* samples of processes outside the pid filter */
	FT_CNT_RINGBUF_FULL, /* samples lost because the ringbuf was full */
	FT_CNT_KSTACK_ERR,   /* kernel stack capture failed (record still sent) */
	FT_CNT_USTACK_ERR,   /* user stack capture failed (record still sent) */
	FT_CNT_EVENT_LOST,   /* exec/exit/fork records lost to a full ringbuf */
	FT_CNT_FILTER_FULL,  /* forked children that did not fit the pid filter map */
	FT_CNT_UNWIND_NOT_READY, /* --unwind dwarf/auto: unwound before its tables were ready */
	FT_CNT_UNWIND_MARKED,	 /* table walks that ended on a marker frame (chain broken) */
	FT_CNT_UNWIND_SHED,	 /* table walks skipped (frame pointers) over the walker's CPU budget */
	FT_CNT_PY_WALKS,	 /* samples of configured Python processes (bpf/python.bpf.h) */
	FT_CNT_PY_NS,		 /* nanoseconds those walks took, in all */
	FT_CNT_PY_NO_THREAD,	 /* ... that found no thread state (unknown thread, failed read) */
	FT_CNT_MAX,
};

struct ft_hdr {
	__u32 type; /* enum ft_record_type */
	__u32 tgid;
	__u32 tid;
	__u32 cpu;
	__u64 ts; /* bpf_ktime_get_ns() */
	char comm[FT_COMM_LEN];
};

/* User-stack unwinding is one step with its own flag, so another unwinder (.eh_frame, from
 * a copy of the stack) can replace the frame-pointer one without touching the rest. */
#define FT_USTACK_FP 1u
#define FT_USTACK_DWARF 2u /* the .eh_frame walk (bpf/unwind.bpf.h): may end on a marker frame */

/* A sample record is variable-length: the header, then kstack_sz bytes of kernel stack, then
 * ustack_sz bytes of user stack (innermost first each), then py_frames Python frames
 * (FT_PY_SLOTS slots each, innermost first), nothing after. Only what was captured
 * travels: most stacks use a tenth of the 2 KiB a fixed layout would reserve in the ringbuf. */
/* Python frames (bpf/python.h) follow the user stack: FT_PY_SLOTS slots each, py_frames of them. */
#define FT_PY_MAX_FRAMES 64
#define FT_PY_SLOTS 2
/* room for both stacks and the Python frames, a power of two (offsets are masked with it) */
#define FT_STACK_SLOTS (4 * (FT_MAX_STACK + 1))

struct ft_sample {
	struct ft_hdr hdr;
	__s32 kstack_sz; /* bytes of kernel stack in stack[], or a negative error (none) */
	__s32 ustack_sz; /* bytes of user stack after it, or a negative error (none) */
	__u32 ustack_kind; /* FT_USTACK_* */
	__u32 py_frames;   /* Python frames after the user stack (bpf/python.h), at most 64 */
	__u64 stack[FT_STACK_SLOTS];
};

#define FT_SAMPLE_HDR_SIZE (sizeof(struct ft_sample) - FT_STACK_SLOTS * 8)

struct ft_proc_event {
	struct ft_hdr hdr;
	__u32 parent_tgid; /* FT_REC_FORK: the parent */
	__u32 pad;
};

#endif
