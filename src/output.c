// SPDX-License-Identifier: MIT
/* output: --output FILE for every command (see output.h). */
#include <inttypes.h>
#include <stdio.h>

#include "commands.h"
#include "output.h"

int output__check(const char *path)
{
	enum export_format fmt;

	if (!export__format_for(path, &fmt))
		return 0;
	fprintf(stderr, "flametui: --output '%s': unknown format: name the file .folded, .txt, .svg, "
			".json (speedscope) or .pb.gz (pprof)\n", path);
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
	fprintf(stderr, "flametui: wrote %s (%s, %" PRIu64 " samples)\n", path,
		export__format_name(fmt), trie__total(t));
	return EXIT_OK;
}
