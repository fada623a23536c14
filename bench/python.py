#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
The CPython walker's benchmark (issue 14), side by side in one invocation on Debian's
/usr/bin/python3.11: BPF ns per run of the sampling program with --python on vs off at 99 and
999 Hz on the same Python process (6 and 60 Python frames deep), the walker's own ns per
sample of that process (timed in the kernel around the walk), and the cost of the first sample of a new code object (its read by
process_vm_readv: a workload that makes new functions all the time). py-spy is the peer where
it is installed; Debian 12 has no package for it.
Usage: sudo bench/python.py [BUILD_DIR]  (BUILD_DIR defaults to build)
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unwind import prog_stats  # noqa: E402  (the same fdinfo reading)

BUILD = sys.argv[1] if len(sys.argv) > 1 else "build"
FT = os.path.join(BUILD, "src", "flametui")
PY = "/usr/bin/python3.11"
SECONDS = 4
REPS = 3
DEEP = """
import sys
def down(n):
    if n:
        return down(n - 1)
    x = 0
    for i in range(100000):
        x += i
    return x
while True:
    down(int(sys.argv[1]))
"""
FRESH = """
i = 0
while True:
    exec("def f%d(n):\\n    x = 0\\n    for j in range(n):\\n        x += j\\n    return x\\n"
         "f%d(3000)" % (i, i))
    i += 1
"""


def run(py_mode, hz, pid):
    """(BPF ns per run, runs, samples kept, --verbose text) of one flametui run on pid."""
    p = subprocess.Popen([FT, "fixed", "--unwind", "auto", "--python", py_mode, "--hz",
                          str(hz), "--ms", str(SECONDS * 1000), "--pid", str(pid), "--folded",
                          "--verbose"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    last = None
    while p.poll() is None:
        st = prog_stats(p.pid)
        if st:
            last = st
        time.sleep(0.1)
    err = p.stderr.read()
    ns, cnt = last if last else (0, 0)
    m = re.search(r"samples: (\d+) seen, (\d+) kept", err)
    kept = int(m.group(2)) if m else 0
    return (ns / cnt if cnt else float("nan")), cnt, kept, err


def start(script, *args):
    path = "/tmp/flametui-python-bench-%d.py" % len(script)
    with open(path, "w") as f:
        f.write(script)
    p = subprocess.Popen([PY, path] + list(args))
    time.sleep(0.5)
    return p


def main():
    if os.geteuid():
        sys.exit("bench/python.py: needs root (BPF, perf events, sysctl)")
    if not os.access(PY, os.X_OK):
        sys.exit("bench/python.py: %s is missing (Debian's python3.11)" % PY)
    old = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    open("/proc/sys/kernel/bpf_stats_enabled", "w").write("1")
    procs = []
    try:
        print("# BPF ns per run of the sampling program, --python off vs on, the same "
              "python3.11 process (median of %d alternating %d s runs)" % (REPS, SECONDS))
        print("%-6s %-7s %10s %10s %8s %16s" % ("hz", "depth", "off ns", "on ns", "ratio",
                                               "walk ns/sample"))
        for depth in (6, 60):
            p = start(DEEP, str(depth - 2))  # <module> and down() frames: depth in all
            procs.append(p)
            for hz in (99, 999):
                offs, ons, walks = [], [], []
                for _ in range(REPS):  # alternating: the machine's load drifts
                    offs.append(run("off", hz, p.pid)[0])
                    on = run("on", hz, p.pid)
                    ons.append(on[0])
                    # the walk's own time, measured in the kernel around it (--verbose)
                    m = re.search(r"samples walked in the kernel \((\d+) ns each", on[3])
                    if m:
                        walks.append(int(m.group(1)))
                o, n = statistics.median(offs), statistics.median(ons)
                print("%-6d %-7d %10.0f %10.0f %8.2f %16.0f" % (
                    hz, depth, o, n, n / o, statistics.median(walks) if walks else 0))
            p.kill()
        print("# the first sample of a new code object: a process that defines and runs a "
              "new function every few ms, 999 Hz")
        p = start(FRESH)
        procs.append(p)
        _, _, kept, err = run("on", 999, p.pid)
        m = re.search(r"(\d+) code objects read \((\d+) unreadable\) in ([\d.]+) ms", err)
        if m and int(m.group(1)):
            n, ms = int(m.group(1)), float(m.group(3))
            print("%d code objects read in %.1f ms: %.1f us each (%s unreadable), %d samples"
                  % (n, ms, 1000 * ms / n, m.group(2), kept))
        else:
            print("no code objects read: %s" % err.strip().splitlines()[-1:])
        p.kill()
        if shutil.which("py-spy"):
            p = start(DEEP, "4")
            procs.append(p)
            t0 = os.times()
            subprocess.run(["py-spy", "record", "--rate", "999", "--duration", str(SECONDS),
                            "--pid", str(p.pid), "--format", "raw", "--output",
                            "/tmp/flametui-python-bench.txt", "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            t1 = os.times()
            _, cnt, _, _ = run("on", 999, p.pid)
            t2 = os.times()
            spy = (t1.children_user + t1.children_system - t0.children_user
                   - t0.children_system)
            ft = (t2.children_user + t2.children_system - t1.children_user
                  - t1.children_system)
            print("CPU at 999 Hz for %d s: flametui %.0f ms (userspace), py-spy %.0f ms: "
                  "ratio %.2f" % (SECONDS, ft * 1e3, spy * 1e3, ft / spy if spy else 0))
            p.kill()
        else:
            print("py-spy: not installed (Debian 12 has no py-spy package): no peer row")
    finally:
        for p in procs:
            p.kill()
            p.wait()
        open("/proc/sys/kernel/bpf_stats_enabled", "w").write(old)


if __name__ == "__main__":
    main()
