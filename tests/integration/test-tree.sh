#!/usr/bin/env bash
# The workload's known split (leaf_a 60%, leaf_b 30%, leaf_c 10%) is measured within 5 points,
# with the full frame-pointer path from main to each leaf.
. "$(dirname "$0")/lib.sh"
need_bpf
start ft-tree --seconds 6
"$FT" fixed --hz 999 --ms 3000 --pid "$PID" --folded >"$TMP/out" 2>"$TMP/err"
rc=$?
check "fixed exits 0" [ $rc = 0 ]
n=$(total "$TMP/out")
check "enough samples ($n)" [ "$n" -ge 600 ]
a=$(share "$TMP/out" ';leaf_a ')
b=$(share "$TMP/out" ';leaf_b ')
c=$(share "$TMP/out" ';leaf_c ')
echo "leaf_a $a% leaf_b $b% leaf_c $c%"
check "leaf_a ~60% ($a)" within "$a" 60 5
check "leaf_b ~30% ($b)" within "$b" 30 5
check "leaf_c ~10% ($c)" within "$c" 10 5
check "full path main;run_thread;work;leaf_a" grep -q '^ft-tree;.*main;run_thread;work;leaf_a ' "$TMP/out"
check "comm is the root frame" sh -c "! grep -v '^ft-tree;' '$TMP/out'"
check "no lost samples reported" sh -c "! grep -q lost '$TMP/err'"
finish
