# SPDX-License-Identifier: MIT
"""Section 3, ingest: the highest sample rate flametui takes from ft-deep (60+ frame stacks on
every CPU) without losing a sample, the kernel's rate limits lifted for the run."""
import os
import time

from .procs import DEEP, FLAMETUI, NPROC, WORK, kill, log
from .profilers import parse_verbose
from .report import target, verdict


def ingest(ctx, steps, seconds):
    ctx.procs.set_sysctl("kernel.perf_event_max_sample_rate", 200000)
    ctx.procs.set_sysctl("kernel.perf_cpu_time_max_percent", 0)
    best, above = None, []
    for hz in steps:
        wl = ctx.procs.spawn([DEEP, "--seconds", str(seconds + 10), "--threads", str(NPROC)])
        time.sleep(0.2)
        fe = os.path.join(WORK, "ingest-%d.err" % hz)
        with open(fe, "w") as ferr:
            p = ctx.procs.spawn([FLAMETUI, "fixed", "--hz", str(hz), "--ms",
                                 str(int(seconds * 1000)), "--pid", str(wl.pid), "--folded",
                                 "--verbose"], stderr=ferr)
            rc, cpu, _ = ctx.procs.reap(p, seconds + 60)
            if rc is None:
                ctx.procs.stop(p, 5)
        kill(wl)
        ctx.procs.reap(wl, 5)
        c = parse_verbose(open(fe).read())
        if not c:
            ctx.add("3 ingest", "%d Hz/CPU" % hz, "flametui failed: " +
                open(fe).read()[-200:].strip())
            break
        rate = c["seen"] / seconds
        log("ingest %d Hz/CPU: %.0f samples/s, lost %d, cpu %.2f s" %
            (hz, rate, c["lost"], cpu or 0))
        if c["lost"] == 0 and c["seen"] > 0:
            best = (hz, rate, cpu)
        else:
            above.append("%d Hz/CPU: %.0f/s seen, %d lost (%.1f%%), flametui %.2f s CPU" %
                         (hz, rate, c["lost"], 100.0 * c["lost"] / max(1, c["seen"]), cpu or 0))
            if len(above) >= 2:
                break
    limit, tgt = target("ingest_rate")
    if best:
        ctx.add("3 ingest", "max zero-drop rate",
            "%.0f samples/s all CPUs (%d Hz/CPU, %d+ frame stacks; flametui %.2f s CPU in %g s)"
            % (best[1], best[0], 60, best[2] or 0, seconds), tgt, verdict(best[1] >= limit))
    else:
        ctx.add("3 ingest", "max zero-drop rate", "none", tgt, "MISS")
    if above:
        for a in above:
            ctx.add("3 ingest", "above it", a)
    else:
        ctx.add("3 ingest", "above it", "no drops at any step tried (highest %d Hz/CPU); the "
            "kernel's timer rate is the limit" % steps[-1])
    # the kernel refuses a new max rate while the time percent is 0: restore that first
    for k in ("kernel.perf_cpu_time_max_percent", "kernel.perf_event_max_sample_rate"):
        ctx.procs.restore_sysctl(k)
