// SPDX-License-Identifier: MIT
/* addrlines (see addrlines.h): hottest address, source lines, binary identity checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addrlines.h"
#include "elfsyms.h"
#include "srclines.h"
#include "tui.h"

enum { UNCHECKED = 0, SAME, CHANGED };

struct addrlines {
	struct srclines *sl; /* owned, made at the first question */
	uid_t uid;
	const struct frameaddrs *checked_fa; /* borrowed: the table `state` is about */
	uint8_t state[FRAMEADDRS_MAX_BINS];
};

struct addrlines *addrlines__new(void)
{
	struct addrlines *a = calloc(1, sizeof(*a));
	const char *u = getenv("SUDO_UID");

	if (!a)
		return NULL;
	a->uid = getuid() == 0 && u ? (uid_t)strtoul(u, NULL, 10) : getuid();
	return a;
}

struct addrlines *addrlines__free(struct addrlines *a)
{
	if (a)
		srclines__free(a->sl);
	free(a);
	return NULL;
}

static struct srclines *lines(struct addrlines *a)
{
	if (!a->sl)
		a->sl = srclines__new(NULL, a->uid);
	return a->sl;
}

int addrlines__ident(void *ctx, const char *path, struct frameaddrs_ident *ret)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	const struct addrlines *a = ctx;
	struct frameaddrs_ident id = { 0 };
	struct stat st;
	int n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	/* as srclines: only files of root or of the user (another user's give no lines anyway) */
	if (a && st.st_uid != 0 && st.st_uid != a->uid) {
		close(fd);
		return -EACCES;
	}
	id.size = (uint64_t)st.st_size;
	id.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	n = elfsyms__read_build_id(fd, id.build_id, sizeof(id.build_id));
	id.build_id_len = n > 0 ? (uint8_t)n : 0;
	close(fd);
	*ret = id;
	return 0;
}

/* Is bin the binary its table's identity says (or has it none)? Checked once per table. */
static bool same_binary(struct addrlines *a, const struct frameaddrs *fa, int bin)
{
	const struct frameaddrs_ident *want = frameaddrs__ident(fa, bin);
	struct frameaddrs_ident now;

	if (!want || bin < 0 || bin >= FRAMEADDRS_MAX_BINS)
		return true;
	if (a->checked_fa != fa) {
		memset(a->state, UNCHECKED, sizeof(a->state));
		a->checked_fa = fa;
	}
	if (a->state[bin] == UNCHECKED) {
		bool same = !addrlines__ident(NULL, frameaddrs__bin_path(fa, bin), &now);

		/* the build-id names the code; without one, size and mtime have to do */
		if (same && want->build_id_len)
			same = now.build_id_len == want->build_id_len &&
			       !memcmp(now.build_id, want->build_id, want->build_id_len);
		else if (same)
			same = now.size == want->size && now.mtime_ns == want->mtime_ns;
		a->state[bin] = same ? SAME : CHANGED;
	}
	return a->state[bin] == SAME;
}

static int bin_of(const struct frameaddrs *fa, const char *path)
{
	for (int b = 0; b < frameaddrs__nbins(fa); b++)
		if (frameaddrs__bin_path(fa, b) == path)
			return b;
	return -1;
}

int addrlines__frame_addr(struct addrlines *a, const struct frameaddrs *fa, const char *name,
			  size_t len, enum frame_kind kind, struct tui_frame_addr *ret)
{
	struct frameaddrs_hot h;
	struct srclines *sl;
	struct srcline line;
	int err;

	if (!fa)
		return -ENOENT;
	err = frameaddrs__hot(fa, frameaddrs__key(name, len, kind), &h);
	if (err)
		return err;
	*ret = (struct tui_frame_addr){ .offset = h.offset, .samples = h.samples,
					.total = h.total, .addrs = h.addrs,
					.partial = h.partial };
	if (!h.path)
		return 0;
	if (!same_binary(a, fa, bin_of(fa, h.path))) {
		const char *base = strrchr(h.path, '/');

		snprintf(ret->where, sizeof(ret->where), "%s changed since it was recorded: no lines",
			 base ? base + 1 : h.path);
		return 0;
	}
	sl = lines(a);
	if (sl && !srclines__find(sl, h.path, h.offset, &line)) {
		const char *base = strrchr(line.file, '/');

		snprintf(ret->where, sizeof(ret->where), "%s:%d", base ? base + 1 : line.file,
			 line.line);
	}
	return 0;
}

struct lines_acc {
	struct addrlines *a;
	const struct frameaddrs *fa;
	struct tui_line *v; /* owned */
	size_t n, cap;
	uint64_t total, stale;
	int err;
};

/* One address of the function: its samples go to its line's row. */
static void add_line(void *ctx, const char *path, uint64_t offset, uint64_t samples)
{
	struct lines_acc *a = ctx;
	struct srcline l;
	size_t i;

	a->total += samples;
	if (a->err)
		return;
	if (!same_binary(a->a, a->fa, bin_of(a->fa, path))) {
		a->stale += samples;
		return;
	}
	if (srclines__find(a->a->sl, path, offset, &l))
		return;
	for (i = 0; i < a->n; i++)
		if (a->v[i].line == l.line && !strcmp(a->v[i].file, l.file))
			break;
	if (i == a->n) {
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 64;
			struct tui_line *v = realloc(a->v, cap * sizeof(*v));

			if (!v) {
				a->err = -ENOMEM;
				return;
			}
			a->v = v;
			a->cap = cap;
		}
		a->v[a->n++] = (struct tui_line){ l.file, l.line, 0 };
	}
	a->v[i].samples += samples;
}

static int cmp_line(const void *x, const void *y)
{
	const struct tui_line *a = x, *b = y;

	if (a->samples != b->samples)
		return (a->samples < b->samples) - (a->samples > b->samples);
	return (a->line > b->line) - (a->line < b->line);
}

int addrlines__frame_lines(struct addrlines *a, const struct frameaddrs *fa, const char *name,
			   size_t len, enum frame_kind kind, struct tui_line *ret, size_t cap,
			   uint64_t *ret_total)
{
	struct lines_acc acc = { .a = a, .fa = fa };
	size_t n;

	if (!fa || !lines(a))
		return -ENOENT;
	frameaddrs__each(fa, frameaddrs__key(name, len, kind), add_line, &acc);
	if (acc.err) {
		free(acc.v);
		return acc.err;
	}
	if (acc.n > 1)
		qsort(acc.v, acc.n, sizeof(*acc.v), cmp_line);
	n = acc.n < cap ? acc.n : cap;
	if (n)
		memcpy(ret, acc.v, n * sizeof(*ret));
	free(acc.v);
	*ret_total = acc.total;
	if (!n && acc.stale && acc.stale == acc.total)
		return -ESTALE;
	return n ? (int)n : -ENOENT;
}
