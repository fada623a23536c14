#!/usr/bin/env python3
"""Writes a large synthetic collapsed-stack file for load benchmarks.

gen-folded.py MEGABYTES [DISTINCT_STACKS] > big.folded
Stacks share prefixes like real profiles (a few comms, deep common call chains, many leaves),
names are 10-60 bytes, some kernel frames carry "_[k]".
"""
import random
import sys

mb = float(sys.argv[1]) if len(sys.argv) > 1 else 100
distinct = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = random.Random(42)
words = ["alloc", "parse", "render", "Widget", "std::vector<int>::push_back", "hash_lookup",
         "ngx_http_process_request", "ext4_file_write_iter", "do_syscall_64", "memcpy",
         "json_decode", "Py_EvalFrameDefault", "tcp_sendmsg", "schedule", "Foo::Bar::baz"]
names = ["%s_%d" % (rng.choice(words), i) for i in range(3000)]
comms = ["nginx", "python3", "my worker", "postgres", "java"]
stacks = []
for _ in range(distinct):
    depth = rng.randint(5, 40)
    base = rng.randrange(0, 200)
    fr = [rng.choice(comms)] + [names[(base + d * 7) % 300] for d in range(depth // 2)]
    fr += [rng.choice(names) for _ in range(depth - depth // 2)]
    if rng.random() < 0.3:
        fr += ["%s_[k]" % rng.choice(names) for _ in range(rng.randint(1, 8))]
    stacks.append(";".join(fr))
out = sys.stdout
target = int(mb * 1024 * 1024)
written = 0
buf = []
while written < target:
    line = "%s %d\n" % (rng.choice(stacks), rng.randint(1, 500))
    buf.append(line)
    written += len(line)
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
