#!/usr/bin/env python3
# The pprof export read by `go tool pprof` (Debian golang-go): -top lists every function with
# the flat and cumulative counts of the input, -raw the samples and their total; a crafted
# name comes out as safe text. Collapsed stacks know no period: their one sample type is
# samples/count (a sample is not a nanosecond); perf script's cpu-clock periods are
# cpu/nanoseconds, another event's its own count.
# Usage: test-pprof.py FLAMETUI
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402

EVIL = b'evil\x1b]0:pwned\x07<b>&\xff'
EVIL_SHOWN = 'evil\\x1b]0:pwned\\x07<b>&\\xff'
STACKS = [(b"main;foo;bar", 600), (b"main;foo", 200), (b"main;baz_[k]", 100),
          (b"other;bar", 50), (b"main;" + EVIL, 30)]
ALL = sum(c for _, c in STACKS)


def expected():
    want = {}
    for stack, n in STACKS:
        names = [re.sub(r"_\[k\]$", "", f.decode("latin-1")) for f in stack.split(b";")]
        for f in set(names):
            flat, cum = want.get(f, (0, 0))
            want[f] = (flat, cum + n)
        flat, cum = want[names[-1]]
        want[names[-1]] = (flat + n, cum)
    want.pop(EVIL.decode("latin-1"))
    return want


def pprof(*args):
    env = dict(os.environ, HOME=tempfile.gettempdir(), PPROF_TMPDIR=tempfile.gettempdir())
    p = subprocess.run(["go", "tool", "pprof", *args], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=300)
    if p.returncode:
        raise RuntimeError("go tool pprof %s: %s" % (" ".join(args), p.stderr.decode()))
    return p.stdout


def main():
    exe = sys.argv[1]
    if not shutil.which("go"):
        print("SKIP: go is not installed (scripts/deps --test installs golang-go)")
        sys.exit(readers.SKIP)
    c = readers.Checks()
    with tempfile.TemporaryDirectory(prefix="ft-pprof-") as tmp:
        src = os.path.join(tmp, "in.folded")
        with open(src, "wb") as f:
            for stack, n in STACKS:
                f.write(b"%s %d\n" % (stack, n))
        out = os.path.join(tmp, "out.pb.gz")
        readers.flametui(exe, "file", src, "--output", out)
        c.eq("gzip magic", open(out, "rb").read(2), b"\x1f\x8b")
        top = pprof("-top", "-sample_index=samples", "-nodecount=1000", out).decode()
        c.true("-top accounts for every sample",
               "accounting for %d, 100%% of %d total" % (ALL, ALL) in top, top)
        got = {}
        for line in top.splitlines():
            m = re.match(r"\s*(\d+)\s+\S+%\s+\S+%\s+(\d+)\s+\S+%\s+(\S+)$", line)
            if m:
                got[m.group(3)] = (int(m.group(1)), int(m.group(2)))
        got = {k: v for k, v in got.items() if not k.startswith("evil")}
        c.eq("-top: flat and cum per function", got, expected())
        raw = pprof("-raw", out)
        counts = [int(m.group(1)) for m in re.finditer(rb"^\s+(\d+): [\d ]+$", raw, re.M)]
        c.eq("-raw: samples add up", sum(counts), ALL)
        c.eq("-raw: one sample per stack", len(counts), len(STACKS))
        c.true("-raw: one sample type, samples/count", re.search(
            rb"^Samples:\nsamples/count\n", raw, re.M) is not None, raw[:300])
        c.true("-raw: no period (none is known)", b"Period: 0\n" in raw, raw[:300])
        top = pprof("-top", out).decode()
        c.true("-top counts samples, not ns", "of %d total" % ALL in top and "ns total" not in top,
               top)
        c.true("the crafted name comes out as text", EVIL_SHOWN.encode() in raw, raw[-600:])
        c.true("no control byte reaches pprof's output",
               not any(b < 0x20 and b not in (9, 10) for b in raw))
        for event, typ, total in (("cpu-clock", "cpu/nanoseconds", "12us total"),
                                  ("cycles", "cycles/count", "12000 total")):
            src = os.path.join(tmp, event + ".txt")
            with open(src, "w") as f:
                f.write("sh 1 [000] 1.000: 5000 %s:\n\t2000 main (/bin/sh)\n\n"
                        "sh 1 [000] 1.100: 7000 %s:\n\t2001 f (/bin/sh)\n"
                        "\t2000 main (/bin/sh)\n" % (event, event))
            out = os.path.join(tmp, event + ".pb.gz")
            readers.flametui(exe, "file", src, "--output", out)
            raw = pprof("-raw", out)
            c.true("perf script %s: one sample type, %s" % (event, typ), re.search(
                rb"^Samples:\n" + typ.encode() + rb"\n", raw, re.M) is not None, raw[:300])
            top = pprof("-top", out).decode()
            c.true("perf script %s: -top says %s" % (event, total), total in top, top)
    c.done()


main()
