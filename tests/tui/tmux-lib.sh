# SPDX-License-Identifier: MIT
# Shared by the tmux tests (sourced after FT is set): a private tmux server ($T) and a scratch
# directory ($TMP) removed on exit, the screen read back, waits with deadlines, keys, and the
# export prompt. start CMD runs CMD in session "ft" at 120x40, in $TMP, with a 256-colour TERM.
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
[ -x "$FT" ] || { echo "no binary at $FT"; exit 77; }
FT=$(cd "$(dirname "$FT")" && pwd)/$(basename "$FT") # sessions start in $TMP

SOCK="ft-tui-$(basename "$0" .sh)-$$"
TMP=$(mktemp -d) || exit 1
T="tmux -u -L $SOCK -f /dev/null"
cleanup() {
	$T kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

screen() { $T capture-pane -p -t ft 2>/dev/null; }

fail() {
	echo "FAIL: $*"
	echo "----- screen -----"
	screen
	echo "------------------"
	exit 1
}

# wait_for PATTERN [TENTHS]: until a line of the screen matches the extended regex (10 s:
# the machine is shared).
wait_for() {
	n=0
	while [ "$n" -lt "${2:-100}" ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# wait_gone PATTERN: until no line matches.
wait_gone() {
	n=0
	while [ "$n" -lt 100 ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

keys() { $T send-keys -t ft "$@"; }

start() {
	$T new-session -d -s ft -x 120 -y 40 -c "$TMP" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $1; echo EXITED:\$?; sleep 60" ||
		fail "tmux new-session"
}

# export_to PATH: e, clear the suggested name, type PATH, Enter
export_to() {
	keys e
	wait_for '^export to \(' || fail "e opens the export prompt"
	keys -N 200 BSpace
	keys -l "$1"
	keys Enter
}
