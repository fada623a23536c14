// SPDX-License-Identifier: MIT
/*
 * The name table's cap (issue 12.9): built with TRIE_MAX_NAMES 4096, the table grows to its cap
 * and then refuses names with ENOMEM, its slots never wrapping to a zero-sized table. (At the
 * real cap of 2^30 names, the old 32-bit `names_cap * 2` wrapped to calloc(0).)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "trie.h"

int main(void)
{
	struct trie *t = trie__new();
	char buf[32];
	uint32_t id = 0;
	int i;

	CHECK(t != NULL);
	for (i = 0; i < 5000; i++) {
		snprintf(buf, sizeof(buf), "f%d", i);
		id = trie__intern(t, buf, strlen(buf), FRAME_USER);
		if (id == TRIE_NO_NAME)
			break;
	}
	CHECK(id == TRIE_NO_NAME && errno == ENOMEM);
	CHECK_EQ_U64(trie__names(t), TRIE_MAX_NAMES);
	/* every name interned before the cap is still found */
	for (int k = 0; k < i; k += 97) {
		snprintf(buf, sizeof(buf), "f%d", k);
		CHECK_STR(trie__name(t, trie__intern(t, buf, strlen(buf), FRAME_USER)), buf);
	}
	trie__free(t);
	return check_done();
}
