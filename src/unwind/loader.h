/* SPDX-License-Identifier: MIT */
/*
 * The unwind loader: keeps the kernel's unwind maps (bpf/unwind.h) in step with the sampled
 * processes. A process is loaded when its first sample arrives (or when asked, at start) and
 * again after its mappings changed: each executable mapping gets its binary's table, built
 * once per file (device, inode, size, mtime) and shared by every process that maps it, copied
 * into a free run of the kernel's row array. A table leaves the kernel 2 s after the last
 * loaded process that mapped it (exit, exec, unmap) let go of it, at once when its rows are
 * needed; the built table stays cached in memory, so a process that maps the binary later only
 * copies it back. Library code: it never prints.
 */
#ifndef FLAMETUI_UNWIND_LOADER_H
#define FLAMETUI_UNWIND_LOADER_H

#include <stddef.h>
#include <stdint.h>

struct unwind_loader_opts {
	int rows_fd, procs_fd; /* the BPF maps (borrowed) */
	size_t max_rows;       /* entries of rows_fd */
	size_t max_procs;      /* entries of procs_fd */
	const char *proc_root; /* "/proc" when NULL */
	const char
	    *debug_root; /* separate debug files (.debug_frame): "/usr/lib/debug" when NULL */
};

struct unwind_loader_stats {
	uint64_t procs_loaded;	/* process entries written */
	uint64_t procs_full;	/* processes that did not fit the kernel map */
	uint64_t tables_built;	/* binaries read */
	uint64_t tables_failed; /* binaries without a usable table (they use frame pointers) */
	uint64_t tables_full;	/* tables that did not fit --unwind-mem */
	uint64_t tables_evicted;
	uint64_t build_ns; /* time spent building and loading tables */
	uint64_t deferred; /* loads put off to stay within the time budget */
	size_t tables;	   /* tables in the kernel now */
	size_t rows_used;  /* of max_rows */
	size_t max_rows;
};

struct unwind_loader;

struct unwind_loader *unwind_loader__new(const struct unwind_loader_opts *opts); /* errno */
struct unwind_loader *unwind_loader__free(struct unwind_loader *l);		 /* NULL-safe */

/* A sample of pid arrived: loads it when new, or again when its mappings changed. 0 or
 * -errno (-ENOMEM); a process that cannot be read is not an error (it uses frame pointers). */
int unwind_loader__see(struct unwind_loader *l, uint32_t pid);
/* unwind_loader__see spends at most 10 ms of every 100 ms loading; past that, a process
 * waits for its next sample (counted in stats.deferred). */
/* The same without the time budget (at start, before sampling). */
int unwind_loader__load(struct unwind_loader *l, uint32_t pid);
/* pid's mappings changed (mmap record, exec): reload before its next sample is handled. */
void unwind_loader__changed(struct unwind_loader *l, uint32_t pid);
/* pid exec'd: the kernel already dropped its entry (bpf/profile.bpf.c); reload at once. */
void unwind_loader__exec(struct unwind_loader *l, uint32_t pid);
/* pid exited: its entry leaves the kernel, its tables lose a user. */
void unwind_loader__exit(struct unwind_loader *l, uint32_t pid);

void unwind_loader__stats(const struct unwind_loader *l, struct unwind_loader_stats *ret);

/*
 * The function (FDE range) that contains ELF vaddr in the binary (dev, inode), when its table
 * was built: 0 and its start, or -ENOENT. For naming code without symbols.
 */
int unwind_loader__func(const struct unwind_loader *l, uint64_t dev, uint64_t inode, uint64_t vaddr,
			uint64_t *ret_start);

#endif
