// SPDX-License-Identifier: MIT
/* Online CPU list parsing (see cpus.h): one perf event is opened per entry. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cpus.h"
#include "grow.h"

#define MAX_CPU 65536

int cpus__parse(const char *p, int **ret)
{
	int *cpus = NULL;
	size_t n = 0, cap = 0;

	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;

		if (end == p || a < 0)
			goto bad;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				goto bad;
			p = end;
		}
		if (b >= MAX_CPU)
			goto bad;
		for (long c = a; c <= b; c++) {
			if (grow_array((void **)&cpus, &cap, n + 1, sizeof(*cpus))) {
				free(cpus);
				return -ENOMEM;
			}
			cpus[n++] = (int)c;
		}
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			goto bad;
	}
	if (!n)
		goto bad;
	*ret = cpus;
	return (int)n;
bad:
	free(cpus);
	return -EINVAL;
}

int cpus__online(int **ret)
{
	char buf[4096];
	int fd = open("/sys/devices/system/cpu/online", O_RDONLY | O_CLOEXEC);
	ssize_t len;

	if (fd < 0)
		return -errno;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return len < 0 ? -errno : -EINVAL;
	buf[len] = '\0';
	return cpus__parse(buf, ret);
}
