# SPDX-License-Identifier: MIT
# Shared by the tmux tests (sourced after FT is set): a private tmux server ($T) and a scratch
# directory ($TMP) removed on exit, the screen read back, waits with deadlines, keys, and the
# export prompt. start CMD [COLS ROWS] runs CMD in session "ft" (120x40 unless given), in $TMP,
# with a 256-colour TERM; session "keep" holds the server across restarts. Every wait has a
# deadline (30 s: a sanitizer build on a busy machine is slow); none sleeps a fixed time and
# then reads the screen.
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
if [ -n "${FT:-}" ]; then
	[ -x "$FT" ] || { echo "no binary at $FT"; exit 77; }
	FT=$(cd "$(dirname "$FT")" && pwd)/$(basename "$FT") # sessions start in $TMP
fi

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

# wait_for PATTERN [TENTHS]: until a line of the screen matches the extended regex.
wait_for() {
	n=0
	while [ "$n" -lt "${2:-300}" ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# wait_gone PATTERN: until no line matches.
wait_gone() {
	n=0
	while [ "$n" -lt 300 ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

# until_ok CMD...: until CMD succeeds.
until_ok() {
	n=0
	while [ "$n" -lt 300 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}

keys() { $T send-keys -t ft "$@"; }
# row N: the screen's line N (0 is the top)
row() { screen | sed -n "$(($1 + 1))p"; }
row_is() { [ "$(row "$1" | sed 's/ *$//')" = "$2" ]; }
row_starts() { [ "$(row "$1" | cut -c1-${#2})" = "$2" ]; }
lines_are() { [ "$(screen | wc -l)" -eq "$1" ]; }

# keep_server: a session that outlives "ft" (start does it; call it before an own new-session):
# a server whose last session ends exits, and the next new-session on the same socket raced
# with that exit ("server exited unexpectedly")
keep_server() {
	$T has-session -t keep 2>/dev/null || $T new-session -d -s keep "sleep 600" ||
		fail "tmux new-session (keep)"
}

start() {
	keep_server
	$T new-session -d -s ft -x "${2:-120}" -y "${3:-40}" -c "$TMP" \
		"env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color $1; echo EXITED:\$?; sleep 60" ||
		fail "tmux new-session"
}

# export_to PATH: e, type PATH (it replaces the suggested name), Enter
export_to() {
	keys e
	wait_for '^export to \(' || fail "e opens the export prompt"
	keys -l "$1"
	keys Enter
}
