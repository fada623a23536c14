/* SPDX-License-Identifier: MIT */
/*
 * Collapsed ("folded") stacks, one sample set per line: "a;b;c 42", outermost frame first,
 * the count after the last space (names may contain spaces). Frame suffixes "_[k]" (kernel)
 * and "_[j]" (JIT) set the frame kind and are stripped; anything else is a user frame.
 */
#ifndef FLAMETUI_FORMATS_FOLDED_H
#define FLAMETUI_FORMATS_FOLDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct trie;
struct trie_node;
struct folded_parser;

/* Adds to t (borrowed). Returns NULL with errno set. */
struct folded_parser *folded_parser__new(struct trie *t);
struct folded_parser *folded_parser__free(struct folded_parser *p);

/*
 * Parses one line (without its '\n'; a trailing '\r' is ignored, NUL is an ordinary byte).
 * Blank lines and lines starting with '#' are skipped. Blanks around frame names are dropped
 * and empty frames ("a;;b") skipped.
 * Returns 0, -EINVAL for a malformed line (folded_parser__why() says why), -EOVERFLOW when
 * the total sample count would overflow, or -ENOMEM.
 */
int folded_parser__line(struct folded_parser *p, const char *line, size_t len);
/*
 * Adds what is still pending to the trie: lines are aggregated before they reach it, so call
 * this after the last line (and before reading the trie). 0, -ENOMEM or -EOVERFLOW.
 */
int folded_parser__finish(struct folded_parser *p);
/* A static description of the last -EINVAL/-EOVERFLOW, e.g. "count is not an integer". */
const char *folded_parser__why(const struct folded_parser *p);

/*
 * Writes one line per node of t with self samples: "a;b;c COUNT\n", outermost first, kernel
 * frames suffixed "_[k]" and JIT frames "_[j]" (as stackcollapse-perf.pl --all writes them).
 * Siblings are written in name order (t is sorted so). Returns 0 or -errno: -EPIPE when the
 * reader closed the pipe (with SIGPIPE ignored), which is no error to report.
 */
int folded__write(struct trie *t, FILE *f);
/* Writes the stack of node n (a node of t) as folded__write() writes it: "a;b;c", no count,
 * no newline. 0 or -errno. */
int folded__write_stack(const struct trie *t, const struct trie_node *n, FILE *f);

/* Format detection: does this (non-blank, non-comment) line parse as a folded line? */
bool folded__looks_like(const char *line, size_t len);

#endif
