/* SPDX-License-Identifier: MIT */
/* procmaps: the pure /proc/PID/maps parser on synthetic and hostile text, then this process's
 * own maps. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "procmaps.h"

static const char sample[] =
	"55d0c5a4c000-55d0c5a4e000 r--p 00000000 08:01 1311 /usr/bin/cat\n"
	"55d0c5a4e000-55d0c5a53000 r-xp 00002000 08:01 1311 /usr/bin/cat\n"
	"7f0000000000-7f0000001000 rwxp 00000000 00:00 0 \n"
	"7f0000010000-7f0000020000 r-xp 00001000 fd:02 99   /tmp/my prog (x) (deleted)\n"
	"7f0000030000-7f0000031000 r-xp 00000000 103:0a 77 /opt/with  two  spaces.so\n"
	"7ffd00000000-7ffd00002000 r-xp 00000000 00:00 0                          [vdso]\n"
	"7f0000040000-7f0000041000 r-xp 00000000 00:05 12 //anon_hugepage\n"
	/* malformed: missing end, bad perms, start >= end, garbage, overflow, NUL */
	"7f0000050000 r-xp 00000000 08:01 1 /bad1\n"
	"7f0000060000-7f0000061000 r-x 00000000 08:01 1 /bad2\n"
	"7f0000071000-7f0000070000 r-xp 00000000 08:01 1 /bad3\n"
	"hello world\n"
	"\n"
	"11112222333344445-7f0000090000 r-xp 00000000 08:01 1 /bad4\n"
	"7f00000a0000-7f00000a1000 r-xp 00000000 08:01 1x /bad5\n"
	"7f00000b0000-7f00000b1000 r-xp 00000000 08:01 18446744073709551616 /bad6\n"
	/* overlapping an earlier mapping: dropped */
	"7f0000010800-7f0000011000 r-xp 00000000 08:01 5 /overlap\n"
	/* unsorted and without a trailing newline */
	"1000-2000 r-xp 00000abc 08:01 4 /first";

static void test_sample(void)
{
	struct procmaps *m = procmaps__parse(sample, sizeof(sample) - 1);
	const struct procmap *p;

	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ_U64(procmaps__count(m), 7);
	CHECK_EQ_U64(procmaps__bad_lines(m), 8);

	p = procmaps__get(m, 0);
	CHECK_EQ_U64(p->start, 0x1000);
	CHECK_EQ_U64(p->offset, 0xabc);
	CHECK_STR(p->path, "/first");

	p = procmaps__get(m, 1);
	CHECK_EQ_U64(p->start, 0x55d0c5a4e000ull);
	CHECK_EQ_U64(p->end, 0x55d0c5a53000ull);
	CHECK_EQ_U64(p->offset, 0x2000);
	CHECK_EQ_U64(p->dev_major, 8);
	CHECK_EQ_U64(p->dev_minor, 1);
	CHECK_EQ_U64(p->inode, 1311);
	CHECK_EQ_U64(p->flags, 0);
	CHECK_STR(p->path, "/usr/bin/cat");

	p = procmaps__get(m, 2);
	CHECK_STR(p->path, "");
	CHECK(p->flags & PROCMAP_ANON);

	p = procmaps__get(m, 3);
	CHECK_STR(p->path, "/tmp/my prog (x)");
	CHECK_EQ_U64(p->flags, PROCMAP_DELETED);
	CHECK_EQ_U64(p->dev_major, 0xfd);
	CHECK_EQ_U64(p->dev_minor, 2);

	p = procmaps__get(m, 4);
	CHECK_STR(p->path, "/opt/with  two  spaces.so");
	CHECK_EQ_U64(p->dev_major, 0x103);
	CHECK_EQ_U64(p->dev_minor, 0xa);

	p = procmaps__get(m, 5);
	CHECK_STR(p->path, "//anon_hugepage");
	CHECK(p->flags & PROCMAP_ANON);

	p = procmaps__get(m, 6);
	CHECK_STR(p->path, "[vdso]");
	CHECK(p->flags & PROCMAP_ANON);
	CHECK(procmaps__get(m, 7) == NULL);

	CHECK_EQ_U64(procmaps__find(m, 0x55d0c5a4e000ull), 1);
	CHECK_EQ_U64(procmaps__find(m, 0x55d0c5a52fffull), 1);
	CHECK(procmaps__find(m, 0x55d0c5a53000ull) == -1);
	CHECK(procmaps__find(m, 0x55d0c5a4c000ull) == -1); /* not executable: dropped */
	CHECK(procmaps__find(m, 0xfff) == -1);
	CHECK_EQ_U64(procmaps__find(m, 0x7f0000010800ull), 3);
	procmaps__free(m);
}

/* Random bytes and every prefix of the sample: no crash, no read past the given length. */
static void test_hostile(void)
{
	size_t len, i;
	char *buf;

	for (len = 0; len <= sizeof(sample) - 1; len++) {
		/* An exact-size heap copy lets valgrind/ASan see any overread. */
		buf = malloc(len ? len : 1);
		if (!buf)
			return;
		memcpy(buf, sample, len);
		procmaps__free(procmaps__parse(buf, len));
		free(buf);
	}
	srand(7);
	for (i = 0; i < 200; i++) {
		char junk[512];
		size_t j;

		for (j = 0; j < sizeof(junk); j++)
			junk[j] = (char)("0123456789abcdef- :/\n\0xrp"[rand() % 26]);
		procmaps__free(procmaps__parse(junk, sizeof(junk)));
	}
	procmaps__free(procmaps__parse(NULL, 0));
	procmaps__free(NULL);
}

static void test_self(void)
{
	struct procmaps *m = procmaps__load(NULL, (uint32_t)getpid());
	long i;

	CHECK(m != NULL);
	if (!m)
		return;
	i = procmaps__find(m, (uint64_t)(uintptr_t)test_self);
	CHECK(i >= 0);
	if (i >= 0) {
		const char *p = procmaps__get(m, (size_t)i)->path;

		CHECK(strstr(p, "test-procmaps") != NULL);
	}
	procmaps__free(m);
	CHECK(procmaps__load(NULL, 0x7ffffff0) == NULL);
}

/* Issue 12.9: past 64 MiB the read stops on a line boundary, and says it stopped. */
static void test_truncated(void)
{
	char dir[] = "/tmp/test-procmaps-XXXXXX", path[256];
	struct procmaps *m;
	FILE *f;
	size_t lines = 0, bytes = 0;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/42", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/42/maps", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	while (bytes < (65u << 20)) {
		int n = fprintf(f, "%012zx-%012zx r-xp 00000000 08:01 1234 /usr/lib/libx.so\n",
				0x100000000 + lines * 0x1000, 0x100001000 + lines * 0x1000);

		bytes += (size_t)n;
		lines++;
	}
	fclose(f);
	m = procmaps__load(dir, 42);
	CHECK(m != NULL);
	CHECK(procmaps__truncated(m));
	CHECK(procmaps__count(m) > 0 && procmaps__count(m) < lines);
	CHECK_EQ_U64(procmaps__bad_lines(m), 0); /* no half line at the cut */
	procmaps__free(m);
	unlink(path);
	snprintf(path, sizeof(path), "%s/42", dir);
	rmdir(path);
	rmdir(dir);
	m = procmaps__load("/proc", (uint32_t)getpid());
	CHECK(m && !procmaps__truncated(m));
	procmaps__free(m);
}

int main(void)
{
	test_truncated();
	test_sample();
	test_hostile();
	test_self();
	return check_done();
}
