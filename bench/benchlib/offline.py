# SPDX-License-Identifier: MIT
"""Section 5, offline, and section 7's bytes per node: `flametui file` on generated collapsed
stacks (gen.py: every line distinct, as real files are, and the old repeated block, which
mostly measures the identical-stack cache) at 10 MB to 1 GB, time to the first drawn frame;
and perf script text of a real recording against perf's own collapse."""
import os
import subprocess
import time

from . import gen
from .drawing import Pty
from .export import flamegraph_tool
from .procs import FLAMETUI, TREE, WORK, kill
from .report import fmt, med, target, verdict


def first_frame(path, timeout=600):
    """`flametui file PATH`: seconds from exec until the first frame's header ("q quit")
    reaches the terminal. Returns (seconds, peak RSS KB) or (None, None)."""
    t = Pty([FLAMETUI, "file", path])
    took = t.wait_for(b"q quit", timeout)
    if took is not None:
        took = time.time() - t.t0
    return took, t.close()


def distinct_reps(mb, quick):
    """Timed runs of a judged input: 1 at 1 GB; 3 at 100 MB; 5 below, where a run is ~30 ms
    and this VM's noise is several ms (the first run after writing the file was the slowest
    in each of 4 trials, by 5-20 ms): the median of 5 is steadier than the median of 3."""
    if mb >= 1000:
        return 1
    if mb >= 100:
        return 2 if quick else 3
    return 3 if quick else 5


def settle():
    """After writing an input: its dirty pages go to disk now (it stays in the page cache), so
    that the kernel's writeback of the generator's output, which starts 30 s after it and
    took a core here while the 1 GB row ran, is not timed as the loader's."""
    os.sync()


def fault_in_ms(nbytes, reps=3):
    """Milliseconds to fault in `nbytes` of fresh anonymous memory, one write per page: what
    any loader must pay, at this machine's rate, before it holds that much (median)."""
    import mmap
    pages = (nbytes + 4095) // 4096
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        m = mmap.mmap(-1, pages * 4096)
        m[::4096] = b"\x01" * pages
        ts.append(time.perf_counter() - t0)
        m.close()
    return 1000 * med(ts)


def load_speed(ctx, path, reps, real=None):
    """(MB/s to the first frame, first-frame seconds, peak RSS KB, --folded seconds), medians
    of `reps` runs, or None when flametui drew no frame. MB/s of `real` bytes (the text a
    compressed file holds), else of the file's size."""
    real = real or os.path.getsize(path)
    times, rss, conv = [], None, []
    for _ in range(reps):
        t, r = first_frame(path)
        if t is None:
            return None
        times.append(t)
        rss = r
        t, rc, _r = ctx.procs.time_cmd([FLAMETUI, "file", "--folded", path])
        if rc == 0:
            conv.append(t)
    t = med(times)
    return real / 1e6 / t, t, rss, med(conv) if conv else None


def speed_row(ctx, item, path, reps, judged, real=None):
    """One row: the load speed, and for a miss the floor its memory alone sets."""
    limit, tgt = target("offline_mbs")
    s = load_speed(ctx, path, reps, real)
    if s is None:
        ctx.add("5 offline", item, "flametui file drew no frame", tgt if judged else "",
                "MISS" if judged else "")
        return None
    mbs, t, rss, conv = s
    ctx.offline_runs[path] = (t, rss)
    val = "%.0f MB/s (first frame %.2f s), peak RSS %.0f MB; --folded out %s s" % (
        mbs, t, rss / 1024, fmt(conv))
    if judged and mbs < limit:
        floor = fault_in_ms(rss * 1024)
        val += "; faulting in %.0f MB alone takes %.0f ms here (<= %.0f MB/s)" % (
            rss / 1024, floor, os.path.getsize(path) / 1e6 / (floor / 1000))
    ctx.add("5 offline", item, val, tgt if judged else "(cache-friendly: not judged)",
            verdict(mbs >= limit) if judged else "")
    return rss


def compare(ft_seconds, ft_rss, peer_seconds, peer_rss):
    """"Nx faster, Mx less memory" for flametui against a peer on the same input."""
    out = []
    if ft_seconds and peer_seconds:
        out.append("flametui %.1fx faster" % (peer_seconds / ft_seconds))
    if ft_rss and peer_rss:
        out.append("%.1fx %s memory" % ((peer_rss / ft_rss, "less") if peer_rss >= ft_rss
                                        else (ft_rss / peer_rss, "more")))
    return ", ".join(out)


def peer_row(ctx, item, argv, ft_seconds, ft_rss, reps=1):
    """A peer run on the input flametui just read: its time and peak RSS, and the ratios
    (one invocation, same machine state). Not judged."""
    ts, rss = [], 0
    for _ in range(reps):
        t, rc, r = ctx.procs.time_cmd(argv, timeout=1800)
        if rc != 0:
            ctx.add("5 offline", item, "failed (rc %s)" % rc)
            return
        ts.append(t)
        rss = max(rss, r or 0)
    t = med(ts)
    ctx.add("5 offline", item, "%.2f s, peak RSS %.0f MB; %s" % (
        t, rss / 1024, compare(ft_seconds, ft_rss, t, rss)))


def offline(ctx, distinct_mb, repeated_mb, peers_mb=10):
    """Every line distinct (realistic: judged against the target) and the repeated block
    (shown for comparison, and for the bytes per trie node, whose count it knows). On the
    distinct inputs up to `peers_mb`, FlameGraph's flamegraph.pl reads and draws the same file
    (when installed: FLAMEGRAPH_DIR or PATH; about 3 s per MB here)."""
    ctx.offline_runs = getattr(ctx, "offline_runs", {})
    fg = flamegraph_tool("flamegraph.pl")
    for mb in distinct_mb:
        path = os.path.join(WORK, "distinct-%dMB.folded" % mb)
        t0 = time.time()
        lines, _size = gen.distinct(path, mb * 1000000)
        log_gen = time.time() - t0
        settle()
        reps = distinct_reps(mb, ctx.quick)
        speed_row(ctx, "folded %d MB, every line distinct (%d stacks; generated in %.0f s)" %
                  (mb, lines, log_gen), path, reps, True)
        if mb == max(m for m in distinct_mb if m <= 100):
            # the same text gzip'd: inflated in a second thread while the first parses
            gz = path + ".gz"
            with open(gz, "wb") as f:
                subprocess.run(["gzip", "-1", "-c", path], stdout=f, check=True)
            settle()
            speed_row(ctx, "  the same, gzip -1 (%.0f MB; MB/s of the text)" %
                      (os.path.getsize(gz) / 1e6), gz, reps, False, os.path.getsize(path))
            os.unlink(gz)
        ft = ctx.offline_runs.get(path)
        if ft and mb <= peers_mb:
            if fg:
                peer_row(ctx, "  flamegraph.pl on it (to SVG), vs flametui's first frame",
                         ["perl", fg, path], ft[0], ft[1])
            else:
                ctx.add("5 offline", "  flamegraph.pl on it", "not available (set "
                        "FLAMEGRAPH_DIR to a FlameGraph checkout, or put it on PATH)")
        os.unlink(path)
    per_node = []
    for mb in repeated_mb:
        path = os.path.join(WORK, "repeated-%dMB.folded" % mb)
        nodes, nst = gen.repeated(path, mb * 1000000)
        settle()
        reps = 1 if mb >= 1000 else (2 if ctx.quick else 3)
        rss = speed_row(ctx, "folded %d MB, %d stacks repeated" % (mb, nst), path, reps, False)
        if rss:
            per_node.append((nodes, rss * 1024, mb))
        os.unlink(path)
    if per_node:
        limit, tgt = target("bytes_per_node")
        nodes, rss, mb = max(per_node)
        bpn = rss / nodes
        ctx.add("7 memory", "bytes per trie node",
                "%.0f B (peak RSS %.0f MB / %d distinct prefixes, %d MB input)" %
                (bpn, rss / 1e6, nodes, mb), tgt, verdict(bpn < limit))


def perf_collapse(ctx, seconds, hz):
    data = os.path.join(WORK, "collapse.data")
    text = os.path.join(WORK, "collapse.txt")
    wl = ctx.procs.spawn([TREE, "--seconds", str(seconds + 3), "--threads", "2"])
    subprocess.run(["perf", "record", "-F", str(hz), "-a", "-g", "-q", "-o", data, "--",
                    "sleep", str(seconds)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=seconds + 60)
    kill(wl)
    ctx.procs.reap(wl, 5)
    with open(text, "w") as f:
        subprocess.run(["perf", "script", "-i", data], stdout=f, stderr=subprocess.DEVNULL,
                       timeout=600)
    size = os.path.getsize(text)
    fts = [ctx.procs.time_cmd([FLAMETUI, "file", "--folded", text]) for _ in range(3)]
    if any(rc != 0 for _, rc, _ in fts):
        ctx.add("5 offline", "perf script text", "unavailable: flametui file failed (rc %s)" %
            fts[0][1])
        return
    ft = med([t for t, _, _ in fts])
    ft_rss = max(r or 0 for _, _, r in fts)
    # perf's own collapse: from perf.data (what users run), and from the same text via stdin
    pf = med([ctx.procs.time_cmd(["perf", "script", "report", "stackcollapse", "-i", data])[0]
              for _ in range(2)])
    ratio = pf / ft if ft else None
    limit, tgt = target("perf_collapse_x")
    ctx.add("5 offline", "perf script text %.1f MB" % (size / 1e6),
        "flametui %.0f MB/s (%.2f s); perf script report stackcollapse %.2f s = %.0f MB/s "
        "equiv." % (size / 1e6 / ft, ft, pf, size / 1e6 / pf),
        tgt, "%s (%.1fx)" % (verdict(ratio >= limit), ratio))
    scp = flamegraph_tool("stackcollapse-perf.pl")
    if scp:
        peer_row(ctx, "  stackcollapse-perf.pl on the same text, vs flametui --folded",
                 ["perl", scp, text], ft, ft_rss)
    else:
        ctx.add("5 offline", "  stackcollapse-perf.pl", "not available (set FLAMEGRAPH_DIR to "
                "a FlameGraph checkout, or put it on PATH)")
