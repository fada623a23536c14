# Shared helpers for the integration tests (sourced). They run the real binary and load the
# real BPF program: no mocks of the kernel side.
# Usage from meson: test.sh FLAMETUI WORKLOAD_DIR
set -u
FT=${1:?flametui binary}
WL=${2:?workload dir}
TMP=$(mktemp -d /tmp/ft-test.XXXXXX)
PIDS=""
fail=0

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	# a workload killed before it removed its perf map leaves it for the next owner of the pid
	for p in $PIDS; do rm -f "/tmp/perf-$p.map"; done
	rm -rf "$TMP"
}
trap cleanup EXIT

# A BPF test that cannot run is a loud SKIP (77), never a pass.
need_bpf() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: not root: this test loads the BPF program" >&2
		exit 77
	fi
	if [ ! -r /sys/kernel/btf/vmlinux ]; then
		echo "SKIP: no BTF at /sys/kernel/btf/vmlinux" >&2
		exit 77
	fi
}

# start NAME ARGS...: starts a workload, waits for its "ready PID" line, sets $PID.
start() {
	local out="$TMP/$1.out"
	"$WL/$1" "${@:2}" >"$out" 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
	for _ in $(seq 100); do
		grep -q '^ready' "$out" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "FAIL: workload $1 did not start: $(cat "$out")" >&2
	exit 1
}

check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then
		echo "ok: $1"
	else
		echo "FAIL: $1" >&2
		fail=1
	fi
}

# until SECONDS COMMAND...: runs COMMAND every 0.1 s until it succeeds (0) or SECONDS pass (1).
# Tests wait for a condition with a deadline instead of sleeping a fixed time: on a loaded
# machine a fixed sleep is a lottery.
until_ok() {
	local end=$((SECONDS + $1 + 1))
	shift
	while :; do
		"$@" && return 0
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}

# eventually DESCRIPTION SECONDS COMMAND...: check, waiting up to SECONDS for COMMAND.
eventually() {
	if until_ok "$2" "${@:3}"; then
		echo "ok: $1"
	else
		echo "FAIL: $1 (not within $2 s)" >&2
		fail=1
	fi
}

# share FILE REGEX: percentage of samples (folded counts) whose stack matches REGEX.
share() {
	awk -v re="$2" '{ n = $NF; t += n; if ($0 ~ re) m += n } END { printf "%.1f", t ? 100 * m / t : 0 }' "$1"
}

# samples_of FILE REGEX: samples (folded counts) of the stacks matching REGEX (awk syntax).
samples_of() {
	awk -v re="$2" '$0 ~ re { n += $NF } END { print n + 0 }' "$1"
}

# split A B: A's share of A + B, in percent.
split_of() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b ? 100 * a / (a + b) : 0 }'
}

total() {
	awk '{ t += $NF } END { print t + 0 }' "$1"
}

# check_split FILE A_RE B_RE A B MIN: at least MIN% of FILE's samples (folded) end in the two
# functions A and B (awk regexes of their lines), which share them 2:1 (A 66.7% +- 5); sets $a,
# $b, $all (for check_whole) and $split (A's share).
check_split() {
	a=$(samples_of "$1" "$2")
	b=$(samples_of "$1" "$3")
	all=$(total "$1")
	check "most samples are in $4 and $5 ($a + $b of $all)" test $((100 * (a + b))) -ge $(($6 * all))
	split=$(split_of "$a" "$b")
	check "$4's share of the two is 66.7 +- 5 ($split)" within "$split" 66.7 5
}

# check_whole FILE RE WHAT: after check_split, 90% of the two functions' samples have stacks
# matching RE (whole ones, down to the thread's start).
check_whole() {
	local whole
	whole=$(share "$1" "$2")
	check "$3 ($whole% of all samples)" \
		awk -v w="$whole" -v a="$a" -v b="$b" -v t="$all" 'BEGIN { exit !(w * t >= 90 * (a + b)) }'
}

# within A B TOL: |A - B| <= TOL
within() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'
}

finish() {
	[ $fail = 0 ] && echo PASS || echo "FAILED (output kept in $TMP)" >&2
	[ $fail = 0 ] || trap - EXIT
	exit $fail
}

# IDs of loaded flametui sampling programs; tests diff them around one flametui run, so other
# flametui instances on the machine do not confuse them.
bpf_ids() {
	PATH=$PATH:/usr/sbin bpftool prog show 2>/dev/null |
		awk '/ name profile_sample / { sub(":", "", $1); print $1 }' | sort
}
# gone IDS...: none of these programs is loaded and no link points at them. The kernel frees
# a closed program after an RCU grace period, so allow it a few seconds.
bpf_gone() {
	local loaded links left
	for _ in $(seq 50); do
		loaded=$(bpf_ids)
		links=$(PATH=$PATH:/usr/sbin bpftool link show 2>/dev/null | sed -n 's/.* prog \([0-9]*\).*/\1/p')
		left=0
		for id in "$@"; do
			printf '%s\n%s\n' "$loaded" "$links" | grep -qx "$id" && left=1
		done
		[ $left = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
