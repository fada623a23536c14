# SPDX-License-Identifier: MIT
"""The report: rows of (section, item, value, target, verdict), the table of targets every
section judges against, and the printed table with its list of misses."""
import statistics
from collections import namedtuple

Target = namedtuple("Target", "limit text")

# Every target the report judges, in one place: a section compares its measurement with
# `limit` and prints `text` (formatted with the limit) in the target column.
TARGETS = {
    "overhead_pt": Target(0.5, "within %g pt of floor"),
    "accounted_pt": Target(0.5, "within %g pt of the floor"),
    "marginal_us": Target(5.0, "< %g us/sample"),
    "steady_us": Target(5.0, "< %g us/sample"),
    "accuracy_pt": Target(2.0, "60/30/10 within %g pt"),
    "ingest_rate": Target(50000, ">= %d/s zero drops"),
    "offline_mbs": Target(300, ">= %d MB/s"),
    "perf_collapse_x": Target(10, ">= %gx perf"),
    "draw_ms": Target(10.0, "< %g ms"),
    "draw_nodes": Target(900000, "%d"),  # judged from this many nodes up
    "view_build_ms": Target(100.0, "< %g ms each"),  # bottom-up and sandwich, 1M nodes
    "key_ms": Target(1000, "within one refresh (%d ms)"),
    "bytes_per_node": Target(100, "< %d B"),
    "ring_growth_pct": Target(10, "flat within %d%%"),
}

# The accuracy section's workload: ft-tree's leaves get these shares of its samples.
LEAF_SHARES = {"leaf_a": 60, "leaf_b": 30, "leaf_c": 10}


def target(name):
    """(limit, the target column's text)."""
    t = TARGETS[name]
    return t.limit, t.text % t.limit


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec="%.2f"):
    return "n/a" if x is None else spec % x


def verdict(ok):
    if ok is None:
        return "n/a"
    return "PASS" if ok else "MISS"


def peer_verdict(tool, ok):
    """Peers are measured, not judged: only flametui's rows can MISS."""
    if tool.startswith("flametui"):
        return verdict(ok)
    return "peer: " + ("within" if ok else "off")


class Report:
    def __init__(self, quick):
        self.quick = quick
        self.rows = []   # (section, item, value, target, verdict)
        self.notes = []

    def add(self, section, item, value, target="", verdict=""):
        self.rows.append((section, item, value, target, verdict))

    def note(self, text):
        self.notes.append(text)

    def misses(self):
        return [r for r in self.rows if r[4].startswith("MISS")]

    def lines(self, nproc, elapsed):
        out = ["flametui bench%s: %d CPUs, %.0f s" % (" --quick" if self.quick else "", nproc,
                                                       elapsed)]
        if not self.rows:
            return out + ["no results"] + ["note: " + n for n in self.notes]
        w1 = max(len(r[0]) for r in self.rows)
        w2 = max(len(r[1]) for r in self.rows)
        out.append("%-*s  %-*s  %s" % (w1, "section", w2, "item", "result | target | verdict"))
        for sec, item, val, tgt, vd in self.rows:
            line = "%-*s  %-*s  %s" % (w1, sec, w2, item, val)
            if tgt or vd:
                line += " | %s | %s" % (tgt, vd)
            out.append(line)
        misses = self.misses()
        out.append("")
        if misses:
            out.append("MISSED TARGETS (%d):" % len(misses))
            for sec, item, val, tgt, vd in misses:
                out.append("  MISS %s / %s: %s (target: %s)" % (sec, item, val, tgt))
        unres = [r for r in self.rows if r[4].startswith("UNRESOLVED")]
        if unres:
            out.append("UNRESOLVED (the machine's noise is larger than the target's tolerance) "
                       "(%d):" % len(unres))
            for sec, item, val, tgt, vd in unres:
                out.append("  %s / %s: %s (target: %s)" % (sec, item, val, tgt))
        if not misses:
            out.append("All measurable targets met." if unres else "All targets met.")
        out += ["note: " + n for n in self.notes]
        return out
