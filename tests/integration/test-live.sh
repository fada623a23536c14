#!/usr/bin/env bash
# Live modes, headless: ring evicts exactly (leaf_a leaves the window after the workload moves
# to leaf_b), aggregate only grows, every snapshot is parseable folded text, and a long ring run
# keeps flametui's memory flat.
. "$(dirname "$0")/lib.sh"
need_bpf

# snapshots FILE: "elapsed total leaf_a leaf_b" per snapshot
snapshots() {
	awk '/^# time=/ { if (e != "") print e, t, a, b; split($3, x, "="); e = x[2]; t = a = b = 0; next }
	     { t += $NF; if ($0 ~ /;leaf_a /) a += $NF; if ($0 ~ /;leaf_b /) b += $NF }
	     END { if (e != "") print e, t, a, b }' "$1"
}

# ring: 2 slots of 500 ms; the workload runs leaf_a for 2.5 s, then leaf_b for 2.5 s
"$FT" ring --hz 499 --ms 500 --n 2 --folded -- sh -c "exec '$WL/ft-tree' --seconds 5 --phase >/dev/null" \
	>"$TMP/ring" 2>"$TMP/ring.err"
check "ring exits 0 when stopped by the command's end" [ $? = 0 ]
snapshots "$TMP/ring" >"$TMP/ring.snap"
cat "$TMP/ring.snap"
check "ring printed a snapshot per slot" [ "$(wc -l <"$TMP/ring.snap")" -ge 8 ]
check "early windows hold leaf_a" awk '$1 < 2.2 && $1 > 0.9 && $3 == 0 { exit 1 }' "$TMP/ring.snap"
check "after a full window past the switch, leaf_a is gone" awk '$1 > 4.0 && $1 < 4.9 { n++; if ($3 != 0) exit 1 } END { exit !n }' "$TMP/ring.snap"
check "later windows hold leaf_b" awk '$1 > 4.0 && $1 < 4.9 && $4 == 0 { exit 1 }' "$TMP/ring.snap"
# a full window is two slots: about 499 samples, never more than the window can hold
check "window totals are bounded by the window (2 x 0.5 s x 499 Hz)" awk '$2 > 499 * 1.15 { exit 1 }' "$TMP/ring.snap"
check "full windows hold about a window of samples" awk '$1 > 1.4 && $1 < 4.9 { if ($2 < 499 * 0.4) exit 1 }' "$TMP/ring.snap"
check "ring snapshots are folded text" awk '!/^# time=/ && !/^[^ ].* [0-9]+$/ { exit 1 }' "$TMP/ring"

# aggregate: counts only grow
"$FT" aggregate --hz 299 --refresh 400 --folded -- sh -c "exec '$WL/ft-tree' --seconds 2.5 >/dev/null" \
	>"$TMP/agg" 2>"$TMP/agg.err"
check "aggregate exits 0" [ $? = 0 ]
snapshots "$TMP/agg" >"$TMP/agg.snap"
check "aggregate printed several snapshots" [ "$(wc -l <"$TMP/agg.snap")" -ge 5 ]
check "aggregate totals never shrink" awk 'NR > 1 && $2 < prev { exit 1 } { prev = $2 }' "$TMP/agg.snap"
check "no stack's count ever shrinks" awk '/^# time=/ { next } { c = $NF; $NF = ""; if (c < seen[$0]) exit 1; seen[$0] = c }' "$TMP/agg"
check "aggregate snapshots are folded text" awk '!/^# time=/ && !/^[^ ].* [0-9]+$/ { exit 1 }' "$TMP/agg"

# --max-nodes: 2000 short-lived children (a root frame per thread each) overflow a 300-node
# trie; the excess is counted under [overflow], never dropped
"$FT" aggregate --hz 999 --max-nodes 300 --folded -- "$WL/ft-forker" storm 2000 >"$TMP/ov" 2>"$TMP/ov.err"
check "overflow: exit 0" [ $? = 0 ]
check "overflow: reported on stderr" grep -Eq '^flametui: [1-9][0-9]* samples went to \[overflow\]: the trie reached --max-nodes 300' "$TMP/ov.err"
check "overflow: an [overflow] frame holds them" grep -q '^\[overflow\] [1-9]' "$TMP/ov"
check "overflow: each snapshot still adds up to its sample count" awk '
	/^# time=/ { if (n && t != want) exit 1; split($4, x, "="); want = x[2]; t = 0; n = 1; next }
	{ t += $NF } END { exit !(n && t == want) }' "$TMP/ov"

# process churn: 8000 short-lived children bring 8000 thread names; the ring compacts its trie
# to the names in use, and every window still adds up. Compaction is judged once a second, when
# names outnumber nodes: during the storm the live threads' nodes may keep it from happening,
# so the run goes on 2 s past the storm, when the windows hold almost nothing.
"$FT" ring --hz 999 --ms 200 --n 2 --verbose --folded -- \
	sh -c "'$WL/ft-forker' storm 8000 && sleep 2" >"$TMP/churn" 2>"$TMP/churn.err"
check "churn: exit 0" [ $? = 0 ]
check "churn: names were compacted" grep -Eq 'compacted [1-9][0-9]* times' "$TMP/churn.err"
check "churn: every window adds up to its sample count" awk '
	/^# time=/ { if (n && t != want) exit 1; split($4, x, "="); want = x[2]; t = 0; n = 1; next }
	{ t += $NF } END { exit !(n && t == want) }' "$TMP/churn"

# memory: a ring run at a high rate keeps the RSS flat
"$FT" ring --hz 4999 --ms 100 --n 5 --folded -- sh -c "exec '$WL/ft-tree' --seconds 14 --threads 2 >/dev/null" \
	>/dev/null 2>"$TMP/mem.err" &
F=$!
PIDS="$PIDS $F"
sleep 4
r1=$(awk '/^VmRSS/ { print $2 }' /proc/$F/status)
sleep 9
r2=$(awk '/^VmRSS/ { print $2 }' /proc/$F/status)
wait $F
echo "RSS at 4 s: $r1 kB, at 13 s: $r2 kB"
check "ring RSS flat within 10% (+1 MiB) ($r1 -> $r2 kB)" awk -v a="$r1" -v b="$r2" 'BEGIN { exit !(a > 0 && b <= a * 1.1 + 1024) }'
finish
