# SPDX-License-Identifier: MIT
"""Section 7's ring row: ring mode's RSS over a long run under load stays flat (old slots
leave exactly, so memory must not grow)."""
import re
import time

from .procs import DEEP, FLAMETUI, TREE, kill
from .report import target, verdict


def ring_rss(ctx, total, hz):
    wl = ctx.procs.spawn([TREE, "--seconds", str(total + 10), "--threads", "2"])
    wl2 = ctx.procs.spawn([DEEP, "--seconds", str(total + 10), "--threads", "1"])
    p = ctx.procs.spawn([FLAMETUI, "ring", "--ms", "200", "--n", "10", "--hz", str(hz),
                         "--folded"])
    samples = []
    t0 = time.time()
    while time.time() - t0 < total and p.poll() is None:
        try:
            with open("/proc/%d/status" % p.pid) as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
            samples.append((time.time() - t0, int(m.group(1))))
        except OSError:
            break
        time.sleep(0.5)
    ctx.procs.stop(p, 10)
    for w in (wl, wl2):
        kill(w)
        ctx.procs.reap(w, 5)
    if len(samples) < 4:
        ctx.add("7 memory", "ring RSS", "ring mode did not run")
        return
    limit, tgt = target("ring_growth_pct")
    half = total / 2
    first = max(r for t, r in samples if t <= half)
    later = max(r for t, r in samples if t > half)
    growth = 100.0 * (later - first) / first
    ctx.add("7 memory", "ring RSS (%d Hz, 200 ms x 10 slots)" % hz,
        "%.1f MB at %.0f s, %.1f MB at %.0f s (%+.1f%%)" %
        (first / 1024, half, later / 1024, total, growth), tgt, verdict(abs(growth) <= limit))
