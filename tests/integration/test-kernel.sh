#!/usr/bin/env bash
# A syscall-heavy workload shows kernel frames (suffixed _[k]) under its user frames, named
# from kallsyms.
. "$(dirname "$0")/lib.sh"
need_bpf
start ft-syscalls --seconds 6
"$FT" fixed --hz 999 --ms 2000 --pid "$PID" --folded >"$TMP/out" 2>&1
k=$(share "$TMP/out" '_\[k\]')
echo "samples with kernel frames: $k%"
check "most samples are in the kernel ($k%)" within "$k" 75 25
check "kernel frames follow user frames: main;...;X_[k]" grep -Eq '^ft-syscalls;.*main;([^;]*;)*[a-z_0-9.]+_\[k\]' "$TMP/out"
check "a syscall path is named" grep -Eq '(do_syscall_64|ksys_write|vfs_write|__x64_sys_write|entry_SYSCALL_64)[^;]*_\[k\]' "$TMP/out"
kernel_last() { awk '{ sub(/ [0-9]+$/, ""); n = split($0, f, ";"); k = 0; for (i = 2; i <= n; i++) { if (f[i] ~ /_\[k\]$/) k = 1; else if (k) exit 1 } }' "$1"; }
check "no user frame after a kernel frame" kernel_last "$TMP/out"
check "no hex-only kernel names" sh -c "! grep -Eq ';(0x)?[0-9a-f]{12,}_\[k\]' '$TMP/out'"
finish
