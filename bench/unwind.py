#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The .eh_frame unwinder's benchmark (issue 13), side by side in one invocation:
1. on Debian's perl (no frame pointers): BPF ns per sample of --unwind dwarf vs fp at
   99/999/4999 Hz;
2. flametui's whole cost (its process's CPU, start-up and table builds included, + its BPF
   programs' run time) vs `perf record --call-graph dwarf` + `perf script` at 999 Hz on the
   same perl process over a long run, and each tool's cost per sample;
3. system-wide sampling of every process at 99 Hz with whole stacks (the default --unwind
   auto): flametui's CPU and BPF time as a share of the machine's CPU, and the kernel bytes
   its maps lock (the unwind tables' maps separately);
4. first-frame start-up: `fixed --ms 1` wall time, fp vs auto;
5. the table build CPU time and bytes for libc, perl and python3.11.
Usage: sudo bench/unwind.py [BUILD_DIR] [--quick]  (BUILD_DIR defaults to build; run
`ninja -C BUILD src/flametui bench/unwind-build` first). Processes and sysctls go through
benchlib.procs, so every child is killed and bpf_stats_enabled restored on any exit.
"""
import os
import re
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import procs as P  # noqa: E402

ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
QUICK = "--quick" in sys.argv
BUILD = ARGS[0] if ARGS else "build"
FT = os.path.join(BUILD, "src", "flametui")
BUILDER = os.path.join(BUILD, "bench", "unwind-build")
PERL = ["/usr/bin/perl", "-e",
        'my $s = "abc" x 100000; while (1) { my @m = ($s =~ /(a)(b)(c)/g); }']
SWEEP_S = 2 if QUICK else 4
LONG_S = 8 if QUICK else 30
SYSWIDE_S = 5 if QUICK else 20


def map_memlock(pid):
    """{map name: memlock bytes} of the BPF maps pid holds (fdinfo has no name: the unwind
    maps are told apart by their shape), and the total."""
    out, total = {}, 0
    try:
        fds = os.listdir("/proc/%d/fdinfo" % pid)
    except OSError:
        return out, 0
    for fd in fds:
        try:
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                t = f.read()
        except OSError:
            continue
        m = re.search(r"memlock:\s+(\d+)", t)
        if "map_type:" not in t or not m:
            continue
        kind = re.search(r"map_type:\s+(\d+)", t).group(1)
        vsz = re.search(r"value_size:\s+(\d+)", t).group(1)
        mid = re.search(r"map_id:\s+(\d+)", t)
        key = mid.group(1) if mid else fd
        if key in out:
            continue  # the walker's copy of the object shares every map: count each once
        name = {("2", "8"): "unwind_rows", ("1", "5128"): "unwind_procs"}.get((kind, vsz), "")
        out[key] = (name, int(m.group(1)))
    for _k, (_n, b) in out.items():
        total += b
    return {n: b for n, b in out.values() if n}, total


def run_flametui(procs, args, seconds, warm=None):
    """Runs `flametui fixed ARGS --ms seconds*1000 --folded --verbose`; returns a dict: BPF
    ns and runs (read just before it ends), its CPU (rusage), memlock at the end of sampling,
    its stderr; with warm (seconds), also "steady": (CPU ns + BPF ns, wall ns) between warm s
    after start and the last reading, from schedstat and fdinfo (cpu_snapshot)."""
    err = os.path.join(P.WORK, "unwind-bench.err")
    os.makedirs(P.WORK, exist_ok=True)
    with open(err, "w") as ef:
        p = procs.spawn([FT, "fixed", "--ms", str(max(1, int(seconds * 1000))), "--folded", "--verbose"]
                        + args, stderr=ef)
        last, mem, t_end = None, ({}, 0), time.time() + seconds + 60
        # reap (wait4) polls without taking the exit status early, so its rusage is kept
        t0, snap0, snap1 = time.time(), None, None
        rc, cpu, _rss = procs.reap(p, 0.1)
        while rc is None and time.time() < t_end:
            st = P.bpf_prog_stats(p.pid)
            if st:
                last = st
                m = map_memlock(p.pid)
                if m[1]:
                    mem = m
            if warm is not None and time.time() - t0 < seconds - 0.5:
                snap = P.cpu_snapshot(p.pid)
                if snap and time.time() - t0 >= warm:
                    if snap0 is None:
                        snap0 = (snap, time.time())
                    snap1 = (snap, time.time())
            rc, cpu, _rss = procs.reap(p, 0.1)
        if rc is None:
            rc, cpu, _rss = procs.stop(p)
    with open(err) as f:
        text = f.read()
    ns, cnt = last if last else (0, 0)
    steady = None
    if snap0 and snap1 and snap1[1] > snap0[1]:
        steady = (snap1[0][0] - snap0[0][0] + snap1[0][1] - snap0[0][1],
                  (snap1[1] - snap0[1]) * 1e9)
    return {"bpf_ns": ns, "runs": cnt, "cpu_s": cpu or 0.0, "mem": mem, "err": text, "rc": rc,
            "steady": steady}


def kept_of(err):
    m = re.search(r"(\d+) kept", err)
    return int(m.group(1)) if m else 0


def perf_cost(procs, pid, seconds):
    """perf record --call-graph dwarf + perf script at 999 Hz: (CPU s, samples, data KiB)."""
    data = os.path.join(P.WORK, "unwind-bench.data")
    p = procs.spawn(["perf", "record", "-q", "-F", "999", "--call-graph", "dwarf", "-p",
                     str(pid), "-o", data, "--", "sleep", str(seconds)])
    _rc, rec_cpu, _ = procs.reap(p, seconds + 120)
    out = os.path.join(P.WORK, "unwind-bench.script")
    with open(out, "w") as of:
        p = procs.spawn(["perf", "script", "-i", data], stdout=of)
        _rc, scr_cpu, _ = procs.reap(p, 600)
    with open(out) as f:
        samples = sum(1 for line in f if line[:1] not in ("\t", " ", "\n"))
    size = os.path.getsize(data) >> 10
    os.unlink(data)
    os.unlink(out)
    return (rec_cpu or 0) + (scr_cpu or 0), samples, size


def first_snapshot(procs, mode, reps):
    """Seconds from exec to the first snapshot of `aggregate --refresh 100 --folded` (every
    process): what a live view's first frame waits for. Median, min, max."""
    times = []
    for _ in range(reps):
        t0 = time.time()
        p = procs.spawn([FT, "aggregate", "--unwind", mode, "--refresh", "100", "--folded"],
                        stdout=subprocess.PIPE)
        line = p.stdout.readline()
        if line.startswith(b"# time="):
            times.append(time.time() - t0)
        procs.stop(p)
        p.stdout.close()
    if not times:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(times), min(times), max(times)


def start_wall(procs, mode, reps):
    times = []
    for _ in range(reps):
        t, _rc, _ = procs.time_cmd([FT, "fixed", "--unwind", mode, "--ms", "1", "--folded",
                                    "--pid", "1"], timeout=60)
        times.append(t)
    return statistics.median(times), min(times), max(times)


def main():
    if os.geteuid():
        sys.exit("bench/unwind.py: needs root (BPF, perf events, sysctl)")
    procs = P.Procs()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    procs.set_sysctl("kernel.bpf_stats_enabled", 1)
    try:
        perl = procs.spawn(PERL)
        time.sleep(0.5)
        print("# 1. BPF ns per sample on the same perl process (one %d s run each; per run: "
              "every run of the program, the other CPU's idle ones included; per sample: "
              "BPF time / perl's samples)" % SWEEP_S)
        print("%-6s %12s %12s %8s %14s %14s %8s" % ("hz", "fp ns/run", "dwarf ns/run", "ratio",
                                                   "fp ns/sample", "dwarf ns/sample", "ratio"))
        for hz in (99, 999, 4999):
            fp = run_flametui(procs, ["--unwind", "fp", "--hz", str(hz), "--pid",
                                      str(perl.pid)], SWEEP_S)
            dw = run_flametui(procs, ["--unwind", "dwarf", "--hz", str(hz), "--pid",
                                      str(perl.pid)], SWEEP_S)
            a = fp["bpf_ns"] / fp["runs"] if fp["runs"] else float("nan")
            b = dw["bpf_ns"] / dw["runs"] if dw["runs"] else float("nan")
            ka, kb = kept_of(fp["err"]), kept_of(dw["err"])
            sa = fp["bpf_ns"] / ka if ka else float("nan")
            sb = dw["bpf_ns"] / kb if kb else float("nan")
            print("%-6d %12.0f %12.0f %8.2f %14.0f %14.0f %8.2f  (target <= 2.00)"
                  % (hz, a, b, b / a, sa, sb, sb / sa))

        print("# 2. whole cost at 999 Hz for %d s on perl: each tool's CPU + flametui's BPF"
              % LONG_S)
        ft = run_flametui(procs, ["--unwind", "dwarf", "--hz", "999", "--pid", str(perl.pid)],
                          LONG_S)
        ft_cost = ft["cpu_s"] + ft["bpf_ns"] / 1e9
        pf_cost, pf_n, pf_kib = perf_cost(procs, perl.pid, LONG_S)
        print("flametui %.0f ms (process %.0f + BPF %.0f, %d program runs), perf record+script "
              "%.0f ms for %d samples (perf.data %d KiB): ratio %.3f (target <= 0.10)"
              % (ft_cost * 1e3, ft["cpu_s"] * 1e3, ft["bpf_ns"] / 1e6, ft["runs"],
                 pf_cost * 1e3, pf_n, pf_kib, ft_cost / pf_cost if pf_cost else 0))
        kept = kept_of(ft["err"])
        if kept and pf_n:
            print("per sample of perl: flametui %.1f us (%d kept), perf %.1f us: ratio %.3f"
                  % (ft_cost / kept * 1e6, kept, pf_cost / pf_n * 1e6,
                     (ft_cost / kept) / (pf_cost / pf_n)))
            # flametui's cost is a start-up (BPF verification, kallsyms, the first tables)
            # plus a cost per sample; perf's is all per sample: the ratio falls with the run
            starts = []
            for _ in range(3):
                st = run_flametui(procs, ["--unwind", "dwarf", "--hz", "999", "--pid",
                                          str(perl.pid)], 0.001)
                starts.append(st["cpu_s"] + st["bpf_ns"] / 1e9)
            start = min(statistics.median(starts), ft_cost)
            per = max(ft_cost - start, 0) / kept
            pper = pf_cost / pf_n
            print("flametui's start-up alone (fixed --ms 1, median of 3): %.0f ms; after it, per sample "
                  "%.1f us vs perf's %.1f us: ratio %.3f; whole cost at 10 s %.3f, 60 s %.3f, "
                  "300 s %.3f (999 samples a second)"
                  % (start * 1e3, per * 1e6, pper * 1e6, per / pper,
                     *[(start + per * 999 * t) / (pper * 999 * t) for t in (10, 60, 300)]))
        print("# perf's own kernel work (copying 8 KiB of stack per sample into its buffer) "
              "runs in the sampled process's interrupt and is not counted here: perf's cost "
              "is a lower bound")
        m = re.search(r"unwind tables: .*", ft["err"])
        print("# " + (m.group(0) if m else "no unwind line"))
        P.kill(perl)
        procs.reap(perl, 5)

        print("# 3. system-wide, every process, 99 Hz, whole stacks (default --unwind auto), "
              "%d s, %d CPUs" % (SYSWIDE_S, P.NPROC))
        for mode in ("fp", "auto"):
            sw = run_flametui(procs, ["--unwind", mode, "--hz", "99"], SYSWIDE_S,
                              warm=SYSWIDE_S / 2)
            share = (sw["cpu_s"] + sw["bpf_ns"] / 1e9) / (SYSWIDE_S * P.NPROC)
            st = sw["steady"]
            print("%-4s flametui process %.0f ms + BPF %.0f ms over %d samples = %.2f%% of the "
                  "machine's CPU (target <= 1%%; start-up and every table build included); "
                  "second half alone: %s" % (mode, sw["cpu_s"] * 1e3, sw["bpf_ns"] / 1e6,
                                             sw["runs"], 100 * share,
                                             "%.2f%%" % (100 * st[0] / (st[1] * P.NPROC))
                                             if st else "?"))
        names, total = sw["mem"]
        print("kernel bytes locked by flametui's maps while sampling: %d KiB, of which "
              "unwind rows %d KiB, process entries %d KiB"
              % (total >> 10, names.get("unwind_rows", 0) >> 10,
                 names.get("unwind_procs", 0) >> 10))
        m = re.search(r"unwind tables: .*", sw["err"])
        print("# " + (m.group(0) if m else "no unwind line"))
        m = re.search(r"the table walker loaded in .*", sw["err"])
        print("# " + (m.group(0) if m else "no walker line"))

        print("# 4. start-up (median, min-max of 5): a live view's first snapshot "
              "(aggregate, every process), and `fixed --ms 1 --pid 1` (its tables built first)")
        for mode in ("fp", "auto"):
            med, lo, hi = first_snapshot(procs, mode, 5)
            fmed, flo, fhi = start_wall(procs, mode, 5)
            print("%-5s first snapshot %.0f ms (%.0f-%.0f); fixed --pid 1 %.0f ms (%.0f-%.0f)"
                  % (mode, med * 1e3, lo * 1e3, hi * 1e3, fmed * 1e3, flo * 1e3, fhi * 1e3))

        print("# 5. table build (CPU time, median of 5), rows, bytes")
        sys.stdout.flush()
        subprocess.run([BUILDER, "5", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/perl",
                        "/usr/bin/python3.11"])
    finally:
        procs.cleanup()


if __name__ == "__main__":
    main()
