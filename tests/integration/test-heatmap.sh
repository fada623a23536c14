#!/bin/bash
# SPDX-License-Identifier: MIT
# A recording of a workload that alternates phases (leaf_a the first 300 ms of every second,
# leaf_b the other 700 ms), 5 s with the real BPF program: the recording opens, and its time
# ranges show the pattern, measured per heat-map row band: rows in the first 300 ms of each
# second are almost all leaf_a, the rest almost all leaf_b. -- CMD starts the workload as
# sampling starts, so the recording's first sample is within milliseconds of its clock.
source "$(dirname "$0")/lib.sh"
need_bpf

rec="$TMP/alt.ftrec"
"$FT" record --hz 199 -o "$rec" -- "$WL/ft-tree" --alternate --seconds 5 >"$TMP/rec.out" 2>&1
rc=$?
check "record exits 0 ($(tail -1 "$TMP/rec.out"))" [ $rc = 0 ]
check "the summary counts the samples" grep -q 'recorded [0-9]* samples' "$TMP/rec.out"
"$FT" file --folded "$rec" >"$TMP/all.folded"
n=$(total "$TMP/all.folded")
# 5 s at 199 Hz of one busy thread: ~995 when it has a CPU to itself; others share this
# machine (a loaded run gave 274), so a floor for the shares to mean something, and the cap
check "up to 5 s of samples at 199 Hz ($n)" [ "$n" -ge 150 -a "$n" -le 1100 ]
# a file the invoking user owns under sudo
if [ -n "${SUDO_UID:-}" ]; then
	check "the recording belongs to the sudo user" [ "$(stat -c %u "$rec")" = "$SUDO_UID" ]
fi
chmod 1777 "$TMP" # the sudo user must be able to create files there
SUDO_UID=65534 SUDO_GID=65534 "$FT" record --hz 49 --ms 300 -o "$TMP/nobody.ftrec" \
	>/dev/null 2>&1
check "under sudo the file is created as SUDO_UID/SUDO_GID" \
	[ "$(stat -c %u:%g "$TMP/nobody.ftrec" 2>/dev/null)" = 65534:65534 ]

# -o on a sampling command: the recording read back is exactly what it printed
"$FT" fixed --hz 199 -o "$TMP/fx.ftrec" --folded -- \
	sh -c "exec '$WL/ft-tree' --seconds 1 >/dev/null" 2>/dev/null | sort >"$TMP/fx.folded"
"$FT" file --folded "$TMP/fx.ftrec" | sort >"$TMP/fx-rec.folded"
check "fixed -o: the recording gives exactly fixed's stacks ($(total "$TMP/fx.folded") samples)" \
	cmp -s "$TMP/fx.folded" "$TMP/fx-rec.folded"
check "and is not empty" [ "$(total "$TMP/fx.folded")" -gt 20 ]

a_total=0 a_hits=0 b_total=0 b_hits=0
for s in 0 1 2 3; do
	# rows 1..13 of 50 (20..280 ms) and 18..47 (360..960 ms): away from the phase edges
	"$FT" file --folded --from "$s.02" --to "$s.28" "$rec" | grep '^ft-tree;' >"$TMP/a$s.folded"
	"$FT" file --folded --from "$s.36" --to "$s.96" "$rec" | grep '^ft-tree;' >"$TMP/b$s.folded"
	a_total=$((a_total + $(total "$TMP/a$s.folded")))
	a_hits=$((a_hits + $(grep 'leaf_a' "$TMP/a$s.folded" | awk '{t += $NF} END {print t + 0}')))
	b_total=$((b_total + $(total "$TMP/b$s.folded")))
	b_hits=$((b_hits + $(grep 'leaf_b' "$TMP/b$s.folded" | awk '{t += $NF} END {print t + 0}')))
done
echo "first 300 ms rows: $a_hits of $a_total leaf_a; later rows: $b_hits of $b_total leaf_b"
check "the ranges hold samples of their time (up to ~52 and ~119 per second)" \
	[ "$a_total" -ge 30 -a "$b_total" -ge 60 ]
# at_least90 HITS TOTAL: some samples, and 90% of them hits
at_least90() { [ "$2" -gt 0 ] && [ $(($1 * 100)) -ge $(($2 * 90)) ]; }
check "rows of the first 300 ms are dominated by leaf_a (>= 90%)" at_least90 "$a_hits" "$a_total"
check "rows after them by leaf_b (>= 90%)" at_least90 "$b_hits" "$b_total"
# the range of those rows as one flame graph: almost all leaf_a
"$FT" file --folded --from 1.02 --to 1.28 "$rec" | grep '^ft-tree;' >"$TMP/r.folded"
check "a range of those rows gives a graph that is almost all leaf_a ($(share "$TMP/r.folded" leaf_a)%)" \
	awk -v s="$(share "$TMP/r.folded" leaf_a)" 'BEGIN { exit !(s >= 90) }'

# The reference: perf's own recording of the same workload, as FlameScope reads it
# (perf script --header, gzipped), gives the same pattern through the same ranges.
if command -v perf >/dev/null; then
	perf record -q -F 199 -g -o "$TMP/perf.data" -- "$WL/ft-tree" --alternate --seconds 4 \
		>/dev/null 2>&1
	perf script --header -i "$TMP/perf.data" 2>/dev/null | gzip >"$TMP/perf.txt.gz"
	pa=0 pt=0
	for s in 0 1 2; do
		"$FT" file --folded --from "$s.02" --to "$s.28" "$TMP/perf.txt.gz" |
			grep '^ft-tree;' >"$TMP/p$s.folded"
		pt=$((pt + $(total "$TMP/p$s.folded")))
		pa=$((pa + $(grep 'leaf_a' "$TMP/p$s.folded" | awk '{t += $NF} END {print t + 0}')))
	done
	echo "perf script --header (gzip): first 300 ms rows: $pa of $pt leaf_a"
	check "perf's recording of it, read from perf script --header text, shows the same" \
		at_least90 "$pa" "$pt"
else
	echo "FAIL: perf is not installed (scripts/deps --test installs linux-perf)" >&2
	fail=1
fi
exit $fail
