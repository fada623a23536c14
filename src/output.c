// SPDX-License-Identifier: MIT
/* output: --output FILE for every command (see output.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "output.h"

int output__check(const char *path)
{
	enum export_format fmt;

	if (!export__format_for(path, &fmt))
		return 0;
	fprintf(stderr,
		"flametui: --output '%s': unknown format: name the file .folded, .txt, .svg, "
		".json (speedscope) or .pb.gz (pprof)\n",
		path);
	return -1;
}

int output__write(struct trie *t, const char *path, const struct export_opts *o)
{
	enum export_format fmt = EXPORT_FOLDED;
	char err[512];

	if (export__to_path(t, path, o, err, sizeof(err))) {
		fprintf(stderr, "flametui: %s\n", err);
		return EXIT_FAIL;
	}
	export__format_for(path, &fmt);
	fprintf(stderr, "flametui: wrote %s (%s, %" PRIu64 " %s)\n", path,
		export__format_name(fmt), trie__total(t), o && o->unit ? o->unit : "samples");
	return EXIT_OK;
}

int output__view(void *ctx, const struct tui_export *x, const char *path, char *msg, size_t cap)
{
	struct export_opts o = ctx ? *(const struct export_opts *)ctx : (struct export_opts){0};
	enum export_format fmt = EXPORT_FOLDED;
	struct trie *sub = x->t;
	int rc;

	if (x->zoom && x->zoom->parent) {
		sub = export__subtrie(x->t, x->zoom);
		if (!sub) {
			snprintf(msg, cap, "out of memory");
			return -ENOMEM;
		}
	}
	o.search = x->search;
	if (x->has_range) {
		/* the samples of the range shown (speedscope's timed form) */
		o.from_ns = x->from_ns;
		o.to_ns = x->to_ns;
	}
	rc = export__to_path(sub, path, &o, msg, cap);
	if (!rc) {
		export__format_for(path, &fmt);
		snprintf(msg, cap, "wrote %s (%s, %" PRIu64 " %s%s)", path,
			 export__format_name(fmt), trie__total(sub), o.unit ? o.unit : "samples",
			 sub != x->t ? ", the zoomed frame" : "");
	}
	if (sub != x->t)
		trie__free(sub);
	return rc;
}

int output__stdout_end(int err)
{
	errno = 0;
	if (!err && (fflush(stdout) || ferror(stdout)))
		err = errno ? -errno : -EIO;
	if (!err || err == -EPIPE)
		return EXIT_OK;
	fprintf(stderr, "flametui: writing the output failed: %s\n", strerror(-err));
	return EXIT_FAIL;
}
