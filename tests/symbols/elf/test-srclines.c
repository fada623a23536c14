// SPDX-License-Identifier: MIT
/*
 * Source lines (src/symbols/srclines.c) against binutils' addr2line on the same binary: a test
 * program built with -g, every few bytes of its .text asked of both; the same lines through
 * its build-id debug file when the binary is stripped; files of other users refused.
 * A clang -g binary too, which has no .debug_aranges (libdw's address index).
 * Arguments: the -g binary, its stripped copy, the stripped copy's debug file, a clang -g
 * binary.
 */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "srclines.h"

#define MAX_ADDRS 4000

struct probe {
	uint64_t vaddr, offset;
	char file[1024];
	int line; /* addr2line's; 0 for ?? */
};

/* .text's addresses every `step` bytes, with their file offsets. */
static size_t text_addrs(const char *path, struct probe *p, size_t max, unsigned step)
{
	int fd = open(path, O_RDONLY);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	size_t n = 0, shstr;

	if (!elf || elf_getshdrstrndx(elf, &shstr)) {
		CHECK(!"open the test binary");
		return 0;
	}
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		const char *name;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstr, sh.sh_name)) ||
		    strcmp(name, ".text"))
			continue;
		for (uint64_t a = sh.sh_addr; a < sh.sh_addr + sh.sh_size && n < max; a += step) {
			p[n].vaddr = a;
			p[n].offset = a - sh.sh_addr + sh.sh_offset;
			n++;
		}
	}
	elf_end(elf);
	close(fd);
	return n;
}

/* addr2line's answer for each probe: "file:line", "file:line (discriminator N)", "??:0". */
static int run_addr2line(const char *bin, struct probe *p, size_t n)
{
	char in[] = "/tmp/ft-srclines-XXXXXX", cmd[4200], line[1024];
	int fd = mkstemp(in);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL, *out;
	size_t i = 0;

	if (!f)
		return -1;
	for (size_t k = 0; k < n; k++)
		fprintf(f, "0x%llx\n", (unsigned long long)p[k].vaddr);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "addr2line -e '%s' < '%s'", bin, in);
	out = popen(cmd, "r");
	while (out && i < n && fgets(line, sizeof(line), out)) {
		char *colon = strrchr(line, ':');

		line[strcspn(line, "\n")] = '\0';
		if (strstr(line, " (discriminator ")) {
			*strstr(line, " (discriminator ") = '\0';
			colon = strrchr(line, ':');
		}
		p[i].line = 0;
		if (colon && strncmp(line, "??", 2)) {
			*colon = '\0';
			p[i].line = atoi(colon + 1);
			snprintf(p[i].file, sizeof(p[i].file), "%s", line);
		}
		i++;
	}
	if (out)
		pclose(out);
	unlink(in);
	return i == n ? 0 : -1;
}

/* Every probe answered as addr2line answers it; returns how many had a line. */
static size_t compare(struct srclines *sl, const char *path, struct probe *p, size_t n)
{
	size_t lines = 0, wrong = 0;

	for (size_t i = 0; i < n; i++) {
		struct srcline s = { 0 };
		int err = srclines__find(sl, path, p[i].offset, &s);
		char a[1024], b[1024];

		if (!p[i].line) {
			if (err != -ENOENT && wrong++ < 5)
				fprintf(stderr, "  0x%llx: addr2line has no line, srclines %s:%d\n",
					(unsigned long long)p[i].vaddr, s.file, s.line);
			continue;
		}
		lines++;
		snprintf(a, sizeof(a), "%s", p[i].file);
		snprintf(b, sizeof(b), "%s", err ? "" : s.file);
		if (err || strcmp(basename(a), basename(b)) || s.line != p[i].line) {
			if (wrong++ < 5)
				fprintf(stderr, "  0x%llx: addr2line %s:%d, srclines %s:%d (%d)\n",
					(unsigned long long)p[i].vaddr, p[i].file, p[i].line,
					err ? "-" : s.file, err ? 0 : s.line, err);
		}
	}
	CHECK_EQ_U64(wrong, 0);
	return lines;
}

int main(int argc, char **argv)
{
	static struct probe p[MAX_ADDRS];
	char dir[] = "/tmp/ft-srclines-dir-XXXXXX", path[4096], cmd[16384];
	const unsigned char *id;
	struct srclines *sl;
	struct srcline s;
	size_t n, lines;
	ssize_t idn;
	int fd;
	Elf *elf;

	if (argc < 4) {
		fprintf(stderr, "usage: test-srclines DBG STRIPPED STRIPPED.debug\n");
		return 1;
	}
	elf_version(EV_CURRENT);
	if (system("command -v addr2line >/dev/null 2>&1"))
		return 77;
	n = text_addrs(argv[1], p, MAX_ADDRS, 1);
	CHECK(n > 100);
	CHECK(run_addr2line(argv[1], p, n) == 0);
	sl = srclines__new(NULL, getuid());
	CHECK(sl != NULL);
	if (!sl)
		return check_done();
	lines = compare(sl, argv[1], p, n);
	CHECK(lines > n / 2); /* most of .text is the test's own code, with lines */
	fprintf(stderr, "%zu addresses, %zu with a line, as addr2line has them\n", n, lines);
	/* again: from the cache, the same answers */
	CHECK_EQ_U64(compare(sl, argv[1], p, n), lines);
	CHECK(srclines__find(sl, argv[1], 0, &s) == -ENOENT); /* the ELF header: no code */
	CHECK(srclines__find(sl, "/nonexistent/binary", 0x1000, &s) == -ENOENT);
	srclines__free(sl);

	/* the stripped copy finds its lines in DEBUG_ROOT/.build-id/xx/yyyy.debug */
	CHECK(mkdtemp(dir) != NULL);
	fd = open(argv[2], O_RDONLY);
	elf = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	idn = elf ? dwelf_elf_gnu_build_id(elf, (const void **)&id) : -1;
	CHECK(idn > 2);
	if (idn > 2) {
		int len = snprintf(path, sizeof(path), "%s/.build-id/%02x", dir, id[0]);

		snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
		CHECK(system(cmd) == 0);
		len += snprintf(path + len, sizeof(path) - (size_t)len, "/");
		for (ssize_t i = 1; i < idn; i++)
			len += snprintf(path + len, sizeof(path) - (size_t)len, "%02x", id[i]);
		snprintf(path + len, sizeof(path) - (size_t)len, ".debug");
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", argv[3], path);
		CHECK(system(cmd) == 0);
		sl = srclines__new(dir, getuid());
		CHECK(sl && compare(sl, argv[2], p, n) == lines);
		srclines__free(sl);
		sl = srclines__new("/nonexistent", getuid()); /* without it: no lines */
		CHECK(sl && srclines__find(sl, argv[2], p[n / 2].offset, &s) == -ENOENT);
		srclines__free(sl);
	}
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	/* a file of another user is not opened (as root: a copy given to nobody) */
	if (getuid() == 0) {
		snprintf(path, sizeof(path), "%s/other", dir);
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s' && chown 65534 '%s'", argv[1], path, path);
		CHECK(system(cmd) == 0);
		sl = srclines__new(NULL, 0);
		CHECK(sl && srclines__find(sl, path, p[n / 2].offset, &s) == -EACCES);
		srclines__free(sl);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	if (argc > 4) {
		n = text_addrs(argv[4], p, MAX_ADDRS, 1);
		CHECK(n > 50);
		CHECK(run_addr2line(argv[4], p, n) == 0);
		sl = srclines__new(NULL, getuid());
		lines = sl ? compare(sl, argv[4], p, n) : 0;
		fprintf(stderr, "clang: %zu addresses, %zu with a line, as addr2line has them\n", n,
			lines);
		CHECK(lines > n / 2);
		srclines__free(sl);
	}
	return check_done();
}
