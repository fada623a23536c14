#!/usr/bin/env bash
# Java without an agent: flametui asks a HotSpot JVM (run as nobody, as a service would run)
# for its perf map itself, names the JIT-compiled methods as stackcollapse-perf.pl tidies them
# ("long Hot.hotA"), marks them _[j], and splits the time as the program does (2:1) and as
# perf record -g on the same JVM at the same time does (same names, read with the script's
# rules). With --jit-maps off nobody asks and the methods stay unnamed. A JVM that never answers
# (-XX:+DisableAttachMechanism, or a fake whose socket never answers) costs at most the
# request's deadline and is named in one line; one that would die of SIGQUIT is not sent it.
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

# jvm NAME "HOT-ARGS" JAVA-OPTIONS...: starts Hot as nobody (cwd /, so the attach trigger goes to its
# /tmp), waits for "ready" (its methods compiled), sets $JPID.
jvm() {
	local out="$TMP/$1.out" args=$2
	shift 2
	(cd / && exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
		java -XX:+PreserveFramePointer -XX:CompileCommand=quiet -XX:CompileCommand=dontinline,Hot::hot* "$@" -cp "$TMP/cls" Hot $args) >"$out" 2>&1 &
	PIDS="$PIDS $!"
	JPID=$!
	if ! until_ok 30 grep -qs '^ready' "$out"; then
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
# perf, the reference, on the same JVM at the same time (it reads the map flametui had written)
if command -v perf >/dev/null; then
	perf record -q -F 499 -g -p "$JPID" -o "$TMP/perf.data" -- sleep 4 >/dev/null 2>&1 &
	perfpid=$!
fi
"$FT" fixed --hz 499 --ms 4000 --pid "$JPID" --folded --verbose >"$TMP/auto" 2>"$TMP/auto.err"
check "the JVM wrote its map when asked" test -s "/tmp/perf-$JPID.map"
check "the map is the JVM's user's" test "$(stat -c %U "/tmp/perf-$JPID.map")" = nobody
check "hotA named as stackcollapse-perf.pl tidies it, a JIT frame" grep -q ';long Hot.hotA_\[j\] [0-9]*$' "$TMP/auto"
check "hotB too" grep -q ';long Hot.hotB_\[j\] [0-9]*$' "$TMP/auto"
check_split "$TMP/auto" ';long Hot\\.hotA_\\[j\\] [0-9]+$' ';long Hot\\.hotB_\\[j\\] [0-9]+$' hotA hotB 80
# -XX:+PreserveFramePointer: the JIT'd frames sit on the whole stack, down to the thread start
check_whole "$TMP/auto" '^java;(clone3;)?start_thread;ThreadJavaMain;JavaMain;.*;long Hot\.hot[AB]_\[j\] [0-9]+$' \
	"hot samples have whole stacks (start_thread ... JavaMain ... hotA)"
if [ -n "${perfpid:-}" ]; then
	wait "$perfpid"
	# perf script read by flametui's stackcollapse-perf.pl rules (tests/formats/data/scp/)
	perf script -i "$TMP/perf.data" -F comm,pid,tid,ip,sym,dso 2>/dev/null >"$TMP/perf.txt"
	"$FT" file --folded "$TMP/perf.txt" >"$TMP/perf.folded" 2>/dev/null
	pa=$(samples_of "$TMP/perf.folded" ';long Hot\\.hotA_\\[j\\] [0-9]+$')
	pb=$(samples_of "$TMP/perf.folded" ';long Hot\\.hotB_\\[j\\] [0-9]+$')
	psplit=$(split_of "$pa" "$pb")
	check "perf names the same frames ($pa + $pb samples of hotA, hotB)" test $((pa + pb)) -gt 100
	check "and splits them alike: perf $psplit, flametui $split (+- 5)" within "$psplit" "$split" 5
else
	echo "FAIL: perf (linux-perf, scripts/deps --test) is not installed" >&2
	fail=1
fi
check "asked and answered" grep -Eq 'JVM perf maps: [0-9]+ requests, [1-9][0-9]* answered' "$TMP/auto.err"
check "no JVM complaint" bash -c "! grep -q '^flametui: JVM [0-9]' '$TMP/auto.err'"
kill "$JPID"

# Code compiled after the first map: asked again (1 s after the first answer at the earliest)
# while hotC's samples miss the map, so it is named within the same run.
jvm late "30000 $TMP/go"
"$FT" fixed --hz 499 --ms 6000 --pid "$JPID" --folded --verbose >"$TMP/late" 2>"$TMP/late.err" &
ftpid=$!
# hotC starts only once the first map was written
eventually "the first map is written" 30 test -s "/tmp/perf-$JPID.map"
check "hotC is not compiled before the first map" bash -c "! grep -q Hot.hotC /tmp/perf-$JPID.map"
touch "$TMP/go"
wait $ftpid
check "the JVM switched to hotC during the run" grep -q '^late' "$TMP/late.out"
c=$(samples_of "$TMP/late" ';long Hot\\.hotC_\\[j\\] [0-9]+$')
check "a method compiled after the first map is named ($c samples)" test "$c" -gt 50
check "the JVM was asked more than once" grep -Eq 'JVM perf maps: ([2-9]|[1-9][0-9]+) requests' "$TMP/late.err"
kill "$JPID"

# A JVM in its own pid and mount namespaces (a container's view): it is pid 1 there and its
# /tmp (attach socket, trigger, perf map) is a tmpfs the host cannot see at /tmp.
if unshare -m -p -f --mount-proc true 2>/dev/null; then
	unshare -m -p -f --mount-proc sh -c 'd=$(mktemp -d /dev/shm/ftjvm.XXXXXX) &&
		cp -r "$1"/. "$d" && mount -t tmpfs none /tmp && mkdir /tmp/cls &&
		cp -r "$d"/. /tmp/cls && rm -rf "$d" && chmod -R a+rX /tmp/cls && cd / &&
		exec setpriv --reuid=nobody --regid=nogroup --clear-groups java \
		-XX:+PreserveFramePointer -XX:CompileCommand=quiet \
		-XX:CompileCommand=dontinline,Hot::hot* -cp /tmp/cls Hot 30000' sh "$TMP/cls" \
		>"$TMP/ns.out" 2>&1 &
	PIDS="$PIDS $!"
	eventually "the namespaced JVM is ready" 30 grep -qs '^ready 1$' "$TMP/ns.out"
	JPID=$(pgrep -P $! | head -1)
	"$FT" fixed --hz 499 --ms 2000 --pid "$JPID" --folded >"$TMP/ns" 2>"$TMP/ns.err"
	check "a JVM in its own namespaces: hotA named" grep -q ';long Hot.hotA_\[j\] [0-9]*$' "$TMP/ns"
	check "its map is in its own /tmp, as perf-1.map" test -s "/proc/$JPID/root/tmp/perf-1.map"
	check "no JVM complaint" bash -c "! grep -q '^flametui: JVM [0-9]' '$TMP/ns.err'"
	kill "$JPID"
else
	echo "FAIL: unshare -m -p cannot run here" >&2
	fail=1
fi

# A JVM flametui starts itself (-- CMD): its first JIT code runs before it handles SIGQUIT;
# it is asked again until it does, and its methods are named.
"$FT" fixed --hz 499 --folded --verbose --cmd-output "$TMP/cmd.out" -- java -XX:+PreserveFramePointer \
	-XX:CompileCommand=quiet -XX:CompileCommand=dontinline,Hot::hot* -cp "$TMP/cls" Hot 6000 \
	>"$TMP/cmd" 2>"$TMP/cmd.err"
check "a JVM started by flametui: hotA named" grep -q ';long Hot.hotA_\[j\] [0-9]*$' "$TMP/cmd"
check "and no JVM complaint" bash -c "! grep -q '^flametui: JVM [0-9]' '$TMP/cmd.err'"
rm -f /tmp/perf-"$(awk '/^ready/ { print $2 }' "$TMP/cmd.out")".map

# -Xrs: the JVM handles no SIGQUIT but opens its attach socket at start: named, and alive.
jvm xrs 30000 -Xrs
"$FT" fixed --hz 499 --ms 1500 --pid "$JPID" --folded >"$TMP/xrs" 2>"$TMP/xrs.err"
check "a JVM run with -Xrs is alive after flametui" kill -0 "$JPID"
check "and its methods are named" grep -q ';long Hot.hotA_\[j\] [0-9]*$' "$TMP/xrs"
kill "$JPID"

# Fakes with libjvm.so mapped that spin in anonymous code (tests/integration/jvm/fakejvm.py).
# quiet: no attach socket, and SIGQUIT would kill it: it must not be signalled.
mkdir "$TMP/fake"
cp /usr/lib/x86_64-linux-gnu/libm.so.6 "$TMP/fake/libjvm.so"
chmod -R a+rX "$TMP/fake"
fake() { # fake NAME MODE: starts it as nobody, sets $JPID
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		/usr/bin/python3.11 "$SRC/fakejvm.py" "$2" "$TMP/fake/libjvm.so" >"$TMP/$1.out" 2>&1 &
	JPID=$!
	PIDS="$PIDS $JPID"
	until_ok 30 grep -qs '^ready' "$TMP/$1.out" || { echo "FAIL: fake did not start: $(cat "$TMP/$1.out")" >&2; exit 1; }
}
fake quiet quiet
"$FT" fixed --hz 499 --ms 1500 --pid "$JPID" --folded >"$TMP/quiet" 2>"$TMP/quiet.err"
check "a JVM that does not catch SIGQUIT is alive after flametui" kill -0 "$JPID"
check "and reported in one line" test "$(grep -c "^flametui: JVM $JPID does not catch SIGQUIT" "$TMP/quiet.err")" = 1
kill "$JPID"
# hung: its socket listens but nobody ever answers (as a JVM stopped with SIGSTOP after it
# opened the socket): the request is killed at its deadline.
fake hung hung
start_s=$(date +%s.%N)
"$FT" fixed --hz 499 --ms 1500 --pid "$JPID" --folded >"$TMP/hung" 2>"$TMP/hung.err"
took=$(awk -v s="$start_s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
check "a hung JVM costs at most the deadline ($took s for --ms 1500)" \
	awk -v t="$took" -v b="$((asan ? 12 : 8))" 'BEGIN { exit !(t < b) }'
check "it is reported in one line" test "$(grep -c "^flametui: JVM $JPID did not answer in time" "$TMP/hung.err")" = 1
kill "$JPID"

# A JVM that never answers: flametui asks once, waits at most the 3 s deadline, says so.
jvm deaf 30000 -XX:+DisableAttachMechanism
start_s=$(date +%s.%N)
"$FT" fixed --hz 499 --ms 2000 --pid "$JPID" --folded >"$TMP/deaf" 2>"$TMP/deaf.err"
took=$(awk -v s="$start_s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
bound=$((asan ? 12 : 8))
check "a deaf JVM costs at most the deadline ($took s for --ms 2000, bound $bound)" \
	awk -v t="$took" -v b="$bound" 'BEGIN { exit !(t < b) }'
# (told apart from a hung one when the machine lets the request see its own deadline coming)
check "it is reported in one line" \
	test "$(grep -cE "^flametui: JVM $JPID (opened no attach socket|did not answer in time)" "$TMP/deaf.err")" = 1
check "its samples are kept" test "$(total "$TMP/deaf")" -gt 100
check "it was not asked again (one line, nothing else)" test "$(grep -c 'JVM' "$TMP/deaf.err")" = 1
kill "$JPID"
rm -f "/tmp/perf-$JPID.map"
finish
