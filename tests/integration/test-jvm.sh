#!/usr/bin/env bash
# Java without an agent: flametui asks a HotSpot JVM (run as nobody, as a service would run)
# for its perf map itself, names the JIT-compiled methods as stackcollapse-perf.pl tidies them
# ("long Hot.hotA"), marks them _[j], and splits the time as the program does (2:1). With
# --jit-maps off nobody asks and the methods stay unnamed. A JVM that never answers
# (-XX:+DisableAttachMechanism) costs at most the request's deadline and is named in one line.
. "$(dirname "$0")/lib.sh"
need_bpf
for t in java javac setpriv; do
	command -v $t >/dev/null || { echo "SKIP: no $t (scripts/deps --test installs openjdk-17-jdk-headless)" >&2; exit 77; }
done
SRC=$(cd "$(dirname "$0")" && pwd)/jvm
chmod 755 "$TMP"
mkdir "$TMP/cls"
javac -d "$TMP/cls" "$SRC/Hot.java" || { echo "FAIL: javac" >&2; exit 1; }
chmod -R a+rX "$TMP/cls"
asan=0
[ -n "${ASAN_OPTIONS:-}" ] && asan=1

# jvm NAME MS JAVA-OPTIONS...: starts Hot as nobody (cwd /, so the attach trigger goes to its
# /tmp), waits for "ready" (its methods compiled), sets $JPID.
jvm() {
	local out="$TMP/$1.out" ms=$2
	shift 2
	(cd / && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
		java -XX:+PreserveFramePointer -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,Hot::hot* "$@" -cp "$TMP/cls" Hot "$ms") >"$out" 2>&1 &
	PIDS="$PIDS $!"
	JPID=$!
	if ! until_ok 30 grep -q '^ready' "$out"; then
		echo "FAIL: the JVM did not start: $(cat "$out")" >&2
		exit 1
	fi
	[ "$(awk '/^ready/ { print $2 }' "$out")" = "$JPID" ] || { echo "FAIL: pid mismatch" >&2; exit 1; }
}

jvm hot 30000
rm -f "/tmp/perf-$JPID.map"
# off first: nothing may have written the map yet
"$FT" fixed --hz 499 --ms 1500 --pid "$JPID" --folded --jit-maps off >"$TMP/off" 2>"$TMP/off.err"
check "--jit-maps off: the JVM was not asked (no perf map)" test ! -e "/tmp/perf-$JPID.map"
check "--jit-maps off: the hot methods are unnamed" bash -c "! grep -q 'Hot.hot' '$TMP/off'"
"$FT" fixed --hz 499 --ms 4000 --pid "$JPID" --folded --verbose >"$TMP/auto" 2>"$TMP/auto.err"
check "the JVM wrote its map when asked" test -s "/tmp/perf-$JPID.map"
check "the map is the JVM's user's" test "$(stat -c %U "/tmp/perf-$JPID.map")" = nobody
check "hotA named as stackcollapse-perf.pl tidies it, a JIT frame" grep -q ';long Hot.hotA_\[j\] [0-9]*$' "$TMP/auto"
check "hotB too" grep -q ';long Hot.hotB_\[j\] [0-9]*$' "$TMP/auto"
a=$(awk '/;long Hot\.hotA_\[j\] [0-9]+$/ { n += $NF } END { print n + 0 }' "$TMP/auto")
b=$(awk '/;long Hot\.hotB_\[j\] [0-9]+$/ { n += $NF } END { print n + 0 }' "$TMP/auto")
all=$(total "$TMP/auto")
check "most samples are in the two methods ($a + $b of $all)" test $((100 * (a + b))) -ge $((80 * all))
split=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", a + b ? 100 * a / (a + b) : 0 }')
check "hotA's share of the two is 66.7 +- 5 ($split)" within "$split" 66.7 5
# -XX:+PreserveFramePointer: the JIT'd frames sit on the whole stack, down to the thread start
whole=$(share "$TMP/auto" '^java;start_thread;ThreadJavaMain;JavaMain;.*;long Hot\.hot[AB]_\[j\] [0-9]+$')
check "hot samples have whole stacks (start_thread ... JavaMain ... hotA: $whole%)" \
	awk -v w="$whole" -v a="$a" -v b="$b" -v t="$all" 'BEGIN { exit !(w * t >= 90 * (a + b)) }'
check "asked, and answered every time" grep -Eq 'JVM perf maps: ([0-9]+) requests, \1 answered' "$TMP/auto.err"
check "no JVM complaint" bash -c "! grep -q '^flametui: JVM [0-9]' '$TMP/auto.err'"
kill "$JPID"

# A JVM that never answers: flametui asks once, waits at most the 3 s deadline, says so.
jvm deaf 30000 -XX:+DisableAttachMechanism
start_s=$(date +%s.%N)
"$FT" fixed --hz 499 --ms 2000 --pid "$JPID" --folded >"$TMP/deaf" 2>"$TMP/deaf.err"
took=$(awk -v s="$start_s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
bound=$((asan ? 12 : 8))
check "a deaf JVM costs at most the deadline ($took s for --ms 2000, bound $bound)" \
	awk -v t="$took" -v b="$bound" 'BEGIN { exit !(t < b) }'
check "it is reported in one line" test "$(grep -c "^flametui: JVM $JPID did not answer in time" "$TMP/deaf.err")" = 1
check "its samples are kept" test "$(total "$TMP/deaf")" -gt 100
check "it was not asked again (one line, nothing else)" test "$(grep -c 'JVM' "$TMP/deaf.err")" = 1
kill "$JPID"
rm -f "/tmp/perf-$JPID.map"
finish
