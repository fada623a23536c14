// SPDX-License-Identifier: MIT
/* Small reads of /proc (see procstat.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procstat.h"

ssize_t procstat__read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, cap - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n == 0)
		return -ENODATA;
	if (n > 0)
		buf[n] = '\0';
	return n;
}

static ssize_t read_pid_file(const char *proc_root, uint32_t pid, const char *name, char *buf,
			     size_t cap)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%u/%s", proc_root ? proc_root : "/proc", pid, name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	return procstat__read(path, buf, cap);
}

uint64_t procstat__start_time(const char *proc_root, uint32_t pid)
{
	char buf[1024], *p;
	unsigned long long v = 0;

	if (read_pid_file(proc_root, pid, "stat", buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%llu", &v);
	return v;
}

int procstat__status(const char *proc_root, uint32_t pid, const char *key, int base,
		     unsigned long long *ret)
{
	char buf[4096], want[64], *p, *end;
	size_t klen = strlen(key);
	unsigned long long v;

	if (klen + 3 > sizeof(want) || read_pid_file(proc_root, pid, "status", buf, sizeof(buf)) < 0)
		return -ENOENT;
	snprintf(want, sizeof(want), "\n%s:", key);
	/* the first line has no newline before it */
	if (!strncmp(buf, want + 1, klen + 1))
		p = buf + klen + 1;
	else if ((p = strstr(buf, want)))
		p += klen + 2;
	else
		return -ENOENT;
	v = strtoull(p, &end, base);
	if (end == p)
		return -ENOENT;
	*ret = v;
	return 0;
}
