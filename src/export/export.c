// SPDX-License-Identifier: MIT
/*
 * export: picks the format by extension, writes files safely (a new file renamed into place,
 * owned by the sudo user), and cuts a zoomed view out of a trie. The formats live in svg.c,
 * speedscope.c and pprof.c; folded text is formats/folded.c's writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../formats/folded.h"
#include "export.h"
#include "walk.h"

static const struct {
	const char *ext;
	enum export_format fmt;
} exts[] = {
    {".folded", EXPORT_FOLDED},	  {".txt", EXPORT_FOLDED},  {".svg", EXPORT_SVG},
    {".json", EXPORT_SPEEDSCOPE}, {".pb.gz", EXPORT_PPROF},
};

int export__format_for(const char *path, enum export_format *ret)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t n = strlen(exts[i].ext);

		if (len > n && !strcasecmp(path + len - n, exts[i].ext)) {
			*ret = exts[i].fmt;
			return 0;
		}
	}
	return -EINVAL;
}

const char *export__format_name(enum export_format fmt)
{
	static const char *const names[] = {"collapsed stacks", "SVG flame graph",
					    "speedscope JSON", "pprof"};

	return fmt < EXPORT_FORMAT_MAX ? names[fmt] : "?";
}

int export__write(struct trie *t, enum export_format fmt, const struct export_opts *o, FILE *f)
{
	static const struct export_opts none;
	int rc;

	if (!o)
		o = &none;
	switch (fmt) {
	case EXPORT_FOLDED:
		rc = folded__write(t, f);
		break;
	case EXPORT_SVG:
		rc = export_svg__write(t, o, f);
		break;
	case EXPORT_SPEEDSCOPE:
		rc = export_speedscope__write(t, o, f);
		break;
	case EXPORT_PPROF:
		rc = export_pprof__write(t, o, f);
		break;
	default:
		return -EINVAL;
	}
	if (!rc && (fflush(f) || ferror(f)))
		rc = -EIO;
	return rc;
}

/* Root running for a sudo user: the file is theirs (doc/security.md). */
static int give_to_sudo_user(int fd)
{
	const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
	char *end;
	unsigned long uid, gid;

	if (geteuid() != 0 || !u || !g || !*u || !*g)
		return 0;
	errno = 0;
	uid = strtoul(u, &end, 10);
	if (errno || *end)
		return 0;
	gid = strtoul(g, &end, 10);
	if (errno || *end)
		return 0;
	return fchown(fd, (uid_t)uid, (gid_t)gid) ? -errno : 0;
}

struct one {
	struct trie *t;
	enum export_format fmt;
	const struct export_opts *o;
};

static int write_one(void *ctx, FILE *f)
{
	struct one *w = ctx;

	return export__write(w->t, w->fmt, w->o, f);
}

int export__to_path(struct trie *t, const char *path, const struct export_opts *o, char *err,
		    size_t cap)
{
	struct one w = {.t = t, .o = o};

	if (export__format_for(path, &w.fmt)) {
		snprintf(err, cap,
			 "cannot tell the format of '%s': name it .folded, .txt, .svg, "
			 ".json (speedscope) or .pb.gz (pprof)",
			 path);
		return -EINVAL;
	}
	return export__to_path_with(path, write_one, &w, err, cap);
}

int export__to_path_with(const char *path, int (*fill)(void *ctx, FILE *f), void *ctx, char *err,
			 size_t cap)
{
	const char *slash;
	char *tmp = NULL;
	mode_t mask;
	FILE *f = NULL;
	int fd = -1, rc;

	err[0] = '\0';
	slash = strrchr(path, '/');
	if (asprintf(&tmp, "%.*s.flametui-XXXXXX", slash ? (int)(slash - path + 1) : 0, path) < 0)
		return snprintf(err, cap, "out of memory"), -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, cap,
			 "cannot create a file in the directory of '%s': %s: choose a "
			 "directory you can write to",
			 path, strerror(-rc));
		free(tmp);
		return rc;
	}
	/* mkostemp makes it 0600; an export is an ordinary file. */
	mask = umask(0);
	umask(mask);
	rc = fchmod(fd, 0666 & ~mask) ? -errno : give_to_sudo_user(fd);
	if (rc) {
		snprintf(err, cap, "cannot set the owner of '%s': %s", path, strerror(-rc));
		goto fail;
	}
	f = fdopen(fd, "w");
	if (!f) {
		rc = -errno;
		snprintf(err, cap, "out of memory");
		goto fail;
	}
	fd = -1;
	rc = fill(ctx, f);
	if (!rc && (fflush(f) || ferror(f)))
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -EIO;
	f = NULL;
	if (rc) {
		snprintf(err, cap, "writing '%s' failed: %s: check the free space", path,
			 rc == -EIO ? "input/output error" : strerror(-rc));
		goto fail;
	}
	if (rename(tmp, path)) {
		rc = -errno;
		snprintf(err, cap, "cannot write '%s': %s", path, strerror(-rc));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
}

struct trie *export__subtrie(const struct trie *src, const struct trie_node *node)
{
	const struct trie_node *n;
	struct trie *dst = trie__new();
	uint32_t *map = NULL, *ids;
	size_t nnames = trie__names(src);
	struct walk w;
	int rc;

	if (!dst)
		return NULL;
	walk__init(&w, NULL);
	if (!node)
		node = trie__root(src);
	map = malloc((nnames ? nnames : 1) * sizeof(*map));
	if (!map)
		goto nomem;
	for (size_t i = 0; i < nnames; i++)
		map[i] = TRIE_NO_NAME;
	walk__init(&w, node);
	while ((rc = walk__next(&w, &n)) > 0) {
		if (!n->self)
			continue;
		if (walk__path(&w, n, &ids))
			goto nomem;
		for (uint32_t i = 0; i < n->depth; i++) {
			uint32_t id = ids[i];

			if (map[id] == TRIE_NO_NAME) {
				map[id] =
				    trie__intern(dst, trie__name(src, id), trie__name_len(src, id),
						 trie__kind(src, id));
				if (map[id] == TRIE_NO_NAME)
					goto nomem;
			}
			ids[i] = map[id];
		}
		if (trie__add(dst, ids, n->depth, n->self))
			goto nomem;
	}
	if (rc < 0)
		goto nomem;
	walk__fini(&w);
	free(map);
	return dst;
nomem:
	walk__fini(&w);
	free(map);
	trie__free(dst);
	errno = ENOMEM;
	return NULL;
}
