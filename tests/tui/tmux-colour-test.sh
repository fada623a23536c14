#!/bin/sh
# SPDX-License-Identifier: MIT
# Colours by terminal: 256-colour palette on a 256-colour terminal, only the 8 basic colours on
# an 8-colour one, and none at all with NO_COLOR, where the selection still stands out
# (reverse video). Reads the escape sequences tmux keeps for the pane (capture-pane -e).
# Usage: tmux-colour-test.sh FLAMETUI. Exit 0 pass, 1 fail, 77 skip (no tmux).
set -u
FT=${1:?usage: tmux-colour-test.sh FLAMETUI}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
TMP=$(mktemp -d) || exit 1
run=0
# a fresh tmux server per run: reusing a socket right after kill-server races
trap 'for i in 1 2 3; do tmux -L "ft-tui-colour-$$-$i" kill-server >/dev/null 2>&1; done; rm -rf "$TMP"' EXIT
fail=0
printf 'main;work;leaf 50\nmain;other;leaf 10\nmain;idle 30\nx;y 10\n' >"$TMP/p.folded"
# Python frames (_[p]) have a colour of their own
printf 'main;work (t.py:3)_[p];leaf (t.py:9)_[p] 50\nmain;other 50\n' >"$TMP/py.folded"
PROFILE=$TMP/p.folded

# sgr ENV...: the SGR sequences on screen with that environment, one per line
sgr() {
	run=$((run + 1))
	T="tmux -u -L ft-tui-colour-$$-$run -f /dev/null"
	$T new-session -d -s ft -x 100 -y 15 "env LANG=C.UTF-8 $* $FT file $PROFILE; sleep 30"
	i=0
	while ! $T capture-pane -p -t ft 2>/dev/null | grep -q samples; do
		i=$((i + 1))
		[ $i -gt 300 ] && break
		sleep 0.1
	done
	$T capture-pane -e -p -t ft | grep -o "$(printf '\033')\[[0-9;]*m" | sort -u
	$T kill-server >/dev/null 2>&1
}
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

sgr TERM=screen-256color >"$TMP/256"
check "256 colours: palette colours in use" "grep -q '38;5;\|48;5;' '$TMP/256'"
# palette.c's ROLE_PYTHON backgrounds: on screen only when the profile has Python frames
PYBG='48;5;(38|44|74|80|68|110|37|73)m'
check "256 colours: no Python colour without Python frames" "! grep -Eq '$PYBG' '$TMP/256'"
PROFILE=$TMP/py.folded
sgr TERM=screen-256color >"$TMP/256py"
PROFILE=$TMP/p.folded
check "256 colours: Python frames in their own colour" "grep -Eq '$PYBG' '$TMP/256py'"
sgr TERM=screen >"$TMP/8"
check "8 colours: basic colours in use" "grep -Eq '\[(3|4)[0-7]m' '$TMP/8'"
check "8 colours: no 256-colour codes" "! grep -q '38;5;\|48;5;' '$TMP/8'"
sgr NO_COLOR=1 TERM=screen-256color >"$TMP/mono"
check "NO_COLOR: no colour at all" "! grep -Eq '38;5;|48;5;|\[(3|4)[0-7]m|;(3|4)[0-7][;m]' '$TMP/mono'"
check "NO_COLOR: the selection is still shown (reverse video)" "grep -Eq '\[(0;)?7m' '$TMP/mono'"
[ $fail = 0 ] && echo PASS
exit $fail
