#!/usr/bin/env bash
# speedscope's timed form from the sampling commands: fixed --output x.json, aggregate's last
# snapshot and ring's last window write every sample on its own in time order, in nanoseconds
# (one sampling period each), with the idle time between them as empty samples, so
# speedscope's time-order view spans the run: a workload that sleeps 0.6 s between two busy
# spells shows that gap. A recording opened by `file` gives speedscope and pprof its rate,
# start time and duration.
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
# ring (headless): the last window (2 slots of 0.4 s), timed, within the window's time
"$FT" ring --hz 299 --ms 400 --n 2 --folded --output "$TMP/w.json" -- sh -c \
	"'$WL/ft-tree' --seconds 0.5 >/dev/null; sleep 0.3; exec '$WL/ft-tree' --seconds 0.5 >/dev/null" \
	>"$TMP/w.out" 2>"$TMP/w.err"
last=$(awk '/^# time=/ { s = $NF; sub("samples=", "", s) } END { print s }' "$TMP/w.out")
got=$(timed "$TMP/w.json" 3344481)
echo "ring: last window $last samples; $got"
check "ring: the last window's samples, one each ($last)" \
	[ "$(field samples "$got")" = "$last" -a "${last:-0}" -gt 10 -a "$(field period_ok "$got")" = 1 ]
check "ring: within the window (2 x 400 ms)" [ "$(field span_ms "$got")" -le 800 ]

# a recording opened by file: its rate gives the period, its clocks the wall time of the first
# sample; pprof carries them (time_nanos, duration_nanos, period), speedscope the same times
t0=$(date +%s)
"$FT" record --hz 499 -o "$TMP/r.ftrec" -- sh -c \
	"'$WL/ft-tree' --seconds 0.4 >/dev/null; sleep 0.6; exec '$WL/ft-tree' --seconds 0.4 >/dev/null" \
	2>"$TMP/r.err"
t1=$(date +%s)
"$FT" file "$TMP/r.ftrec" --output "$TMP/r.json" 2>"$TMP/rj.err"
n=$(sed -n 's/^flametui: wrote .* (speedscope JSON, \([0-9]*\) samples)$/\1/p' "$TMP/rj.err")
got=$(timed "$TMP/r.json" 2004008)
echo "recording: $n samples; $got"
check "recording: timed, each sample the recorded rate's period ($n)" \
	[ "$(field samples "$got")" = "${n:-x}" -a "$(field period_ok "$got")" = 1 ]
check "recording: the sleep an idle gap" [ "$(field maxidle_ms "$got")" -ge 500 ]
if command -v go >/dev/null; then
	"$FT" file "$TMP/r.ftrec" --output "$TMP/r.pb.gz" 2>/dev/null
	raw=$(HOME=$TMP go tool pprof -raw "$TMP/r.pb.gz" 2>&1)
	grep -E '^(Period|Time|Duration):' <<<"$raw"
	check "pprof of a recording: the period of 499 Hz" grep -qx 'Period: 2004008' <<<"$raw"
	when=$(sed -n 's/^Time: \(.*\)$/\1/p' <<<"$raw")
	when=$(date -d "${when% UTC}" +%s 2>/dev/null || echo 0)
	check "pprof of a recording: the time of its first sample ($when in $t0..$t1)" \
		[ "$when" -ge "$t0" -a "$when" -le "$t1" ]
	dur=$(sed -n 's/^Duration: \([0-9.]*\)$/\1/p' <<<"$raw")
	check "pprof of a recording: its duration ($dur s)" awk -v d="${dur:-0}" 'BEGIN { exit !(d > 1.3 && d < 5) }'
	top=$(HOME=$TMP go tool pprof -top "$TMP/r.pb.gz" 2>&1)
	check "pprof of a recording: cpu time is samples x period" \
		grep -q "Total samples = $(awk -v n="$n" 'BEGIN { printf "%.2fms", n * 2.004008 }')" <<<"$top"
else
	echo "note: go not installed, the pprof file is not read back (scripts/deps --test)"
fi
finish
