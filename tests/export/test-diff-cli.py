#!/usr/bin/env python3
# `flametui diff` end to end: --folded (and -n) prints what difffolded.pl prints for the same
# inputs (its outputs are kept in data/), --output writes those lines or a differential SVG
# whose colours are the terminal's for the change of share (red grew, blue shrank, white
# unchanged, in 8 steps, the largest change at full strength), --negate draws BEFORE so what went away shows, --by picks
# self or total; bad command lines get one line and exit 2.
# Usage: test-diff-cli.py FLAMETUI
import math
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
BEFORE = os.path.join(DATA, "before.folded")
AFTER = os.path.join(DATA, "after.folded")
NS = "{http://www.w3.org/2000/svg}"


def run(exe, *args):
    return subprocess.run([exe, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=60)


def fills(path):
    """data-n -> fill of each frame at depth > 0, with its stack (joined names) as key."""
    root = ET.parse(path).getroot()
    out, stack = {}, {}
    for g in root.iter(NS + "g"):
        if g.get("class") != "f":
            continue
        d = int(g.get("data-d"))
        stack[d] = g.get("data-n")
        if d:
            out[";".join(stack[i] for i in range(1, d + 1))] = g.find(NS + "rect").get("fill")
    return out


def load(path):
    prof = {}
    for line in open(path):
        s, n = line.rsplit(" ", 1)
        prof[s.replace("_[k]", "")] = int(n)
    return prof


def share(prof, stack, by_total):
    tot = sum(prof.values())
    if by_total:
        n = sum(c for s, c in prof.items() if s == stack or s.startswith(stack + ";"))
    else:
        n = prof.get(stack, 0)
    return n / tot


# The terminal's diff colours (256-colour indices, src/tui/palette.c): grew, shrank, same.
UP = [224, 217, 210, 209, 203, 197, 196, 160]
DOWN = [189, 153, 147, 111, 75, 69, 33, 27]
SAME = 255


def xterm_rgb(i):
    """An xterm 256-colour index (16 and above) as the rgb() a browser reads."""
    if i >= 232:
        v = 8 + 10 * (i - 232)
        return "rgb(%d,%d,%d)" % (v, v, v)
    lv = [0, 95, 135, 175, 215, 255]
    i -= 16
    return "rgb(%d,%d,%d)" % (lv[i // 36], lv[i // 6 % 6], lv[i % 6])


def want_fill(delta, maxd):
    """The SVG's diff colour: the terminal's, in its 8 steps of |delta| against the largest."""
    if abs(delta) < 1e-12:
        return xterm_rgb(SAME)
    level = min(8, math.ceil(abs(delta) / maxd * 8))
    return xterm_rgb(UP[level - 1] if delta > 0 else DOWN[level - 1])


def main():
    exe = sys.argv[1]
    c = readers.Checks()
    for flag, expected in [([], "difffolded.expected"), (["-n"], "difffolded-n.expected")]:
        p = run(exe, "diff", *flag, BEFORE, AFTER)
        got = "".join(sorted(p.stdout.decode().splitlines(True)))
        c.eq("diff %s--folded = difffolded.pl %s" % (" ".join(flag) + " " if flag else "",
                                                       " ".join(flag)),
             got, open(os.path.join(DATA, expected)).read())
        c.eq("exit 0, nothing on stderr", (p.returncode, p.stderr), (0, b""))
    before, after = load(BEFORE), load(AFTER)
    with tempfile.TemporaryDirectory(prefix="ft-diff-") as tmp:
        out = os.path.join(tmp, "d.folded")
        p = run(exe, "diff", BEFORE, AFTER, "--output", out)
        c.eq("--output .folded writes the same lines", open(out).read(),
             run(exe, "diff", "--folded", BEFORE, AFTER).stdout.decode())
        for by_total in (True, False):
            for negate in (False, True):
                svg = os.path.join(tmp, "d.svg")
                args = ["diff", "--by", "total" if by_total else "self", BEFORE, AFTER,
                        "--output", svg] + (["--negate"] if negate else [])
                p = run(exe, *args)
                c.eq("%s: exit 0" % " ".join(args[:3] + args[-1:]), p.returncode, 0)
                got = fills(svg)
                shown = before if negate else after
                stacks = set()
                for s in shown:
                    parts = s.split(";")
                    stacks.update(";".join(parts[:i]) for i in range(1, len(parts) + 1))
                deltas = {s: share(after, s, by_total) - share(before, s, by_total)
                          for s in stacks}
                maxd = max(abs(v) for v in deltas.values())
                want = {s: want_fill(v, maxd) for s, v in deltas.items()}
                # rounding of shares near zero: compare exactly, they are computed the same way
                c.eq("colours by %s%s" % ("total" if by_total else "self",
                                          ", negated" if negate else ""), got, want)
        c.true("negated: the frame that went away is drawn (blue)",
               fills(svg).get("main;old_path;gone") in [xterm_rgb(i) for i in DOWN])
        plain = os.path.join(tmp, "p.svg")
        run(exe, "diff", BEFORE, AFTER, "--output", plain)
        c.true("not negated: the frame that went away is not in the graph",
               "main;old_path;gone" not in fills(plain))
        c.true("not negated: the new frame is the reddest",
               fills(plain)["main;render;new_cache"] == xterm_rgb(UP[-1]))
    for args, what in [(["diff", BEFORE], "one profile"),
                       (["diff", "--by", "both", BEFORE, AFTER], "bad --by"),
                       (["diff", "-", "-"], "stdin twice"),
                       (["diff", BEFORE, AFTER, "-o", "x.png"], "unknown output format")]:
        p = run(exe, *args)
        err = p.stderr.decode()
        c.true("%s: exit 2 with one line" % what,
               p.returncode == 2 and err.count("\n") == 1 and err.startswith("flametui: "),
               "rc=%d %r" % (p.returncode, err))
    p = run(exe, "diff", BEFORE, os.path.join(DATA, "missing.folded"))
    c.true("missing AFTER: exit 1 naming the file", p.returncode == 1 and
           b"missing.folded" in p.stderr and p.stderr.count(b"\n") == 1, repr(p.stderr))
    c.done()


main()
