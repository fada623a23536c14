// SPDX-License-Identifier: MIT
/*
 * The table builder against binutils: every row `readelf --debug-dump=frames-interp` prints
 * for each binary named on the command line must come out of unwind_table__find() with the
 * same rule (CFA register and offset, where RBP was saved, an undefined return address), and
 * every FDE's range must be a function.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "table.h"

#define MAX_COLS 24
#define MAX_CIES 4096

struct rule {
	int kind; /* FT_UW_*, or -1 for an expression readelf does not spell out */
	int cfa_off, rbp_off8;
};

struct cie {
	unsigned long off;
	bool signal, has_rule;
	struct rule rule;
};

static struct cie cies[MAX_CIES];
static size_t ncies;

static struct rule parse_row(char **cols, int ncols, char names[][16], bool signal)
{
	struct rule r = {.kind = FT_UW_NONE};
	bool ra_undefined = false, ra_ok = false;

	for (int i = 1; i < ncols; i++) {
		const char *name = names[i], *v = cols[i];

		if (!strcmp(name, "ra")) {
			ra_undefined = !strcmp(v, "u");
			ra_ok = !strcmp(v, "c-8");
		} else if (!strcmp(name, "rbp") && v[0] == 'c') {
			r.rbp_off8 = atoi(v + 1) / 8;
		}
	}
	if (signal) {
		r.kind = FT_UW_SIGNAL;
		r.rbp_off8 = 0;
		return r;
	}
	if (ra_undefined) {
		r = (struct rule){.kind = FT_UW_END};
		return r;
	}
	if (!ra_ok) {
		r = (struct rule){.kind = FT_UW_NONE};
		return r;
	}
	if (!strncmp(cols[0], "rsp+", 4)) {
		r.kind = FT_UW_CFA_RSP;
		r.cfa_off = atoi(cols[0] + 4);
	} else if (!strncmp(cols[0], "rbp+", 4)) {
		r.kind = FT_UW_CFA_RBP;
		r.cfa_off = atoi(cols[0] + 4);
	} else {
		r.kind = -1;
		r.rbp_off8 = 0;
	}
	return r;
}

static int check_rule(const struct unwind_table *t, unsigned long pc, const struct rule *want,
		      const char *bin)
{
	const struct ft_unwind_row *row = unwind_table__find(t, pc);

	if (!row) {
		fprintf(stderr, "%s: no row for %#lx\n", bin, pc);
		return 1;
	}
	if (want->kind == -1) /* "exp": the PLT rule, or left to frame pointers */
		return !(row->kind == FT_UW_PLT || row->kind == FT_UW_NONE);
	if (row->kind != want->kind ||
	    (want->kind <= FT_UW_CFA_RBP && row->cfa_off != want->cfa_off) ||
	    row->rbp_off8 != want->rbp_off8) {
		fprintf(stderr, "%s: %#lx: want kind %d cfa+%d rbp %d, got kind %u cfa+%u rbp %d\n",
			bin, pc, want->kind, want->cfa_off, want->rbp_off8, row->kind, row->cfa_off,
			row->rbp_off8);
		return 1;
	}
	return 0;
}

static struct cie *find_cie(unsigned long off)
{
	for (size_t i = 0; i < ncies; i++)
		if (cies[i].off == off)
			return &cies[i];
	return NULL;
}

struct walk {
	const struct unwind_table *t;
	const char *bin;
	unsigned long rows, bad, fdes;
	/* an FDE with no rows of its own follows its CIE's initial rule */
	struct cie *pending_cie;
	unsigned long pending_pc;
};

static void flush_pending(struct walk *w)
{
	if (!w->pending_cie)
		return;
	w->rows++;
	w->bad += check_rule(w->t, w->pending_pc, &w->pending_cie->rule, w->bin);
	w->pending_cie = NULL;
}

static void check_binary(const char *bin)
{
	char cmd[4096], line[4096], names[MAX_COLS][16];
	struct unwind_table *t = NULL;
	struct cie *cur_cie = NULL;
	struct walk w = {.bin = bin};
	unsigned long fde_lo = 0, fde_hi = 0;
	bool in_fde = false, signal = false;
	int ncols = 0, fd = open(bin, O_RDONLY | O_CLOEXEC), err;
	FILE *p;

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	err = unwind_table__build_fd(fd, &t);
	close(fd);
	CHECK_EQ_U64(err, 0);
	if (err)
		return;
	w.t = t;
	snprintf(cmd, sizeof(cmd), "readelf --debug-dump=frames-interp '%s' 2>/dev/null", bin);
	p = popen(cmd, "r");
	CHECK(p != NULL);
	ncies = 0;
	while (p && fgets(line, sizeof(line), p)) {
		char *cols[MAX_COLS + 1], *save = NULL, *tok;
		unsigned long a, b, c, d, e;
		struct rule r;
		char aug[32];
		int n = 0;

		if (sscanf(line, "%lx %lx %lx CIE \"%31[^\"]\"", &a, &b, &c, aug) == 4) {
			flush_pending(&w);
			in_fde = false;
			cur_cie = NULL;
			if (ncies < MAX_CIES) {
				cur_cie = &cies[ncies++];
				*cur_cie = (struct cie){.off = a, .signal = !!strchr(aug, 'S')};
			}
			signal = cur_cie && cur_cie->signal;
			continue;
		}
		if (sscanf(line, "%lx %lx %lx FDE cie=%lx pc=%lx..%lx", &a, &b, &c, &d, &e,
			   &fde_hi) == 6) {
			struct cie *ci = find_cie(d);
			uint64_t fs, fe;

			flush_pending(&w);
			fde_lo = e;
			in_fde = true;
			cur_cie = NULL;
			signal = ci && ci->signal;
			if (fde_hi > fde_lo) {
				w.fdes++;
				CHECK(unwind_table__func(t, fde_lo, &fs, &fe) == 0 && fs == fde_lo);
				if (ci && ci->has_rule) {
					w.pending_cie = ci;
					w.pending_pc = fde_lo;
				}
			}
			continue;
		}
		for (tok = strtok_r(line, " \n", &save); tok && n <= MAX_COLS;
		     tok = strtok_r(NULL, " \n", &save))
			cols[n++] = tok;
		if (n < 2)
			continue;
		if (!strcmp(cols[0], "LOC")) {
			ncols = n - 1;
			for (int i = 1; i < n && i <= MAX_COLS; i++)
				snprintf(names[i - 1], sizeof(names[0]), "%s", cols[i]);
			continue;
		}
		if (sscanf(cols[0], "%lx", &a) != 1 || n - 1 != ncols)
			continue;
		r = parse_row(cols + 1, ncols, names, signal);
		if (!in_fde && cur_cie) {
			cur_cie->rule = r;
			cur_cie->has_rule = true;
			continue;
		}
		if (!in_fde || a < fde_lo || a >= fde_hi)
			continue;
		w.pending_cie = NULL; /* the FDE prints its own rows, the first at its start */
		w.rows++;
		w.bad += check_rule(t, a, &r, bin);
	}
	flush_pending(&w);
	if (p)
		pclose(p); /* readelf exits 1 over warnings about other sections: rows count */
	fprintf(stderr, "%s: %lu FDEs, %lu rows checked against readelf, %lu differ; %zu rows\n",
		bin, w.fdes, w.rows, w.bad,
		unwind_table__rows(t, &(const struct ft_unwind_row *){NULL}));
	CHECK(w.fdes > 0);
	CHECK(w.rows > 0);
	CHECK_EQ_U64(w.bad, 0);
	unwind_table__free(t);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		check_binary(argv[i]);
	CHECK(argc > 1);
	return check_done();
}
