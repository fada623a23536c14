#!/bin/sh
# SPDX-License-Identifier: MIT
# Key e in the real `flametui file` (tmux): the zoomed view written to the file typed, in the
# format its extension names; the whole graph when not zoomed; a bad name reported in the
# status line. Usage: tmux-export-test.sh FLAMETUI. Exit 0 pass, 1 fail, 77 skip (no tmux).
set -u

FT=${1:?usage: tmux-export-test.sh FLAMETUI}
. "$(dirname "$0")/tmux-lib.sh"

# 100 samples: "leaf" appears in 60 of them; one name has markup in it.
printf 'main;work;leaf 50\nmain;other;leaf 10\nmain;idle 30\nmain;a<b>&c 10\n' >"$TMP/p.folded"

start "$FT file $TMP/p.folded"
wait_for '100 samples' || fail "header with the sample count"
keys e
wait_for '^export to \(\.svg .*\): flametui\.svg_' || fail "the prompt suggests flametui.svg"
keys Escape
wait_gone '^export to' || fail "Esc closes the export prompt"

# zoomed into work: only the stacks through it are written, from the root down
keys Up k
wait_for '^work *$' || fail "k selects work"
keys Enter
wait_for '100\.00% of zoom' || fail "zoomed"
export_to "$TMP/zoom.folded"
wait_for 'wrote .*zoom\.folded \(collapsed stacks, 50 samples, the zoomed frame\)' ||
	fail "status line says what was written"
[ "$(cat "$TMP/zoom.folded")" = "main;work;leaf 50" ] || fail "zoomed export: $(cat "$TMP/zoom.folded")"

# the next prompt starts from the last name; the whole graph when not zoomed
keys BSpace
wait_for 'idle' || fail "zoomed out"
keys e
wait_for "^export to .*zoom\.folded_" || fail "the prompt remembers the last file"
keys Escape
export_to "$TMP/all.svg"
wait_for 'wrote .*all\.svg \(SVG flame graph, 100 samples\)' || fail "svg written"
grep -q 'data-n="idle"' "$TMP/all.svg" || fail "svg has every frame"
grep -q 'data-n="a&lt;b&gt;&amp;c"' "$TMP/all.svg" || fail "svg escapes names"

# the search is part of the view: the SVG opens with it applied
keys / l e a f Enter
wait_for 'Matched: 60\.00%' || fail "search"
export_to "$TMP/found.svg"
wait_for 'wrote .*found\.svg' || fail "svg with a search written"
grep -q ' data-search="leaf"' "$TMP/found.svg" || fail "the svg carries the search"
keys Escape

# a name with no known extension: said in the status line, nothing written
export_to "$TMP/x.png"
wait_for "cannot tell the format of '.*x\.png'" || fail "bad extension reported"
[ -e "$TMP/x.png" ] && fail "nothing is written for a bad name"
export_to "/nonexistent-dir/y.svg"
wait_for "cannot create a file in the directory of '/nonexistent-dir/y.svg'" ||
	fail "unwritable directory reported"

keys q
wait_for '^EXITED:0' || fail "q exits 0"
echo "PASS"
