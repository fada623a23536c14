/* SPDX-License-Identifier: MIT */
/*
 * procfile: open(2) as a profiled process would, in a thread of its own credentials, with a
 * deadline. See procfile.h for why.
 */
#include "procfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546

/* One open, shared by the caller and the thread: whoever finishes last frees it. */
struct job {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	struct procfile_creds c;
	char *path;
	int flags;
	int result; /* fd or -errno */
	bool done, abandoned;
	bool keep_creds; /* pid 0: our own rights, only the deadline */
};

int procfile__creds(const char *proc_root, uint32_t pid, struct procfile_creds *c)
{
	char path[PATH_MAX], line[4096];
	int have = 0;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%u/status", proc_root ? proc_root : "/proc", pid) >=
	    (int)sizeof(path))
		return -ESRCH;
	f = fopen(path, "re");
	if (!f)
		return -ESRCH;
	c->ngroups = 0;
	c->nspid = pid;
	while (fgets(line, sizeof(line), f)) {
		unsigned long v[4];

		if (sscanf(line, "Uid: %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4) {
			c->euid = (uid_t)v[1];
			c->fsuid = (uid_t)v[3];
			have |= 1;
		} else if (sscanf(line, "Gid: %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4) {
			c->egid = (gid_t)v[1];
			c->fsgid = (gid_t)v[3];
			have |= 2;
		} else if (!strncmp(line, "Groups:", 7)) {
			char *p = line + 7, *end;

			for (;;) {
				unsigned long g = strtoul(p, &end, 10);

				if (end == p)
					break;
				/* more groups than this: drop the rest (we may read less, never
				 * more) */
				if (c->ngroups < PROCFILE_MAX_GROUPS)
					c->groups[c->ngroups++] = (gid_t)g;
				p = end;
			}
			have |= 4;
		} else if (!strncmp(line, "NSpid:", 6)) {
			char *p = line + 6, *end;

			/* the last one is the pid in the process's own namespace */
			for (;;) {
				unsigned long n = strtoul(p, &end, 10);

				if (end == p)
					break;
				if (n && n <= UINT32_MAX)
					c->nspid = (uint32_t)n;
				p = end;
			}
		}
	}
	fclose(f);
	return have == 7 ? 0 : -ESRCH;
}

static void job_free(struct job *j)
{
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->done_cv);
	free(j->path);
	free(j);
}

bool procfile__untrusted_fs(int fd)
{
	struct statfs sf;

	return !fstatfs(fd, &sf) && sf.f_type == FUSE_SUPER_MAGIC;
}

static void *open_thread(void *arg)
{
	struct job *j = arg;
	int fd = -EPERM;
	bool last;

	/* Credentials are per thread in the kernel; glibc's setgroups/setfsuid would be applied to
	 * every thread (setgroups) or not checked: the raw calls change this thread only. A
	 * non-zero fsuid drops CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER with it. */
	if (j->keep_creds) {
		fd = open(j->path, j->flags);
		if (fd < 0)
			fd = -errno;
	} else if (!syscall(SYS_setgroups, j->c.ngroups, j->c.groups)) {
		syscall(SYS_setfsgid, j->c.fsgid);
		syscall(SYS_setfsuid, j->c.fsuid);
		/* setfs*id return the previous id: check the change took */
		if ((uid_t)syscall(SYS_setfsuid, -1) == j->c.fsuid &&
		    (gid_t)syscall(SYS_setfsgid, -1) == j->c.fsgid) {
			fd = open(j->path, j->flags);
			if (fd < 0)
				fd = -errno;
		}
	}
	/* FUSE: its server answers every later fstat and read, maybe never; asking it here is
	 * inside the deadline */
	if (fd >= 0 && procfile__untrusted_fs(fd)) {
		close(fd);
		fd = -EPERM;
	}
	pthread_mutex_lock(&j->lock);
	j->result = fd;
	j->done = true;
	last = j->abandoned;
	pthread_cond_signal(&j->done_cv);
	pthread_mutex_unlock(&j->lock);
	if (last) {
		if (fd >= 0)
			close(fd);
		job_free(j);
	}
	return NULL;
}

int procfile__open(const char *proc_root, uint32_t pid, const char *path, int flags, int timeout_ms)
{
	struct timespec deadline;
	pthread_attr_t attr;
	pthread_t th;
	struct job *j;
	bool last;
	int err, fd;

	flags |= O_CLOEXEC | O_NOCTTY;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	/* not root: no power to shed, the open is ours anyway */
	j->keep_creds = !pid || geteuid() != 0;
	err = j->keep_creds ? 0 : procfile__creds(proc_root, pid, &j->c);
	j->path = strdup(path);
	if (err || !j->path) {
		free(j->path);
		free(j);
		return err ? err : -ENOMEM;
	}
	j->flags = flags;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->done_cv, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 << 10);
	err = pthread_create(&th, &attr, open_thread, j);
	pthread_attr_destroy(&attr);
	if (err) {
		job_free(j);
		return -err;
	}
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&j->lock);
	while (!j->done && pthread_cond_timedwait(&j->done_cv, &j->lock, &deadline) != ETIMEDOUT)
		;
	fd = j->done ? j->result : -ETIMEDOUT;
	j->abandoned = true;
	last = j->done;
	pthread_mutex_unlock(&j->lock);
	if (last)
		job_free(j); /* the thread is done with it; the fd is ours */
	return fd;
}
