/* SPDX-License-Identifier: MIT */
/*
 * procstat: small reads of /proc: a file into a buffer, a process's start time from
 * /proc/PID/stat (the one that tells a reused pid from the process that had it), and a number
 * from /proc/PID/status. No allocation: the JVM helper's forked child uses them too.
 */
#ifndef FLAMETUI_PROCSTAT_H
#define FLAMETUI_PROCSTAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads up to cap - 1 bytes of path into buf, NUL-terminated: their count (> 0), -errno, or
 * -ENODATA for an empty file. */
ssize_t procstat__read(const char *path, char *buf, size_t cap);
/* Field 22 of PROC_ROOT/PID/stat (proc_root NULL: "/proc"), after the comm, which may hold
 * anything up to its last ')'; 0 when it cannot be read or the process has exited (a zombie
 * its parent has not waited for yet is not the process any more). */
uint64_t procstat__start_time(const char *proc_root, uint32_t pid);
/* The number after "key:" in PROC_ROOT/PID/status ("Tgid" decimal, "SigCgt" hex: base as
 * strtoull's): 0, or -ENOENT without the file or the key. */
int procstat__status(const char *proc_root, uint32_t pid, const char *key, int base,
		     unsigned long long *ret);

#endif
