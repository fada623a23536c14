#!/bin/sh
# SPDX-License-Identifier: MIT
# Key e to a .json in `flametui file` on a recording (tmux): speedscope's timed form of what
# is shown, in time order and nanoseconds with the idle gaps (the recording's samples are
# 0.1 s apart: see gen-timed.c): the whole recording, the time range opened with --from/--to,
# the range zoomed to one frame, a diff's shown side; the bottom-up view (not the recording's
# stacks) aggregated.
# Usage: tmux-export-timed-test.sh FLAMETUI GEN_TIMED. Exit 0 pass, 1 fail, 77 skip.
set -u

FT=${1:?usage: tmux-export-timed-test.sh FLAMETUI GEN_TIMED}
GEN=${2:?gen-timed}
. "$(dirname "$0")/tmux-lib.sh"

"$GEN" "$TMP/t.ftrec" || fail "gen-timed"

# timed FILE: "leaves weights unit", '-' for an empty (idle) sample, nanoseconds in 0.1 s
timed() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = [f["name"] for f in d["shared"]["frames"]]
p = d["profiles"][0]
print("".join(names[s[-1]] if s else "-" for s in p["samples"]),
      ",".join("%g" % (w / (1e8 if p["unit"] == "nanoseconds" else 1)) for w in p["weights"]),
      p["unit"])' "$1"
}

# exported NAME STATUS WANT: e writes $TMP/NAME, saying STATUS (a regex), and it is WANT
exported() {
	export_to "$TMP/$1"
	wait_for "wrote .*$2" || fail "e writes $1"
	got=$(timed "$TMP/$1")
	[ "$got" = "$3" ] || fail "$1: $got, not $3"
}

start "$FT file $TMP/t.ftrec"
wait_for '11 samples' || fail "header with the sample count"
exported all.json 'all\.json \(speedscope JSON, 11 samples\)' \
	"aaa-b-abbbbbc 1,1,1,2,1,25,1,1,1,1,1,1,1 nanoseconds"
# bottom-up: its stacks are not the recording's, so they are written aggregated
keys b
wait_for 'bottom-up' || fail "b opens bottom-up"
exported bu.json 'bu\.json' "appappapp 4,6,1 none"
keys q
wait_for '^EXITED:0' || fail "q exits 0"
$T kill-session -t ft

# the range 0.15 s .. 3.45 s: 0.2 a, 0.5 b, 3.1 a, 3.2-3.4 b
start "$FT file --from 0.15 --to 3.45 $TMP/t.ftrec"
wait_for 'range 0\.150s\.\.3\.450s' || fail "the range opens"
exported range.json 'range\.json \(speedscope JSON, 6 samples\)' \
	"a-b-abbb 1,2,1,25,1,1,1,1 nanoseconds"
# zoomed to b (Up: app, main, then its widest child b): b's samples of the range alone
keys Up Up Up
wait_for '^b *$' || fail "Up Up Up selects b"
keys Enter
wait_for '100\.00% of zoom' || fail "zoomed"
exported zoom.json 'zoom\.json \(speedscope JSON, 4 samples, the zoomed frame\)' \
	"b-bbb 1,26,1,1,1 nanoseconds"
keys q
wait_for '^EXITED:0' || fail "q exits 0 (range)"
$T kill-session -t ft

# diff of two ranges of it: e writes the shown side (AFTER, 0 s .. 3.5 s) in time order
start "$FT diff --from 0 --to 1 $TMP/t.ftrec --from 0 --to 3.5 $TMP/t.ftrec"
wait_for 't\.ftrec -> ' || fail "the diff opens"
exported diff.json 'diff\.json \(speedscope JSON\)' "aaa-b-abbb 1,1,1,2,1,25,1,1,1,1 nanoseconds"
keys q
wait_for '^EXITED:0' || fail "q exits 0 (diff)"
echo "PASS"
