/* SPDX-License-Identifier: MIT */
/*
 * The whole user chain against live processes: each ft-target variant reports its own function
 * addresses through a pipe and we name them with symbolizer__user(child, addr), which goes
 * /proc/PID/maps -> file offset -> PT_LOAD -> vaddr -> symbol. Also: dlopen (maps re-read on a
 * miss), exec, a deleted binary, a JIT perf map, rate limits, kernel names and speed.
 * Usage: test-symbolizer PIE NONPIE STRIPPED NOBID_STRIPPED OTHER PLUG LIB
 */
#include <elf.h>
#include <errno.h>
#include <gelf.h>
#include <sys/auxv.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "frameaddrs.h"
#include "folded.h"
#include "grouping.h"
#include "procmaps.h"
#include "symbolizer.h"
#include "trie.h"

#define MAX_REPORTS 16

struct child {
	pid_t pid;
	FILE *in, *out; /* its stdin, its stdout */
	size_t n;
	char names[MAX_REPORTS][64];
	uint64_t addrs[MAX_REPORTS];
};

static char tmpdir[] = "/tmp/ft-symbolizer-XXXXXX";
static const char *lib_path;

/* Reads "name 0xaddr" lines up to "ready". */
static int child_read(struct child *c)
{
	char line[256], name[64];
	unsigned long long a;

	while (fgets(line, sizeof(line), c->out)) {
		if (!strncmp(line, "ready", 5))
			return 0;
		if (sscanf(line, "%63s %llx", name, &a) == 2 && c->n < MAX_REPORTS) {
			snprintf(c->names[c->n], sizeof(c->names[0]), "%s", name);
			c->addrs[c->n++] = a;
		}
	}
	return -1;
}

static int child_start(struct child *c, const char *prog)
{
	int in[2], out[2];
	char libdir[4096];

	memset(c, 0, sizeof(*c));
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		snprintf(libdir, sizeof(libdir), "%s", lib_path);
		setenv("LD_LIBRARY_PATH", dirname(libdir), 1);
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in = fdopen(in[1], "w");
	c->out = fdopen(out[0], "r");
	if (!c->in || !c->out)
		return -1;
	return child_read(c);
}

static void child_stop(struct child *c)
{
	if (c->in)
		fclose(c->in);
	if (c->out)
		fclose(c->out);
	if (c->pid > 0)
		waitpid(c->pid, NULL, 0);
	memset(c, 0, sizeof(*c));
}

static uint64_t addr_of(const struct child *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->names[i], name))
			return c->addrs[i];
	fprintf(stderr, "child did not report %s\n", name);
	check_failures++;
	return 0;
}

/* An independent oracle for "[module+0xoff]": the file offset from a sscanf of the maps. */
static uint64_t file_offset(pid_t pid, uint64_t addr, char *ret_base, size_t cap)
{
	unsigned long long start, end, off;
	char path[64], line[4096], file[4096];
	uint64_t res = ~0ull;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		file[0] = '\0';
		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %4095s", &start, &end, &off, file) >= 3 &&
		    addr >= start && addr < end) {
			res = addr - start + off;
			snprintf(ret_base, cap, "%s", basename(file));
		}
	}
	if (f)
		fclose(f);
	return res;
}

static void expect_(struct symbolizer *s, pid_t pid, uint64_t addr, const char *name,
		    enum frame_kind kind)
{
	struct sym sym = { 0 };

	CHECK(symbolizer__user(s, (uint32_t)pid, addr, &sym) == 0);
	CHECK_STR(sym.name, name);
	if (sym.name)
		CHECK_EQ_U64(sym.len, strlen(sym.name));
	CHECK_EQ_U64(sym.kind, kind);
}
#define expect(...) CHECK_CALLER(expect_(__VA_ARGS__))

/* The binary symbolizer__user() says addr is in (NULL: none). */
static void expect_module_(struct symbolizer *s, pid_t pid, uint64_t addr, const char *module)
{
	struct sym sym = { 0 };

	CHECK(symbolizer__user(s, (uint32_t)pid, addr, &sym) == 0);
	if (!module)
		CHECK(sym.module == NULL);
	else
		CHECK_STR(sym.module ? sym.module : "(null)", module);
}
#define expect_module(...) CHECK_CALLER(expect_module_(__VA_ARGS__))

static void expect_offset_(struct symbolizer *s, pid_t pid, uint64_t addr)
{
	char base[4096] = "", want[8192];
	uint64_t off = file_offset(pid, addr, base, sizeof(base));

	snprintf(want, sizeof(want), "[%s+0x%" PRIx64 "]", base, off);
	expect(s, pid, addr, want, FRAME_UNKNOWN);
}
#define expect_offset(...) CHECK_CALLER(expect_offset_(__VA_ARGS__))

/* Per-address names for unresolved addresses, so the tests can tell which address it was. */
static struct symbolizer *new_symbolizer(void)
{
	struct symbolizer_opts o = { .debug_root = tmpdir, .perfmap_dir = tmpdir,
				     .per_address = true };

	return symbolizer__new(&o);
}

/* Function starts, middles and ends, a size-0 label, a mangled name and a library function. */
static void check_target(struct symbolizer *s, const struct child *c)
{
	uint64_t sized = addr_of(c, "ft_sized"), zero = addr_of(c, "ft_zero");
	char base[4096] = "";

	expect(s, c->pid, addr_of(c, "target_alpha"), "target_alpha", FRAME_USER);
	expect(s, c->pid, addr_of(c, "target_alpha") + 1, "target_alpha", FRAME_USER);
	expect(s, c->pid, addr_of(c, "target_beta"), "target_beta", FRAME_USER);
	expect(s, c->pid, addr_of(c, "target_beta") + 2, "target_beta", FRAME_USER);
	expect(s, c->pid, sized, "ft_sized", FRAME_USER);
	expect(s, c->pid, sized + 8, "ft_sized", FRAME_USER);
	expect(s, c->pid, sized + 15, "ft_sized", FRAME_USER);
	expect_offset(s, c->pid, sized + 16); /* one past the end */
	expect_offset(s, c->pid, sized + 31);
	expect(s, c->pid, zero, "ft_zero", FRAME_USER);
	expect_offset(s, c->pid, zero + 1); /* size 0 swallows nothing */
	expect_offset(s, c->pid, zero + 4);
	expect(s, c->pid, addr_of(c, "ft_mangled"), "ft::mangled(int)", FRAME_USER);
	expect(s, c->pid, addr_of(c, "lib_inner"), "lib_inner", FRAME_USER);
	expect(s, c->pid, addr_of(c, "lib_inner") + 3, "lib_inner", FRAME_USER);
	expect_module(s, c->pid, addr_of(c, "lib_inner"), "libftlib.so");
	file_offset(c->pid, addr_of(c, "target_alpha"), base, sizeof(base));
	expect_module(s, c->pid, addr_of(c, "target_alpha"), base);
	expect_module(s, c->pid, 8, NULL); /* no mapping */
	/* A non-PIE program's &lib_gamma is its own PLT stub, not the library's code: named
	 * from its relocation, as perf does */
	file_offset(c->pid, addr_of(c, "lib_gamma"), base, sizeof(base));
	if (!strcmp(base, "libftlib.so")) {
		expect(s, c->pid, addr_of(c, "lib_gamma") + 3, "lib_gamma", FRAME_USER);
	} else {
		CHECK(strstr(base, "nopie") != NULL);
		expect(s, c->pid, addr_of(c, "lib_gamma") + 3, "lib_gamma@plt", FRAME_USER);
	}
}

static void check_variant(const char *prog)
{
	struct symbolizer_opts raw_opts = { .debug_root = tmpdir, .demangle = -1 };
	struct symbolizer *s = new_symbolizer(), *raw = symbolizer__new(&raw_opts);
	struct child c;

	CHECK(s != NULL && raw != NULL);
	if (child_start(&c, prog)) {
		CHECK(!"child start");
	} else if (s && raw) {
		char base[4096] = "", want[4200];

		check_target(s, &c);
		expect(raw, c.pid, addr_of(&c, "ft_mangled") + 1, "_ZN2ft7mangledEi", FRAME_USER);
		/* by default an unresolved address is named after its binary, one frame for all */
		file_offset(c.pid, addr_of(&c, "ft_zero") + 4, base, sizeof(base));
		snprintf(want, sizeof(want), "[%s]", base);
		expect(raw, c.pid, addr_of(&c, "ft_zero") + 4, want, FRAME_UNKNOWN);
		expect(raw, c.pid, addr_of(&c, "ft_sized") + 16, want, FRAME_UNKNOWN);
	}
	child_stop(&c);
	symbolizer__free(raw);
	symbolizer__free(s);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int write_file(const char *path, const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* A JIT's anonymous code named through /tmp/perf-PID.map, re-read when it grows. */
static void check_jit(struct symbolizer *s, const struct child *c)
{
	uint64_t jit = addr_of(c, "jit");
	char path[4096], text[256];

	struct symbolizer_stats st0, st1;

	expect(s, c->pid, jit + 4, "[unknown]", FRAME_UNKNOWN); /* no perf map yet */
	snprintf(path, sizeof(path), "%s/perf-%d.map", tmpdir, c->pid);
	/* a map that is refused (here a FIFO, not a regular file) counts while it lasts: once it
	 * reads (a map rewritten as it was opened, an open that timed out) it is not reported */
	symbolizer__stats(s, &st0);
	CHECK(mkfifo(path, 0644) == 0);
	sleep_ms(1050);
	expect(s, c->pid, jit + 4, "[unknown]", FRAME_UNKNOWN);
	symbolizer__stats(s, &st1);
	CHECK_EQ_U64(st1.perfmaps_refused, st0.perfmaps_refused + 1);
	unlink(path);
	sleep_ms(1050);
	expect(s, c->pid, jit + 4, "[unknown]", FRAME_UNKNOWN); /* gone: looked for, not found */
	snprintf(text, sizeof(text), "%" PRIx64 " 20 jit_one\n", jit);
	CHECK(write_file(path, "w", text) == 0);
	/* while no perf map was found, it is looked for at most once a second */
	sleep_ms(150);
	expect(s, c->pid, jit + 4, "[unknown]", FRAME_UNKNOWN);
	sleep_ms(1000);
	expect(s, c->pid, jit + 4, "jit_one", FRAME_JIT);
	symbolizer__stats(s, &st1);
	CHECK_EQ_U64(st1.perfmaps_refused, st0.perfmaps_refused); /* read now: not refused */
	expect(s, c->pid, jit + 0x1f, "jit_one", FRAME_JIT);
	expect_module(s, c->pid, jit + 4, "[jit]");
	snprintf(text, sizeof(text), "0x%" PRIx64 " 0x10 LazyCompile:*hot js\n", jit + 0x40);
	CHECK(write_file(path, "a", text) == 0);
	sleep_ms(150);
	expect(s, c->pid, jit + 0x48, "LazyCompile:*hot js", FRAME_JIT);
	expect(s, c->pid, jit + 0x100, "[unknown]", FRAME_UNKNOWN);
	unlink(path);
}

/* A library loaded after the maps were read: the miss re-reads them (rate-limited). */
static void check_dlopen(struct symbolizer *s, struct child *c, const char *plug)
{
	struct symbolizer_stats st0, st1;
	uint64_t a;
	int i;

	fprintf(c->in, "dlopen %s\n", plug);
	fflush(c->in);
	CHECK(child_read(c) == 0);
	a = addr_of(c, "plug_fn");
	CHECK(a != 0);
	sleep_ms(150);
	expect(s, c->pid, a, "plug_fn", FRAME_USER);
	expect(s, c->pid, a + 1, "plug_fn", FRAME_USER);

	/* A bad address can't make us parse the maps per sample. */
	symbolizer__stats(s, &st0);
	for (i = 0; i < 10000; i++)
		expect(s, c->pid, 0x10, "[unknown]", FRAME_UNKNOWN);
	symbolizer__stats(s, &st1);
	CHECK(st1.maps_reads - st0.maps_reads <= 2);

	/* Told that new mappings arrive another way (a long interval), misses read nothing... */
	symbolizer__set_maps_reread(s, 3600000000000ull);
	sleep_ms(150); /* past the default interval */
	for (i = 0; i < 1000; i++)
		expect(s, c->pid, 0x10, "[unknown]", FRAME_UNKNOWN);
	symbolizer__stats(s, &st0);
	CHECK_EQ_U64(st0.maps_reads, st1.maps_reads);
	/* ...and the default again reads at the next miss */
	symbolizer__set_maps_reread(s, 0);
	sleep_ms(150);
	expect(s, c->pid, 0x10, "[unknown]", FRAME_UNKNOWN);
	symbolizer__stats(s, &st1);
	CHECK_EQ_U64(st1.maps_reads - st0.maps_reads, 1);
}

/* A pid known only from a reported mapping has never had its maps read: its first miss reads
 * them whatever the interval (a child forked with its parent's mappings gets no records). */
static void check_first_miss(const char *pie)
{
	struct symbolizer *s = new_symbolizer();
	struct procmap pm = { .start = 0x10000, .end = 0x11000, .flags = PROCMAP_ANON, .path = "" };
	struct timespec ts;
	struct child c;

	if (!s || child_start(&c, pie)) {
		CHECK(!"child start");
		symbolizer__free(s);
		return;
	}
	/* Longer than the machine has been up, however long that is: "never read" must not
	 * be taken for "read at boot" (a young machine, or a young time namespace). */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	symbolizer__set_maps_reread(s, (uint64_t)ts.tv_sec * 1000000000ull + 3600000000000ull);
	CHECK(symbolizer__add_mapping(s, (uint32_t)c.pid, &pm) == 0);
	expect(s, c.pid, addr_of(&c, "target_alpha"), "target_alpha", FRAME_USER);
	child_stop(&c);
	symbolizer__free(s);
}

static void check_exec(struct symbolizer *s, struct child *c, const char *other)
{
	struct symbolizer_stats st0, st1;
	uint64_t a;

	fprintf(c->in, "exec %s\n", other);
	fflush(c->in);
	c->n = 0;
	CHECK(child_read(c) == 0);
	a = addr_of(c, "other_fn");
	symbolizer__pid_exec(s, (uint32_t)c->pid);
	symbolizer__stats(s, &st0);
	expect(s, c->pid, a, "other_fn", FRAME_USER);
	symbolizer__stats(s, &st1);
	CHECK_EQ_U64(st1.maps_reads - st0.maps_reads, 1);
}

static int hook_calls, hook_ret;

static int jit_hook(void *ctx, uint32_t pid)
{
	(void)ctx;
	(void)pid;
	hook_calls++;
	return hook_ret;
}

/*
 * A JVM (libjvm.so mapped): a miss in its anonymous code asks the hook; "a new map" is read at
 * once and from scratch (the JVM rewrites it whole), and its names get Java's tidying. Other
 * processes never ask the hook.
 */
static void check_jvm(const char *pie, const char *plug)
{
	struct symbolizer *s = new_symbolizer();
	char lib[4096], map[4096], text[512], cmd[8300];
	uint64_t jit;
	struct child c;

	if (!s || child_start(&c, pie)) {
		CHECK(!"child start");
		symbolizer__free(s);
		return;
	}
	symbolizer__set_jit_request(s, jit_hook, NULL);
	hook_calls = 0;
	hook_ret = 1;
	jit = addr_of(&c, "jit");
	snprintf(map, sizeof(map), "%s/perf-%d.map", tmpdir, c.pid);
	snprintf(text, sizeof(text), "%" PRIx64 " 20 long Hot.hotA(long, long, long, long, long, long, long, long, long)\n", jit);
	CHECK(write_file(map, "w", text) == 0);
	/* not a JVM: never asked; a perf map it wrote itself is read, names tidied alike */
	expect(s, c.pid, jit + 4, "long Hot.hotA", FRAME_JIT);
	expect(s, c.pid, jit + 0x44, "[unknown]", FRAME_UNKNOWN);
	CHECK_EQ_U64(hook_calls, 0);
	symbolizer__free(s);
	s = new_symbolizer();
	CHECK(s != NULL);
	if (!s)
		goto out;
	symbolizer__set_jit_request(s, jit_hook, NULL);

	snprintf(lib, sizeof(lib), "%s/libjvm.so", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", plug, lib);
	CHECK(system(cmd) == 0);
	fprintf(c.in, "dlopen %s\n", lib);
	fflush(c.in);
	CHECK(child_read(&c) == 0);
	expect(s, c.pid, addr_of(&c, "plug_fn"), "plug_fn", FRAME_USER);
	snprintf(text, sizeof(text),
		 "%" PRIx64 " 20 long Hot.hotA(long, long, long, long, long, long, long, long, long)\n%" PRIx64 " 10 Lorg/foo/Bar;.baz(I)V\n", jit,
		 jit + 0x40);
	CHECK(write_file(map, "w", text) == 0);
	/* the first miss asks; Java's rule in a JVM */
	expect(s, c.pid, jit + 0x44, "org/foo/Bar:.baz", FRAME_JIT);
	CHECK_EQ_U64(hook_calls, 1);
	expect(s, c.pid, jit + 4, "long Hot.hotA", FRAME_JIT);
	expect(s, c.pid, jit + 0x44, "org/foo/Bar:.baz", FRAME_JIT);
	CHECK_EQ_U64(hook_calls, 1); /* hits ask nothing */
	/* rewritten whole, longer, with the same first line: read from scratch when the hook says
	 * it is new (read from where it was, the new line would be cut) */
	snprintf(text, sizeof(text),
		 "%" PRIx64 " 20 long Hot.hotA(long, long, long, long, long, long, long, long, long)\n%" PRIx64 " 10 void Hot.late()\n%" PRIx64
		 " 10 Lorg/foo/Bar;.baz(I)V\n",
		 jit, jit + 0x80, jit + 0x40);
	/* (a real JVM's maps begin with the same stubs every time: more than the 64 bytes the
	 * perf map reader compares to tell a rewritten file) */
	CHECK(write_file(map, "w", text) == 0);
	sleep_ms(150); /* a pid's map is looked at (and the hook asked) ten times a second */
	expect(s, c.pid, jit + 0x84, "void Hot.late", FRAME_JIT);
	CHECK_EQ_U64(hook_calls, 2);
	expect(s, c.pid, jit + 0x44, "org/foo/Bar:.baz", FRAME_JIT);
	/* no new map: the miss stays a miss, and the hook (which rate-limits) is asked again */
	hook_ret = 0;
	expect(s, c.pid, jit + 0xc4, "[unknown]", FRAME_UNKNOWN);
	CHECK_EQ_U64(hook_calls, 2); /* not within 100 ms */
	sleep_ms(150);
	expect(s, c.pid, jit + 0xc4, "[unknown]", FRAME_UNKNOWN);
	CHECK_EQ_U64(hook_calls, 3);
out:
	unlink(map);
	unlink(lib);
	child_stop(&c);
	symbolizer__free(s);
}

static void check_live(const char *pie, const char *plug, const char *other)
{
	struct symbolizer *s = new_symbolizer();
	struct symbolizer_stats st;
	struct child c;
	struct sym sym;
	uint64_t alpha, t0, t1;
	struct timespec ts;
	int i;

	CHECK(s != NULL);
	if (!s || child_start(&c, pie)) {
		CHECK(!"child start");
		symbolizer__free(s);
		return;
	}
	check_target(s, &c);
	check_jit(s, &c);
	check_dlopen(s, &c, plug);

	/* Steady state: hash, mapping hint, symbol search. */
	alpha = addr_of(&c, "target_alpha");
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	for (i = 0; i < 1000000; i++)
		symbolizer__user(s, (uint32_t)c.pid, alpha + (uint64_t)(i & 7), &sym);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t1 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	fprintf(stderr, "steady-state user lookup: %" PRIu64 " ns\n", (t1 - t0) / 1000000);
	CHECK((t1 - t0) / 1000000 < 1000);

	symbolizer__stats(s, &st);
	CHECK(st.binaries >= 3 && st.binaries <= 6); /* target, lib, plug, maybe libc... */
	CHECK(st.user_lookups > 1000000);
	CHECK(st.unknown > 0);

	check_exec(s, &c, other);
	symbolizer__pid_exit(s, (uint32_t)c.pid);
	child_stop(&c);
	symbolizer__free(s);
}

/* Deleted after it started: reachable only through /proc/PID/map_files. */
static void check_deleted(const char *pie)
{
	struct symbolizer *s = new_symbolizer();
	char path[4096], cmd[8192];
	struct child c;

	snprintf(path, sizeof(path), "%s/ft-deleted", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", pie, path);
	CHECK(system(cmd) == 0);
	if (!s || child_start(&c, path)) {
		CHECK(!"child start");
		symbolizer__free(s);
		return;
	}
	CHECK(unlink(path) == 0);
	expect(s, c.pid, addr_of(&c, "target_alpha"), "target_alpha", FRAME_USER);
	expect_offset(s, c.pid, addr_of(&c, "ft_zero") + 4); /* named after the file */
	child_stop(&c);
	symbolizer__free(s);
}

/* A binary rewritten in place keeps its inode; the cached symbols of the old one must go. */
static void check_rewritten(const char *pie, const char *nopie)
{
	struct symbolizer *s = new_symbolizer();
	char path[4096], cmd[8192];
	struct child c;

	snprintf(path, sizeof(path), "%s/ft-rewritten", tmpdir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", pie, path);
	CHECK(system(cmd) == 0);
	if (!s || child_start(&c, path)) {
		CHECK(!"child start");
		symbolizer__free(s);
		return;
	}
	expect(s, c.pid, addr_of(&c, "target_alpha"), "target_alpha", FRAME_USER);
	child_stop(&c);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", nopie, path); /* same inode, new contents */
	CHECK(system(cmd) == 0);
	if (child_start(&c, path)) {
		CHECK(!"child start");
	} else {
		expect(s, c.pid, addr_of(&c, "target_beta") + 1, "target_beta", FRAME_USER);
		expect(s, c.pid, addr_of(&c, "ft_sized") + 4, "ft_sized", FRAME_USER);
	}
	child_stop(&c);
	unlink(path);
	symbolizer__free(s);
}


/* One sample of `pid` with a one-frame user stack (the innermost frame: looked up as is). */
static void feed_(struct collector *col, pid_t pid, const char *comm, uint64_t addr)
{
	static struct ft_sample smp;

	memset(&smp, 0, sizeof(smp));
	smp.hdr.type = FT_REC_SAMPLE;
	smp.hdr.tgid = smp.hdr.tid = (uint32_t)pid;
	snprintf(smp.hdr.comm, sizeof(smp.hdr.comm), "%s", comm);
	smp.kstack_sz = -14;
	smp.ustack_sz = 8;
	smp.stack[0] = addr;
	CHECK(collector__on_sample(col, &smp) == 0);
}
#define feed(...) CHECK_CALLER(feed_(__VA_ARGS__))

/* Whether t, its per-thread roots regrouped by g, has this folded line. */
static bool has_line_grouped(struct trie *t, enum grouping g, const char *line)
{
	struct trie *view = trie__new();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	bool found;

	CHECK(view && grouping__rebuild(view, t, g) == 0);
	CHECK(f && view && folded__write(view, f) == 0);
	if (f)
		fclose(f);
	trie__free(view);
	found = buf && strstr(buf, line) != NULL;
	if (!found)
		fprintf(stderr, "no line \"%s\" in:\n%s", line, buf ? buf : "");
	free(buf);
	return found;
}

static bool has_line(struct trie *t, const char *line)
{
	return has_line_grouped(t, GROUP_COMM, line);
}

/*
 * The collector caches names per (pid, address) and root names per thread: what it adds
 * must stay what the symbolizer says now. The generation moves when the pid's mappings are
 * read again (dlopen), changed (a reported mapping) or forgotten (exec); an exec at the same
 * pid and address then gives the new program's name, not the cached one; a new comm gives a
 * new root, named after the thread.
 */
static void check_collector_cache(const char *pie, const char *plug, const char *other)
{
	struct symbolizer *s = new_symbolizer(), *fresh;
	struct trie *t = trie__new();
	struct collector *col = s && t ? collector__new(t, s) : NULL;
	struct ft_proc_event ev = { .hdr.type = FT_REC_EXEC };
	struct symbolizer_stats st0, st1;
	struct procmap pm = { 0 };
	struct sym sym;
	uint64_t a, g0, g1;
	struct child c;
	char want[256], base[4096];
	struct frameaddrs_hot hot = { 0 };

	CHECK(col != NULL);
	if (!col || child_start(&c, pie)) {
		CHECK(!"child start");
		goto out;
	}
	a = addr_of(&c, "target_alpha") + 1;
	CHECK_EQ_U64(symbolizer__pid_gen(s, (uint32_t)c.pid), 0); /* not looked up yet */
	feed(col, c.pid, "tgt", a);
	g0 = symbolizer__pid_gen(s, (uint32_t)c.pid);
	CHECK(g0 != 0);
	symbolizer__stats(s, &st0);
	feed(col, c.pid, "tgt", a); /* from the cache: the symbolizer is not asked */
	symbolizer__stats(s, &st1);
	CHECK_EQ_U64(st1.user_lookups, st0.user_lookups);
	CHECK(has_line(t, "tgt;target_alpha 2\n"));
	CHECK_EQ_U64(symbolizer__pid_gen(s, (uint32_t)c.pid), g0);
	/* the frame address table counted both, the cached one too, at the address's file
	 * offset (what --per-address names it by) */
	CHECK(frameaddrs__hot(collector__addrs(col), frameaddrs__key("target_alpha", 12, FRAME_USER),
			      &hot) == 0);
	CHECK_EQ_U64(hot.addrs, 1);
	CHECK_EQ_U64(hot.samples, 2);
	CHECK_EQ_U64(hot.total, 2);
	CHECK_EQ_U64(hot.offset, file_offset(c.pid, a, base, sizeof(base)));
	feed(col, c.pid, "off", a + 1); /* its own root: the counts below stay */
	CHECK(frameaddrs__hot(collector__addrs(col), frameaddrs__key("target_alpha", 12, FRAME_USER),
			      &hot) == 0);
	CHECK_EQ_U64(hot.addrs, 2);
	CHECK_EQ_U64(hot.total, 3);
	CHECK_EQ_U64(hot.offset, file_offset(c.pid, a, base, sizeof(base)));

	/* a new comm for the same thread: a new root, per thread */
	feed(col, c.pid, "renamed", a);
	CHECK(has_line(t, "renamed;target_alpha 1\n"));
	snprintf(want, sizeof(want), "renamed-%d/%d;target_alpha 1\n", (int)c.pid, (int)c.pid);
	CHECK(has_line_grouped(t, GROUP_THREAD, want));
	feed(col, c.pid, "tgt", a);
	snprintf(want, sizeof(want), "tgt-%d;target_alpha 3\n", (int)c.pid);
	CHECK(has_line_grouped(t, GROUP_PID, want));

	/* a library loaded later: the miss reads the maps again, the generation moves */
	fprintf(c.in, "dlopen %s\n", plug);
	fflush(c.in);
	CHECK(child_read(&c) == 0);
	sleep_ms(150);
	feed(col, c.pid, "tgt", addr_of(&c, "plug_fn") + 1);
	CHECK(has_line(t, "tgt;plug_fn 1\n"));
	g1 = symbolizer__pid_gen(s, (uint32_t)c.pid);
	CHECK(g1 != 0 && g1 != g0);

	/* a mapping reported by the kernel changes the mappings too */
	pm.start = 0x10000;
	pm.end = 0x11000;
	pm.flags = PROCMAP_ANON;
	pm.path = "";
	CHECK(symbolizer__add_mapping(s, (uint32_t)c.pid, &pm) == 0);
	CHECK(symbolizer__pid_gen(s, (uint32_t)c.pid) != g1);

	/* exec at the same pid: the address now means what the new program has there */
	fprintf(c.in, "exec %s\n", other);
	fflush(c.in);
	c.n = 0;
	CHECK(child_read(&c) == 0);
	ev.hdr.tgid = ev.hdr.tid = (uint32_t)c.pid;
	CHECK(collector__on_proc(col, &ev) == 0);
	feed(col, c.pid, "oth", a);
	fresh = new_symbolizer();
	CHECK(fresh && symbolizer__user(fresh, (uint32_t)c.pid, a, &sym) == 0);
	if (fresh && sym.name) {
		CHECK(strcmp(sym.name, "target_alpha") != 0);
		snprintf(want, sizeof(want), "oth;%.*s%s 1\n", (int)sym.len, sym.name,
			 sym.kind == FRAME_JIT ? "_[j]" : "");
		CHECK(has_line(t, want));
	}
	symbolizer__free(fresh);
	child_stop(&c);
out:
	collector__free(col);
	trie__free(t);
	symbolizer__free(s);
}

static void check_kernel(void)
{
	struct symbolizer_opts o = { 0 };
	struct symbolizer *s;
	char path[4096];
	struct sym sym;

	snprintf(path, sizeof(path), "%s/kallsyms", tmpdir);
	CHECK(write_file(path, "w",
			 "ffffffff81000000 T _stext\n"
			 "ffffffff81000100 T do_thing\n"
			 "ffffffff81000200 t do_other\n"
			 "ffffffff81000300 T _etext\n"
			 "ffffffffc0001000 t mod_fn\t[mymod]\n"
			 "ffffffffc0001100 t mod_fn2\t[mymod]\n") == 0);
	o.kallsyms = path;
	s = symbolizer__new(&o);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(symbolizer__kernel(s, 0xffffffff81000150ull, &sym) == 0);
	CHECK_STR(sym.name, "do_thing");
	CHECK_EQ_U64(sym.kind, FRAME_KERNEL);
	CHECK_STR(sym.module ? sym.module : "(null)", "[kernel]");
	CHECK(symbolizer__kernel(s, 0xffffffffc0001010ull, &sym) == 0);
	CHECK_STR(sym.name, "mod_fn [mymod]");
	CHECK_EQ_U64(sym.len, strlen("mod_fn [mymod]"));
	CHECK_EQ_U64(sym.kind, FRAME_KERNEL);
	CHECK_STR(sym.module ? sym.module : "(null)", "mymod");
	CHECK(symbolizer__kernel(s, 0x1000, &sym) == 0);
	CHECK_STR(sym.name, "[unknown]");
	CHECK_EQ_U64(sym.kind, FRAME_UNKNOWN);
	CHECK(sym.module == NULL); /* "[unknown]" is a name user frames share */
	symbolizer__free(s);

	/* kptr_restrict: every address is 0, nothing can be named. */
	CHECK(write_file(path, "w", "0000000000000000 T _stext\n0000000000000000 T do_thing\n") ==
	      0);
	s = symbolizer__new(&o);
	CHECK(s && symbolizer__kernel(s, 0xffffffff81000150ull, &sym) == 0);
	CHECK_STR(sym.name, "[unknown]");
	symbolizer__free(s);

	o.kallsyms = "/nonexistent/kallsyms";
	s = symbolizer__new(&o);
	CHECK(s && symbolizer__kernel(s, 0xffffffff81000150ull, &sym) == 0);
	CHECK_STR(sym.name, "[unknown]");
	symbolizer__free(s);
	unlink(path);
}

static void check_gone(void)
{
	struct symbolizer *s = new_symbolizer();
	struct sym sym;

	/* A pid that does not exist: unknown, not an error. */
	CHECK(s && symbolizer__user(s, 0x7ffffff0, 0x401000, &sym) == 0);
	CHECK_STR(sym.name, "[unknown]");
	symbolizer__pid_exit(s, 0x7ffffff0);
	symbolizer__pid_exit(s, 12345678);
	symbolizer__pid_exec(s, 12345678);
	symbolizer__free(s);
	symbolizer__free(NULL);
}

/* The address of our own vDSO's clock_gettime (found with libelf in the image itself). */
static uint64_t own_vdso_fn(const char *want)
{
	char *img = (char *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
	uint64_t found = 0, load = UINT64_MAX;
	Elf_Scn *scn = NULL;
	Elf *e;

	if (!img)
		return 0;
	elf_version(EV_CURRENT);
	e = elf_memory(img, eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize);
	for (size_t i = 0; e && i < eh->e_phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD && ph.p_vaddr < load)
			load = ph.p_vaddr;
	}
	while (e && load != UINT64_MAX && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Sym sym;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || !(d = elf_getdata(scn, NULL)))
			continue;
		for (int k = 0; gelf_getsym(d, k, &sym); k++)
			if (!strcmp(elf_strptr(e, sh.sh_link, sym.st_name), want) && sym.st_value)
				found = (uint64_t)(uintptr_t)img + sym.st_value - load;
	}
	if (e)
		elf_end(e);
	return found;
}

/* vDSO frames are named from the vDSO's own symbols (it is an ELF image in memory). */
static void check_vdso(void)
{
	struct symbolizer *s = new_symbolizer();
	uint64_t a = own_vdso_fn("__vdso_clock_gettime");
	struct sym sym = { 0 };

	CHECK(s != NULL && a != 0);
	if (!s || !a)
		goto out;
	CHECK(symbolizer__user(s, (uint32_t)getpid(), a + 4, &sym) == 0);
	CHECK(sym.name && sym.kind == FRAME_USER &&
	      (!strncmp(sym.name, "__vdso_clock_gettime", sym.len) ||
	       !strncmp(sym.name, "clock_gettime", sym.len)));
	if (sym.name && sym.kind != FRAME_USER)
		fprintf(stderr, "vdso frame named '%.*s'\n", (int)sym.len, sym.name);
out:
	symbolizer__free(s);
}

int main(int argc, char **argv)
{
	if (argc != 8) {
		fprintf(stderr, "usage: %s PIE NONPIE STRIPPED NOBID_STRIPPED OTHER PLUG LIB\n",
			argv[0]);
		return 1;
	}
	if (getuid() != 0) {
		fprintf(stderr, "needs root for /proc/PID/map_files\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	lib_path = argv[7];
	if (!mkdtemp(tmpdir))
		return 1;
	check_variant(argv[1]);
	check_variant(argv[2]);
	check_variant(argv[3]);
	check_variant(argv[4]);
	check_live(argv[1], argv[6], argv[5]);
	check_deleted(argv[1]);
	check_rewritten(argv[1], argv[2]);
	check_collector_cache(argv[1], argv[6], argv[5]);
	check_first_miss(argv[1]);
	check_jvm(argv[1], argv[6]);
	check_kernel();
	check_vdso();
	check_gone();
	rmdir(tmpdir);
	return check_done();
}
