#!/bin/sh
# SPDX-License-Identifier: MIT
# Drives the real `flametui file` in a detached tmux server and reads the screen back: moving
# the selection, zoom in/out, regex search and its match share, help, the function table,
# resizing (also while a frame is drawn), an escape sequence in a name shown escaped, and the
# terminal restored on quit and on SIGTERM. Usage: tmux-test.sh FLAMETUI. Exit 0 pass, 1 fail,
# 77 skip (no tmux).
set -u

FT=${1:?usage: tmux-test.sh FLAMETUI}
. "$(dirname "$0")/tmux-lib.sh"

selected() { until_ok row_is 38 "$1"; } # the name line (the status, row 38) reads NAME

# 100 samples: "leaf" appears in 60 of them; one name carries a screen-clearing escape.
printf 'main;work;leaf 50\nmain;other;leaf 10\nmain;idle 30\nmain;evil\033[2Jname 10\n' \
	>"$TMP/p.folded"

start "$FT file $TMP/p.folded"
wait_for '100 samples' || fail "header with the sample count"
screen | grep -q 'file: ' || fail "header names the source"
# the root at the bottom of the graph, selected: the name line reads "all"
until_ok row_is 38 all || fail "initial selection on the root"

# escape sequences in names are shown, escaped, and did not clear the screen
screen | grep -qF 'evil\x1b[2' || fail "escaped name"

# Up twice: main, then its widest child work
keys Up
wait_for '^main *$' || fail "Up selects main"
keys k
wait_for '^work *$' || fail "k selects work"
wait_for '^50 samples, 50\.00% of all' || fail "status shows samples and share"
# Left/Right walk the row (siblings in name order: evil..., idle, other, work)
keys Left
wait_for '^other *$' || fail "Left selects other"
keys d
selected work || fail "d selects work again"
keys a
selected other || fail "a selects other"
keys Right
selected work || fail "Right selects work again"
# WASD is whole: s is down (sorting moved to o); vi's h and l are not moves any more
keys s
selected main || fail "s selects the parent (down on the screen)"
keys w
selected work || fail "w selects the child again (up on the screen)"
# keys are handled in order: once o's message shows, h and l were handled (and did nothing)
keys h l o
wait_for 'siblings ordered by samples' || fail "o sorts siblings"
row_is 38 work || fail "h or l moved the selection"
keys o
wait_for 'siblings ordered by name' || fail "o again: by name"

# zoom: work fills the row (no neighbour on it), its ancestors stay (dimmed) full width
keys Enter
wait_for '100\.00% of zoom' || fail "zoomed status"
# (capture-pane drops trailing blanks: a row that reads just "work" has no neighbour)
[ "$(screen | grep -Ec '^work *$')" -eq 2 ] || fail "work alone on its row (and on the name line)"
screen | grep -Eq '^leaf *$' || fail "leaf fills the zoomed width"
screen | grep -q 'idle' && fail "idle hidden when zoomed into work"
keys BSpace
wait_for 'idle' || fail "Backspace zooms out"
# r resets the zoom and the selection: back on the root
keys Enter
wait_for '100\.00% of zoom' || fail "zoomed again"
keys r
selected all || fail "r selects the root again"
wait_gone 'zoomed' || fail "r resets the zoom"
keys Up k
selected work || fail "work selected again after r"

# search: leaf matches 60 of 100 samples
keys / l e a f Enter
wait_for 'Matched: 60\.00%' || fail "search match share"
keys Escape
wait_gone 'Matched:' || fail "Esc clears the search"
keys / '(' Enter
wait_for 'bad regular expression' || fail "bad regex reported"
keys Escape

# help overlay
keys '?'
wait_for 'flametui keys' || fail "help overlay"
keys Space
wait_gone 'flametui keys' || fail "help closes"

# table of functions, then Enter highlights the selected function in the graph
keys t
wait_for 'Function' || fail "table header"
wait_for ' 100 100\.00%  main$' || fail "table row for main"
wait_for 'o: sort by self' || fail "the table's status names o for sorting"
keys o
wait_for 'Self v' || fail "table sorted by self (o)"
keys Tab
wait_gone 'Function' || fail "Tab back to the graph"
keys t Down Enter
wait_gone 'Function' || fail "Enter leaves the table"
wait_for 'Matched: ' || fail "Enter highlights the function"
keys Escape

# icicle: root on top
keys i
wait_for '^all *$' || fail "icicle has the root row"
until_ok row_starts 1 all || fail "icicle root on the first graph row"
keys i

# resize: the layout follows the new size
$T resize-window -t ft -x 60 -y 20
until_ok lines_are 20 || fail "pane did not resize"
wait_for '^60 samples|^[0-9]+ samples' || fail "status line after resize"
until_ok row_starts 17 all || fail "root row moved to the new bottom"
[ "$(row 17 | sed 's/ *$//' | wc -c)" -le 61 ] || fail "rows fit the new width"
$T resize-window -t ft -x 30 -y 8
wait_for 'terminal too small' || fail "too small message"
$T resize-window -t ft -x 120 -y 40
wait_for '100 samples' || fail "graph back after growing"


# quit: terminal restored (alternate screen left, cursor visible), exit status 0
keys q
wait_for 'EXITED:0' || fail "exit status 0"
screen | grep -q 'samples' && fail "graph left on the screen after quit"
[ "$($T display -p -t ft '#{alternate_on}')" = "0" ] || fail "alternate screen still on"
[ "$($T display -p -t ft '#{cursor_flag}')" = "1" ] || fail "cursor still hidden"
$T kill-session -t ft # (tmux-lib's "keep" session holds the server)

# SIGTERM: the handler restores the terminal, then dies from the signal (128 + 15)
start "$FT file $TMP/p.folded"
wait_for '100 samples' || fail "second start"
shpid=$($T display -p -t ft '#{pane_pid}')
ftpid=$(ps -o pid= --ppid "$shpid" | head -n 1 | tr -d ' ')
[ -n "$ftpid" ] || fail "cannot find the flametui process"
kill -TERM "$ftpid"
wait_for 'EXITED:143' || fail "died from SIGTERM"
[ "$($T display -p -t ft '#{alternate_on}')" = "0" ] || fail "alternate screen on after SIGTERM"
[ "$($T display -p -t ft '#{cursor_flag}')" = "1" ] || fail "cursor hidden after SIGTERM"

# A resize that lands while a frame is being drawn is still seen, with no key after it: the
# function table of a wide profile takes tens of ms to build in the draw after `t`, and the
# resize follows the key by one tmux command (a few ms). Three fresh starts.
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "main;w;f%d 1\n", i; print "main;x 300000" }' \
	>"$TMP/wide.folded"
for i in 1 2 3; do
	$T kill-session -t ft 2>/dev/null
	start "$FT file $TMP/wide.folded"
	wait_for '600000 samples' || fail "wide profile shown ($i)"
	keys t
	$T resize-window -t ft -x 60 -y 20
	until_ok lines_are 20 || fail "pane did not resize ($i)"
	until_ok row_is 1 "  Self% Total%v  Function" ||
		fail "a resize during a draw was not seen: the table kept the old width ($i)"
	$T resize-window -t ft -x 120 -y 40
done

echo "PASS"
exit 0
