/* SPDX-License-Identifier: MIT */
/*
 * jvm: makes a HotSpot JVM (JDK 17+) write its perf map, /tmp/perf-PID.map, as
 * `jcmd PID Compiler.perfmap` does, through the JVM's attach mechanism but without jcmd (only
 * a JRE may be installed where the JVM runs, and jcmd is a JVM of its own: a second of CPU a
 * call). The request runs in a forked child that first becomes the JVM's own user (effective
 * uid, gid and groups) and then touches what that user controls: the trigger file in the JVM's
 * working directory or /tmp, the attach socket in its /tmp (through /proc/PID/root, so a JVM in
 * a container is reached in its own mount namespace, as its namespace pid), and the SIGQUIT
 * that wakes the attach listener. The child has a deadline; past it it is killed, so a stopped
 * or hostile JVM costs at most that, once: a JVM that did not answer is not asked again.
 * Library code: it never prints; jvm__notes() says which JVMs did not answer.
 */
#ifndef FLAMETUI_JVM_H
#define FLAMETUI_JVM_H

#include <stddef.h>
#include <stdint.h>

/* How long one request may take before its child is killed. */
#define JVM_TIMEOUT_MS 3000
/* A process's first request is waited for this long at most (then it goes on in the
 * background), and all first requests together at most JVM_WAIT_BUDGET_MS: however many
 * JVMs hang, the samples' reader stalls a bounded time. */
#define JVM_FIRST_WAIT_MS  1000
#define JVM_WAIT_BUDGET_MS 3000
/* How soon one JVM is asked again while its JIT code misses the map (methods compiled since):
 * 1 s after the first answer, twice as long after each later one, up to 16 s (a JVM compiles
 * most while it warms up; a big application's map costs its JVM tens of milliseconds to write
 * and us as much to read). */
#define JVM_REFRESH_MS	   1000
#define JVM_REFRESH_MAX_MS 16000

struct jvm;

/* proc_root NULL = "/proc"; timeout_ms 0 = JVM_TIMEOUT_MS. NULL with errno set. */
struct jvm *jvm__new(const char *proc_root, int timeout_ms);
/* Kills and reaps any request still running. NULL-safe, returns NULL. */
struct jvm *jvm__free(struct jvm *j);

/*
 * JIT code of JVM pid missed its perf map: asks the JVM for a new one unless a request runs,
 * one was made less than the refresh interval ago, or the JVM failed to answer before. The first
 * request for a process is waited for (at most JVM_FIRST_WAIT_MS, within JVM_WAIT_BUDGET_MS
 * for all) so its first samples get names; the rest run in the background and are collected
 * by later calls. Returns 1 when a new map was written since the last call for this pid (read
 * it again from scratch), else 0.
 */
int jvm__request(struct jvm *j, uint32_t pid);

/* Sampling is over: lets the requests still running finish or reach their deadline (then
 * killed), so jvm__notes() has the last word. At most JVM_TIMEOUT_MS. */
void jvm__settle(struct jvm *j);

enum jvm_failure {
	JVM_OK = 0,
	JVM_TIMED_OUT,	 /* no answer within the timeout (stopped, hung, attach disabled) */
	JVM_NO_USER,	 /* could not become the JVM's user */
	JVM_NO_SOCKET,	 /* the attach socket never appeared, or could not be reached */
	JVM_NO_SIGNAL,	 /* it does not catch SIGQUIT (-Xrs): the signal would kill it */
	JVM_REFUSED,	 /* the JVM answered with an error (older than JDK 17?) */
	JVM_FORK_FAILED, /* no child could be started */
};

struct jvm_note {
	uint32_t pid;
	enum jvm_failure why;
};
/* Up to cap JVMs that failed a request; returns how many did. */
size_t jvm__notes(const struct jvm *j, struct jvm_note *ret, size_t cap);
/* One short phrase for a failure ("did not answer within 3 s"). */
const char *jvm__failure_text(enum jvm_failure why);

struct jvm_stats {
	uint64_t requests, answered; /* started, and answered with a new map */
	uint64_t wall_ns;	     /* summed wall time of the answered ones */
};
void jvm__stats(const struct jvm *j, struct jvm_stats *ret);

#endif
