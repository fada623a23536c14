#!/usr/bin/env bash
# Node.js (Debian's nodejs) with --perf-basic-prof writes /tmp/perf-PID.map itself: its JS
# functions are named as it writes them ("JS:*leafA /path/hot.js:4:15", which
# stackcollapse-perf.pl's tidying keeps as they are), marked _[j], split as the script does
# (2:1), and with --interpreted-frames-native-stack the interpreted callers sit on the stack
# too, whole down to node::Start. Node runs as nobody, as a service would.
. "$(dirname "$0")/lib.sh"
need_bpf
for t in node setpriv; do
	command -v $t >/dev/null || { echo "SKIP: no $t (scripts/deps --test installs nodejs)" >&2; exit 77; }
done
SRC=$(cd "$(dirname "$0")" && pwd)/node
chmod 755 "$TMP"
cp "$SRC/hot.js" "$TMP/hot.js"
chmod a+r "$TMP/hot.js"
# no inlining in TurboFan, so leafA and leafB stay frames of their own when optimized
(cd / && exec setpriv --reuid=nobody --regid=nogroup --clear-groups node --perf-basic-prof \
	--interpreted-frames-native-stack --no-turbo-inlining "$TMP/hot.js" 30000) >"$TMP/node.out" 2>&1 &
NPID=$!
PIDS="$PIDS $NPID"
until_ok 30 grep -qs '^ready' "$TMP/node.out" || { echo "FAIL: node did not start: $(cat "$TMP/node.out")" >&2; exit 1; }
"$FT" fixed --hz 499 --ms 3000 --pid "$NPID" --folded >"$TMP/out" 2>"$TMP/err"
f="$TMP/hot.js"
leaf='JS:[*^~]leaf[AB] '"$f"':[0-9]+:[0-9]+_\[j\] [0-9]+$'
check "leafA named as node writes it, a JIT frame" grep -Eq ";JS:[*^~]leafA $f:4:15_\\[j\\] [0-9]+\$" "$TMP/out"
check "leafB too" grep -Eq ";JS:[*^~]leafB $f:9:15_\\[j\\] [0-9]+\$" "$TMP/out"
check "under work and main" grep -Eq ";JS:[*^~]main $f:[0-9:]+_\\[j\\];JS:[*^~]work $f:[0-9:]+_\\[j\\];JS:[*^~]leafA " "$TMP/out"
check_split "$TMP/out" ';JS:[*^~]leafA [^;]*_\\[j\\] [0-9]+$' ';JS:[*^~]leafB [^;]*_\\[j\\] [0-9]+$' leafA leafB 75
# whole: from the process's start through the interpreted top-level script (a frame only
# --interpreted-frames-native-stack gives) to the leaf
check_whole "$TMP/out" "^node;(_start;__libc_start_main;)?__libc_start_call_main;node::Start\\(int, char\\*\\*\\);.*;JS:~ $f:1:1_\\[j\\];.*;$leaf" \
	"leaf samples have whole stacks"
check "nothing reported" test ! -s "$TMP/err"
kill "$NPID"
rm -f "/tmp/perf-$NPID.map"
finish
