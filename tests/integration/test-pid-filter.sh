#!/usr/bin/env bash
# --pid keeps exactly the chosen processes (filtered in the kernel); without it, every busy
# process shows up.
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
finish
