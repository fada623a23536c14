# SPDX-License-Identifier: MIT
"""Running ft-tree alone and under each profiler (flametui fixed and aggregate, perf record,
bpftrace, bcc's profile, and bpftrace counting comms as the floor every sampler pays), with
what each run cost: throughput, accounted CPU, BPF run time, flametui's counters."""
import os
import re
import subprocess
import threading
import time

from .procs import (DEEP, FLAMETUI, KHEADERS, NPROC, TREE, WORK, bpf_prog_stats, cpu_snapshot,
                    kill, wait_ready)

BPFTRACE_LIFE_MS = 3500  # start-up allowance before the workload, when it must print


class ProgStats(threading.Thread):
    """Polls the perf_event BPF programs' stats of a process; the last reading before it
    exits is kept."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.ns, self.cnt, self.done = pid, 0, 0, False

    def run(self):
        while not self.done:
            if not os.path.exists("/proc/%d" % self.pid):
                return
            st = bpf_prog_stats(self.pid)
            if st and st[1] >= self.cnt:
                self.ns, self.cnt = st
            time.sleep(0.1)

    def per_run(self):
        return self.ns / self.cnt if self.cnt else None


def bcc_env():
    if not os.path.isdir(KHEADERS):
        return None
    e = dict(os.environ)
    e["BCC_KERNEL_SOURCE"] = KHEADERS
    return e


def setup_bcc(report):
    """bcc needs kernel headers it can compile against: Debian's -common and -amd64 trees
    merged into one."""
    if not os.path.exists("/usr/sbin/profile-bpfcc"):
        report.note("bcc profile-bpfcc not installed: bcc columns unavailable")
        return False
    if not os.path.isdir(KHEADERS):
        srcs = [d for d in sorted(os.listdir("/usr/src")) if d.startswith("linux-headers-")]
        common = [d for d in srcs if d.endswith("-common")]
        arch = [d for d in srcs if d.endswith("-amd64")]
        if not common or not arch:
            report.note("no linux-headers-*-common/-amd64 in /usr/src: bcc unavailable")
            return False
        tmp = KHEADERS + ".tmp"
        subprocess.run(["rm", "-rf", tmp], check=False)
        os.makedirs(tmp)
        for d in (common[-1], arch[-1]):
            subprocess.run(["cp", "-a", "/usr/src/%s/." % d, tmp + "/"], check=True)
        os.rename(tmp, KHEADERS)
    return True


def tool_argv(tool, hz, out, seconds=0, keep=False):
    if tool == "floor":
        return ["bpftrace", "-e", "profile:hz:%d { @[comm] = count(); }" % hz]
    if tool == "bpftrace":
        prog = "profile:hz:%d { @[kstack, ustack, comm] = count(); }" % hz
        if keep:
            # bpftrace 0.17 here ignores the first SIGINT and prints nothing after the
            # second; tracepoints and kprobes are unavailable, so a timer ends it instead
            prog += " interval:ms:%d { exit(); }" % (BPFTRACE_LIFE_MS + seconds * 1000)
        return ["bpftrace", "-e", prog]
    if tool == "flametui":
        return [FLAMETUI, "fixed", "--hz", str(hz), "--ms", "0", "--folded", "--verbose"]
    if tool == "flametui-record":
        return [FLAMETUI, "record", "--hz", str(hz), "-o", out + ".ftrec", "--verbose"]
    if tool == "flametui-agg":
        return [FLAMETUI, "aggregate", "--hz", str(hz), "--refresh", "500", "--folded",
                "--verbose"]
    if tool == "perf":
        return ["perf", "record", "-F", str(hz), "-a", "-g", "-q", "-o", out + ".data"]
    if tool == "bcc":
        return ["env", "--default-signal=INT", "profile-bpfcc", "-F", str(hz), "-f"]
    raise ValueError(tool)


def parse_rounds(text):
    """ft-tree's throughput from its output, or None."""
    m = re.search(r"rounds_per_sec ([0-9.]+)", text)
    return float(m.group(1)) if m else None


def run_tree(seconds, threads=2, phase=False):
    argv = [TREE, "--seconds", str(seconds), "--threads", str(threads)]
    if phase:
        argv.append("--phase")
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=seconds + 30, text=True)
    return parse_rounds(p.stdout)


def parse_verbose(text):
    """flametui --verbose's sample counters, or None."""
    m = re.search(r"samples: (\d+) seen, (\d+) kept, (\d+) idle dropped, (\d+) filtered out, "
                  r"(\d+) lost", text)
    if not m:
        return None
    return dict(zip(("seen", "kept", "idle", "filtered", "lost"), map(int, m.groups())))


def profiled_run(ctx, tool, hz, seconds, tag, keep=True):
    """One ft-tree run under `tool` (None = alone). Returns a dict of what was measured."""
    procs = ctx.procs
    res = {"tool": tool, "hz": hz}
    if tool is None:
        res["rps"] = run_tree(seconds)
        return res
    out = os.path.join(WORK, "%s-%d-%s" % (tool, hz, tag))
    env = bcc_env() if tool == "bcc" else None
    fo, fe = open(out + ".out", "w"), open(out + ".err", "w")
    p = procs.spawn(tool_argv(tool, hz, out, seconds, keep), stdout=fo, stderr=fe, env=env)
    stats = ProgStats(p.pid)
    stats.start()
    if not wait_ready(p, 60 if tool == "bcc" else 20):
        stats.done = True
        procs.stop(p, 5)
        fo.close()
        fe.close()
        res["error"] = "did not start: " + open(out + ".err").read()[-300:].strip()
        return res
    snap0 = cpu_snapshot(p.pid)
    t0 = time.time()
    res["rps"] = run_tree(seconds)
    res["wall"] = time.time() - t0
    snap1 = cpu_snapshot(p.pid)
    if snap0 and snap1:
        machine = NPROC * res["wall"] * 1e9 / 100.0  # ns per percent of the machine's CPU
        res["acct_proc"] = (snap1[0] - snap0[0]) / machine
        res["acct_bpf"] = (snap1[1] - snap0[1]) / machine
    if keep and tool == "bpftrace":
        rc, cpu, rss = procs.reap(p, 300)
        if rc is None:
            rc, cpu, rss = procs.stop(p, 10)
    elif keep or tool.startswith("flametui"):
        rc, cpu, rss = procs.stop(p, 90, outfile=out + ".out")
    else:
        # the output is not used: do not wait for the peer to symbolize and print it
        kill(p)
        rc, cpu, rss = procs.reap(p, 10)
    stats.done = True
    stats.join(1)
    fo.close()
    fe.close()
    res.update(rc=rc, cpu=cpu, out=out, bpf_ns=stats.per_run(), bpf_runs=stats.cnt)
    if tool.startswith("flametui"):
        res["counters"] = parse_verbose(open(out + ".err").read())
    return res


def workload(ctx, which, seconds, threads):
    """ft-tree or ft-deep in the background."""
    return ctx.procs.spawn([TREE if which == "tree" else DEEP, "--seconds", str(seconds),
                            "--threads", str(threads)])
