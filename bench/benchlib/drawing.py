# SPDX-License-Identifier: MIT
"""Section 6, drawing: bench/draw.c's layout + draw times for ~10k/100k/1M nodes, and the
live view's answer to a key press under load, read from a pseudo-terminal (Pty, which the
offline section uses too)."""
import os
import signal
import subprocess
import time

from .procs import DEEP, DRAW, FLAMETUI, NPROC, TREE, kill
from .report import TARGETS, med, target, verdict


class Pty:
    """flametui on a 200x50 pseudo-terminal, read through a rolling window of its output."""

    def __init__(self, argv):
        import fcntl
        import pty
        import struct
        import termios
        self.t0 = time.time()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
                env = dict(os.environ, TERM="xterm-256color", LINES="50", COLUMNS="200")
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.seen = b""

    def wait_for(self, text, timeout):
        """Reads until `text` shows up; returns seconds waited, or None."""
        import select
        t0 = time.time()
        while time.time() - t0 < timeout:
            r, _, _ = select.select([self.fd], [], [], 0.5)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return None
            if not chunk:
                return None
            self.seen = (self.seen + chunk)[-8192:]
            if text in self.seen:
                self.seen = b""
                return time.time() - t0
        return None

    def drain(self, seconds):
        self.wait_for(b"\0never\0", seconds)

    def send(self, data):
        os.write(self.fd, data)

    def close(self):
        """q, then the process's peak RSS (KB); killed if it does not quit."""
        rss = None
        try:
            self.send(b"q")
        except OSError:
            pass
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                os.read(self.fd, 65536)
            except OSError:
                pass
            wpid, _status, ru = os.wait4(self.pid, os.WNOHANG)
            if wpid == self.pid:
                rss = ru.ru_maxrss
                break
            time.sleep(0.01)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
        return rss


def drawing(ctx):
    """bench/draw.c: view__draw (layout + render into the cell buffer, all but the curses
    blit) at 200x50, the live modes' per-refresh view rebuild, the derived views' builds and a
    key press in bottom-up and sandwich (event + layout + draw), for ~10k/100k/1M nodes."""
    try:
        out = subprocess.run([DRAW, "5" if ctx.quick else "15"], capture_output=True, text=True,
                             timeout=300).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        ctx.add("6 drawing", "layout+draw", "unavailable: %s" % e)
        return
    limit, tgt = target("draw_ms")
    from_nodes = TARGETS["draw_nodes"].limit
    for line in out.splitlines():
        f = line.split()
        if len(f) == 5 and f[0] == "views":
            nodes, bu, sw, merge = int(f[1]), float(f[2]), float(f[3]), float(f[4])
            judged = nodes >= from_nodes
            vlimit, vtgt = target("view_build_ms")
            ctx.add("6 drawing", "bottom-up / sandwich build %s nodes" % format(nodes, ","),
                "%.1f / %.1f ms (%.2fx / %.2fx a plain trie copy)" %
                (bu, sw, bu / merge if merge else 0, sw / merge if merge else 0),
                vtgt if judged else "", verdict(bu < vlimit and sw < vlimit) if judged else "")
            continue
        if len(f) == 4 and f[0] == "binary":
            nodes, bb, merge = int(f[1]), float(f[2]), float(f[3])
            judged = nodes >= from_nodes
            vlimit, vtgt = target("view_build_ms")
            ctx.add("6 drawing", "by-binary build %s nodes" % format(nodes, ","),
                "%.1f ms (%.2fx a plain trie copy)" % (bb, bb / merge if merge else 0),
                vtgt if judged else "", verdict(bb < vlimit) if judged else "")
            continue
        if len(f) == 6 and f[0] == "keys":
            kind, nodes, enter, kmed, kmax = f[1], int(f[2]), float(f[3]), float(f[4]), float(f[5])
            judged = nodes >= from_nodes
            klimit, ktgt = target("key_ms")
            ctx.add("6 drawing", "key press in %s, %s nodes" % (kind, format(nodes, ",")),
                "%.2f ms median, %.2f ms max (layout+draw); opening it %.1f ms" %
                (kmed, kmax, enter), ktgt if judged else "",
                verdict(kmax < klimit and enter < klimit) if judged else "")
            continue
        if len(f) != 6 or f[0] != "draw":
            continue
        nodes, med_ms, max_ms, merge_ms = int(f[1]), float(f[2]), float(f[3]), float(f[5])
        judged = nodes >= from_nodes
        ctx.add("6 drawing", "layout+draw %s nodes" % format(nodes, ","),
            "%.2f ms (max %.2f); live rebuild %.1f ms" % (med_ms, max_ms, merge_ms),
            tgt if judged else "", verdict(med_ms < limit) if judged else "")


def key_response(ctx, hz, presses):
    """The live view under load (ft-tree + ft-deep on every CPU, `aggregate --hz HZ`): time
    from a key press ('?') to the help box on the terminal, against the refresh period."""
    wls = [ctx.procs.spawn([TREE, "--seconds", "600", "--threads", "2"]),
           ctx.procs.spawn([DEEP, "--seconds", "600", "--threads", str(NPROC)])]
    t = Pty([FLAMETUI, "aggregate", "--hz", str(hz)])
    lat = []
    try:
        if t.wait_for(b"q quit", 30) is not None:
            t.drain(2.0)
            for _ in range(presses):
                t.send(b"?")
                # the help box's last line: the whole box is on the terminal
                d = t.wait_for(b"any other key closes it", 5)
                if d is None:
                    break
                lat.append(d * 1000)
                t.send(b" ")
                t.drain(0.3)
    finally:
        t.close()
        for w in wls:
            kill(w)
            ctx.procs.reap(w, 5)
    limit, tgt = target("key_ms")
    if len(lat) < presses:
        ctx.add("6 drawing", "key press, live view @%d Hz" % hz,
            "answered %d of %d presses" % (len(lat), presses), tgt, verdict(False))
        return
    ctx.add("6 drawing", "key press, live view @%d Hz" % hz,
        "%.1f ms median, %.1f ms max (%d presses, ft-tree + ft-deep running)" %
        (med(lat), max(lat), presses), tgt, verdict(max(lat) < limit))
