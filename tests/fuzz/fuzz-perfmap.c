// SPDX-License-Identifier: MIT
/*
 * Fuzz target: perf map text ("START SIZE name"), parsed whole and again in two pieces (the
 * file is read incrementally as a JIT appends to it). A lookup must land inside the entry it
 * returns, and both parses must agree on the count and every lookup. Then the same bytes with a
 * hole in the middle, as a sparse file (a memfd) read by perfmap__refresh_fd: holes are skipped
 * without reading, and must count as the NUL bytes they read as.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "perfmap.h"
#include "probe.h"

static void check_find(struct perfmap *m, uint64_t addr)
{
	const struct perfmap_entry *e = perfmap__find(m, addr);

	if (!e)
		return;
	FUZZ_CHECK(e->name != NULL);
	FUZZ_CHECK(e->start <= addr && addr - e->start < e->size);
}

/* data[0..k) + a hole + data[k..size), k at a line end; the hole ends with a newline. */
static void check_sparse(const uint8_t *data, size_t size, struct perfmap *whole)
{
	size_t k = size / 3, hole = 4096 * (size ? 1 + data[0] % 64 : 1);
	struct perfmap *sparse = perfmap__new(), *zeros = perfmap__new();
	const uint8_t *nl = memchr(data + k, '\n', size - k);
	char *buf = NULL;
	int fd = memfd_create("fuzz-perfmap", MFD_CLOEXEC), calls = 0;

	(void)whole;
	if (!nl || fd < 0 || !sparse || !zeros || data[size - 1] != '\n')
		goto out;
	k = (size_t)(nl - data) + 1;
	if (pwrite(fd, data, k, 0) != (ssize_t)k ||
	    pwrite(fd, "\n", 1, (off_t)(k + hole - 1)) != 1 ||
	    pwrite(fd, data + k, size - k, (off_t)(k + hole)) != (ssize_t)(size - k))
		goto out;
	while (calls++ < 1000 && !perfmap__refresh_fd(sparse, fd, getuid()) &&
	       perfmap__count(sparse) < perfmap__count(whole))
		;
	buf = calloc(1, size + hole);
	if (!buf)
		goto out;
	memcpy(buf, data, k);
	buf[k + hole - 1] = '\n';
	memcpy(buf + k + hole, data + k, size - k);
	if (perfmap__parse(zeros, buf, size + hole))
		goto out;
	FUZZ_CHECK(perfmap__count(sparse) == perfmap__count(zeros));
	FUZZ_CHECK(perfmap__bad_lines(sparse) == perfmap__bad_lines(zeros));
out:
	free(buf);
	if (fd >= 0)
		close(fd);
	perfmap__free(zeros);
	perfmap__free(sparse);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perfmap *whole = perfmap__new(), *split = perfmap__new();
	uint64_t addrs[PROBE_MAX];
	size_t n = probe_addrs(data, size, addrs), cut;
	const char *s = (const char *)data;
	const uint8_t *nl;

	if (!whole || !split)
		goto out;
	if (perfmap__parse(whole, s, size))
		goto out;
	for (size_t i = 0; i < n; i++)
		check_find(whole, addrs[i]);
	FUZZ_CHECK(perfmap__count(whole) <= size / 4 + 1);

	/* split after a line end, as refresh does: only complete lines are parsed early */
	cut = size ? size / 2 : 0;
	nl = memchr(data + cut, '\n', size - cut);
	if (!nl)
		goto out;
	cut = (size_t)(nl - data) + 1;
	if (perfmap__parse(split, s, cut) || perfmap__parse(split, s + cut, size - cut))
		goto out;
	FUZZ_CHECK(perfmap__count(split) == perfmap__count(whole));
	FUZZ_CHECK(perfmap__bad_lines(split) == perfmap__bad_lines(whole));
	for (size_t i = 0; i < n; i++) {
		const struct perfmap_entry *a = perfmap__find(whole, addrs[i]);
		const struct perfmap_entry *b = perfmap__find(split, addrs[i]);

		FUZZ_CHECK(!a == !b);
		if (a)
			FUZZ_CHECK(a->start == b->start && a->size == b->size &&
				   !strcmp(a->name, b->name));
	}
	check_sparse(data, size, whole);
out:
	perfmap__free(split);
	perfmap__free(whole);
	return 0;
}
