# SPDX-License-Identifier: MIT
"""Paths, and the processes and sysctls a run changes: every child is killed and every sysctl
restored on exit, whatever ends the run (Procs.cleanup, called from bench.py's handlers)."""
import os
import re
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BENCH_BUILD", os.path.join(ROOT, "build-bench"))
FLAMETUI = os.path.join(BUILD, "src", "flametui")
TREE = os.path.join(BUILD, "tests", "workloads", "ft-tree")
DEEP = os.path.join(BUILD, "tests", "workloads", "ft-deep")
DRAW = os.path.join(BUILD, "bench", "draw-bench")
TIMELINE = os.path.join(BUILD, "bench", "timeline-bench")
WORK = os.environ.get("BENCH_TMP", "/tmp/flametui-bench")
KHEADERS = os.path.join(WORK, "kheaders")
NPROC = os.cpu_count() or 1


def log(msg):
    import sys
    print("# " + msg, file=sys.stderr, flush=True)


def sysctl_path(name):
    return "/proc/sys/" + name.replace(".", "/")


def read_sysctl(name):
    with open(sysctl_path(name)) as f:
        return f.read().strip()


def write_sysctl(name, val):
    try:
        with open(sysctl_path(name), "w") as f:
            f.write(str(val))
    except OSError as e:
        log("cannot set %s: %s" % (name, e))


class Procs:
    """The children a run started and the sysctls it changed."""

    def __init__(self):
        self.children = set()  # live Popen objects, killed on exit
        self.saved = {}        # sysctl name -> original value, restored on exit

    def spawn(self, argv, stdout=None, stderr=None, env=None):
        p = subprocess.Popen(argv, stdout=stdout or subprocess.DEVNULL,
                             stderr=stderr or subprocess.DEVNULL, env=env,
                             start_new_session=True)
        self.children.add(p)
        return p

    def reap(self, p, timeout):
        """Wait for p up to timeout seconds; returns (rc, cpu_seconds, max RSS KB) or
        (None, None, None)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            except ChildProcessError:
                self.children.discard(p)
                return (p.returncode, None, None)
            if pid == p.pid:
                p.returncode = os.waitstatus_to_exitcode(status)
                self.children.discard(p)
                return (p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)
            time.sleep(0.02)
        return (None, None, None)

    def stop(self, p, timeout=20, sig=signal.SIGINT, resend=3.0, outfile=None):
        """SIGINT, again every `resend` s while `outfile` does not grow (bpftrace 0.17 may
        ignore the first; a second one while it prints kills it), then SIGKILL."""
        deadline = time.time() + timeout
        size = -1
        while time.time() < deadline:
            cur = os.path.getsize(outfile) if outfile and os.path.exists(outfile) else 0
            if cur == size or size < 0:
                try:
                    os.kill(p.pid, sig)
                except ProcessLookupError:
                    pass
            size = cur
            r = self.reap(p, min(resend, max(0.1, deadline - time.time())))
            if r[0] is not None:
                return r
        kill(p)
        return self.reap(p, 5)

    def time_cmd(self, argv, timeout=600, stdout=subprocess.DEVNULL):
        """Runs argv; returns (wall seconds, rc or None when killed, max RSS KB). The RSS
        comes from GNU time around argv when it is installed: a child forked from this
        (big) Python process inherits its peak RSS through exec, so wait4's ru_maxrss would
        report ours for any program smaller than us."""
        t0 = time.time()
        rss_file = os.path.join(WORK, ".rss-%d" % os.getpid())
        wrap = [GNU_TIME, "-f", "%M", "-o", rss_file, "--"] if os.access(GNU_TIME, os.X_OK) else []
        p = self.spawn(wrap + list(argv), stdout=stdout)
        rc, _cpu, rss = self.reap(p, timeout)
        if rc is None:
            kill(p)
            self.reap(p, 5)
        elif wrap:
            rss = parse_time_rss(rss_file, rss)
        return time.time() - t0, rc, rss

    def set_sysctl(self, name, val):
        if name not in self.saved:
            self.saved[name] = read_sysctl(name)
        write_sysctl(name, val)

    def restore_sysctl(self, name):
        if name in self.saved:
            write_sysctl(name, self.saved.pop(name))

    def cleanup(self):
        for p in list(self.children):
            kill(p)
            try:
                os.waitpid(p.pid, 0)
            except ChildProcessError:
                pass
        self.children.clear()
        # the kernel refuses a new max rate while the time percent is 0: that one first
        for name in sorted(self.saved, key=lambda n: "max_percent" not in n):
            write_sysctl(name, self.saved[name])
        self.saved.clear()


GNU_TIME = "/usr/bin/time"


def parse_time_rss(path, fallback=None):
    """The max RSS (KB) GNU time's `-f %M -o PATH` wrote: its last line (a line before it may
    say the command exited non-zero); `fallback` when there is none."""
    try:
        with open(path) as f:
            lines = [ln.strip() for ln in f if ln.strip()]
        return int(lines[-1])
    except (OSError, ValueError, IndexError):
        return fallback


def kill(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def perf_fds(pid):
    n = 0
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == "anon_inode:[perf_event]":
                    n += 1
            except OSError:
                pass
    except OSError:
        return -1
    return n


def wait_ready(p, timeout=30):
    """A profiler is sampling once it holds one perf_event fd per CPU."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if p.poll() is not None:
            return False
        if perf_fds(p.pid) >= NPROC:
            time.sleep(0.2)
            return True
        time.sleep(0.05)
    return False


def parse_fdinfo_prog(text, perf_event_only=True):
    """(run_time_ns, run_cnt) of one BPF program's fdinfo text, or None when it is not a
    program (or not a perf_event one, prog_type 7, when perf_event_only)."""
    if "prog_type:" not in text or (perf_event_only and "prog_type:\t7\n" not in text):
        return None
    m1 = re.search(r"run_time_ns:\s+(\d+)", text)
    m2 = re.search(r"run_cnt:\s+(\d+)", text)
    if not (m1 and m2):
        return None
    return int(m1.group(1)), int(m2.group(1))


def bpf_prog_stats(pid, perf_event_only=True):
    """(run_time_ns, run_cnt) summed over the BPF programs pid holds (perf_event ones only
    unless told otherwise), or None when it holds none or is gone. The counts move only while
    kernel.bpf_stats_enabled is 1."""
    ns = cnt = 0
    seen = False
    try:
        fds = os.listdir("/proc/%d/fdinfo" % pid)
    except OSError:
        return None
    for fd in fds:
        try:
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                st = parse_fdinfo_prog(f.read(), perf_event_only)
        except OSError:
            continue
        if st:
            ns, cnt, seen = ns + st[0], cnt + st[1], True
    return (ns, cnt) if seen else None


def cpu_snapshot(pid):
    """(CPU ns of every thread of pid, run_time_ns summed over every BPF program it holds),
    or None. Taken around a workload run, the differences are what the profiler spent during
    it: in its process, and in its BPF programs (interrupt context, charged to whichever task
    they interrupted). Needs kernel.bpf_stats_enabled for the BPF part."""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    task_ns = 0
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                task_ns += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    st = bpf_prog_stats(pid, perf_event_only=False)
    return task_ns, st[0] if st else 0


def prog_runs(pid):
    """run_cnt summed over the perf_event BPF programs pid holds (its samples), or 0."""
    st = bpf_prog_stats(pid)
    return st[1] if st else 0


class Context:
    """What every section gets: --quick, the processes and sysctls, the report."""

    def __init__(self, quick, procs, report):
        self.quick, self.procs, self.report = quick, procs, report
        self.add = report.add
