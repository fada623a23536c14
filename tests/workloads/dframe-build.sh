#!/bin/sh
# Builds ft-dframe as a -dbgsym package leaves a binary: no frame pointers, no .eh_frame (nor
# its header), and the unwind rules only in a separate debug file's .debug_frame, found
# through .gnu_debuglink next to it. Usage: dframe-build.sh CC OBJCOPY SRC OUT
set -e
cc=$1 objcopy=$2 src=$3 out=$4
"$cc" -O1 -g -fomit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables \
	-Wl,--no-eh-frame-hdr "$src" -o "$out.full"
"$objcopy" --only-keep-debug "$out.full" "$out.debug"
( cd "$(dirname "$out")" && "$objcopy" --strip-debug --remove-section=.eh_frame \
	--add-gnu-debuglink="$(basename "$out").debug" "$(basename "$out").full" "$(basename "$out")" )
rm -f "$out.full"
