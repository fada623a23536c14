// SPDX-License-Identifier: MIT
/*
 * perf script collapsing: header shapes, frame names and kinds, sample boundaries, periods and
 * events, perf script without -g, stackcollapse-perf.pl's output on real inputs (scp/), and real
 * `perf script` output (several -F variants of one recording) checked against what perf's own
 * `perf script report stackcollapse --kernel` printed for that recording.
 */
#include <dirent.h>
#include <errno.h>
#include <unistd.h>

#include "folded.h"
#include "frameaddrs.h"
#include "perfscript.h"
#include "timeline.h"
#include "util.h"

static void comm_is(const char *header, const char *want)
{
	size_t off, len;
	char got[128];

	perfscript__header_comm(header, strlen(header), &off, &len);
	snprintf(got, sizeof(got), "%.*s", (int)len, header + off);
	if (strcmp(got, want))
		fprintf(stderr, "  header: \"%s\"\n", header);
	CHECK_STR(got, want);
}

static void test_headers(void)
{
	comm_is("sh  3927  2048.841723:    1001001 cpu-clock:ppp: ", "sh");
	comm_is("my worker  4097/4097  [000]  2092.146122:    1001001 cpu-clock:ppp: ", "my worker");
	comm_is("my worker  4097 ", "my worker");
	comm_is("sh ", "sh");
	comm_is("Web Content 2  1234/1235 [001] 1.5: 1 cycles:", "Web Content 2");
	comm_is("         swapper     0 [000] 14036.219425:          1 cycles:", "swapper");
	comm_is("kworker/u8:2 123 [001] 5.000001: cpu-clock:", "kworker/u8:2");
	comm_is("java 4567 cpu-clock:", "java");
	comm_is("sh  3927    1001001 cpu-clock:ppp:", "sh");
	comm_is("my worker 2092.146122:", "my worker");
	comm_is("perf-exec 12 [003] 1.000: sched:sched_switch: prev_comm=x prev_pid=1", "perf-exec");
	comm_is("123 456 [000] 1.0: cycles:", "123");
	comm_is("a 1 2 3", "a 1 2");
	comm_is("", "");

	CHECK(perfscript__looks_like_header("sh 1/2 x", 8));
	CHECK(perfscript__looks_like_header("sh 1 [000] x", 12));
	CHECK(perfscript__looks_like_header("sh 1 2.5: x", 11));
	CHECK(!perfscript__looks_like_header("sh 1", 4));
	CHECK(!perfscript__looks_like_header("a;b 12", 6));
	CHECK(!perfscript__looks_like_header("\tsh 1/2", 7));
}

static void frame_as(const char *line, bool java, const char *want, int want_kind)
{
	char buf[256];
	int kind = -1;
	long n = perfscript__frame_name(line, strlen(line), java, buf, sizeof(buf), &kind);

	if (n < 0 || (size_t)n >= sizeof(buf)) {
		fprintf(stderr, "  frame: \"%s\" -> %ld\n", line, n);
		CHECK(0);
		return;
	}
	buf[n] = '\0';
	if (strcmp(buf, want) || kind != want_kind)
		fprintf(stderr, "  frame: \"%s\" -> \"%s\" kind %d\n", line, buf, kind);
	CHECK_STR(buf, want);
	CHECK_EQ_U64(kind, want_kind);
}

static void frame_is(const char *line, const char *want, int want_kind)
{
	frame_as(line, false, want, want_kind);
}

static void tidy_as(const char *sym, bool java, const char *want)
{
	char buf[256];
	size_t n = perfscript__tidy(sym, strlen(sym), java, buf, sizeof(buf));

	CHECK(n < sizeof(buf));
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	if (strcmp(buf, want))
		fprintf(stderr, "  tidy: \"%s\" -> \"%s\"\n", sym, buf);
	CHECK_STR(buf, want);
}

/* One symbol (a perf map's JIT name) with the frames' rules: what the symbolizer shows. */
static void test_tidy(void)
{
	char small[4];

	tidy_as("Lorg/foo/Bar;.baz(I)V", true, "org/foo/Bar:.baz");
	tidy_as("Lorg/foo/Bar;.baz(I)V", false, "Lorg/foo/Bar:.baz");
	tidy_as("long Hot.hotA(long)", true, "long Hot.hotA");
	tidy_as("Interpreter", true, "Interpreter");
	tidy_as("LazyCompile:*foo /srv/app/file.js:3", false, "LazyCompile:*foo /srv/app/file.js:3");
	tidy_as("JS:*leafA /tmp/hot.js:4:15", false, "JS:*leafA /tmp/hot.js:4:15");
	tidy_as("\"quoted\" name", false, "quoted name");
	CHECK_EQ_U64(perfscript__tidy("long Hot.hotA(long)", 19, true, small, sizeof(small)), 13);
	CHECK(!memcmp(small, "long", 4));
}

static void test_frames(void)
{
	char small[4];
	int kind;

	frame_is("\tffffffff8133df95 access_error+0x5 ([kernel.kallsyms])", "access_error",
		 FRAME_KERNEL);
	frame_is("\t           7e6b0 __vsnprintf_internal+0x0 (/usr/lib/libc.so.6)",
		 "__vsnprintf_internal", FRAME_USER);
	frame_is("\t            ee55 [unknown] (/usr/bin/dash)", "[dash]", FRAME_UNKNOWN);
	frame_is("\t               0 [unknown] ([unknown])", "[unknown]", FRAME_UNKNOWN);
	frame_is("\t           15bb7", "[unknown]", FRAME_UNKNOWN);
	frame_is("\t           15bb7 (/usr/bin/dash)", "[dash]", FRAME_UNKNOWN);
	frame_is("\tffffffffc0a01234 [unknown] ([xfs])", "[[xfs]]", FRAME_UNKNOWN);
	frame_is("\tffffffffc0123456 xfs_inode_alloc+0x12 ([xfs])", "xfs_inode_alloc",
		 FRAME_KERNEL);
	frame_is("\t1234 fake_module_fn ([nvidia])", "fake_module_fn", FRAME_KERNEL);
	/* no dso (-F ip,sym): the address tells the kernel apart */
	frame_is("\tffffffff81000c82 asm_exc_page_fault", "asm_exc_page_fault", FRAME_KERNEL);
	frame_is("\t7fffffff81000c82 user_fn", "user_fn", FRAME_USER);
	/* C++: everything from the first '(' goes, as stackcollapse-perf.pl cuts it */
	frame_is("\t7f00 Foo::bar(int, char const*) const (/opt/x.so)", "Foo::bar", FRAME_USER);
	frame_is("\t7f00 S::operator()(int) (/opt/x.so)", "S::operator", FRAME_USER);
	frame_is("\t7f00 std::ostream::operator<<(int)+0x1f (/usr/lib/libstdc++.so.6)",
		 "std::ostream::operator<<", FRAME_USER);
	/* but not an (anonymous namespace) inside a name; one that starts the name is skipped */
	frame_is("\t7f00 ns::(anonymous namespace)::run(std::vector<int>&) (/opt/x)",
		 "ns::(anonymous namespace)::run", FRAME_USER);
	frame_is("\t7f00 (anonymous namespace)::run(std::vector<int>&) (/opt/x)", "", FRAME_USER);
	frame_is("\t7f00 foo(int (*)(int))", "foo", FRAME_USER);
	frame_is("\t7f00 foo(int (*)(int)) (/opt/x)", "foo", FRAME_USER);
	frame_is("\t7f00 x (/lib/libfoo.so (deleted))", "x", FRAME_USER);
	/* Go methods keep their receivers */
	frame_is("\t7f00 main.(*T).Run+0x10 (/opt/go)", "main.(*T).Run", FRAME_USER);
	frame_is("\t7f00 net/http.(*Client).Do (/opt/go)", "net/http.(*Client).Do", FRAME_USER);
	/* ';' separates folded frames */
	frame_is("\t7f00 a;b (/x)", "a:b", FRAME_USER);
	/* Java names tidied in java comms only; JavaScript quotes dropped */
	frame_is("\t7f00 LFoo;.bar(I)V+0x10 (/tmp/perf-123.map)", "LFoo:.bar", FRAME_JIT);
	frame_as("\t7f00 Lorg/foo/Bar;.baz(I)V+0x10 (/tmp/perf-123.map)", true, "org/foo/Bar:.baz",
		 FRAME_JIT);
	frame_is("\t7f00 Lorg/foo/Bar;.baz(I)V+0x10 (/tmp/perf-123.map)", "Lorg/foo/Bar:.baz",
		 FRAME_JIT);
	frame_as("\t7f00 LFoo;.bar(Ljava/lang/String;)V (/tmp/perf-1.map)", true, "LFoo:.bar",
		 FRAME_JIT);
	frame_is("\t7f00 LazyCompile:~foo /home/a.js:12 (/tmp/perf-9.map)",
		 "LazyCompile:~foo /home/a.js:12", FRAME_JIT);
	frame_is("\t13a80b608e0a RegExp:[&<>\\\"\\'] (/tmp/perf-7539.map)", "RegExp:[&<>\\\\]",
		 FRAME_JIT);
	frame_is("\t7f00 Builtin:\"x\" (/tmp/perf-9.map)", "Builtin:x", FRAME_JIT);
	/* symbol versions stay; inline chains are frames, the inlined ones marked */
	frame_is("\t7f00 cfree@GLIBC_2.2.5+0x1 (/usr/lib/libc.so.6)", "cfree@GLIBC_2.2.5", FRAME_USER);
	frame_is("\t7f00 a->b->c+0x4 (/x)", "a;b_[i];c_[i]", FRAME_USER);
	frame_is("\t7f00 a->b_[i] (/x)", "a;b_[i]", FRAME_USER);
	frame_is("\t7f00 [unknown]->b (/usr/bin/x)", "[x];b_[i]", FRAME_USER);
	frame_is("\t7f00 Interpreter (/tmp/perf-99.map)", "Interpreter", FRAME_JIT);
	frame_is("\t7f00 x (/tmp/perf-x.map)", "x", FRAME_USER);
	frame_is("\t7ffd1234 __vdso_clock_gettime+0x5 ([vdso])", "__vdso_clock_gettime",
		 FRAME_USER);
	/* an unknown symbol in a "[...]" dso keeps both brackets, as the script writes it */
	frame_is("\tffffffff81000000 [unknown] ([kernel.kallsyms])", "[[kernel.kallsyms]]",
		 FRAME_UNKNOWN);
	frame_is("    7f00 spaces_indent (/x)", "spaces_indent", FRAME_USER);
	/* not frames */
	CHECK(perfscript__frame_name("\tzzz foo", 8, false, small, sizeof(small), &kind) == -1);
	CHECK(perfscript__frame_name("7f00 foo", 8, false, small, sizeof(small), &kind) == -1);
	CHECK(perfscript__frame_name("\t123456789abcdef01 x", 20, false, small, sizeof(small), &kind) ==
	      -1);
	CHECK(perfscript__frame_name("\t12g x", 6, false, small, sizeof(small), &kind) == -1);
	/* a short buffer reports the needed length */
	CHECK(perfscript__frame_name("\t1 abcdefgh", 11, false, small, sizeof(small), &kind) == 8);
}

static void expect(const char *s, const char *want)
{
	struct loaded r = load_str(s);

	CHECK_EQ_U64(r.ret, 0);
	if (r.ret)
		fprintf(stderr, "  error: %s\n", r.err.msg);
	CHECK_EQ_U64(r.kind, FORMATS_PERF_SCRIPT);
	CHECK_STR(r.folded, want);
	free(r.folded);
}

static void test_samples(void)
{
	expect("sh 1 1.0: cpu-clock:\n"
	       "\tffffffff81000001 k1 ([kernel.kallsyms])\n"
	       "\t1000 u1 (/bin/sh)\n"
	       "\t2000 main (/bin/sh)\n"
	       "\n"
	       "sh 1 1.1: cpu-clock:\n"
	       "\t2000 main (/bin/sh)\n",
	       "sh;main 1\nsh;main;u1;k1_[k] 1\n");
	/* each sample weighs its period; CRLF; no blank line between samples */
	expect("sh 1 [000] 1.0: 5000 cpu-clock:\r\n\t2000 main (/bin/sh)\r\n"
	       "sh 1 [000] 1.1: 7000 cpu-clock:\r\n\t2000 main (/bin/sh)\r\n\r\n\r\n",
	       "sh;main 12000\n");
	/* a header without frames is a sample on the comm alone; spaces in comms become '_' */
	expect("my worker  10/11 [001] 1.0: cpu-clock:\n\nsh 1 1.2: cpu-clock:\n\t1 f (/x)\n",
	       "my_worker 1\nsh;f 1\n");
	/* srcline lines under frames are skipped; comments too */
	expect("# ========\n# captured on: x\nsh 1 1.0: c:\n\t1 f (/x)\n  f.c:12\n\t2 g (/x)\n"
	       "  [kernel.kallsyms][ffffffff8133df95]\n",
	       "sh;g;f 1\n");
	/* -F ip,sym: a blank line where the header was */
	expect("\n\t1 f\n\t2 g\n\n\n\t3 h\n", "g;f 1\nh 1\n");
	/* the comm may hold ';' */
	expect("a;b 5 [0] 1.0: c:\n\t1 f (/x)\n", "a:b;f 1\n");
	/* old perf: indented headers */
	expect("         swapper     0 [000] 14036.219425:          1 cycles:\n"
	       "\tffffffff8104f45a native_write_msr_safe ([kernel.kallsyms])\n"
	       "\n"
	       "            perf  4321 [001] 14036.22: 1 cycles:\n"
	       "\t7f00 main (/usr/bin/perf)\n",
	       "perf;main 1\nswapper;native_write_msr_safe_[k] 1\n");
}

static struct loaded load_opts(const char *s, bool count_samples, struct formats_load *io)
{
	struct loaded r = { .kind = -1 };
	struct trie *t = trie__new();

	if (!t)
		abort();
	io->count_samples = count_samples;
	r.ret = formats__load_buf_opts(s, strlen(s), "t.txt", t, io, &r.err);
	r.kind = io->kind;
	if (r.ret == 0)
		r.folded = folded_of(t);
	trie__free(t);
	return r;
}

/* The header rules of stackcollapse-perf.pl: the comm ends before the first PID field. */
static void test_comms(void)
{
	expect("Web Content 2  1234/1235 [001] 1.5: 1 cycles:\n\t1 f (/x)\n", "Web_Content;f 1\n");
	expect("V8 WorkerThread 25607 4794564.109216: 104345 cycles:\n\t1 f (/x)\n",
	       "V8_WorkerThread;f 104345\n");
	expect("java 24636/25607 [000] 4794564.109216: 100 cycles:\n"
	       "\t7f00 Lorg/a/B;.c(I)V (/tmp/perf-24636.map)\n",
	       "java;org/a/B:.c_[j] 100\n");
	expect("C2 CompilerThre 24636/25607 [000] 4794564.109216: 100 cycles:\n"
	       "\t7f00 Lorg/a/B;.c(I)V (/tmp/perf-24636.map)\n",
	       "C2_CompilerThre;Lorg/a/B:.c_[j] 100\n");
	/* the first number field ends the comm, even a time's */
	expect("my worker 2092.146122: 10 cpu-clock:\n\t1 f (/x)\n",
	       "my_worker_2092.146122:;f 10\n");
	/* a header without a PID, which the script cannot read, still names its comm */
	expect("my worker 2092.146122: cpu-clock:\n\t1 f (/x)\n", "my_worker;f 1\n");
}

static void test_events(void)
{
	struct formats_load io;
	const char *mixed = "sh 1 1.0: 10 cycles:u:\n\t1 f (/x)\n\n"
			    "sh 1 1.1: 3 instructions:u:\n\t1 g (/x)\n  g.c:1\n\n"
			    "sh 1 1.1: 4 page-faults:\n\t1 g (/x)\n\n"
			    "sh 1 1.2: 20 cycles:u:\n\t1 f (/x)\n\t2 main (/x)\n";
	struct loaded r = load_opts(mixed, false, &io);

	/* only the first event is kept, with a note naming what was left out */
	CHECK_EQ_U64(r.ret, 0);
	CHECK_STR(r.folded, "sh;f 10\nsh;main;f 20\n");
	CHECK_STR(io.unit, "cycles");
	CHECK_STR(io.note, "only the first event, cycles:u, is shown: 2 samples of instructions:u "
			   "and other events were left out (mixing events misleads; record one "
			   "with perf record -e EVENT)");
	free(r.folded);
	r = load_opts(mixed, true, &io);
	CHECK_STR(r.folded, "sh;f 1\nsh;main;f 1\n");
	CHECK_STR(io.unit, "samples");
	free(r.folded);
	/* the software clocks count ns; no period printed counts samples */
	r = load_opts("sh 1 1.0: 1000 cpu-clock:ppp:\n\t1 f (/x)\n", false, &io);
	CHECK_STR(io.unit, "ns of cpu-clock");
	CHECK_STR(io.note, "");
	free(r.folded);
	r = load_opts("sh 1 1.0: task-clock:\n\t1 f (/x)\n", false, &io);
	CHECK_STR(r.folded, "sh;f 1\n");
	CHECK_STR(io.unit, "samples");
	free(r.folded);
	r = load_opts("a;b 3\n", false, &io);
	CHECK_STR(io.unit, "samples");
	free(r.folded);
	/* a period of 0 counts 1, as the script counts it; one over 2^64 is an error */
	expect("sh 1 1.0: 0 cycles:\n\t1 f (/x)\n", "sh;f 1\n");
	r = load_str("sh 1 1.0: 99999999999999999999 cycles:\n\t1 f (/x)\n");
	CHECK_EQ_U64(r.ret, -EOVERFLOW);
	CHECK_STR(r.err.msg, "t.txt:1: a period over 2^64: \"sh 1 1.0: 99999999999999999999 cycles:\"");
	/* tracepoints print their fields after the event: no period, no filter */
	expect("perf 12 [003] 1.000: sched:sched_switch: prev_comm=x prev_pid=1\n\t1 f (/x)\n\n"
	       "perf 12 [003] 1.001: sched:sched_wakeup: comm=y pid=2\n\t1 g (/x)\n",
	       "perf;f 1\nperf;g 1\n");
}

/* perf script without -g prints the one frame on the header line. */
static void test_no_callchain(void)
{
	expect("      python3.11 23954   338.380401:    1001001 cpu-clock:ppp:      7fe5993909d4 "
	       "_dl_lookup_symbol_x+0x64 (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)\n"
	       "      python3.11 23954   338.381417:    1001001 cpu-clock:ppp:  ffffffff81606b03 "
	       "__handle_mm_fault+0x83 ([kernel.kallsyms])\n"
	       "      python3.11 23954   338.382415:    1001001 cpu-clock:ppp:            4fd17f "
	       "[unknown] (/usr/bin/python3.11)\n"
	       "a-very-long-comm-name 7 1.5: 5 cpu-clock:ppp: 7f00 main (/x)\n",
	       "a-very-long-comm-name;main 5\npython3.11;[python3.11] 1001001\n"
	       "python3.11;__handle_mm_fault_[k] 1001001\n"
	       "python3.11;_dl_lookup_symbol_x 1001001\n");
}

static void test_errors(void)
{
	struct loaded r = load_str("sh 1 1.0: c:\n\t1 f (/x)\n\n\tnot a frame\n");

	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_EQ_U64(r.err.line, 4);
	CHECK_STR(r.err.msg, "t.txt:4: not a perf script frame line (\"\\tADDRESS SYMBOL (DSO)\"): "
			     "\"\\x09not a frame\"");
	r = load_str("sh 1 1.0: c:\n\t1 f (/x)\n   what is this\n");
	CHECK_EQ_U64(r.ret, 0); /* an extra line under a frame (srcline-like) */
	free(r.folded);
	r = load_str("sh 1 1.0: c:\n\n   what is this\n");
	CHECK_EQ_U64(r.ret, -EINVAL);
	CHECK_EQ_U64(r.err.line, 3);
}

/* perf's stackcollapse.py counts samples, not periods. */
static struct loaded load_text_samples(const char *name, const char *text, size_t len)
{
	struct formats_load io = { .count_samples = true };
	struct loaded r = { .kind = -1 };
	struct trie *t = trie__new();

	if (!t)
		abort();
	r.ret = formats__load_buf_opts(text, len, name, t, &io, &r.err);
	r.kind = io.kind;
	if (r.ret == 0)
		r.folded = folded_of(t);
	trie__free(t);
	return r;
}

/* The way stackcollapse.py names things: comm spaces as '_', every "[...]" frame "[unknown]". */
static char *normalised(const char *folded, bool drop_comm)
{
	struct trie *t = trie__new();
	struct folded_parser *p = folded_parser__new(t);
	char *line = malloc(strlen(folded) + 16), *out;
	const char *s = folded;

	while (*s) {
		const char *nl = strchr(s, '\n'), *sp, *f;
		size_t n = 0;
		bool first = true;

		sp = memrchr(s, ' ', (size_t)(nl - s));
		for (f = s; f < sp;) {
			const char *semi = memchr(f, ';', (size_t)(sp - f));
			const char *end = semi ? semi : sp;
			size_t len = (size_t)(end - f);

			if (!(first && drop_comm)) {
				if (n)
					line[n++] = ';';
				if (len >= 2 && f[0] == '[' && end[-1] == ']') {
					memcpy(line + n, "[unknown]", 9);
					n += 9;
				} else {
					for (size_t i = 0; i < len; i++)
						line[n++] = first && f[i] == ' ' ? '_' : f[i];
				}
			}
			first = false;
			f = end + 1;
		}
		memcpy(line + n, sp, (size_t)(nl - sp));
		n += (size_t)(nl - sp);
		CHECK_EQ_U64(folded_parser__line(p, line, n), 0);
		s = nl + 1;
	}
	CHECK_EQ_U64(folded_parser__finish(p), 0);
	out = folded_of(t);
	free(line);
	folded_parser__free(p);
	trie__free(t);
	return out;
}

static void test_real(const char *dir)
{
	static const char *const variants[] = { "perf-default.txt", "perf-comm-tid.txt",
						"perf-srcline.txt" };
	char path[4096], *ref, *want, *want_nocomm, *first = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/perf-stackcollapse-py.folded", dir);
	ref = read_file(path, &len);
	want = normalised(ref, false);
	want_nocomm = normalised(ref, true);
	CHECK(strlen(want) > 1000);
	for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		char *text, *got;
		struct loaded r;

		snprintf(path, sizeof(path), "%s/%s", dir, variants[i]);
		text = read_file(path, &len);
		r = load_text_samples(variants[i], text, len);
		CHECK_EQ_U64(r.ret, 0);
		CHECK_EQ_U64(r.kind, FORMATS_PERF_SCRIPT);
		if (r.ret) {
			fprintf(stderr, "  %s\n", r.err.msg);
			free(text);
			continue;
		}
		/* every variant of the recording gives the very same profile */
		if (!first)
			first = strdup(r.folded);
		else
			CHECK_STR(r.folded, first);
		got = normalised(r.folded, false);
		if (strcmp(got, want))
			fprintf(stderr, "  %s differs from perf's stackcollapse\n", variants[i]);
		CHECK_STR(got, want);
		free(got);
		free(r.folded);
		free(text);
	}
	/* -F ip,sym: no comm, no dso; kernel frames are told by address */
	{
		char *text, *got;
		struct loaded r;

		snprintf(path, sizeof(path), "%s/perf-ip-sym.txt", dir);
		text = read_file(path, &len);
		r = load_text_samples("perf-ip-sym.txt", text, len);
		CHECK_EQ_U64(r.ret, 0);
		got = r.folded ? normalised(r.folded, false) : NULL;
		CHECK_STR(got, want_nocomm);
		CHECK(r.folded && strstr(r.folded, "_[k]"));
		free(got);
		free(r.folded);
		free(text);
	}
	free(first);
	free(want_nocomm);
	free(want);
	free(ref);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Folded text in a canonical form: read back by the folded parser (which trims blanks at the
 * ends of names), without flametui's kind suffixes, lines sorted.
 */
static char *canonical(const char *folded)
{
	struct trie *t = trie__new();
	char *plain = strdup(folded), *text, *line, **lines = NULL, *out, *save = NULL;
	size_t w = 0, n = 0, cap = 0, len = 0;

	for (size_t r = 0; folded[r]; r++) {
		if (!strncmp(folded + r, "_[k]", 4) || !strncmp(folded + r, "_[j]", 4)) {
			char next = folded[r + 4];

			if (next == ';' || next == ' ') {
				r += 3;
				continue;
			}
		}
		plain[w++] = folded[r];
	}
	plain[w] = '\0';
	CHECK_EQ_U64(formats__load_buf(plain, w, "canonical", t, NULL, NULL), 0);
	text = folded_of(t);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = realloc(lines, cap * sizeof(*lines));
		}
		lines[n++] = line;
		len += strlen(line) + 1;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	out = calloc(1, len + 1);
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(lines);
	free(text);
	free(plain);
	trie__free(t);
	return out;
}

/*
 * Every scp/NAME.folded is what stackcollapse-perf.pl printed for NAME.txt (in scp/ or next to
 * it): flametui must collapse the input to the same stacks and counts.
 */
static void test_stackcollapse_perf(const char *dir)
{
	char path[4096];
	size_t checked = 0;
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/scp", dir);
	d = opendir(path);
	CHECK(d != NULL);
	if (!d)
		return;
	while ((e = readdir(d))) {
		size_t nlen = strlen(e->d_name), len;
		char *want, *got, *ref, *text;
		struct loaded r;

		if (nlen < 8 || strcmp(e->d_name + nlen - 7, ".folded"))
			continue;
		snprintf(path, sizeof(path), "%s/scp/%s", dir, e->d_name);
		ref = read_file(path, &len);
		snprintf(path, sizeof(path), "%s/scp/%.*s.txt", dir, (int)nlen - 7, e->d_name);
		if (access(path, R_OK))
			snprintf(path, sizeof(path), "%s/%.*s.txt", dir, (int)nlen - 7, e->d_name);
		text = read_file(path, &len);
		r = load_text(e->d_name, text, len);
		CHECK_EQ_U64(r.ret, 0);
		CHECK_EQ_U64(r.kind, FORMATS_PERF_SCRIPT);
		if (r.ret) {
			fprintf(stderr, "  %s\n", r.err.msg);
		} else {
			want = canonical(ref);
			got = canonical(r.folded);
			CHECK(strlen(want) > 0);
			if (strcmp(got, want))
				fprintf(stderr, "  %s: flametui differs from stackcollapse-perf.pl\n",
					e->d_name);
			CHECK_STR(got, want);
			free(want);
			free(got);
		}
		checked++;
		free(r.folded);
		free(text);
		free(ref);
	}
	closedir(d);
	CHECK(checked >= 15);
}

/* The binary (trie__module) the named frame's name was given. */
static void module_is(struct trie *t, const char *name, int kind, const char *want)
{
	size_t len;
	uint32_t id = trie__intern(t, name, strlen(name), (enum frame_kind)kind);
	const char *s = trie__module_name(t, trie__module(t, id), &len);
	char got[64];

	snprintf(got, sizeof(got), "%.*s", (int)len, s);
	if (strcmp(got, want))
		fprintf(stderr, "  frame: \"%s\"\n", name);
	CHECK_STR(got, want);
}

/* Each frame's binary, from perf script's "(dso)" field and from folded text's _[k]/_[j]. */
static void test_modules(void)
{
	static const char script[] = "sh 1 1.0: cpu-clock:\n"
				     "\tffffffff81000001 k1+0x1 ([kernel.kallsyms])\n"
				     "\tffffffffc0000001 xfs_f ([xfs])\n"
				     "\tffffffffc0000002 ext4_f (/lib/modules/6.1/ext4.ko)\n"
				     "\tffffffffc0000003 zmod_f (/lib/modules/6.1/extra/zfs.ko.xz)\n"
				     "\t7f0000001000 jitted (/tmp/perf-12.map)\n"
				     "\t1000 strlen (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
				     "\t92cc [unknown] (/usr/bin/dash)\n"
				     "\t0 [unknown] ([unknown])\n"
				     "\t2000 main (/bin/sh)\n";
	static const char folded[] = "a;b_[k];c_[j] 1\n";
	struct formats_error err;
	enum formats_kind kind;
	struct trie *t = trie__new();

	CHECK(formats__load_buf(script, strlen(script), "t.txt", t, &kind, &err) == 0);
	module_is(t, "k1", FRAME_KERNEL, "[kernel]");
	module_is(t, "xfs_f", FRAME_KERNEL, "xfs");
	module_is(t, "ext4_f", FRAME_KERNEL, "ext4");
	module_is(t, "zmod_f", FRAME_KERNEL, "zfs");
	module_is(t, "jitted", FRAME_JIT, "[jit]");
	module_is(t, "strlen", FRAME_USER, "libc.so.6");
	module_is(t, "[dash]", FRAME_UNKNOWN, "dash");
	module_is(t, "[unknown]", FRAME_UNKNOWN, "[unknown]");
	module_is(t, "main", FRAME_USER, "sh");
	trie__free(t);

	t = trie__new();
	CHECK(formats__load_buf(folded, strlen(folded), "t.folded", t, &kind, &err) == 0);
	module_is(t, "a", FRAME_USER, "[unknown]");
	module_is(t, "b", FRAME_KERNEL, "[kernel]");
	module_is(t, "c", FRAME_JIT, "[jit]");
	trie__free(t);
}

struct one_addr {
	const char *path;
	uint64_t offset, samples;
	int n;
};

static void each_addr(void *ctx, const char *path, uint64_t offset, uint64_t samples)
{
	struct one_addr *a = ctx;

	a->path = path;
	a->offset = offset;
	a->samples += samples;
	a->n++;
}

/* The one address of the frame named so, its path and its samples (n: how many it has). */
static struct one_addr addr_of(const struct frameaddrs *fa, const char *name, int kind)
{
	struct one_addr a = { 0 };

	frameaddrs__each(fa, frameaddrs__key(name, strlen(name), kind), each_addr, &a);
	return a;
}

/*
 * Where frames were (the frame address table of L and the status line's file:line): perf's
 * address of each user frame in a file, the innermost user frame's as printed and the callers'
 * return addresses less one (as live), weighed by the period; every frame of an inline chain
 * at the address; kernel, JIT and dso-less frames not counted; --count samples counts one.
 */
static void test_addrs(void)
{
	static const char script[] =
		"w 1 1.0: 1000 cpu-clock:\n"
		"\tffffffff81000001 k1+0x1 ([kernel.kallsyms])\n"
		"\t11f3 do_writes+0x33 (/opt/ft-sys)\n"
		"\t12c7 main+0xb7 (/opt/ft-sys)\n"
		"\t7f0000001000 jitted (/tmp/perf-12.map)\n"
		"\t2724a __libc_start_call_main+0x7a (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
		"\n"
		"w 1 1.1: 500 cpu-clock:\n"
		"\t9a010 inl->memcpy (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
		"\t12c7 main+0xb7 (/opt/ft-sys)\n"
		"\t3000 nodso\n";
	struct formats_error err;
	struct trie *t = trie__new();
	struct frameaddrs *fa = frameaddrs__new();
	struct formats_load io = { .addrs = fa };
	struct one_addr a;

	CHECK(formats__load_buf_opts(script, strlen(script), "t.txt", t, &io, &err) == 0);
	CHECK_EQ_U64(frameaddrs__nbins(fa), 2);
	a = addr_of(fa, "do_writes", FRAME_USER); /* under the kernel: the user leaf, as printed */
	CHECK(a.n == 1 && a.offset == 0x11f3 && a.samples == 1000 && !strcmp(a.path, "/opt/ft-sys"));
	a = addr_of(fa, "main", FRAME_USER); /* a return address in both samples */
	CHECK(a.n == 1 && a.offset == 0x12c6 && a.samples == 1500);
	a = addr_of(fa, "__libc_start_call_main", FRAME_USER);
	CHECK(a.n == 1 && a.offset == 0x27249 &&
	      !strcmp(a.path, "/usr/lib/x86_64-linux-gnu/libc.so.6"));
	a = addr_of(fa, "memcpy_[i]", FRAME_USER); /* the leaf of the second sample */
	CHECK(a.n == 1 && a.offset == 0x9a010 && a.samples == 500);
	a = addr_of(fa, "inl", FRAME_USER);
	CHECK(a.n == 1 && a.offset == 0x9a010);
	CHECK_EQ_U64(addr_of(fa, "k1", FRAME_KERNEL).n, 0);
	CHECK_EQ_U64(addr_of(fa, "jitted", FRAME_JIT).n, 0);
	CHECK_EQ_U64(addr_of(fa, "nodso", FRAME_USER).n, 0);
	trie__free(t);
	frameaddrs__free(fa);

	t = trie__new();
	fa = frameaddrs__new();
	io = (struct formats_load){ .addrs = fa, .count_samples = true };
	CHECK(formats__load_buf_opts(script, strlen(script), "t.txt", t, &io, &err) == 0);
	CHECK_EQ_U64(addr_of(fa, "main", FRAME_USER).samples, 2);
	trie__free(t);
	frameaddrs__free(fa);
}

/* The samples between two times, cut from the timeline: each weighs its period, as in the
 * whole profile (ns of cpu-clock), or 1 with --count samples. */
static void range_is(bool count_samples, uint64_t from, uint64_t to, const char *want)
{
	static const char text[] = "sh 1 [000] 1.000: 5000 cpu-clock:\n\t2000 main (/bin/sh)\n\n"
				   "sh 1 [000] 1.100: 7000 cpu-clock:\n\t2001 f (/bin/sh)\n"
				   "\t2000 main (/bin/sh)\n\n"
				   "sh 1 [000] 1.200: 9000 cpu-clock:\n\t2000 main (/bin/sh)\n";
	struct formats_load io = { .count_samples = count_samples };
	struct formats_error err;
	struct trie *t = trie__new(), *r = trie__new();
	char *got = NULL;

	io.tl = timeline__new();
	if (!t || !r || !io.tl)
		abort();
	CHECK(formats__load_buf_opts(text, strlen(text), "t.txt", t, &io, &err) == 0);
	CHECK_EQ_U64(timeline__samples(io.tl), 3);
	CHECK(timeline__range_trie(io.tl, t, from, to, r) == 3 - (from > 0) * 1);
	got = folded_of(r);
	CHECK_STR(got, want);
	free(got);
	timeline__free(io.tl);
	trie__free(r);
	trie__free(t);
}

static void test_range_weights(void)
{
	range_is(false, 0, UINT64_MAX, "sh;main 14000\nsh;main;f 7000\n");
	range_is(false, 50000000, 250000000, "sh;main 9000\nsh;main;f 7000\n");
	range_is(true, 0, UINT64_MAX, "sh;main 2\nsh;main;f 1\n");
	range_is(true, 50000000, 250000000, "sh;main 1\nsh;main;f 1\n");
}

int main(int argc, char **argv)
{
	test_headers();
	test_frames();
	test_tidy();
	test_samples();
	test_range_weights();
	test_comms();
	test_events();
	test_no_callchain();
	test_errors();
	test_modules();
	test_addrs();
	if (argc > 1) {
		test_real(argv[1]);
		test_stackcollapse_perf(argv[1]);
	}
	else
		fprintf(stderr, "no data directory given: real perf samples not checked\n");
	return check_done();
}
