/* SPDX-License-Identifier: MIT */
/*
 * Kernel text symbols from /proc/kallsyms (vmlinux and modules): parsed once, sorted by
 * address, names interned in one buffer. Data symbols are dropped so that a code address can
 * never resolve to a variable. Library code: it never prints.
 */
#ifndef FLAMETUI_KSYMS_H
#define FLAMETUI_KSYMS_H

#include <stddef.h>
#include <stdint.h>

struct ksym {
	uint64_t addr;
	const char *name;   /* borrowed from the table */
	const char *module; /* borrowed; NULL for vmlinux */
};

struct ksyms;

/* NULL with errno set (ENOENT, EACCES, ENOMEM...) on failure. */
struct ksyms *ksyms__load(const char *path);
/* ksyms__load on a thread (tens of ms of the kernel formatting 100k+ lines, overlapping
 * whatever the caller does next): NULL with errno set when no thread can start. */
struct ksyms_reading;
struct ksyms_reading *ksyms__load_start(const char *path);
/* Waits for it: ksyms__load's answer (errno set on NULL); frees r. */
struct ksyms *ksyms__load_wait(struct ksyms_reading *r);
/* Same, from a buffer in memory (tests, fuzzing); the buffer need not be NUL-terminated. */
struct ksyms *ksyms__parse(const char *buf, size_t len);
struct ksyms *ksyms__free(struct ksyms *k); /* NULL-safe, returns NULL */

/* The symbol with the greatest address <= addr, or NULL when addr lies before the first symbol,
 * past the end of its module, or too far past the last vmlinux symbol to be trusted. */
const struct ksym *ksyms__find(const struct ksyms *k, uint64_t addr);
size_t ksyms__count(const struct ksyms *k);
/* 1 when every address is 0 (kptr_restrict hides them from this reader), else 0. */
int ksyms__all_zero(const struct ksyms *k);

#endif
