#!/usr/bin/env bash
# speedscope's timed form from the sampling commands: fixed --output x.json and aggregate's last
# snapshot write every sample on its own in time order, in nanoseconds (one sampling period
# each), with the idle time between them as empty samples, so speedscope's time-order view
# spans the run: a workload that sleeps 0.6 s between two busy spells shows that gap.
. "$(dirname "$0")/lib.sh"
need_bpf

# timed JSON N: "samples=K idle=I maxidle_ms=M span_ms=S period_ok=0|1 sorted=0|1 unit=U"
timed() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = d["profiles"][0]
period = int(sys.argv[2])
busy = [w for s, w in zip(p["samples"], p["weights"]) if s]
idle = [w for s, w in zip(p["samples"], p["weights"]) if not s]
print("samples=%d idle=%d maxidle_ms=%d span_ms=%d period_ok=%d unit=%s" % (
    len(busy), len(idle), max(idle or [0]) // 1000000, (p["endValue"] - p["startValue"]) // 1000000,
    all(w == period for w in busy), p["unit"]))
PY
}
field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# fixed at 499 Hz: a period is 2004008 ns; busy 0.4 s, asleep 0.6 s, busy 0.4 s
"$FT" fixed --hz 499 --ms 5000 --output "$TMP/f.json" -- sh -c \
	"'$WL/ft-tree' --seconds 0.4 >/dev/null; sleep 0.6; exec '$WL/ft-tree' --seconds 0.4 >/dev/null" \
	2>"$TMP/f.err"
n=$(sed -n 's/^flametui: wrote .* (speedscope JSON, \([0-9]*\) samples)$/\1/p' "$TMP/f.err")
got=$(timed "$TMP/f.json" 2004008)
echo "fixed: $n samples; $got"
check "fixed: one sample per sample ($n)" [ "$(field samples "$got")" = "$n" -a "${n:-0}" -gt 20 ]
check "fixed: nanoseconds, each sample one period" \
	[ "$(field unit "$got")" = nanoseconds -a "$(field period_ok "$got")" = 1 ]
check "fixed: the 0.6 s sleep is an idle gap" [ "$(field maxidle_ms "$got")" -ge 500 ]
span=$(field span_ms "$got")
check "fixed: the time spanned is the run's (${span} ms)" [ "${span:-0}" -ge 1300 -a "${span:-0}" -lt 5000 ]

# aggregate (headless): the last snapshot, timed; 299 Hz: 3344481 ns a sample
"$FT" aggregate --hz 299 --refresh 400 --folded --output "$TMP/a.json" -- sh -c \
	"'$WL/ft-tree' --seconds 0.5 >/dev/null; sleep 0.6; exec '$WL/ft-tree' --seconds 0.5 >/dev/null" \
	>"$TMP/a.out" 2>"$TMP/a.err"
last=$(awk '/^# time=/ { s = $NF; sub("samples=", "", s) } END { print s }' "$TMP/a.out")
got=$(timed "$TMP/a.json" 3344481)
echo "aggregate: last snapshot $last samples; $got"
check "aggregate: the last snapshot's samples, one each ($last)" \
	[ "$(field samples "$got")" = "$last" -a "${last:-0}" -gt 20 ]
check "aggregate: each one period, the sleep an idle gap" \
	[ "$(field period_ok "$got")" = 1 -a "$(field maxidle_ms "$got")" -ge 500 ]
finish
