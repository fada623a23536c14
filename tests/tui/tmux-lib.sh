# SPDX-License-Identifier: MIT
# Helpers for the tmux tests, sourced after setting SOCK: a private tmux server ($T) killed on
# exit with the scratch directory $TMP, and screen/fail/wait_for/wait_gone/keys.

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
	while [ "$n" -lt "${2:-50}" ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
# wait_gone PATTERN: until no line matches.
wait_gone() {
	n=0
	while [ "$n" -lt 50 ]; do
		screen | grep -Eq -- "$1" || return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
keys() { $T send-keys -t ft "$@"; }
