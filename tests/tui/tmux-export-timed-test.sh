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

start "$FT file $TMP/t.ftrec"
wait_for '11 samples' || fail "header with the sample count"
export_to "$TMP/all.json"
wait_for 'wrote .*all\.json \(speedscope JSON, 11 samples\)' || fail "e writes the json"
got=$(timed "$TMP/all.json")
[ "$got" = "aaa-b-abbbbbc 1,1,1,2,1,25,1,1,1,1,1,1,1 nanoseconds" ] ||
	fail "whole recording, timed: $got"
# bottom-up: its stacks are not the recording's, so they are written aggregated
keys b
wait_for 'bottom-up' || fail "b opens bottom-up"
export_to "$TMP/bu.json"
wait_for 'wrote .*bu\.json' || fail "e writes the bottom-up json"
got=$(timed "$TMP/bu.json")
[ "$got" = "appappapp 4,6,1 none" ] || fail "bottom-up, aggregated: $got"
keys q
wait_for '^EXITED:0' || fail "q exits 0"
$T kill-session -t ft

# the range 0.15 s .. 3.45 s: 0.2 a, 0.5 b, 3.1 a, 3.2-3.4 b
start "$FT file --from 0.15 --to 3.45 $TMP/t.ftrec"
wait_for 'range 0\.150s\.\.3\.450s' || fail "the range opens"
export_to "$TMP/range.json"
wait_for 'wrote .*range\.json \(speedscope JSON, 6 samples\)' || fail "e writes the range"
got=$(timed "$TMP/range.json")
[ "$got" = "a-b-abbb 1,2,1,25,1,1,1,1 nanoseconds" ] || fail "range, timed: $got"
# zoomed to b (Up: app, main, then its widest child b): b's samples of the range alone
keys Up Up Up
wait_for '^b *$' || fail "Up Up Up selects b"
keys Enter
wait_for '100\.00% of zoom' || fail "zoomed"
export_to "$TMP/zoom.json"
wait_for 'wrote .*zoom\.json \(speedscope JSON, 4 samples, the zoomed frame\)' ||
	fail "e writes the zoomed range"
got=$(timed "$TMP/zoom.json")
[ "$got" = "b-bbb 1,26,1,1,1 nanoseconds" ] || fail "zoomed range, timed: $got"
keys q
wait_for '^EXITED:0' || fail "q exits 0 (range)"
$T kill-session -t ft

# diff of two ranges of it: e writes the shown side (AFTER, 0 s .. 3.5 s) in time order
start "$FT diff --from 0 --to 1 $TMP/t.ftrec --from 0 --to 3.5 $TMP/t.ftrec"
wait_for 't\.ftrec -> ' || fail "the diff opens"
export_to "$TMP/diff.json"
wait_for 'wrote .*diff\.json \(speedscope JSON\)' || fail "e writes the diff's json"
got=$(timed "$TMP/diff.json")
[ "$got" = "aaa-b-abbb 1,1,1,2,1,25,1,1,1,1 nanoseconds" ] || fail "diff, timed: $got"
keys q
wait_for '^EXITED:0' || fail "q exits 0 (diff)"
echo "PASS"
