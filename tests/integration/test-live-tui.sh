#!/usr/bin/env bash
# The live view in a real terminal (tmux): it refreshes while the selection and zoom stay where
# the user put them; p pauses the view while sampling goes on; ring's [ shows one slot alone;
# q quits cleanly.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed" >&2; exit 77; }
SOCK="ft-live-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "ft-live-$$" kill-server 2>/dev/null; tmux -L "ft-ring-$$" kill-server 2>/dev/null; cleanup' EXIT
screen() { T capture-pane -p -t ft; }
header() { screen | head -1; }
status_name() { screen | tail -2 | head -1 | sed 's/ *$//'; }
samples() { header | sed -n 's/.* | \([0-9]*\) samples | .*/\1/p'; }

cat >"$TMP/run.sh" <<EOS
#!/bin/sh
"$FT" \$MODE --hz 199 \$ARGS -- sh -c 'exec "$WL/ft-tree" --seconds 40 >/dev/null'
echo EXITED:\$?
sleep 60
EOS
chmod +x "$TMP/run.sh"

T new-session -d -s ft -x 120 -y 30 "MODE=aggregate ARGS='--refresh 500' $TMP/run.sh"
sleep 2.5
check "aggregate header" sh -c "screen() { tmux -L $SOCK capture-pane -p -t ft; }; screen | head -1 | grep -q 'aggregate | [0-9]* samples | .*199 Hz'"
s1=$(samples)
T send-keys -t ft Up Up Up Up
sleep 0.3
sel=$(status_name)
T send-keys -t ft Enter
sleep 0.3
check "zoomed into '$sel'" sh -c "tmux -L $SOCK capture-pane -p -t ft | tail -1 | grep -q zoomed"
sleep 2.5
s2=$(samples)
check "the view refreshed ($s1 -> $s2 samples)" [ "${s2:-0}" -gt "${s1:-0}" ]
check "selection kept across refreshes ('$sel' -> '$(status_name)')" [ "$(status_name)" = "$sel" ]
check "zoom kept across refreshes" sh -c "tmux -L $SOCK capture-pane -p -t ft | tail -1 | grep -q zoomed"
check "the selection is a real frame" sh -c "[ -n '$sel' ] && [ '$sel' != all ]"
T send-keys -t ft p
sleep 0.7
p1=$(samples)
check "p pauses: header says PAUSED" sh -c "tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -q PAUSED"
sleep 1.5
p2=$(samples)
check "paused view does not change ($p1 = $p2)" [ "$p1" = "$p2" ]
T send-keys -t ft p
sleep 1.5
p3=$(samples)
check "p again resumes, with what was sampled meanwhile ($p2 -> $p3)" [ "${p3:-0}" -gt "$((p2 + 150))" ]
T send-keys -t ft q
sleep 0.7
check "q exits 0 and restores the terminal" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED:0' && ! tmux -L $SOCK capture-pane -p -t ft | grep -q 'samples |'"
T kill-server
SOCK="ft-ring-$$" # a fresh server: reusing a socket right after kill-server races

T new-session -d -s ft -x 120 -y 30 "MODE=ring ARGS='--ms 500 --n 4' $TMP/run.sh"
sleep 3
check "ring header" sh -c "tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -q 'ring | [0-9]* samples'"
w=$(samples)
check "ring window holds at most its slots ($w <= 4 x 0.5 s x 199 Hz)" sh -c "[ '${w:-0}' -le 440 ] && [ '${w:-0}' -gt 0 ]"
T send-keys -t ft '['
sleep 0.3
check "[ shows one slot alone" sh -c "tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -Eq 'slot [1-4] of 4 alone'"
one=$(samples)
check "one slot holds fewer samples than the window (0 < $one < $w)" sh -c "[ '${one:-0}' -lt '$w' ] && [ '${one:-0}' -gt 0 ]"
T send-keys -t ft ']' ']' ']' ']' ']'
sleep 0.3
check "] returns to the whole window" sh -c "! tmux -L $SOCK capture-pane -p -t ft | head -1 | grep -q 'alone'"
T send-keys -t ft q
sleep 0.7
check "ring: q exits 0" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED:0'"
T kill-server
SOCK="ft-fixed-$$"
trap 'tmux -L "ft-live-$$" kill-server 2>/dev/null; tmux -L "ft-ring-$$" kill-server 2>/dev/null; tmux -L "ft-fixed-$$" kill-server 2>/dev/null; cleanup' EXIT

# fixed: a countdown while sampling, then the graph; g regroups its roots
T new-session -d -s ft -x 120 -y 30 "MODE=fixed ARGS='--ms 2000' $TMP/run.sh"
sleep 0.8
check "fixed: a countdown while sampling" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q 'sampling at 199 Hz, [0-9.]* s left'"
sleep 2.2
check "fixed: then the graph, grouped by comm" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q 'group comm' && tmux -L $SOCK capture-pane -p -t ft | grep -Eq '^ft-tree( |$)'"
T send-keys -t ft g
sleep 0.3
check "fixed: g groups by process (comm-PID)" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -Eq '^ft-tree-[0-9]+( |$)'"
T send-keys -t ft g
sleep 0.3
check "fixed: g again, by thread (comm-PID/TID)" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -Eq '^ft-tree-[0-9]+/[0-9]+( |$)'"
T send-keys -t ft q
sleep 0.5
check "fixed: q exits 0" sh -c "tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED:0'"
finish
