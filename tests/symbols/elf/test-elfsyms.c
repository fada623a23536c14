/* SPDX-License-Identifier: MIT */
/*
 * elfsyms: separate debug files (build-id checked, CRC checked), build-id notes, and hostile
 * files (truncated, garbage, absurd header fields) that must load or fail without crashing.
 * Usage: test-elfsyms DBG STRIPPED NOBID NOBID_STRIPPED
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "elfsyms.h"

static char tmpdir[] = "/tmp/ft-elfsyms-XXXXXX";

static char *slurp(const char *path, size_t *ret_len)
{
	struct stat st;
	char *buf = NULL;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || !(buf = malloc((size_t)st.st_size + 1)) ||
	    read(fd, buf, (size_t)st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	if (fd >= 0)
		close(fd);
	*ret_len = buf ? (size_t)st.st_size : 0;
	return buf;
}

static int spit(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	int ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* The debuglink search needs an absolute directory; meson may pass relative paths. */
static const char *dir_of(const char *path, char *buf, size_t cap)
{
	char *abs = realpath(path, NULL);

	snprintf(buf, cap, "%s", abs ? abs : path);
	free(abs);
	return dirname(buf);
}

/* Every code address of the unstripped file names the same function in the stripped one. */
static void check_same_names(const char *full, const char *stripped, int expect_debug)
{
	struct elfsyms_opts none = { .debug_root = tmpdir };
	struct elfsyms_opts o = { .debug_root = tmpdir };
	struct elfsyms *a, *b, *c;
	char dbuf[4096];
	uint64_t off, v, compared = 0, named = 0;
	size_t len;
	char *content;

	o.dir = dir_of(stripped, dbuf, sizeof(dbuf));
	a = elfsyms__load(full, &o);
	b = elfsyms__load(stripped, &o);
	c = elfsyms__load(stripped, &none);
	CHECK(a && b && c);
	if (!a || !b || !c)
		goto out;
	CHECK(elfsyms__debug_path(a) == NULL); /* has its own .symtab */
	CHECK(expect_debug == (elfsyms__debug_path(b) != NULL));
	CHECK(elfsyms__debug_path(c) == NULL);
	CHECK(elfsyms__count(a) > 5);
	CHECK_EQ_U64(elfsyms__count(a), elfsyms__count(b) * expect_debug);
	content = slurp(full, &len);
	free(content);
	for (off = 0; off < len; off++) {
		const char *na, *nb;
		size_t la = 0, lb = 0;

		if (elfsyms__file_to_vaddr(a, off, &v))
			continue;
		na = elfsyms__find(a, v, &la, NULL);
		nb = elfsyms__find(b, v, &lb, NULL);
		compared++;
		if (!na)
			continue;
		named++;
		if (expect_debug) {
			if (!nb || la != lb || memcmp(na, nb, la)) {
				CHECK(!"names differ between the binary and its debug file");
				break;
			}
		}
	}
	CHECK(compared > 100);
	CHECK(named > 50);
out:
	elfsyms__free(a);
	elfsyms__free(b);
	elfsyms__free(c);
}

/* A debug file whose CRC does not match the debuglink is ignored. */
static void check_crc_mismatch(const char *nobid_stripped)
{
	char dbuf[4096], src[4096], path[4096];
	struct elfsyms_opts o = { .dir = tmpdir, .debug_root = tmpdir };
	struct elfsyms *e;
	size_t len;
	char *buf;

	snprintf(src, sizeof(src), "%s.debug", nobid_stripped);
	buf = slurp(src, &len);
	CHECK(buf != NULL);
	if (!buf)
		return;
	/* The debuglink names the debug file by its basename. */
	snprintf(path, sizeof(path), "%s/%s", tmpdir, basename(strcpy(dbuf, src)));
	buf[len / 2] ^= 0x55;
	CHECK(spit(path, buf, len) == 0);
	e = elfsyms__load(nobid_stripped, &o);
	CHECK(e != NULL);
	CHECK(elfsyms__debug_path(e) == NULL);
	elfsyms__free(e);
	buf[len / 2] ^= 0x55;
	CHECK(spit(path, buf, len) == 0);
	e = elfsyms__load(nobid_stripped, &o);
	CHECK(e && elfsyms__debug_path(e) && !strcmp(elfsyms__debug_path(e), path));
	elfsyms__free(e);
	unlink(path);
	free(buf);
}

static void check_build_ids(const char *with, const char *without)
{
	uint8_t id[ELFSYMS_BUILD_ID_MAX];
	const uint8_t *lid;
	struct elfsyms *e;
	int fd = open(with, O_RDONLY);

	CHECK(fd >= 0 && elfsyms__read_build_id(fd, id, sizeof(id)) >= 8);
	e = elfsyms__load_fd(fd, NULL);
	CHECK(e && elfsyms__build_id(e, &lid) >= 8 && !memcmp(lid, id, 8));
	elfsyms__free(e);
	close(fd);
	fd = open(without, O_RDONLY);
	CHECK(fd >= 0 && elfsyms__read_build_id(fd, id, sizeof(id)) == 0);
	close(fd);
}

static void load_bytes(const void *buf, size_t len)
{
	char path[4096];
	struct elfsyms *e;
	uint64_t v;

	snprintf(path, sizeof(path), "%s/hostile", tmpdir);
	if (spit(path, buf, len))
		return;
	e = elfsyms__load(path, NULL);
	if (e) {
		/* Use whatever was loaded: lookups must stay in bounds too. */
		for (v = 0; v < 0x20000; v += 7)
			elfsyms__find(e, v, NULL, NULL);
		elfsyms__file_to_vaddr(e, 0x1000, &v);
	}
	elfsyms__free(e);
}

static void check_hostile(const char *good)
{
	size_t len, i, k;
	char *orig, *buf;
	Elf64_Ehdr *eh;

	orig = slurp(good, &len);
	CHECK(orig != NULL && len > sizeof(Elf64_Ehdr));
	if (!orig || len <= sizeof(Elf64_Ehdr))
		return;
	buf = malloc(len);
	if (!buf)
		return;
	/* Truncations, including inside the headers. */
	for (i = 0; i < 200; i++)
		load_bytes(orig, i);
	for (i = 1; i < 64; i++)
		load_bytes(orig, len * i / 64);
	/* Pure garbage, with and without an ELF magic. */
	srand(1);
	for (i = 0; i < len; i++)
		buf[i] = (char)rand();
	load_bytes(buf, len);
	memcpy(buf, orig, 16);
	load_bytes(buf, len);

	/* Absurd header fields, one at a time. */
	memcpy(buf, orig, len);
	eh = (Elf64_Ehdr *)buf;
	eh->e_shoff = ~0ull - 100;
	load_bytes(buf, len);
	memcpy(buf, orig, len);
	eh->e_shnum = 0xffff;
	load_bytes(buf, len);
	memcpy(buf, orig, len);
	eh->e_phoff = len - 8;
	eh->e_phnum = 0xffff;
	load_bytes(buf, len);
	memcpy(buf, orig, len);
	eh->e_shstrndx = 0xfffe;
	load_bytes(buf, len);

	memcpy(buf, orig, len);
	if (eh->e_shoff < len && eh->e_shnum < len / sizeof(Elf64_Shdr) &&
	    eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) <= len) {
		for (k = 0; k < eh->e_shnum; k++) {
			Elf64_Shdr *sh = (Elf64_Shdr *)(buf + eh->e_shoff) + k;
			Elf64_Shdr saved = *sh;
			Elf64_Sym *syms;

			sh->sh_size = ~0ull / 2;
			load_bytes(buf, len);
			*sh = saved;
			sh->sh_offset = len - 1;
			load_bytes(buf, len);
			*sh = saved;
			sh->sh_link = 0xfff0;
			load_bytes(buf, len);
			*sh = saved;
			sh->sh_name = 0x7fffffff;
			load_bytes(buf, len);
			*sh = saved;
			if ((sh->sh_type == SHT_SYMTAB || sh->sh_type == SHT_DYNSYM) &&
			    sh->sh_offset < len && sh->sh_size <= len - sh->sh_offset) {
				/* Names pointing past their string table, sizes wrapping around. */
				syms = (Elf64_Sym *)(buf + sh->sh_offset);
				for (i = 0; i < sh->sh_size / sizeof(*syms); i++) {
					syms[i].st_name = 0xfffffff0u - (uint32_t)i;
					syms[i].st_size = ~0ull - i;
				}
				load_bytes(buf, len);
				/* Unterminated strings up to the end of the table. */
				memcpy(buf, orig, len);
				if (sh->sh_link < eh->e_shnum) {
					Elf64_Shdr *str = (Elf64_Shdr *)(buf + eh->e_shoff) + sh->sh_link;

					if (str->sh_offset < len && str->sh_size <= len - str->sh_offset)
						memset(buf + str->sh_offset, 'A', str->sh_size);
				}
				load_bytes(buf, len);
				memcpy(buf, orig, len);
			}
		}
	}
	/* Random byte flips everywhere. */
	srand(2);
	for (i = 0; i < 300; i++) {
		memcpy(buf, orig, len);
		for (k = 0; k < 16; k++)
			buf[(size_t)rand() % len] = (char)rand();
		load_bytes(buf, len);
	}
	free(buf);
	free(orig);
	CHECK(elfsyms__load("/dev/null", NULL) == NULL);
	CHECK(elfsyms__load("/", NULL) == NULL);
	CHECK(elfsyms__load("/nonexistent/x", NULL) == NULL && errno == ENOENT);
}

int main(int argc, char **argv)
{
	char path[4096];

	if (argc != 5) {
		fprintf(stderr, "usage: %s DBG STRIPPED NOBID NOBID_STRIPPED\n", argv[0]);
		return 1;
	}
	if (!mkdtemp(tmpdir))
		return 1;
	check_same_names(argv[1], argv[2], 1);
	check_same_names(argv[3], argv[4], 1);
	check_crc_mismatch(argv[4]);
	check_build_ids(argv[1], argv[3]);
	check_hostile(argv[1]);
	snprintf(path, sizeof(path), "%s/hostile", tmpdir);
	unlink(path);
	rmdir(tmpdir);
	return check_done();
}
