/* SPDX-License-Identifier: MIT */
/*
 * procfile: opening a file on behalf of a profiled process, with that process's rights rather
 * than root's. Paths under /proc/PID/root resolve in the process's mount namespace, where its
 * owner may have bind-mounted anything (a root-only file over /tmp/perf-PID.map, say); no open
 * flag stops a mount. So the open runs in a short-lived thread that takes the process's file
 * uid, file gid and groups (per-thread credentials: raw syscalls, not glibc's process-wide
 * wrappers) and so loses root's power over files: what the process could not read, we do not
 * read. The caller waits a bounded time; an open that blocks (a FIFO, a stalled filesystem) is
 * abandoned, never waited for.
 */
#ifndef FLAMETUI_PROCFILE_H
#define FLAMETUI_PROCFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* How long an open may take before it is abandoned. */
#define PROCFILE_TIMEOUT_MS 1000

/*
 * Opens path with the file credentials of process pid (read from PROC_ROOT/PID/status;
 * proc_root NULL = "/proc"), flags | O_CLOEXEC | O_NOCTTY. pid 0 opens with our own rights,
 * with the deadline only (/proc/PID/map_files: opening a file on FUSE asks its server). When
 * we are not root there is no power to shed and only the deadline applies. Returns the fd, or
 * -errno: what open said as that user (-EACCES...), -ESRCH when the process's credentials cannot be
 * read, -ETIMEDOUT when the open did not return in timeout_ms.
 */
int procfile__open(const char *proc_root, uint32_t pid, const char *path, int flags,
		   int timeout_ms);

#define PROCFILE_MAX_GROUPS 256

/* Who a process is, from PROC_ROOT/PID/status. */
struct procfile_creds {
	uid_t euid, fsuid;
	gid_t egid, fsgid;
	gid_t groups[PROCFILE_MAX_GROUPS]; /* more are dropped: we may have less, never more */
	size_t ngroups;
	uint32_t nspid; /* its pid in its own pid namespace (pid when the kernel does not say) */
};
/* 0, or -ESRCH when the status cannot be read or lacks Uid, Gid or Groups. */
int procfile__creds(const char *proc_root, uint32_t pid, struct procfile_creds *ret);

/* Is fd on a filesystem served by a user process (FUSE), whose reads may never return? Such
 * files are not read on behalf of a profiled process. */
bool procfile__untrusted_fs(int fd);

#endif
