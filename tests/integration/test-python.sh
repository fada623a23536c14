#!/usr/bin/env bash
# CPython 3.11 frames read in the kernel (issue 14), on Debian's own /usr/bin/python3.11
# (stripped, no frame pointers, not PIE): a known call tree with its shares and full paths
# (lines checked against the script's own text), two threads each with its own stack, a
# process started after flametui (--comm), and C code (zlib, _json) under the Python frame
# that called it.
. "$(dirname "$0")/lib.sh"
need_bpf
PY=/usr/bin/python3.11
if [ ! -x $PY ]; then
	echo "SKIP: $PY is missing (Debian's python3.11 package)" >&2
	exit 77
fi
HZ=199
MS=4000
[ -n "${ASAN_OPTIONS:-}" ] && MS=6000

# bg SCRIPT ARGS...: runs a script until the test ends, sets $PID
bg() {
	$PY "$@" >/dev/null 2>&1 &
	PID=$!
	PIDS="$PIDS $PID"
}
# line FILE TEXT: the number of the (first) line of FILE that is exactly TEXT, spaces aside
line() {
	awk -v t="$2" '{ s = $0; gsub(/^ +| +$/, "", s) } s == t { print NR; exit }' "$1"
}

# --- the known tree: main -> work -> leaf_a 60% / leaf_b 30%, main -> other 10%
cat >"$TMP/t.py" <<'PY'
def spin(n):
    x = 0
    for i in range(n):
        x += i
    return x

def leaf_a():
    return spin(6000)

def leaf_b():
    return spin(3000)

def work():
    leaf_a()
    leaf_b()

def other():
    return spin(1000)

def main():
    while True:
        work()
        other()

main()
PY
bg "$TMP/t.py"
tree=$PID
"$FT" fixed --unwind auto --hz $HZ --ms $MS --pid $tree --folded --verbose >"$TMP/tree" 2>"$TMP/tree.err"
check "fixed on python3.11 exits 0" [ $? = 0 ]
kill $tree
n=$(total "$TMP/tree")
check "tree: enough samples ($n)" [ "$n" -ge 150 ]
M=$(line "$TMP/t.py" "main()") W=$(line "$TMP/t.py" "work()") A=$(line "$TMP/t.py" "leaf_a()")
B=$(line "$TMP/t.py" "leaf_b()") O=$(line "$TMP/t.py" "other()")
SA=$(line "$TMP/t.py" "return spin(6000)") SB=$(line "$TMP/t.py" "return spin(3000)")
SO=$(line "$TMP/t.py" "return spin(1000)")
base="<module> \\(t\\.py:$M\\)_\\[p\\];main \\(t\\.py:$W\\)_\\[p\\]"
pa=$(share "$TMP/tree" "$base;work \\(t\\.py:$A\\)_\\[p\\];leaf_a \\(t\\.py:$SA\\)_\\[p\\];spin \\(t\\.py:[345]\\)_\\[p\\]")
pb=$(share "$TMP/tree" "$base;work \\(t\\.py:$B\\)_\\[p\\];leaf_b \\(t\\.py:$SB\\)_\\[p\\];spin \\(t\\.py:[345]\\)_\\[p\\]")
po=$(share "$TMP/tree" "main \\(t\\.py:$O\\)_\\[p\\];other \\(t\\.py:$SO\\)_\\[p\\];spin \\(t\\.py:[345]\\)_\\[p\\]")
echo "tree: $n samples; leaf_a $pa%, leaf_b $pb%, other $po% (want 60/30/10)"
check "tree: leaf_a within 5 points of 60 ($pa)" within "$pa" 60 5
check "tree: leaf_b within 5 points of 30 ($pb)" within "$pb" 30 5
check "tree: other within 5 points of 10 ($po)" within "$po" 10 5
check "tree: the Python frames stand where the eval loop ran, under Py_RunMain" \
	grep -q ';Py_RunMain;.*;PyEval_EvalCode;<module> (t.py:' "$TMP/tree"
check "tree: the GIL holder is marked" grep -q '^python3.11;\[gil\];' "$TMP/tree"
check "tree: the walker was configured" grep -q 'python: 1 processes walked' "$TMP/tree.err"

# --- two threads, each in its own function
cat >"$TMP/th.py" <<'PY'
import threading

def spin_one():
    x = 0
    while True:
        x += 1

def spin_two():
    x = 0
    while True:
        x += 2

threading.Thread(target=spin_one).start()
spin_two()
PY
bg "$TMP/th.py"
th=$PID
"$FT" fixed --unwind auto --hz $HZ --ms $MS --pid $th --group thread --folded >"$TMP/th" 2>"$TMP/th.err"
kill $th
# per thread root: which spin functions its stacks hold
awk '{ split($1, f, ";"); r = f[1]; if ($0 ~ /spin_one \(/) one[r] += $NF; if ($0 ~ /spin_two \(/) two[r] += $NF }
     END { for (r in one) print r, one[r] + 0, two[r] + 0; for (r in two) if (!(r in one)) print r, 0, two[r] }' \
	"$TMP/th" | sort -u >"$TMP/th.roots"
cat "$TMP/th.roots"
check "threads: one thread ran spin_one only" awk '$2 >= 20 && $3 == 0 { ok = 1 } END { exit !ok }' "$TMP/th.roots"
check "threads: another ran spin_two only" awk '$3 >= 20 && $2 == 0 { ok = 1 } END { exit !ok }' "$TMP/th.roots"
check "threads: no thread shows the other's function" awk '$2 > 0 && $3 > 0 { bad = 1 } END { exit bad }' "$TMP/th.roots"
check "threads: spin_two under <module>, spin_one under threading's bootstrap" sh -c \
	"grep -q '<module> (th.py:[0-9]*)_\[p\];spin_two (th.py:' '$TMP/th' &&
	 grep -Eq 'Thread\._bootstrap \(threading\.py:[0-9]+\)_\[p\];.*;Thread\.run \(threading\.py:[0-9]+\)_\[p\];([^;]*;)*spin_one \(th\.py:' '$TMP/th'"

# --- a process started after flametui: a name of its own, so nothing else on the machine matches
ln -s $PY "$TMP/ftpy-$$"
before=$(bpf_ids)
"$FT" fixed --unwind auto --hz $HZ --ms $((MS + 2000)) --comm "^ftpy-$$\$" --folded >"$TMP/late" 2>"$TMP/late.err" &
F=$!
PIDS="$PIDS $F"
loaded() { [ -n "$(comm -13 <(echo "$before") <(bpf_ids))" ]; }
until_ok 30 loaded
"$TMP/ftpy-$$" "$TMP/t.py" >/dev/null 2>&1 &
late=$!
PIDS="$PIDS $late"
wait $F
kill $late
n=$(total "$TMP/late")
p=$(share "$TMP/late" "^ftpy-$$;.*<module> \\(t\\.py:$M\\)_\\[p\\];main \\(t\\.py:[0-9]+\\)_\\[p\\];")
echo "late start: $n samples, $p% with the script's frames"
check "late start: profiled ($n samples)" [ "$n" -ge 100 ]
check "late start: >= 90% carry the script's frames ($p)" awk -v s="$p" 'BEGIN { exit !(s >= 90) }'

# --- C extensions: zlib and _json run under the Python frame that called them
cat >"$TMP/z.py" <<'PY'
import json, zlib

obj = [{"key": i, "value": "v%d" % i * 8, "list": list(range(10))} for i in range(3000)]
data = json.dumps(obj).encode()

def compress_it():
    return zlib.compress(data, 9)

def encode_it():
    return json.dumps(obj)

while True:
    compress_it()
    encode_it()
PY
bg "$TMP/z.py"
z=$PID
"$FT" fixed --unwind auto --hz $HZ --ms $MS --pid $z --folded >"$TMP/z" 2>"$TMP/z.err"
kill $z
n=$(total "$TMP/z")
zc=$(line "$TMP/z.py" "return zlib.compress(data, 9)")
pz=$(share "$TMP/z" "compress_it \\(z\\.py:$zc\\)_\\[p\\];([^;]*;)*deflate;")
pzall=$(share "$TMP/z" ";deflate;")
pj=$(share "$TMP/z" "encode_it \\(z\\.py:[0-9]+\\)_\\[p\\];dumps \\(json/__init__\\.py:[0-9]+\\)_\\[p\\];([^;]*_\\[p\\];)*[^;]*;([^;]*;)*\\[_json\\.cpython-311")
pjall=$(share "$TMP/z" "\\[_json\\.cpython-311")
echo "C frames: $n samples; deflate $pzall% ($pz% under compress_it), _json $pjall% ($pj% under dumps)"
check "zlib: deflate was sampled ($pzall%)" awk -v s="$pzall" 'BEGIN { exit !(s >= 10) }'
check "zlib: >= 90% of deflate under compress_it (z.py:$zc)" awk -v a="$pz" -v b="$pzall" 'BEGIN { exit !(a >= 0.9 * b) }'
check "json: _json was sampled ($pjall%)" awk -v s="$pjall" 'BEGIN { exit !(s >= 10) }'
check "json: >= 90% of _json under encode_it;dumps" awk -v a="$pj" -v b="$pjall" 'BEGIN { exit !(a >= 0.9 * b) }'

# --- --python off: the eval loop's own frames, no Python names
bg "$TMP/t.py"
off=$PID
"$FT" fixed --unwind auto --python off --hz $HZ --ms 1500 --pid $off --folded >"$TMP/off" 2>&1
kill $off
check "--python off: native frames only" sh -c "grep -q ';_PyEval_EvalFrameDefault' '$TMP/off' && ! grep -q '_\[p\]' '$TMP/off'"
finish
