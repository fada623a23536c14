// SPDX-License-Identifier: MIT
/*
 * addrlines (src/addrlines.c): the view's file:line and L answers from a frame address table,
 * and the check that a binary is still the one a recording's table was made on: its build-id
 * decides when it has one (a new mtime alone is the same code), size and mtime when it has
 * none; a changed binary gives no lines (-ESTALE for L) and says so. Argument: a -g binary.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addrlines.h"
#include "check.h"
#include "srclines.h"
#include "tui.h"

static char path[300];
static uint64_t offset; /* a file offset of `path` with a source line */
static char want[600];	/* its "file.c:N" */

static void table(struct frameaddrs **ret, const struct frameaddrs_ident *id)
{
	struct frameaddrs *fa = frameaddrs__new();
	int bin = fa ? frameaddrs__bin(fa, path) : -1;

	CHECK(bin == 0);
	frameaddrs__add(fa, frameaddrs__key("f", 1, FRAME_USER), bin, offset, 7);
	if (id)
		CHECK(frameaddrs__set_ident(fa, bin, id) == 0);
	*ret = fa;
}

/* The status line's text and L's answer for frame f of a table with identity id. */
static void ask(const struct frameaddrs_ident *id, char *where, size_t cap, int *ret_lines)
{
	struct addrlines *a = addrlines__new();
	struct frameaddrs *fa;
	struct tui_frame_addr fr;
	struct tui_line lines[8];
	uint64_t total = 0;

	table(&fa, id);
	CHECK(a && addrlines__frame_addr(a, fa, "f", 1, FRAME_USER, &fr) == 0);
	CHECK(fr.offset == offset && fr.samples == 7 && fr.addrs == 1);
	snprintf(where, cap, "%s", fr.where);
	*ret_lines = addrlines__frame_lines(a, fa, "f", 1, FRAME_USER, lines, 8, &total);
	CHECK_EQ_U64(total, 7);
	if (*ret_lines == 1)
		CHECK(lines[0].samples == 7);
	CHECK(addrlines__frame_addr(a, fa, "g", 1, FRAME_USER, &fr) == -ENOENT);
	addrlines__free(a);
	frameaddrs__free(fa);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/ft-addrlines-XXXXXX", cmd[1024], where[160];
	struct frameaddrs_ident now, id;
	struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1000000, 0 } };
	struct srclines *sl = srclines__new(NULL, getuid());
	struct srcline l;
	struct stat st;
	int n;

	if (argc < 2 || !mkdtemp(dir) || !sl)
		return 1;
	snprintf(path, sizeof(path), "%s/bin", dir);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", argv[1], path);
	CHECK(system(cmd) == 0);
	CHECK(stat(path, &st) == 0);
	for (offset = 0; offset < (uint64_t)st.st_size; offset++)
		if (!srclines__find(sl, path, offset, &l))
			break;
	CHECK(offset < (uint64_t)st.st_size);
	snprintf(want, sizeof(want), "%s:%d", strrchr(l.file, '/') ? strrchr(l.file, '/') + 1 : l.file,
		 l.line);
	srclines__free(sl);

	/* what identifies it now: its build-id, size, mtime */
	CHECK(addrlines__ident(NULL, path, &now) == 0);
	CHECK(now.build_id_len == 20 && now.size == (uint64_t)st.st_size);
	CHECK(now.mtime_ns == (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec);
	CHECK(addrlines__ident(NULL, "/nonexistent/bin", &id) == -ENOENT);

	/* without an identity (live, perf script) and with the right one: the line */
	ask(NULL, where, sizeof(where), &n);
	CHECK_STR(where, want);
	CHECK_EQ_U64(n, 1);
	ask(&now, where, sizeof(where), &n);
	CHECK_STR(where, want);
	/* a new mtime, the same build-id: the same code */
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0);
	ask(&now, where, sizeof(where), &n);
	CHECK_STR(where, want);
	/* another build-id: changed */
	id = now;
	id.build_id[0] ^= 1;
	ask(&id, where, sizeof(where), &n);
	CHECK_STR(where, "bin changed since it was recorded: no lines");
	CHECK_EQ_U64(n, (uint64_t)-ESTALE);
	/* recorded without a build-id: size and mtime decide (the mtime moved above) */
	id = now;
	id.build_id_len = 0;
	ask(&id, where, sizeof(where), &n);
	CHECK_STR(where, "bin changed since it was recorded: no lines");
	CHECK(addrlines__ident(NULL, path, &id) == 0);
	id.build_id_len = 0;
	ask(&id, where, sizeof(where), &n);
	CHECK_STR(where, want);
	/* another user's file is not read (as srclines does not read it for lines) */
	if (getuid() == 0) {
		struct addrlines *a = addrlines__new();

		snprintf(cmd, sizeof(cmd), "chown 65534 '%s'", path);
		CHECK(system(cmd) == 0);
		CHECK(a && addrlines__ident(a, path, &id) == -EACCES);
		CHECK(addrlines__ident(NULL, path, &id) == 0);
		addrlines__free(a);
	}
	/* gone: changed too */
	unlink(path);
	ask(&now, where, sizeof(where), &n);
	CHECK_STR(where, "bin changed since it was recorded: no lines");
	rmdir(dir);
	return check_done();
}
