// SPDX-License-Identifier: MIT
/* text: frame names made safe for each export target (see text.h). */
#include <errno.h>
#include <stdlib.h>

#include "../formats/formats.h"
#include "text.h"

void text_buf__fini(struct text_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

int text__name(struct text_buf *b, const struct trie *t, uint32_t id)
{
	size_t len = trie__name_len(t, id), need = 4 * len + 5;

	if (need > b->cap) {
		char *s = realloc(b->s, need);

		if (!s)
			return -ENOMEM;
		b->s = s;
		b->cap = need;
	}
	b->len = formats__sanitize(b->s, b->cap, trie__name(t, id), len);
	return 0;
}

int text__xml(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		const char *e = NULL;

		switch (s[i]) {
		case '<':
			e = "&lt;";
			break;
		case '>':
			e = "&gt;";
			break;
		case '&':
			e = "&amp;";
			break;
		case '"':
			e = "&quot;";
			break;
		case '\'':
			e = "&#39;";
			break;
		}
		if (e ? fputs(e, f) == EOF : putc_unlocked(s[i], f) == EOF)
			return -EIO;
	}
	return 0;
}

int text__json(FILE *f, const char *s, size_t len)
{
	if (putc_unlocked('"', f) == EOF)
		return -EIO;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		int rc;

		if (c == '"' || c == '\\')
			rc = fprintf(f, "\\%c", c);
		else if (c < 0x20)
			rc = fprintf(f, "\\u%04x",
				     c); /* cannot come out of the sanitizer; kept safe */
		else if (c == '<')
			rc = fputs("\\u003c", f); /* a JSON file pasted into HTML stays inert */
		else
			rc = putc_unlocked(c, f);
		if (rc < 0)
			return -EIO;
	}
	return putc_unlocked('"', f) == EOF ? -EIO : 0;
}
