// SPDX-License-Identifier: MIT
/* procstat over a fake /proc: start time past a comm with ')' and spaces, zombies, status keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "procstat.h"

static char root[64];

static void put(uint32_t pid, const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%u", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%u/%s", root, pid, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

int main(void)
{
	char buf[8], path[128];
	unsigned long long v = 7;

	snprintf(root, sizeof(root), "/tmp/ft-procstat.XXXXXX");
	CHECK(mkdtemp(root) != NULL);
	/* a comm with ") S 1 2" in it: fields count from the last ')' */
	put(10, "stat", "10 (a) S 1 2 (b) S 1 1 1 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1 2\n");
	put(11, "stat", "11 (java) Z 1 11 11 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 555 1 2\n");
	put(12, "stat", "12 (short) S 1\n");
	put(10, "status", "Name:\tjava\nTgid:\t10\nPid:\t13\nSigCgt:\t0000000000000004\n");
	put(14, "status", "Tgid:\t14\n");
	put(15, "status", "");
	CHECK_EQ_U64(procstat__start_time(root, 10), 987654);
	CHECK_EQ_U64(procstat__start_time(root, 11), 0); /* a zombie is not the process any more */
	CHECK_EQ_U64(procstat__start_time(root, 12), 0); /* too few fields */
	CHECK_EQ_U64(procstat__start_time(root, 99), 0); /* no such process */
	CHECK(getpid() > 0 && procstat__start_time(NULL, (uint32_t)getpid()) > 0); /* the real one */
	CHECK(procstat__status(root, 10, "Tgid", 10, &v) == 0 && v == 10);
	CHECK(procstat__status(root, 10, "SigCgt", 16, &v) == 0 && v == 4);
	CHECK(procstat__status(root, 10, "Pid", 10, &v) == 0 && v == 13); /* not "Tgid"'s tail */
	CHECK(procstat__status(root, 14, "Tgid", 10, &v) == 0 && v == 14); /* the first line */
	CHECK(procstat__status(root, 10, "Uid", 10, &v) == -ENOENT);
	CHECK(procstat__status(root, 15, "Tgid", 10, &v) == -ENOENT);
	CHECK(procstat__status(root, 99, "Tgid", 10, &v) == -ENOENT);
	/* a read is cut to the buffer and NUL-terminated */
	snprintf(path, sizeof(path), "%s/10/status", root);
	CHECK(procstat__read(path, buf, sizeof(buf)) == 7 && !strcmp(buf, "Name:\tj"));
	snprintf(path, sizeof(path), "%s/15/status", root);
	CHECK(procstat__read(path, buf, sizeof(buf)) == -ENODATA);
	CHECK(procstat__read("/nonexistent/x", buf, sizeof(buf)) == -ENOENT);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	CHECK(system(path) == 0);
	return check_done();
}
