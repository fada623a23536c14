/* SPDX-License-Identifier: MIT */
/*
 * The runtimes a session sets up besides the sampler (session.c's helpers, nothing else uses
 * them): the .eh_frame unwinder's loader (--unwind dwarf/auto), the JVM perf map requests
 * (--jit-maps auto) and the CPython walker (--python on). They print their one-line errors and
 * reports on stderr, as the session does.
 */
#ifndef FLAMETUI_SESSION_RT_H
#define FLAMETUI_SESSION_RT_H

#include "sampler.h"

struct cli;
struct session;

/* The sampler's options for the runtimes cli asks for: the unwinder's share of --unwind-mem,
 * its loader started once the program is loaded, the CPython process table. */
void session_rt__sampler_opts(const struct cli *cli, struct sampler_opts *so);
/* --jit-maps: the JVM requester, asked by the symbolizer; the --pid JVMs are asked now. */
int session_rt__start_jvm(struct session *s);
/* At the end: what the unwinder, the CPython walker and the JVMs could not do (all with
 * --verbose). */
void session_rt__report_unwind(struct session *s, const struct sampler_counters *c);
void session_rt__report_python(struct session *s, const struct sampler_counters *c);
void session_rt__report_jvm(const struct session *s);

#endif
