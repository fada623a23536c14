# SPDX-License-Identifier: MIT
"""Collapsed-stack inputs for the offline section, generated at run time (never committed).

`repeated` is the old input: one block of 100k short stacks repeated to the size, so most
lines hit flametui's identical-stack cache. `distinct` is what a real collapsed file looks like:
every line a different stack, 10-50 frames of 20-90-character C++/Rust-style names, about 1 KB
a line, the stacks sharing prefixes as the calls of a real program do."""
import random

B62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def b62(n):
    s = ""
    while True:
        s = B62[n % 62] + s
        n //= 62
        if not n:
            return s


def repeated(path, size, stacks=100000, depth=30):
    """100k distinct stacks, `depth` frames, sharing prefixes like a real tree: frame j of
    stack i is keyed by i >> max(0, 17 - 2j). Short names keep 100k stacks near 10 MB; the
    block of all stacks is repeated until `size` bytes. Returns (distinct trie nodes, lines
    of the first block written)."""
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
    with open(path, "rb") as f:
        n = min(stacks, sum(1 for _ in f))
    nodes = 1  # comm "ft"
    for j in range(depth):
        nodes += ((n - 1) >> max(0, 17 - 2 * j)) + 1
    return nodes, n


NAMESPACES = ("std", "core", "alloc", "tokio", "hyper", "serde_json", "mozilla::dom",
              "v8::internal",
              "llvm", "clang::Sema", "boost::asio", "folly", "absl::container_internal",
              "rocksdb", "grpc_core", "tensorflow::grappler", "skia::gpu", "webrtc::video")
CLASSES = ("Vector", "HashMap", "BTreeMap", "Runtime", "Scheduler", "Connection", "Parser",
           "Deserializer", "Allocator", "Isolate", "Heap", "MarkCompactCollector", "Builder",
           "InstCombiner", "RegAllocGreedy", "TaskQueue", "StreamingDecoder", "EventLoop",
           "FrameProcessor", "BlockBasedTable", "CompactionJob", "HTMLMediaElement", "Channel")
METHODS = ("push_back", "poll", "poll_next", "drop_in_place", "deserialize_map", "visit_seq",
           "insert_unique", "find_or_insert", "run_once", "process_frame", "encode_block",
           "handle_request", "Compile", "Optimize", "Evacuate", "MarkLive", "Iterate",
           "SetCurrentTime", "get_or_init", "try_fold", "call_once", "spawn_blocking", "Flush")
ARGS = ("u8", "i64", "usize", "String", "std::string", "Vec<u8>", "Box<dyn Fn()>", "T", "K, V",
        "const char*", "unsigned long", "Arc<Mutex<State>>", "std::shared_ptr<Node>")


def names(count, rng):
    """`count` distinct names of 20 to 90 characters, in the shapes C++ and Rust symbols have:
    ns::Class<Arg>::method, <ns::Class as Trait>::method, ns::Class::method::{{closure}}."""
    out, seen = [], set()
    while len(out) < count:
        ns, cl, m = rng.choice(NAMESPACES), rng.choice(CLASSES), rng.choice(METHODS)
        shape = rng.randrange(4)
        if shape == 0:
            s = "%s::%s<%s>::%s" % (ns, cl, rng.choice(ARGS), m)
        elif shape == 1:
            s = "<%s::%s as %s::%s>::%s" % (ns, cl, rng.choice(NAMESPACES), rng.choice(CLASSES), m)
        elif shape == 2:
            s = "%s::%s::%s::{{closure}}" % (ns, cl, m)
        else:
            s = "%s::%s::%s_%d" % (ns, cl, m, rng.randrange(1000))
        # mostly short names, some long: the mean near 35 characters keeps lines near 1 KB
        cap = int(rng.triangular(20, 45, 20)) if rng.random() < 0.8 else rng.randrange(45, 91)
        s = s[:cap]
        if len(s) < 20 or s in seen:
            continue
        seen.add(s)
        out.append(s)
    return out


def distinct(path, size, seed=1, vocabulary=20000, shared=8):
    """Writes about `size` bytes of collapsed stacks, every line a different stack. A stack
    walks down a call tree for its first `shared` frames, taking one of 8 callees at each
    level, the first ones far more often (as hot paths are), so stacks share prefixes; deeper
    frames are drawn from the whole vocabulary, so stacks part there as real ones do. Depth
    10-50 frames. Returns (lines, bytes written)."""
    rng = random.Random(seed)
    pool = names(vocabulary, rng)
    npool = len(pool)
    callee = (0, 1, 2, 3, 4, 5, 6, 7)
    weights = (128, 64, 32, 16, 8, 4, 2, 1)
    seen = set()
    lines = written = 0
    choices, randrange = rng.choices, rng.randrange
    with open(path, "w", buffering=1 << 20) as f:
        while written < size:
            depth = randrange(10, 51)
            node = 0
            frames = ["ft-app"]
            for j, k in enumerate(choices(callee, weights, k=shared)):
                node = (node * 1000003 + k * 7919 + j * 131 + 17) & 0xFFFFFFFFFFFF
                frames.append(pool[node % npool])
            frames += choices(pool, k=depth - shared)
            line = ";".join(frames)
            h = hash(line)
            if h in seen:
                continue
            seen.add(h)
            text = "%s %d\n" % (line, 1 + randrange(1000))
            f.write(text)
            written += len(text)
            lines += 1
    return lines, written
