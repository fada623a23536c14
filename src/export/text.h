/* SPDX-License-Identifier: MIT */
/*
 * Names written for a target: every exporter first makes a frame name safe text (valid UTF-8,
 * no control or invisible characters: those become \xNN, as in the terminal), then quotes it
 * for XML or JSON. The scratch buffer is reused from name to name.
 */
#ifndef FLAMETUI_EXPORT_TEXT_H
#define FLAMETUI_EXPORT_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include "../trie.h"

struct text_buf {
	char *s; /* owned */
	size_t len, cap;
};

void text_buf__fini(struct text_buf *b);

/* The display name of a frame (sanitized, no kind suffix) into b->s / b->len. 0 or -ENOMEM. */
int text__name(struct text_buf *b, const struct trie *t, uint32_t id);
/* Writes s[0..len) (already sanitized) escaped for XML text and attribute values. */
int text__xml(FILE *f, const char *s, size_t len);
/* Writes s[0..len) (already sanitized) as a JSON string, quotes included. */
int text__json(FILE *f, const char *s, size_t len);

#endif
