#!/usr/bin/env bash
# flametui file on a large input is clean under valgrind memcheck: no invalid reads or writes,
# no use of uninitialised memory, no leaks (definite or indirect), for folded, gzip'd folded
# and perf script input.
. "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed" >&2; exit 77; }
SRC=$(cd "$(dirname "$0")/../.." && pwd)
python3 "$SRC/tests/formats/gen-folded.py" 8 20000 >"$TMP/big.folded"
gzip -c "$TMP/big.folded" >"$TMP/big.folded.gz"
vg() { # vg NAME ARGS...
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect "$FT" "${@:2}" >"$TMP/$1.out" 2>"$TMP/$1.vg"
	local rc=$?
	check "$1: memcheck clean (rc $rc)" sh -c "[ $rc = 0 ] && [ ! -s '$TMP/$1.vg' ]"
	[ $rc = 0 ] || head -30 "$TMP/$1.vg" >&2
}
vg folded file --folded "$TMP/big.folded"
check "folded: all samples written" sh -c "[ \"\$(awk '{ t += \$NF } END { print t }' '$TMP/folded.out')\" = \"\$(awk '!/^#/ && NF { t += \$NF } END { print t }' '$TMP/big.folded')\" ]"
vg gzip file --folded "$TMP/big.folded.gz"
check "gzip: same result as plain" cmp -s "$TMP/folded.out" "$TMP/gzip.out"
for f in "$SRC"/tests/formats/data/*.txt; do
	[ -f "$f" ] || continue
	vg "perfscript-$(basename "$f" .txt)" file --folded "$f"
	break
done
printf 'a;b 1\nnot a stack line\n' >"$TMP/bad.txt"
valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	"$FT" file --folded "$TMP/bad.txt" >/dev/null 2>"$TMP/bad.vg"
rc=$?
check "bad input: the error path is clean too (exit $rc, no valgrind report)" sh -c "[ $rc = 1 ] && grep -q '^flametui: .*:2: ' '$TMP/bad.vg' && [ \$(grep -c '^==' '$TMP/bad.vg') = 0 ]"
finish
