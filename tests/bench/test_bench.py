#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The bench's pure parts: medians and verdicts, the target table, accuracy shares and their
chance allowance, the parsers of every profiler's output, --only's choices, and the offline
generators' promises (every line distinct, 10-50 frames, 20-90-character names), and where
the export section finds flamegraph.pl."""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))

import bench  # noqa: E402
from benchlib import accuracy, export, gen, offline, procs, profilers, report  # noqa: E402


class Report(unittest.TestCase):
    def test_med_fmt_verdict(self):
        self.assertEqual(report.med([3, None, 1, 2]), 2)
        self.assertEqual(report.med([1, 2, 3, 4]), 2.5)
        self.assertIsNone(report.med([None]))
        self.assertEqual(report.fmt(None), "n/a")
        self.assertEqual(report.fmt(1.234), "1.23")
        self.assertEqual(report.verdict(True), "PASS")
        self.assertEqual(report.verdict(False), "MISS")
        self.assertEqual(report.verdict(None), "n/a")
        self.assertEqual(report.peer_verdict("perf", False), "peer: off")
        self.assertEqual(report.peer_verdict("flametui-agg", False), "MISS")

    def test_targets(self):
        self.assertEqual(report.target("offline_mbs"), (300, ">= 300 MB/s"))
        self.assertEqual(report.target("ring_growth_pct"), (10, "flat within 10%"))
        for name in report.TARGETS:
            limit, text = report.target(name)
            self.assertTrue(text)

    def test_table(self):
        r = report.Report(quick=True)
        r.add("5 offline", "folded 10 MB", "120 MB/s", ">= 300 MB/s", "MISS")
        r.add("6 drawing", "x", "1 ms", "< 10 ms", "PASS")
        r.note("bcc unavailable")
        text = "\n".join(r.lines(2, 5))
        self.assertIn("flametui bench --quick: 2 CPUs, 5 s", text)
        self.assertIn("MISSED TARGETS (1):", text)
        self.assertIn("  MISS 5 offline / folded 10 MB: 120 MB/s (target: >= 300 MB/s)", text)
        self.assertTrue(text.endswith("note: bcc unavailable"))
        r = report.Report(quick=False)
        r.add("6 drawing", "x", "1 ms", "< 10 ms", "PASS")
        self.assertIn("All targets met.", r.lines(2, 1))


class Accuracy(unittest.TestCase):
    def test_shares(self):
        a = accuracy.shares_from_stacks([
            ("ft-tree", ["main", "leaf_a"], 60), ("ft-tree", ["main", "leaf_b"], 30),
            ("ft-tree", ["main", "leaf_c"], 10), ("ft-tree", ["main"], 25),
            ("other", ["leaf_a"], 1000)])
        self.assertEqual(a["shares"], {"leaf_a": 60.0, "leaf_b": 30.0, "leaf_c": 10.0})
        self.assertEqual(a["samples"], 125)
        self.assertEqual(a["unattributed"], 20.0)
        self.assertIsNone(accuracy.shares_from_stacks([("ft-tree", ["x"], 5)])["shares"])

    def test_judge(self):
        err, vd = accuracy.judge("flametui", {"leaf_a": 61, "leaf_b": 29.5, "leaf_c": 9.5}, 10000)
        self.assertEqual((err, vd), (1, "PASS"))
        # 4 pt off over 10000 samples is a miss; over 200 it is within chance
        err, vd = accuracy.judge("flametui", {"leaf_a": 64, "leaf_b": 27, "leaf_c": 9}, 10000)
        self.assertEqual(vd, "MISS")
        err, vd = accuracy.judge("flametui", {"leaf_a": 64, "leaf_b": 27, "leaf_c": 9}, 200)
        self.assertTrue(vd.startswith("UNRESOLVED (200 samples"), vd)
        err, vd = accuracy.judge("perf", {"leaf_a": 64, "leaf_b": 27, "leaf_c": 9}, 200)
        self.assertTrue(vd.startswith("peer: off (within chance"), vd)

    def test_folded(self):
        got = list(accuracy.folded_lines(["# comment\n", "ft-tree;main+0x1f;leaf_a 12\n",
                                          "bad line\n", " 3\n", "a;b x\n"]))
        self.assertEqual(got, [("ft-tree", ["main", "leaf_a"], 12)])

    def test_last_snapshot(self):
        text = "# time=1\na;b 1\n# time=2\na;b 5\nc 1\n"
        self.assertEqual(accuracy.last_snapshot_text(text), "a;b 5\nc 1\n")
        self.assertEqual(accuracy.last_snapshot_text("a 1\n"), "a 1\n")

    def test_bpftrace(self):
        text = ("Attaching 1 probe...\n@[\n    leaf_a+12\n    main+40\n, ft-tree]: 7\n"
                "@[\n    do_idle+3\n, swapper/0]: 2\n")
        self.assertEqual(list(accuracy.bpftrace_text_stacks(text)),
                         [("ft-tree", ["leaf_a", "main"], 7), ("swapper/0", ["do_idle"], 2)])


class Parsers(unittest.TestCase):
    def test_verbose(self):
        c = profilers.parse_verbose("flametui: samples: 10 seen, 8 kept, 1 idle dropped, "
                                    "1 filtered out, 0 lost, 0 stack failures\n")
        self.assertEqual(c, {"seen": 10, "kept": 8, "idle": 1, "filtered": 1, "lost": 0})
        self.assertIsNone(profilers.parse_verbose("nothing"))

    def test_rounds(self):
        self.assertEqual(profilers.parse_rounds("x\nrounds_per_sec 1234.5\n"), 1234.5)
        self.assertIsNone(profilers.parse_rounds(""))

    def test_fdinfo(self):
        prog = "pos:\t0\nprog_type:\t7\nrun_time_ns:\t500\nrun_cnt:\t5\n"
        self.assertEqual(procs.parse_fdinfo_prog(prog), (500, 5))
        other = prog.replace("prog_type:\t7", "prog_type:\t26")
        self.assertIsNone(procs.parse_fdinfo_prog(other))
        self.assertEqual(procs.parse_fdinfo_prog(other, perf_event_only=False), (500, 5))
        self.assertIsNone(procs.parse_fdinfo_prog("pos:\t0\nflags:\t02\n", False))

    def test_only(self):
        self.assertEqual(bench.parse_args(["--only", "ring,offline"]).only, ["ring", "offline"])
        self.assertEqual(bench.parse_args(["--only=ingest"]).only, ["ingest"])
        self.assertEqual(bench.parse_args([]).only, list(bench.SECTIONS))
        self.assertTrue(bench.parse_args(["--quick"]).quick)
        with open(os.devnull, "w") as null:
            old, sys.stderr = sys.stderr, null
            try:
                for bad in (["--only", "ofline"], ["--only", ","], ["--frob"]):
                    with self.assertRaises(SystemExit):
                        bench.parse_args(bad)
            finally:
                sys.stderr = old


class Generators(unittest.TestCase):
    def test_distinct(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "x.folded")
            lines, size = gen.distinct(path, 2000000)
            self.assertGreaterEqual(size, 2000000)
            self.assertEqual(os.path.getsize(path), size)
            with open(path) as f:
                text = f.read().splitlines()
        self.assertEqual(len(text), lines)
        stacks = [t.rpartition(" ")[0] for t in text]
        self.assertEqual(len(set(stacks)), len(stacks))  # every line distinct
        depths = [s.count(";") for s in stacks]
        self.assertEqual((min(depths), max(depths)), (10, 50))
        names = {f for s in stacks for f in s.split(";")[1:]}
        self.assertTrue(all(20 <= len(n) <= 90 for n in names))
        mean = size / lines
        self.assertTrue(800 <= mean <= 1300, mean)  # about 1 KB a line
        # stacks share prefixes (a call tree), but are not one long prefix
        firsts = {s.split(";")[1] for s in stacks}
        self.assertTrue(1 < len(firsts) <= 8, len(firsts))
        # the same seed, the same file
        with tempfile.TemporaryDirectory() as d:
            p2 = os.path.join(d, "y.folded")
            gen.distinct(p2, 100000)
            p3 = os.path.join(d, "z.folded")
            gen.distinct(p3, 100000)
            self.assertEqual(open(p2).read(), open(p3).read())

    def test_repeated(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "r.folded")
            nodes, n = gen.repeated(path, 300000, stacks=1000, depth=12)
            with open(path) as f:
                text = f.read().splitlines()
        self.assertEqual(n, 1000)
        self.assertGreater(len(text), n)  # the block repeats
        self.assertEqual(len({t.rpartition(" ")[0] for t in text}), n)
        self.assertTrue(nodes > 1)
        # once: one copy of each stack, even when the size asks for more
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "o.folded")
            nodes1, n1 = gen.repeated(path, 300000, stacks=1000, depth=12, once=True)
            with open(path) as f:
                text = f.read().splitlines()
        self.assertEqual((nodes1, n1, len(text)), (nodes, 1000, 1000))
        self.assertEqual(len({t.rpartition(" ")[0] for t in text}), 1000)

    def test_b62(self):
        self.assertEqual(gen.b62(0), "0")
        self.assertEqual(gen.b62(61), "Z")
        self.assertEqual(gen.b62(62), "10")


class Export(unittest.TestCase):
    def test_flamegraph_pl(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            self.assertIsNone(export.flamegraph_pl({"PATH": a}))
            self.assertIsNone(export.flamegraph_pl({}))
            pb = os.path.join(b, "flamegraph.pl")
            open(pb, "w").close()
            self.assertEqual(export.flamegraph_pl({"PATH": os.pathsep.join((a, b))}), pb)
            # FLAMEGRAPH_DIR comes first; one without the script falls back to PATH
            pa = os.path.join(a, "flamegraph.pl")
            open(pa, "w").close()
            self.assertEqual(export.flamegraph_pl({"FLAMEGRAPH_DIR": a, "PATH": b}), pa)
            os.unlink(pa)
            self.assertEqual(export.flamegraph_pl({"FLAMEGRAPH_DIR": a, "PATH": b}), pb)
            os.mkdir(pa)  # a directory of that name is not the script
            self.assertIsNone(export.flamegraph_pl({"FLAMEGRAPH_DIR": a}))

    def test_flamegraph_tool(self):
        with tempfile.TemporaryDirectory() as a:
            p = os.path.join(a, "stackcollapse-perf.pl")
            open(p, "w").close()
            self.assertEqual(export.flamegraph_tool("stackcollapse-perf.pl",
                                                    {"FLAMEGRAPH_DIR": a}), p)
            self.assertIsNone(export.flamegraph_tool("flamegraph.pl", {"FLAMEGRAPH_DIR": a}))


class Procs(unittest.TestCase):
    def test_parse_time_rss(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "rss")
            with open(p, "w") as f:
                f.write("Command exited with non-zero status 1\n5120\n")
            self.assertEqual(procs.parse_time_rss(p), 5120)
            with open(p, "w") as f:
                f.write("")
            self.assertEqual(procs.parse_time_rss(p, 7), 7)
            self.assertIsNone(procs.parse_time_rss(os.path.join(d, "none")))


class Offline(unittest.TestCase):
    def test_compare(self):
        self.assertEqual(offline.compare(0.5, 100, 5.0, 400),
                         "flametui 10.0x faster, 4.0x less memory")
        self.assertEqual(offline.compare(2.0, 400, 1.0, 100),
                         "flametui 0.5x faster, 4.0x more memory")
        self.assertEqual(offline.compare(None, None, 1.0, 100), "")

    def test_distinct_reps(self):
        # the judged inputs: more runs where a run is short and the noise relatively large
        self.assertEqual([offline.distinct_reps(mb, False) for mb in (10, 100, 1000)], [5, 3, 1])
        self.assertEqual([offline.distinct_reps(mb, True) for mb in (10, 100)], [3, 2])


if __name__ == "__main__":
    unittest.main()
