#!/bin/sh
# SPDX-License-Identifier: MIT
# `flametui diff` in a real terminal (tmux): frames coloured by their change (red grew, blue
# shrank, read from the escape sequences tmux keeps), the status line with both sides and
# the change, the table with before/after/delta columns (sortable, functions that went away
# listed), B flipping total/self, e writing the differential SVG, --negate showing what
# went away. Usage: tmux-diff-test.sh FLAMETUI DATA_DIR. Exit 0 pass, 1 fail, 77 skip.
set -u

FT=${1:?usage: tmux-diff-test.sh FLAMETUI DATA_DIR}
DATA=$(cd "${2:?data dir}" && pwd)
. "$(dirname "$0")/tmux-lib.sh"

# The background colours (256-colour indices) of the screen row whose text contains $1.
bg_of_row() {
	$T capture-pane -e -p -t ft | grep -F -- "$1" | grep -o '48;5;[0-9]*' | sort -u
}

start "$FT diff $DATA/before.folded $DATA/after.folded"
wait_for 'before\.folded -> .*after\.folded' || fail "header names the profiles"
wait_for '^before 1000 \(100\.00%\) after 1234 \(100\.00%\)' || fail "status for the root"
keys Up Up
wait_for '^render *$' || fail "Up Up selects render (main's widest child)"
# render: 35.00% of BEFORE (200+150), 59.48% of AFTER (260+150+324): grew by total, not self
wait_for '^before 350 \(35\.00%\) after 734 \(59\.48%\) \| total \+24\.48, self \+0\.00 pts \| colour by total \(B\)' ||
	fail "status: both sides and the change"
# render grew by 24.48 points, near the largest change (new_cache +26.26): the strongest red;
# lex shrank 30.00% -> 12.16%: a strong blue; the root is not coloured by change
bg_of_row 'lex' | grep -qx '48;5;69' || fail "lex (shrank) in blue 69: $(bg_of_row lex)"
bg_of_row 'new_cache' | grep -qx '48;5;160' || fail "new_cache (grew most) in red 160"
# the table: both sides and the change; a function that went away has its row
keys t
wait_for 'Before +Before% +After v +After% +Delta +Self +Function' || fail "diff table header"
wait_for ' 120  12\.00% +0   0\.00% +-12\.00 +0  gone$' || fail "BEFORE-only function listed"
wait_for ' 0   0\.00% +324  26\.26% +\+26\.26 +324  new_cache$' || fail "new function listed"
keys o
wait_for 'Delta v' || fail "s sorts by the change"
[ "$(screen | sed -n 3p | sed 's/.*  //')" = "new_cache" ] ||
	fail "largest growth first: $(screen | sed -n 3p)"
keys t
wait_gone 'Before%' || fail "t back to the graph"
keys B
wait_for 'colours by the change of self samples' || fail "b says what it did"
keys Right
wait_for 'colour by self \(B\)' || fail "b switched the colouring to self"
# by self, layout (150 -> 150 samples, 15.00% -> 12.16%) is blue; render itself (no self) white
export_to "$TMP/d.svg"
wait_for 'wrote .*d\.svg \(differential SVG flame graph\)' || fail "e writes the differential svg"
grep -q 'Differential flame graph' "$TMP/d.svg" || fail "svg titled differential"
# the SVG's colours are the terminal's: new_cache in red 160 (rgb 215,0,0), by self too
grep -q 'data-n="new_cache".*fill="rgb(215,0,0)"' "$TMP/d.svg" ||
	fail "svg: new_cache in the terminal's red 160"
export_to "$TMP/d.folded"
wait_for "wrote .*d\.folded \(difffolded" || fail "e writes the difffolded lines"
[ "$(LC_ALL=C sort "$TMP/d.folded")" = "$(cat "$DATA/difffolded.expected")" ] ||
	fail "the lines e wrote are difffolded.pl's"
keys q
wait_for '^EXITED:0' || fail "q exits 0"
$T kill-session -t ft

start "$FT diff --negate $DATA/before.folded $DATA/after.folded"
wait_for 'negated: BEFORE shown' || fail "header says negated"
wait_for 'old_path' || fail "negated: the frame that went away is drawn"
bg_of_row 'old_path' | grep -q '48;5;\(189\|153\|147\|111\|75\|69\|33\|27\)$' ||
	fail "negated: it is blue (it shrank): $(bg_of_row old_path)"
keys q
wait_for '^EXITED:0' || fail "q exits 0 (negated)"
echo "PASS"
