#!/usr/bin/env bash
# `flametui diff` with --from/--to per side: two time ranges of one recording (gen-timed's,
# known samples per time) and of perf script text with times, compared with exact counts;
# ranges on inputs without times and misplaced ranges are one-line errors.
# Usage: test-diff-range.sh FLAMETUI GEN_TIMED
set -u
FT=${1:?flametui binary}
GEN=${2:?gen-timed binary}
TMP=$(mktemp -d /tmp/ft-diff-range.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail=0

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1" >&2; fail=1; }

# same NAME WANT_TEXT CMD...: CMD exits 0, says nothing on stderr, prints WANT_TEXT (sorted)
same() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	printf '%s\n' "$want" >"$TMP/want"
	if [ "$rc" != 0 ] || [ -s "$TMP/err" ]; then
		bad "$name: exit $rc; stderr: $(head -c 300 "$TMP/err")"
	elif ! sort "$TMP/out" | cmp -s - "$TMP/want"; then
		bad "$name: got $(sort "$TMP/out" | tr '\n' '|'), want $(tr '\n' '|' <"$TMP/want")"
	else
		ok "$name"
	fi
}

# fails NAME ERR_REGEX CMD...: CMD exits nonzero with one stderr line matching ERR_REGEX
fails() {
	local name=$1 re=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 0 ] || [ "$(wc -l <"$TMP/err")" != 1 ] || ! grep -qE -- "$re" "$TMP/err"; then
		bad "$name: exit $rc; stderr: $(head -c 300 "$TMP/err")"
	else
		ok "$name"
	fi
}

rec=$TMP/t.ftrec
"$GEN" "$rec" || { bad "gen-timed failed"; exit 1; }

same "two ranges of one recording" "app;main;a 3 1
app;main;b 1 5
app;main;c 0 1" "$FT" diff --folded --from 0 --to 1 "$rec" --from 3 --to 4 "$rec"
same "a range on AFTER only (BEFORE whole)" "app;main;a 4 1
app;main;b 6 5
app;main;c 1 1" "$FT" diff --folded "$rec" --from 3 --to 4 "$rec"
same "fractions, and --from alone runs to the end" "app;main;a 1 1
app;main;b 1 5
app;main;c 0 1" "$FT" diff --folded --from 0.15 --to 0.6 "$rec" --from 3.05 "$rec"
same "--to alone starts at the first sample" "app;main;a 2 4
app;main;b 0 6
app;main;c 0 1" "$FT" diff --folded --to 0.15 "$rec" "$rec"

# perf script text with times: the same per-side ranges
for i in 0 1 2 30 31; do
	leaf=a
	[ "$i" -ge 2 ] && leaf=b
	printf 'app 10/10 [000] %d.%02d0000: 1 cpu-clock:\n\t    1000 %s (/x)\n\t    2000 main (/x)\n\n' \
		$((100 + i / 10)) $(((i % 10) * 10)) "$leaf"
done >"$TMP/perf.txt"
same "two ranges of perf script text with times" "app;main;a 2 0
app;main;b 1 2" "$FT" diff --folded --to 1 "$TMP/perf.txt" --from 2 --to 4 "$TMP/perf.txt"

printf 'main;a 3\n' >"$TMP/x.folded"
fails "a range on collapsed stacks (no times)" 'x.folded.* has no sample times: --from/--to need' \
	"$FT" diff --folded --from 0 --to 1 "$TMP/x.folded" "$rec"
fails "a range after the last profile" 'apply to the profile after them' \
	"$FT" diff --folded "$rec" "$rec" --from 1
fails "--to before --from" 'to must be after --from \(for AFTER\)' \
	"$FT" diff --folded "$rec" --from 2 --to 1 "$rec"
fails "a bad number of seconds" "--from 'x' is not a number of seconds" \
	"$FT" diff --folded --from x "$rec" "$rec"
exit $fail
