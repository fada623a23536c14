// SPDX-License-Identifier: MIT
/*
 * Source lines (see srclines.h). A file offset becomes an ELF virtual address through the
 * binary's PT_LOAD headers (what the code's address is in DWARF); libdw finds its compile unit
 * (dwarf_addrdie) and the line row covering it (dwarf_getsrc_die). Files are read through
 * elffile (pread, no mapping: a truncated file cannot SIGBUS us), every .debug section's size
 * checked before libdw reads it.
 */
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elffile.h"
#include "srclines.h"

struct load {
	uint64_t off, vaddr, size;
};

struct binary {
	char *path;	  /* owned */
	int err;	  /* its failure (negative errno), or 0 */
	int fd, dfd;	  /* the file, and its debug file (-1 when none) */
	Elf *elf, *delf; /* owned */
	Dwarf *dw;	  /* owned: of the debug file when it has one, else of the file */
	struct load loads[16];
	size_t nloads;
};

struct cached {
	uint32_t bin; /* index + 1; 0 = empty */
	int line;     /* 0: no line */
	uint64_t offset;
	const char *file; /* libdw's, valid while the binary is open */
};

struct srclines {
	char *debug_root; /* owned */
	uid_t uid;
	struct binary bins[SRCLINES_MAX_BINARIES];
	size_t nbins;
	struct cached *cache; /* owned: SRCLINES_MAX_CACHED * 2 slots, half full at most */
	size_t cached;
	uint64_t bytes; /* sizes of the files opened: libdw may read that much of them */
};

#define SLOTS (SRCLINES_MAX_CACHED * 2)

struct srclines *srclines__new(const char *debug_root, uid_t uid)
{
	struct srclines *sl = calloc(1, sizeof(*sl));

	if (!sl)
		return NULL;
	sl->uid = uid;
	sl->debug_root = strdup(debug_root ? debug_root : "/usr/lib/debug");
	sl->cache = calloc(SLOTS, sizeof(*sl->cache));
	if (!sl->debug_root || !sl->cache) {
		srclines__free(sl);
		errno = ENOMEM;
		return NULL;
	}
	return sl;
}

static void binary_close(struct binary *b)
{
	if (b->dw)
		dwarf_end(b->dw);
	if (b->delf)
		elf_end(b->delf);
	if (b->elf)
		elf_end(b->elf);
	if (b->dfd >= 0)
		close(b->dfd);
	if (b->fd >= 0)
		close(b->fd);
	free(b->path);
}

struct srclines *srclines__free(struct srclines *sl)
{
	if (!sl)
		return NULL;
	for (size_t i = 0; i < sl->nbins; i++)
		binary_close(&sl->bins[i]);
	free(sl->debug_root);
	free(sl->cache);
	free(sl);
	return NULL;
}

/* A regular file owned by root or our user, not followed through a symlink. */
static int open_file(struct srclines *sl, const char *path, Elf **ret_elf, int *ret_fd)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	uint64_t size;
	struct stat st;
	Elf *elf;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_uid != 0 && st.st_uid != sl->uid)) {
		close(fd);
		return -EACCES;
	}
	if (sl->bytes + (uint64_t)st.st_size > SRCLINES_MAX_BYTES) {
		close(fd);
		return -ENOSPC;
	}
	elf = elffile__begin(fd, &size);
	if (!elf) {
		int err = -errno;

		close(fd);
		return err;
	}
	/* libdw reads the .debug sections whole: each must be in the file and of a sane size */
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !elffile__section_ok(&sh, size)) {
			elf_end(elf);
			close(fd);
			return -ENOEXEC;
		}
	}
	*ret_elf = elf;
	*ret_fd = fd;
	sl->bytes += size;
	return 0;
}

/* The build-id debug file: DEBUG_ROOT/.build-id/ab/cdef....debug */
static void open_debug(struct srclines *sl, struct binary *b)
{
	const unsigned char *id;
	ssize_t n = dwelf_elf_gnu_build_id(b->elf, (const void **)&id);
	char path[4096];
	int len;

	if (n < 2 || n > 64)
		return;
	len = snprintf(path, sizeof(path), "%s/.build-id/%02x/", sl->debug_root, id[0]);
	for (ssize_t i = 1; i < n && len > 0 && (size_t)len < sizeof(path) - 8; i++)
		len += snprintf(path + len, sizeof(path) - (size_t)len, "%02x", id[i]);
	if (len <= 0 || (size_t)len >= sizeof(path) - 8)
		return;
	strcpy(path + len, ".debug");
	open_file(sl, path, &b->delf, &b->dfd); /* b->delf stays NULL without one */
}

static int binary_open(struct srclines *sl, struct binary *b)
{
	size_t nph;

	b->fd = b->dfd = -1;
	b->err = open_file(sl, b->path, &b->elf, &b->fd);
	if (b->err)
		return b->err;
	if (elf_getphdrnum(b->elf, &nph))
		nph = 0;
	for (size_t i = 0; i < nph && b->nloads < sizeof(b->loads) / sizeof(b->loads[0]); i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(b->elf, (int)i, &ph) && ph.p_type == PT_LOAD)
			b->loads[b->nloads++] = (struct load){ ph.p_offset, ph.p_vaddr, ph.p_filesz };
	}
	open_debug(sl, b);
	if (b->delf)
		b->dw = dwarf_begin_elf(b->delf, DWARF_C_READ, NULL);
	if (!b->dw)
		b->dw = dwarf_begin_elf(b->elf, DWARF_C_READ, NULL);
	if (!b->dw)
		b->err = -ENOENT; /* no DWARF here */
	return b->err;
}

static int binary_get(struct srclines *sl, const char *path, size_t *ret_i)
{
	struct binary *b;

	for (size_t i = 0; i < sl->nbins; i++) {
		if (!strcmp(sl->bins[i].path, path)) {
			*ret_i = i;
			return sl->bins[i].err;
		}
	}
	if (sl->nbins == SRCLINES_MAX_BINARIES)
		return -ENOSPC;
	b = &sl->bins[sl->nbins];
	memset(b, 0, sizeof(*b));
	b->path = strdup(path);
	if (!b->path)
		return -ENOMEM;
	*ret_i = sl->nbins++;
	return binary_open(sl, b);
}

/*
 * The compile unit whose ranges hold vaddr, by walking them all: what dwarf_addrdie does
 * through .debug_aranges, which clang does not write (libdw 0.188 does not fall back).
 */
static int find_cu(Dwarf *dw, Dwarf_Addr vaddr, Dwarf_Die *ret)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		if (dwarf_offdie(dw, off + hsize, ret) && dwarf_haspc(ret, vaddr) > 0)
			return 0;
		off = next;
	}
	return -ENOENT;
}

static int lookup(struct binary *b, uint64_t offset, struct srcline *ret)
{
	Dwarf_Addr vaddr = 0;
	Dwarf_Die cu;
	Dwarf_Line *line;
	const char *file;
	size_t i;
	int n;

	for (i = 0; i < b->nloads; i++)
		if (offset >= b->loads[i].off && offset - b->loads[i].off < b->loads[i].size)
			break;
	if (i == b->nloads)
		return -ENOENT;
	vaddr = offset - b->loads[i].off + b->loads[i].vaddr;
	if (!dwarf_addrdie(b->dw, vaddr, &cu) && find_cu(b->dw, vaddr, &cu))
		return -ENOENT;
	line = dwarf_getsrc_die(&cu, vaddr);
	if (!line || dwarf_lineno(line, &n) || n <= 0)
		return -ENOENT;
	file = dwarf_linesrc(line, NULL, NULL);
	if (!file)
		return -ENOENT;
	ret->file = file;
	ret->line = n;
	return 0;
}

int srclines__find(struct srclines *sl, const char *path, uint64_t offset, struct srcline *ret)
{
	uint64_t h;
	size_t bi, s;
	int err = binary_get(sl, path, &bi);

	if (err)
		return err;
	h = (offset ^ ((uint64_t)bi << 48)) * 0x9e3779b97f4a7c15ull;
	for (s = (size_t)(h >> 40) & (SLOTS - 1); sl->cache[s].bin; s = (s + 1) & (SLOTS - 1)) {
		const struct cached *c = &sl->cache[s];

		if (c->bin == bi + 1 && c->offset == offset) {
			if (!c->line)
				return -ENOENT;
			*ret = (struct srcline){ c->file, c->line };
			return 0;
		}
	}
	err = lookup(&sl->bins[bi], offset, ret);
	if (sl->cached < SRCLINES_MAX_CACHED) {
		sl->cache[s] = (struct cached){ (uint32_t)bi + 1, err ? 0 : ret->line, offset,
						err ? NULL : ret->file };
		sl->cached++;
	}
	return err;
}
