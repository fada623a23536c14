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
check "-- CMD: the child was profiled ($n samples)" [ "$n" -ge 300 ]

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

# short-lived processes: each lives 50 ms and is gone before flametui reads its samples
# (a copy with its own name, so nothing else on the machine matches)
cp "$WL/ft-tree" "$TMP/ft-short"
"$FT" fixed --hz 999 --ms 2500 --comm '^ft-short$' --folded >"$TMP/short" 2>&1 &
F=$!
PIDS="$PIDS $F"
sleep 0.5
for _ in $(seq 15); do "$TMP/ft-short" --seconds 0.05 >/dev/null; done
wait $F
n=$(grep '^ft-short;' "$TMP/short" | total /dev/stdin)
named=$(grep '^ft-short;.*main;run_thread;work;leaf_[abc][; ]' "$TMP/short" | total /dev/stdin)
echo "short-lived: $named of $n samples named down to the leaf"
check "short-lived processes were sampled ($n)" [ "$n" -ge 100 ]
check "short-lived processes keep their names ($named of $n)" [ "$((named * 100))" -ge "$((n * 80))" ]

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
