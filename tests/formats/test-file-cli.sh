#!/usr/bin/env bash
# `flametui file` end to end: the built binary on sample files, stdin, compressed input, and
# the exit code and single stderr line for each kind of bad input.
# Usage: test-file-cli.sh FLAMETUI DATA_DIR
set -u
FT=${1:?flametui binary}
DATA=${2:?data dir}
TMP=$(mktemp -d /tmp/ft-file-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
: >"$TMP/empty"
fail=0

ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1" >&2; fail=1; }

# run NAME WANT_RC WANT_STDOUT_FILE|- STDERR_REGEX|- CMD...: checks rc, stdout, stderr.
run() {
	local name=$1 want_rc=$2 want_out=$3 want_err=$4 rc
	shift 4
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ "$rc" != "$want_rc" ]; then
		bad "$name: exit $rc, want $want_rc; stderr: $(head -c 300 "$TMP/err")"
		return
	fi
	if [ "$want_out" != - ] && ! cmp -s "$TMP/out" "$want_out"; then
		bad "$name: stdout differs: $(diff "$want_out" "$TMP/out" | head -5)"
		return
	fi
	if [ "$want_err" = - ]; then
		if [ -s "$TMP/err" ]; then
			bad "$name: unexpected stderr: $(head -c 300 "$TMP/err")"
			return
		fi
	else
		if [ "$(wc -l <"$TMP/err")" != 1 ] || ! grep -Eq -- "$want_err" "$TMP/err"; then
			bad "$name: stderr is not one line matching /$want_err/: $(head -c 300 "$TMP/err")"
			return
		fi
	fi
	ok "$name"
}

# Folded input comes back merged and sorted.
printf 'b;c 1\r\na;b 2\n# comment\n\na;b 3\nmy worker;do stuff_[k] 4' >"$TMP/in.folded"
printf 'a;b 5\nb;c 1\nmy worker;do stuff_[k] 4\n' >"$TMP/want.folded"
run "folded file" 0 "$TMP/want.folded" - "$FT" file --folded "$TMP/in.folded"
# stdout is not a terminal: folded output without --folded
run "folded when stdout is a file" 0 "$TMP/want.folded" - "$FT" file "$TMP/in.folded"
run "folded from stdin" 0 "$TMP/want.folded" - \
	sh -c '"$0" file --folded - <"$1"' "$FT" "$TMP/in.folded"
gzip -c "$TMP/in.folded" >"$TMP/in.folded.gz"
zstd -q -c "$TMP/in.folded" >"$TMP/in.folded.zst"
run "gzip file" 0 "$TMP/want.folded" - "$FT" file --folded "$TMP/in.folded.gz"
run "zstd from stdin" 0 "$TMP/want.folded" - \
	sh -c 'cat "$1" | "$0" file --folded -' "$FT" "$TMP/in.folded.zst"

# perf script text: converted to folded; round trip through our own output is stable.
"$FT" file --folded "$DATA/perf-default.txt" >"$TMP/perf.folded" 2>"$TMP/err"
if [ $? = 0 ] && grep -q '^my_worker;' "$TMP/perf.folded" && grep -q '_\[k\]' "$TMP/perf.folded"
then ok "perf script"; else bad "perf script: $(head -c 300 "$TMP/err")"; fi
run "perf script via stdin, gzip" 0 "$TMP/perf.folded" - \
	sh -c 'gzip -c "$1" | "$0" file --folded -' "$FT" "$DATA/perf-default.txt"
run "our folded output reloads identically" 0 "$TMP/perf.folded" - \
	"$FT" file --folded "$TMP/perf.folded"
# by default each sample weighs its period (the field before the event), as
# stackcollapse-perf.pl weighs it; --count samples counts each once
total=$(awk '{ n += $NF } END { print n }' "$TMP/perf.folded")
periods=$(awk '/^[^[:space:]]/ { n += $(NF - 1) } END { print n }' "$DATA/perf-default.txt")
[ "$total" = "$periods" ] && ok "every perf sample weighs its period ($total)" ||
	bad "perf periods: $total counted, $periods in the file"
"$FT" file --folded --count samples "$DATA/perf-default.txt" >"$TMP/count.folded"
total=$(awk '{ n += $NF } END { print n }' "$TMP/count.folded")
samples=$(grep -c '^[^[:space:]]' "$DATA/perf-default.txt")
[ "$total" = "$samples" ] && ok "--count samples counts every perf sample once ($total)" ||
	bad "perf samples: $total counted, $samples in the file"
# a time range weighs its samples as the whole profile does (it counted 1 each before)
run "--from/--to: each sample weighs its period" 0 "$TMP/perf.folded" - \
	"$FT" file --folded --from 0 --to 1000 "$DATA/perf-default.txt"
run "--from/--to with --count samples: one each" 0 "$TMP/count.folded" - \
	"$FT" file --folded --count samples --from 0 --to 1000 "$DATA/perf-default.txt"
run "a range past the end: empty, and says why" 0 "$TMP/empty" \
	'^flametui: no samples between 1000 s and 2000 s \(the profile spans 0\.4 s\)$' \
	"$FT" file --folded --from 1000 --to 2000 "$DATA/perf-default.txt"
run "--from past the end: empty, and says why" 0 "$TMP/empty" \
	'^flametui: no samples after 1000 s \(the profile spans 0\.4 s\)$' \
	"$FT" file --folded --from 1000 "$DATA/perf-default.txt"
# the written line names what is counted
run "--output names the unit" 0 - \
	"^flametui: wrote $TMP/perf.svg \\(SVG flame graph, $periods ns of cpu-clock\\)$" \
	"$FT" file --output "$TMP/perf.svg" "$DATA/perf-default.txt"
run "--count takes period or samples" 2 - \
	"^flametui: --count takes 'period' or 'samples', not 'cycles'$" \
	"$FT" file --count cycles "$DATA/perf-default.txt"
# perf script straight into flametui, as users will do it, when perf can record here
if command -v perf >/dev/null &&
	perf record -q -F 999 -g -o "$TMP/perf.data" -- \
		sh -c 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done' >/dev/null 2>&1; then
	perf script -i "$TMP/perf.data" 2>/dev/null |
		"$FT" file --folded - >"$TMP/live.folded" 2>"$TMP/err"
	if [ $? = 0 ] && grep -q '^sh;' "$TMP/live.folded"; then
		ok "perf script | flametui file -"
	else
		bad "perf script | flametui file -: $(head -c 300 "$TMP/err")"
	fi
fi

# Mixed events: the first is kept and stderr says what was left out.
run "mixed events: a note" 0 - \
	"^flametui: only the first event, page-faults, is shown: [0-9]+ samples of cpu-clock were left out" \
	"$FT" file --folded "$DATA/scp/mixed-events.txt"

# The graph's header names the unit: ns of cpu-clock for weighed samples, samples with --count.
if command -v tmux >/dev/null; then
	T="tmux -L ft-file-cli-$$"
	unit_shown() { # ARGS...: 0 when the header line shows the unit "$UNIT" within 10 s
		$T kill-server 2>/dev/null
		# a short relative path keeps the header's count on screen
		$T new-session -d -s ft -x 120 -y 20 -c "$DATA/scp" "$FT" file "$@" || return 1
		for _ in $(seq 100); do
			$T capture-pane -p -t ft 2>/dev/null | head -1 | grep -Eq "[0-9] $UNIT( |\$)" &&
				{ $T kill-server; return 0; }
			sleep 0.1
		done
		$T capture-pane -p -t ft >&2
		$T kill-server
		return 1
	}
	FT=$(realpath "$FT")
	UNIT="ns of cpu-clock" unit_shown perl-fixed-period.txt &&
		ok "header: ns of cpu-clock" || bad "header does not name ns of cpu-clock"
	UNIT="samples" unit_shown --count samples perl-fixed-period.txt &&
		ok "header: samples with --count samples" || bad "header does not say samples"
fi

# Empty input: not an error, but it says why the output is empty.
run "empty file" 0 "$TMP/empty" "^flametui: $TMP/empty holds no samples$" \
	"$FT" file --folded "$TMP/empty"
run "empty stdin" 0 "$TMP/empty" "^flametui: stdin holds no samples$" \
	sh -c '"$0" file --folded - </dev/null' "$FT"
printf 'a;b 3\nc 1\n' >"$TMP/two"
printf 'a;b 3 0\nc 1 0\n' >"$TMP/two-vs-empty"
run "diff against an empty profile says which is empty" 0 "$TMP/two-vs-empty" \
	"^flametui: $TMP/empty holds no samples$" "$FT" diff --folded "$TMP/two" "$TMP/empty"

# Bad input: exit 1, one line naming the file, line and the line itself.
printf '# header\n\nhello world\n' >"$TMP/x.txt"
want="^flametui: $TMP/x.txt:3: not a collapsed stack \\(\"a;b;c 12\"\\) nor perf script text: "
run "neither format" 1 - "$want\"hello world\"$" "$FT" file "$TMP/x.txt"
printf 'a;b 1\na;b 12.5\n' >"$TMP/float.txt"
run "float count" 1 - "^flametui: $TMP/float.txt:2: count is not an integer" \
	"$FT" file "$TMP/float.txt"
printf 'a 1\n\033]0;evil\007 x\n' >"$TMP/esc.txt"
run "escape sequences are quoted" 1 - '\\x1b\]0:evil|\\x1b]0;evil\\x07' "$FT" file "$TMP/esc.txt"
if grep -q $'\033' "$TMP/err"; then bad "raw ESC reached stderr"; fi
head -c 20 "$TMP/in.folded.gz" >"$TMP/t.gz"
run "truncated gzip" 1 - "^flametui: $TMP/t.gz: truncated gzip data$" "$FT" file "$TMP/t.gz"
head -c 12 "$TMP/in.folded.zst" >"$TMP/t.zst"
run "truncated zstd" 1 - "^flametui: (\\(stdin\\)|$TMP/t.zst): (truncated|corrupt) zstd data$" \
	sh -c '"$0" file - <"$1"' "$FT" "$TMP/t.zst"
run "missing file" 1 - "^flametui: cannot open $TMP/nope: No such file or directory$" \
	"$FT" file "$TMP/nope"
run "directory" 1 - "^flametui: $TMP: read error: Is a directory$" "$FT" file "$TMP"
run "/dev/zero" 1 - "line longer than 64 MiB" "$FT" file /dev/zero

# Command line.
run "--help" 0 - - "$FT" file --help
grep -q 'Usage: flametui file' "$TMP/out" || bad "--help text"
run "no path" 2 - "^flametui: file: missing PATH" "$FT" file
run "two paths" 2 - "unexpected argument" "$FT" file a b
run "unknown option" 2 "-" "unknown option '--frob'" "$FT" file --frob x

# Issue 12.7: a path with an escape sequence is quoted escaped in the error, never raw.
evil=$(printf 'y\033]2;PWNED\a.txt')
printf 'bad content\n' >"$TMP/$evil"
run "escaped path, bad content" 1 - 'y\\x1b\]2;PWNED\\x07\.txt:1: not a collapsed' \
	"$FT" file --folded "$TMP/$evil"
run "escaped path, missing file" 1 - 'cannot open .*ny\\x1b' "$FT" file --folded "$TMP/n$evil"
run "escaped unknown option" 2 - "unknown option '--xy\\\\x1b" "$FT" file "--x$evil" y
if grep -q "$(printf '\033')" "$TMP/err"; then bad "raw ESC on stderr"; fi

# Issue 12.8: a bad count on the first line says what is wrong with it, as on any other line.
printf 'a;b 99999999999999999999\n' >"$TMP/big1"
run "count too large, first line" 1 - 'big1:1: count too large' "$FT" file --folded "$TMP/big1"
printf 'a;b -3\n' >"$TMP/neg1"
run "negative count, first line" 1 - 'neg1:1: count is not an integer' \
	"$FT" file --folded "$TMP/neg1"

# Issue 12.6: --max-nodes bounds memory, names included: 150000 distinct 2 KB frames (300 MB of
# names, a few hundred KB compressed) with --max-nodes 100 stay far under their own size.
if command -v zstd >/dev/null && [ -x /usr/bin/time ]; then
	perl -e '$p = "x" x 2000; printf "main;f%d%s 1\n", $_, $p for 1..150000' |
		zstd -q -3 -o "$TMP/names.zst"
	/usr/bin/time -f '%M' -o "$TMP/rss" "$FT" file --folded --max-nodes 100 "$TMP/names.zst" \
		>"$TMP/out" 2>"$TMP/err"
	rc=$?
	kb=$(tail -1 "$TMP/rss")
	if [ "$rc" = 0 ] && [ "$kb" -lt 150000 ] && grep -q '^\[overflow\] ' "$TMP/out" &&
		grep -q 'went to \[overflow\]' "$TMP/err"; then
		ok "--max-nodes 100 on 300 MB of names: ${kb} KB RSS"
	else
		bad "--max-nodes 100 on 300 MB of names: rc $rc, ${kb} KB RSS, $(head -c 200 "$TMP/err")"
	fi
else
	bad "--max-nodes memory: needs zstd and /usr/bin/time (scripts/deps --test)"
fi

# Issue 12.8: pzstd output starts with a skippable frame; --long=31 (window 2 GiB) says what
# it needs instead of "corrupt".
printf 'a;b 3\nc 1\n' >"$TMP/small"
if command -v pzstd >/dev/null; then
	pzstd -q -c "$TMP/small" >"$TMP/p.zst"
	run "pzstd (skippable frame first)" 0 "$TMP/small" - "$FT" file --folded "$TMP/p.zst"
	{ pzstd -q -c "$TMP/small"; pzstd -q -c "$TMP/small"; } >"$TMP/p2.zst"
	printf 'a;b 6\nc 2\n' >"$TMP/small2"
	run "two pzstd streams" 0 "$TMP/small2" - "$FT" file --folded "$TMP/p2.zst"
else
	bad "pzstd: not installed (package zstd)"
fi
zstd -q --long=31 -c <"$TMP/small" >"$TMP/l31.zst"
run "zstd --long=31" 1 - 'l31.zst: zstd data made with --long needs a window .*--long=31' \
	"$FT" file --folded "$TMP/l31.zst"

# A reader that closes the pipe ends the output quietly with 0, however much is left to write
# (past the pipe's 64 KiB buffer a write fails: with SIGPIPE at its default that killed
# flametui, status 141); a full disk is an error with its reason.
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "a;b;c%d %d\n", i, i + 1 }' >"$TMP/many.folded"
for cmd in "file --folded" "file" "diff"; do
	args=("$TMP/many.folded")
	[ "$cmd" = diff ] && args+=("$TMP/many.folded")
	# shellcheck disable=SC2086
	"$FT" $cmd "${args[@]}" 2>"$TMP/err" | head -1 >/dev/null
	rc=${PIPESTATUS[0]}
	if [ "$rc" = 0 ] && [ ! -s "$TMP/err" ]; then
		ok "$cmd | head -1: status 0, quietly"
	else
		bad "$cmd | head -1: status $rc (want 0), stderr: $(head -c 300 "$TMP/err")"
	fi
	# shellcheck disable=SC2086
	"$FT" $cmd "${args[@]}" --folded >/dev/full 2>"$TMP/err"
	rc=$?
	if [ "$rc" = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
		grep -q '^flametui: writing the output failed: No space left on device$' "$TMP/err"; then
		ok "$cmd >/dev/full: status 1, says why"
	else
		bad "$cmd >/dev/full: status $rc (want 1), stderr: $(head -c 300 "$TMP/err")"
	fi
done

# flametui aggregate's headless --folded output: cumulative snapshots, read back added up,
# which the one line on stderr says (with the way to keep the last one, checked too)
printf '# time=1.0 elapsed=1.000 samples=2\na;b 2\n# time=2.0 elapsed=2.000 samples=5\na;b 4\nc 1\n' >"$TMP/agg.txt"
printf 'a;b 6\nc 1\n' >"$TMP/agg-sum"
run "live snapshots: said to be added up" 0 "$TMP/agg-sum" "holds 2 snapshots of flametui's live output, added together" \
	"$FT" file --folded "$TMP/agg.txt"
cmd=$(sed -n "s/.*(\(sed .*\) FILE)\$/\1/p" "$TMP/err")
printf 'a;b 4\nc 1\n' >"$TMP/agg-last"
run "live snapshots: the command given keeps the last" 0 "$TMP/agg-last" - \
	sh -c "$cmd \"\$1\" | \"\$0\" file --folded -" "$FT" "$TMP/agg.txt"

exit $fail
