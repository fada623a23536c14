# SPDX-License-Identifier: MIT
"""Section 8, export: `flametui file X --output Y` in each format on a ~1M-node trie (gen.py's
repeated stacks, one copy of each), time, size written and peak RSS, beside FlameGraph's
flamegraph.pl on the same folded input when it is installed (the bench does not install it)."""
import os

from . import gen
from .procs import FLAMETUI, WORK
from .report import fmt, med

FORMATS = ("folded", "svg", "json", "pb.gz")


def flamegraph_tool(name, env=None):
    """The path of one of FlameGraph's scripts (flamegraph.pl, stackcollapse-perf.pl) in
    $FLAMEGRAPH_DIR, else on $PATH, else None."""
    env = os.environ if env is None else env
    dirs = [env["FLAMEGRAPH_DIR"]] if env.get("FLAMEGRAPH_DIR") else []
    dirs += [d for d in env.get("PATH", "").split(os.pathsep) if d]
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            return path
    return None


def flamegraph_pl(env=None):
    """The path of FlameGraph's flamegraph.pl in $FLAMEGRAPH_DIR, else on $PATH, else None."""
    return flamegraph_tool("flamegraph.pl", env)


def timed(ctx, argv, reps, out=None):
    """(median wall seconds, peak RSS KB) of `reps` runs of argv, stdout to `out` when
    given; (None, None) when a run fails."""
    ts, rss = [], 0
    for _ in range(reps):
        if out:
            with open(out, "wb") as f:
                t, rc, r = ctx.procs.time_cmd(argv, stdout=f)
        else:
            t, rc, r = ctx.procs.time_cmd(argv)
        if rc != 0:
            return None, None
        ts.append(t)
        rss = max(rss, r or 0)
    return med(ts), rss


def written(t, out, rss):
    return "%.2f s, %.1f MB written, peak RSS %.0f MB" % (t, os.path.getsize(out) / 1e6,
                                                          rss / 1024)


def exports(ctx):
    """Each format's time includes the load; `file --folded X > /dev/null` alone is the load
    row. Shown, not judged: there is no export target."""
    path = os.path.join(WORK, "export.folded")
    nodes, nst = gen.repeated(path, 10 ** 9, stacks=50000, once=True)
    size = os.path.getsize(path)
    reps = 1 if ctx.quick else 3
    base, _ = timed(ctx, [FLAMETUI, "file", "--folded", path], reps)
    ctx.add("8 export", "load %s nodes (%d stacks, %.1f MB folded)" % (
        format(nodes, ","), nst, size / 1e6), "%s s (file --folded > /dev/null)" % fmt(base))
    svg_t = None
    for ext in FORMATS:
        out = os.path.join(WORK, "export-out." + ext)
        t, rss = timed(ctx, [FLAMETUI, "file", path, "--output", out], reps)
        if t is None:
            ctx.add("8 export", "flametui ." + ext, "failed")
        else:
            if ext == "svg":
                svg_t = t
            ctx.add("8 export", "flametui ." + ext, written(t, out, rss))
        if os.path.exists(out):
            os.unlink(out)
    fg = flamegraph_pl()
    if not fg:
        ctx.add("8 export", "flamegraph.pl .svg", "not available (set FLAMEGRAPH_DIR to a "
                "FlameGraph checkout, or put flamegraph.pl on PATH)")
    else:
        out = os.path.join(WORK, "export-fg.svg")
        t, rss = timed(ctx, ["perl", fg, path], reps, out=out)
        if t is None:
            ctx.add("8 export", "flamegraph.pl .svg", "failed")
        else:
            ctx.add("8 export", "flamegraph.pl .svg", written(t, out, rss) + (
                "; flametui .svg is %.1fx faster" % (t / svg_t) if svg_t else ""))
        if os.path.exists(out):
            os.unlink(out)
    os.unlink(path)
