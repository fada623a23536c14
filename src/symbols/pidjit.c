/* SPDX-License-Identifier: MIT */
/*
 * pidjit (see pidjit.h): finding and refreshing one process's perf map.
 */
#include "pidjit.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "jitmaps.h"

#define PERFMAP_REREAD_NS 100000000ull /* a perf map that exists: re-read on a miss (it grows) */
#define PERFMAP_ABSENT_NS 1000000000ull /* none found yet: look again at most once a second */

/* perf-PID.map in perfmap_dir, or perf-NSPID.map in the /tmp of the process's own root. */
enum { PERFMAP_UNKNOWN = 0, PERFMAP_HOST, PERFMAP_NS };

/* The pid the process sees in its own namespace (last NSpid field), or pid when unknown. */
static uint32_t ns_pid(const struct pidjit_env *env, uint32_t pid)
{
	char path[PATH_MAX], line[256];
	unsigned long v = pid;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/%u/status", env->proc_root, pid) >= (int)sizeof(path))
		return pid;
	f = fopen(path, "re");
	if (!f)
		return pid;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + 6, *end;

		if (strncmp(line, "NSpid:", 6))
			continue;
		for (;;) {
			unsigned long n = strtoul(p, &end, 10);

			if (end == p)
				break;
			v = n;
			p = end;
		}
		break;
	}
	fclose(f);
	return v && v <= UINT32_MAX ? (uint32_t)v : pid;
}

static int perfmap_path(const struct pidjit_env *env, uint32_t pid, int where, char *buf,
			size_t cap)
{
	int n;

	if (where == PERFMAP_HOST)
		n = snprintf(buf, cap, "%s/perf-%u.map", env->perfmap_dir, pid);
	else
		n = snprintf(buf, cap, "%s/%u/root/tmp/perf-%u.map", env->proc_root, pid,
			     ns_pid(env, pid));
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/*
 * The perf map the runtime writes, re-read when an address is missing from it. A JVM writes
 * one only when asked: an address of its anonymous code missing from the map asks it
 * (env->ask, rate-limited there), and a new map is read from scratch (it is rewritten whole).
 */
const struct perfmap_entry *pidjit__find(struct pidjit *pj, const struct pidjit_env *env,
					 uint32_t pid, bool jvm, uint64_t addr, bool anon)
{
	const struct perfmap_entry *pe = jitmaps__find(pj->map, addr);
	char path[PATH_MAX];
	struct stat st;
	uint64_t now;
	int where, err;

	if (pe)
		return pe;
	now = clock__now_ns();
	/* Most misses are bad frames of code without frame pointers, in processes with no JIT:
	 * looking for a perf map (a stat, two opens, /proc/PID/status) ten times a second each
	 * was a third of flametui's CPU while it profiled python. The JVM is asked no more
	 * often. */
	if (pj->read_ns && now - pj->read_ns < (pj->where ? PERFMAP_REREAD_NS : PERFMAP_ABSENT_NS))
		return NULL;
	pj->read_ns = now;
	if (jvm && anon && env->ask && env->ask(env->ask_ctx, pid) > 0) {
		jitmaps__put(env->maps, pj->map);
		pj->map = NULL;
		pj->where = PERFMAP_UNKNOWN;
	}
	/* Root may read it, but only trust a file the process's own user (or root) wrote. */
	if (snprintf(path, sizeof(path), "%s/%u", env->proc_root, pid) >= (int)sizeof(path) ||
	    stat(path, &st))
		return NULL;
	/* Once a file was found, stick to it: the perf map keeps its read position. */
	for (where = PERFMAP_HOST; where <= PERFMAP_NS; where++) {
		if (pj->where && where != pj->where)
			continue;
		if (perfmap_path(env, pid, where, path, sizeof(path)))
			continue;
		err = jitmaps__refresh(env->maps, &pj->map, pid, path, st.st_uid);
		if (!err) {
			/* a refusal that did not last (a map rewritten as it was opened, an open
			 * that timed out on a loaded machine) is not one to report at the end */
			if (pj->refused)
				(*env->refused)--;
			pj->refused = false;
			pj->where = where;
			return jitmaps__find(pj->map, addr);
		}
		if (err != -ENOENT) {
			if (!pj->refused)
				(*env->refused)++;
			pj->refused = true;
			return NULL;
		}
	}
	return NULL;
}

void pidjit__put(struct pidjit *pj, const struct pidjit_env *env)
{
	jitmaps__put(env->maps, pj->map);
	pj->map = NULL;
}
