#!/bin/sh
# SPDX-License-Identifier: MIT
# The analysis views in the real `flametui file`, driven in tmux: bottom-up (b) opened,
# navigated, searched and left from the graph; a sandwich (x) opened from the table and from
# the graph, switched between callers and callees, and left with Esc; the function table
# opened from inside a view. Usage: tmux-views-test.sh FLAMETUI. Exit 0 pass, 1 fail, 77 skip.
set -u

FT=${1:?usage: tmux-views-test.sh FLAMETUI}
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed"; exit 77; }
[ -x "$FT" ] || { echo "no binary at $FT"; exit 77; }

SOCK="ft-tui-views-$$"
. "$(dirname "$0")/tmux-lib.sh"

# 100 samples; leaf ends 60 of them through two callers; parse is called from two places.
printf 'app;main;work;leaf 50\napp;main;other;leaf 10\n' >"$TMP/p.folded"
printf 'app;main;parse 25\napp;main;work;parse 15\n' >>"$TMP/p.folded"
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
echo PASS
