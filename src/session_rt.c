// SPDX-License-Identifier: MIT
/*
 * The session's runtimes (see session_rt.h): the .eh_frame unwinder's loader, the JVM perf map
 * requests and the CPython walker, set up around the sampler and reported on at the end.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "jvm.h"
#include "loader.h"
#include "pyrt.h"
#include "session.h"
#include "session_rt.h"
#include "unwind.h"

#define SESSION_PYTHON_PROCS 256 /* CPython processes walked in the kernel at once */

/* --unwind-mem: a quarter at most for the process entries (allocated as processes come),
 * the rest for rows, preallocated. */
static void unwind_budget(const struct cli *cli, struct sampler_opts *so)
{
	size_t mem = cli->unwind_mem_mib << 20, per_proc = sizeof(struct ft_unwind_proc);
	size_t procs = mem / 4 / per_proc;

	if (procs > 1024)
		procs = 1024;
	so->unwind_procs = procs ? procs : 1;
	so->unwind_rows = (mem - so->unwind_procs * per_proc) / sizeof(struct ft_unwind_row);
}

/* The loader over the sampler's maps; the processes named at start get their tables before
 * their first sample. */
static int unwind_func(void *ctx, uint64_t dev, uint64_t inode, uint64_t vaddr,
		       uint64_t *ret_start)
{
	struct session *s = ctx;

	return s->uw ? unwind_loader__func(s->uw, dev, inode, vaddr, ret_start) : -ENOENT;
}

static int start_unwind(void *ctx, struct sampler *smp)
{
	struct session *s = ctx;
	const struct sampler_opts *so = &s->sampler_opts;
	struct unwind_loader_opts uo = { .max_rows = so->unwind_rows,
					 .max_procs = so->unwind_procs };

	sampler__unwind_fds(smp, &uo.rows_fd, &uo.procs_fd);
	s->uw = unwind_loader__new(&uo);
	if (!s->uw)
		return -ENOMEM;
	symbolizer__set_func_lookup(s->sym, unwind_func, s);
	/* -- CMD: the held child is still flametui and about to exec; its tables would be
	 * flametui's (a dozen libraries, 0.2 s) */
	if (s->cli->cmd)
		return 0;
	for (size_t i = 0; i < so->npids; i++)
		if (unwind_loader__load(s->uw, so->pids[i]) == -ENOMEM)
			return -ENOMEM;
	return 0;
}

/* The CPython walker over the sampler's process table; the processes named at start (the
 * first 64: the others at their first sample) are configured before the first sample, so no
 * sample of theirs lacks its Python frames while the kernel's symbols load. */
static int start_python(struct session *s, struct sampler *smp)
{
	const struct sampler_opts *so = &s->sampler_opts;

	s->py = pyrt__new(&(struct pyrt_opts){ .procs_fd = sampler__python_fd(smp) });
	if (!s->py)
		return -ENOMEM;
	collector__set_python(s->col, s->py);
	for (size_t i = 0; i < so->npids && i < 64; i++)
		if (pyrt__see(s->py, so->pids[i]) == -ENOMEM)
			return -ENOMEM;
	return 0;
}

/* After the BPF object loaded, before its perf events are attached. */
static int on_loaded(void *ctx, struct sampler *smp)
{
	struct session *s = ctx;
	int err = 0;

	if (s->cli->unwind != CLI_UNWIND_FP)
		err = start_unwind(s, smp);
	if (!err && s->cli->python)
		err = start_python(s, smp);
	return err;
}

void session_rt__sampler_opts(const struct cli *cli, struct sampler_opts *so)
{
	unwind_budget(cli, so);
	/* a whole run waits the walker's verification out; a live view starts at once */
	so->wait_walker = cli->mode == CLI_FIXED || cli->mode == CLI_RECORD;
	if (cli->python)
		so->python_procs = SESSION_PYTHON_PROCS;
	so->on_loaded = on_loaded;
}

#define SESSION_JVM_PIDS 64

static int jit_request(void *ctx, uint32_t pid)
{
	struct session *s = ctx;

	return jvm__request(s->jvm, pid);
}

int session_rt__start_jvm(struct session *s)
{
	const struct cli *cli = s->cli;

	s->jvm = jvm__new(NULL, 0);
	if (!s->jvm) {
		fprintf(stderr, "flametui: out of memory\n");
		return EXIT_FAIL;
	}
	symbolizer__set_jit_request(s->sym, jit_request, s);
	/* the JVMs named with --pid are asked before sampling starts, so none of their
	 * samples waits behind the first request (the first few: each costs a maps read,
	 * and --pid takes 65536) */
	for (size_t i = 0; i < cli->npids && i < SESSION_JVM_PIDS; i++)
		if (symbolizer__is_jvm(s->sym, cli->pids[i]))
			jvm__request(s->jvm, cli->pids[i]);
	return EXIT_OK;
}

void session_rt__report_python(struct session *s, const struct sampler_counters *c)
{
	struct pyrt_stats st;

	pyrt__stats(s->py, &st);
	if (s->cli->verbose)
		fprintf(stderr,
			"flametui: python: %" PRIu64 " processes walked, %" PRIu64
			" samples walked in the kernel (%.0f ns each; %" PRIu64
			" found no thread state), %" PRIu64 " code objects read (%" PRIu64
			" unreadable) in %.3f ms\n",
			st.procs, c->v[FT_CNT_PY_WALKS],
			c->v[FT_CNT_PY_WALKS] ? (double)c->v[FT_CNT_PY_NS] / c->v[FT_CNT_PY_WALKS] : 0.0,
			c->v[FT_CNT_PY_NO_THREAD],
			st.code_reads, st.code_failed, st.code_ns / 1e6);
	if (st.unknown && st.unknown_version)
		fprintf(stderr,
			"flametui: %" PRIu64 " Python processes run CPython %u.%u, which flametui "
			"does not know: their stacks show native frames only (3.11 is known)\n",
			st.unknown, st.unknown_version >> 24, st.unknown_version >> 16 & 0xff);
	else if (st.unknown)
		fprintf(stderr,
			"flametui: %" PRIu64 " Python processes run a CPython older than 3.11: "
			"their stacks show native frames only (3.11 is known)\n",
			st.unknown);
	if (st.layout_failed)
		fprintf(stderr,
			"flametui: %" PRIu64 " CPython 3.11 processes did not match the known layout: "
			"their stacks show native frames only\n",
			st.layout_failed);
	if (st.procs_full)
		fprintf(stderr,
			"flametui: %" PRIu64 " Python processes did not fit the kernel's table of "
			"%d: they show native frames only\n",
			st.procs_full, SESSION_PYTHON_PROCS);
}

void session_rt__report_unwind(struct session *s, const struct sampler_counters *c)
{
	struct unwind_loader_stats st;
	const char *step;
	uint64_t ns;
	int err = sampler__walker(s->smp, &step, &ns);

	unwind_loader__stats(s->uw, &st);
	if (err && err != -EINPROGRESS)
		fprintf(stderr,
			"flametui: cannot %s: %s: user stacks used frame pointers (run with "
			"--verbose for libbpf's messages, or --unwind fp)\n",
			step, strerror(-err));
	if (err && s->cli->verbose && *sampler__libbpf_log())
		fputs(sampler__libbpf_log(), stderr);
	if (!err && s->cli->verbose)
		fprintf(stderr, "flametui: the table walker loaded in %.0f ms\n", ns / 1e6);
	if (c->v[FT_CNT_UNWIND_SHED])
		fprintf(stderr,
			"flametui: %" PRIu64
			" samples used frame pointers: the table walk was over "
			"its CPU budget (5%% of each CPU): lower --hz for whole stacks\n",
			c->v[FT_CNT_UNWIND_SHED]);
	if (s->cli->verbose)
		fprintf(stderr,
			"flametui: unwind tables: %" PRIu64 " binaries read (%" PRIu64
			" without a usable table) in %.1f ms, %zu in the kernel, %zu of %zu rows "
			"(%zu KiB locked), %" PRIu64 " evicted; %" PRIu64
			" processes loaded (%" PRIu64 " loads deferred); %" PRIu64
			" samples before their tables, %" PRIu64
			" walks ended on a marker\n",
			st.tables_built + st.tables_failed, st.tables_failed, st.build_ns / 1e6,
			st.tables, st.rows_used, st.max_rows,
			st.max_rows * sizeof(struct ft_unwind_row) >> 10, st.tables_evicted,
			st.procs_loaded, st.deferred, c->v[FT_CNT_UNWIND_NOT_READY], c->v[FT_CNT_UNWIND_MARKED]);
	if (st.tables_full || st.procs_full)
		fprintf(stderr,
			"flametui: %" PRIu64 " unwind tables and %" PRIu64
			" processes did not fit --unwind-mem %lu: their stacks used frame pointers; "
			"raise --unwind-mem\n",
			st.tables_full, st.procs_full, s->cli->unwind_mem_mib);
}

/* One line per JVM that did not give its perf map (a few named, the rest counted). */
void session_rt__report_jvm(const struct session *s)
{
	struct jvm_note notes[4];
	size_t n;

	jvm__settle(s->jvm);
	n = jvm__notes(s->jvm, notes, 4);
	struct jvm_stats st;

	for (size_t i = 0; i < n && i < 4; i++)
		fprintf(stderr,
			"flametui: JVM %u %s: its JIT frames show as [unknown] (--jit-maps off asks no JVM)\n",
			notes[i].pid, jvm__failure_text(notes[i].why));
	if (n > 4)
		fprintf(stderr, "flametui: and %zu more JVMs did not give their perf maps\n", n - 4);
	jvm__stats(s->jvm, &st);
	if (s->cli->verbose && st.requests)
		fprintf(stderr,
			"flametui: JVM perf maps: %" PRIu64 " requests, %" PRIu64
			" answered in %.0f ms on average\n",
			st.requests, st.answered,
			st.answered ? (double)st.wall_ns / 1e6 / (double)st.answered : 0.0);
}
