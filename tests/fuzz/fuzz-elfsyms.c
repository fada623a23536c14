// SPDX-License-Identifier: MIT
/*
 * Fuzz target: arbitrary bytes as an ELF file (in a memfd) through libelf and elfsyms. Debug
 * files are looked up under a root that does not exist, so the run depends on the input only.
 * A found symbol starts at or below the address; file offsets map back into a segment.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "elfsyms.h"
#include "fuzz.h"

static void check_find(struct elfsyms *e, uint64_t vaddr, int depth)
{
	uint64_t start = 0;
	size_t len = 0;
	const char *name = elfsyms__find(e, vaddr, &len, &start);

	if (!name)
		return;
	FUZZ_CHECK(start <= vaddr);
	FUZZ_CHECK(len <= ELFSYMS_NAME_MAX * 4 + 64 && strlen(name) == len);
	/* the symbol's own start holds a symbol too */
	if (depth == 0)
		check_find(e, start, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elfsyms_opts opts = {
		.root = "/nonexistent-flametui-fuzz",
		.dir = "/",
		.debug_root = "/nonexistent-flametui-fuzz",
		.demangle = size & 1 ? 1 : -1,
	};
	uint8_t id[ELFSYMS_BUILD_ID_MAX];
	const uint8_t *bid = NULL;
	struct elfsyms *e;
	int fd = fuzz_memfd(data, size), n;

	if (fd < 0)
		return 0;
	n = elfsyms__read_build_id(fd, id, sizeof(id));
	FUZZ_CHECK(n <= (int)sizeof(id));
	e = elfsyms__load_fd(fd, &opts);
	close(fd);
	if (!e)
		return 0;
	FUZZ_CHECK(elfsyms__build_id(e, &bid) <= ELFSYMS_BUILD_ID_MAX);
	FUZZ_CHECK(elfsyms__debug_path(e) == NULL);
	FUZZ_CHECK(elfsyms__count(e) <= size);
	for (size_t i = 0; i < 64; i++) {
		uint64_t w = fuzz_word(data, size, i), vaddr = 0;

		check_find(e, w, 0);
		check_find(e, w & 0xffffff, 0);
		if (elfsyms__file_to_vaddr(e, w & 0xffffff, &vaddr) == 0)
			check_find(e, vaddr, 0);
		if (elfsyms__file_to_vaddr(e, w, &vaddr) == 0)
			check_find(e, vaddr, 0);
	}
	elfsyms__free(e);
	return 0;
}
