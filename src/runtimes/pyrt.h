/* SPDX-License-Identifier: MIT */
/*
 * pyrt: CPython processes, as the kernel walker (bpf/python.bpf.h) needs them and as their
 * frames are named. When a process is first sampled, pyrt looks in its executable mappings for
 * a python3.x binary or libpython3.x, finds _PyRuntime and Py_Version in its .dynsym, checks
 * the version against pyoffsets and the layout against the live interpreter, and writes the
 * process's entry into the kernel's py_procs map. Frames come back as (code object, offset):
 * pyrt reads each code object once with process_vm_readv (name, file, first line, location
 * table), caches it per (process, address), and names the frame "qualname (file.py:line)".
 *
 * Hostile processes: every read is bounded, and only of memory that cannot stall us:
 * anonymous mappings and the interpreter's own file (never a file another server backs, such
 * as FUSE). A process that lies gets wrong-looking names of its own, never a crash or a hang.
 * Library code: it never prints.
 */
#ifndef FLAMETUI_PYRT_H
#define FLAMETUI_PYRT_H

#include <stddef.h>
#include <stdint.h>

#include "trie.h"

struct pyrt_opts {
	int procs_fd;	       /* the kernel's py_procs map (borrowed); -1: name frames only */
	const char *proc_root; /* "/proc" when NULL */
};

struct pyrt_stats {
	uint64_t procs;		  /* Python processes configured in the kernel */
	uint64_t procs_full;	  /* ... that did not fit the kernel map */
	uint64_t unknown;	  /* processes whose CPython flametui does not know */
	uint32_t unknown_version; /* the last such PY_VERSION_HEX (0: older than 3.11) */
	uint64_t layout_failed;	  /* known version, but the live check failed */
	uint64_t code_reads;	  /* code objects read */
	uint64_t code_failed;	  /* ... that could not be read (counted per attempt) */
	uint64_t code_ns;	  /* time spent reading them (the first sample of each) */
};

struct pyrt;

struct pyrt *pyrt__new(const struct pyrt_opts *opts); /* NULL with errno set */
struct pyrt *pyrt__free(struct pyrt *r);	      /* NULL-safe, returns NULL */

/* A sample of pid arrived: the first one configures it (cheap afterwards). 0 or -ENOMEM. */
int pyrt__see(struct pyrt *r, uint32_t pid);
/* pid exec'd or exited: its entry and its code objects are forgotten. */
void pyrt__forget(struct pyrt *r, uint32_t pid);
/* Nonzero while pid's entry is the same (changes on forget): a cache key for names. */
uint64_t pyrt__gen(struct pyrt *r, uint32_t pid);

/*
 * The name of one Python frame (the record's two slots, bpf/python.h) into buf (cap > 0):
 * FRAME_PYTHON and "qualname (file.py:line)", or FRAME_UNKNOWN and a bracketed reason when
 * the code object cannot be read. Returns the length.
 */
size_t pyrt__frame(struct pyrt *r, uint32_t pid, uint64_t code, uint64_t info, char *buf,
		   size_t cap, enum frame_kind *ret_kind);

void pyrt__stats(const struct pyrt *r, struct pyrt_stats *ret);

/* "qualname (file:line)" from the parts (pure; pyrt__frame's format): the file shortened to
 * its last component, or its last two for __init__.py and __main__.py; line < 0 leaves it
 * out. Returns the length written (buf always NUL-terminated). */
size_t pyrt__format(char *buf, size_t cap, const char *qualname, const char *file, int32_t line);

#endif
