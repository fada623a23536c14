#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Issue 15: the live heat map (h) grows while sampling goes on. aggregate: the map's last
# column (End puts the cursor there; the status line names its time) moves on with the
# seconds, and the first cell holds the first sample. ring: the map holds only the window's
# seconds, so while time goes on past the window its last column stays within the window.
# Every step waits for what it expects, with a deadline.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed" >&2; exit 77; }
SOCK="ft-lheat-$$"
T() { tmux -u -L "$SOCK" -f /dev/null "$@"; }
trap 'tmux -L "ft-lheat-$$" kill-server 2>/dev/null; tmux -L "ft-rheat-$$" kill-server 2>/dev/null; cleanup' EXIT
screen() { T capture-pane -p -t ft; }
header_has() { screen | head -1 | grep -Eq -- "$1"; }
status() { screen | tail -2 | head -1 | sed 's/ *$//'; }
has() { screen | grep -Eq -- "$1"; }
# the whole second of the cursor's cell (its status line starts "S.mmms..")
cur_sec() { status | sed -n 's/^\([0-9]*\)\.[0-9]*s\.\.[0-9.]*s: [0-9]* samples.*/\1/p'; }
cur_count() { status | sed -n 's/^[0-9.]*s\.\.[0-9.]*s: \([0-9]*\) samples.*/\1/p'; }
# last_col_at_least N: End moves the cursor to the map's last column; it is column N or later
last_col_at_least() {
	T send-keys -t ft End
	[ "$(cur_sec)" -ge "$1" ] 2>/dev/null
}

cat >"$TMP/run.sh" <<EOS
#!/bin/sh
env LANG=C.UTF-8 TERM=screen-256color NO_COLOR=1 "$FT" \$MODE --hz 199 \$ARGS -- \
	sh -c 'exec "$WL/ft-tree" --seconds 40 >/dev/null'
echo EXITED:\$?
sleep 60
EOS
chmod +x "$TMP/run.sh"

T new-session -d -s ft -x 120 -y 30 "MODE=aggregate ARGS='--refresh 300' $TMP/run.sh"
eventually "aggregate header" 10 header_has 'aggregate \| [0-9]+ samples'
T send-keys -t ft h
eventually "h shows the heat map with its scale" 5 header_has 'heat map: 1 column = 1 s, [0-9]+ rows of'
eventually "End: the status line names the map's last column" 5 last_col_at_least 0
c1=$(cur_sec)
eventually "the map grows live: its last column moves from ${c1:-?} s to $(( ${c1:-0} + 3 )) s or later" \
	12 last_col_at_least $(( ${c1:-0} + 3 ))
c2=$(cur_sec)
# 40 s of ft-tree: the map cannot hold more seconds than have passed
check "and not past the time that passed (last column ${c2:-?} s)" [ "${c2:-99}" -le $SECONDS ]
T send-keys -t ft Home
eventually "Home: the first cell (0.000s..) holds the first sample ('$(status)')" 5 \
	sh -c "tmux -L $SOCK capture-pane -p -t ft | tail -2 | head -1 | grep -Eq '^0\.000s\.\.[0-9.]+s: [1-9][0-9]* samples'"
eventually "the scale names a busiest cell" 5 header_has 'busiest cell [1-9]'
T send-keys -t ft q
eventually "q exits 0" 5 has '^EXITED:0'
T kill-server
SOCK="ft-rheat-$$" # a fresh server: reusing a socket right after kill-server races

T new-session -d -s ft -x 120 -y 30 "MODE=ring ARGS='--ms 500 --n 4' $TMP/run.sh"
eventually "ring header, with the window's length" 10 header_has 'ring \| [0-9]+ samples \| .*window 4 × 0.5 s'
t0=$SECONDS
T send-keys -t ft h
eventually "ring: h shows the heat map" 5 header_has 'heat map: 1 column = 1 s'
eventually "ring: the map grows to a second column" 10 last_col_at_least 1
# the window is 2 s: its samples span at most 3 columns (0..2), however long the run
max=0
ring_past_window() {
	T send-keys -t ft End
	local c
	c=$(cur_sec)
	[ -n "$c" ] && [ "$c" -gt "$max" ] && max=$c
	[ $((SECONDS - t0)) -ge 7 ]
}
until_ok 15 ring_past_window
check "ring: 7 s on, the map holds only the window's seconds (last column $max <= 2)" \
	[ "$max" -le 2 -a "$max" -ge 1 ]
T send-keys -t ft Home
eventually "ring: the first cell holds the window's first sample ('$(status)')" 5 \
	sh -c "tmux -L $SOCK capture-pane -p -t ft | tail -2 | head -1 | grep -Eq '^0\.000s\.\.[0-9.]+s: [1-9][0-9]* samples'"
T send-keys -t ft q
eventually "ring: q exits 0" 5 has '^EXITED:0'
finish
