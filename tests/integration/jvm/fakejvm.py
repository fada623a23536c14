# SPDX-License-Identifier: MIT
# A hostile "JVM" for test-jvm.sh: it maps a library named libjvm.so and spins in anonymous
# executable memory, so flametui takes it for a JVM whose JIT code misses its perf map.
#   quiet: no attach socket, and SIGQUIT's default action (it would die of it);
#   hung:  an attach socket that listens and never answers.
import ctypes
import mmap
import os
import signal
import socket
import sys
import threading
import time

mode, lib = sys.argv[1], sys.argv[2]
signal.signal(signal.SIGQUIT, signal.SIG_DFL)  # a background shell job starts with it ignored
ctypes.CDLL(lib)
code = mmap.mmap(-1, mmap.PAGESIZE, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
code.write(b"\xeb\xfe")  # jmp .
spin = ctypes.CFUNCTYPE(None)(ctypes.addressof(ctypes.c_char.from_buffer(code)))
threading.Thread(target=spin, daemon=True).start()  # ctypes lets go of the GIL
if mode == "hung":
    path = "/tmp/.java_pid%d" % os.getpid()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.listen(8)
print("ready", os.getpid(), flush=True)
try:
    time.sleep(60)
finally:
    if mode == "hung":
        os.unlink(path)
