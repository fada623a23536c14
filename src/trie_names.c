// SPDX-License-Identifier: MIT
/*
 * The trie's names and binaries (see trie.h): interning is names.c's, over the trie's own
 * name table; a name's binary (module) is interned here, a few thousand at most.
 */
#include <stdlib.h>
#include <string.h>

#include "trie_impl.h"

static const struct module reserved_modules[2] = { { "[unknown]", 9 }, { "[several]", 9 } };

uint32_t trie__intern(struct trie *t, const char *s, size_t len, enum frame_kind kind)
{
	return nametab__intern(&t->nt, s, len, kind);
}

int trie__intern_many(struct trie *t, const struct trie_key *keys, size_t n, uint32_t *ret_ids)
{
	return nametab__intern_many(&t->nt, keys, NULL, n, ret_ids);
}

int trie__intern_many_hashed(struct trie *t, const struct trie_key *keys, const uint32_t *hashes,
			     size_t n, uint32_t *ret_ids)
{
	return nametab__intern_many(&t->nt, keys, hashes, n, ret_ids);
}

const char *trie__name(const struct trie *t, uint32_t id)
{
	return id < t->nt.n ? t->nt.names[id].s : "";
}

size_t trie__name_len(const struct trie *t, uint32_t id)
{
	return id < t->nt.n ? t->nt.names[id].len : 0;
}

enum frame_kind trie__kind(const struct trie *t, uint32_t id)
{
	return id < t->nt.n ? (enum frame_kind)t->nt.names[id].kind : FRAME_ROOT;
}

uint16_t trie__module_intern(struct trie *t, const char *s, size_t len)
{
	struct module *m;

	if (!len || len > 255)
		return TRIE_MODULE_NONE;
	for (uint32_t i = t->nmodules - 2; i-- > 0;)
		if (t->modules[i].len == len && !memcmp(t->modules[i].s, s, len))
			return (uint16_t)(i + 2);
	if (t->nmodules == TRIE_MAX_MODULES)
		return TRIE_MODULE_NONE;
	if (t->nmodules - 2 == t->modules_cap) {
		uint32_t cap = t->modules_cap ? t->modules_cap * 2 : 16;

		m = realloc(t->modules, cap * sizeof(*m));
		if (!m)
			return TRIE_MODULE_NONE;
		t->modules = m;
		t->modules_cap = cap;
	}
	m = &t->modules[t->nmodules - 2];
	m->s = nametab__store(&t->nt, s, len);
	if (!m->s)
		return TRIE_MODULE_NONE;
	m->len = (uint32_t)len;
	return (uint16_t)t->nmodules++;
}

void trie__set_module(struct trie *t, uint32_t id, uint16_t module)
{
	struct name *n = id < t->nt.n ? &t->nt.names[id] : NULL;

	if (!n || module == TRIE_MODULE_NONE || module >= t->nmodules || n->module == module)
		return;
	n->module = n->module == TRIE_MODULE_NONE ? module : TRIE_MODULE_SEVERAL;
}

uint16_t trie__module(const struct trie *t, uint32_t id)
{
	return id < t->nt.n ? t->nt.names[id].module : TRIE_MODULE_NONE;
}

const char *trie__module_name(const struct trie *t, uint16_t module, size_t *ret_len)
{
	const struct module *m = module < 2 || module >= t->nmodules ? &reserved_modules[module == 1] :
								     &t->modules[module - 2];

	*ret_len = m->len;
	return m->s;
}

size_t trie__modules(const struct trie *t)
{
	return t->nmodules;
}

uint32_t trie__intern_from(struct trie *t, const struct trie *src, uint32_t src_id)
{
	uint32_t id = trie__intern(t, trie__name(src, src_id), trie__name_len(src, src_id),
				   trie__kind(src, src_id));
	uint16_t sm = trie__module(src, src_id);

	if (id == TRIE_NO_NAME || sm == TRIE_MODULE_NONE)
		return id;
	if (!t->modmap) {
		t->modmap = malloc(TRIE_MAX_MODULES * sizeof(*t->modmap));
		if (!t->modmap)
			return id; /* the name without its module: not worth failing the caller */
		t->modmap_src = 0;
	}
	if (t->modmap_src != src->serial) {
		t->modmap_src = src->serial;
		memset(t->modmap, 0xff, TRIE_MAX_MODULES * sizeof(*t->modmap));
	}
	if (t->modmap[sm] == 0xffff) {
		size_t len;
		const char *s = trie__module_name(src, sm, &len);

		t->modmap[sm] = sm == TRIE_MODULE_SEVERAL ? TRIE_MODULE_SEVERAL :
							    trie__module_intern(t, s, len);
	}
	trie__set_module(t, id, t->modmap[sm]);
	return id;
}

bool trie__name_plain(const struct trie *t, uint32_t id)
{
	return id < t->nt.n && t->nt.names[id].plain;
}

size_t trie__names(const struct trie *t)
{
	return t->nt.n;
}
