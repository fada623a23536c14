#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The .eh_frame unwinder's benchmark (issue 13), side by side in one invocation on Debian's
perl (no frame pointers): BPF ns per sample of --unwind dwarf vs --unwind fp at 99/999/4999
Hz; flametui's whole cost vs `perf record --call-graph dwarf` + `perf script` at 999 Hz; the
table build CPU time and bytes for libc, perl and python3.11; kernel bytes locked for tables.
Usage: sudo bench/unwind.py [BUILD_DIR]  (BUILD_DIR defaults to build; run ninja first, with
bench/unwind-build: `ninja -C build bench/unwind-build`)
"""
import os
import re
import subprocess
import sys
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
FT = os.path.join(BUILD, "src", "flametui")
BUILDER = os.path.join(BUILD, "bench", "unwind-build")
PERL = ["/usr/bin/perl", "-e",
        'my $s = "abc" x 100000; while (1) { my @m = ($s =~ /(a)(b)(c)/g); }']
SECONDS = 4


def prog_stats(pid):
    """(run_time_ns, run_cnt) of the perf_event BPF programs pid holds, or None."""
    ns = cnt = 0
    seen = False
    try:
        fds = os.listdir("/proc/%d/fdinfo" % pid)
    except OSError:
        return None
    for fd in fds:
        try:
            t = open("/proc/%d/fdinfo/%s" % (pid, fd)).read()
        except OSError:
            continue
        if "prog_type:\t7\n" not in t:
            continue
        a = re.search(r"run_time_ns:\s+(\d+)", t)
        b = re.search(r"run_cnt:\s+(\d+)", t)
        if a and b:
            ns, cnt, seen = ns + int(a.group(1)), cnt + int(b.group(1)), True
    return (ns, cnt) if seen else None


def run_flametui(mode, hz, pid):
    """BPF ns per run, BPF total ns, 0 (its CPU is in children_cpu_ns), its --verbose text."""
    p = subprocess.Popen([FT, "fixed", "--unwind", mode, "--hz", str(hz), "--ms",
                          str(SECONDS * 1000), "--pid", str(pid), "--folded", "--verbose"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last = None
    while p.poll() is None:
        st = prog_stats(p.pid)
        if st:
            last = st
        time.sleep(0.1)
    err = p.stderr.read()
    ns, cnt = last if last else (0, 0)
    return (ns / cnt if cnt else float("nan")), ns, 0, err


def children_cpu_ns():
    r = os.times()
    return (r.children_user + r.children_system) * 1e9


def main():
    if os.geteuid():
        sys.exit("bench/unwind.py: needs root (BPF, perf events, sysctl)")
    old = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    open("/proc/sys/kernel/bpf_stats_enabled", "w").write("1")
    perl = subprocess.Popen(PERL)
    try:
        time.sleep(0.5)
        print("# BPF ns per sample on the same perl process (median of one %d s run each)"
              % SECONDS)
        print("%-6s %12s %12s %8s" % ("hz", "fp ns", "dwarf ns", "ratio"))
        verbose = ""
        for hz in (99, 999, 4999):
            fp = run_flametui("fp", hz, perl.pid)[0]
            dw = run_flametui("dwarf", hz, perl.pid)
            verbose = dw[3] or verbose
            print("%-6d %12.0f %12.0f %8.2f  (target <= 2.00)" % (hz, fp, dw[0], dw[0] / fp))
        m = re.search(r"\((\d+) KiB locked\)", verbose)
        print("# kernel bytes locked for tables: %s KiB (--unwind-mem default)"
              % (m.group(1) if m else "?"))
        m = re.search(r"unwind tables: .*", verbose)
        print("# " + (m.group(0) if m else "no unwind line"))

        print("# whole cost at 999 Hz for %d s on perl: CPU of each tool's processes + its BPF"
              % SECONDS)
        c0 = children_cpu_ns()
        _, bpf_ns, _, _ = run_flametui("dwarf", 999, perl.pid)
        ft = children_cpu_ns() - c0 + bpf_ns
        c0 = children_cpu_ns()
        subprocess.run(["perf", "record", "-q", "-F", "999", "--call-graph", "dwarf", "-p",
                        str(perl.pid), "-o", "/tmp/flametui-unwind-bench.data", "--", "sleep",
                        str(SECONDS)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["perf", "script", "-i", "/tmp/flametui-unwind-bench.data"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pf = children_cpu_ns() - c0
        size = os.path.getsize("/tmp/flametui-unwind-bench.data")
        os.unlink("/tmp/flametui-unwind-bench.data")
        print("flametui %.0f ms, perf record+script %.0f ms (perf.data %d KiB): ratio %.3f "
              "(target <= 0.10)" % (ft / 1e6, pf / 1e6, size >> 10, ft / pf if pf else 0))
        print("# table build (CPU time, median of 5), rows, bytes")
        sys.stdout.flush()
        subprocess.run([BUILDER, "5", "/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/perl",
                        "/usr/bin/python3.11"])
    finally:
        perl.kill()
        perl.wait()
        open("/proc/sys/kernel/bpf_stats_enabled", "w").write(old)


if __name__ == "__main__":
    main()
