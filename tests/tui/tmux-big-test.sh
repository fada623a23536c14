#!/bin/sh
# SPDX-License-Identifier: MIT
# A large profile in the real view: 40 MB of collapsed stacks with 100k distinct stacks opens,
# and every key is answered (the screen changes) within a second; a click selects a frame.
# Usage: tmux-big-test.sh FLAMETUI GENERATOR. Exit 0 pass, 1 fail, 77 skip (no tmux).
set -u
FT=${1:?usage: tmux-big-test.sh FLAMETUI GENERATOR}
GEN=${2:?generator}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
SOCK="ft-tui-big-$$"
TMP=$(mktemp -d) || exit 1
T="tmux -u -L $SOCK -f /dev/null"
trap '$T kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
fail=0
screen() { $T capture-pane -p -t ft 2>/dev/null; }
now() { date +%s%N; }

python3 "$GEN" 40 100000 >"$TMP/big.folded" || exit 1
$T new-session -d -s ft -x 160 -y 45 \
	"env LANG=C.UTF-8 TERM=screen-256color $FT file $TMP/big.folded; echo EXITED:\$?; sleep 60"
t0=$(now)
i=0
while ! screen | grep -q 'samples'; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "FAIL: the profile did not open within 30 s"; exit 1; }
	sleep 0.1
done
echo "opened in $(( ($(now) - t0) / 1000000 )) ms"

# press KEY: the screen must change within a second
press() {
	before=$(screen | md5sum)
	start=$(now)
	$T send-keys -t ft "$@"
	while :; do
		[ "$(screen | md5sum)" != "$before" ] && break
		if [ $(( ($(now) - start) / 1000000 )) -gt 1000 ]; then
			echo "FAIL: no answer to '$*' within 1 s"
			fail=1
			return
		fi
		sleep 0.02
	done
	echo "ok: '$*' answered in $(( ($(now) - start) / 1000000 )) ms"
}
# until CMD...: waits up to 5 s for CMD to succeed (never a fixed sleep: a loaded machine is slow)
until_ok() {
	start=$(now)
	while ! "$@"; do
		[ $(( ($(now) - start) / 1000000 )) -gt 5000 ] && return 1
		sleep 0.05
	done
}
selected() { screen | tail -2 | head -1 | sed 's/ *$//'; }
is_selected() { [ "$(selected)" = "$1" ]; }
press Up
press Enter
screen | tail -1 | grep -q zoomed && echo "ok: zoomed" || { echo "FAIL: Enter did not zoom"; fail=1; }
press o
press o
press i
press i
press BSpace
screen | tail -1 | grep -q zoomed && { echo "FAIL: Backspace did not zoom out"; fail=1; } || echo "ok: zoomed out"
press t
press Tab
press /
$T send-keys -t ft 'alloc' Enter
until_ok sh -c "$T capture-pane -p -t ft | grep -q 'Matched: [0-9.]*%'" && echo "ok: search matched" || { echo "FAIL: no match share"; fail=1; }
press Escape
press '?'
press Escape
# a click (xterm X10 encoding: press and release of button 1 at column 5 of row 43, the root
# row just above the two status lines) selects the frame under it
before=$(selected)
$T send-keys -t ft -l "$(printf '\033[M %s%s\033[M#%s%s' '%' 'K' '%' 'K')"
until_ok is_selected all
after=$(selected)
[ "$before" != all ] && [ "$after" = all ] && echo "ok: a click selected '$after'" ||
	{ echo "FAIL: the click did not select the root ('$before' -> '$after')"; fail=1; }
$T send-keys -t ft q
until_ok sh -c "$T capture-pane -p -t ft | grep -q 'EXITED:0'" && echo "ok: quit" || { echo "FAIL: did not quit cleanly"; fail=1; }
[ $fail = 0 ] && echo PASS
exit $fail
