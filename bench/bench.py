#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
flametui benchmarks (run through bench/run, which builds and installs what is missing).

Owns: running the workloads under flametui and its peers (perf, bpftrace, bcc), measuring
overhead, own cost, ingest ceiling, accuracy, offline speed and memory, and printing one
table with PASS/MISS against the targets. Only ratios against runs of the same invocation
are judged: the machine is shared and noisy.
"""
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("BENCH_BUILD", os.path.join(ROOT, "build-bench"))
FLAMETUI = os.path.join(BUILD, "src", "flametui")
TREE = os.path.join(BUILD, "tests", "workloads", "ft-tree")
DEEP = os.path.join(BUILD, "tests", "workloads", "ft-deep")
WORK = os.environ.get("BENCH_TMP", "/tmp/flametui-bench")
KHEADERS = os.path.join(WORK, "kheaders")
QUICK = "--quick" in sys.argv[1:]
# --only overhead,ingest,offline,drawing,ring,timeline: run those sections alone (while working on one)
ONLY = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--only=")), None)


def want(section):
    return ONLY is None or section in ONLY.split(",")
NPROC = os.cpu_count() or 1

children = set()      # live Popen objects, killed on exit
saved_sysctl = {}     # name -> original value, restored on exit
results = []          # (section, item, value, target, verdict)
notes = []


def log(msg):
    print("# " + msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- process handling

def spawn(argv, stdout=None, stderr=None, env=None):
    p = subprocess.Popen(argv, stdout=stdout or subprocess.DEVNULL,
                         stderr=stderr or subprocess.DEVNULL, env=env,
                         start_new_session=True)
    children.add(p)
    return p


def reap(p, timeout):
    """Wait for p up to timeout seconds; returns (rc, cpu_seconds) or (None, None)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        except ChildProcessError:
            children.discard(p)
            return (p.returncode, None, None)
        if pid == p.pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            children.discard(p)
            return (p.returncode, ru.ru_utime + ru.ru_stime, ru.ru_maxrss)
        time.sleep(0.02)
    return (None, None, None)


def stop(p, timeout=20, sig=signal.SIGINT, resend=3.0, outfile=None):
    """SIGINT, again every `resend` s while `outfile` does not grow (bpftrace 0.17 may ignore
    the first; a second one while it prints kills it), then SIGKILL."""
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
        r = reap(p, min(resend, max(0.1, deadline - time.time())))
        if r[0] is not None:
            return r
    kill(p)
    return reap(p, 5)


def kill(p):
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def cleanup(*_):
    for p in list(children):
        kill(p)
        try:
            os.waitpid(p.pid, 0)
        except ChildProcessError:
            pass
    children.clear()
    for name in sorted(saved_sysctl, key=lambda n: "max_percent" not in n):
        write_sysctl(name, saved_sysctl[name])
    saved_sysctl.clear()


def on_signal(signum, _frame):
    cleanup()
    sys.exit(128 + signum)


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


def set_sysctl(name, val):
    if name not in saved_sysctl:
        saved_sysctl[name] = read_sysctl(name)
    write_sysctl(name, val)


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


def bpf_prog_stats(pid, perf_event_only=True):
    """(run_time_ns, run_cnt) summed over the BPF programs pid holds (perf_event ones only,
    prog_type 7, unless told otherwise), or None when it holds none or is gone. The counts
    move only while kernel.bpf_stats_enabled is 1."""
    ns = cnt = 0
    seen = False
    try:
        fds = os.listdir("/proc/%d/fdinfo" % pid)
    except OSError:
        return None
    for fd in fds:
        try:
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                t = f.read()
        except OSError:
            continue
        if "prog_type:" not in t or (perf_event_only and "prog_type:\t7\n" not in t):
            continue
        m1 = re.search(r"run_time_ns:\s+(\d+)", t)
        m2 = re.search(r"run_cnt:\s+(\d+)", t)
        if m1 and m2:
            ns, cnt, seen = ns + int(m1.group(1)), cnt + int(m2.group(1)), True
    return (ns, cnt) if seen else None


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


# ---------------------------------------------------------------- profilers

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


def bcc_env():
    if not os.path.isdir(KHEADERS):
        return None
    e = dict(os.environ)
    e["BCC_KERNEL_SOURCE"] = KHEADERS
    return e


BPFTRACE_LIFE_MS = 3500  # start-up allowance before the workload, when it must print


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


def run_tree(seconds, threads=2, phase=False):
    argv = [TREE, "--seconds", str(seconds), "--threads", str(threads)]
    if phase:
        argv.append("--phase")
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       timeout=seconds + 30, text=True)
    m = re.search(r"rounds_per_sec ([0-9.]+)", p.stdout)
    return float(m.group(1)) if m else None


def parse_verbose(text):
    m = re.search(r"samples: (\d+) seen, (\d+) kept, (\d+) idle dropped, (\d+) filtered out, "
                  r"(\d+) lost", text)
    if not m:
        return None
    return dict(zip(("seen", "kept", "idle", "filtered", "lost"), map(int, m.groups())))


def profiled_run(tool, hz, seconds, tag, keep=True):
    """One ft-tree run under `tool` (None = alone). Returns a dict of what was measured."""
    res = {"tool": tool, "hz": hz}
    if tool is None:
        res["rps"] = run_tree(seconds)
        return res
    out = os.path.join(WORK, "%s-%d-%s" % (tool, hz, tag))
    env = bcc_env() if tool == "bcc" else None
    fo, fe = open(out + ".out", "w"), open(out + ".err", "w")
    p = spawn(tool_argv(tool, hz, out, seconds, keep), stdout=fo, stderr=fe, env=env)
    stats = ProgStats(p.pid)
    stats.start()
    if not wait_ready(p, 60 if tool == "bcc" else 20):
        stats.done = True
        stop(p, 5)
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
        rc, cpu, rss = reap(p, 300)
        if rc is None:
            rc, cpu, rss = stop(p, 10)
    elif keep or tool.startswith("flametui"):
        rc, cpu, rss = stop(p, 90, outfile=out + ".out")
    else:
        # the output is not used: do not wait for the peer to symbolize and print it
        kill(p)
        rc, cpu, rss = reap(p, 10)
    stats.done = True
    stats.join(1)
    fo.close()
    fe.close()
    res.update(rc=rc, cpu=cpu, out=out, bpf_ns=stats.per_run(), bpf_runs=stats.cnt)
    if tool.startswith("flametui"):
        res["counters"] = parse_verbose(open(out + ".err").read())
    return res


# ---------------------------------------------------------------- accuracy

LEAVES = ("leaf_a", "leaf_b", "leaf_c")


def shares_from_stacks(stacks):
    """stacks: iterable of (comm, frames list, count). Returns shares of ft-tree samples."""
    cnt = dict.fromkeys(LEAVES, 0)
    total = 0
    for comm, frames, n in stacks:
        if not comm.startswith("ft-tree"):
            continue
        total += n
        for leaf in LEAVES:
            if leaf in frames:
                cnt[leaf] += n
                break
    named = sum(cnt.values())
    if not named:
        return {"shares": None, "samples": total}
    return {"shares": {k: 100.0 * v / named for k, v in cnt.items()}, "samples": total,
            "unattributed": 100.0 * (total - named) / total}


def folded_stacks(path):
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            stack, _, n = line.rpartition(" ")
            if not n.isdigit():
                continue
            frames = [re.sub(r"\+0x[0-9a-f]+$", "", x) for x in stack.split(";")]
            if frames:
                yield frames[0], frames[1:], int(n)


def last_snapshot(path):
    """aggregate mode prints cumulative snapshots after '# time=' lines: keep the last."""
    with open(path, errors="replace") as f:
        text = f.read()
    idx = text.rfind("# time=")
    if idx >= 0:
        text = text[text.find("\n", idx) + 1:]
    tmp = path + ".last"
    with open(tmp, "w") as f:
        f.write(text)
    return tmp


def bpftrace_stacks(path):
    with open(path, errors="replace") as f:
        text = f.read()
    for m in re.finditer(r"@\[(.*?)\]: (\d+)", text, re.S):
        body = m.group(1)
        parts = body.rsplit(",", 1)
        comm = parts[-1].strip()
        frames = [re.sub(r"\+\d+$", "", x.strip()) for x in parts[0].split("\n")]
        yield comm, [x for x in frames if x and x != ","], int(m.group(2))


def accuracy_of(r):
    tool, out = r["tool"], r.get("out")
    if not out or r.get("error"):
        return None
    try:
        if tool == "flametui":
            return shares_from_stacks(folded_stacks(out + ".out"))
        if tool == "flametui-record":
            # the recording read back: the same shares as fixed, or the file lost samples
            with open(out + ".rec.folded", "w") as f:
                subprocess.run([FLAMETUI, "file", "--folded", out + ".ftrec"], stdout=f,
                               stderr=subprocess.DEVNULL, timeout=120)
            return shares_from_stacks(folded_stacks(out + ".rec.folded"))
        if tool == "flametui-agg":
            return shares_from_stacks(folded_stacks(last_snapshot(out + ".out")))
        if tool == "bcc":
            return shares_from_stacks(folded_stacks(out + ".out"))
        if tool == "bpftrace":
            return shares_from_stacks(bpftrace_stacks(out + ".out"))
        if tool == "perf":
            with open(out + ".folded", "w") as fo:
                subprocess.run(["perf", "script", "report", "stackcollapse", "-i",
                                out + ".data"], stdout=fo, stderr=subprocess.DEVNULL,
                               timeout=300)
            return shares_from_stacks(folded_stacks(out + ".folded"))
    except (OSError, subprocess.SubprocessError) as e:
        log("accuracy of %s: %s" % (tool, e))
    return None


# ---------------------------------------------------------------- sections

def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec="%.2f"):
    return "n/a" if x is None else spec % x


def add(section, item, value, target="", verdict=""):
    results.append((section, item, value, target, verdict))


def verdict(ok):
    if ok is None:
        return "n/a"
    return "PASS" if ok else "MISS"


def overhead_and_cost(rates, reps, seconds, bcc_ok):
    """Alternating runs: alone, profiler, (quick: profiler,) alone, ... with the profiler
    order rotated every rep. Each profiled run is compared with the mean of the alone runs
    just before and after it."""
    tools = ["floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace"]
    per_alone = 2 if QUICK else 1
    runs = {}
    for hz in rates:
        order = list(tools)
        if bcc_ok and (not QUICK or hz == 999):
            order.append("bcc")
        for rep in range(reps):
            k = rep % len(order)
            rot = [t for t in order[k:] + order[:k] if not (t == "bcc" and QUICK and rep)]
            seq = []
            for i, tool in enumerate(rot):
                if i % per_alone == 0:
                    seq.append(None)
                seq.append(tool)
            seq.append(None)
            done, last_alone, pending = [], None, []
            for tool in seq:
                if tool is None:
                    a = profiled_run(None, hz, seconds, "a")
                    runs.setdefault((None, hz), []).append(a)
                    for r in pending:
                        xs = [x for x in (last_alone, a.get("rps")) if x]
                        r["alone"] = sum(xs) / len(xs) if xs else None
                    pending, last_alone = [], a.get("rps")
                    continue
                # bpftrace symbolizes every stack of the machine when it prints (tens of
                # CPU seconds here): too slow for --quick
                keep = hz == 999 and rep == 0 and not (QUICK and tool == "bpftrace")
                r = profiled_run(tool, hz, seconds, str(rep), keep)
                runs.setdefault((tool, hz), []).append(r)
                pending.append(r)
                if r.get("error"):
                    log("%s @%d Hz: %s" % (tool, hz, r["error"]))
                else:
                    log("%s @%d Hz rep %d: %.0f rounds/s" % (tool, hz, rep, r["rps"] or 0))
    return runs


def report_overhead(runs, rates, bcc_ok):
    ratios = {}
    for (tool, hz), rs in runs.items():
        if tool is None:
            continue
        rr = [100.0 * r["rps"] / r["alone"] for r in rs
              if r.get("rps") and r.get("alone")]
        ratios[(tool, hz)] = rr
    for hz in rates:
        floor = med(ratios.get(("floor", hz), []))
        # The measurement's own resolution: each alone run against the alone runs around it.
        al = [r["rps"] for r in runs.get((None, hz), []) if r.get("rps")]
        aa = [100.0 * al[i] / ((al[i - 1] + al[i + 1]) / 2) for i in range(1, len(al) - 1)]
        noise = (max(aa) - min(aa)) if len(aa) >= 2 else None
        if aa:
            add("1 overhead", "alone vs alone @%d Hz" % hz,
                "%.1f%% (%.1f-%.1f, n=%d): the resolution of this section here" %
                (med(aa), min(aa), max(aa), len(aa)))
        for tool in ("floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace",
                     "bcc"):
            rr = ratios.get((tool, hz))
            if not rr:
                if tool == "bcc" and (not bcc_ok or QUICK):
                    continue
                add("1 overhead", "%s @%d Hz" % (tool, hz), "unavailable")
                continue
            m = med(rr)
            val = "%.1f%% of alone (%.1f-%.1f, n=%d)" % (m, min(rr), max(rr), len(rr))
            noisy = max(rr) - min(rr) > 10 or (
                floor is not None and max(ratios[("floor", hz)]) - min(ratios[("floor", hz)]) > 10)
            tgt = vd = ""
            if tool == "flametui-record":
                fixed = med(ratios.get(("flametui", hz), []))
                tgt = "next to fixed --folded %s" % fmt(fixed, "%.1f%%")
                # bytes on disk per sample kept, from the runs' files and counters
                bps = [os.path.getsize(r["out"] + ".ftrec") / r["counters"]["kept"]
                       for r in runs[(tool, hz)] if r.get("counters") and
                       r["counters"]["kept"] and os.path.exists(r.get("out", "") + ".ftrec")]
                if bps:
                    val += "; %.1f bytes/sample on disk" % med(bps)
            if tool in ("flametui", "flametui-agg") and floor is not None:
                tgt = "within 0.5 pt of floor %.1f%%" % floor
                vd = verdict(m >= floor - 0.5)
                if hz >= 999:
                    peers = [med(ratios.get((t, hz), [])) for t in ("perf", "bpftrace")]
                    peers = [x for x in peers if x is not None]
                    if peers:
                        tgt += "; above perf/bpftrace %s" % "/".join("%.1f" % x for x in peers)
                        vd = verdict(m >= floor - 0.5 and all(m > x for x in peers))
                if noise is not None and noise > 2.0:
                    # runs alone differ by more than the target's tolerance: no verdict
                    vd = "UNRESOLVED (alone runs spread %.0f pt; would be %s)" % (noise, vd)
                elif noisy:
                    vd += " (noisy: spread > 10 pt)"
            add("1 overhead", "%s @%d Hz" % (tool, hz), val, tgt, vd)
    return ratios


def report_accounted(runs, rates):
    """Overhead by accounting, where throughput cannot resolve it: the CPU each profiler spent
    while the workload ran (its process's threads, and its BPF programs' run time), as a share
    of the machine's CPU. The perf events' own interrupt is the same for every tool and is
    not in these numbers; so what flametui spends beyond the floor's tool is its extra
    overhead. Indirect costs (caches and TLB the handler disturbs) are not counted, and perf's
    stack walks and buffer writes happen in the kernel, where nothing here can see them."""
    for hz in rates:
        acc = {}
        for tool in ("floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace",
                     "bcc"):
            rs = [r for r in runs.get((tool, hz), []) if r.get("acct_proc") is not None]
            if rs:
                acc[tool] = (med([r["acct_proc"] + r["acct_bpf"] for r in rs]),
                             med([r["acct_proc"] for r in rs]), med([r["acct_bpf"] for r in rs]),
                             len(rs))
        floor = acc.get("floor")
        for tool in ("floor", "flametui", "flametui-record", "flametui-agg", "perf", "bpftrace",
                     "bcc"):
            if tool not in acc:
                continue
            tot, proc, bpf, n = acc[tool]
            val = "%.2f%% of the CPU (process %.2f + BPF %.2f, n=%d)" % (tot, proc, bpf, n)
            if tool == "perf":
                val += "; its kernel-side stack walks are not visible"
            tgt = vd = ""
            if tool.startswith("flametui") and floor:
                extra = tot - floor[0]
                val += "; +%.2f pt over the floor's %.2f%%" % (extra, floor[0])
                tgt = "within 0.5 pt of the floor"
                ok = extra <= 0.5
                if hz >= 999 and "bpftrace" in acc:
                    tgt += "; below bpftrace %.2f%%" % acc["bpftrace"][0]
                    ok = ok and tot < acc["bpftrace"][0]
                vd = verdict(ok)
            add("1 overhead", "%s @%d Hz accounted" % (tool, hz), val, tgt, vd)


def report_cost(runs, rates):
    # ns/run falls as the rate rises (warmer caches), so only the same rate is judged; --quick
    # runs bcc at 999 Hz only, so its other rates are shown without a verdict.
    bcc_runs = {hz: [r["bpf_ns"] for r in runs.get(("bcc", hz), []) if r.get("bpf_ns")]
                for hz in rates}
    bcc_at = {hz: med(v) for hz, v in bcc_runs.items()}
    for tool in ("flametui", "flametui-agg"):
        pts = []
        for hz in rates:
            rs = [r for r in runs.get((tool, hz), []) if r.get("counters") and r.get("cpu")]
            if not rs:
                add("2 own cost", "%s @%d Hz" % (tool, hz), "unavailable")
                continue
            cpu = med([r["cpu"] for r in rs])
            seen = med([r["counters"]["seen"] for r in rs])
            ns_runs = [r["bpf_ns"] for r in rs if r.get("bpf_ns")]
            ns = med(ns_runs)
            us_per_1k = 1e6 * cpu / seen * 1000 / 1000 if seen else None
            pts.append((seen, cpu))
            add("2 own cost", "%s @%d Hz user+sys" % (tool, hz),
                "%.3f s CPU for %d samples = %s us/sample (incl. startup)" %
                (cpu, seen, fmt(us_per_1k)), "", "")
            ref = bcc_at.get(hz)
            tgt = "<= bcc %.0f ns at %d Hz" % (ref, hz) if ref else \
                "<= bcc at %d Hz (not measured at this rate)" % hz
            vd = verdict(ns <= ref) if ns and ref else "n/a"
            other = bcc_runs.get(hz) or []
            if ns and ref and ns > ref and len(other) >= 2 and min(ns_runs) <= max(other):
                # same rate, and the runs of the two overlap: a difference of medians this
                # machine's run-to-run spread can make, not one it shows
                vd = "UNRESOLVED (runs overlap: flametui %.0f-%.0f, bcc %.0f-%.0f; would be " \
                     "MISS)" % (min(ns_runs), max(ns_runs), min(other), max(other))
            add("2 own cost", "%s @%d Hz BPF" % (tool, hz),
                "%s ns/run = %s ms per 1000 samples (%s)" %
                (fmt(ns, "%.0f"), fmt(ns / 1000 if ns else None, "%.2f"),
                 "%.0f-%.0f, n=%d" % (min(ns_runs), max(ns_runs), len(ns_runs))
                 if ns_runs else "no runs"), tgt, vd)
        if len(pts) >= 2:
            (s0, c0), (s1, c1) = min(pts), max(pts)
            marg = 1e6 * (c1 - c0) / (s1 - s0) if s1 > s0 else None
            add("2 own cost", "%s userspace marginal" % tool,
                "%s us/sample ((cpu@max-cpu@min)/(samples diff))" % fmt(marg),
                "< 5 us/sample", verdict(marg < 5) if marg is not None else "n/a")
    for tool in ("floor", "bpftrace", "bcc"):
        for hz in rates:
            v = [r["bpf_ns"] for r in runs.get((tool, hz), []) if r.get("bpf_ns")]
            if v:
                add("2 own cost", "%s @%d Hz BPF" % (tool, hz),
                    "%.0f ns/run (%.0f-%.0f, n=%d)" % (med(v), min(v), max(v), len(v)))


def userspace_steady(seconds, warmup, windows=3):
    """flametui's userspace cost per sample in steady state: `fixed --pid` on one ft-tree
    process at 4999 Hz; after a warm-up (start-up, the first symbol loads), windows of
    `seconds` each measure the process's CPU (schedstat of its threads) over the samples its
    BPF program handed on in that window (run_cnt; ft-tree keeps both CPUs busy, so there
    are next to no idle samples). Median of the windows. The marginal rows of section 2
    include start-up and the first symbol loads."""
    wl = spawn([TREE, "--seconds", str(windows * seconds + 30), "--threads", "2"],
               stdout=subprocess.DEVNULL)
    p = None
    per, rates = [], []
    try:
        time.sleep(0.5)
        p = spawn([FLAMETUI, "fixed", "--hz", "4999", "--ms", "0", "--pid", str(wl.pid),
                   "--folded"], stdout=subprocess.DEVNULL)
        if not wait_ready(p, 20):
            return ("2 own cost", "userspace steady state", "unavailable (flametui did not start)")
        time.sleep(warmup)
        prev = cpu_snapshot(p.pid), prog_runs(p.pid)
        for _ in range(windows):
            time.sleep(seconds)
            cur = cpu_snapshot(p.pid), prog_runs(p.pid)
            if prev[0] and cur[0] and cur[1] > prev[1]:
                per.append((cur[0][0] - prev[0][0]) / 1000.0 / (cur[1] - prev[1]))
                rates.append((cur[1] - prev[1]) / seconds)
            prev = cur
    finally:
        if p:
            stop(p, 30)
        kill(wl)
        reap(wl, 10)
    if not per:
        return ("2 own cost", "userspace steady state", "unavailable (no samples counted)")
    us = med(per)
    return ("2 own cost", "userspace steady state",
            "%.2f us/sample (median of %d windows of %.0f s: %s; %.0f samples/s, ft-tree, "
            "--pid)" % (us, len(per), seconds, " ".join("%.2f" % x for x in per), med(rates)),
            "< 5 us/sample", verdict(us < 5))


def peer_verdict(tool, ok):
    """Peers are measured, not judged: only flametui's rows can MISS."""
    if tool.startswith("flametui"):
        return verdict(ok)
    return "peer: " + ("within" if ok else "off")


def report_accuracy(runs):
    for tool in ("flametui", "flametui-record", "flametui-agg", "perf", "bpftrace", "bcc"):
        rs = [r for r in runs.get((tool, 999), []) if not r.get("error")]
        if tool == "bpftrace" and QUICK:
            add("4 accuracy", tool + " @999 Hz", "not measured in --quick (printing its map "
                "takes ~40 s of symbolization here)")
            continue
        if not rs:
            continue
        a = accuracy_of(rs[0])
        if not a:
            add("4 accuracy", tool + " @999 Hz", "no ft-tree samples found")
            continue
        if not a["shares"]:
            add("4 accuracy", tool + " @999 Hz", "0 of %d ft-tree samples have a leaf name "
                "(user symbols resolved after the process exited)" % a["samples"],
                "60/30/10 within 2 pt", peer_verdict(tool, False))
            continue
        s = a["shares"]
        want = {"leaf_a": 60, "leaf_b": 30, "leaf_c": 10}
        err = max(abs(s[k] - v) for k, v in want.items())
        vd = peer_verdict(tool, err <= 2.0)
        # A share from n samples is off by sqrt(p(1-p)/n) by chance alone: ~1.3 pt for 60%
        # over --quick's ~1400 samples. An error beyond 2 pt but within three of those is
        # what chance does once in a while, not a measured miss.
        n = max(a["samples"], 1)
        chance = max(3 * 100 * math.sqrt(v / 100 * (1 - v / 100) / n)
                     for k, v in want.items() if abs(s[k] - v) > 2.0) if err > 2.0 else 0
        if err > 2.0 and err <= chance:
            if tool.startswith("flametui"):
                vd = "UNRESOLVED (%d samples: chance alone reaches %.1f pt; would be %s)" % (
                    a["samples"], chance, vd)
            else:
                vd += " (within chance: %.1f pt)" % chance
        add("4 accuracy", tool + " @999 Hz",
            "a/b/c = %.1f/%.1f/%.1f%% (max err %.1f pt; %d samples, %.1f%% without a leaf)" %
            (s["leaf_a"], s["leaf_b"], s["leaf_c"], err, a["samples"], a["unattributed"]),
            "60/30/10 within 2 pt", vd)


def ingest(steps, seconds):
    set_sysctl("kernel.perf_event_max_sample_rate", 200000)
    set_sysctl("kernel.perf_cpu_time_max_percent", 0)
    best, above = None, []
    for hz in steps:
        wl = spawn([DEEP, "--seconds", str(seconds + 10), "--threads", str(NPROC)])
        time.sleep(0.2)
        fe = os.path.join(WORK, "ingest-%d.err" % hz)
        with open(fe, "w") as ferr:
            p = spawn([FLAMETUI, "fixed", "--hz", str(hz), "--ms", str(int(seconds * 1000)),
                       "--pid", str(wl.pid), "--folded", "--verbose"], stderr=ferr)
            rc, cpu, _ = reap(p, seconds + 60)
            if rc is None:
                stop(p, 5)
        kill(wl)
        reap(wl, 5)
        c = parse_verbose(open(fe).read())
        if not c:
            add("3 ingest", "%d Hz/CPU" % hz, "flametui failed: " +
                open(fe).read()[-200:].strip())
            break
        rate = c["seen"] / seconds
        log("ingest %d Hz/CPU: %.0f samples/s, lost %d, cpu %.2f s" %
            (hz, rate, c["lost"], cpu or 0))
        if c["lost"] == 0 and c["seen"] > 0:
            best = (hz, rate, cpu)
        else:
            above.append("%d Hz/CPU: %.0f/s seen, %d lost (%.1f%%), flametui %.2f s CPU" %
                         (hz, rate, c["lost"], 100.0 * c["lost"] / max(1, c["seen"]), cpu or 0))
            if len(above) >= 2:
                break
    if best:
        add("3 ingest", "max zero-drop rate",
            "%.0f samples/s all CPUs (%d Hz/CPU, %d+ frame stacks; flametui %.2f s CPU in %g s)"
            % (best[1], best[0], 60, best[2] or 0, seconds), ">= 50000/s zero drops",
            verdict(best[1] >= 50000))
    else:
        add("3 ingest", "max zero-drop rate", "none", ">= 50000/s", "MISS")
    if above:
        for a in above:
            add("3 ingest", "above it", a)
    else:
        add("3 ingest", "above it", "no drops at any step tried (highest %d Hz/CPU); the "
            "kernel's timer rate is the limit" % steps[-1])
    # the kernel refuses a new max rate while the time percent is 0: restore that first
    for k in ("kernel.perf_cpu_time_max_percent", "kernel.perf_event_max_sample_rate"):
        write_sysctl(k, saved_sysctl.pop(k))


B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b62(n):
    s = ""
    while True:
        s = B62[n % 62] + s
        n //= 62
        if not n:
            return s


def gen_folded(path, size, stacks=100000, depth=30):
    """100k distinct stacks, `depth` frames, sharing prefixes like a real tree: frame j of
    stack i is keyed by i >> max(0, 17 - 2j). Short names keep 100k stacks near 10 MB; the
    block of all stacks is repeated until `size` bytes. Returns distinct trie nodes."""
    lines = []
    for i in range(stacks):
        fr = ["ft"]
        for j in range(depth):
            key = i >> max(0, 17 - 2 * j)
            fr.append(b62((key * 7 + j * 13) % 3844))
        lines.append(";".join(fr) + " %d\n" % (1 + i % 5))
    block = "".join(lines).encode()
    with open(path, "wb") as f:
        written = 0
        while written < size:
            chunk = block[:size - written] if size - written < len(block) else block
            nl = chunk.rfind(b"\n") + 1
            f.write(chunk[:nl])
            written += nl
            if nl < len(block):
                break
    n = min(stacks, sum(1 for _ in open(path, "rb")))
    nodes = 1  # comm "ft"
    for j in range(depth):
        nodes += ((n - 1) >> max(0, 17 - 2 * j)) + 1
    return nodes, n


def time_cmd(argv, timeout=600, stdout=subprocess.DEVNULL):
    t0 = time.time()
    p = spawn(argv, stdout=stdout)
    rc, cpu, rss = reap(p, timeout)
    if rc is None:
        kill(p)
        reap(p, 5)
    return time.time() - t0, rc, rss


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


def first_frame(path, timeout=600):
    """`flametui file PATH`: seconds from exec until the first frame's header ("q quit")
    reaches the terminal. Returns (seconds, peak RSS KB) or (None, None)."""
    t = Pty([FLAMETUI, "file", path])
    took = t.wait_for(b"q quit", timeout)
    if took is not None:
        took = time.time() - t.t0
    return took, t.close()


def key_response(hz, presses):
    """The live view under load (ft-tree + ft-deep on every CPU, `aggregate --hz HZ`): time
    from a key press ('?') to the help box on the terminal, against the refresh period."""
    wls = [spawn([TREE, "--seconds", "600", "--threads", "2"]),
           spawn([DEEP, "--seconds", "600", "--threads", str(NPROC)])]
    t = Pty([FLAMETUI, "aggregate", "--hz", str(hz)])
    lat = []
    try:
        if t.wait_for(b"q quit", 30) is not None:
            t.drain(2.0)
            for _ in range(presses):
                t.send(b"?")
                d = t.wait_for(b"press any key to close", 5)
                if d is None:
                    break
                lat.append(d * 1000)
                t.send(b" ")
                t.drain(0.3)
    finally:
        t.close()
        for w in wls:
            kill(w)
            reap(w, 5)
    if len(lat) < presses:
        add("6 drawing", "key press, live view @%d Hz" % hz,
            "answered %d of %d presses" % (len(lat), presses), "within one refresh (1000 ms)",
            verdict(False))
        return
    add("6 drawing", "key press, live view @%d Hz" % hz,
        "%.1f ms median, %.1f ms max (%d presses, ft-tree + ft-deep running)" %
        (med(lat), max(lat), presses), "within one refresh (1000 ms)",
        verdict(max(lat) < 1000))


def fault_in_ms(nbytes, reps=3):
    """Milliseconds to fault in `nbytes` of fresh anonymous memory, one write per page: what
    any loader must pay, at this machine's rate, before it holds that much (median)."""
    import mmap
    pages = (nbytes + 4095) // 4096
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        m = mmap.mmap(-1, pages * 4096)
        m[::4096] = b"\x01" * pages
        ts.append(time.perf_counter() - t0)
        m.close()
    return 1000 * med(ts)


def offline(sizes):
    """Time to the first drawn frame (what a user waits for) sets the MB/s; converting to
    folded text (`file --folded`, which also writes every stack back out) is shown beside.
    A miss also shows the floor of the memory it needed: its peak RSS faulted in, nothing
    else done, and the MB/s that alone would allow."""
    per_node = []
    for mb in sizes:
        path = os.path.join(WORK, "gen-%dMB.folded" % mb)
        nodes, nst = gen_folded(path, mb * 1000000)
        real = os.path.getsize(path)
        reps = 1 if mb >= 1000 else (2 if QUICK else 3)
        times, rss, conv = [], None, []
        for _ in range(reps):
            t, r = first_frame(path)
            if t is None:
                add("5 offline", "folded %d MB" % mb, "flametui file drew no frame")
                times = []
                break
            times.append(t)
            rss = r
            t, rc, _r = time_cmd([FLAMETUI, "file", "--folded", path])
            if rc == 0:
                conv.append(t)
        if not times:
            continue
        t = med(times)
        mbs = real / 1e6 / t
        val = "%.0f MB/s (first frame %.2f s), peak RSS %.0f MB; --folded out %s s" % (
            mbs, t, rss / 1024, fmt(med(conv)) if conv else "failed")
        if mbs < 300:
            floor = fault_in_ms(rss * 1024)
            val += "; faulting in %.0f MB alone takes %.0f ms here (<= %.0f MB/s)" % (
                rss / 1024, floor, real / 1e6 / (floor / 1000))
        add("5 offline", "folded %d MB (%d stacks)" % (mb, nst), val, ">= 300 MB/s",
            verdict(mbs >= 300))
        per_node.append((nodes, rss * 1024, mb))
        os.unlink(path)
    if per_node:
        nodes, rss, mb = max(per_node)
        bpn = rss / nodes
        add("7 memory", "bytes per trie node",
            "%.0f B (peak RSS %.0f MB / %d distinct prefixes, %d MB input)" %
            (bpn, rss / 1e6, nodes, mb), "< 100 B", verdict(bpn < 100))


def perf_collapse(seconds, hz):
    data = os.path.join(WORK, "collapse.data")
    text = os.path.join(WORK, "collapse.txt")
    wl = spawn([TREE, "--seconds", str(seconds + 3), "--threads", "2"])
    subprocess.run(["perf", "record", "-F", str(hz), "-a", "-g", "-q", "-o", data, "--",
                    "sleep", str(seconds)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=seconds + 60)
    kill(wl)
    reap(wl, 5)
    with open(text, "w") as f:
        subprocess.run(["perf", "script", "-i", data], stdout=f, stderr=subprocess.DEVNULL,
                       timeout=600)
    size = os.path.getsize(text)
    fts = [time_cmd([FLAMETUI, "file", "--folded", text]) for _ in range(3)]
    if any(rc != 0 for _, rc, _ in fts):
        add("5 offline", "perf script text", "unavailable: flametui file failed (rc %s)" %
            fts[0][1])
        return
    ft = med([t for t, _, _ in fts])
    # perf's own collapse: from perf.data (what users run), and from the same text via stdin
    pf = med([time_cmd(["perf", "script", "report", "stackcollapse", "-i", data])[0]
              for _ in range(2)])
    ratio = pf / ft if ft else None
    add("5 offline", "perf script text %.1f MB" % (size / 1e6),
        "flametui %.0f MB/s (%.2f s); perf script report stackcollapse %.2f s = %.0f MB/s "
        "equiv." % (size / 1e6 / ft, ft, pf, size / 1e6 / pf),
        ">= 10x perf", "%s (%.1fx)" % (verdict(ratio >= 10), ratio))


def ring_rss(total, hz):
    wl = spawn([TREE, "--seconds", str(total + 10), "--threads", "2"])
    wl2 = spawn([DEEP, "--seconds", str(total + 10), "--threads", "1"])
    p = spawn([FLAMETUI, "ring", "--ms", "200", "--n", "10", "--hz", str(hz), "--folded"])
    samples = []
    t0 = time.time()
    while time.time() - t0 < total and p.poll() is None:
        try:
            with open("/proc/%d/status" % p.pid) as f:
                m = re.search(r"VmRSS:\s+(\d+)", f.read())
            samples.append((time.time() - t0, int(m.group(1))))
        except OSError:
            break
        time.sleep(0.5)
    stop(p, 10)
    for w in (wl, wl2):
        kill(w)
        reap(w, 5)
    if len(samples) < 4:
        add("7 memory", "ring RSS", "ring mode did not run")
        return
    half = total / 2
    first = max(r for t, r in samples if t <= half)
    later = max(r for t, r in samples if t > half)
    growth = 100.0 * (later - first) / first
    add("7 memory", "ring RSS (%d Hz, 200 ms x 10 slots)" % hz,
        "%.1f MB at %.0f s, %.1f MB at %.0f s (%+.1f%%)" %
        (first / 1024, half, later / 1024, total, growth), "flat within 10%",
        verdict(abs(growth) <= 10))


def setup_bcc():
    if not os.path.exists("/usr/sbin/profile-bpfcc"):
        notes.append("bcc profile-bpfcc not installed: bcc columns unavailable")
        return False
    if not os.path.isdir(KHEADERS):
        srcs = [d for d in sorted(os.listdir("/usr/src")) if d.startswith("linux-headers-")]
        common = [d for d in srcs if d.endswith("-common")]
        arch = [d for d in srcs if d.endswith("-amd64")]
        if not common or not arch:
            notes.append("no linux-headers-*-common/-amd64 in /usr/src: bcc unavailable")
            return False
        tmp = KHEADERS + ".tmp"
        subprocess.run(["rm", "-rf", tmp], check=False)
        os.makedirs(tmp)
        for d in (common[-1], arch[-1]):
            subprocess.run(["cp", "-a", "/usr/src/%s/." % d, tmp + "/"], check=True)
        os.rename(tmp, KHEADERS)
    return True


def drawing():
    """bench/draw.c: view__draw (layout + render into the cell buffer, all but the curses
    blit) at 200x50, and the live modes' per-refresh view rebuild, for ~10k/100k/1M nodes."""
    exe = os.path.join(os.path.dirname(FLAMETUI), "..", "bench", "draw-bench")
    try:
        out = subprocess.run([exe, "5" if QUICK else "15"], capture_output=True, text=True,
                             timeout=300).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        add("6 drawing", "layout+draw", "unavailable: %s" % e)
        return
    for line in out.splitlines():
        f = line.split()
        if len(f) != 6 or f[0] != "draw":
            continue
        nodes, med_ms, max_ms, merge_ms = int(f[1]), float(f[2]), float(f[3]), float(f[5])
        add("6 drawing", "layout+draw %s nodes" % format(nodes, ","),
            "%.2f ms (max %.2f); live rebuild %.1f ms" % (med_ms, max_ms, merge_ms),
            "< 10 ms" if nodes >= 900000 else "", verdict(med_ms < 10) if nodes >= 900000 else "")


def timeline():
    """bench/timeline.c: a synthetic 1-hour recording at 99 Hz on 2 CPUs: bytes per sample,
    time to open it, to draw its heat map and a range's flame graph (target: < 1 s in all)."""
    exe = os.path.join(os.path.dirname(FLAMETUI), "..", "bench", "timeline-bench")
    try:
        out = subprocess.run([exe, os.path.join(WORK, "1h.ftrec"), "3" if QUICK else "7"],
                             capture_output=True, text=True, timeout=600).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        add("7 timeline", "1-hour recording", "unavailable: %s" % e)
        return
    for line in out.splitlines():
        f = line.split()
        if len(f) != 7 or f[0] != "timeline":
            continue
        n, size, open_ms, heat_ms, range_ms = int(f[1]), int(f[2]), float(f[4]), \
            float(f[5]), float(f[6])
        add("7 timeline", "1 h @99 Hz x 2 CPUs (synthetic) on disk",
            "%.1f MB, %.2f bytes/sample (%d samples)" % (size / 1e6, size / n, n))
        total = open_ms + heat_ms + range_ms
        add("7 timeline", "open + heat map + range graph, 1 h @99 Hz",
            "%.0f ms (open %.0f, heat map %.0f, range %.0f)" % (total, open_ms, heat_ms,
                                                                range_ms),
            "< 1000 ms", verdict(total < 1000))


def main():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)
    os.makedirs(WORK, exist_ok=True)
    start = time.time()
    try:
        if want("overhead"):
            bcc_ok = setup_bcc()
            set_sysctl("kernel.bpf_stats_enabled", 1)
            rates = [99, 999, 4999]
            reps, secs = (3, 0.7) if QUICK else (5, 3.0)
            runs = overhead_and_cost(rates, reps, secs, bcc_ok)
            # counts samples with the BPF stats too, so before they are switched off
            steady = userspace_steady(*((1.0, 1.0) if QUICK else (3.0, 2.0)))
            write_sysctl("kernel.bpf_stats_enabled",
                         saved_sysctl.pop("kernel.bpf_stats_enabled"))
            report_overhead(runs, rates, bcc_ok)
            report_accounted(runs, rates)
            report_cost(runs, rates)
            add(*steady)
            report_accuracy(runs)
            log("overhead/cost done at %.0f s" % (time.time() - start))
        if want("ingest"):
            if QUICK:
                ingest([10000, 20000, 30000, 40000, 50000, 75000], 1.0)
            else:
                ingest([2500, 5000, 10000, 20000, 30000, 40000, 50000, 75000, 100000], 3.0)
            log("ingest done at %.0f s" % (time.time() - start))
        if want("offline"):
            offline([10, 100] if QUICK else [10, 100, 1000])
            perf_collapse(1 if QUICK else 5, 4999)
            log("offline done at %.0f s" % (time.time() - start))
        if want("drawing"):
            drawing()
            key_response(4999, 5 if QUICK else 20)
        if want("ring"):
            ring_rss(6 if QUICK else 120, 4999)
        if want("timeline"):
            timeline()
    finally:
        cleanup()
    print_table(time.time() - start)


def print_table(elapsed):
    w1 = max(len(r[0]) for r in results)
    w2 = max(len(r[1]) for r in results)
    print("flametui bench%s: %d CPUs, %.0f s" % (" --quick" if QUICK else "", NPROC, elapsed))
    print("%-*s  %-*s  %s" % (w1, "section", w2, "item", "result | target | verdict"))
    for sec, item, val, tgt, vd in results:
        line = "%-*s  %-*s  %s" % (w1, sec, w2, item, val)
        if tgt or vd:
            line += " | %s | %s" % (tgt, vd)
        print(line)
    misses = [r for r in results if r[4].startswith("MISS")]
    print()
    if misses:
        print("MISSED TARGETS (%d):" % len(misses))
        for sec, item, val, tgt, vd in misses:
            print("  MISS %s / %s: %s (target: %s)" % (sec, item, val, tgt))
    unres = [r for r in results if r[4].startswith("UNRESOLVED")]
    if unres:
        print("UNRESOLVED (the machine's noise is larger than the target's tolerance) (%d):" %
              len(unres))
        for sec, item, val, tgt, vd in unres:
            print("  %s / %s: %s (target: %s)" % (sec, item, val, tgt))
    if not misses:
        print("All measurable targets met." if unres else "All targets met.")
    for n in notes:
        print("note: " + n)


if __name__ == "__main__":
    main()
