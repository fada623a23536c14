// SPDX-License-Identifier: MIT
/*
 * vdso (see vdso.h). Each image goes through a memfd so that elfsyms parses it like any file.
 * The native image's section headers end it, which bounds its size; the 32-bit image is read
 * whole from the process's mapping (/proc/PID/mem), at most MAX_IMAGE bytes.
 */
#include "vdso.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elfsyms.h"

#define MAX_IMAGE (64u << 10)
#define CLASS_UNREADABLE (-1)

struct vdso {
	const char *proc_root;
	struct elfsyms *syms[2]; /* owned: [0] native (ELFCLASS64), [1] 32-bit */
	int state[2];		 /* 0 not tried, 1 loaded, -1 unavailable */
};

struct vdso *vdso__new(const char *proc_root)
{
	struct vdso *v = calloc(1, sizeof(*v));

	if (v)
		v->proc_root = proc_root ? proc_root : "/proc";
	return v;
}

struct vdso *vdso__free(struct vdso *v)
{
	if (!v)
		return NULL;
	elfsyms__free(v->syms[0]);
	elfsyms__free(v->syms[1]);
	free(v);
	return NULL;
}

static struct elfsyms *from_image(const void *img, size_t size)
{
	struct elfsyms *es = NULL;
	int fd = memfd_create("flametui-vdso", MFD_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (write(fd, img, size) == (ssize_t)size)
		es = elfsyms__load_fd(fd, NULL);
	close(fd);
	return es;
}

/* Ours: AT_SYSINFO_EHDR. */
static struct elfsyms *native(void)
{
	const unsigned char *img = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;

	if (!img || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > (1u << 20) || eh->e_shnum > 256)
		return NULL;
	return from_image(img, eh->e_shoff + (uint64_t)eh->e_shnum * eh->e_shentsize);
}

static int open_mem(const struct vdso *v, uint32_t pid)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%u/mem", v->proc_root, pid) >= (int)sizeof(path))
		return -1;
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* The ELF class of the image at start in pid's memory: ELFCLASS32/64 or CLASS_UNREADABLE. */
static int8_t image_class(const struct vdso *v, uint32_t pid, uint64_t start)
{
	unsigned char id[EI_NIDENT];
	int fd = open_mem(v, pid);
	ssize_t n = fd < 0 ? -1 : pread(fd, id, sizeof(id), (off_t)start);

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(id) || memcmp(id, ELFMAG, SELFMAG) ||
	    (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64))
		return CLASS_UNREADABLE;
	return (int8_t)id[EI_CLASS];
}

static struct elfsyms *compat(const struct vdso *v, uint32_t pid, uint64_t start, uint64_t end)
{
	size_t size = end - start;
	struct elfsyms *es = NULL;
	char *img;
	int fd;

	if (end <= start || size > MAX_IMAGE || !(img = malloc(size)))
		return NULL;
	fd = open_mem(v, pid);
	if (fd >= 0 && pread(fd, img, size, (off_t)start) == (ssize_t)size &&
	    img[EI_CLASS] == ELFCLASS32)
		es = from_image(img, size);
	if (fd >= 0)
		close(fd);
	free(img);
	return es;
}

struct elfsyms *vdso__syms(struct vdso *v, uint32_t pid, uint64_t start, uint64_t end,
			   int8_t *klass)
{
	int k;

	if (!*klass)
		*klass = image_class(v, pid, start);
	if (*klass == CLASS_UNREADABLE)
		return NULL;
	k = *klass == ELFCLASS32;
	if (!v->state[k]) {
		v->syms[k] = k ? compat(v, pid, start, end) : native();
		/* a 32-bit image that did not read may read from the next process */
		v->state[k] = v->syms[k] ? 1 : (k ? 0 : -1);
		if (!v->syms[k] && k)
			*klass = CLASS_UNREADABLE;
	}
	return v->syms[k];
}
