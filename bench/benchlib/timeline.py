# SPDX-License-Identifier: MIT
"""Section 7, timeline: bench/timeline.c (built as timeline-bench) writes a synthetic 1-hour
recording at 99 Hz on 2 CPUs and times opening it, drawing its heat map and opening a range's
flame graph (target: under a second for the three), with its bytes per sample."""
import os
import subprocess

from .procs import TIMELINE, WORK
from .report import verdict


def timeline(ctx):
    try:
        out = subprocess.run([TIMELINE, os.path.join(WORK, "1h.ftrec"), "3" if ctx.quick else "7"],
                             capture_output=True, text=True, timeout=600).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        ctx.add("7 timeline", "1-hour recording", "unavailable: %s" % e)
        return
    for line in out.splitlines():
        f = line.split()
        if len(f) != 7 or f[0] != "timeline":
            continue
        n, size = int(f[1]), int(f[2])
        open_ms, heat_ms, range_ms = float(f[4]), float(f[5]), float(f[6])
        ctx.add("7 timeline", "1 h @99 Hz x 2 CPUs (synthetic) on disk",
                "%.1f MB, %.2f bytes/sample (%d samples)" % (size / 1e6, size / n, n))
        total = open_ms + heat_ms + range_ms
        ctx.add("7 timeline", "open + heat map + range graph, 1 h @99 Hz",
                "%.0f ms (open %.0f, heat map %.0f, range %.0f)" % (total, open_ms, heat_ms,
                                                                    range_ms),
                "< 1000 ms", verdict(total < 1000))
