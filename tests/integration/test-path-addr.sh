#!/usr/bin/env bash
# The exact address of an unnamed frame on the selected sample path (issue 11, defect 3), in a
# real terminal: Debian's stripped sha256sum is named per function from its unwind tables
# ("[sha256sum@0x2400]", one frame for all of a function's addresses). Its main calls the
# digest from one call site (A) for a file and from another (B) with -c. "sha256sum /dev/zero"
# and "shacheck -c SUMS" (a symlink: its own root; SUMS names /dev/zero) run: main's frame has
# several addresses, the path under sha256sum one, A: "path at sha256sum+0xA". Then only
# "shacheck /dev/zero" runs, and after c the path under shacheck (B before) is A alone, in a
# ring slot too. The digest's innermost function has many addresses on its path ("path: N
# addresses, hottest ..."). The processes are long-lived, and c drops their first samples
# (walked with frame pointers before their tables were in the kernel: stray addresses).
. "$(dirname "$0")/lib.sh"
need_bpf
command -v tmux >/dev/null || { echo "SKIP: tmux is not installed" >&2; exit 77; }
SHA=$(command -v sha256sum) || { echo "SKIP: no sha256sum" >&2; exit 77; }
if readelf -S "$SHA" 2>/dev/null | grep -q '\.symtab'; then
	echo "SKIP: $SHA is not stripped: its functions have names" >&2
	exit 77
fi
FT=$(realpath "$FT")
SOCK="ft-path-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'tmux -L "ft-path-$$" kill-server 2>/dev/null; cleanup' EXIT
screen() { T capture-pane -p -t ft; }
status() { screen | tail -1; }
has() { screen | grep -Eq -- "$1"; }

head -c 16000000 /dev/urandom >"$TMP/big"
printf '%064d  /dev/zero\n' 0 >"$TMP/sums"
ln -s "$SHA" "$TMP/shacheck"
# main: the frame __libc_start_call_main calls
main=$(cd "$TMP" && "$FT" fixed --hz 499 --ms 1500 --folded -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do ./shacheck big; done' 2>/dev/null |
	grep -o '__libc_start_call_main;\[sha256sum@0x[0-9a-f]*\]' | head -1 | sed 's/.*;//')
[ -n "$main" ] || { echo "SKIP: no [sha256sum@0x...] frame under __libc_start_call_main (no unwind tables?)" >&2; exit 77; }
echo "main is $main"
cat >"$TMP/run.sh" <<EOS
#!/bin/sh
cd "$TMP"
"$FT" ring --hz 499 --ms 1000 --n 20 -- sh -c '"$SHA" /dev/zero & a=\$!; ./shacheck -c sums & b=\$!; while [ ! -e phase2 ]; do sleep 0.1; done; kill \$a \$b; exec ./shacheck /dev/zero' 
echo EXITED:\$?
sleep 60
EOS
chmod +x "$TMP/run.sh"

# find REGEX [NOT]: steps through the search's matches until the status line matches REGEX
# (and does not hold the text NOT), and prints the line that did (the view is paused; the
# status line's counts still move).
find() {
	local st
	for i in $(seq 30); do
		[ "$i" = 1 ] || T send-keys -t ft n # the search selected the first match
		for _ in 1 2 3 4 5; do
			sleep 0.2
			st=$(status)
			[ -n "${DEBUG:-}" ] && echo "$st" >&2
			if echo "$st" | grep -Eq -- "$1" && { [ -z "${2:-}" ] || ! echo "$st" | grep -Fq -- "$2"; }; then
				echo "$st"
				return 0
			fi
		done
	done
	return 1
}
search() {
	T send-keys -t ft /
	T send-keys -t ft -N 80 BSpace
	T send-keys -t ft -l "$1"
	[ -n "${DEBUG:-}" ] && sleep 0.5 && screen | tail -1 >&2
	T send-keys -t ft Enter
}
many='in sha256sum \(([2-9]|[1-9][0-9]+) addresses, hottest \+0x[0-9a-f]+ [0-9]+%\)'
re_main=$(printf '%s' "$main" | sed 's/[][]/\\&/g')

T new-session -d -s ft -x 250 -y 40 "$TMP/run.sh"
eventually "ring header" 10 has '^ flametui \| ring \|'
eventually "shacheck is sampled" 20 has shacheck
sleep 1
T send-keys -t ft c # their first samples had no tables yet
sleep 3
T send-keys -t ft p # the graph holds still while n steps through it
search "^$re_main\$"
one=$(find "$many \| path at sha256sum\+0x[0-9a-f]+( |$)")
check "a frame of several addresses with one on this path: the exact one ('$one')" [ -n "$one" ]
at=$(echo "$one" | grep -Eo 'path at sha256sum\+0x[0-9a-f]+')
at_re=$(printf '%s' "$at" | sed 's/+/\\+/')
other=$(find "$many \| path(:| at) " "$at ")
check "main under the other root (-c) is elsewhere ('$other')" [ -n "$other" ]
touch "$TMP/phase2"
sleep 2
T send-keys -t ft c p
sleep 3 # samples of "shacheck FILE" alone
T send-keys -t ft p
search "^$re_main\$"
after=$(find "$many \| $at_re( |$)")
check "after c, the path under shacheck is where sha256sum's was: '$at' ('$after')" [ -n "$after" ]
T send-keys -t ft p '['
sleep 0.5
T send-keys -t ft p
search "^$re_main\$"
slot=$(find "$many \| $at_re( |$)")
check "in a ring slot alone too ('$slot')" [ -n "$slot" ]
search 'sha256sum@'
several=$(find "$many \| path: ([2-9]|[1-9][0-9]+) addresses, hottest sha256sum\+0x[0-9a-f]+ [0-9]+%")
check "a path with several addresses: their count and the hottest ('$several')" [ -n "$several" ]
check "still running" sh -c "! tmux -L $SOCK capture-pane -p -t ft | grep -q '^EXITED'"
T send-keys -t ft q
eventually "q exits 0" 10 has '^EXITED:0'
finish
