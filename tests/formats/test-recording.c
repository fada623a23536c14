// SPDX-License-Identifier: MIT
/*
 * Recordings: an exact round trip (every sample back, in order, with its fields and stack),
 * a file cut at every byte (every complete block back, a note of what was cut), a corrupted
 * block (reported, skipped, later blocks still read, its stacks shown as lost), foreign files
 * and unknown versions refused in one line, and the loader's recording branch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "formats.h"
#include "frameaddrs.h"
#include "recording.h"
#include "timeline.h"
#include "trie.h"

#define MS 1000000ull

struct want {
	uint64_t ns;
	uint32_t cpu, pid, tid;
	const char *comm;
	uint32_t frames[4]; /* ids in `names` */
	size_t n;
};

static struct trie *names;
static struct want *wants;
static size_t nwants;
static size_t bounds[64]; /* file size after each block */
static size_t nbounds;
static uint64_t block_samples[64];

static char *slurp(const char *path, size_t *ret_len)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	char *buf;

	if (fd < 0 || fstat(fd, &st))
		abort();
	buf = malloc((size_t)st.st_size + 1);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		abort();
	close(fd);
	*ret_len = (size_t)st.st_size;
	return buf;
}

/* 5 s at ~200 Hz on 2 CPUs, several threads, 3 stacks, a comm that changes (exec). */
static char *make_recording(const char *path, size_t *ret_len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	struct rec_writer *w = rec_writer__new(fd);
	static const char *const fn[] = { "main", "work", "leaf_a", "leaf_b", "read_k" };
	uint32_t ids[5];
	uint64_t t0 = 123456789012345ull, in_block = 0;

	CHECK(w);
	for (int i = 0; i < 5; i++)
		ids[i] = trie__intern(names, fn[i], strlen(fn[i]), i == 4 ? FRAME_KERNEL : FRAME_USER);
	CHECK(rec_writer__info(w, "cmdline", "flametui record --hz 199 -o x.ftrec") == 0);
	wants = calloc(2100, sizeof(*wants));
	for (size_t i = 0; i < 2000; i++) {
		struct want *x = &wants[nwants++];
		/* not strictly ordered: CPUs interleave, so deltas may be negative */
		x->ns = t0 + i * 2500000ull + (i % 3 == 1 ? 700000 : 0) - (i % 5 == 2 ? 1900000 : 0);
		x->cpu = (uint32_t)(i % 2);
		x->pid = 4000 + (uint32_t)(i % 3);
		x->tid = x->pid + (uint32_t)(i % 7 == 0);
		x->comm = i < 1000 ? "worker" : "after-exec";
		x->frames[0] = ids[0];
		x->frames[1] = ids[1];
		x->frames[2] = ids[2 + i % 2];
		x->frames[3] = ids[4];
		x->n = i % 4 == 0 ? 4 : 3;
		if (i == 1500) /* a stack first seen late: defined in a later block */
			x->frames[2] = ids[4], x->n = 3;
		CHECK(rec_writer__sample(w, x->ns, x->cpu, x->pid, x->tid, x->comm, strlen(x->comm),
					 names, x->frames, x->n) == 0);
		in_block++;
		if (i % 400 == 399) { /* block boundaries we know */
			CHECK(rec_writer__counter(w, "lost", i / 400) == 0);
			CHECK(rec_writer__flush(w) == 0);
			block_samples[nbounds] = in_block;
			bounds[nbounds++] = (size_t)rec_writer__bytes(w);
			in_block = 0;
		}
	}
	CHECK_EQ_U64(rec_writer__samples(w), 2000);
	CHECK(rec_writer__close(w) == 0);
	return slurp(path, ret_len);
}

struct got {
	struct trie *t; /* names as read */
	uint32_t tid[64]; /* file name id -> id in t */
	size_t nnames;
	uint32_t stacks[64][8];
	size_t stack_n[64];
	bool stack_lost[64];
	size_t nstacks;
	struct rec_sample *s;
	size_t n;
	char cmdline[128];
	uint64_t lost;
};

static int g_name(void *ctx, uint32_t id, const char *s, size_t len, enum frame_kind kind)
{
	struct got *g = ctx;

	CHECK_EQ_U64(id, g->nnames);
	CHECK(id < 64);
	g->tid[g->nnames++] = trie__intern(g->t, s, len, kind);
	return 0;
}

static int g_stack(void *ctx, uint32_t id, const uint32_t *ids, size_t n)
{
	struct got *g = ctx;

	CHECK_EQ_U64(id, g->nstacks);
	CHECK(n <= 8 && id < 64);
	g->stack_lost[id] = !ids;
	for (size_t i = 0; i < n; i++)
		g->stacks[id][i] = g->tid[ids[i]];
	g->stack_n[g->nstacks++] = n;
	return 0;
}

static int g_sample(void *ctx, const struct rec_sample *s)
{
	struct got *g = ctx;

	g->s[g->n++] = *s;
	return 0;
}

static int g_info(void *ctx, const char *k, size_t kl, const char *v, size_t vl)
{
	struct got *g = ctx;

	if (kl == 7 && !memcmp(k, "cmdline", 7))
		snprintf(g->cmdline, sizeof(g->cmdline), "%.*s", (int)vl, v);
	return 0;
}

static int g_counter(void *ctx, const char *k, size_t kl, uint64_t v)
{
	struct got *g = ctx;

	if (kl == 4 && !memcmp(k, "lost", 4))
		g->lost = v;
	return 0;
}

static int read_rec(const char *buf, size_t len, struct got *g, struct rec_report *rep,
		    char *msg)
{
	struct rec_callbacks cb = { .ctx = g, .name = g_name, .stack = g_stack, .sample = g_sample,
				    .info = g_info, .counter = g_counter };

	memset(g, 0, sizeof(*g));
	g->t = trie__new();
	g->s = calloc(2100, sizeof(*g->s));
	return recording__read(buf, len, &cb, rep, msg, 300);
}

static void got_free(struct got *g)
{
	trie__free(g->t);
	free(g->s);
}

/* Sample i as read equals want i: fields, comm and frame names. */
static bool same(const struct got *g, const struct rec_sample *s, const struct want *x)
{
	const char *comm = trie__name(g->t, g->tid[s->comm]);

	if (s->ns != x->ns || s->cpu != x->cpu || s->pid != x->pid || s->tid != x->tid ||
	    strcmp(comm, x->comm) || trie__kind(g->t, g->tid[s->comm]) != FRAME_ROOT ||
	    g->stack_n[s->stack] != x->n)
		return false;
	for (size_t k = 0; k < x->n; k++) {
		uint32_t a = g->stacks[s->stack][k], b = x->frames[k];

		if (strcmp(trie__name(g->t, a), trie__name(names, b)) ||
		    trie__kind(g->t, a) != trie__kind(names, b))
			return false;
	}
	return true;
}

static void test_roundtrip(const char *buf, size_t len)
{
	struct rec_report rep;
	struct got g;
	char msg[300];
	size_t bad = 0;

	CHECK(read_rec(buf, len, &g, &rep, msg) == 0);
	CHECK_EQ_U64(g.n, nwants);
	CHECK_EQ_U64(rep.samples, nwants);
	CHECK_EQ_U64(rep.blocks, nbounds);
	CHECK_EQ_U64(rep.bad_blocks, 0);
	CHECK_STR(rep.note, "");
	for (size_t i = 0; i < g.n && i < nwants; i++)
		bad += !same(&g, &g.s[i], &wants[i]);
	CHECK_EQ_U64(bad, 0);
	CHECK_STR(g.cmdline, "flametui record --hz 199 -o x.ftrec");
	CHECK_EQ_U64(g.lost, 4);
	/* compact: names and stacks once, samples in a few bytes each */
	CHECK(len < nwants * 4);
	got_free(&g);
}

static void test_cut_everywhere(const char *buf, size_t len)
{
	for (size_t cut = 0; cut <= len; cut++) {
		struct rec_report rep;
		struct got g;
		char msg[300];
		uint64_t want = 0;
		size_t whole = 0, bad = 0;
		int rc = read_rec(buf, cut, &g, &rep, msg);

		while (whole < nbounds && bounds[whole] <= cut)
			want += block_samples[whole++];
		if (cut < 16) {
			CHECK_EQ_U64(rc, (uint64_t)-EINVAL);
			CHECK(strstr(msg, "not a flametui recording"));
			got_free(&g);
			continue;
		}
		CHECK_EQ_U64(rc, 0);
		CHECK_EQ_U64(g.n, want);
		CHECK_EQ_U64(rep.blocks, whole);
		CHECK_EQ_U64(rep.bad_blocks, 0);
		for (size_t i = 0; i < g.n; i++)
			bad += !same(&g, &g.s[i], &wants[i]);
		CHECK_EQ_U64(bad, 0);
		/* a cut inside a block is noted; at a boundary nothing is missing */
		bool at_boundary = cut == 16 || (whole && bounds[whole - 1] == cut);
		CHECK(at_boundary == !rep.note[0]);
		if (!at_boundary)
			CHECK(strstr(rep.note, "ends inside a block"));
		got_free(&g);
		if (check_failures > 20)
			break;
	}
}

static void test_corrupt(const char *buf, size_t len)
{
	char *bad = malloc(len);
	struct rec_report rep;
	struct got g;
	char msg[300];
	size_t mism = 0, lost = 0;

	/* a byte in the middle of block 1 (samples 400..799) */
	memcpy(bad, buf, len);
	bad[(bounds[0] + bounds[1]) / 2] ^= 0x5a;
	CHECK(read_rec(bad, len, &g, &rep, msg) == 0);
	CHECK_EQ_U64(rep.bad_blocks, 1);
	CHECK_EQ_U64(rep.blocks, nbounds - 1);
	CHECK_EQ_U64(g.n, nwants - block_samples[1]);
	CHECK(strstr(rep.note, "damaged block"));
	for (size_t i = 0, j = 0; i < g.n; i++, j++) {
		if (j == 400)
			j = 800;
		if (g.stack_lost[g.s[i].stack])
			lost++;
		else
			mism += !same(&g, &g.s[i], &wants[j]);
	}
	CHECK_EQ_U64(mism, 0);
	CHECK_EQ_U64(lost, 0); /* every stack was defined in block 0 */
	got_free(&g);
	/* damage block 3, which defines the stack first seen at sample 1500 */
	memcpy(bad, buf, len);
	bad[bounds[2] + 40] ^= 0x01;
	CHECK(read_rec(bad, len, &g, &rep, msg) == 0);
	CHECK_EQ_U64(rep.bad_blocks, 1);
	CHECK_EQ_U64(g.n, nwants - block_samples[3]);
	got_free(&g);
	/* damage the block header's length: resynchronised on the next block */
	memcpy(bad, buf, len);
	bad[bounds[1] + 9] ^= 0x7f;
	CHECK(read_rec(bad, len, &g, &rep, msg) == 0);
	CHECK_EQ_U64(rep.bad_blocks, 1);
	CHECK_EQ_U64(g.n, nwants - block_samples[2]);
	got_free(&g);
	free(bad);
}

static void test_refused(const char *buf, size_t len)
{
	char *v3 = malloc(len), msg[300];
	struct rec_report rep;
	struct got g;

	memcpy(v3, buf, len);
	v3[8] = 3;
	CHECK_EQ_U64(read_rec(v3, len, &g, &rep, msg), (uint64_t)-EINVAL);
	CHECK(strstr(msg, "version 3") && !strchr(msg, '\n'));
	got_free(&g);
	CHECK_EQ_U64(read_rec("main;a 1\n", 9, &g, &rep, msg), (uint64_t)-EINVAL);
	CHECK(strstr(msg, "not a flametui recording"));
	got_free(&g);
	free(v3);
}

static void test_loader(const char *path, const char *buf, size_t len)
{
	struct trie *t = trie__new();
	struct timeline *tl = timeline__new();
	struct formats_error err;
	enum formats_kind kind;
	char cut[512];
	int fd;

	CHECK(formats__load_path_timeline(path, t, tl, &kind, &err) == 0);
	CHECK_EQ_U64(kind, FORMATS_RECORDING);
	CHECK_EQ_U64(trie__total(t), nwants);
	CHECK_EQ_U64(timeline__samples(tl), nwants);
	CHECK(strstr(err.about, "flametui record --hz 199") && strstr(err.about, "lost 4"));
	CHECK_STR(err.note, "");
	/* the earliest sample starts the timeline (sample 2 is 1.9 ms early) */
	CHECK_EQ_U64(timeline__start_ns(tl), wants[0].ns < wants[2].ns ? wants[0].ns : wants[2].ns);
	/* comm is the root frame */
	CHECK(trie__child(t, trie__root(t), trie__intern(t, "worker", 6, FRAME_ROOT)));
	trie__free(t);
	timeline__free(tl);
	/* a cut copy loads too, with the note */
	snprintf(cut, sizeof(cut), "%s.cut", path);
	fd = open(cut, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(write(fd, buf, len - 10) == (ssize_t)(len - 10));
	close(fd);
	t = trie__new();
	CHECK(formats__load_path(cut, t, &kind, &err) == 0);
	CHECK_EQ_U64(trie__total(t), nwants - block_samples[nbounds - 1]);
	CHECK(strstr(err.note, "ends inside a block"));
	trie__free(t);
	unlink(cut);
}

/* perf script --header text (as FlameScope reads it): times go into the timeline, gzipped
 * too; text without times leaves it empty. */
static void test_perf_script_times(const char *dir)
{
	static const char text[] =
		"# ========\n# captured on    : Tue Dec  1 20:00:00 2026\n# ========\n#\n"
		"ft-tree  4242 [000]  2048.100000: 10101010 cpu-clock:pppH: \n"
		"\t    55d0c0de1000 leaf_a+0x10 (/x/ft-tree)\n\t    55d0c0de2000 main+0x20 (/x/ft-tree)\n\n"
		"ft-tree  4242 [001]  2048.350000: 10101010 cpu-clock:pppH: \n"
		"\t    55d0c0de3000 leaf_b+0x10 (/x/ft-tree)\n\t    55d0c0de2000 main+0x20 (/x/ft-tree)\n\n"
		"ft-tree  4242 [001]  2050.099999: 10101010 cpu-clock:pppH: \n"
		"\t    55d0c0de1000 leaf_a+0x10 (/x/ft-tree)\n\t    55d0c0de2000 main+0x20 (/x/ft-tree)\n";
	char path[300], cmd[700];
	struct trie *t = trie__new();
	struct timeline *tl = timeline__new();
	struct formats_error err;
	enum formats_kind kind;
	uint64_t ns;
	uint32_t st;
	size_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/perf.txt", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(write(fd, text, sizeof(text) - 1) == (ssize_t)(sizeof(text) - 1));
	close(fd);
	snprintf(cmd, sizeof(cmd), "gzip -k -f %s", path);
	CHECK(system(cmd) == 0);
	for (int gz = 0; gz < 2; gz++) {
		char p2[320];

		snprintf(p2, sizeof(p2), "%s%s", path, gz ? ".gz" : "");
		trie__clear(t);
		timeline__clear(tl);
		CHECK(formats__load_path_timeline(p2, t, tl, &kind, &err) == 0);
		CHECK_EQ_U64(kind, FORMATS_PERF_SCRIPT);
		CHECK_EQ_U64(timeline__samples(tl), 3);
		CHECK_EQ_U64(timeline__start_ns(tl), 2048100000000ull);
		CHECK_EQ_U64(timeline__span_ns(tl), 1999999000ull);
		timeline__sample(tl, 1, &ns, &st);
		CHECK_EQ_U64(ns, 2048350000000ull);
		const uint32_t *ids = timeline__stack(tl, st, &n);
		CHECK(ids && n == 3 && !strcmp(trie__name(t, ids[0]), "ft-tree") &&
		      !strcmp(trie__name(t, ids[1]), "main") && !strcmp(trie__name(t, ids[2]), "leaf_b"));
	}
	/* the same samples without times: a graph, no timeline */
	trie__clear(t);
	timeline__clear(tl);
	CHECK(formats__load_buf("ft-tree 4242\n\t1000 leaf_a (/x)\n", 30, "x", t, &kind, &err) == 0);
	CHECK(formats__load_path_timeline(path, t, NULL, &kind, &err) == 0);
	CHECK_EQ_U64(timeline__samples(tl), 0);
	snprintf(cmd, sizeof(cmd), "%s.gz", path);
	unlink(cmd);
	unlink(path);
	trie__free(t);
	timeline__free(tl);
}

/* The module of name s (kind k) in t, as text. */
static const char *module_of(struct trie *t, const char *s, enum frame_kind k)
{
	static char buf[64];
	size_t len;
	const char *m = trie__module_name(t, trie__module(t, trie__intern(t, s, strlen(s), k)),
					  &len);

	snprintf(buf, sizeof(buf), "%.*s", (int)len, m);
	return buf;
}

/* Self samples per binary, as the per-binary view sums them. */
static void binary_self(struct trie *t, const struct trie_node *n, uint64_t *per)
{
	if (n->parent)
		per[trie__module(t, n->name)] += n->self;
	for (size_t i = 0; i < n->nchildren; i++)
		binary_self(t, trie_children(n)[i], per);
}

static int ident_of(void *ctx, const char *path, struct frameaddrs_ident *ret)
{
	(void)ctx;
	if (strcmp(path, "/usr/lib/x86_64-linux-gnu/libc.so.6"))
		return -ENOENT;
	*ret = (struct frameaddrs_ident){ .size = 1922136, .mtime_ns = -5,
					  .build_id = { 0xab, 0xcd, 0xef }, .build_id_len = 3 };
	return 0;
}

/*
 * Version 2: each name's binary (several, one, none) and the frame address table come back;
 * per-binary totals of the loaded trie are those of the samples written. A name the file does
 * not hold gets no entry. A version-1 file still loads, every binary unknown.
 */
static void test_modules_addrs(const char *dir, const char *data)
{
	struct trie *src = trie__new(), *t = trie__new();
	struct frameaddrs *fa = frameaddrs__new(), *got = frameaddrs__new();
	struct formats_load io = { .addrs = got };
	const struct frameaddrs_ident *id;
	struct formats_error err;
	struct frameaddrs_hot h;
	uint64_t per[8] = { 0 };
	uint32_t main_id, libc_id, both_id, k_id, stray_id, st[3];
	char path[300];
	int fd, b_work, b_libc;
	struct rec_writer *w;
	uint16_t m_work, m_libc, m_kernel;

	snprintf(path, sizeof(path), "%s/mod.ftrec", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	w = rec_writer__new(fd);
	CHECK(src && t && fa && got && w);
	m_work = trie__module_intern(src, "ft-work", 7);
	m_libc = trie__module_intern(src, "libc.so.6", 9);
	m_kernel = trie__module_intern(src, "[kernel]", 8);
	main_id = trie__intern(src, "main", 4, FRAME_USER);
	libc_id = trie__intern(src, "memcpy", 6, FRAME_USER);
	both_id = trie__intern(src, "helper", 6, FRAME_USER);
	k_id = trie__intern(src, "do_syscall_64", 13, FRAME_KERNEL);
	stray_id = trie__intern(src, "never_sampled", 13, FRAME_USER);
	trie__set_module(src, main_id, m_work);
	trie__set_module(src, libc_id, m_libc);
	trie__set_module(src, both_id, m_work);
	trie__set_module(src, both_id, m_libc); /* in two binaries: several */
	trie__set_module(src, k_id, m_kernel);
	trie__set_module(src, stray_id, m_work);
	st[0] = main_id;
	for (int i = 0; i < 10; i++) {
		st[1] = i < 6 ? libc_id : both_id;
		st[2] = k_id;
		CHECK(rec_writer__sample(w, 1000 + (uint64_t)i, 0, 7, 7, "work", 4, src, st,
					 i % 2 ? 3 : 2) == 0);
	}
	CHECK(rec_writer__sample(w, 2000, 0, 7, 7, "work", 4, src, st, 1) == 0);
	/* main is seen in a second binary after it was written: in several */
	trie__set_module(src, main_id, m_libc);
	CHECK(rec_writer__sample(w, 2001, 0, 7, 7, "work", 4, src, st, 1) == 0);
	CHECK(rec_writer__flush(w) == 0); /* in the next block */
	trie__set_module(src, k_id, m_libc);
	st[1] = k_id;
	CHECK(rec_writer__sample(w, 2002, 0, 7, 7, "work", 4, src, st, 2) == 0);
	b_work = frameaddrs__bin(fa, "/opt/ft-work");
	b_libc = frameaddrs__bin(fa, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	frameaddrs__add(fa, frameaddrs__key("main", 4, FRAME_USER), b_work, 0x1130, 1);
	frameaddrs__add(fa, frameaddrs__key("memcpy", 6, FRAME_USER), b_libc, 0x9a010, 4);
	frameaddrs__add(fa, frameaddrs__key("memcpy", 6, FRAME_USER), b_libc, 0x9a020, 2);
	frameaddrs__add(fa, frameaddrs__key("never_sampled", 13, FRAME_USER), b_work, 0x2000, 9);
	frameaddrs__set_full(fa); /* as if some went uncounted: the reader is told */
	CHECK(rec_writer__frame_addrs(w, fa, ident_of, NULL) == 0);
	CHECK(rec_writer__close(w) == 0);

	CHECK(formats__load_path_opts(path, t, &io, &err) == 0);
	CHECK_EQ_U64(trie__total(t), 13);
	CHECK_STR(module_of(t, "main", FRAME_USER), "[several]");
	CHECK_STR(module_of(t, "memcpy", FRAME_USER), "libc.so.6");
	CHECK_STR(module_of(t, "helper", FRAME_USER), "[several]");
	CHECK_STR(module_of(t, "do_syscall_64", FRAME_KERNEL), "[several]");
	CHECK_STR(module_of(t, "work", FRAME_ROOT), "[unknown]");
	/* per binary: main alone twice, memcpy leaf 3 times (i = 0, 2, 4), helper leaf twice
	 * (6, 8), do_syscall_64 6 times (odd i, and last); main and do_syscall_64 came to be in
	 * several binaries */
	binary_self(t, trie__root(t), per);
	CHECK_EQ_U64(per[trie__module_intern(t, "ft-work", 7)], 0);
	CHECK_EQ_U64(per[trie__module_intern(t, "libc.so.6", 9)], 3);
	CHECK_EQ_U64(per[TRIE_MODULE_SEVERAL], 2 + 2 + 6);
	CHECK_EQ_U64(per[trie__module_intern(t, "[kernel]", 8)], 0);
	/* the address table */
	CHECK(frameaddrs__hot(got, frameaddrs__key("memcpy", 6, FRAME_USER), &h) == 0);
	CHECK_EQ_U64(h.offset, 0x9a010);
	CHECK_EQ_U64(h.samples, 4);
	CHECK_EQ_U64(h.total, 6);
	CHECK_EQ_U64(h.addrs, 2);
	CHECK(h.partial);
	CHECK_STR(h.path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	CHECK(frameaddrs__hot(got, frameaddrs__key("main", 4, FRAME_USER), &h) == 0);
	CHECK_EQ_U64(h.offset, 0x1130);
	CHECK_STR(h.path, "/opt/ft-work");
	CHECK(frameaddrs__hot(got, frameaddrs__key("never_sampled", 13, FRAME_USER), &h) ==
	      -ENOENT);
	CHECK_EQ_U64(frameaddrs__nbins(got), 2);
	for (int b = 0; b < 2; b++) {
		id = frameaddrs__ident(got, b);
		if (!strcmp(frameaddrs__bin_path(got, b), "/opt/ft-work")) {
			CHECK(!id);
			continue;
		}
		CHECK(id && id->size == 1922136 && id->mtime_ns == -5 && id->build_id_len == 3 &&
		      id->build_id[0] == 0xab && id->build_id[2] == 0xef);
	}
	unlink(path);

	/* a version-1 file (three blocks as flametui wrote them before) */
	snprintf(path, sizeof(path), "%s/v1.ftrec", data);
	trie__free(t);
	t = trie__new();
	CHECK(formats__load_path_opts(path, t, &io, &err) == 0);
	CHECK_EQ_U64(trie__total(t), 30);
	CHECK_EQ_U64(trie__modules(t), 2);
	CHECK_EQ_U64(frameaddrs__nbins(got), 2); /* nothing added */
	trie__free(src);
	trie__free(t);
	frameaddrs__free(fa);
	frameaddrs__free(got);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/ft-rec-XXXXXX", path[300];
	size_t len;
	char *buf;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/x.ftrec", dir);
	names = trie__new();
	buf = make_recording(path, &len);
	CHECK_EQ_U64(nbounds, 5);
	CHECK_EQ_U64(bounds[nbounds - 1], len);
	test_roundtrip(buf, len);
	test_cut_everywhere(buf, len);
	test_corrupt(buf, len);
	test_refused(buf, len);
	test_loader(path, buf, len);
	test_perf_script_times(dir);
	test_modules_addrs(dir, argc > 1 ? argv[1] : "tests/formats/data");
	unlink(path);
	rmdir(dir);
	free(buf);
	free(wants);
	trie__free(names);
	return check_done();
}
