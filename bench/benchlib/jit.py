# SPDX-License-Identifier: MIT
"""Section 8, jit: what asking a JVM for its perf map costs. On one warm JVM (openjdk 17,
tests/integration/jvm/Hot.java with -XX:+PreserveFramePointer): a request through
src/runtimes/jvm.c (bench/jvm.c, as jvm-bench) against `jcmd PID Compiler.perfmap`, the peer,
alternating; the parse of a synthetic HotSpot-format map per MB against `wc -l` reading the
same file (the floor of reading it); and `flametui fixed --pid JVM --ms 300` wall time with
--jit-maps auto against off (the first request is waited for: that is its cost to the first
frame)."""
import os
import random
import shutil
import statistics
import subprocess
import time

from .procs import BUILD, FLAMETUI, ROOT, WORK, log

JVMBENCH = os.path.join(BUILD, "bench", "jvm-bench")
HOT = os.path.join(ROOT, "tests", "integration", "jvm", "Hot.java")


def synthetic_map(path, mb):
    """A perf map of about mb MB in HotSpot's own format ("0xSTART 0xSIZE type Class.method(args)")."""
    rnd = random.Random(1)
    addr = 0x7f0000000000
    with open(path, "w") as f:
        while f.tell() < mb * 1000000:
            for _ in range(1000):
                size = rnd.randrange(0x40, 0x2000)
                f.write("0x%016x 0x%016x long org.example.pkg%d.Class%d.method%d(long, "
                        "java.lang.String)\n" % (addr, size, rnd.randrange(50),
                                                  rnd.randrange(2000), rnd.randrange(40)))
                addr += size


def timed(argv, timeout=60):
    t0 = time.monotonic()
    r = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    return (time.monotonic() - t0) * 1e3, r


def jit(ctx):
    sec = "8 jit"
    if not shutil.which("java") or not shutil.which("javac") or not shutil.which("jcmd"):
        ctx.add(sec, "JVM perf maps", "unavailable: no java/javac/jcmd (openjdk-17-jdk-headless)")
        return
    cls = os.path.join(WORK, "jvm-cls")
    os.makedirs(cls, exist_ok=True)
    subprocess.run(["javac", "-d", cls, HOT], check=True)
    out = open(os.path.join(WORK, "jvm.out"), "w")
    jvm = ctx.procs.spawn(["java", "-XX:+PreserveFramePointer", "-cp", cls, "Hot", "600000"],
                          stdout=out)
    deadline = time.time() + 30
    while time.time() < deadline and "ready" not in open(out.name).read():
        time.sleep(0.1)
    pid = jvm.pid
    reps = 3 if ctx.quick else 9
    ours, theirs = [], []
    for _ in range(reps):
        r = subprocess.run([JVMBENCH, "request", str(pid), "1"], capture_output=True,
                           text=True, timeout=60).stdout.split()
        if len(r) == 4 and r[3] == "1":
            ours.append(float(r[1]))
        ms, jr = timed(["jcmd", str(pid), "Compiler.perfmap"])
        if jr.returncode == 0:
            theirs.append(ms)
    if ours and theirs:
        a, b = statistics.median(ours), statistics.median(theirs)
        ctx.add(sec, "perf-map request, warm JVM (median of %d)" % reps,
                "flametui %.1f ms, jcmd %.0f ms: %.1fx faster" % (a, b, b / a))
    else:
        ctx.add(sec, "perf-map request", "unavailable: %d/%d answers" % (len(ours), len(theirs)))
    mb = 20 if ctx.quick else 100
    path = os.path.join(WORK, "synthetic-perf.map")
    synthetic_map(path, mb)
    r = subprocess.run([JVMBENCH, "parse", path, "3"], capture_output=True, text=True,
                       timeout=600).stdout.split()
    wc = min(timed(["wc", "-l", path])[0] for _ in range(3))
    if len(r) == 4:
        size, entries, ms = int(r[1]), int(r[2]), float(r[3])
        ctx.add(sec, "perf map parse + index, %d MB (%d entries)" % (size // 1000000, entries),
                "%.1f ms/MB; wc -l %.1f ms/MB: %.1fx" % (ms / (size / 1e6), wc / (size / 1e6),
                                                        ms / wc))
    os.unlink(path)
    walls = {"auto": [], "off": []}
    for _ in range(reps):
        for mode in ("off", "auto"):
            # a fresh map is asked for each time: the JVM rewrites it whole
            ms, _ = timed([FLAMETUI, "fixed", "--pid", str(pid), "--ms", "300", "--folded",
                           "--jit-maps", mode])
            walls[mode].append(ms)
    a, o = statistics.median(walls["auto"]), statistics.median(walls["off"])
    ctx.add(sec, "fixed --ms 300 on a JVM, wall (first frame waits for the map)",
            "auto %.0f ms, off %.0f ms: %+.0f ms" % (a, o, a - o))
    ctx.procs.stop(jvm, timeout=5)
    log("jit: JVM %d done" % pid)
