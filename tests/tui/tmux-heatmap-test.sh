#!/bin/sh
# SPDX-License-Identifier: MIT
# The heat map in the real view, on a synthetic recording whose shape is known (10 s, 100 Hz,
# 2 CPUs; leaf_a in the first 300 ms of each second, leaf_b after): h opens the map, the
# cursor's cell shows its time and count, a range marked with keys and one marked with the
# mouse (click, shift-click) open graphs of only that time, h goes back with the range kept,
# and a search restricts the map to the rows where leaf_a runs.
# Usage: tmux-heatmap-test.sh FLAMETUI GEN-RECORDING. Exit 0 pass, 1 fail, 77 skip (no tmux).
set -u
FT=${1:?usage: tmux-heatmap-test.sh FLAMETUI GEN-RECORDING}
GEN=${2:?usage: tmux-heatmap-test.sh FLAMETUI GEN-RECORDING}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
SOCK="ft-tui-heat-$$"
TMP=$(mktemp -d) || exit 1
T="tmux -u -L $SOCK -f /dev/null"
trap '$T kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
fail=0
screen() { $T capture-pane -p -t ft; }
header() { screen | head -1; }
graph() { screen | tail -n +2; } # the header quotes the recording's command line
status() { screen | tail -2 | head -1 | sed 's/ *$//'; }
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; screen; fail=1; fi; }
# wait_for TEXT: until the screen shows it (2 s at most)
wait_for() {
	i=0
	while [ $i -lt 20 ] && ! screen | grep -qF -- "$1"; do sleep 0.1; i=$((i + 1)); done
}
mouse() {
	$T send-keys -t ft -l "$(printf '\033[M%b%b%b' "\\0$(printf '%o' $((32 + $1)))" \
		"\\0$(printf '%o' $((32 + $2)))" "\\0$(printf '%o' $((32 + $3)))")"
}
# click X Y [SHIFT]: 1-based cell, as xterm reports it (shift adds 4 to the button)
click() { mouse $((0 + ${3:-0})) "$1" "$2"; mouse $((3 + ${3:-0})) "$1" "$2"; }

"$GEN" "$TMP/p.ftrec" 10 100 || { echo "FAIL: gen-recording"; exit 1; }
# NO_COLOR: cells are density glyphs, so the map can be read back as text
$T new-session -d -s ft -x 150 -y 30 \
	"env LANG=C.UTF-8 TERM=screen-256color NO_COLOR=1 $FT file $TMP/p.ftrec; sleep 30"
wait_for "samples"
check "the graph opens with every sample" "header | grep -q '| 2000 samples |'"
$T send-keys -t ft h
wait_for "heat map"
check "h shows the heat map with its scale" \
	"header | grep -q 'heat map: 1 column = 1 s, 50 rows of 20.0 ms'"
check "one column per second: the scale reaches 0 and the map is 10 wide" \
	"screen | sed -n 3p | cut -c9-18 | grep -qv ' ' && screen | sed -n 3p | cut -c19 | grep -q '^ *$'"
$T send-keys -t ft Down
wait_for "0.020s..0.040s"
check "the cursor cell's time and count ('$(status)')" \
	"status | grep -q '^0.020s..0.040s: 4 samples'"
# keys: column 2, rows 0..14 = 2.000 s .. 2.300 s: only leaf_a
$T send-keys -t ft Right Right Up Space
for i in $(seq 14); do $T send-keys -t ft Down; done
$T send-keys -t ft Space
wait_for "range 2.000s"
check "a range marked by keys opens its graph ('$(header | cut -c1-60)')" \
	"header | grep -q 'range 2.000s..2.300s' && header | grep -q '| 60 samples |'"
check "that graph is all leaf_a" "graph | grep -q leaf_a && ! graph | grep -q leaf_b"
$T send-keys -t ft h
wait_for "heat map"
check "h goes back to the map" "header | grep -q 'heat map'"
check "with the range kept (selected cells are drawn reversed)" "status | grep -q '^2.280s'"
# mouse: column 5 row 15 (5.300 s) then shift-click row 20 (to 5.420 s): only leaf_b
click 14 18
sleep 0.4
click 14 23 4
wait_for "range 5.300s"
check "a range marked by click and shift-click opens its graph ('$(header | cut -c1-60)')" \
	"header | grep -q 'range 5.300s..5.420s' && header | grep -q '| 24 samples |'"
check "that graph is all leaf_b" "graph | grep -q leaf_b && ! graph | grep -q leaf_a"
# search: the map of when leaf_a runs has glyphs in rows 0..14 only
$T send-keys -t ft h
$T send-keys -t ft / l e a f _ a Enter
wait_for "matching the search"
rows_with() { screen | sed -n "$(($1 + 3))p" | cut -c9-18 | tr -d ' ' | wc -c; }
check "restricted to /leaf_a: the first 300 ms of each second have samples" \
	"[ $(rows_with 0) -gt 5 ] && [ $(rows_with 14) -gt 5 ]"
check "and the rest of each second none" "[ $(rows_with 15) -le 1 ] && [ $(rows_with 25) -le 1 ]"
$T send-keys -t ft q
[ $fail = 0 ] && echo PASS
exit $fail
