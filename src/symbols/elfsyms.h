/* SPDX-License-Identifier: MIT */
/*
 * Function symbols of one ELF file: .symtab (from a separate debug file found through the
 * build-id or .gnu_debuglink when there is one) merged with .dynsym, sorted by address, plus the
 * PT_LOAD segments that turn a file offset into a virtual address and the GNU build-id. Every
 * header field is checked against the file size before use. Library code: it never prints.
 */
#ifndef FLAMETUI_ELFSYMS_H
#define FLAMETUI_ELFSYMS_H

#include <stddef.h>
#include <stdint.h>

#define ELFSYMS_NAME_MAX 4096	 /* longer names are truncated */
#define ELFSYMS_BUILD_ID_MAX 64

struct elfsyms_opts {
	const char *root;	/* prefix of the process's root ("/proc/PID/root"), NULL for "/" */
	const char *dir;	/* directory of the binary as the process sees it, NULL if unknown */
	const char *debug_root; /* "/usr/lib/debug" when NULL */
	int demangle;		/* demangle C++/Rust names lazily (on unless -1) */
	/* Opens a debug-file candidate (flags include O_NOFOLLOW): fd or -errno. NULL = open(2).
	 * Paths under root resolve in the process's mount namespace, so the caller opens them
	 * with the process's rights (procfile__open). */
	int (*open)(void *ctx, const char *path, int flags);
	void *open_ctx;
};

struct elfsyms;

/* Reads fd (not closed, any file position). NULL with errno set: ENOEXEC for a file that is not
 * a usable ELF, ENOMEM... A file without symbols is not an error (lookups just miss). */
struct elfsyms *elfsyms__load_fd(int fd, const struct elfsyms_opts *opts);
struct elfsyms *elfsyms__load(const char *path, const struct elfsyms_opts *opts);
struct elfsyms *elfsyms__free(struct elfsyms *e); /* NULL-safe, returns NULL */

/* Reads only the GNU build-id note: its length (<= cap), 0 when there is none, or -errno. */
int elfsyms__read_build_id(int fd, uint8_t *ret, size_t cap);
/* The build-id of the loaded file; length 0 when it has none. */
size_t elfsyms__build_id(const struct elfsyms *e, const uint8_t **ret);
/* The separate debug file of the ELF in fd (build-id under debug_root, then .gnu_debuglink
 * next to the binary, in .debug/ and under debug_root), matched by build-id or CRC as for the
 * symbols: an open fd, or -ENOENT / -errno. */
int elfsyms__open_debug_fd(int fd, const struct elfsyms_opts *opts);
/* The debug file the symbols came from, or NULL when none was found. */
const char *elfsyms__debug_path(const struct elfsyms *e);

/* File offset -> ELF virtual address through the PT_LOAD segment holding it: 0 or -ENOENT. */
int elfsyms__file_to_vaddr(const struct elfsyms *e, uint64_t file_off, uint64_t *ret_vaddr);
/*
 * The name of the function containing vaddr ([st_value, st_value + st_size); a size-0 symbol
 * matches only its own address), demangled when enabled; borrowed until elfsyms__free. NULL
 * when no symbol contains vaddr. ret_len and ret_start may be NULL.
 */
const char *elfsyms__find(struct elfsyms *e, uint64_t vaddr, size_t *ret_len,
			  uint64_t *ret_start);
size_t elfsyms__count(const struct elfsyms *e);

#endif
