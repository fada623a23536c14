// SPDX-License-Identifier: MIT
/* outfile: open for writing as the invoking user (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static int id_from_env(const char *name, unsigned long *ret)
{
	const char *s = getenv(name);
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	return errno || *end || *ret == 0 || *ret > 0x7fffffff ? -1 : 0;
}

int outfile__create(const char *path)
{
	unsigned long uid, gid;
	bool as_user = geteuid() == 0 && !id_from_env("SUDO_UID", &uid) &&
		       !id_from_env("SUDO_GID", &gid);
	int fd, err = 0;

	if (as_user && (setegid((gid_t)gid) || seteuid((uid_t)uid))) {
		err = -errno;
		if (setegid(0))
			abort(); /* cannot get root's group back: stop rather than run half-privileged */
		return err;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		err = -errno;
	if (as_user && (seteuid(0) || setegid(0)))
		abort();
	return fd < 0 ? err : fd;
}
