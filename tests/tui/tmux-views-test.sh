#!/bin/sh
# SPDX-License-Identifier: MIT
# The analysis views in the real `flametui file`, driven in tmux: bottom-up (b) opened,
# navigated, searched and left from the graph; a sandwich (x) opened from the table and from
# the graph, switched between callers and callees, and left with Esc; the function table
# opened from inside a view; by binary (m) on perf script text, with the table's binaries. Usage: tmux-views-test.sh FLAMETUI. Exit 0 pass, 1 fail, 77 skip.
set -u

FT=${1:?usage: tmux-views-test.sh FLAMETUI}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
[ -x "$FT" ] || { echo "no binary at $FT"; exit 77; }

SOCK="ft-tui-views-$$"
. "$(dirname "$0")/tmux-lib.sh"

# 100 samples; leaf ends 60 of them through two callers; parse is called from two places.
printf 'app;main;work;leaf 50\napp;main;other;leaf 10\n' >"$TMP/p.folded"
printf 'app;main;parse 25\napp;main;work;parse 15\n' >>"$TMP/p.folded"
keep_server
$T new-session -d -s ft -x 120 -y 30 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color \
	$FT file $TMP/p.folded; echo EXITED:\$?; sleep 60" ||
	fail "tmux new-session"
wait_for '100 samples' || fail "header"

# bottom-up from the graph: the widest root is leaf (60), then its callers
keys b
wait_for '\| bottom-up' || fail "b opens bottom-up"
keys Up
wait_for '^leaf *$' || fail "bottom-up: leaf is the widest root"
wait_for '^60 samples, 60\.00% of all' || fail "bottom-up: leaf's self samples"
keys Up
wait_for '^work *$' || fail "bottom-up: work calls leaf most"
wait_for '^50 samples' || fail "bottom-up: 50 samples through work"
keys / p a r s e Enter
wait_for 'Matched: 40\.00%' || fail "search in bottom-up"
keys Escape
keys Escape
wait_gone 'bottom-up' || fail "Esc leaves bottom-up"
[ "$(screen | sed -n 29p | sed 's/ *$//')" = "all" ] || fail "the graph's selection is back"

# a sandwich from the table: parse (40 of 100, from main and from work)
keys t
wait_for 'Function' || fail "table"
wait_for 'x: sandwich' || fail "table offers the sandwich"
keys / p a r s e Enter
wait_for '1 functions matching' || fail "table filter"
keys x
wait_for '\| sandwich parse: callers, self 40\.00% total 40\.00%' || fail "x on a row"
# both halves drawn: parse at the bottom of the callers and at the top of the callees
[ "$(screen | grep -c '^parse *$')" = 2 ] || fail "callers above, callees below"
keys Up Up
wait_for '^main *$' || fail "sandwich: main calls parse"
wait_for '^25 samples, 25\.00% of all, 62\.50% of zoom' ||
	fail "sandwich: 25 of parse's 40 called from main"
keys Up
wait_for '^app *$' || fail "sandwich: main's caller app"
keys x
wait_for 'sandwich parse: callees' || fail "x again: callees"
keys Tab
wait_for 'Function' || fail "table from inside the sandwich"
keys Tab
wait_for 'sandwich parse: callees' || fail "back from the table into the sandwich"
keys Escape
wait_gone 'sandwich' || fail "Esc leaves the sandwich"

# a sandwich from the graph: Up selects app, then main
keys Up Up
wait_for '^main *$' || fail "graph: select main"
keys x
wait_for 'sandwich main: callers' || fail "x in the graph"
keys BSpace
wait_gone 'sandwich' || fail "Backspace leaves the sandwich"
wait_for '^main *$' || fail "the selection is back on main"
keys q
wait_for 'EXITED:' || fail "did not exit"
screen | grep -q 'EXITED:0' || fail "exit status"
$T kill-session -t ft

# by binary (m) on perf script text, which names each frame's binary: 3 samples in libc's
# strlen, 1 in the kernel; the status line and the table name the binaries
cat >"$TMP/p.txt" <<'PERF'
sh 1 1.0: cpu-clock:
	7f0000001000 strlen (/usr/lib/x86_64-linux-gnu/libc.so.6)
	2000 main (/bin/sh)

sh 1 1.1: cpu-clock:
	7f0000001000 strlen (/usr/lib/x86_64-linux-gnu/libc.so.6)
	2000 main (/bin/sh)

sh 1 1.2: cpu-clock:
	7f0000001000 strlen (/usr/lib/x86_64-linux-gnu/libc.so.6)
	2000 main (/bin/sh)

sh 1 1.3: cpu-clock:
	ffffffff81000001 do_syscall_64 ([kernel.kallsyms])
	2000 main (/bin/sh)
PERF
keep_server
$T new-session -d -s ft -x 120 -y 30 "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=screen-256color \
	$FT file $TMP/p.txt; echo EXITED:\$?; sleep 60" ||
	fail "tmux new-session (perf script)"
wait_for '4 samples' || fail "perf script header"
keys Up Up
wait_for '^main *$' || fail "graph: main"
wait_for '| in sh$' || fail "status line names main's binary"
keys m
wait_for '| by binary (m: back)' || fail "m opens the binaries"
keys Up
wait_for '^libc\.so\.6 *$' || fail "by binary: libc is the widest"
wait_for '^3 samples, 75\.00% of all' || fail "by binary: libc's share"
keys Left
wait_for '^\[kernel\] *$' || fail "by binary: the kernel next to it (names in order)"
wait_for '^1 samples, 25\.00% of all' || fail "by binary: the kernel's share"
keys Right Up Up Up
wait_for '^strlen *$' || fail "by binary: the stacks above libc"
wait_for '| in libc\.so\.6$' || fail "by binary: strlen's binary"
keys t
wait_for 'Binary' || fail "the table's binary column"
wait_for 'libc\.so\.6 *strlen' || fail "the table names strlen's binary"
keys t
keys Escape
wait_gone 'by binary' || fail "Esc leaves the binaries"
keys q
wait_for 'EXITED:' || fail "did not exit (perf script)"
screen | grep -q 'EXITED:0' || fail "exit status (perf script)"
echo PASS
