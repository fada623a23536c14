#!/usr/bin/env bash
# Issue 12: a root flametui profiling a process of an unprivileged user (nobody) whose files that
# user controls. Each case is an attack run as that user; flametui must end on time with status
# 0, say in one line what it refused or cut, and never show a root-only file's content.
. "$(dirname "$0")/lib.sh"
need_bpf
HERE=$(cd "$(dirname "$0")" && pwd)/hostile
PY=/usr/bin/python3.11
[ -x $PY ] || PY=/usr/bin/python3
AS_NOBODY=(setpriv --reuid nobody --regid nogroup --clear-groups --)
D=$TMP/nobody
mkdir -p "$D"
chown nobody:nogroup "$D"
chmod 755 "$TMP"

# ends NAME SECONDS CMD...: runs CMD with a deadline; $rc is its status (124 on the deadline).
ends() {
	local name=$1 secs=$2 t0 t1
	shift 2
	t0=$(date +%s.%N)
	timeout -s KILL "$secs" "$@"
	rc=$?
	t1=$(date +%s.%N)
	took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	echo "$name: status $rc after $took s"
}

# 1. SIGBUS: the owner truncates a library while flametui reads its symbol table, which the
# header puts in a sparse region (200 MiB: read; 1 GiB: over the section bound).
sigbus() {
	local size=$1 i crashed=0 named=0
	cp "$WL/ft-uselib" "$WL/libftwork.so" "$D/"
	$PY "$HERE/elfpatch.py" "$D/libftwork.so" 0x4000000 "$size"
	cp --sparse=always "$D/libftwork.so" "$TMP/libftwork.so.patched"
	chown nobody:nogroup "$D/ft-uselib" "$D/libftwork.so"
	(cd "$D" && exec "${AS_NOBODY[@]}" ./ft-uselib --seconds 40 >"$D/uselib.out" 2>&1) &
	local pid=$!
	PIDS="$PIDS $pid"
	"${AS_NOBODY[@]}" $PY "$HERE/truncloop.py" "$D/libftwork.so" 16384 30 &
	local loop=$!
	PIDS="$PIDS $loop"
	sleep 0.3
	for i in 1 2 3 4 5 6; do
		ends "sigbus $size run $i" 20 "$FT" fixed --hz 499 --ms 700 --pid "$pid" --folded \
			>"$TMP/sigbus.out" 2>"$TMP/sigbus.err"
		[ "$rc" = 0 ] || crashed=$((crashed + 1))
	done
	kill "$loop" 2>/dev/null
	wait "$loop" 2>/dev/null
	# the loop may have stopped with the file short: put the tail back in place (never
	# truncating what the workload runs from)
	dd if="$TMP/libftwork.so.patched" of="$D/libftwork.so" bs=16384 skip=1 seek=1 \
		conv=notrunc,sparse status=none
	truncate -s "$(stat -c %s "$TMP/libftwork.so.patched")" "$D/libftwork.so"
	ends "sigbus $size, file left alone" 20 "$FT" fixed --hz 499 --ms 700 --pid "$pid" \
		--folded >"$TMP/sigbus.out" 2>"$TMP/sigbus.err"
	[ "$rc" = 0 ] || crashed=$((crashed + 1))
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "truncated library ($size symtab): no run of 7 crashed ($crashed did)" [ $crashed = 0 ]
	check "library with a $size sparse symtab: lib_hot still named from .dynsym" \
		grep -q ';main;lib_hot' "$TMP/sigbus.out"
}
case_sigbus() {
	sigbus $((200 << 20))
	sigbus $((1 << 30))
}

# 3. A stripped program whose .gnu_debuglink names a file in its owner's directory: a 64-byte
# ELF header grown to 100 GB (sparse). The CRC32 is computed over at most 1 GiB.
debuglink() {
	cp "$WL/ft-tree" "$D/ft-tree.full"
	objcopy --only-keep-debug "$D/ft-tree.full" "$D/ft-tree.debug"
	objcopy --strip-all --add-gnu-debuglink="$D/ft-tree.debug" "$D/ft-tree.full" "$D/ft-tree"
	head -c 64 "$D/ft-tree.full" >"$D/ft-tree.debug"
	truncate -s 100G "$D/ft-tree.debug"
	chown nobody:nogroup "$D/ft-tree" "$D/ft-tree.debug"
	(cd "$D" && exec "${AS_NOBODY[@]}" ./ft-tree --seconds 30 >"$D/tree.out" 2>&1) &
	local pid=$!
	PIDS="$PIDS $pid"
	sleep 0.3
	ends "sparse debug file" 20 "$FT" fixed --hz 499 --ms 1000 --pid "$pid" --folded \
		>"$TMP/dbg.out" 2>"$TMP/dbg.err"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "100 GB sparse debug file: ends on time with status 0 (rc $rc, $took s)" \
		within "$rc" 0 0
	check "100 GB sparse debug file: samples of the process kept" grep -q '^ft-tree' "$TMP/dbg.out"
	# a symlink in place of the debug file is not followed
	rm "$D/ft-tree.debug"
	ln -s "$D/ft-tree.full" "$D/ft-tree.debug"
	(cd "$D" && exec "${AS_NOBODY[@]}" ./ft-tree --seconds 30 >"$D/tree.out" 2>&1) &
	pid=$!
	PIDS="$PIDS $pid"
	sleep 0.3
	"$FT" fixed --hz 499 --ms 700 --pid "$pid" --folded >"$TMP/dbg.out" 2>"$TMP/dbg.err"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check "symlinked debug file: not followed (static run_thread() not named)" \
		not grep -q ';run_thread;' "$TMP/dbg.out"
}
not() { ! "$@"; }
case_debuglink() { debuglink; }

# ONLY="debuglink ..." runs some cases (while working on one).
for c in ${ONLY:-sigbus debuglink}; do
	"case_$c"
done
finish
