/* SPDX-License-Identifier: MIT */
/*
 * ksyms: the kernel's text symbols from /proc/kallsyms. One pass copies every text symbol's
 * name into a single string buffer (no per-symbol allocation: a kernel has ~200k symbols),
 * then the table is sorted by address with a deterministic preference among aliases, and
 * lookups are binary searches with bounds so that an address far past the last known symbol
 * of a region stays unknown rather than getting a wrong name.
 */
#include "ksyms.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "textutil.h"
#include "../grow.h"

/* kallsyms names are at most KSYM_NAME_LEN (512) bytes; anything longer is not kallsyms. */
#define KSYMS_MAX_LINE 1024
/* A vmlinux symbol is trusted this far past its start when the next symbol is farther: the
 * largest kernel functions are well below it, and it keeps the module area from resolving
 * to the last vmlinux symbol (usually _etext). */
#define KSYMS_VMLINUX_SPAN (1ULL << 20)
/* Sizes are unknown, so a module's last symbol is trusted this far: modules' text is
 * allocated separately, so what follows within this span is that last function's body. */
#define KSYMS_MODULE_TAIL (64ULL << 10)
/* /proc/kallsyms is ~10 MiB; refuse to slurp something absurd through ksyms__load. */
#define KSYMS_MAX_FILE (256UL << 20)

struct kent {
	struct ksym sym;
	uint8_t rank; /* lower is preferred among symbols at one address (see kent_rank) */
};

struct ksyms {
	struct kent *ents; /* sorted by address, preferred alias first */
	size_t n;
	char *strs; /* owned: every name and module name, NUL-terminated */
	bool all_zero;
};

/* Scratch state while parsing: names go to strs by offset because strs still moves. */
struct pent {
	uint64_t addr;
	size_t name, module; /* offsets into strs; module is SIZE_MAX for vmlinux */
	uint8_t rank;
};

struct parser {
	struct pent *ents;
	size_t n, cap;
	char *strs;
	size_t slen, scap;
	/* module names interned by an open-addressed hash of offsets into strs */
	size_t *mods;
	size_t nmods, modcap;
};

/* Follows perf's choice among aliases: non-weak before weak, then global before local. */
static int type_rank(char type)
{
	switch (type) {
	case 'T': return 0;
	case 't': return 1;
	case 'W': return 2;
	case 'w': return 3;
	default: return -1; /* data, absolute, undefined: never the name of a code address */
	}
}

/* Appends s[0..len) and a NUL; returns the offset or SIZE_MAX on allocation failure. */
static size_t str_add(struct parser *p, const char *s, size_t len)
{
	size_t off = p->slen, i;

	if (grow_array((void **)&p->strs, &p->scap, p->slen + len + 1, 1))
		return SIZE_MAX;
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		/* names reach a terminal: no control bytes, whatever the input holds */
		p->strs[off + i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	p->strs[off + len] = '\0';
	p->slen += len + 1;
	return off;
}

static uint64_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

/* Interns a module name so that symbols of one module share one pointer. */
static size_t module_intern(struct parser *p, const char *s, size_t len)
{
	size_t i, off;

	if (p->nmods * 2 >= p->modcap) {
		size_t ncap = p->modcap ? p->modcap * 2 : 64, j;
		size_t *nm = malloc(ncap * sizeof(*nm));

		if (!nm)
			return SIZE_MAX;
		for (j = 0; j < ncap; j++)
			nm[j] = SIZE_MAX;
		for (j = 0; j < p->modcap; j++) {
			const char *name;

			if (p->mods[j] == SIZE_MAX)
				continue;
			name = p->strs + p->mods[j];
			i = hash_bytes(name, strlen(name)) & (ncap - 1);
			while (nm[i] != SIZE_MAX)
				i = (i + 1) & (ncap - 1);
			nm[i] = p->mods[j];
		}
		free(p->mods);
		p->mods = nm;
		p->modcap = ncap;
	}
	i = hash_bytes(s, len) & (p->modcap - 1);
	while (p->mods[i] != SIZE_MAX) {
		const char *name = p->strs + p->mods[i];

		if (!strncmp(name, s, len) && name[len] == '\0')
			return p->mods[i];
		i = (i + 1) & (p->modcap - 1);
	}
	off = str_add(p, s, len);
	if (off == SIZE_MAX)
		return SIZE_MAX;
	p->mods[i] = off;
	p->nmods++;
	return off;
}

/* One line without its newline: "ADDR TYPE NAME[\t[MODULE]]". 0 when kept or skipped (data
 * symbols, malformed lines), -ENOMEM on allocation failure. */
static int parse_line(struct parser *p, const char *s, size_t len)
{
	const char *end = s + len, *name, *mod = NULL;
	size_t name_len, mod_len = 0, i = 0;
	uint64_t addr = 0;
	struct pent *e;
	int rank, digits = 0;

	if (len > KSYMS_MAX_LINE)
		return 0;
	for (; i < len && hexval(s[i]) >= 0; i++, digits++)
		addr = addr << 4 | (uint64_t)hexval(s[i]);
	if (!digits || digits > 16 || i + 3 > len || s[i] != ' ' || s[i + 2] != ' ')
		return 0;
	rank = type_rank(s[i + 1]);
	if (rank < 0)
		return 0;
	name = s + i + 3;
	for (name_len = 0; name + name_len < end && !is_blank(name[name_len]); name_len++)
		;
	if (!name_len)
		return 0;
	for (s = name + name_len; s < end && is_blank(*s); s++)
		;
	if (s < end) {
		/* the only thing allowed after the name is a "[module]" */
		if (*s != '[' || end[-1] != ']' || end - s < 3)
			return 0;
		mod = s + 1;
		mod_len = (size_t)(end - 1 - mod);
		if (memchr(mod, ']', mod_len) || memchr(mod, ' ', mod_len))
			return 0;
	}
	if (memchr(name, '\0', name_len) || (mod && memchr(mod, '\0', mod_len)))
		return 0;

	if (grow_array((void **)&p->ents, &p->cap, p->n + 1, sizeof(*p->ents)))
		return -ENOMEM;
	e = &p->ents[p->n];
	e->addr = addr;
	e->rank = (uint8_t)rank;
	e->module = SIZE_MAX;
	if (mod) {
		e->module = module_intern(p, mod, mod_len);
		if (e->module == SIZE_MAX)
			return -ENOMEM;
	}
	e->name = str_add(p, name, name_len);
	if (e->name == SIZE_MAX)
		return -ENOMEM;
	p->n++;
	return 0;
}

/* By address; among aliases perf's order: rank, fewer leading underscores, longer name, then
 * name and module bytes so that the choice never depends on input order. */
static int kent_cmp(const void *pa, const void *pb)
{
	const struct kent *a = pa, *b = pb;
	size_t ua, ub, la, lb;
	int r;

	if (a->sym.addr != b->sym.addr)
		return (a->sym.addr > b->sym.addr) - (a->sym.addr < b->sym.addr);
	if (a->rank != b->rank)
		return (a->rank > b->rank) - (a->rank < b->rank);
	ua = leading_underscores(a->sym.name);
	ub = leading_underscores(b->sym.name);
	if (ua != ub)
		return (ua > ub) - (ua < ub);
	la = strlen(a->sym.name);
	lb = strlen(b->sym.name);
	if (la != lb)
		return (la < lb) - (la > lb);
	r = strcmp(a->sym.name, b->sym.name);
	if (r)
		return r;
	if (!a->sym.module || !b->sym.module)
		return (a->sym.module != NULL) - (b->sym.module != NULL);
	return strcmp(a->sym.module, b->sym.module);
}

/* kallsyms is already in address order except for a few spots, so when the addresses are
 * sorted only the runs of aliases need ordering; this halves the load time. */
static void sort_ents(struct kent *ents, size_t n)
{
	size_t i, run;

	for (i = 1; i < n; i++) {
		if (ents[i - 1].sym.addr > ents[i].sym.addr) {
			qsort(ents, n, sizeof(*ents), kent_cmp);
			return;
		}
	}
	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && ents[run].sym.addr == ents[i].sym.addr; run++)
			;
		if (run - i > 1)
			qsort(ents + i, run - i, sizeof(*ents), kent_cmp);
	}
}

static void parser_release(struct parser *p)
{
	free(p->ents);
	free(p->strs);
	free(p->mods);
}

struct ksyms *ksyms__parse(const char *buf, size_t len)
{
	struct parser p = { 0 };
	struct ksyms *k = NULL;
	size_t pos = 0, i;
	int err;

	if (!buf && len) {
		errno = EINVAL;
		return NULL;
	}
	/* every name and module fits in its own line, so the input size bounds the strings and
	 * one allocation up front avoids copying them while growing */
	if (len && len < SIZE_MAX && grow_array((void **)&p.strs, &p.scap, len + 1, 1)) {
		errno = ENOMEM;
		return NULL;
	}
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		err = parse_line(&p, buf + pos, llen);
		if (err)
			goto fail;
		pos += llen + 1;
	}

	err = -ENOMEM;
	k = calloc(1, sizeof(*k));
	if (!k)
		goto fail;
	if (p.n) {
		k->ents = malloc(p.n * sizeof(*k->ents));
		if (!k->ents)
			goto fail;
	}
	/* strs is final now, so offsets can become the pointers callers keep */
	k->strs = p.strs;
	p.strs = NULL;
	k->n = p.n;
	k->all_zero = true;
	for (i = 0; i < p.n; i++) {
		struct kent *e = &k->ents[i];

		e->sym.addr = p.ents[i].addr;
		e->sym.name = k->strs + p.ents[i].name;
		e->sym.module = p.ents[i].module == SIZE_MAX ? NULL : k->strs + p.ents[i].module;
		e->rank = p.ents[i].rank;
		if (e->sym.addr)
			k->all_zero = false;
	}
	sort_ents(k->ents, k->n);
	parser_release(&p);
	return k;
fail:
	parser_release(&p);
	ksyms__free(k);
	errno = -err;
	return NULL;
}

/* procfs files report size 0, so read until EOF into a growing buffer. */
static int read_all(int fd, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;

	for (;;) {
		ssize_t r;

		if (grow_array((void **)&buf, &cap, len + 65536, 1)) {
			free(buf);
			return -ENOMEM;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			free(buf);
			return (int)r;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > KSYMS_MAX_FILE) {
			free(buf);
			return -EFBIG;
		}
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

struct ksyms *ksyms__load(const char *path)
{
	struct ksyms *k;
	char *buf = NULL;
	size_t len = 0;
	int fd, err;

	fd = open(path ? path : "/proc/kallsyms", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	err = read_all(fd, &buf, &len);
	close(fd);
	if (err) {
		errno = -err;
		return NULL;
	}
	k = ksyms__parse(buf, len);
	err = errno;
	free(buf);
	errno = err;
	return k;
}

struct ksyms *ksyms__free(struct ksyms *k)
{
	if (!k)
		return NULL;
	free(k->ents);
	free(k->strs);
	free(k);
	return NULL;
}

/* Index of the first entry with an address greater than addr, or with upper false the first
 * one not below it (n when none). */
static size_t bound(const struct kent *ents, size_t n, uint64_t addr, bool upper)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ents[mid].sym.addr < addr || (upper && ents[mid].sym.addr == addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ksym *ksyms__find(const struct ksyms *k, uint64_t addr)
{
	const struct kent *e, *next;
	size_t ub;

	if (!k || !k->n || k->all_zero)
		return NULL;
	ub = bound(k->ents, k->n, addr, true);
	if (!ub)
		return NULL;
	/* the first entry of the run of aliases is the preferred one */
	e = &k->ents[bound(k->ents, ub, k->ents[ub - 1].sym.addr, false)];
	next = ub < k->n ? &k->ents[ub] : NULL;
	if (e->sym.module) {
		/* inside a module up to its next symbol; past its last one only a short tail */
		if (next && next->sym.module == e->sym.module)
			return &e->sym;
		return addr - e->sym.addr < KSYMS_MODULE_TAIL ? &e->sym : NULL;
	}
	return addr - e->sym.addr < KSYMS_VMLINUX_SPAN ? &e->sym : NULL;
}

size_t ksyms__count(const struct ksyms *k)
{
	return k ? k->n : 0;
}

int ksyms__all_zero(const struct ksyms *k)
{
	return k && k->n && k->all_zero;
}

struct ksyms_reading {
	pthread_t thread;
	char *path; /* owned copy, NULL for /proc/kallsyms */
	struct ksyms *k;
	int err;
};

static void *reading_main(void *arg)
{
	struct ksyms_reading *r = arg;

	r->k = ksyms__load(r->path);
	r->err = r->k ? 0 : errno;
	return NULL;
}

struct ksyms_reading *ksyms__load_start(const char *path)
{
	struct ksyms_reading *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return NULL;
	if (path && !(r->path = strdup(path))) {
		free(r);
		return NULL;
	}
	err = pthread_create(&r->thread, NULL, reading_main, r);
	if (err) {
		free(r->path);
		free(r);
		errno = err;
		return NULL;
	}
	return r;
}

struct ksyms *ksyms__load_wait(struct ksyms_reading *r)
{
	struct ksyms *k;
	int err;

	pthread_join(r->thread, NULL);
	k = r->k;
	err = r->err;
	free(r->path);
	free(r);
	errno = err;
	return k;
}
