#!/usr/bin/env bash
# The command line: help, version, and one clear line (and a documented exit code) for each
# mistake a user can make.
. "$(dirname "$0")/lib.sh"
expect() { # expect DESCRIPTION RC PATTERN COMMAND...
	local out rc
	out=$("${@:4}" 2>&1)
	rc=$?
	if [ "$rc" = "$2" ] && printf '%s' "$out" | grep -Eq -- "$3"; then
		echo "ok: $1"
	else
		echo "FAIL: $1: rc=$rc (want $2), output: $out" >&2
		fail=1
	fi
}
expect "--help" 0 'Usage: flametui COMMAND' "$FT" --help
expect "--version" 0 '^flametui [0-9]+\.[0-9]+' "$FT" --version
expect "fixed --help" 0 '--hz N' "$FT" fixed --help
expect "no command" 2 'Usage' "$FT"
expect "unknown command" 2 "unknown command 'frobnicate'" "$FT" frobnicate
expect "bad --hz" 2 '^flametui: --hz expects a whole number' "$FT" fixed --hz abc
expect "zero --hz" 2 '^flametui: --hz expects a whole number' "$FT" fixed --hz 0
expect "bad --ms" 2 '^flametui: --ms expects' "$FT" fixed --ms -5
expect "unknown option" 2 "unknown option '--frob'" "$FT" fixed --frob
expect "missing value" 2 'needs a value' "$FT" fixed --hz
expect "pid that does not exist" 2 '^flametui: --pid 4194000: no such process' "$FT" fixed --pid 4194000
expect "bad --group" 2 'expects comm, pid or thread' "$FT" fixed --group x
# an option of another mode is named (not its value) and rejected, never ignored
expect "another mode's option named" 2 "^flametui: --max-nodes is not an option of 'fixed'" "$FT" fixed --max-nodes 10
expect "aggregate --ms rejected" 2 "^flametui: --ms is not an option of 'aggregate'" "$FT" aggregate --ms 500
expect "aggregate --ms=N rejected" 2 "^flametui: --ms is not an option of 'aggregate'" "$FT" aggregate --ms=500
expect "ring --refresh rejected" 2 "^flametui: --refresh is not an option of 'ring'" "$FT" ring --refresh 500
expect "fixed --n rejected" 2 "^flametui: --n is not an option of 'fixed'" "$FT" fixed --n 3
if [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ]; then
	# a closed pipe ends the output quietly with status 0, as other Unix tools do
	for mode in "fixed --ms 300" "aggregate --refresh 200" "ring --ms 200 --n 2"; do
		# shellcheck disable=SC2086
		# with a workload: on an idle machine a system-wide profile is empty, and says so
		timeout 20 "$FT" $mode --hz 99 --folded -- sh -c "exec '$WL/ft-tree' --seconds 3 >/dev/null" \
			2>"$TMP/pipe.err" | head -1 >/dev/null
		rc=${PIPESTATUS[0]}
		check "$mode | head -1: status 0 ($rc)" [ "$rc" = 0 ]
		check "$mode | head -1: nothing on stderr ($(cat "$TMP/pipe.err"))" [ ! -s "$TMP/pipe.err" ]
	done
	# an empty profile says why, once sampling is over
	sleep 30 </dev/null >/dev/null 2>&1 &
	sp=$!
	PIDS="$PIDS $sp"
	expect "--pid of a sleeping process: says it did not run" 0 \
		'^flametui: sampling is over, no samples: the process did not run on a CPU' \
		"$FT" fixed --ms 300 --pid $sp --folded
	expect "--comm matching nothing: says so" 0 \
		"^flametui: sampling is over, no samples: no process matched --comm 'nosuchproc_ft'" \
		"$FT" fixed --ms 300 --comm nosuchproc_ft --folded
	kill $sp
	# -- CMD under sudo runs as the invoking user (here: nobody), unless --cmd-as-root
	nuid=$(id -u nobody) ngid=$(id -g nobody)
	SUDO_UID=$nuid SUDO_GID=$ngid "$FT" fixed --ms 200 --folded --cmd-output "$TMP/as" -- \
		sh -c 'id -u; id -g; id -G; echo "$HOME $USER $LOGNAME"' >/dev/null 2>&1
	check "under sudo, CMD runs as SUDO_UID ($(sed -n 1p "$TMP/as"))" [ "$(sed -n 1p "$TMP/as")" = "$nuid" ]
	check "under sudo, CMD runs as SUDO_GID ($(sed -n 2p "$TMP/as"))" [ "$(sed -n 2p "$TMP/as")" = "$ngid" ]
	check "under sudo, CMD has the user's groups, not root's ($(sed -n 3p "$TMP/as"))" \
		[ "$(sed -n 3p "$TMP/as")" = "$(id -G nobody)" ]
	check "under sudo, CMD has the user's HOME and USER ($(sed -n 4p "$TMP/as"))" \
		[ "$(sed -n 4p "$TMP/as")" = "$(getent passwd nobody | cut -d: -f6) nobody nobody" ]
	check "--cmd-output is given to the user ($(stat -c %u:%g "$TMP/as"))" \
		[ "$(stat -c %u:%g "$TMP/as")" = "$nuid:$ngid" ]
	SUDO_UID=$nuid SUDO_GID=$ngid "$FT" fixed --ms 200 --folded --cmd-as-root --cmd-output "$TMP/root" -- \
		id -u >/dev/null 2>&1
	check "--cmd-as-root keeps root ($(cat "$TMP/root"))" [ "$(cat "$TMP/root")" = 0 ]
	# Debian's stripped gzip: with frame pointers only, its unnamed code is one [gzip] frame,
	# or per address on request; with its tables (the default) each function is named by its
	# FDE's start, still not per address
	if command -v gzip >/dev/null; then
		gz() { "$FT" fixed --hz 499 --ms 10000 --folded "$@" -- sh -c 'for i in 1 2; do gzip -9 -c /usr/bin/perl >/dev/null; done' 2>/dev/null; }
		gz --unwind fp >"$TMP/gz"
		gz --unwind fp --per-address >"$TMP/gz-addr"
		gz >"$TMP/gz-fde"
		check "stripped gzip: unnamed code in one [gzip] frame ($(share "$TMP/gz" '\[gzip\]')%)" \
			sh -c "grep -q '\[gzip\]' '$TMP/gz' && ! grep -q '\[gzip+0x' '$TMP/gz'"
		check "--per-address: [gzip+0x...] frames" grep -q '\[gzip+0x[0-9a-f]*\]' "$TMP/gz-addr"
		check "stripped gzip, default unwind: functions named [gzip@0x...] ($(share "$TMP/gz-fde" '\[gzip@0x')%)" \
			sh -c "grep -q '\[gzip@0x[0-9a-f]*\]' '$TMP/gz-fde' && ! grep -q '\[gzip+0x' '$TMP/gz-fde'"
	fi
	expect "a malformed SUDO_UID: one line naming the way out" 1 'cannot run .true. as the user who ran sudo .*--cmd-as-root' \
		env SUDO_UID=x SUDO_GID=1 "$FT" fixed --ms 100 --folded -- true
fi
expect "--cmd-output without a command" 2 '^flametui: --cmd-output applies to a command' "$FT" fixed --cmd-output /tmp/x
# a kernel without BTF, as seen from a mount namespace where /sys/kernel/btf is empty
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	expect "no BTF: one line naming the kernel option, exit 4" 4 'this kernel has no BTF .*CONFIG_DEBUG_INFO_BTF=y' \
		unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf && exec '$FT' fixed --ms 100"
fi
SRC=$(cd "$(dirname "$0")/../.." && pwd)
if command -v script >/dev/null; then
	expect "unknown TERM: one line naming the fix" 1 "terminal type 'nosuchterm' is unknown: set TERM" \
		script -qec "TERM=nosuchterm '$FT' file '$SRC/examples/tree-workload.folded'" /dev/null
fi
# file --max-nodes: memory bounded, nothing lost
"$FT" file --max-nodes 100 --folded "$SRC/examples/meson-build.folded" >"$TMP/mn" 2>"$TMP/mn.err"
check "file --max-nodes: the overflow is reported" grep -Eq '^flametui: [1-9][0-9]* samples went to \[overflow\]' "$TMP/mn.err"
check "file --max-nodes: an [overflow] frame" grep -q '^\[overflow\] ' "$TMP/mn"
check "file --max-nodes: every sample kept" [ "$(total "$TMP/mn")" = "$(total "$SRC/examples/meson-build.folded")" ]
check "file --max-nodes: at most 100 frames (+ overflow)" [ "$(awk -F';' '{ for (i = 1; i <= NF; i++) { p = p ";" $i; sub(/ [0-9]+$/, "", p); n[p] = 1 } p = "" } END { print length(n) }' "$TMP/mn")" -le 101 ]
for out in $("$FT" fixed --help | wc -l); do check "help is more than a line" [ "$out" -gt 5 ]; done
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	expect "not root: one line naming the fix" 3 'needs root or CAP_BPF\+CAP_PERFMON.*sudo' \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$FT" fixed --ms 100
	n=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$FT" fixed --ms 100 2>&1 | wc -l)
	check "the not-root error is one line ($n)" [ "$n" = 1 ]
fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && [ -r /sys/kernel/btf/vmlinux ]; then
	# CAP_BPF + CAP_PERFMON without root: profiling works, naming does not; say so at start
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+bpf,+perfmon \
		--ambient-caps=+bpf,+perfmon "$FT" fixed --ms 200 --folded >/dev/null 2>"$TMP/caps.err"
	# whether kallsyms hides addresses from nobody depends on kptr_restrict and perf_event_paranoid
	if setpriv --reuid=65534 --regid=65534 --clear-groups head -1 /proc/kallsyms | grep -q '^0* '; then
		check "capabilities only: unnamed kernel frames announced, with the fix" \
			grep -q '^flametui: kernel frames will be \[unknown\]: .*CAP_SYSLOG.*kptr_restrict=0' "$TMP/caps.err"
	else
		check "capabilities only: kernel frames named, so not announced" \
			sh -c "! grep -q 'kernel frames will be' '$TMP/caps.err'"
	fi
	check "capabilities only: other users' frames announced, with the fix" \
		grep -q "^flametui: other users' processes will show unnamed frames: .*CAP_SYS_PTRACE" "$TMP/caps.err"
	"$FT" fixed --ms 200 --folded >/dev/null 2>"$TMP/root.err"
	check "as root: no such warning ($(head -c 200 "$TMP/root.err"))" sh -c "! grep -q 'will be \[unknown\]\|unnamed frames' '$TMP/root.err'"
fi
finish
