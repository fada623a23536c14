#!/usr/bin/env bash
# A function in a shared library is named, and JIT code is named from /tmp/perf-PID.map.
. "$(dirname "$0")/lib.sh"
need_bpf
start ft-uselib --seconds 6
"$FT" fixed --hz 999 --ms 2000 --pid "$PID" --folded >"$TMP/out" 2>&1
check "library function named: main;lib_hot;lib_inner" grep -q ';main;lib_hot;lib_inner ' "$TMP/out"
if [ "$(uname -m)" = x86_64 ]; then
	check "JIT frame from the perf map" grep -q 'LazyCompile:\*jit_hot_loop test.js:1_\[j\] ' "$TMP/out"
	j=$(share "$TMP/out" 'jit_hot_loop')
	check "JIT frame carries samples ($j%)" within "$j" 50 49
fi
finish
