/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPython walker (included by profile.bpf.c): for a process userspace configured
 * (py_procs, bpf/python.h), find the sampled thread's PyThreadState by walking the main
 * interpreter's thread list for the one whose native_thread_id is the sampled tid, then follow
 * tstate->cframe->current_frame and each _PyInterpreterFrame's `previous`, sending (code object,
 * instruction offset, first line, is_entry) per frame after the user stack. Every read is a
 * checked bpf_probe_read_user of the process's own memory: a process that lies about its
 * frames gets wrong-looking frames of its own, never a stall (both walks are bpf_loop bounded:
 * FT_PY_MAX_THREADS threads, FT_PY_MAX_FRAMES frames).
 */
#ifndef FLAMETUI_PYTHON_BPF_H
#define FLAMETUI_PYTHON_BPF_H

#include "python.h"

#define FT_PY_MAX_THREADS 256

/* Sized by userspace; a process that does not fit has native frames only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_py_proc);
} py_procs SEC(".maps");

/* One frame's fields, read at once (a map value: the offsets into it vary by version). */
struct py_frame_buf {
	__u8 b[72];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct py_frame_buf);
} py_frame_buf SEC(".maps");

struct py_walk {
	struct ft_py_proc cfg; /* a copy: the callbacks only see the stack */
	__u64 *out;	       /* the sample's stack[] (a map value) */
	__u64 addr;	       /* the thread state, then the frame, being looked at */
	__u32 base;	       /* slot of the first Python frame in out[] */
	__u32 tid;
	__u32 n;
	__u32 truncated;
};

static long py_thread_step(__u32 i, void *ctx)
{
	struct py_walk *w = ctx;
	__u64 tid = 0, next = 0;

	if (!w->addr)
		return 1;
	if (bpf_probe_read_user(&tid, sizeof(tid), (void *)(w->addr + w->cfg.tstate_native_tid)))
		goto none;
	if (tid == w->tid)
		return 1; /* found: w->addr is the thread state */
	if (bpf_probe_read_user(&next, sizeof(next), (void *)(w->addr + w->cfg.tstate_next)))
		goto none;
	w->addr = next;
	return 0;
none:
	w->addr = 0;
	return 1;
}

static long py_frame_step(__u32 i, void *ctx)
{
	struct py_walk *w = ctx;
	__u64 code, prev, instr, lasti = FT_PY_NO_LASTI, v;
	__u32 slot, zero = 0, base = w->cfg.frame_code;
	struct py_frame_buf *fb = bpf_map_lookup_elem(&py_frame_buf, &zero);
	__u8 entry;
	__s32 first = 0;

	if (!w->addr || !fb)
		return 1;
	if (w->n >= FT_PY_MAX_FRAMES) {
		w->truncated = 1;
		return 1;
	}
	/* two reads a frame: its fields at once, then the code object's first line */
	if (bpf_probe_read_user(fb->b, w->cfg.frame_span & 63, (void *)(w->addr + base))) {
		w->truncated = 1;
		return 1;
	}
	code = *(__u64 *)&fb->b[(w->cfg.frame_code - base) & 63];
	prev = *(__u64 *)&fb->b[(w->cfg.frame_previous - base) & 63];
	instr = *(__u64 *)&fb->b[(w->cfg.frame_prev_instr - base) & 63];
	entry = fb->b[(w->cfg.frame_is_entry - base) & 63];
	if (bpf_probe_read_user(&first, sizeof(first), (void *)(code + w->cfg.code_firstlineno))) {
		w->truncated = 1;
		return 1;
	}
	/* prev_instr points at the instruction running (one before the first at entry) */
	if (instr >= code + w->cfg.code_adaptive && instr - code - w->cfg.code_adaptive < 1ull
											      << 32)
		lasti = (instr - code - w->cfg.code_adaptive) / 2;
	v = lasti | (__u64)((__u32)first & 0x7fffffffu) << 32 | (entry ? FT_PY_ENTRY : 0);
	slot = w->base + w->n * FT_PY_SLOTS;
	w->out[slot & (FT_STACK_SLOTS - 1)] = code;
	w->out[(slot + 1) & (FT_STACK_SLOTS - 1)] = v;
	w->n++;
	w->addr = prev;
	return 0;
}

/* The sampled thread's Python frames at slot `base` of out[], for a process userspace
 * configured (cfg, from py_procs); returns ft_sample.py_frames. */
static __always_inline __u32 py_walk(const struct ft_py_proc *cfg, __u32 tid, __u64 *out,
				     __u32 base)
{
	struct py_walk w = {};
	__u64 interp = 0, holder = 0, cframe = 0;
	__u32 flags;

	w.cfg = *cfg;
	w.out = out;
	w.base = base;
	w.tid = tid;
	if (bpf_probe_read_user(&interp, sizeof(interp),
				(void *)(w.cfg.runtime + w.cfg.rt_interp_head)) ||
	    !interp ||
	    bpf_probe_read_user(&w.addr, sizeof(w.addr),
				(void *)(interp + w.cfg.interp_tstate_head)))
		return 0;
	bpf_loop(FT_PY_MAX_THREADS, py_thread_step, &w, 0);
	if (!w.addr)
		return 0; /* a thread Python does not know (or more threads than we look at) */
	flags = FT_PY_THREAD;
	if (!bpf_probe_read_user(&holder, sizeof(holder),
				 (void *)(w.cfg.runtime + w.cfg.rt_tstate_current)) &&
	    holder == w.addr)
		flags |= FT_PY_GIL;
	if (bpf_probe_read_user(&cframe, sizeof(cframe), (void *)(w.addr + w.cfg.tstate_cframe)) ||
	    !cframe ||
	    bpf_probe_read_user(&w.addr, sizeof(w.addr),
				(void *)(cframe + w.cfg.cframe_current_frame)))
		return flags;
	bpf_loop(FT_PY_MAX_FRAMES + 1, py_frame_step, &w, 0);
	if (w.truncated)
		flags |= FT_PY_TRUNCATED;
	return flags | (w.n & 0xffff);
}

#endif
