// SPDX-License-Identifier: MIT
/*
 * The separate debug file of a stripped binary, as gdb finds it (see debuglink.h): by
 * build-id under the debug root, else by .gnu_debuglink name and CRC32 next to the binary, in
 * its .debug folder or under the debug root; in the process's root first when it has one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "debuglink.h"
#include "elffile.h"

/* The largest debug file whose CRC32 we compute (see file_crc32). */
#define ELFSYMS_CRC_MAX (1ull << 30)

/* .gnu_debuglink: a file name, padding to 4 bytes, then the CRC32 of the debug file. */
static int read_debuglink(struct elf_file *f, char *ret, size_t cap, uint32_t *ret_crc)
{
	size_t i;

	for (i = 1; i < f->shnum; i++) {
		const unsigned char *p;
		const char *secname;
		size_t len, crc_off;
		GElf_Shdr sh;
		Elf_Scn *scn;
		Elf_Data *d;

		if (elfcheck__shdr(f, i, &scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		secname = elf_strptr(f->elf, f->shstrndx, sh.sh_name);
		if (!secname || strcmp(secname, ".gnu_debuglink"))
			continue;
		d = elfcheck__data(scn, &sh);
		if (!d)
			return -ENOENT;
		len = strnlen(d->d_buf, d->d_size);
		crc_off = (len + 4) & ~(size_t)3;
		/* A bare file name only: never let a binary point us elsewhere in the tree. */
		if (!len || len >= cap || crc_off + 4 > d->d_size || memchr(d->d_buf, '/', len))
			return -ENOENT;
		memcpy(ret, d->d_buf, len);
		ret[len] = '\0';
		p = (const unsigned char *)d->d_buf + crc_off;
		if (f->ehdr.e_ident[EI_DATA] == ELFDATA2MSB)
			*ret_crc = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		else
			*ret_crc = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
		return 0;
	}
	return -ENOENT;
}

/*
 * CRC32 of the whole file (the .gnu_debuglink checksum, zlib's polynomial), for files up to
 * ELFSYMS_CRC_MAX: a debug file that its owner grew to 100 GB (sparse, so cheap) must not
 * keep us reading for minutes. Matching by CRC is the legacy path for binaries without a
 * build-id; real debug files of such binaries are far smaller.
 */
static int file_crc32(int fd, uint64_t size, uint32_t *ret)
{
	unsigned char buf[64 << 10];
	uLong crc = crc32(0, NULL, 0);
	uint64_t off = 0;

	if (size > ELFSYMS_CRC_MAX)
		return -EFBIG;
	while (off < size) {
		ssize_t r = pread(fd, buf, sizeof(buf), (off_t)off);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!r)
			break;
		crc = crc32(crc, buf, (uInt)r);
		off += (uint64_t)r;
	}
	*ret = (uint32_t)crc;
	return 0;
}

/*
 * Opens path as the debug file of orig when it matches: same build-id when both have one, else
 * the CRC32 recorded in the debuglink. Returns an open fd or -errno.
 */
static int open_debug_candidate(const struct elfsyms_opts *o, const char *path,
				struct elf_file *orig, const struct stat *orig_st,
				const uint8_t *bid, size_t bid_len, int have_crc, uint32_t crc,
				struct elf_file *ret)
{
	uint8_t cand_bid[ELFSYMS_BUILD_ID_MAX];
	size_t cand_len;
	struct stat st;
	uint32_t c;
	/* the binary's own directory belongs to its owner: no symlink at the end (the rest of the
	 * path is the process's root, see find_debug_file) */
	int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW;
	/* under the process's root: opened with its rights (o->open); /usr/lib/debug: as we are */
	bool in_root = o && o->open && o->root && !strncmp(path, o->root, strlen(o->root));
	int fd = in_root ? o->open(o->open_ctx, path, flags) : open(path, flags);

	if (fd < 0)
		return fd == -1 ? -errno : fd;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (st.st_dev == orig_st->st_dev && st.st_ino == orig_st->st_ino))
		goto no;
	if (elfcheck__open(ret, fd))
		goto no;
	if (ret->ehdr.e_machine != orig->ehdr.e_machine ||
	    ret->ehdr.e_ident[EI_CLASS] != orig->ehdr.e_ident[EI_CLASS])
		goto no_elf;
	cand_len = elfcheck__build_id(ret, cand_bid, sizeof(cand_bid));
	if (bid_len && cand_len) {
		if (cand_len != bid_len || memcmp(cand_bid, bid, bid_len))
			goto no_elf;
	} else if (!have_crc || file_crc32(fd, ret->size, &c) || c != crc) {
		goto no_elf;
	}
	return fd;
no_elf:
	elfcheck__close(ret);
no:
	close(fd);
	return -ENOENT;
}

static int path_join(char *buf, size_t cap, const char *a, const char *b, const char *c,
		     const char *d)
{
	int n = snprintf(buf, cap, "%s%s%s%s", a ? a : "", b ? b : "", c ? c : "", d ? d : "");

	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int debuglink__find(struct elf_file *orig, int orig_fd, const uint8_t *id, size_t id_len,
		    const struct elfsyms_opts *o, struct elf_file *ret, int *ret_fd,
		    char **ret_path)
{
	const char *droot = o && o->debug_root ? o->debug_root : "/usr/lib/debug";
	const char *root = o ? o->root : NULL, *dir = o ? o->dir : NULL;
	char path[PATH_MAX], link[256], hex[2 * ELFSYMS_BUILD_ID_MAX + 1];
	struct stat st;
	uint32_t crc = 0;
	int have_crc, fd = -1, i;
	size_t k;

	if (fstat(orig_fd, &st))
		return -errno;
	if (id_len >= 2) {
		for (k = 0; k < id_len; k++)
			snprintf(hex + 2 * k, 3, "%02x", id[k]);
		for (i = 0; i < 2 && fd < 0; i++) {
			char sub[2 * ELFSYMS_BUILD_ID_MAX + 32];

			snprintf(sub, sizeof(sub), "/.build-id/%.2s/%s.debug", hex, hex + 2);
			if (!path_join(path, sizeof(path), i ? root : NULL, droot, sub, NULL))
				fd = open_debug_candidate(o, path, orig, &st, id,
							  id_len, 0, 0, ret);
			if (!root)
				break;
		}
	}
	have_crc = !read_debuglink(orig, link, sizeof(link), &crc);
	if (fd < 0 && have_crc && dir && dir[0] == '/') {
		const char *fmt[3][3] = {
			{ root, dir, "/" },
			{ root, dir, "/.debug/" },
			{ droot, dir, "/" },
		};

		for (i = 0; i < 3 && fd < 0; i++) {
			if (path_join(path, sizeof(path), fmt[i][0], fmt[i][1], fmt[i][2], link))
				continue;
			fd = open_debug_candidate(o, path, orig, &st, id, id_len, 1,
						  crc, ret);
		}
	}
	if (fd < 0)
		return -ENOENT;
	*ret_path = strdup(path);
	if (!*ret_path) {
		elfcheck__close(ret);
		close(fd);
		return -ENOMEM;
	}
	*ret_fd = fd;
	return 0;
}

int elfsyms__open_debug_fd(int fd, const struct elfsyms_opts *opts)
{
	uint8_t id[ELFSYMS_BUILD_ID_MAX];
	struct elf_file orig, dbg;
	int dfd = -1, err = elfcheck__open(&orig, fd);
	char *path = NULL;
	size_t id_len;

	if (err)
		return err;
	id_len = elfcheck__build_id(&orig, id, sizeof(id));
	err = debuglink__find(&orig, fd, id, id_len, opts, &dbg, &dfd, &path);
	if (!err)
		elfcheck__close(&dbg); /* the fd stays open: the caller reads it */
	free(path);
	elfcheck__close(&orig);
	return err ? err : dfd;
}
