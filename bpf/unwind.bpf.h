/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The .eh_frame walk (included by profile.bpf.c): user stacks of code without frame pointers,
 * from the compact tables userspace built (bpf/unwind.h, src/unwind/). Per frame: which of
 * the process's mappings holds the PC (binary search in its sorted array), which row of that
 * binary's table covers it (binary search in its run of the global rows array), then the CFA,
 * the return address at CFA-8 and the saved RBP, each read checked. Code without a table
 * (JIT, binaries without .eh_frame) falls back to frame pointers frame by frame when allowed.
 * A chain that breaks ends with one marker frame (FT_UNWIND_MARK_BASE + reason). Bounded:
 * bpf_loop runs at most FT_MAX_STACK steps, each with two searches of fixed depth.
 */
#ifndef FLAMETUI_UNWIND_BPF_H
#define FLAMETUI_UNWIND_BPF_H

#include "unwind.h"

enum { UW_MODE_FP = 0, UW_MODE_DWARF = 1, UW_MODE_AUTO = 2 };
const volatile __u32 unwind_mode = UW_MODE_FP; /* --unwind */

/* The walk's CPU budget: at most UW_BUDGET_NS of every UW_WINDOW_NS on each CPU (5%). Past it,
 * samples use frame pointers until the window ends (counted: FT_CNT_UNWIND_SHED), so a deep
 * stack sampled at a high rate cannot turn the profiler into the machine's main load. */
#define UW_WINDOW_NS (100 * 1000000ull)
#define UW_BUDGET_NS (5 * 1000000ull)

struct uw_budget {
	__u64 window_start, spent;
	/* uw_map_search's index goes through here: a value read from a map is unknown to the
	 * verifier, so it does not carry the search's ranges down 2^8 paths (83k of the 94k
	 * instructions it processed); per CPU, and a perf_event program never nests on one */
	__u32 mid, pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_budget);
} unwind_budget SEC(".maps");

/* Every binary's rows, each table a sorted run; sized by userspace (--unwind-mem), which
 * copies tables in through a mapping of it. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ft_unwind_row);
} unwind_rows SEC(".maps");

/* tgid -> its executable mappings with the table of each; written whole by userspace, so a
 * process never sees half of an update. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct ft_unwind_proc);
} unwind_procs SEC(".maps");

/*
 * The walk's reads of the user stack go through a window: a miss copies up to UW_WIN_BYTES
 * (never past the end of the page, so it cannot fail where an 8-byte read would not), and the
 * next frames' return addresses and saved registers, a few hundred bytes up, come from it.
 * Each bpf_probe_read_user costs 200-300 ns in this VM, the same for 8 bytes as for 1 KiB;
 * one per frame pair made most of the walk's cost. Per CPU, reset at every walk.
 */
#define UW_WIN_BYTES 1024
#define UW_WIN_WORDS (UW_WIN_BYTES / 8)

struct uw_window {
	__u64 base; /* user address of w[0] */
	__u32 len;  /* valid bytes from base; 0: empty */
	__u32 pad;
	__u64 w[UW_WIN_WORDS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uw_window);
} unwind_window SEC(".maps");

/* x86_64: where __restore_rt finds the interrupted registers (struct ucontext at RSP:
 * uc_mcontext at 40, then r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip). */
#define UW_SIGCTX_RBP (40 + 10 * 8)
#define UW_SIGCTX_RSP (40 + 15 * 8)
#define UW_SIGCTX_RIP (40 + 16 * 8)

/* The registers the walk follows, and what the frame step decides. */
struct uw_regs {
	__u64 pc, sp, bp;
	__u32 tgid;
	__u32 exact;   /* pc is not a return address (first frame, after a signal) */
	__u32 pending; /* a frame was in a binary whose table is not built yet */
	__u32 hint;    /* index + 1 of the mapping the last frame was in (callers often share it) */
	__u32 via_fp;  /* pc came from a frame-pointer step (it may be garbage), not a table's */
	__u32 pad;
};

enum { UW_NEXT = 0, UW_END = 1, UW_MARK = 2 /* + enum ft_unwind_mark */ };

struct uw_state {
	struct uw_regs r;
	struct ft_unwind_proc *proc; /* the process's mappings, looked up once per walk */
	struct uw_window *win;
	__u64 *out;   /* the sample's stack[] (a map value) */
	__u32 base;   /* slot of the first user frame in out[] */
	__u32 n;      /* frames written */
	__u32 marked; /* the walk ended with a marker frame */
};

static __always_inline void uw_emit(struct uw_state *st, __u64 v)
{
	if (st->n < FT_MAX_STACK) {
		st->out[(st->base + st->n) & (FT_STACK_SLOTS - 1)] = v;
		st->n++;
	}
}

static __always_inline long uw_mark(struct uw_state *st, __u32 why)
{
	uw_emit(st, FT_UNWIND_MARK_BASE + why);
	st->marked = 1;
	return 1; /* stop the loop */
}

/* The index + 1 of the mapping in p that holds pc, or 0 (a global function, as below). */
__noinline int uw_map_search(struct ft_unwind_proc *p, __u64 pc)
{
	__u32 lo = 0, hi, zero = 0;
	struct uw_budget *sc = bpf_map_lookup_elem(&unwind_budget, &zero);

	if (!p || !sc)
		return 0;
	/* Masked, not clamped: a clamp gives the verifier a constant to follow down every path
	 * of the search; indexes are masked below, so a bad n reads only wrong entries. */
	hi = p->n & (2 * FT_UNWIND_MAX_MAPS - 1);
	for (int i = 0; i < 8 && lo < hi; i++) { /* 2^8 > FT_UNWIND_MAX_MAPS */
		__u32 mid;

		sc->mid = lo + (hi - lo) / 2;
		mid = *(volatile __u32 *)&sc->mid;
		if (p->maps[mid & (FT_UNWIND_MAX_MAPS - 1)].start <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || pc >= p->maps[(lo - 1) & (FT_UNWIND_MAX_MAPS - 1)].end)
		return 0;
	return (int)lo;
}

/*
 * The index + 1 of the last row at or below vaddr in the table at rows [first, first + count),
 * or 0; its page index (idx entries at first + count) narrows the search to one page's rows.
 * A global function: the verifier checks it once, not once for every path through the frame
 * step. Mirrored by rowindex__find() (src/unwind/rowindex.c), which the unit tests check.
 */
__noinline int uw_row_search(__u32 first, __u32 count, __u32 nidx, __u32 pc_lo, __u64 vaddr)
{
	__u32 lo = 0, hi = count;

	if (vaddr > 0xffffffffull || first + count < first)
		return 0;
	if (nidx) {
		__u64 k;

		if (vaddr < pc_lo)
			return 0;
		k = (vaddr - pc_lo) >> FT_UNWIND_PAGE_SHIFT;
		if (k + 1 < nidx) {
			__u32 at = first + count + (__u32)k, at1 = at + 1;
			struct ft_unwind_row *a = bpf_map_lookup_elem(&unwind_rows, &at);
			struct ft_unwind_row *b = bpf_map_lookup_elem(&unwind_rows, &at1);

			if (!a || !b)
				return 0;
			lo = a->pc;
			hi = b->pc;
			if (hi > count)
				hi = count; /* a damaged index must not leave the table */
		} else {
			lo = hi = count; /* past the last page: every row is below vaddr */
		}
	}
	for (int i = 0; i < 24 && lo < hi; i++) { /* tables hold fewer than 2^22 rows */
		__u32 mid = first + lo + (hi - lo) / 2;
		struct ft_unwind_row *r = bpf_map_lookup_elem(&unwind_rows, &mid);

		if (!r)
			return 0;
		if (r->pc <= vaddr)
			lo = mid - first + 1;
		else
			hi = mid - first;
	}
	return (int)lo;
}

static __always_inline int uw_read(struct uw_window *w, __u64 *dst, __u64 addr)
{
	if (w && !(addr & 7)) {
		__u64 off = addr - w->base;
		__u32 sz;

		if (off < w->len) {
			*dst = w->w[(off >> 3) & (UW_WIN_WORDS - 1)];
			return 0;
		}
		sz = 4096 - (__u32)(addr & 4095);
		if (sz > UW_WIN_BYTES)
			sz = UW_WIN_BYTES;
		if (!bpf_probe_read_user(w->w, sz, (const void *)addr)) {
			w->base = addr;
			w->len = sz;
			*dst = w->w[0];
			return 0;
		}
		w->len = 0;
	}
	return bpf_probe_read_user(dst, sizeof(*dst), (const void *)addr);
}

/* One frame by frame pointers: RBP points at the saved RBP, the return address above it. */
static __always_inline int uw_fp_step(struct uw_regs *r, struct uw_window *w)
{
	__u64 bp = r->bp, nbp, ra;

	if (unwind_mode != UW_MODE_AUTO)
		return UW_MARK + FT_UW_MARK_NO_TABLE;
	if (!bp)
		return UW_END; /* the end of the chain */
	if (bp < r->sp || bp & 7 || uw_read(w, &nbp, bp) || uw_read(w, &ra, bp + 8))
		return UW_MARK + FT_UW_MARK_NO_TABLE;
	r->sp = bp + 16;
	r->bp = nbp;
	r->pc = ra;
	r->exact = 0;
	r->via_fp = 1;
	return ra ? UW_NEXT : UW_END;
}

/*
 * From one frame's registers to its caller's: UW_NEXT, UW_END, or UW_MARK + why. A global
 * function, verified once: inlined into the bpf_loop callback, its branches multiplied the
 * verifier's states until loading took seconds.
 */
__noinline int uw_frame(struct uw_regs *r, struct ft_unwind_proc *p, struct uw_window *w)
{
	struct ft_unwind_row *row = NULL;
	__u64 cfa, ra, pc;
	__u32 idx;

	if (!r)
		return UW_END;
	pc = r->pc;
	if (!r->exact)
		pc--; /* a return address: the call instruction is before it */
	idx = 0;
	if (p && r->hint) {
		struct ft_unwind_map *h = &p->maps[(r->hint - 1) & (FT_UNWIND_MAX_MAPS - 1)];

		if (h->start <= pc && pc < h->end)
			idx = r->hint;
	}
	if (p && !idx) {
		idx = (__u32)uw_map_search(p, pc);
		/* in no mapping the process had when loaded: mapped since, not yet reloaded */
		if (!idx && !r->via_fp && (p->flags & FT_UNWIND_PROC_COMPLETE))
			r->pending = 1;
	}
	r->hint = idx;
	if (idx) {
		struct ft_unwind_map *m = &p->maps[(idx - 1) & (FT_UNWIND_MAX_MAPS - 1)];
		__u32 ri = m->row_count ? (__u32)uw_row_search(m->row_start, m->row_count,
								m->idx_count, m->idx_pc_lo,
								pc - m->bias)
					: 0;

		if (!m->row_count && m->row_start == FT_UNWIND_PENDING)
			r->pending = 1;

		if (ri) {
			ri += m->row_start - 1;
			row = bpf_map_lookup_elem(&unwind_rows, &ri);
		}
	}
	if (!row)
		return uw_fp_step(r, w);
	switch (row->kind) {
	case FT_UW_END:
		return UW_END;
	case FT_UW_CFA_RSP:
		cfa = r->sp + row->cfa_off;
		break;
	case FT_UW_CFA_RBP:
		cfa = r->bp + row->cfa_off;
		break;
	case FT_UW_PLT:
		cfa = r->sp + 8 + ((r->pc & 15) >= 11 ? 8 : 0);
		break;
	case FT_UW_SIGNAL: {
		__u64 sp = r->sp, npc, nsp, nbp;

		if (uw_read(w, &npc, sp + UW_SIGCTX_RIP) || uw_read(w, &nsp, sp + UW_SIGCTX_RSP) ||
		    uw_read(w, &nbp, sp + UW_SIGCTX_RBP))
			return UW_MARK + FT_UW_MARK_READ_FAILED;
		r->pc = npc;
		r->sp = nsp;
		r->bp = nbp;
		r->exact = 1; /* the interrupted instruction itself */
		r->via_fp = 0;
		return UW_NEXT;
	}
	default:
		return uw_fp_step(r, w);
	}
	if (cfa <= r->sp)
		return UW_MARK + FT_UW_MARK_NO_PROGRESS;
	if (uw_read(w, &ra, cfa - 8))
		return UW_MARK + FT_UW_MARK_READ_FAILED;
	if (row->rbp_off8) {
		__u64 nbp;

		if (uw_read(w, &nbp, cfa + (__s64)row->rbp_off8 * 8))
			return UW_MARK + FT_UW_MARK_READ_FAILED;
		r->bp = nbp;
	}
	r->sp = cfa;
	r->pc = ra;
	r->exact = 0;
	r->via_fp = 0;
	return ra ? UW_NEXT : UW_END;
}

static long uw_step(__u32 i, struct uw_state *st)
{
	__u64 pc = st->r.pc;
	int ret;

	if (st->n >= FT_MAX_STACK)
		return uw_mark(st, FT_UW_MARK_DEEP);
	if (pc < 4096 || pc >= FT_UNWIND_MARK_BASE)
		return 1;
	uw_emit(st, pc);
	ret = uw_frame(&st->r, st->proc, st->win);
	if (ret == UW_NEXT)
		return 0;
	if (ret == UW_END)
		return 1;
	return uw_mark(st, (__u32)(ret - UW_MARK));
}

/*
 * Walks the current task's user stack into out[base..]; returns the bytes written, or -ENOENT
 * when the process has no tables (yet): the caller then uses frame pointers. *ret_marked says
 * whether the walk ended on a marker frame, *ret_pending whether a frame's table was not built
 * yet.
 */
static __always_inline long uw_walk(__u32 tgid, __u64 *out, __u32 base, __u32 *ret_marked,
				    __u32 *ret_pending)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ft_unwind_proc *proc = bpf_map_lookup_elem(&unwind_procs, &tgid);
	__u32 zero = 0;
	struct uw_window *win = bpf_map_lookup_elem(&unwind_window, &zero);
	struct uw_state st = {
	    .r = {.tgid = tgid, .exact = 1}, .proc = proc, .win = win, .out = out, .base = base};
	struct pt_regs *regs;

	if (!proc || !BPF_CORE_READ(task, mm))
		return -2; /* -ENOENT */
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	if (!regs)
		return -2; /* -ENOENT */
	st.r.pc = BPF_CORE_READ(regs, ip);
	st.r.sp = BPF_CORE_READ(regs, sp);
	st.r.bp = BPF_CORE_READ(regs, bp);
	if (win)
		win->len = 0;
	bpf_loop(FT_MAX_STACK + 1, uw_step, &st, 0);
	*ret_marked = st.marked;
	*ret_pending = st.r.pending;
	return (long)st.n * 8;
}

#endif
