# SPDX-License-Identifier: MIT
# speedscope export of an input with times (gen-timed's recording, written not quite in time
# order): every sample on its own in time order, in nanoseconds, each weighing the sampling
# interval (0.1 s here, the recording's median), with an empty sample for every idle gap, so
# speedscope's time-order view spans the real time; valid against the schema the app ships;
# with --from/--to only the range; diff's --output the shown side's.
# Usage: test-speedscope-timed.py FLAMETUI GEN_TIMED
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402


def leaves(doc):
    """The leaf of each sample in order, '-' for an empty (idle) one."""
    names = [f["name"] for f in doc["shared"]["frames"]]
    return "".join(names[s[-1]] if s else "-" for s in doc["profiles"][0]["samples"])


# gen-timed's samples: (seconds after the first, leaf)
TIMES = [(0.0, "a"), (0.1, "a"), (0.2, "a"), (0.5, "b"), (3.1, "a"), (3.2, "b"), (3.3, "b"),
         (3.4, "b"), (3.5, "b"), (3.6, "b"), (3.7, "c")]
PERIOD = 100000000


def expected(lo, hi):
    """Leaves with '-' for the idle gaps (more than 1.5 periods to the next sample: the gap
    less the period), and the weights, for the samples in [lo, hi)."""
    got = [(round(t * 1e9), leaf) for t, leaf in TIMES if lo <= t < hi]
    want, weights = "", []
    for i, (ns, leaf) in enumerate(got):
        want += leaf
        weights.append(PERIOD)
        if i + 1 < len(got) and got[i + 1][0] - ns > PERIOD * 3 // 2:
            want += "-"
            weights.append(got[i + 1][0] - ns - PERIOD)
    return want, weights


def main():
    exe, gen = sys.argv[1], sys.argv[2]
    import jsonschema
    schema = json.load(open(os.path.join(readers.speedscope_app(),
                                    "file-format-schema.json")))
    c = readers.Checks()
    with tempfile.TemporaryDirectory(prefix="ft-speedscope-timed-") as tmp:
        rec = os.path.join(tmp, "t.ftrec")
        subprocess.run([gen, rec], check=True, timeout=60)
        two = ["--from", "0", "--to", "1", rec, "--from", "0", "--to", "3.5", rec]
        for what, args, (lo, hi) in [
                ("whole recording", ["file", rec], (0, 99)),
                ("--from 0.15 --to 3.45", ["file", "--from", "0.15", "--to", "3.45", rec],
                 (0.15, 3.45)),
                # diff writes the graph it shows: AFTER's samples, or BEFORE's negated
                ("diff: AFTER's range", ["diff"] + two, (0, 3.5)),
                ("diff --negate: BEFORE's range", ["diff", "--negate"] + two, (0, 1))]:
            want, weights = expected(lo, hi)
            out = os.path.join(tmp, "out.json")
            readers.flametui(exe, *args, "--output", out)
            doc = json.load(open(out))
            try:
                jsonschema.validate(doc, schema)
                c.true(what + ": valid against file-format-schema.json", True)
            except jsonschema.ValidationError as e:
                c.true(what + ": valid against file-format-schema.json", False, e.message)
            prof = doc["profiles"][0]
            c.eq(what + ": unit", prof["unit"], "nanoseconds")
            c.eq(what + ": samples in time order (leaves, '-' idle)", leaves(doc), want)
            c.eq(what + ": weights: the period, the idle gaps", prof["weights"], weights)
            c.eq(what + ": endValue - startValue is the time spanned",
                 prof["endValue"] - prof["startValue"], sum(weights))
            names = [f["name"] for f in doc["shared"]["frames"]]
            c.true(what + ": every sample is rooted at the comm",
                   all(names[s[0]] == "app" for s in prof["samples"] if s))
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
