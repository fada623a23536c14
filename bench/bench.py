#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
flametui benchmarks (run through bench/run, which builds and installs what is missing).

Runs the sections of benchlib/ (overhead and own cost, ingest, accuracy, offline, drawing,
memory, export, jit) and prints one table with PASS/MISS against the targets of benchlib/report.py.
Only ratios against runs of the same invocation are judged: the machine is shared and noisy.
"""
import argparse
import os
import signal
import sys
import time

from benchlib import accuracy, drawing, export, ingest, jit, offline, overhead, ring, timeline
from benchlib.procs import NPROC, WORK, Context, Procs, log
from benchlib.profilers import setup_bcc
from benchlib.report import Report

SECTIONS = ("overhead", "ingest", "offline", "drawing", "ring", "timeline", "export", "jit")


def sections_arg(text):
    """--only's value: sections separated by commas, each one of SECTIONS."""
    names = [s for s in text.split(",") if s]
    bad = [s for s in names if s not in SECTIONS]
    if bad or not names:
        raise argparse.ArgumentTypeError("unknown section %s: choose from %s" % (
            ", ".join(repr(b) for b in bad) or "''", ", ".join(SECTIONS)))
    return names


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="bench/run", description="flametui benchmarks")
    ap.add_argument("--quick", action="store_true",
                    help="fewer and shorter runs (about two minutes for all sections)")
    ap.add_argument("--only", type=sections_arg, default=list(SECTIONS), metavar="SECTIONS",
                    help="comma-separated sections to run: %s" % ",".join(SECTIONS))
    return ap.parse_args(argv)


def run_overhead(ctx):
    bcc_ok = setup_bcc(ctx.report)
    ctx.procs.set_sysctl("kernel.bpf_stats_enabled", 1)
    rates = [99, 999, 4999]
    reps, secs = (3, 0.7) if ctx.quick else (5, 3.0)
    runs = overhead.overhead_and_cost(ctx, rates, reps, secs, bcc_ok)
    # counts samples with the BPF stats too, so before they are switched off
    steady = overhead.userspace_steady(ctx, *((1.0, 1.0) if ctx.quick else (3.0, 2.0)))
    ctx.procs.restore_sysctl("kernel.bpf_stats_enabled")
    overhead.report_overhead(ctx, runs, rates, bcc_ok)
    overhead.report_accounted(ctx, runs, rates)
    overhead.report_cost(ctx, runs, rates)
    ctx.add(*steady)
    accuracy.report_accuracy(ctx, runs)


def run_ingest(ctx):
    if ctx.quick:
        ingest.ingest(ctx, [10000, 20000, 30000, 40000, 50000, 75000], 1.0)
    else:
        ingest.ingest(ctx, [2500, 5000, 10000, 20000, 30000, 40000, 50000, 75000, 100000], 3.0)


def run_offline(ctx):
    if ctx.quick:
        offline.offline(ctx, [10, 100], [100])
    else:
        offline.offline(ctx, [10, 100, 1000], [100, 1000])
    offline.perf_collapse(ctx, 1 if ctx.quick else 5, 4999)


def run_drawing(ctx):
    drawing.drawing(ctx)
    drawing.key_response(ctx, 4999, 5 if ctx.quick else 20)


def run_ring(ctx):
    ring.ring_rss(ctx, 6 if ctx.quick else 120, 4999)


def run_export(ctx):
    export.exports(ctx)


RUNS = {"overhead": run_overhead, "ingest": run_ingest, "offline": run_offline,
        "drawing": run_drawing, "ring": run_ring, "timeline": timeline.timeline,
        "export": run_export, "jit": jit.jit}


def main(argv):
    args = parse_args(argv)
    procs = Procs()
    ctx = Context(args.quick, procs, Report(args.quick))

    def on_signal(signum, _frame):
        procs.cleanup()
        sys.exit(128 + signum)

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    os.makedirs(WORK, exist_ok=True)
    start = time.time()
    try:
        for name in SECTIONS:
            if name in args.only:
                RUNS[name](ctx)
                log("%s done at %.0f s" % (name, time.time() - start))
    finally:
        procs.cleanup()
    print("\n".join(ctx.report.lines(NPROC, time.time() - start)))


if __name__ == "__main__":
    main(sys.argv[1:])
