#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs one libFuzzer target for a while (the meson 'fuzz' suite): builds it with clang if
# needed, fuzzes starting from a temporary copy of tests/corpus/TARGET (nothing is written to
# the source tree; new inputs accumulate in OUTDIR/corpus/TARGET), and on a crash, leak or hang
# prints the failing input, which libFuzzer saved under OUTDIR/artifacts/TARGET/.
# Usage: run.sh TARGET SECONDS OUTDIR   (FT_FUZZ_SECONDS overrides SECONDS)
# Exit: 0 nothing found, 1 a finding or a build error, 77 no clang fuzzer runtime.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS OUTDIR}
seconds=${FT_FUZZ_SECONDS:-${2:?usage: run.sh TARGET SECONDS OUTDIR}}
out=${3:?usage: run.sh TARGET SECONDS OUTDIR}

"$here/build.sh" "$out" "$target"
rc=$?
[ $rc = 0 ] || exit $rc

tmp=$(mktemp -d "${TMPDIR:-/tmp}/flametui-fuzz-$target.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/seeds" "$out/corpus/$target" "$out/artifacts/$target"
if [ -d "$root/tests/corpus/$target" ]; then
	cp -R "$root/tests/corpus/$target/." "$tmp/seeds/"
fi
: >"$tmp/before"
ls "$out/artifacts/$target" >"$tmp/before"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzzing $target for ${seconds}s"
"$out/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$out/artifacts/$target/" \
	"$out/corpus/$target" "$tmp/seeds" >"$tmp/log" 2>&1
rc=$?
if [ $rc = 0 ]; then
	grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$tmp/log"
	exit 0
fi
# The log holds the sanitizer report; the artifact is the input that triggered it.
tail -n 80 "$tmp/log"
ls "$out/artifacts/$target" | comm -13 "$tmp/before" - | while read -r f; do
	a="$out/artifacts/$target/$f"
	echo "== failing input: $a ($(wc -c <"$a") bytes)"
	od -A d -c "$a" | head -n 40
	echo "== reproduce: $out/fuzz-$target $a"
	echo "== once fixed, keep it: cp $a $root/tests/corpus/$target/"
done
exit 1
