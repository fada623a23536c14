#!/usr/bin/env bash
# --pid keeps exactly the chosen processes (filtered in the kernel); without it, every busy
# process shows up. Once every --pid process has exited, fixed (and headless aggregate and
# ring) ends early and says so.
. "$(dirname "$0")/lib.sh"
need_bpf
# long enough to outlive the three runs below on a loaded machine (cleanup ends them)
start ft-tree --seconds 30
A=$PID
start ft-syscalls --seconds 30
B=$PID
"$FT" fixed --hz 499 --ms 1500 --pid "$A" --folded --verbose >"$TMP/a" 2>"$TMP/a.err"
check "only ft-tree with --pid $A" sh -c "[ -s '$TMP/a' ] && ! grep -v '^ft-tree;' '$TMP/a'"
check "filtered samples are counted" grep -Eq '[1-9][0-9]* filtered out' "$TMP/a.err"
"$FT" fixed --hz 499 --ms 1500 --pid "$A $B" --group pid --folded >"$TMP/ab" 2>&1
check "both with --pid \"$A $B\" (comm-PID roots)" sh -c "grep -q '^ft-tree-$A;' '$TMP/ab' && grep -q '^ft-syscalls-$B;' '$TMP/ab' && ! grep -Ev '^(ft-tree-$A|ft-syscalls-$B);' '$TMP/ab'"
"$FT" fixed --hz 499 --ms 1500 --folded >"$TMP/all" 2>&1
check "system-wide sees both" sh -c "grep -q '^ft-tree;' '$TMP/all' && grep -q '^ft-syscalls;' '$TMP/all'"
check "no idle samples by default" sh -c "! grep -q '^swapper' '$TMP/all'"

# both targets exit after 2 s: sampling ends then, not after --ms 20000
start ft-tree --seconds 2
C=$PID
start ft-tree --seconds 2.5
D=$PID
t0=$SECONDS
"$FT" fixed --hz 499 --ms 20000 --pid "$C $D" --folded >"$TMP/ex" 2>"$TMP/ex.err"
rc=$? took=$((SECONDS - t0))
check "--pid targets exited: exit 0 ($rc)" [ $rc = 0 ]
check "--pid targets exited: sampling ended early (${took} s of 20)" [ $took -lt 10 ]
check "--pid targets exited: their samples are kept" grep -q 'leaf_a' "$TMP/ex"
check "--pid targets exited: stderr says so ($(cat "$TMP/ex.err"))" \
	grep -Eq '^flametui: every --pid process has exited; sampling ended after [0-9]+\.[0-9] s$' "$TMP/ex.err"
# headless aggregate and ring too: the profile is printed, then they end
for mode in "aggregate --refresh 300" "ring --ms 300 --n 3"; do
	start ft-tree --seconds 1.5
	t0=$SECONDS
	# shellcheck disable=SC2086
	timeout 30 "$FT" $mode --hz 499 --pid "$PID" --folded >"$TMP/lx" 2>"$TMP/lx.err"
	rc=$? took=$((SECONDS - t0))
	check "$mode: --pid target exited: exit 0, ended (${took} s; rc $rc)" sh -c "[ $rc = 0 ] && [ $took -lt 15 ]"
	check "$mode: its samples printed" grep -q 'leaf_a' "$TMP/lx"
	check "$mode: stderr says so ($(cat "$TMP/lx.err"))" \
		grep -Eq '^flametui: every --pid process has exited; sampling ended after [0-9]+\.[0-9] s$' "$TMP/lx.err"
done
# one of two exits: sampling goes on
start ft-tree --seconds 10
E=$PID
start ft-tree --seconds 1
"$FT" fixed --hz 99 --ms 2500 --pid "$PID $E" --folded >/dev/null 2>"$TMP/one.err"
rc=$?
check "one --pid target of two exited: no early end ($rc)" sh -c "[ $rc = 0 ] && ! grep -q 'every --pid' '$TMP/one.err'"
finish
