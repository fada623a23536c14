#!/usr/bin/env bash
# The live view in a real terminal (tmux): it refreshes while the selection and zoom stay where
# the user put them; p pauses the view while sampling goes on (and e then writes the samples
# shown, in time order); ring's [ shows one slot alone,
# named by when it was sampled and marked in the strip; c clears whatever is shown without
# ending the program; q quits cleanly. Every step waits for what it expects, with a deadline.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed" >&2; exit 77; }
SOCK="ft-live-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "ft-live-$$" kill-server 2>/dev/null; tmux -L "ft-ring-$$" kill-server 2>/dev/null; tmux -L "ft-fixed-$$" kill-server 2>/dev/null; cleanup' EXIT
screen() { T capture-pane -p -t ft; }
header() { screen | head -1; }
status_name() { screen | tail -2 | head -1 | sed 's/ *$//'; }
samples() { header | sed -n 's/.* | \([0-9]*\) samples | .*/\1/p'; }
has() { screen | grep -Eq -- "$1"; }
header_has() { header | grep -Eq -- "$1"; }
last_has() { screen | tail -1 | grep -Eq -- "$1"; }
more_than() { [ "$(samples)" -gt "$1" ] 2>/dev/null; }

cat >"$TMP/run.sh" <<EOS
#!/bin/sh
"$FT" \$MODE --hz 199 \$ARGS -- sh -c 'exec "$WL/ft-tree" --seconds 40 >/dev/null'
echo EXITED:\$?
sleep 60
EOS
chmod +x "$TMP/run.sh"

T new-session -d -s ft -x 120 -y 30 "MODE=aggregate ARGS='--refresh 500' $TMP/run.sh"
eventually "aggregate header" 10 header_has 'aggregate \| [0-9]+ samples \| .*199 Hz'
# the program's first samples after each exec come before its tables: counted, in the header
eventually "the header counts samples before their unwind tables" 10 header_has 'lost [0-9]+, [1-9][0-9]* before tables'
until_ok 10 more_than 50
s1=$(samples)
T send-keys -t ft Up Up Up Up
# the keys moved the selection off the root (the status line names 'all' before they land)
until_ok 5 sh -c "n=\"\$(tmux -L $SOCK capture-pane -p -t ft | tail -2 | head -1 | sed 's/ *$//')\"; [ -n \"\$n\" ] && [ \"\$n\" != all ]"
sel=$(status_name)
T send-keys -t ft Enter
eventually "zoomed into '$sel'" 5 last_has zoomed
eventually "the view refreshed (from $s1 samples)" 10 more_than "$((s1 + 100))"
check "selection kept across refreshes ('$sel' -> '$(status_name)')" [ "$(status_name)" = "$sel" ]
check "zoom kept across refreshes" last_has zoomed
check "the selection is a real frame" sh -c "[ -n '$sel' ] && [ '$sel' != all ]"
T send-keys -t ft p
eventually "p pauses: header says PAUSED" 5 header_has PAUSED
p1=$(samples)
sleep 1.5 # three refresh periods (500 ms) pass: a paused view must not move
p2=$(samples)
check "paused view does not change ($p1 = $p2)" [ "$p1" = "$p2" ]
# e while paused (and zoomed): speedscope's time order of the zoomed frame's samples as shown,
# not of those sampled since; each weighs one period of 199 Hz (5025125 ns)
T send-keys -t ft e
eventually "e asks for a file name" 5 last_has '^export to'
T send-keys -t ft -N 200 BSpace
T send-keys -t ft -l "$TMP/live.json"
T send-keys -t ft Enter
eventually "e writes the zoomed view" 5 last_has 'wrote .*live\.json \(speedscope JSON, [0-9]+ samples, the zoomed frame\)'
n=$(screen | tail -1 | sed -n 's/.*(speedscope JSON, \([0-9]*\) samples.*/\1/p')
got=$(/usr/bin/python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["profiles"][0]
busy = [w for s, w in zip(p["samples"], p["weights"]) if s]
print(len(busy), p["unit"], all(w == 5025125 for w in busy))' "$TMP/live.json" 2>&1)
check "e's file: the $n samples shown, timed ($got)" [ "$got" = "$n nanoseconds True" ]
T send-keys -t ft p
eventually "p again resumes, with what was sampled meanwhile (from $p2)" 10 more_than "$((p2 + 150))"
T send-keys -t ft q
eventually "q exits 0" 5 has '^EXITED:0'
check "q restores the terminal" sh -c "! tmux -L $SOCK capture-pane -p -t ft | grep -q 'samples |'"
T kill-server
SOCK="ft-ring-$$" # a fresh server: reusing a socket right after kill-server races

T new-session -d -s ft -x 200 -y 30 "MODE=ring ARGS='--ms 500 --n 4' $TMP/run.sh"
eventually "ring header, with the window's length" 10 header_has 'ring \| [0-9]+ samples \| .*window 4 × 0.5 s'
# four slots held: the strip has four points
eventually "the window fills" 10 header_has '[▁▂▃▄▅▆▇█]{4}'
w=$(samples)
check "ring window holds at most its slots ($w <= 4 x 0.5 s x 199 Hz)" sh -c "[ '${w:-0}' -le 440 ] && [ '${w:-0}' -gt 0 ]"
T send-keys -t ft '['
eventually "[ shows one slot alone, named by when it was sampled" 5 header_has 'slot [0-9.]+–[0-9.]+ s alone'
label=$(header | grep -Eo 'slot [0-9.]+–[0-9.]+ s')
check "[ marks the slot in the strip" header_has '\[[▁▂▃▄▅▆▇█]\]'
one=$(samples)
check "one slot holds fewer samples than the window (0 < $one < $w)" sh -c "[ '${one:-0}' -lt '$w' ] && [ '${one:-0}' -gt 0 ]"
sleep 0.6 # the window slides by a slot: the slot shown keeps its name
check "the slot keeps its name as the window slides ('$label')" header_has "$label alone"
T send-keys -t ft ']' ']' ']' ']' ']'
eventually "] returns to the whole window" 5 sh -c "! tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -q 'alone'"
# defect: [ then c cleared the ring under the slot shown, and that ended the program
T send-keys -t ft '[' '['
eventually "[ [ shows an older slot" 5 header_has 'alone'
T send-keys -t ft c
eventually "c after [ clears the view and shows the whole window" 5 sh -c "! tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -q 'alone'"
eventually "c after [: still running, and sampling" 5 more_than 0
check "c after [: the program did not end" sh -c "! tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED'"
T send-keys -t ft '[' ']' c c '['
sleep 0.3
check "any of [ ] c in any order: still running" sh -c "! tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED'"
T send-keys -t ft q
eventually "ring: q exits 0" 5 has '^EXITED:0'
T kill-server
SOCK="ft-fixed-$$"

# fixed: a countdown while sampling, then the graph; g regroups its roots
# 140 columns: a fixed CMD run's header (CMD's state and output, samples taken before their
# unwind tables, the grouping) is wider than 120
T new-session -d -s ft -x 140 -y 30 "MODE=fixed ARGS='--ms 2000' $TMP/run.sh"
eventually "fixed: a countdown while sampling" 5 has 'sampling at 199 Hz, [0-9.]+ s left'
eventually "fixed: then the graph, grouped by comm" 30 sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q 'group comm' && tmux -L $SOCK capture-pane -p -t ft | grep -Eq '^ft-tree( |$)'"
T send-keys -t ft g
eventually "fixed: g groups by process (comm-PID)" 15 has '^ft-tree-[0-9]+( |$)'
T send-keys -t ft g
eventually "fixed: g again, by thread (comm-PID/TID)" 15 has '^ft-tree-[0-9]+/[0-9]+( |$)'
T send-keys -t ft q
eventually "fixed: q exits 0" 5 has '^EXITED:0'

# fixed on a process that never runs: the finished view says sampling is over, and why
sleep 30 </dev/null >/dev/null 2>&1 &
sp=$!
PIDS="$PIDS $sp"
T new-session -d -s empty -x 120 -y 30 "'$FT' fixed --ms 300 --pid $sp; echo EXITED:\$?; sleep 60"
eventually "an empty finished profile says why" 10 sh -c "tmux -L $SOCK capture-pane -p -t empty | grep -q 'sampling is over, no samples: the process did not run'"
check "and not 'no samples yet'" sh -c "! tmux -L $SOCK capture-pane -p -t empty | grep -q 'no samples yet'"
T send-keys -t empty q
kill $sp

# -- CMD's output does not reach the screen; the header says where it goes and how CMD ended
T new-session -d -s cmd -x 150 -y 30 "'$FT' aggregate --refresh 300 -- sh -c 'i=0; while [ \$i -lt 25 ]; do echo hi-from-cmd; echo err-from-cmd >&2; i=\$((i+1)); sleep 0.1; done; exit 3'; echo EXITED:\$?; sleep 60"
eventually "the header names CMD and where its output goes" 10 sh -c "tmux -L $SOCK capture-pane -p -t cmd | head -1 | grep -q 'sh running, output /dev/null'"
check "CMD's stdout and stderr are not on the screen" sh -c "! tmux -L $SOCK capture-pane -p -t cmd | grep -q 'from-cmd'"
eventually "the header says CMD exited, with its status" 10 sh -c "tmux -L $SOCK capture-pane -p -t cmd | head -1 | grep -q 'sh exited 3'"
# Ctrl-L repaints: scribble over the pane from outside, then ask for a repaint
tmux -L "$SOCK" display -t cmd -p '#{pane_tty}' >"$TMP/tty"
printf 'SCRIBBLE-SCRIBBLE\n' >"$(cat "$TMP/tty")"
until_ok 5 sh -c "tmux -L $SOCK capture-pane -p -t cmd | grep -q SCRIBBLE" ||
	echo "FAIL: could not scribble on the pane" >&2
T send-keys -t cmd C-l
eventually "Ctrl-L repaints the whole screen" 5 sh -c "! tmux -L $SOCK capture-pane -p -t cmd | grep -q SCRIBBLE"
T send-keys -t cmd q

# When the view ends (SIGTERM to flametui alone, or q), so does the -- CMD it started; SIGTERM
# ends the view as q does (status 0, the terminal restored), in aggregate and in fixed's graph
ft_of() { F=$(pgrep -P "$(T display -p -t "$1" '#{pane_pid}')" -x flametui); [ -n "$F" ]; }
cmd_of() { # the command, once released: flametui's child that is no longer flametui
	C=$(pgrep -P "$F" | head -1)
	[ -n "$C" ] && [ "$(readlink "/proc/$C/exe")" != "$(readlink -f "$FT")" ]
}
gone() { ! kill -0 "$1" 2>/dev/null; }
for run in "aggregate --refresh 300:TERM" "fixed --ms 1000:TERM" "fixed --ms 1000:q"; do
	args=${run%:*} how=${run##*:} F="" C=""
	T new-session -d -s end -x 150 -y 30 "'$FT' $args -- '$WL/ft-tree' --seconds 60; echo EXITED:\$?; sleep 60"
	until_ok 10 ft_of end && until_ok 10 cmd_of
	check "$args: the command runs (pid ${C:-none})" [ -n "$C" ]
	PIDS="$PIDS $C"
	eventually "$args: the graph is shown" 15 sh -c "tmux -L $SOCK capture-pane -p -t end | head -1 | grep -q 'ft-tree running'"
	if [ "$how" = q ]; then
		T send-keys -t end q
	else
		kill -TERM "$F"
	fi
	eventually "$args: $how ends flametui with status 0" 5 sh -c "tmux -L $SOCK capture-pane -p -t end | grep -q '^EXITED:0'"
	eventually "$args: $how: the command (pid $C) is gone" 5 gone "$C"
	T kill-session -t end
done

# --pid in the live view: the header says when every process named has exited (the view
# stays, with what was sampled)
start ft-tree --seconds 2
T new-session -d -s gone -x 150 -y 30 "'$FT' aggregate --hz 199 --refresh 300 --pid $PID; echo EXITED:\$?; sleep 60"
eventually "aggregate --pid: the header says every --pid process has exited" 20 \
	sh -c "tmux -L $SOCK capture-pane -p -t gone | head -1 | grep -q 'every --pid process has exited'"
T send-keys -t gone q
eventually "aggregate --pid: q still quits" 5 sh -c "tmux -L $SOCK capture-pane -p -t gone | grep -q '^EXITED:0'"
T kill-session -t gone
finish
