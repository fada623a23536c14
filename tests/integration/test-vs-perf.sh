#!/usr/bin/env bash
# Real programs, side by side with perf: Debian's perl running a regex loop while cat reads a
# large file, profiled by `perf record -g` and by flametui at the same time. flametui must name
# kernel, libc and program frames in at least as large a share of each process's samples as
# perf does (both unwind with frame pointers; Debian's perl and libc have none).
. "$(dirname "$0")/lib.sh"
need_bpf
command -v perf >/dev/null || { echo "SKIP: perf (linux-perf) is not installed" >&2; exit 77; }
command -v perl >/dev/null || { echo "SKIP: perl is not installed" >&2; exit 77; }
LIBC=$(ldd "$(command -v perl)" | awk '/libc\.so/ { print $3 }')
head -c 100000000 /dev/zero >"$TMP/big"
perl -e '$s = "abc" x 1000 . "xyz"; $t = time + $ARGV[0]; while (time < $t) { for (1..1000) { $n++ if $s =~ /a[bc]+x?y?z$/ } }' 8 &
PIDS="$PIDS $!"
(end=$((SECONDS + 8)); while [ $SECONDS -lt $end ]; do cat "$TMP/big" >/dev/null; done) &
PIDS="$PIDS $!"
sleep 0.5
perf record -q -F 499 -g -a -o "$TMP/perf.data" -- sleep 4 >/dev/null 2>&1 &
P=$!
"$FT" fixed --hz 499 --ms 4000 --folded >"$TMP/ft" 2>"$TMP/ft.err"
wait $P
perf script -i "$TMP/perf.data" -F comm,ip,sym,dso 2>/dev/null >"$TMP/perf.txt"
# libc's names: its .dynsym, plus its debug file's symbols when installed (libc6-dbg), as perf
# and flametui both read it through the build-id path
bid=$(readelf -n "$LIBC" 2>/dev/null | awk '/Build ID/ { print $3 }')
dbg=/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug
{ nm -D --defined-only "$LIBC"; [ -n "$bid" ] && [ -r "$dbg" ] && nm --defined-only "$dbg"; } 2>/dev/null |
	awk '{ print $3 }' | sed 's/@.*//' | sort -u >"$TMP/libc.syms"
nm -D --defined-only "$(command -v perl)" | awk '{ print $3 }' | sed 's/@.*//' | sort -u >"$TMP/perl.syms"

# per comm: samples, and samples with a named kernel / libc / program frame (percent)
ft_shares() { # comm
	awk -v comm="$1" -v libc="$TMP/libc.syms" -v prog="$TMP/perl.syms" '
		BEGIN { while ((getline s < libc) > 0) L[s] = 1; while ((getline s < prog) > 0) P[s] = 1 }
		{ n = $NF; line = $0; sub(/ [0-9]+$/, "", line); c = split(line, f, ";")
		  if (f[1] != comm) next; t += n; k = l = p = 0
		  for (i = 2; i <= c; i++) {
			if (f[i] ~ /_\[k\]$/ && f[i] !~ /^\[/) k = 1
			else if (f[i] in L) l = 1
			else if (f[i] in P) p = 1
		  }
		  K += k * n; Lc += l * n; Pc += p * n }
		END { printf "%d %.1f %.1f %.1f\n", t, t ? 100 * K / t : 0, t ? 100 * Lc / t : 0, t ? 100 * Pc / t : 0 }' "$TMP/ft"
}
perf_shares() { # comm
	awk -v comm="$1" -v prog="$(command -v perl)" '
		function flush() { if (cur == comm) { t++; K += k; Lc += l; Pc += p } }
		/^[^ \t]/ { flush(); cur = $1; k = l = p = 0; next }
		/^[ \t]/ { sym = $2; dso = $NF
			   if (sym == "[unknown]") next
			   if (dso == "([kernel.kallsyms])") k = 1
			   else if (dso ~ /libc\.so/) l = 1
			   else if (dso == "(" prog ")") p = 1 }
		END { flush(); printf "%d %.1f %.1f %.1f\n", t, t ? 100 * K / t : 0, t ? 100 * Lc / t : 0, t ? 100 * Pc / t : 0 }' "$TMP/perf.txt"
}
for comm in perl cat; do
	read -r ft_n ft_k ft_l ft_p < <(ft_shares $comm)
	read -r pf_n pf_k pf_l pf_p < <(perf_shares $comm)
	echo "$comm: samples flametui $ft_n perf $pf_n; named kernel $ft_k% vs $pf_k%, libc $ft_l% vs $pf_l%, program $ft_p% vs $pf_p%"
	check "$comm: both profiled it ($ft_n, $pf_n samples)" sh -c "[ $ft_n -ge 300 ] && [ $pf_n -ge 300 ]"
	# two samplers on the same process see slightly different moments: 3 points of slack
	check "$comm: kernel frames named at least as often as perf ($ft_k% vs $pf_k%)" awk -v a="$ft_k" -v b="$pf_k" 'BEGIN { exit !(a >= b - 3) }'
	check "$comm: libc frames named at least as often as perf ($ft_l% vs $pf_l%)" awk -v a="$ft_l" -v b="$pf_l" 'BEGIN { exit !(a >= b - 3) }'
	check "$comm: program frames named at least as often as perf ($ft_p% vs $pf_p%)" awk -v a="$ft_p" -v b="$pf_p" 'BEGIN { exit !(a >= b - 3) }'
done
check "cat: its reads are named down to the kernel (read;...;vfs_read_[k])" grep -Eq '^cat;(.*;)?read;([^;]*;)*vfs_read_\[k\]' "$TMP/ft"
finish
