#!/usr/bin/env bash
# Which processes, and their lives: -- CMD follows forks, --comm catches processes started
# later, an exec under the same pid shows the new program's names, a dlopen'ed library is
# named.
. "$(dirname "$0")/lib.sh"
need_bpf

# -- CMD: the work happens in a forked child
"$FT" fixed --hz 499 --folded -- "$WL/ft-forker" fork "$WL/ft-tree" --seconds 2 >"$TMP/fork" 2>&1
check "-- CMD: fixed exits 0 when the command ends" [ $? = 0 ]
check "-- CMD: the forked child's frames appear" grep -q '^ft-tree;.*main;run_thread;work;leaf_a ' "$TMP/fork"
n=$(grep '^ft-tree;' "$TMP/fork" | total /dev/stdin)
check "-- CMD: the child was profiled all along ($n samples)" [ "$n" -ge 600 ]

# --comm: a process started after flametui, and only matching ones
"$FT" fixed --hz 499 --ms 3000 --comm '^ft-tr' --folded >"$TMP/comm" 2>&1 &
F=$!
PIDS="$PIDS $F"
sleep 0.8
start ft-tree --seconds 1.5
start ft-syscalls --seconds 1.5
wait $F
check "--comm: a matching process started later is profiled" grep -q '^ft-tree;.*leaf_a ' "$TMP/comm"
check "--comm: others are not" sh -c "! grep -qv '^ft-tree;' '$TMP/comm'"

# exec: same pid, new program
"$FT" fixed --hz 499 --group pid --folded -- "$WL/ft-forker" exec 1.2 "$WL/ft-tree" --seconds 1.2 >"$TMP/exec" 2>&1
pid=$(sed -n 's/^ft-forker-\([0-9]*\);.*/\1/p' "$TMP/exec" | head -1)
check "exec: the first program's frames (forker_spin)" grep -q "^ft-forker-$pid;.*main;forker_spin" "$TMP/exec"
check "exec: the new program's names under the same pid" grep -q "^ft-tree-$pid;.*main;run_thread;work;leaf_a " "$TMP/exec"
check "exec: no stale names from the old program" sh -c "! grep -q '^ft-tree-$pid;.*forker_spin' '$TMP/exec'"

# dlopen: a library loaded after profiling began
"$FT" fixed --hz 499 --folded -- "$WL/ft-forker" dlopen 1 "$WL/libftwork.so" >"$TMP/dl" 2>&1
check "dlopen: the library's function is named" grep -q ';lib_hot;lib_inner ' "$TMP/dl"
finish
