#!/bin/sh
# SPDX-License-Identifier: MIT
# Drives the live loop (tests/tui/live-driver) in tmux: the trie is rebuilt on every tick,
# and the view must keep the selection and the zoom by name, redraw on ticks, pass unknown
# keys to on_key, keep bottom-up and sandwich views and their selection across rebuilds, and
# never touch a freed node (valgrind, when installed, fails the exit status). Usage: tmux-live-test.sh DRIVER. Exit 0 pass, 1 fail, 77 skip.
set -u

DRV=${1:?usage: tmux-live-test.sh DRIVER}
DRV=$(cd "$(dirname "$DRV")" && pwd)/$(basename "$DRV") # sessions start in $TMP
. "$(dirname "$0")/tmux-lib.sh"
tick() { screen | grep -Eo 'tick [0-9]+' | head -n 1; }
ticked() { [ "$(tick)" != "$1" ]; }
# the name line (above the status line) reads NAME
selected() { [ "$(screen | tail -2 | head -1 | sed 's/ *$//')" = "$1" ]; }

VG=
# valgrind cannot run a sanitizer build (the ASan suite checks memory itself)
command -v valgrind >/dev/null 2>&1 && ! ldd "$DRV" 2>/dev/null | grep -q libasan &&
	VG="valgrind -q --error-exitcode=9"
start "$VG $DRV" 100 30

wait_for 'tick [0-9]+' 300 || fail "live header"
wait_for 'tick [1-9][0-9]*' 300 || fail "ticks advance"
keys Up Up
until_ok selected work || fail "select work"
keys Enter
wait_for '\| zoomed' || fail "zoom into work"
t1=$(tick)
until_ok ticked "$t1" || fail "no redraw on ticks ($t1)"
# after several rebuilds the selection and the zoom are still there
t2=$(tick)
until_ok ticked "$t2" || fail "no redraw on ticks ($t2)"
selected work || fail "selection lost across rebuilds"
screen | grep -q '| zoomed' || fail "zoom lost across rebuilds"
screen | grep -q 'idle' && fail "idle shown while zoomed into work"
keys p
wait_for 'paused' || fail "on_key gets unused keys"
keys BSpace
wait_for 'idle' || fail "zoom out"
# the derived views survive rebuilds too: bottom-up, then a sandwich, selection kept by path
keys p
keys b
wait_for '\| bottom-up' || fail "b opens bottom-up"
keys Up
wait_for '^work *$' || fail "bottom-up: select work"
s1=$(screen | grep -Eo '^[0-9]+ samples' | head -n 1)
n=0
while [ "$n" -lt 100 ] && [ "$(screen | grep -Eo '^[0-9]+ samples' | head -n 1)" = "$s1" ]; do
	sleep 0.1
	n=$((n + 1))
done
[ "$n" -lt 100 ] || fail "bottom-up not rebuilt on ticks ($s1)"
screen | grep -Eq '^work *$' || fail "bottom-up: selection lost across rebuilds"
keys x
wait_for '\| sandwich work: callers' || fail "x opens the sandwich of work"
keys Up Up
wait_for '^main *$' || fail "sandwich: select the caller main"
sleep 1
screen | grep -Eq '^main *$' || fail "sandwich: selection lost across rebuilds"
keys x
wait_for '\| sandwich work: callees' || fail "x again: callees"
keys Escape
wait_for 'idle' || fail "Esc leaves the sandwich"
screen | grep -q 'sandwich' && fail "still in the sandwich"
keys q
wait_for 'EXITED:' 300 || fail "did not exit"
screen | grep -q 'EXITED:0' || fail "exit status (valgrind errors exit 9)"
echo PASS
