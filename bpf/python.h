/* SPDX-License-Identifier: MIT */
/*
 * What the CPython walker (bpf/python.bpf.h) and userspace (src/runtimes/) share: the per-process
 * configuration userspace writes once it found the interpreter (where _PyRuntime is, and the
 * offsets of the fields the walk follows, from src/runtimes/pyoffsets.c), and how one Python
 * frame travels in a sample record. Only __u16/__u32/__u64: included by both sides.
 */
#ifndef FLAMETUI_PYTHON_H
#define FLAMETUI_PYTHON_H

/* One per Python process, keyed by tgid. Offsets are bytes within the named struct. */
struct ft_py_proc {
	__u64 runtime;		    /* address of _PyRuntime in the process */
	__u16 rt_interp_head;	    /* _PyRuntime.interpreters.head */
	__u16 rt_tstate_current;    /* _PyRuntime.gilstate.tstate_current (the GIL holder) */
	__u16 interp_tstate_head;   /* PyInterpreterState.threads.head */
	__u16 tstate_next;	    /* PyThreadState.next */
	__u16 tstate_native_tid;    /* PyThreadState.native_thread_id */
	__u16 tstate_cframe;	    /* PyThreadState.cframe */
	__u16 cframe_current_frame; /* _PyCFrame.current_frame */
	__u16 frame_code;	    /* _PyInterpreterFrame.f_code */
	__u16 frame_previous;	    /* _PyInterpreterFrame.previous */
	__u16 frame_prev_instr;	    /* _PyInterpreterFrame.prev_instr */
	__u16 frame_is_entry;	    /* _PyInterpreterFrame.is_entry (a byte) */
	__u16 code_firstlineno;	    /* PyCodeObject.co_firstlineno (an int) */
	__u16 code_adaptive;	    /* PyCodeObject.co_code_adaptive (the instructions) */
	/* The walker reads each frame's fields in one read: frame_span bytes (at most 64) from
	 * the lowest of the four frame offsets above, frame_code; the others lie within. */
	__u16 frame_span;
	__u16 pad[2];
};

/*
 * A Python frame in a sample: slot 0 the code object's address; slot 1 the instruction
 * offset in code units (low 32 bits; FT_PY_NO_LASTI before the first instruction), the code
 * object's co_firstlineno (bits 32..62: userspace checks the object it reads is still the one
 * the kernel saw) and bit 63 set on the frame a C call of the eval loop entered (is_entry: the
 * outermost frame of one _PyEval_EvalFrameDefault activation).
 */
#define FT_PY_NO_LASTI	   0xffffffffu
#define FT_PY_ENTRY	   (1ull << 63)
#define FT_PY_FIRSTLINE(v) ((__u32)((v) >> 32) & 0x7fffffffu)

/* ft_sample.py_frames: the count in the low 16 bits, flags above. */
#define FT_PY_COUNT(v)	((v)&0xffffu)
#define FT_PY_THREAD	(1u << 16) /* the thread has a PyThreadState (a Python process) */
#define FT_PY_GIL	(1u << 17) /* ... and held the GIL when sampled */
#define FT_PY_TRUNCATED (1u << 18) /* the walk stopped at FT_PY_MAX_FRAMES or a failed read */

#endif
