# SPDX-License-Identifier: MIT
# speedscope export of an input with times (gen-timed's recording, written not quite in time
# order): every sample on its own in time order, so speedscope's time-order view is in time,
# weights summing to the total, valid against the schema the app ships; with --from/--to only
# the range. Usage: test-speedscope-timed.py FLAMETUI GEN_TIMED
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402


def schema_path():
    try:
        root = subprocess.run(["npm", "root", "-g"], stdout=subprocess.PIPE, text=True,
                              timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        root = ""
    p = os.path.join(root, "speedscope", "dist", "release", "file-format-schema.json")
    if not root or not os.path.isfile(p):
        print("SKIP: the speedscope npm package is not installed (scripts/deps --test)")
        sys.exit(readers.SKIP)
    return p


def leaves(doc):
    names = [f["name"] for f in doc["shared"]["frames"]]
    return "".join(names[s[-1]] for s in doc["profiles"][0]["samples"])


def main():
    exe, gen = sys.argv[1], sys.argv[2]
    import jsonschema
    schema = json.load(open(schema_path()))
    c = readers.Checks()
    with tempfile.TemporaryDirectory(prefix="ft-speedscope-timed-") as tmp:
        rec = os.path.join(tmp, "t.ftrec")
        subprocess.run([gen, rec], check=True, timeout=60)
        for what, args, want in [
                ("whole recording", [], "aaababbbbbc"),
                ("--from 0.15 --to 3.45", ["--from", "0.15", "--to", "3.45"], "ababbb")]:
            out = os.path.join(tmp, "out.json")
            readers.flametui(exe, "file", *args, rec, "--output", out)
            doc = json.load(open(out))
            try:
                jsonschema.validate(doc, schema)
                c.true(what + ": valid against file-format-schema.json", True)
            except jsonschema.ValidationError as e:
                c.true(what + ": valid against file-format-schema.json", False, e.message)
            prof = doc["profiles"][0]
            c.eq(what + ": samples in time order (leaves)", leaves(doc), want)
            c.eq(what + ": one weight per sample", len(prof["weights"]), len(want))
            c.eq(what + ": sum of weights is the total", sum(prof["weights"]), len(want))
            c.eq(what + ": endValue - startValue is the total",
                 prof["endValue"] - prof["startValue"], len(want))
            names = [f["name"] for f in doc["shared"]["frames"]]
            c.true(what + ": every sample is rooted at the comm",
                   all(names[s[0]] == "app" for s in prof["samples"]))
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
