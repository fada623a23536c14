#!/usr/bin/env bash
# --output on the sampling commands: fixed writes the profile it would have printed (pprof
# read back by go tool pprof when present: totals, sample period and duration), aggregate and
# ring write the last snapshot they printed when they end, and under sudo the file belongs to
# the invoking user.
. "$(dirname "$0")/lib.sh"
need_bpf

# fixed: the folded export of a run of ft-tree, then the same as pprof
"$FT" fixed --hz 499 --ms 1500 --output "$TMP/f.folded" -- sh -c "exec '$WL/ft-tree' --seconds 1 >/dev/null" \
	2>"$TMP/f.err"
n=$(total "$TMP/f.folded")
check "fixed --output: a folded file with samples ($n)" [ "$n" -gt 50 ]
check "fixed --output: says what it wrote" grep -Eq "^flametui: wrote $TMP/f.folded \(collapsed stacks, $n samples\)$" "$TMP/f.err"
check "fixed --output: ft-tree's leaves are in it" grep -q 'leaf_a' "$TMP/f.folded"

# a real user (flametui refuses to run CMD as a uid that has no account): nobody
nuid=$(id -u nobody) ngid=$(id -g nobody)
SUDO_UID=$nuid SUDO_GID=$ngid "$FT" fixed --hz 499 --ms 1200 --output "$TMP/f.pb.gz" \
	-- sh -c "exec '$WL/ft-tree' --seconds 0.8 >/dev/null" 2>"$TMP/p.err"
check "under sudo the file is the invoking user's" [ "$(stat -c %u:%g "$TMP/f.pb.gz")" = "$nuid:$ngid" ]
n=$(sed -n 's/^flametui: wrote .* (pprof, \([0-9]*\) samples)$/\1/p' "$TMP/p.err")
if command -v go >/dev/null; then
	top=$(HOME=$TMP go tool pprof -top -nodefraction=0 -edgefraction=0 -sample_index=samples "$TMP/f.pb.gz" 2>&1)
	check "go tool pprof reads it: $n samples" grep -q "accounting for $n, 100% of $n total" <<<"$top"
	top=$(HOME=$TMP go tool pprof -top "$TMP/f.pb.gz" 2>&1)
	# 499 Hz: each sample stands for 2.004 ms of CPU; the run lasted about 0.8 s
	ms=$(sed -n 's/^Duration: \([0-9.]*\)\(m\{0,1\}\)s, Total samples = \([0-9.]*\)\(m\{0,1\}\)s.*/\1 \2 \3 \4/p' <<<"$top")
	check "pprof: duration and cpu time from the run ($ms)" awk -v n="$n" -v s="$ms" 'BEGIN {
		split(s, a, " "); d = a[1] * (a[2] == "m" ? 1 : 1000); c = a[3] * (a[4] == "m" ? 1 : 1000)
		exit !(d > 500 && d < 5000 && c > n * 2.0 && c < n * 2.01) }'
else
	echo "note: go not installed, the pprof file is not read back (scripts/deps --test)"
fi

# aggregate (headless): the file is the last snapshot printed
"$FT" aggregate --hz 299 --refresh 400 --folded --output "$TMP/a.folded" \
	-- sh -c "exec '$WL/ft-tree' --seconds 1.5 >/dev/null" >"$TMP/a.out" 2>/dev/null
awk '/^# time=/ { n++; next } { print > (F "." n) }' F="$TMP/snap" "$TMP/a.out"
last=$(ls "$TMP"/snap.* | sort -t. -k2 -n | tail -1)
check "aggregate --output: the last snapshot ($(total "$last") samples)" cmp -s <(LC_ALL=C sort "$last") <(LC_ALL=C sort "$TMP/a.folded")

# headless, flametui's stdout carries the profile: CMD's stdout goes to stderr (with its
# stderr), or to --cmd-output, never into the collapsed stacks
cmd="echo HELLO-FROM-CMD; echo ERR-FROM-CMD >&2; exec '$WL/ft-tree' --seconds 1 >/dev/null"
"$FT" fixed --hz 499 --folded -- sh -c "$cmd" >"$TMP/h.folded" 2>"$TMP/h.err"
check "fixed --folded: CMD's stdout is not in the profile" sh -c "! grep -q HELLO-FROM-CMD '$TMP/h.folded'"
check "fixed --folded: every line is a collapsed stack" awk '!/^[^ ].* [0-9]+$/ { exit 1 } END { exit !NR }' "$TMP/h.folded"
check "fixed --folded: flametui file reads it back" sh -c "'$FT' file --folded '$TMP/h.folded' >'$TMP/h2.folded'"
check "fixed --folded: CMD's stdout and stderr are on stderr" sh -c "grep -q HELLO-FROM-CMD '$TMP/h.err' && grep -q ERR-FROM-CMD '$TMP/h.err'"
"$FT" fixed --hz 499 --folded --cmd-output "$TMP/h.cmd" -- sh -c "$cmd" >"$TMP/h3.folded" 2>"$TMP/h3.err"
check "--cmd-output: CMD's output goes there" sh -c "grep -q HELLO-FROM-CMD '$TMP/h.cmd' && grep -q ERR-FROM-CMD '$TMP/h.cmd'"
check "--cmd-output: and nowhere else" sh -c "! grep -q FROM-CMD '$TMP/h3.folded' '$TMP/h3.err'"
"$FT" aggregate --hz 499 --refresh 300 --folded -- sh -c "$cmd" >"$TMP/h.agg" 2>"$TMP/h.agg.err"
check "aggregate --folded: CMD's stdout is not in the snapshots" sh -c "! grep -q HELLO-FROM-CMD '$TMP/h.agg' && grep -q HELLO-FROM-CMD '$TMP/h.agg.err'"

# ring: the same
"$FT" ring --hz 299 --ms 400 --n 2 --folded --output "$TMP/r.svg" \
	-- sh -c "exec '$WL/ft-tree' --seconds 1.5 >/dev/null" >"$TMP/r.out" 2>"$TMP/r.err"
n=$(awk '/^# time=/ { s = $NF; sub("samples=", "", s) } END { print s }' "$TMP/r.out")
check "ring --output: the last window as SVG ($n samples)" grep -Eq "^flametui: wrote $TMP/r.svg \(SVG flame graph, $n samples\)$" "$TMP/r.err"
check "ring --output: the SVG's root has them" grep -q "data-n=\"all\"><title>all ($n samples, 100.00%)" "$TMP/r.svg"
finish
