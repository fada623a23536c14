#!/usr/bin/env bash
# SIGINT/SIGTERM end sampling early: what was collected is printed, the exit is clean and no
# BPF program or link is left behind.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v bpftool >/dev/null || PATH=$PATH:/usr/sbin
start ft-tree --seconds 10
for sig in INT TERM; do
	before=$(bpf_ids)
	"$FT" fixed --hz 499 --ms 0 --pid "$PID" --folded >"$TMP/out.$sig" 2>"$TMP/err.$sig" &
	F=$!
	sleep 1.5
	ours=$(comm -13 <(echo "$before") <(bpf_ids))
	check "SIG$sig: the BPF program is loaded while sampling" [ -n "$ours" ]
	kill -$sig $F
	wait $F
	rc=$?
	check "SIG$sig: exit 0 ($rc)" [ $rc = 0 ]
	check "SIG$sig: samples were printed" grep -q 'leaf_a' "$TMP/out.$sig"
	check "SIG$sig: output is well-formed folded" awk '!/^[^ ].* [0-9]+$/ { exit 1 }' "$TMP/out.$sig"
	check "SIG$sig: no BPF program or link left" bpf_gone $ours
done
finish
