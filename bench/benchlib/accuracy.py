# SPDX-License-Identifier: MIT
"""Section 4, accuracy: the shares of ft-tree's three leaves (60/30/10 by construction) in
each profiler's output, read from its own format (folded, bpftrace's map, perf.data)."""
import math
import re
import subprocess

from .procs import FLAMETUI, log
from .report import LEAF_SHARES, peer_verdict, target

LEAVES = tuple(LEAF_SHARES)


def shares_from_stacks(stacks):
    """stacks: iterable of (comm, frames list, count). Returns shares of ft-tree samples."""
    cnt = dict.fromkeys(LEAVES, 0)
    total = 0
    for comm, frames, n in stacks:
        if not comm.startswith("ft-tree"):
            continue
        total += n
        for leaf in LEAVES:
            if leaf in frames:
                cnt[leaf] += n
                break
    named = sum(cnt.values())
    if not named:
        return {"shares": None, "samples": total}
    return {"shares": {k: 100.0 * v / named for k, v in cnt.items()}, "samples": total,
            "unattributed": 100.0 * (total - named) / total}


def folded_lines(lines):
    """(comm, frames, count) of collapsed-stack lines; offsets ("+0x1f") dropped."""
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith("#"):
            continue
        stack, _, n = line.rpartition(" ")
        if not n.isdigit() or not stack:
            continue
        frames = [re.sub(r"\+0x[0-9a-f]+$", "", x) for x in stack.split(";")]
        yield frames[0], frames[1:], int(n)


def folded_stacks(path):
    with open(path, errors="replace") as f:
        yield from folded_lines(f)


def last_snapshot_text(text):
    """aggregate mode prints cumulative snapshots after '# time=' lines: the last one."""
    idx = text.rfind("# time=")
    if idx >= 0:
        text = text[text.find("\n", idx) + 1:]
    return text


def bpftrace_text_stacks(text):
    """(comm, frames, count) of bpftrace's printed @[kstack, ustack, comm] map."""
    for m in re.finditer(r"@\[(.*?)\]: (\d+)", text, re.S):
        body = m.group(1)
        parts = body.rsplit(",", 1)
        comm = parts[-1].strip()
        frames = [re.sub(r"\+\d+$", "", x.strip()) for x in parts[0].split("\n")]
        yield comm, [x for x in frames if x and x != ","], int(m.group(2))


def accuracy_of(r):
    tool, out = r["tool"], r.get("out")
    if not out or r.get("error"):
        return None
    try:
        if tool in ("flametui", "bcc"):
            return shares_from_stacks(folded_stacks(out + ".out"))
        if tool == "flametui-record":
            # the recording read back: the same shares as fixed, or the file lost samples
            text = subprocess.run([FLAMETUI, "file", "--folded", out + ".ftrec"],
                                  capture_output=True, text=True, timeout=120).stdout
            return shares_from_stacks(folded_lines(text.splitlines()))
        if tool == "flametui-agg":
            with open(out + ".out", errors="replace") as f:
                text = last_snapshot_text(f.read())
            return shares_from_stacks(folded_lines(text.splitlines()))
        if tool == "bpftrace":
            with open(out + ".out", errors="replace") as f:
                return shares_from_stacks(bpftrace_text_stacks(f.read()))
        if tool == "perf":
            with open(out + ".folded", "w") as fo:
                subprocess.run(["perf", "script", "report", "stackcollapse", "-i",
                                out + ".data"], stdout=fo, stderr=subprocess.DEVNULL,
                               timeout=300)
            return shares_from_stacks(folded_stacks(out + ".folded"))
    except (OSError, subprocess.SubprocessError) as e:
        log("accuracy of %s: %s" % (tool, e))
    return None


def judge(tool, shares, samples):
    """(max error in points, verdict) of measured leaf shares. A share from n samples is off
    by sqrt(p(1-p)/n) by chance alone: ~1.3 pt for 60% over --quick's ~1400 samples. An error
    beyond the target but within three of those is what chance does once in a while, not a
    measured miss."""
    limit, _ = target("accuracy_pt")
    err = max(abs(shares[k] - v) for k, v in LEAF_SHARES.items())
    vd = peer_verdict(tool, err <= limit)
    n = max(samples, 1)
    chance = max(3 * 100 * math.sqrt(v / 100 * (1 - v / 100) / n)
                 for k, v in LEAF_SHARES.items() if abs(shares[k] - v) > limit) \
        if err > limit else 0
    if err > limit and err <= chance:
        if tool.startswith("flametui"):
            vd = "UNRESOLVED (%d samples: chance alone reaches %.1f pt; would be %s)" % (
                samples, chance, vd)
        else:
            vd += " (within chance: %.1f pt)" % chance
    return err, vd


def report_accuracy(ctx, runs):
    _, tgt = target("accuracy_pt")
    for tool in ("flametui", "flametui-record", "flametui-agg", "perf", "bpftrace", "bcc"):
        rs = [r for r in runs.get((tool, 999), []) if not r.get("error")]
        if tool == "bpftrace" and ctx.quick:
            ctx.add("4 accuracy", tool + " @999 Hz", "not measured in --quick (printing its map "
                    "takes ~40 s of symbolization here)")
            continue
        if not rs:
            continue
        a = accuracy_of(rs[0])
        if not a:
            ctx.add("4 accuracy", tool + " @999 Hz", "no ft-tree samples found")
            continue
        if not a["shares"]:
            ctx.add("4 accuracy", tool + " @999 Hz", "0 of %d ft-tree samples have a leaf name "
                    "(user symbols resolved after the process exited)" % a["samples"],
                    tgt, peer_verdict(tool, False))
            continue
        s = a["shares"]
        err, vd = judge(tool, s, a["samples"])
        ctx.add("4 accuracy", tool + " @999 Hz",
                "a/b/c = %.1f/%.1f/%.1f%% (max err %.1f pt; %d samples, %.1f%% without a leaf)"
                % (s["leaf_a"], s["leaf_b"], s["leaf_c"], err, a["samples"], a["unattributed"]),
                tgt, vd)
