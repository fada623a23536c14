#!/usr/bin/env bash
# A recording replays with the live view's binaries and source lines (issue 17): `fixed -o`
# profiles a clang -g workload whose samples are in its own code, libc and the kernel; then
# `flametui file` of that recording shows the same per-binary view (m), the same table with
# its Binary column, the same status line (`in ft-sys | syscalls.c:N`) and the same L list as
# the live view did, and L's lines are lines addr2line gives for the function's addresses.
# Once the binary changed (its build-id gone), the replay gives no lines and says why.
# perf script text of the same program (perf record -g) gives main's source line too: the one
# addr2line gives for main's hottest address in the text (less one: a return address).
. "$(dirname "$0")/lib.sh"
need_bpf
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed" >&2; exit 77; }
command -v addr2line >/dev/null || { echo "SKIP: addr2line (binutils) is not installed" >&2; exit 77; }
command -v perf >/dev/null || { echo "SKIP: perf (linux-perf) is not installed" >&2; exit 77; }
SOCK="ft-recv-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "ft-recv-$$" kill-server 2>/dev/null; cleanup' EXIT
screen() { T capture-pane -p -t ft; }
body() { screen | tail -n +2; } # all but the header, which names the source
header_has() { screen | head -1 | grep -Eq -- "$1"; }
has() { screen | grep -Eq -- "$1"; }
last_has() { screen | tail -1 | grep -Eq -- "$1"; }
name_is() { [ "$(screen | tail -2 | head -1 | sed 's/ *$//')" = "$1" ]; }

# a copy, so that it can be changed afterwards
cp "$WL/ft-syscalls" "$TMP/ft-sys"
REC="$TMP/r.ftrec"

# views VIEWNAME: m, t, the status line of do_writes and its L list, each into $TMP/VIEWNAME.*
views() {
	T send-keys -t ft m
	until_ok 5 has 'by binary \(m: back\)' || echo "FAIL: $1: m opens the binaries" >&2
	body >"$TMP/$1.m"
	T send-keys -t ft Escape t
	until_ok 5 has 'Binary +Function' || echo "FAIL: $1: t opens the table" >&2
	body >"$TMP/$1.t"
	T send-keys -t ft Escape / do_writes Enter n
	# n may zoom to show the match and say so: any key (Z does nothing) brings the status back
	until_ok 5 name_is do_writes || echo "FAIL: $1: the search selects do_writes" >&2
	T send-keys -t ft Z
	until_ok 5 last_has 'Matched' || echo "FAIL: $1: the status line is back" >&2
	screen | tail -1 | sed 's/ *$//' >"$TMP/$1.status"
	T send-keys -t ft L
	until_ok 5 has 'hottest lines of do_writes|no source lines' ||
		echo "FAIL: $1: L opens the lines" >&2
	body >"$TMP/$1.L"
	T send-keys -t ft q q
}

T new-session -d -s ft -x 140 -y 40 \
	"$FT fixed --hz 499 --ms 2000 -o '$REC' -- '$TMP/ft-sys' --seconds 3 2>'$TMP/live.err'; sleep 60"
eventually "fixed shows the graph after sampling" 60 header_has 'fixed: 499 Hz, [0-9.]+ s \| [0-9]+ samples'
screen | head -1 >"$TMP/live.header"
views live
T kill-server
SOCK="ft-recv2-$$"
T new-session -d -s ft -x 140 -y 40 "$FT file '$REC' 2>'$TMP/file.err'; sleep 60"
eventually "the recording opens" 10 header_has "file: .*r\.ftrec \(recording\)"
views file

check "live m names libc and the kernel" grep -q 'libc\.so\.6' "$TMP/live.m"
check "live m has the kernel" grep -q '\[kernel\]' "$TMP/live.m"
check "replayed m is the live one" diff "$TMP/live.m" "$TMP/file.m"
check "replayed table (Binary column) is the live one" diff "$TMP/live.t" "$TMP/file.t"
check "the table names write's binary" grep -Eq 'libc\.so\.6 +write$' "$TMP/file.t"
check "the status line names the binary and the line ($(cat "$TMP/file.status"))" \
	grep -Eq '\| in ft-sys \| syscalls\.c:[0-9]+ \|' "$TMP/file.status"
check "replayed status line is the live one" diff "$TMP/live.status" "$TMP/file.status"
check "replayed L is the live one" diff "$TMP/live.L" "$TMP/file.L"

# L's lines against addr2line over every address of do_writes
read -r start size < <(nm -S "$TMP/ft-sys" | awk '$4 == "do_writes" { print $1, $2 }')
for ((a = 16#$start; a < 16#$start + 16#$size; a++)); do printf '0x%x\n' $a; done |
	addr2line -e "$TMP/ft-sys" | sed 's/ (discriminator.*//; s|.*/||' | sort -u >"$TMP/a2l"
sed -n 's/.*%  .*\/\([^/]*:[0-9]*\)$/\1/p' "$TMP/file.L" >"$TMP/Llines"
check "L lists lines ($(tr '\n' ' ' <"$TMP/Llines"))" test -s "$TMP/Llines"
check "every L line is one addr2line gives for do_writes ($(tr '\n' ' ' <"$TMP/a2l"))" \
	sh -c "! grep -vxFf '$TMP/a2l' '$TMP/Llines'"
hot=$(sed -n 's/.* | \(syscalls\.c:[0-9]*\) | .*/\1/p' "$TMP/file.status")
check "the status line's line ($hot) is L's first" [ "$hot" = "$(head -1 "$TMP/Llines")" ]
T kill-server

# perf script text: the frames' addresses (relative to their binary, as perf prints them)
perf record -q -F 499 -g -o "$TMP/perf.data" -- "$TMP/ft-sys" --seconds 2 >/dev/null 2>&1
perf script -i "$TMP/perf.data" 2>/dev/null >"$TMP/perf.txt"
# main's hottest address, weighed by the period as flametui weighs it
want_addr=$(awk '/cpu-clock/ { w = $(NF - 1) } $2 ~ /^main\+/ && $3 ~ /ft-sys\)$/ { n[$1] += w }
	END { for (a in n) if (n[a] > best) { best = n[a]; hot = a } print hot }' "$TMP/perf.txt")
want=$(printf '0x%x\n' $((16#$want_addr - 1)) | addr2line -e "$TMP/ft-sys" | sed 's/ (discriminator.*//; s|.*/||')
SOCK="ft-recv4-$$"
T new-session -d -s ft -x 160 -y 40 "$FT file '$TMP/perf.txt' 2>'$TMP/perf.err'; sleep 60"
eventually "the perf script text opens" 10 header_has "file: .*perf\.txt \(perf script\)"
T send-keys -t ft / '^main$' Enter n
until_ok 5 name_is main
T send-keys -t ft Z
eventually "perf script: main's line is addr2line's for its hottest address ($want, at 0x$want_addr)" 5 \
	last_has "\| in ft-sys \| $want \|"
T send-keys -t ft L
eventually "perf script: L lists main's lines, $want first" 5 has "%  .*/$want\$"
T send-keys -t ft q q
T kill-server

# the binary changes (no build-id any more): no lines, and the view says why
objcopy --remove-section=.note.gnu.build-id "$TMP/ft-sys" "$TMP/ft-sys.new"
mv "$TMP/ft-sys.new" "$TMP/ft-sys"
SOCK="ft-recv3-$$"
T new-session -d -s ft -x 140 -y 40 "$FT file '$REC'; sleep 60"
eventually "the recording opens again" 10 header_has "file: .*r\.ftrec"
T send-keys -t ft / do_writes Enter n
until_ok 5 name_is do_writes
T send-keys -t ft Z
eventually "a changed binary: the status line says so" 5 last_has 'ft-sys changed since it was recorded: no lines'
T send-keys -t ft L
eventually "a changed binary: L says so" 5 last_has 'no source lines: the binary changed since it was recorded'
T kill-server
finish
