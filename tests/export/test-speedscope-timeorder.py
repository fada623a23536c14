#!/usr/bin/env python3
# speedscope's time-order view of the timed export, in speedscope itself (the npm app in
# headless Chromium): gen-timed's recording written by `flametui file --output x.json`, then
# the view hovered where each run of samples lies, reading the app's own tooltip: the frame
# names in time order with their durations, nothing where the recording was idle, and the
# total duration (the tooltip's share of it). Usage: test-speedscope-timeorder.py FLAMETUI
# GEN_TIMED
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import readers  # noqa: E402

# gen-timed's samples (0.1 s apart where busy) as runs of one leaf: (start ms, end ms, leaf);
# one sample stands for 100 ms, so the view spans 3800 ms with idle 300-500 and 600-3100.
RUNS = [(0, 300, "a"), (500, 600, "b"), (3100, 3200, "a"), (3200, 3700, "b"), (3700, 3800, "c")]
IDLE = [(300, 500), (600, 3100)]
BUSY = [(0, 300), (500, 600), (3100, 3800)]  # the root's runs
TOTAL_MS = 3800

# Hovers the main flame chart (the last canvas) at the times asked for, on the rows of the
# root (app) and the leaf (depth 2), and reads the tooltip the app draws: "300.00ms (7.9%) a".
# The rows are found by moving down the chart at the first time until three frames showed;
# a hover that shows nothing is repeated (an event can be lost while the app is busy).
PROBE = r'''<script>
var FT_AT = %s;
function ftTip() {
  var m = /^([\d.]+)(ns|µs|ms|s) \(([\d.]+)%%\) (.*)$/m.exec(document.body.innerText);
  return m ? {v: parseFloat(m[1]), unit: m[2], pct: parseFloat(m[3]), name: m[4]} : null;
}
function ftHover(x, y, tries, done) {
  var el = document.elementFromPoint(x, y);
  if (el) el.dispatchEvent(new MouseEvent('mousemove', {clientX: x, clientY: y, bubbles: true}));
  setTimeout(function () {
    var t = ftTip();
    if (!t && tries > 1) { ftHover(x, y, tries - 1, done); return; }
    done(t);
  }, 60);
}
function ftDone(out) {
  var e = document.createElement('pre'); e.id = 'test-result'; e.textContent = JSON.stringify(out);
  document.body.appendChild(e);
}
function ftProbe() {
  var c = document.querySelectorAll('canvas');
  if (c.length < 3) { setTimeout(ftProbe, 200); return; }
  var r = c[c.length - 1].getBoundingClientRect();
  if (r.width < 100) { setTimeout(ftProbe, 200); return; }
  var out = {width: r.width, rows: [], at: []}, y = r.top + 1, last = null;
  function xOf(ms) { return r.left + r.width * ms / %d; }
  (function findRows() {
    if (out.rows.length == 3 || y > r.top + 200) { probe(0); return; }
    ftHover(xOf(FT_AT[0]), y, 1, function (t) {
      if (t && (!last || t.name != last)) out.rows.push(y + 6);
      last = t ? t.name : null;
      y += 2; findRows();
    });
  })();
  function probe(i) {
    if (i == FT_AT.length || out.rows.length < 3) { ftDone(out); return; }
    ftHover(xOf(FT_AT[i]), out.rows[2], 3, function (leaf) {
      ftHover(xOf(FT_AT[i]), out.rows[0], 3, function (root) {
        out.at.push({ms: FT_AT[i], leaf: leaf, root: root}); probe(i + 1);
      });
    });
  }
}
setTimeout(ftProbe, 1500);
</script></body>'''


def main():
    exe, gen = sys.argv[1], sys.argv[2]
    readers.chromium()
    app = readers.speedscope_app()
    c = readers.Checks()
    # the middle of each run, then of each idle gap
    at = [(a + b) // 2 for a, b, _ in RUNS] + [(a + b) // 2 for a, b in IDLE]
    with tempfile.TemporaryDirectory(prefix="ft-speedscope-to-") as tmp:
        rec = os.path.join(tmp, "t.ftrec")
        subprocess.run([gen, rec], check=True, timeout=60)
        out = os.path.join(tmp, "out.json")
        readers.flametui(exe, "file", rec, "--output", out)
        raw = open(out, "rb").read()
        dom, console, bad = readers.speedscope_load(
            app, tmp, raw, PROBE % (json.dumps(at), TOTAL_MS), 60000)
        c.eq("console errors in speedscope", bad, [])
        r = readers.result(dom)
        c.eq("the chart's rows found (app, main, the leaf)", len(r["rows"]), 3)
        got = {p["ms"]: p for p in r["at"]}
        for a, b, leaf in RUNS:
            p = got.get((a + b) // 2, {})
            t, root = p.get("leaf"), p.get("root")
            c.eq("%d-%d ms: the leaf" % (a, b), t and t["name"], leaf)
            c.eq("%d-%d ms: its duration (ms)" % (a, b), t and (t["unit"], t["v"]),
                 ("ms", float(b - a)))
            c.eq("%d-%d ms: rooted at the comm" % (a, b), root and root["name"], "app")
            c.eq("%d-%d ms: the comm's run (ms)" % (a, b), root and root["v"],
                 next(float(y - x) for x, y in BUSY if x <= a < y))
        # the tooltip's share (one decimal under 10%) is of the whole: the total duration
        t = got.get(150, {}).get("leaf")
        c.near("the total duration (ms), from 300 ms's share", t and t["pct"] and
               300 * 100.0 / t["pct"], TOTAL_MS, TOTAL_MS * 0.01)
        for a, b in IDLE:
            p = got.get((a + b) // 2, {})
            c.eq("%d-%d ms: idle, no frame at all" % (a, b),
                 (p.get("leaf"), p.get("root")), (None, None))
        if c.failed:
            print("the probe saw: %s" % json.dumps(r))
    return c.done()


if __name__ == "__main__":
    sys.exit(main())
