#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets with clang into OUTDIR (gcc cannot build them): the parsers'
# sources are compiled once into an archive with ASan+UBSan and fuzzer coverage, then each
# target is linked against it. Rebuilds only what is older than its sources or any header.
# Usage: build.sh OUTDIR [TARGET...]   (all targets when none is named)
# Exit: 0 built, 77 clang or its fuzzer runtime is missing, 1 a build error.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:?usage: build.sh OUTDIR [TARGET...]}
shift
all_targets="folded perfscript load recording perfmap demangle ksyms procmaps elfsyms srclines trie render export unwind ehframe pycode"
targets=${*:-$all_targets}
CC=${FUZZ_CC:-clang}

lib_srcs="src/trie.c src/trie_names.c src/trie_sort.c src/trie_rank.c src/trie_merge.c src/names.c src/utf8.c src/timeline.c
src/formats/instream.c src/formats/stackcache.c src/formats/addpipe.c src/formats/readahead.c src/formats/folded.c
src/formats/perfscript.c src/formats/perfframe.c src/formats/escape.c src/formats/load.c
src/formats/recording.c src/formats/recwriter.c src/formats/recload.c src/frameaddrs.c
src/symbols/ksyms.c src/symbols/perfmap.c src/symbols/demangle.c src/symbols/rustv0.c
src/symbols/procmaps.c
src/symbols/elfsyms.c src/symbols/elfcheck.c src/symbols/debuglink.c src/symbols/elffile.c
src/symbols/procfile.c src/symbols/srclines.c
src/tui/layout.c src/tui/render.c src/tui/palette.c src/tui/views.c
src/diff.c src/export/export.c src/export/walk.c src/export/text.c src/export/svg.c
src/export/speedscope.c src/export/pprof.c
src/unwind/table.c src/unwind/tabledw.c src/unwind/ehframe.c
src/runtimes/pycode.c src/runtimes/pyoffsets.c"

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
cflags="-g -O1 -std=gnu11 -D_GNU_SOURCE -DFLAMETUI_VERSION=\"fuzz\" -Wall -Wextra
	-Wno-unused-parameter -I$root/src -I$root/src/formats -I$root/src/symbols
	-I$root/src/tui -I$root/src/unwind -I$root/src/runtimes -I$root/bpf -I$here -I$root/tests"
# libstdc++ for libFuzzer's own runtime; libiberty's demangler, as the meson build links it
libs="-ldw -lelf -lz -lzstd -liberty -lstdc++ -lm -lpthread"

mkdir -p "$out/obj"
exec 9>"$out/.build.lock"
flock 9 # meson runs the fuzz tests in parallel; one build at a time

if ! command -v "$CC" >/dev/null; then
	echo "build.sh: $CC not found" >&2
	exit 77
fi
if [ ! -e "$out/.runtime-ok" ]; then
	printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n; }\n' \
		>"$out/probe.c"
	if ! $CC -fsanitize=fuzzer,address,undefined "$out/probe.c" -o "$out/probe" 2>"$out/probe.log"
	then
		echo "build.sh: $CC has no libFuzzer runtime (libclang-rt-dev):" >&2
		cat "$out/probe.log" >&2
		exit 77
	fi
	touch "$out/.runtime-ok"
fi

# newest header anywhere the targets include from: any change rebuilds everything
newest_h=$(ls -t "$root"/src/*.h "$root"/src/*/*.h "$here"/*.h | head -n1)

stale() { # stale OUTPUT INPUT...
	local o=$1
	shift
	[ -e "$o" ] || return 0
	[ "$newest_h" -nt "$o" ] && return 0
	for i in "$@"; do
		[ "$i" -nt "$o" ] && return 0
	done
	return 1
}

objs=""
relink=0
for s in $lib_srcs; do
	o="$out/obj/$(echo "$s" | tr / _).o"
	if stale "$o" "$root/$s"; then
		echo "CC $s"
		# shellcheck disable=SC2086
		$CC $cflags $san -fsanitize=fuzzer-no-link -c "$root/$s" -o "$o"
		relink=1
	fi
	objs="$objs $o"
done
if [ $relink = 1 ] || [ ! -e "$out/libft-fuzz.a" ]; then
	rm -f "$out/libft-fuzz.a"
	# shellcheck disable=SC2086
	ar rcs "$out/libft-fuzz.a" $objs
fi

for t in $targets; do
	case " $all_targets " in
	*" $t "*) ;;
	*) echo "build.sh: unknown target $t (have: $all_targets)" >&2; exit 1 ;;
	esac
	bin="$out/fuzz-$t"
	if stale "$bin" "$here/fuzz-$t.c" "$here/fuzz-common.c" "$out/libft-fuzz.a"; then
		echo "LINK fuzz-$t"
		# shellcheck disable=SC2086
		$CC $cflags $san -fsanitize=fuzzer "$here/fuzz-$t.c" "$here/fuzz-common.c" \
			"$out/libft-fuzz.a" $libs -o "$bin"
	fi
done
