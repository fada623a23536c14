# SPDX-License-Identifier: MIT
"""Sections 1 and 2, overhead and own cost: ft-tree's throughput alone and under each
profiler (alternating runs, each compared with the alone runs around it), the CPU each
profiler was accounted, the BPF programs' run time per sample, and flametui's userspace cost
per sample in steady state."""
import os
import subprocess
import time

from .procs import FLAMETUI, TREE, cpu_snapshot, kill, log, prog_runs, wait_ready
from .profilers import profiled_run
from .report import fmt, med, target, verdict


def overhead_and_cost(ctx, rates, reps, seconds, bcc_ok):
    """Alternating runs: alone, profiler, (quick: profiler,) alone, ... with the profiler
    order rotated every rep. Each profiled run is compared with the mean of the alone runs
    just before and after it."""
    tools = ["floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace"]
    per_alone = 2 if ctx.quick else 1
    runs = {}
    for hz in rates:
        order = list(tools)
        if bcc_ok and (not ctx.quick or hz == 999):
            order.append("bcc")
        for rep in range(reps):
            k = rep % len(order)
            rot = [t for t in order[k:] + order[:k] if not (t == "bcc" and ctx.quick and rep)]
            seq = []
            for i, tool in enumerate(rot):
                if i % per_alone == 0:
                    seq.append(None)
                seq.append(tool)
            seq.append(None)
            done, last_alone, pending = [], None, []
            for tool in seq:
                if tool is None:
                    a = profiled_run(ctx, None, hz, seconds, "a")
                    runs.setdefault((None, hz), []).append(a)
                    for r in pending:
                        xs = [x for x in (last_alone, a.get("rps")) if x]
                        r["alone"] = sum(xs) / len(xs) if xs else None
                    pending, last_alone = [], a.get("rps")
                    continue
                # bpftrace symbolizes every stack of the machine when it prints (tens of
                # CPU seconds here): too slow for --quick
                keep = hz == 999 and rep == 0 and not (ctx.quick and tool == "bpftrace")
                r = profiled_run(ctx, tool, hz, seconds, str(rep), keep)
                runs.setdefault((tool, hz), []).append(r)
                pending.append(r)
                if r.get("error"):
                    log("%s @%d Hz: %s" % (tool, hz, r["error"]))
                else:
                    log("%s @%d Hz rep %d: %.0f rounds/s" % (tool, hz, rep, r["rps"] or 0))
    return runs


def report_overhead(ctx, runs, rates, bcc_ok):
    ratios = {}
    for (tool, hz), rs in runs.items():
        if tool is None:
            continue
        rr = [100.0 * r["rps"] / r["alone"] for r in rs
              if r.get("rps") and r.get("alone")]
        ratios[(tool, hz)] = rr
    for hz in rates:
        floor = med(ratios.get(("floor", hz), []))
        # The measurement's own resolution: each alone run against the alone runs around it.
        al = [r["rps"] for r in runs.get((None, hz), []) if r.get("rps")]
        aa = [100.0 * al[i] / ((al[i - 1] + al[i + 1]) / 2) for i in range(1, len(al) - 1)]
        noise = (max(aa) - min(aa)) if len(aa) >= 2 else None
        if aa:
            ctx.add("1 overhead", "alone vs alone @%d Hz" % hz,
                "%.1f%% (%.1f-%.1f, n=%d): the resolution of this section here" %
                (med(aa), min(aa), max(aa), len(aa)))
        for tool in ("floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace",
                     "bcc"):
            rr = ratios.get((tool, hz))
            if not rr:
                if tool == "bcc" and (not bcc_ok or ctx.quick):
                    continue
                ctx.add("1 overhead", "%s @%d Hz" % (tool, hz), "unavailable")
                continue
            m = med(rr)
            val = "%.1f%% of alone (%.1f-%.1f, n=%d)" % (m, min(rr), max(rr), len(rr))
            noisy = max(rr) - min(rr) > 10 or (
                floor is not None and max(ratios[("floor", hz)]) - min(ratios[("floor", hz)]) > 10)
            tgt = vd = ""
            if tool == "flametui-record":
                # beside fixed --folded, and the bytes on disk per sample kept
                tgt = "next to fixed --folded %s" % fmt(med(ratios.get(("flametui", hz), [])),
                                                        "%.1f%%")
                bps = [os.path.getsize(r["out"] + ".ftrec") / r["counters"]["kept"]
                       for r in runs[(tool, hz)] if r.get("counters") and
                       r["counters"]["kept"] and os.path.exists(r.get("out", "") + ".ftrec")]
                if bps:
                    val += "; %.1f bytes/sample on disk" % med(bps)
            if tool in ("flametui", "flametui-agg") and floor is not None:
                tol, tgt = target("overhead_pt")
                tgt += " %.1f%%" % floor
                vd = verdict(m >= floor - tol)
                if hz >= 999:
                    peers = [med(ratios.get((t, hz), [])) for t in ("perf", "bpftrace")]
                    peers = [x for x in peers if x is not None]
                    if peers:
                        tgt += "; above perf/bpftrace %s" % "/".join("%.1f" % x for x in peers)
                        vd = verdict(m >= floor - tol and all(m > x for x in peers))
                if noise is not None and noise > 2.0:
                    # runs alone differ by more than the target's tolerance: no verdict
                    vd = "UNRESOLVED (alone runs spread %.0f pt; would be %s)" % (noise, vd)
                elif noisy:
                    vd += " (noisy: spread > 10 pt)"
            ctx.add("1 overhead", "%s @%d Hz" % (tool, hz), val, tgt, vd)
    return ratios


def report_accounted(ctx, runs, rates):
    """Overhead by accounting, where throughput cannot resolve it: the CPU each profiler spent
    while the workload ran (its process's threads, and its BPF programs' run time), as a share
    of the machine's CPU. The perf events' own interrupt is the same for every tool and is
    not in these numbers; so what flametui spends beyond the floor's tool is its extra
    overhead. Indirect costs (caches and TLB the handler disturbs) are not counted, and perf's
    stack walks and buffer writes happen in the kernel, where nothing here can see them."""
    for hz in rates:
        acc = {}
        for tool in ("floor", "flametui", "flametui-agg", "perf", "bpftrace", "bcc"):
            rs = [r for r in runs.get((tool, hz), []) if r.get("acct_proc") is not None]
            if rs:
                acc[tool] = (med([r["acct_proc"] + r["acct_bpf"] for r in rs]),
                             med([r["acct_proc"] for r in rs]), med([r["acct_bpf"] for r in rs]),
                             len(rs))
        floor = acc.get("floor")
        for tool in ("floor", "flametui", "flametui-agg", "perf", "bpftrace", "bcc"):
            if tool not in acc:
                continue
            tot, proc, bpf, n = acc[tool]
            val = "%.2f%% of the CPU (process %.2f + BPF %.2f, n=%d)" % (tot, proc, bpf, n)
            if tool == "perf":
                val += "; its kernel-side stack walks are not visible"
            tgt = vd = ""
            if tool.startswith("flametui") and floor:
                extra = tot - floor[0]
                val += "; +%.2f pt over the floor's %.2f%%" % (extra, floor[0])
                tol, tgt = target("accounted_pt")
                ok = extra <= tol
                if hz >= 999 and "bpftrace" in acc:
                    tgt += "; below bpftrace %.2f%%" % acc["bpftrace"][0]
                    ok = ok and tot < acc["bpftrace"][0]
                vd = verdict(ok)
            ctx.add("1 overhead", "%s @%d Hz accounted" % (tool, hz), val, tgt, vd)


def report_cost(ctx, runs, rates):
    # ns/run falls as the rate rises (warmer caches), so only the same rate is judged; --quick
    # runs bcc at 999 Hz only, so its other rates are shown without a verdict.
    bcc_runs = {hz: [r["bpf_ns"] for r in runs.get(("bcc", hz), []) if r.get("bpf_ns")]
                for hz in rates}
    bcc_at = {hz: med(v) for hz, v in bcc_runs.items()}
    for tool in ("flametui", "flametui-agg"):
        pts = []
        for hz in rates:
            rs = [r for r in runs.get((tool, hz), []) if r.get("counters") and r.get("cpu")]
            if not rs:
                ctx.add("2 own cost", "%s @%d Hz" % (tool, hz), "unavailable")
                continue
            cpu = med([r["cpu"] for r in rs])
            seen = med([r["counters"]["seen"] for r in rs])
            ns_runs = [r["bpf_ns"] for r in rs if r.get("bpf_ns")]
            ns = med(ns_runs)
            us_per_1k = 1e6 * cpu / seen * 1000 / 1000 if seen else None
            pts.append((seen, cpu))
            ctx.add("2 own cost", "%s @%d Hz user+sys" % (tool, hz),
                "%.3f s CPU for %d samples = %s us/sample (incl. startup)" %
                (cpu, seen, fmt(us_per_1k)), "", "")
            ref = bcc_at.get(hz)
            tgt = "<= bcc %.0f ns at %d Hz" % (ref, hz) if ref else \
                "<= bcc at %d Hz (not measured at this rate)" % hz
            vd = verdict(ns <= ref) if ns and ref else "n/a"
            other = bcc_runs.get(hz) or []
            if ns and ref and ns > ref and len(other) >= 2 and min(ns_runs) <= max(other):
                # same rate, and the runs of the two overlap: a difference of medians this
                # machine's run-to-run spread can make, not one it shows
                vd = "UNRESOLVED (runs overlap: flametui %.0f-%.0f, bcc %.0f-%.0f; would be " \
                     "MISS)" % (min(ns_runs), max(ns_runs), min(other), max(other))
            ctx.add("2 own cost", "%s @%d Hz BPF" % (tool, hz),
                "%s ns/run = %s ms per 1000 samples (%s)" %
                (fmt(ns, "%.0f"), fmt(ns / 1000 if ns else None, "%.2f"),
                 "%.0f-%.0f, n=%d" % (min(ns_runs), max(ns_runs), len(ns_runs))
                 if ns_runs else "no runs"), tgt, vd)
        mlim, mtgt = target("marginal_us")
        if len(pts) >= 2:
            (s0, c0), (s1, c1) = min(pts), max(pts)
            marg = 1e6 * (c1 - c0) / (s1 - s0) if s1 > s0 else None
            ctx.add("2 own cost", "%s userspace marginal" % tool,
                "%s us/sample ((cpu@max-cpu@min)/(samples diff))" % fmt(marg),
                mtgt, verdict(marg < mlim) if marg is not None else "n/a")
    for tool in ("floor", "bpftrace", "bcc"):
        for hz in rates:
            v = [r["bpf_ns"] for r in runs.get((tool, hz), []) if r.get("bpf_ns")]
            if v:
                ctx.add("2 own cost", "%s @%d Hz BPF" % (tool, hz),
                    "%.0f ns/run (%.0f-%.0f, n=%d)" % (med(v), min(v), max(v), len(v)))


def userspace_steady(ctx, seconds, warmup, windows=3):
    """flametui's userspace cost per sample in steady state: `fixed --pid` on one ft-tree
    process at 4999 Hz; after a warm-up (start-up, the first symbol loads), windows of
    `seconds` each measure the process's CPU (schedstat of its threads) over the samples its
    BPF program handed on in that window (run_cnt; ft-tree keeps both CPUs busy, so there
    are next to no idle samples). Median of the windows. The marginal rows of section 2
    include start-up and the first symbol loads."""
    wl = ctx.procs.spawn([TREE, "--seconds", str(windows * seconds + 30), "--threads", "2"],
               stdout=subprocess.DEVNULL)
    p = None
    per, rates = [], []
    try:
        time.sleep(0.5)
        p = ctx.procs.spawn([FLAMETUI, "fixed", "--hz", "4999", "--ms", "0", "--pid", str(wl.pid),
                   "--folded"], stdout=subprocess.DEVNULL)
        if not wait_ready(p, 20):
            return ("2 own cost", "userspace steady state", "unavailable (flametui did not start)")
        time.sleep(warmup)
        prev = cpu_snapshot(p.pid), prog_runs(p.pid)
        for _ in range(windows):
            time.sleep(seconds)
            cur = cpu_snapshot(p.pid), prog_runs(p.pid)
            if prev[0] and cur[0] and cur[1] > prev[1]:
                per.append((cur[0][0] - prev[0][0]) / 1000.0 / (cur[1] - prev[1]))
                rates.append((cur[1] - prev[1]) / seconds)
            prev = cur
    finally:
        if p:
            ctx.procs.stop(p, 30)
        kill(wl)
        ctx.procs.reap(wl, 10)
    if not per:
        return ("2 own cost", "userspace steady state", "unavailable (no samples counted)")
    us = med(per)
    slim, stgt = target("steady_us")
    return ("2 own cost", "userspace steady state",
            "%.2f us/sample (median of %d windows of %.0f s: %s; %.0f samples/s, ft-tree, "
            "--pid)" % (us, len(per), seconds, " ".join("%.2f" % x for x in per), med(rates)),
            stgt, verdict(us < slim))
