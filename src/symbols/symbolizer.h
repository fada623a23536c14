/* SPDX-License-Identifier: MIT */
/*
 * The symbolizer: turns kernel and user addresses into frame names. It owns the kernel
 * symbol table, per-pid mappings and per-binary symbol caches, and is the only thing the
 * sampler asks for names. Library code: it never prints.
 */
#ifndef FLAMETUI_SYMBOLIZER_H
#define FLAMETUI_SYMBOLIZER_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "../trie.h" /* enum frame_kind */

struct symbolizer_opts {
	const char *proc_root;	  /* "/proc" when NULL */
	const char *kallsyms;	  /* "/proc/kallsyms" when NULL */
	const char *debug_root;	  /* "/usr/lib/debug" when NULL */
	const char *perfmap_dir;  /* "/tmp" when NULL (perf-PID.map files) */
	int demangle;		  /* demangle C++/Rust names (on unless -1) */
	/* An address no symbol covers is named after its binary, "[gzip]", so a stripped
	 * binary's samples add up in one frame (stackcollapse-perf.pl's convention); with
	 * per_address, "[gzip+0x4883]" (the file offset) instead. */
	bool per_address;
};

struct sym {
	const char *name;     /* borrowed: valid until the next call on this symbolizer */
	size_t len;
	enum frame_kind kind; /* FRAME_USER, FRAME_KERNEL, FRAME_JIT or FRAME_UNKNOWN */
	/* borrowed like name: the binary the address is in ("libc.so.6", "[kernel]", a kernel
	 * module's name, "[jit]", "[vdso]"), or NULL when no mapping covers it */
	const char *module;
	bool has_offset;  /* a file's mapping covers the address: */
	uint64_t offset;  /* its offset in that file (what [gzip+0x4883] shows) */
	const char *path; /* and the file, as the process's maps name it (borrowed like name) */
};

struct symbolizer_stats {
	uint64_t kernel_lookups, user_lookups;
	uint64_t unknown;	/* addresses left as [unknown] or [module+0xoff] */
	uint64_t maps_reads;	/* /proc/PID/maps parses */
	uint64_t maps_truncated; /* of which cut at 64 MiB (later mappings unknown) */
	uint64_t binaries;	/* ELF files parsed (cache misses) */
	uint64_t perfmaps_refused; /* processes whose perf map was refused (owner, rights...) at
				    * the last try: one read later is no longer counted */
	size_t perfmaps;	/* perf map files held now */
	uint64_t perfmaps_shared; /* times a process reused a map parsed for another */
};

/* NULL with errno set on failure. Kernel symbols are loaded lazily on first use. */
struct symbolizer *symbolizer__new(const struct symbolizer_opts *opts);
struct symbolizer *symbolizer__free(struct symbolizer *s); /* NULL-safe, returns NULL */

/* Reads kallsyms now rather than at the first kernel frame (which would stall that sample's
 * reader for as long as the read takes, up to seconds on a loaded machine). Once; 0 or -ENOMEM;
 * an unreadable kallsyms is not an error (kernel frames then show as [unknown]). */
int symbolizer__load_kernel(struct symbolizer *s);
/* Starts reading kallsyms on a thread (tens of ms of the kernel formatting 100k+ lines), so it
 * overlaps the BPF verification at start; symbolizer__load_kernel (and every kernel lookup)
 * waits for it. Falls back to reading at symbolizer__load_kernel if no thread can start. */
void symbolizer__load_kernel_async(struct symbolizer *s);
/* After symbolizer__load_kernel: true when kernel frames can be named (kallsyms was read and
 * its addresses are not hidden by kptr_restrict). */
bool symbolizer__kernel_names(const struct symbolizer *s);
/* Always fills *ret (an "[unknown]" name when nothing is known) and returns 0, or -ENOMEM. */
int symbolizer__kernel(struct symbolizer *s, uint64_t addr, struct sym *ret);
int symbolizer__user(struct symbolizer *s, uint32_t pid, uint64_t addr, struct sym *ret);

/*
 * How often an address no mapping covers may make a pid's /proc/PID/maps be read again (the
 * mapping may be new: a dlopen). 100 ms unless set (0 restores it). Garbage addresses, from
 * code without frame pointers, miss all the time, and reading a big process's maps costs
 * milliseconds: a caller that learns of new mappings another way (symbolizer__add_mapping)
 * sets it longer. A pid whose maps were never read is read at its first miss regardless.
 */
void symbolizer__set_maps_reread(struct symbolizer *s, uint64_t ns);
/*
 * Where a binary has no symbol for an address, who knows the function around it anyway (the
 * unwind tables' FDE ranges): 0 and the function's start (ELF vaddr), or -ENOENT. The address
 * is then named "[binary@0xSTART]", the same for every address of the function and in every run.
 */
typedef int (*symbolizer_func_fn)(void *ctx, uint64_t dev, uint64_t inode, uint64_t vaddr,
				  uint64_t *ret_start);
void symbolizer__set_func_lookup(struct symbolizer *s, symbolizer_func_fn fn, void *ctx);

/*
 * Who can make a JIT runtime write its perf map (src/runtimes/jvm.c asks HotSpot JVMs, the
 * processes with libjvm.so mapped): called when an address in a JVM's anonymous executable
 * memory is missing from its map. Returns 1 when a new map has been written since the last
 * call for pid (it is then read again from scratch), 0 otherwise; it must return in bounded
 * time. The names of a JVM's JIT frames get stackcollapse-perf.pl's Java tidying.
 */
typedef int (*symbolizer_jit_fn)(void *ctx, uint32_t pid);
void symbolizer__set_jit_request(struct symbolizer *s, symbolizer_jit_fn fn, void *ctx);
/* Does pid map libjvm.so (its mappings are read if they were not)? */
bool symbolizer__is_jvm(struct symbolizer *s, uint32_t pid);

/*
 * A number that changes whenever what symbolizer__user() answers for this pid may change: its
 * mappings were read again or changed, or the pid was forgotten (exec, exit) and looked up
 * anew. 0 while the pid is unknown. A FRAME_USER answer for (pid, addr) given while the
 * number was G stays right as long as it is G (the binaries' symbols do not change under a
 * mapping); [unknown] and JIT answers can change without it (a later maps read, a rewritten
 * perf map), so callers must not cache those.
 */
uint64_t symbolizer__pid_gen(struct symbolizer *s, uint32_t pid);

/* Lifecycle hints from the sampler: mappings changed (exec), or the process is gone. */
void symbolizer__pid_exec(struct symbolizer *s, uint32_t pid);
void symbolizer__pid_exit(struct symbolizer *s, uint32_t pid);

/*
 * A mapping the kernel reported as it was made (perf MMAP2 records): the pid's mappings stay
 * current without reading /proc, and samples of a process that exited before they were
 * symbolized still get names. The mapping replaces any it overlaps. 0 or -errno.
 */
struct procmap;
int symbolizer__add_mapping(struct symbolizer *s, uint32_t pid, const struct procmap *m);

void symbolizer__stats(const struct symbolizer *s, struct symbolizer_stats *ret);
/* Perf maps that were cut at a bound or had malformed lines (see jitmaps__notes). */
struct jitmap_note;
size_t symbolizer__perfmap_notes(const struct symbolizer *s, struct jitmap_note *ret, size_t cap);

#endif
