// SPDX-License-Identifier: MIT
/* The .eh_frame reader: see ehframe.h. Layout: the LSB "Exception Frame" section and DWARF's
 * call frame instructions; x86_64's register numbers. */
#include "ehframe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REG_RBP 6
#define REG_RA	16
#define STATE_STACK 16 /* DW_CFA_remember_state depth kept */
#define MAX_AUG 8      /* augmentation string bytes understood */

/* DWARF pointer encodings (DW_EH_PE_*). */
#define PE_OMIT	   0xff
#define PE_ABSPTR  0x00
#define PE_ULEB	   0x01
#define PE_UDATA2  0x02
#define PE_UDATA4  0x03
#define PE_UDATA8  0x04
#define PE_SLEB	   0x09
#define PE_SDATA2  0x0a
#define PE_SDATA4  0x0b
#define PE_SDATA8  0x0c
#define PE_PCREL   0x10
#define PE_APPMASK 0x70

/* A cursor over [p, end). Reads past end set bad and return 0. */
struct cur {
	const uint8_t *p, *end;
	bool bad;
};

static uint64_t rd(struct cur *c, size_t n)
{
	uint64_t v = 0;

	if (c->bad || (size_t)(c->end - c->p) < n) {
		c->bad = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)c->p[i] << (8 * i);
	c->p += n;
	return v;
}

static uint64_t uleb(struct cur *c)
{
	uint64_t v = 0;

	for (unsigned shift = 0; !c->bad; shift += 7) {
		uint8_t b = (uint8_t)rd(c, 1);

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			break;
		if (shift > 70) { /* longer than any 64-bit value */
			c->bad = true;
			break;
		}
	}
	return v;
}

static int64_t sleb(struct cur *c)
{
	uint64_t v = 0;
	unsigned shift = 0;
	uint8_t b = 0;

	do {
		b = (uint8_t)rd(c, 1);
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (shift > 77) {
			c->bad = true;
			break;
		}
	} while (!c->bad && (b & 0x80));
	if (shift < 64 && (b & 0x40))
		v |= ~0ull << shift;
	return (int64_t)v;
}

static void skip(struct cur *c, uint64_t n)
{
	if (c->bad || (uint64_t)(c->end - c->p) < n) {
		c->bad = true;
		return;
	}
	c->p += n;
}

/* An encoded pointer (enc), at section vaddr base + (c->p - sec); only absolute and
 * pc-relative applications (what linkers write in .eh_frame). */
static uint64_t encoded(struct cur *c, uint8_t enc, const uint8_t *sec, uint64_t base)
{
	uint64_t at = base + (uint64_t)(c->p - sec), v;

	switch (enc & 0x0f) {
	case PE_ABSPTR:
	case PE_UDATA8:
	case PE_SDATA8:
		v = rd(c, 8);
		break;
	case PE_UDATA2:
		v = rd(c, 2);
		break;
	case PE_SDATA2:
		v = (uint64_t)(int64_t)(int16_t)rd(c, 2);
		break;
	case PE_UDATA4:
		v = rd(c, 4);
		break;
	case PE_SDATA4:
		v = (uint64_t)(int64_t)(int32_t)rd(c, 4);
		break;
	case PE_ULEB:
		v = uleb(c);
		break;
	case PE_SLEB:
		v = (uint64_t)sleb(c);
		break;
	default:
		c->bad = true;
		return 0;
	}
	switch (enc & PE_APPMASK) {
	case 0:
		return v;
	case PE_PCREL:
		return v + at;
	default:
		c->bad = true; /* textrel, datarel, funcrel: not in the .eh_frame linkers write */
		return 0;
	}
}

struct cie {
	const uint8_t *insns, *insns_end;
	uint64_t caf; /* code alignment factor */
	int64_t daf;  /* data alignment factor */
	uint64_t ra_reg;
	uint8_t fde_enc;
	bool aug_z, signal;
};

/* One entry's header at off: its length and where its body starts; false at the end. */
static bool entry_at(const uint8_t *d, size_t size, size_t off, size_t *ret_body,
		     size_t *ret_next)
{
	struct cur c = {d + off, d + size, false};
	uint64_t len = rd(&c, 4);

	if (c.bad || len == 0)
		return false;
	if (len == 0xffffffffu)
		len = rd(&c, 8);
	if (c.bad || len > (uint64_t)(c.end - c.p) || len < 4)
		return false;
	*ret_body = (size_t)(c.p - d);
	*ret_next = *ret_body + (size_t)len;
	return true;
}

/* The CIE whose body starts at body and ends at end. */
static int read_cie(const uint8_t *d, size_t body, size_t end, struct cie *ret)
{
	struct cur c = {d + body, d + end, false};
	char aug[MAX_AUG + 1];
	size_t n = 0;
	uint8_t version;

	memset(ret, 0, sizeof(*ret));
	if (rd(&c, 4) != 0)
		return -ENODATA; /* not a CIE */
	version = (uint8_t)rd(&c, 1);
	if (version != 1 && version != 3 && version != 4)
		return -ENODATA;
	while (!c.bad) {
		char ch = (char)rd(&c, 1);

		if (!ch)
			break;
		if (n == MAX_AUG)
			return -ENODATA;
		aug[n++] = ch;
	}
	aug[n] = '\0';
	if (version == 4) {
		if (rd(&c, 1) != 8 || rd(&c, 1) != 0) /* address size, segment selector size */
			return -ENODATA;
	}
	ret->caf = uleb(&c);
	ret->daf = sleb(&c);
	ret->ra_reg = version == 1 ? rd(&c, 1) : uleb(&c);
	ret->fde_enc = PE_ABSPTR;
	if (n && aug[0] == 'z') {
		uint64_t alen = uleb(&c);
		struct cur a = {c.p, c.p, c.bad};

		skip(&c, alen);
		if (c.bad)
			return -ENODATA;
		a.end = c.p;
		ret->aug_z = true;
		for (size_t i = 1; i < n && !a.bad; i++) {
			switch (aug[i]) {
			case 'R':
				ret->fde_enc = (uint8_t)rd(&a, 1);
				break;
			case 'P': {
				uint8_t enc = (uint8_t)rd(&a, 1);

				/* the personality routine: only skipped (indirect bit aside) */
				encoded(&a, enc & 0x7f, d, 0);
				break;
			}
			case 'L':
				rd(&a, 1);
				break;
			case 'S':
				ret->signal = true;
				break;
			case 'B': /* arm64 BTI, no data */
				break;
			default:
				i = n; /* the rest is skipped with the data's length */
			}
		}
		if (a.bad)
			return -ENODATA;
	} else if (n) {
		return -ENODATA; /* an augmentation without 'z' cannot be skipped */
	}
	if (c.bad || ret->caf == 0)
		return -ENODATA;
	ret->insns = c.p;
	ret->insns_end = c.end;
	return 0;
}

static int cmp_fde(const void *a, const void *b)
{
	const struct ehframe_fde *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->off > y->off) - (x->off < y->off);
}

/* The CIE an FDE body (after its length) at body points to: its offset, or false. */
static bool fde_cie(const uint8_t *d, size_t size, size_t body, size_t *ret_cie)
{
	uint32_t ptr;

	if (size - body < 4)
		return false;
	memcpy(&ptr, d + body, 4);
	if (ptr == 0 || ptr > body)
		return false; /* a CIE, or pointing before the section */
	*ret_cie = body - ptr;
	return true;
}

/* Reads the FDE whose body is at body (CIE pointer first): its range, with its CIE. */
static int read_fde(const uint8_t *d, size_t size, uint64_t vaddr, size_t body, size_t end,
		    const struct cie *cie, uint64_t *ret_start, uint64_t *ret_end,
		    struct cur *ret_insns)
{
	struct cur c = {d + body + 4, d + end, false};
	uint64_t start, range;

	(void)size;
	start = encoded(&c, cie->fde_enc, d, vaddr);
	range = encoded(&c, cie->fde_enc & 0x0f, d, vaddr);
	if (cie->aug_z)
		skip(&c, uleb(&c));
	if (c.bad || start + range < start)
		return -ENODATA;
	*ret_start = start;
	*ret_end = start + range;
	if (ret_insns)
		*ret_insns = c;
	return 0;
}

/* The CIE at off (its length first). */
static int cie_at(const uint8_t *d, size_t size, size_t off, struct cie *ret)
{
	size_t body, next;

	if (off >= size || !entry_at(d, size, off, &body, &next))
		return -ENODATA;
	return read_cie(d, body, next, ret);
}

int ehframe__fdes(const uint8_t *d, size_t size, uint64_t vaddr, struct ehframe_fde **ret,
		  size_t *ret_n)
{
	struct ehframe_fde *v = NULL;
	size_t n = 0, cap = 0, off = 0, body, next, last_cie = SIZE_MAX;
	struct cie cie;
	bool cie_ok = false;

	while (off < size && entry_at(d, size, off, &body, &next)) {
		size_t coff;
		uint64_t s, e;

		if (fde_cie(d, size, body, &coff)) {
			/* consecutive FDEs share their CIE: read it once */
			if (coff != last_cie) {
				last_cie = coff;
				cie_ok = !cie_at(d, size, coff, &cie);
			}
			if (cie_ok && !read_fde(d, size, vaddr, body, next, &cie, &s, &e, NULL) &&
			    e > s && off <= UINT32_MAX && coff <= UINT32_MAX) {
				if (n == cap) {
					size_t c2 = cap ? cap * 2 : 256;
					struct ehframe_fde *nv = realloc(v, c2 * sizeof(*nv));

					if (!nv) {
						free(v);
						return -ENOMEM;
					}
					v = nv;
					cap = c2;
				}
				v[n++] = (struct ehframe_fde){s, e, (uint32_t)off, (uint32_t)coff};
			}
		}
		off = next;
	}
	if (!n) {
		free(v);
		return -ENODATA;
	}
	qsort(v, n, sizeof(*v), cmp_fde);
	*ret = v;
	*ret_n = n;
	return 0;
}

/* The rules the walk looks at: the CFA, RA and RBP. */
struct state {
	uint8_t cfa;
	uint64_t cfa_reg;
	int64_t cfa_off;
	uint8_t ra, rbp;
	int64_t ra_off, rbp_off;
};

/* The PLT entries' CFA: DW_OP_breg7 8; DW_OP_breg16 0; DW_OP_lit15; DW_OP_and; DW_OP_lit11;
 * DW_OP_ge; DW_OP_lit3; DW_OP_shl; DW_OP_plus. */
static const uint8_t plt_expr[] = {0x77, 0x08, 0x80, 0x00, 0x3f, 0x1a,
				   0x3b, 0x2a, 0x33, 0x24, 0x22};

/* A factored offset, wrapping (hostile input must not overflow a signed multiply). */
static int64_t factor(uint64_t v, int64_t daf)
{
	return (int64_t)(v * (uint64_t)daf);
}

static void set_reg(struct state *s, uint64_t reg, uint8_t rule, int64_t off)
{
	if (reg == REG_RA) {
		s->ra = rule;
		s->ra_off = off;
	} else if (reg == REG_RBP) {
		s->rbp = rule;
		s->rbp_off = off;
	}
}

struct run {
	struct state s, init; /* the current rules, and the CIE's (DW_CFA_restore) */
	struct state stack[STATE_STACK];
	unsigned depth;
	uint64_t loc;
};

/*
 * Runs instructions until one moves the location (*ret_moved, the new location in *ret_loc;
 * the rules in r->s are those of the row that ends there) or they end. false on an
 * instruction it cannot follow.
 */
static bool step(struct run *r, struct cur *c, const struct cie *cie, const uint8_t *d,
		 uint64_t vaddr, uint8_t fde_enc, bool *ret_moved, uint64_t *ret_loc)
{
	*ret_moved = false;
	while (c->p < c->end && !c->bad) {
		uint8_t op = (uint8_t)rd(c, 1), lo = op & 0x3f;
		uint64_t reg, delta = 0, len;

		switch (op >> 6) {
		case 1: /* DW_CFA_advance_loc */
			delta = lo;
			goto advance;
		case 2: /* DW_CFA_offset */
			set_reg(&r->s, lo, EH_REG_OFFSET, factor(uleb(c), cie->daf));
			continue;
		case 3: /* DW_CFA_restore */
			if (lo == REG_RA)
				set_reg(&r->s, lo, r->init.ra, r->init.ra_off);
			else if (lo == REG_RBP)
				set_reg(&r->s, lo, r->init.rbp, r->init.rbp_off);
			continue;
		}
		switch (op) {
		case 0x00: /* nop */
			continue;
		case 0x01: /* set_loc */
			*ret_loc = encoded(c, fde_enc, d, vaddr);
			*ret_moved = !c->bad;
			return !c->bad;
		case 0x02:
			delta = rd(c, 1);
			goto advance;
		case 0x03:
			delta = rd(c, 2);
			goto advance;
		case 0x04:
			delta = rd(c, 4);
			goto advance;
		case 0x05: /* offset_extended */
			reg = uleb(c);
			set_reg(&r->s, reg, EH_REG_OFFSET, factor(uleb(c), cie->daf));
			continue;
		case 0x06: /* restore_extended */
			reg = uleb(c);
			if (reg == REG_RA)
				set_reg(&r->s, reg, r->init.ra, r->init.ra_off);
			else if (reg == REG_RBP)
				set_reg(&r->s, reg, r->init.rbp, r->init.rbp_off);
			continue;
		case 0x07: /* undefined */
			set_reg(&r->s, uleb(c), EH_REG_UNDEF, 0);
			continue;
		case 0x08: /* same_value */
			set_reg(&r->s, uleb(c), EH_REG_SAME, 0);
			continue;
		case 0x09: /* register */
			reg = uleb(c);
			uleb(c);
			set_reg(&r->s, reg, EH_REG_OTHER, 0);
			continue;
		case 0x0a: /* remember_state */
			if (r->depth == STATE_STACK)
				return false;
			r->stack[r->depth++] = r->s;
			continue;
		case 0x0b: /* restore_state: every rule, the CFA's too (as libgcc and libdw) */
			if (!r->depth)
				return false;
			r->s = r->stack[--r->depth];
			continue;
		case 0x0c: /* def_cfa */
			r->s.cfa = EH_CFA_REG;
			r->s.cfa_reg = uleb(c);
			r->s.cfa_off = (int64_t)uleb(c);
			continue;
		case 0x0d: /* def_cfa_register */
			r->s.cfa_reg = uleb(c);
			if (r->s.cfa != EH_CFA_REG)
				return false; /* the offset of an expression */
			continue;
		case 0x0e: /* def_cfa_offset */
			r->s.cfa_off = (int64_t)uleb(c);
			if (r->s.cfa != EH_CFA_REG)
				return false;
			continue;
		case 0x0f: /* def_cfa_expression */
			len = uleb(c);
			if (!c->bad && len == sizeof(plt_expr) &&
			    (uint64_t)(c->end - c->p) >= len && !memcmp(c->p, plt_expr, len))
				r->s.cfa = EH_CFA_PLT;
			else
				r->s.cfa = EH_CFA_EXPR;
			skip(c, len);
			continue;
		case 0x10: /* expression */
		case 0x16: /* val_expression */
			reg = uleb(c);
			skip(c, uleb(c));
			set_reg(&r->s, reg, EH_REG_OTHER, 0);
			continue;
		case 0x11: /* offset_extended_sf */
			reg = uleb(c);
			set_reg(&r->s, reg, EH_REG_OFFSET, factor((uint64_t)sleb(c), cie->daf));
			continue;
		case 0x12: /* def_cfa_sf */
			r->s.cfa = EH_CFA_REG;
			r->s.cfa_reg = uleb(c);
			r->s.cfa_off = factor((uint64_t)sleb(c), cie->daf);
			continue;
		case 0x13: /* def_cfa_offset_sf */
			r->s.cfa_off = factor((uint64_t)sleb(c), cie->daf);
			if (r->s.cfa != EH_CFA_REG)
				return false;
			continue;
		case 0x14: /* val_offset */
			reg = uleb(c);
			uleb(c);
			set_reg(&r->s, reg, EH_REG_OTHER, 0);
			continue;
		case 0x15: /* val_offset_sf */
			reg = uleb(c);
			sleb(c);
			set_reg(&r->s, reg, EH_REG_OTHER, 0);
			continue;
		case 0x2e: /* GNU_args_size */
			uleb(c);
			continue;
		case 0x2f: /* GNU_negative_offset_extended */
			reg = uleb(c);
			set_reg(&r->s, reg, EH_REG_OFFSET, factor(0 - uleb(c), cie->daf));
			continue;
		default:
			return false;
		}
advance:
		if (c->bad)
			return false;
		*ret_loc = r->loc + delta * cie->caf;
		*ret_moved = true;
		return true;
	}
	return !c->bad;
}

static void to_rule(const struct state *s, bool signal, struct ehframe_rule *ret)
{
	*ret = (struct ehframe_rule){.signal = signal,
				     .cfa = s->cfa,
				     .ra = s->ra,
				     .rbp = s->rbp,
				     .cfa_reg = s->cfa_reg,
				     .cfa_off = s->cfa_off,
				     .ra_off = s->ra_off,
				     .rbp_off = s->rbp_off};
}

int ehframe__rows(const uint8_t *d, size_t size, uint64_t vaddr, const struct ehframe_fde *fde,
		  uint64_t limit, ehframe_row_fn fn, void *ctx, uint64_t *ret_end)
{
	struct run r = {0};
	struct cie cie;
	struct cur c, ci;
	uint64_t start, end, loc;
	size_t body, next;
	bool moved;

	*ret_end = fde->start;
	if (cie_at(d, size, fde->cie, &cie) || fde->off >= size ||
	    !entry_at(d, size, fde->off, &body, &next) ||
	    read_fde(d, size, vaddr, body, next, &cie, &start, &end, &c) || start != fde->start)
		return -ENODATA;
	if (end > limit)
		end = limit;
	/* the CIE's initial instructions set the rules every row starts from (location moves
	 * there are ignored: none in practice) */
	ci = (struct cur){cie.insns, cie.insns_end, false};
	r.loc = start;
	while (ci.p < ci.end)
		if (!step(&r, &ci, &cie, d, vaddr, cie.fde_enc, &moved, &loc))
			return -ENODATA;
	r.init = r.s;
	r.depth = 0;
	while (r.loc < end) {
		struct ehframe_rule rule;
		bool ok = step(&r, &c, &cie, d, vaddr, cie.fde_enc, &moved, &loc);
		int err;

		if (!ok) {
			*ret_end = r.loc; /* an instruction it cannot follow: nothing from here */
			return 0;
		}
		if (moved && loc <= r.loc)
			continue; /* an empty row (a move by 0, or back): its rules carry on */
		if (!moved || loc > end)
			loc = end; /* the program is over, or moved past the end */
		to_rule(&r.s, cie.signal, &rule);
		err = fn(ctx, r.loc, &rule);
		if (err)
			return err;
		r.loc = loc;
		*ret_end = loc;
	}
	return 0;
}
