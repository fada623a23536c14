#!/usr/bin/env bash
# SIGINT/SIGTERM end sampling early: what was collected is printed, the exit is clean and no
# BPF program or link is left behind.
. "$(dirname "$0")/lib.sh"
need_bpf
command -v bpftool >/dev/null || PATH=$PATH:/usr/sbin
start ft-tree --seconds 10
for sig in INT TERM; do
	"$FT" fixed --hz 499 --ms 0 --pid "$PID" --folded >"$TMP/out.$sig" 2>"$TMP/err.$sig" &
	F=$!
	sleep 1.5
	check "the BPF program is loaded while sampling" sh -c "bpftool prog show | grep -q profile_sample"
	kill -$sig $F
	wait $F
	rc=$?
	check "SIG$sig: exit 0 ($rc)" [ $rc = 0 ]
	check "SIG$sig: samples were printed" grep -q 'leaf_a' "$TMP/out.$sig"
	check "SIG$sig: output is well-formed folded" awk '!/^[^ ].* [0-9]+$/ { exit 1 }' "$TMP/out.$sig"
	check "SIG$sig: no BPF program left" sh -c "! bpftool prog show | grep -q profile_sample"
	check "SIG$sig: no perf_event link left" sh -c "! bpftool link show | grep -q 'type perf_event'"
done
finish
