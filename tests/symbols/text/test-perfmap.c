/* SPDX-License-Identifier: MIT */
/* Unit tests for perfmap: parsing, overlaps (newer wins), incremental refresh of a growing
 * file, and the ownership and file-type checks refresh makes before trusting a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "perfmap.h"

static const char *name_at(struct perfmap *m, uint64_t addr)
{
	const struct perfmap_entry *e = perfmap__find(m, addr);

	return e ? e->name : NULL;
}

static void test_parse(void)
{
	static const char text[] =
		"7f0000001000 100 LazyCompile:~foo /app/x.js:1\n"
		"0x7f0000002000 0x20 Builtin:ArgumentsAdaptorTrampoline\n"
		"0X7F0000003000 10\tstub with\ttabs  \r\n"
		"\n"
		"nonsense\n"
		"7f0000004000 zz bad_size\n"
		"7f0000004000 10\n"
		"7f0000004000 10 \n"
		"7f0000005000 0 zero_size\n"
		"11112222333344445 10 too_wide\n"
		"7f0000006000 10 nul\0inside\n"
		"7f0000007000 10 esc\x1b[2Jname\n"
		"7f0000008000 8 last_without_newline";
	struct perfmap *m = perfmap__new();
	const struct perfmap_entry *e;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK(perfmap__parse(m, text, sizeof(text) - 1) == 0);
	CHECK_EQ_U64(perfmap__count(m), 5);
	CHECK_EQ_U64(perfmap__bad_lines(m), 6);

	e = perfmap__find(m, 0x7f0000001000);
	CHECK(e && e->start == 0x7f0000001000 && e->size == 0x100);
	CHECK_STR(e ? e->name : NULL, "LazyCompile:~foo /app/x.js:1");
	CHECK_STR(name_at(m, 0x7f00000010ff), "LazyCompile:~foo /app/x.js:1");
	CHECK(perfmap__find(m, 0x7f0000001100) == NULL); /* end is exclusive */
	CHECK(perfmap__find(m, 0x7f0000000fff) == NULL);
	CHECK_STR(name_at(m, 0x7f000000201f), "Builtin:ArgumentsAdaptorTrampoline");
	CHECK_STR(name_at(m, 0x7f0000003000), "stub with?tabs"); /* a tab is a control byte too */
	CHECK(perfmap__find(m, 0x7f0000005000) == NULL);
	CHECK(perfmap__find(m, 0x7f0000006000) == NULL);
	CHECK_STR(name_at(m, 0x7f0000007000), "esc?[2Jname");
	CHECK_STR(name_at(m, 0x7f0000008007), "last_without_newline");
	CHECK(perfmap__find(m, 0) == NULL);
	CHECK(perfmap__find(m, UINT64_MAX) == NULL);
	perfmap__free(m);

	CHECK(perfmap__free(NULL) == NULL);
	CHECK(perfmap__find(NULL, 1) == NULL);
	CHECK_EQ_U64(perfmap__count(NULL), 0);
}

static void test_overlaps(void)
{
	/*
	 * 1000-1100 old_big, then 1040-1060 new_mid inside it, 10f0-1200 newer_tail overlapping
	 * its end, then 1000-1010 newest_head; and an entry reaching the top of the address space.
	 */
	static const char text[] = "1000 100 old_big\n"
				   "1040 20 new_mid\n"
				   "10f0 110 newer_tail\n"
				   "1000 10 newest_head\n"
				   "ffffffffffffff00 1000 saturated\n";
	struct perfmap *m = perfmap__new();

	CHECK(perfmap__parse(m, text, sizeof(text) - 1) == 0);
	CHECK_STR(name_at(m, 0x1000), "newest_head");
	CHECK_STR(name_at(m, 0x100f), "newest_head");
	CHECK_STR(name_at(m, 0x1010), "old_big");
	CHECK_STR(name_at(m, 0x103f), "old_big");
	CHECK_STR(name_at(m, 0x1040), "new_mid");
	CHECK_STR(name_at(m, 0x105f), "new_mid");
	CHECK_STR(name_at(m, 0x1060), "old_big"); /* the old entry shows again after the new one */
	CHECK_STR(name_at(m, 0x10ef), "old_big");
	CHECK_STR(name_at(m, 0x10f0), "newer_tail");
	CHECK_STR(name_at(m, 0x11ff), "newer_tail");
	CHECK(perfmap__find(m, 0x1200) == NULL);
	CHECK_STR(name_at(m, 0xffffffffffffff00), "saturated");
	CHECK_STR(name_at(m, 0xfffffffffffffffe), "saturated");

	/* a later parse appends: an entry reusing old memory wins over all before it */
	CHECK(perfmap__parse(m, "1000 200 reused\n", 16) == 0);
	CHECK_STR(name_at(m, 0x1000), "reused");
	CHECK_STR(name_at(m, 0x1050), "reused");
	CHECK_STR(name_at(m, 0x11ff), "reused");
	CHECK(perfmap__find(m, 0x1200) == NULL);
	perfmap__free(m);
}

/* Many random overlapping entries checked against a brute-force "last one covering wins". */
static void test_overlaps_random(void)
{
	enum { N = 400 };
	static uint64_t start[N], size[N];
	struct perfmap *m = perfmap__new();
	char line[64];
	unsigned int seed = 1;
	uint64_t a;
	int i, bad = 0;

	for (i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		start[i] = 0x10000 + (seed >> 8) % 0x4000;
		seed = seed * 1103515245 + 12345;
		size[i] = 1 + (seed >> 8) % 0x300;
		snprintf(line, sizeof(line), "%llx %llx e%d\n", (unsigned long long)start[i],
			 (unsigned long long)size[i], i);
		CHECK(perfmap__parse(m, line, strlen(line)) == 0);
	}
	for (a = 0xff00; a < 0x14400; a++) {
		const struct perfmap_entry *e = perfmap__find(m, a);
		int want = -1;

		for (i = N - 1; i >= 0; i--) {
			if (a >= start[i] && a < start[i] + size[i]) {
				want = i;
				break;
			}
		}
		snprintf(line, sizeof(line), "e%d", want);
		if (want < 0 ? e != NULL : (!e || strcmp(e->name, line)))
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	perfmap__free(m);
}

static int write_str(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

static void test_refresh(const char *dir)
{
	char path[256], link[256];
	struct perfmap *m = perfmap__new();
	int fd;

	snprintf(path, sizeof(path), "%s/perf-1.map", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write_str(fd, "1000 10 first\n2000 10 sec") == 0);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 1);
	CHECK_STR(name_at(m, 0x1000), "first");
	/* the partial line is not consumed until its newline arrives */
	CHECK(perfmap__find(m, 0x2000) == NULL);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 1);

	CHECK(write_str(fd, "ond\n3000 10 third\n") == 0);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 3);
	CHECK_STR(name_at(m, 0x2000), "second");
	CHECK_STR(name_at(m, 0x3000), "third");
	CHECK_STR(name_at(m, 0x1000), "first");

	/* growth that reuses memory: the newer entry wins */
	CHECK(write_str(fd, "1000 10 first_again\n") == 0);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 4);
	CHECK_STR(name_at(m, 0x1000), "first_again");

	/* rewritten shorter (the process restarted the map): reparsed from scratch */
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(pwrite(fd, "4000 10 fresh\n", 14, 0) == 14);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 1);
	CHECK_STR(name_at(m, 0x4000), "fresh");
	CHECK(perfmap__find(m, 0x1000) == NULL);
	close(fd);

	/* replaced by another file with more content: a new inode starts over too */
	CHECK(unlink(path) == 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK(write_str(fd, "5000 10 replaced\n6000 10 replaced_too\n") == 0);
	close(fd);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 2);
	CHECK(perfmap__find(m, 0x4000) == NULL);
	CHECK_STR(name_at(m, 0x6000), "replaced_too");

	/* a symlink is refused, even to an acceptable file; the map keeps what it had */
	snprintf(link, sizeof(link), "%s/perf-2.map", dir);
	CHECK(symlink(path, link) == 0);
	CHECK(perfmap__refresh(m, link, getuid()) == -ELOOP);
	CHECK_STR(name_at(m, 0x6000), "replaced_too");
	unlink(link);

	CHECK(perfmap__refresh(m, dir, getuid()) == -EPERM); /* a directory */
	snprintf(link, sizeof(link), "%s/perf-3.map", dir);
	CHECK(mkfifo(link, 0644) == 0);
	CHECK(perfmap__refresh(m, link, getuid()) == -EPERM); /* a FIFO: refused, not blocking */
	unlink(link);
	CHECK(perfmap__refresh(m, "/nonexistent/perf-1.map", 0) == -ENOENT);

	unlink(path);
	perfmap__free(m);
}

/* Growing past one read chunk, with an overlong line split across refreshes. */
static void test_refresh_big(const char *dir)
{
	char path[256], line[64];
	struct perfmap *m = perfmap__new();
	char *junk = malloc(200000);
	int fd, i, ok = 1;

	snprintf(path, sizeof(path), "%s/perf-big.map", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0 && junk);
	if (fd < 0 || !junk)
		return;
	for (i = 0; i < 60000; i++) {
		snprintf(line, sizeof(line), "%x 10 fn_%d\n", 0x100000 + i * 0x10, i);
		ok &= write_str(fd, line) == 0;
	}
	/* an overlong line: its first part now, the rest (and its newline) later */
	memset(junk, 'x', 200000);
	memcpy(junk, "900000 10 ", 10);
	ok &= write(fd, junk, 100000) == 100000;
	CHECK(ok);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 60000);
	CHECK_STR(name_at(m, 0x100000 + 59999 * 0x10), "fn_59999");
	CHECK_STR(name_at(m, 0x100005), "fn_0");
	ok &= write(fd, junk + 10, 100000) == 100000;
	ok &= write_str(fd, "\nabc 10 after_long\n") == 0;
	CHECK(ok);
	CHECK(perfmap__refresh(m, path, getuid()) == 0);
	CHECK_EQ_U64(perfmap__count(m), 60001);
	CHECK_EQ_U64(perfmap__bad_lines(m), 1);
	CHECK_STR(name_at(m, 0xabc), "after_long");
	CHECK(perfmap__find(m, 0x900000) == NULL);
	close(fd);
	unlink(path);
	free(junk);
	perfmap__free(m);
}

/*
 * Who may own the file: the profiled process's user (owner_uid) or root (a JIT running as
 * root, or a root-run agent writing maps for it). Any other user could plant names for
 * someone else's process, so that is refused.
 */
static void test_owner(const char *dir)
{
	char path[256];
	struct perfmap *m = perfmap__new();
	int fd;

	if (geteuid() != 0) {
		fprintf(stderr, "skipping ownership checks: needs root to chown\n");
		perfmap__free(m);
		return;
	}
	snprintf(path, sizeof(path), "%s/perf-owner.map", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write_str(fd, "1000 10 owned\n") == 0);
	close(fd);

	/* root-owned: accepted for any owner */
	CHECK(perfmap__refresh(m, path, 12345) == 0);
	CHECK_STR(name_at(m, 0x1000), "owned");

	CHECK(chown(path, 12345, 12345) == 0);
	m = perfmap__free(m);
	m = perfmap__new();
	CHECK(perfmap__refresh(m, path, 12345) == 0); /* the process's own user */
	CHECK_STR(name_at(m, 0x1000), "owned");
	m = perfmap__free(m);
	m = perfmap__new();
	CHECK(perfmap__refresh(m, path, 0) == -EPERM);	   /* a root process, a user's file */
	CHECK(perfmap__refresh(m, path, 12346) == -EPERM); /* another user's file */
	CHECK(perfmap__find(m, 0x1000) == NULL);
	CHECK_EQ_U64(perfmap__count(m), 0);
	unlink(path);
	perfmap__free(m);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Issue 12.2: a map truncated up to 50 GB (sparse) costs no reading of its holes. */
static void test_sparse(const char *dir)
{
	char path[256];
	struct perfmap *m = perfmap__new();
	const char *bad;
	size_t bad_len;
	double t0;
	int fd, calls = 0;

	snprintf(path, sizeof(path), "%s/perf-sparse.map", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK(write_str(fd, "1000 10 before\n") == 0);
	CHECK(ftruncate(fd, 50ll << 30) == 0);
	CHECK(pwrite(fd, "\n2000 10 after\n", 15, 50ll << 30) == 15);
	close(fd);
	t0 = now_s();
	do
		CHECK(perfmap__refresh(m, path, getuid()) == 0);
	while (!name_at(m, 0x2000) && ++calls < 100);
	fprintf(stderr, "50 GB sparse map: %d refreshes, %.3f s\n", calls + 1, now_s() - t0);
	CHECK(now_s() - t0 < 2.0);
	CHECK_STR(name_at(m, 0x1000), "before");
	CHECK_STR(name_at(m, 0x2000), "after");
	CHECK_EQ_U64(perfmap__bad_lines(m), 1); /* the hole, one NUL-filled line */
	CHECK_EQ_U64(perfmap__first_bad(m, &bad, &bad_len), 2);
	unlink(path);
	perfmap__free(m);
}

/* Issue 12.5: maps share one budget; a map past it stops growing and says so; freeing a map
 * gives its share back. Issue 12.8: the first malformed line is kept for --verbose. */
static void test_budget(void)
{
	struct perfmap_budget b = { .entries_left = 3, .bytes_left = 1000 };
	struct perfmap *m1 = perfmap__new(), *m2 = perfmap__new();
	const char *bad;
	size_t bad_len;
	uint64_t off;

	perfmap__set_budget(m1, &b);
	perfmap__set_budget(m2, &b);
	CHECK(perfmap__parse(m1, "10 1 a\n20 1 b\n", 14) == 0);
	CHECK_EQ_U64(b.entries_left, 1);
	CHECK(perfmap__parse(m2, "10 1 c\nbad line here\n20 1 d\n30 1 e\n", 35) == -E2BIG);
	CHECK_EQ_U64(perfmap__count(m2), 1);
	CHECK_EQ_U64(perfmap__cut(m2, &off), PERFMAP_CUT_GLOBAL);
	CHECK_EQ_U64(perfmap__cut(m1, &off), PERFMAP_CUT_NONE);
	CHECK_STR(name_at(m2, 0x10), "c");
	CHECK_EQ_U64(perfmap__first_bad(m2, &bad, &bad_len), 2);
	CHECK(bad_len == 13 && !memcmp(bad, "bad line here", 13));
	perfmap__free(m1);
	CHECK_EQ_U64(b.entries_left, 2);
	perfmap__free(m2);
	CHECK_EQ_U64(b.entries_left, 3);
	CHECK_EQ_U64(b.bytes_left, 1000);
}

int main(void)
{
	char dir[] = "/tmp/test-perfmap-XXXXXX";

	test_parse();
	test_overlaps();
	test_overlaps_random();
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_refresh(dir);
	test_refresh_big(dir);
	test_owner(dir);
	test_sparse(dir);
	test_budget();
	rmdir(dir);
	return check_done();
}
