#!/usr/bin/env bash
# SIGINT/SIGTERM end sampling early: what was collected is printed, the exit is clean and no
# BPF program or link is left behind. When flametui ends, for any reason, the -- CMD it started
# (and what that forked) ends too.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v bpftool >/dev/null || PATH=$PATH:/usr/sbin
start ft-tree --seconds 10
for sig in INT TERM; do
	before=$(bpf_ids)
	"$FT" fixed --hz 499 --ms 0 --pid "$PID" --folded >"$TMP/out.$sig" 2>"$TMP/err.$sig" &
	F=$!
	sleep 1.5
	ours=$(comm -13 <(echo "$before") <(bpf_ids))
	check "SIG$sig: the BPF program is loaded while sampling" [ -n "$ours" ]
	kill -$sig $F
	wait $F
	rc=$?
	check "SIG$sig: exit 0 ($rc)" [ $rc = 0 ]
	check "SIG$sig: samples were printed" grep -q 'leaf_a' "$TMP/out.$sig"
	check "SIG$sig: output is well-formed folded" awk '!/^[^ ].* [0-9]+$/ { exit 1 }' "$TMP/out.$sig"
	check "SIG$sig: no BPF program or link left" bpf_gone $ours
done

gone() { ! kill -0 "$1" 2>/dev/null; }
group_gone() { ! pgrep -g "$1" >/dev/null; }
# the command flametui F started (its only child), once it runs the command (no longer held)
released() {
	C=$(pgrep -P "$1" | head -1)
	[ -n "$C" ] && [ "$(readlink "/proc/$C/exe")" != "$(readlink -f "$FT")" ]
}
cmd_of() { until_ok 10 released "$1" || C=""; }

# SIGTERM to flametui alone (not its process group): the command, a child it forked, and one
# that ignores SIGTERM (SIGKILL after the grace) are gone soon after, and flametui exits 0
for mode in fixed aggregate; do
	for how in plain forks ignores-term; do
		case $how in
		plain) cmd=(sh -c "exec '$WL/ft-tree' --seconds 60 >/dev/null") ;;
		forks) cmd=(sh -c "'$WL/ft-tree' --seconds 60 >/dev/null & wait") ;;
		ignores-term) cmd=(sh -c "trap '' TERM; exec '$WL/ft-tree' --seconds 60 >/dev/null") ;;
		esac
		"$FT" $mode --hz 99 --folded -- "${cmd[@]}" >"$TMP/c.out" 2>"$TMP/c.err" &
		F=$!
		PIDS="$PIDS $F"
		C=""
		cmd_of $F
		check "$mode, $how: the command runs (pid ${C:-none})" [ -n "$C" ]
		[ -n "$C" ] || continue
		PIDS="$PIDS $C"
		[ $mode = fixed ] || until_ok 10 grep -q . "$TMP/c.out" # sampling, not starting
		kill -TERM $F
		wait $F
		rc=$?
		check "$mode, $how: SIGTERM to flametui alone: exit 0 ($rc)" [ $rc = 0 ]
		eventually "$mode, $how: the command (pid $C) is gone" 5 gone "$C"
		eventually "$mode, $how: and its process group" 5 group_gone "$C"
	done
done

# SIGKILL leaves flametui no say: the kernel ends the command (its parent-death signal)
"$FT" fixed --hz 99 --folded -- "$WL/ft-tree" --seconds 60 >/dev/null 2>&1 &
F=$!
cmd_of $F
PIDS="$PIDS $C"
kill -KILL $F
wait $F 2>/dev/null
dead() { gone "$1" || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
eventually "SIGKILL to flametui: the command (pid $C) ended" 5 dead "$C"

# the end of --ms, headless: the command still running is ended with flametui
"$FT" fixed --hz 99 --ms 500 --folded -- "$WL/ft-tree" --seconds 60 >/dev/null 2>&1 &
F=$!
cmd_of $F
wait $F
rc=$?
check "--ms over: flametui exits 0 ($rc)" [ $rc = 0 ]
eventually "--ms over: the command (pid $C) is gone" 5 gone "$C"
finish
