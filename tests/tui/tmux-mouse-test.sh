#!/bin/sh
# SPDX-License-Identifier: MIT
# The mouse in the real view (xterm X10 mouse reports typed into the pane): a click selects the
# frame under it, a double-click zooms into it, the wheel scrolls a graph taller than the
# screen. Usage: tmux-mouse-test.sh FLAMETUI. Exit 0 pass, 1 fail, 77 skip (no tmux).
set -u
FT=${1:?usage: tmux-mouse-test.sh FLAMETUI}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
SOCK="ft-tui-mouse-$$"
TMP=$(mktemp -d) || exit 1
T="tmux -u -L $SOCK -f /dev/null"
trap '$T kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
fail=0
screen() { $T capture-pane -p -t ft; }
status() { screen | tail -2 | head -1 | sed 's/ *$//'; }
# mouse B X Y: a report for button code B at column X, row Y (1-based), as xterm sends it
mouse() {
	$T send-keys -t ft -l "$(printf '\033[M%b%b%b' "\\0$(printf '%o' $((32 + $1)))" \
		"\\0$(printf '%o' $((32 + $2)))" "\\0$(printf '%o' $((32 + $3)))")"
}
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
# until CMD: until the shell command succeeds, within 30 s (never a fixed sleep)
until_ok() {
	n=0
	while [ "$n" -lt 300 ]; do
		eval "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# check DESCRIPTION COMMAND: waits for COMMAND, then reports
check() { if until_ok "$2"; then echo "ok: $1"; else echo "FAIL: $1"; screen; fail=1; fi; }

# a 40-frame-deep stack beside a short one: taller than the 20-row pane
deep=$(seq -s ';' -f 'f%g' 1 40)
printf 'main;%s 70\nmain;short 30\n' "$deep" >"$TMP/p.folded"
$T new-session -d -s ft -x 80 -y 20 "env LANG=C.UTF-8 TERM=screen-256color $FT file $TMP/p.folded; sleep 30"
until_ok '[ "$(status)" = all ]' || { echo "FAIL: the view did not open"; exit 1; }
# row 1 is the header, 18 the root ("all"), 17 "main", 16 the first frames: f1 (70%), short
click 70 16
check "a click selects the frame under it" '[ "$(status)" = short ]'
click 5 16
check "another click selects another frame" '[ "$(status)" = f1 ]'
click 5 16
click 5 16
check "a double-click zooms into it" "screen | tail -1 | grep -q zoomed"
top=$(screen | sed -n 2p)
mouse 64 10 8
mouse 64 10 8
mouse 64 10 8
check "the wheel scrolls the graph (from '$top')" '[ "$(screen | sed -n 2p)" != "$top" ]'
[ $fail = 0 ] && echo PASS
exit $fail
