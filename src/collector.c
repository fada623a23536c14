// SPDX-License-Identifier: MIT
/*
 * From raw samples to named stacks (see collector.h). Kernel names are cached per address:
 * the kernel's text does not change under us, so a repeated address costs one probe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"

#define KCACHE_SIZE 8192 /* direct-mapped: a collision just costs a symbolizer lookup */

struct kcache_entry {
	uint64_t addr;
	uint32_t id;
};

struct collector {
	struct trie *trie;	 /* borrowed */
	struct symbolizer *sym;	 /* borrowed */
	enum collector_group group;
	collector_sink_fn sink;
	void *sink_ctx;
	uint64_t samples;
	uint32_t ids[COLLECTOR_MAX_FRAMES];
	struct kcache_entry kcache[KCACHE_SIZE];
};

struct collector *collector__new(struct trie *t, struct symbolizer *sym)
{
	struct collector *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->trie = t;
	c->sym = sym;
	for (size_t i = 0; i < KCACHE_SIZE; i++)
		c->kcache[i].id = TRIE_NO_NAME;
	return c;
}

struct collector *collector__free(struct collector *c)
{
	free(c);
	return NULL;
}

void collector__set_trie(struct collector *c, struct trie *t)
{
	c->trie = t;
	for (size_t i = 0; i < KCACHE_SIZE; i++)
		c->kcache[i].id = TRIE_NO_NAME;
}

void collector__set_group(struct collector *c, enum collector_group g)
{
	c->group = g < GROUP_MAX ? g : GROUP_COMM;
}

void collector__set_sink(struct collector *c, collector_sink_fn sink, void *ctx)
{
	c->sink = sink;
	c->sink_ctx = ctx;
}

static uint32_t intern_sym(struct collector *c, const struct sym *s)
{
	return trie__intern(c->trie, s->name, s->len, s->kind);
}

static uint32_t kernel_frame(struct collector *c, uint64_t addr)
{
	struct kcache_entry *e = &c->kcache[(addr ^ (addr >> 13)) % KCACHE_SIZE];
	struct sym s;

	if (e->id != TRIE_NO_NAME && e->addr == addr)
		return e->id;
	if (symbolizer__kernel(c->sym, addr, &s))
		return TRIE_NO_NAME;
	e->addr = addr;
	e->id = intern_sym(c, &s);
	return e->id;
}

static uint32_t root_frame(struct collector *c, const struct ft_hdr *h)
{
	char buf[FT_COMM_LEN + 32];
	size_t len = strnlen(h->comm, FT_COMM_LEN);
	int n;

	switch (c->group) {
	case GROUP_PID:
		n = snprintf(buf, sizeof(buf), "%.*s-%u", (int)len, h->comm, h->tgid);
		break;
	case GROUP_THREAD:
		n = snprintf(buf, sizeof(buf), "%.*s-%u/%u", (int)len, h->comm, h->tgid, h->tid);
		break;
	default:
		memcpy(buf, h->comm, len);
		n = (int)len;
		break;
	}
	return trie__intern(c->trie, buf, (size_t)n, FRAME_ROOT);
}

/* The frame-name ids of one sample, outermost first; returns how many, or -errno. */
static int sample_frames(struct collector *c, const struct ft_sample *s, uint32_t *ids)
{
	int nk = s->kstack_sz > 0 ? s->kstack_sz / 8 : 0;
	int nu = s->ustack_sz > 0 ? s->ustack_sz / 8 : 0;
	const __u64 *kstack = s->stack, *ustack;
	int n = 0;

	/* the sampler checked both fit in the record; the user stack follows the kernel's */
	if (nk > FT_MAX_STACK)
		nk = FT_MAX_STACK;
	if (nu > FT_MAX_STACK)
		nu = FT_MAX_STACK;
	ustack = s->stack + nk;
	ids[n] = root_frame(c, &s->hdr);
	if (ids[n++] == TRIE_NO_NAME)
		return -ENOMEM;
	/* Stacks arrive innermost first. Every entry but the first is a return address, which
	 * can point just past the end of its caller (a call to a noreturn function): look up
	 * addr - 1 so it lands inside the call instruction. */
	for (int i = nu - 1; i >= 0; i--) {
		struct sym sym;
		uint64_t addr = ustack[i] - (i > 0);

		if (symbolizer__user(c->sym, s->hdr.tgid, addr, &sym))
			return -ENOMEM;
		ids[n] = intern_sym(c, &sym);
		if (ids[n++] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	for (int i = nk - 1; i >= 0; i--) {
		ids[n] = kernel_frame(c, kstack[i] - (i > 0));
		if (ids[n++] == TRIE_NO_NAME)
			return -ENOMEM;
	}
	return n;
}

int collector__on_sample(void *ctx, const struct ft_sample *s)
{
	struct collector *c = ctx;
	int n = sample_frames(c, s, c->ids);

	if (n < 0)
		return n;
	c->samples++;
	if (c->sink)
		return c->sink(c->sink_ctx, c->ids, (size_t)n);
	return trie__add(c->trie, c->ids, (size_t)n, 1);
}

int collector__on_proc(void *ctx, const struct ft_proc_event *e)
{
	struct collector *c = ctx;

	switch (e->hdr.type) {
	case FT_REC_EXEC:
		symbolizer__pid_exec(c->sym, e->hdr.tgid);
		break;
	case FT_REC_EXIT:
		symbolizer__pid_exit(c->sym, e->hdr.tgid);
		break;
	default:
		break;
	}
	return 0;
}

uint64_t collector__samples(const struct collector *c)
{
	return c->samples;
}
