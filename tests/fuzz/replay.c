// SPDX-License-Identifier: MIT
/*
 * Replays corpus files through one fuzz target without libFuzzer, built with the project's
 * compiler: every seed and every past crash in tests/corpus/<target>/ is re-checked by the
 * unit suite even where clang is missing. An invariant failure aborts, which fails the test.
 * Usage: replay-TARGET DIR|FILE...
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static int read_file(const char *path, uint8_t **ret, size_t *ret_len)
{
	struct stat st;
	uint8_t *buf;
	size_t off = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || st.st_size < 0) {
		close(fd);
		return -EIO;
	}
	/* one spare byte so an empty file still gets a non-NULL buffer */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	*ret = buf;
	*ret_len = off;
	return 0;
}

static int replay(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	int err = read_file(path, &data, &len);

	if (err) {
		fprintf(stderr, "%s: %s\n", path, strerror(-err));
		return 1;
	}
	printf("replay %s (%zu bytes)\n", path, len);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
	int failed = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		struct dirent **ents;
		int n = scandir(argv[i], &ents, NULL, by_name);

		if (n < 0) {
			if (errno != ENOTDIR) {
				fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
				return 1;
			}
			failed |= replay(argv[i]);
			files++;
			continue;
		}
		for (int k = 0; k < n; k++) {
			char path[4096];

			if (ents[k]->d_name[0] != '.' &&
			    snprintf(path, sizeof(path), "%s/%s", argv[i], ents[k]->d_name) <
				    (int)sizeof(path)) {
				failed |= replay(path);
				files++;
			}
			free(ents[k]);
		}
		free(ents);
	}
	if (!files) {
		fprintf(stderr, "no corpus files given\n");
		return 1;
	}
	printf("%d file(s) replayed\n", files);
	return failed;
}
