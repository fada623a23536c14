/* SPDX-License-Identifier: MIT */
/*
 * jvm: HotSpot's attach protocol (the one jcmd and jattach speak) in a child that runs as the
 * JVM's user, for one command: Compiler.perfmap. See jvm.h.
 */
#include "jvm.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "procfile.h"
#include "procstat.h"

#define MAX_JVMS 64 /* processes tracked; beyond, the oldest idle one is forgotten */
#define POLL_NS	 5000000ull

struct jvm_proc {
	uint32_t pid;
	uint64_t start_time;	 /* /proc/PID/stat's starttime: a reused pid is another process */
	pid_t child;		 /* a request running, or 0 */
	uint64_t started_ns;	 /* of the running or last request */
	uint64_t wait_ns;	 /* before the next request */
	bool asked;		 /* a request was made at least once */
	bool fresh;		 /* a new map was written since the last jvm__request() said so */
	enum jvm_failure failed; /* for good: not asked again */
	bool no_signal;		 /* the last request found no SIGQUIT handler (yet) */
	bool gone;		 /* the request failed because the process had exited */
};

struct jvm {
	char *proc_root; /* owned */
	uint64_t timeout_ns;
	struct jvm_proc procs[MAX_JVMS];
	size_t nprocs;
	uint64_t waited_ns; /* spent waiting for first requests, against JVM_WAIT_BUDGET_MS */
	struct jvm_stats stats;
};

struct jvm *jvm__new(const char *proc_root, int timeout_ms)
{
	struct jvm *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->proc_root = strdup(proc_root ? proc_root : "/proc");
	if (!j->proc_root) {
		free(j);
		errno = ENOMEM;
		return NULL;
	}
	j->timeout_ns = (uint64_t)(timeout_ms > 0 ? timeout_ms : JVM_TIMEOUT_MS) * 1000000ull;
	return j;
}

static void kill_child(struct jvm_proc *p)
{
	if (p->child <= 0)
		return;
	kill(p->child, SIGKILL);
	while (waitpid(p->child, NULL, 0) < 0 && errno == EINTR)
		;
	p->child = 0;
}

struct jvm *jvm__free(struct jvm *j)
{
	if (!j)
		return NULL;
	for (size_t i = 0; i < j->nprocs; i++)
		kill_child(&j->procs[i]);
	free(j->proc_root);
	free(j);
	return NULL;
}

/* 0 when it has exited: a zombie its parent has not waited for yet is not the JVM any more */
static uint64_t start_time(const struct jvm *j, uint32_t pid)
{
	return procstat__start_time(j->proc_root, pid);
}

/* Exit codes of the child: what went wrong (a killed child timed out). */
enum { CHILD_OK = 0, CHILD_NO_USER = 10, CHILD_NO_SOCKET, CHILD_REFUSED, CHILD_NO_SIGNAL };

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/*
 * Does the process catch SIGQUIT? A JVM run with -Xrs does not, and SIGQUIT's default action
 * would kill it: then it gets no signal (and no map).
 */
static bool catches_sigquit(const char *proc_root, uint32_t pid)
{
	unsigned long long mask;

	return !procstat__status(proc_root, pid, "SigCgt", 16, &mask) &&
	       mask & (1ull << (SIGQUIT - 1));
}

/* The JVM's socket, or -1: a socket owned by the JVM's user, at path. */
static int connect_jvm(const char *path, uid_t uid)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	if (stat(path, &st) || !S_ISSOCK(st.st_mode) || st.st_uid != uid ||
	    strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL); /* a closed peer: an error, no signal */

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * The child: only system calls from here (we were forked from a process with threads). As
 * the JVM's user, so the files it creates are the user's and the JVM's peer check passes.
 */
static void __attribute__((noreturn)) child_main(const char *proc_root, uint32_t pid, int pidfd,
						 const struct procfile_creds *c, long timeout_ms)
{
	/* protocol 1, "jcmd" with its three arguments: the command line, then two empty */
	static const char req[] = "1\0jcmd\0Compiler.perfmap\0\0";
	char sock[PATH_MAX], trig[PATH_MAX], answer[64];
	pid_t parent = getppid();
	bool made_trigger = false;
	sigset_t all;
	uint64_t give_up;
	size_t got;
	ssize_t n;
	int fd, dn;

	/* flametui's handlers and blocked signals are not ours: the alarm must kill us */
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGALRM, SIG_DFL);
	setpgid(0, 0); /* the terminal's Ctrl-C is for flametui, which ends us itself */
	alarm((unsigned int)(timeout_ms / 1000 + 1)); /* if the parent forgets us */
	give_up = clock__now_ns() + (uint64_t)(timeout_ms - timeout_ms / 4) * 1000000ull;
	/* none of flametui's descriptors (BPF maps, perf events) go with us */
	dn = open("/dev/null", O_RDWR);
	if (dn >= 0) {
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
	}
	/* the JVM's pidfd (the signal cannot reach a process that took its pid) stays, as 3 */
	if (dup2(pidfd, 3) != 3)
		_exit(CHILD_NO_SOCKET);
	syscall(SYS_close_range, 4u, ~0u, 0u);
	if (geteuid() == 0) {
		if (syscall(SYS_setgroups, c->ngroups, c->groups) ||
		    syscall(SYS_setresgid, c->egid, c->egid, c->egid) ||
		    syscall(SYS_setresuid, c->euid, c->euid, c->euid))
			_exit(CHILD_NO_USER);
	}
	if (geteuid() != c->euid || getegid() != c->egid)
		_exit(CHILD_NO_USER);
	/* a credential change clears the parent-death signal: set it now */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(CHILD_NO_SOCKET);
	snprintf(sock, sizeof(sock), "%s/%u/root/tmp/.java_pid%u", proc_root, pid, c->nspid);
	fd = connect_jvm(sock, c->euid);
	if (fd < 0) {
		/* the listener starts when the JVM gets SIGQUIT and finds .attach_pidN in its
		 * working directory or its /tmp */
		snprintf(trig, sizeof(trig), "%s/%u/cwd/.attach_pid%u", proc_root, pid, c->nspid);
		dn = open(trig, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (dn < 0) {
			snprintf(trig, sizeof(trig), "%s/%u/root/tmp/.attach_pid%u", proc_root, pid,
				 c->nspid);
			dn = open(trig, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		}
		if (dn >= 0) {
			close(dn);
			made_trigger = true;
		}
		if (!catches_sigquit(proc_root, pid)) {
			if (made_trigger)
				unlink(trig);
			_exit(CHILD_NO_SIGNAL);
		}
		if (syscall(SYS_pidfd_send_signal, 3, SIGQUIT, NULL, 0))
			_exit(CHILD_NO_SOCKET);
		/* give up a little before the parent's deadline, to say why (by the clock: on a
		 * loaded machine a 10 ms sleep takes longer) */
		while (fd < 0 && clock__now_ns() < give_up) {
			sleep_ms(10);
			fd = connect_jvm(sock, c->euid);
		}
		if (made_trigger)
			unlink(trig);
		if (fd < 0)
			_exit(CHILD_NO_SOCKET);
	}
	if (!write_all(fd, req, sizeof(req)))
		_exit(CHILD_REFUSED);
	/* "0\n" and the command's output; the JVM closes when it is done (map written) */
	for (got = 0; got < 2; got += (size_t)n) {
		n = read(fd, answer + got, sizeof(answer) - got);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			_exit(CHILD_REFUSED);
	}
	if (answer[0] != '0' || answer[1] != '\n')
		_exit(CHILD_REFUSED);
	while ((n = read(fd, answer, sizeof(answer))) > 0 || (n < 0 && errno == EINTR))
		;
	_exit(CHILD_OK);
}

static struct jvm_proc *proc_get(struct jvm *j, uint32_t pid)
{
	uint64_t st = start_time(j, pid);
	struct jvm_proc *p, *old = NULL;
	size_t i;

	for (i = 0; i < j->nprocs; i++) {
		p = &j->procs[i];
		if (p->pid != pid)
			continue;
		if (p->start_time == st || !st) /* !st: it has exited; keep what we know */
			return p;
		/* the pid was reused: another process */
		kill_child(p);
		memset(p, 0, sizeof(*p));
		p->pid = pid;
		p->start_time = st;
		return p;
	}
	if (!st) /* gone (or a zombie): nothing to ask */
		return NULL;
	if (j->nprocs < MAX_JVMS) {
		p = &j->procs[j->nprocs++];
	} else {
		for (i = 0; i < j->nprocs; i++)
			if (!j->procs[i].child &&
			    (!old || j->procs[i].started_ns < old->started_ns))
				old = &j->procs[i];
		if (!old)
			return NULL;
		p = old;
	}
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->start_time = st;
	return p;
}

/* The next request waits twice as long as the last one did: 1 s, 2 s, ... JVM_REFRESH_MAX_MS. */
static void back_off(struct jvm_proc *p)
{
	p->wait_ns = p->wait_ns ? p->wait_ns * 2 : JVM_REFRESH_MS * 1000000ull;
	if (p->wait_ns > JVM_REFRESH_MAX_MS * 1000000ull)
		p->wait_ns = JVM_REFRESH_MAX_MS * 1000000ull;
}

/* Collects a finished child, or kills one past its deadline. True when none runs any more. */
static bool reap(struct jvm *j, struct jvm_proc *p, uint64_t now)
{
	int status;
	pid_t r;

	if (!p->child)
		return true;
	r = waitpid(p->child, &status, WNOHANG);
	if (r == 0 && now - p->started_ns < j->timeout_ns)
		return false;
	if (r == 0) {
		kill_child(p);
		p->failed = JVM_TIMED_OUT;
		p->gone = start_time(j, p->pid) != p->start_time;
		return true;
	}
	p->child = 0;
	if (r < 0 || !WIFEXITED(status)) {
		p->failed = JVM_TIMED_OUT; /* our alarm, or a kill */
		p->gone = start_time(j, p->pid) != p->start_time;
		return true;
	}
	switch (WEXITSTATUS(status)) {
	case CHILD_OK:
		p->fresh = true;
		p->no_signal = false;
		back_off(p);
		j->stats.answered++;
		j->stats.wall_ns += now - p->started_ns;
		break;
	case CHILD_NO_USER:
		p->failed = JVM_NO_USER;
		break;
	case CHILD_NO_SOCKET:
		p->failed = JVM_NO_SOCKET;
		break;
	case CHILD_NO_SIGNAL:
		/* a JVM still starting (flametui's -- CMD) installs its handler a little later:
		 * asked again, backing off as after an answer */
		p->no_signal = true;
		back_off(p);
		break;
	default:
		p->failed = JVM_REFUSED;
		break;
	}
	/* a JVM that exited while it was asked (its socket goes away at shutdown) did not fail:
	 * nothing to report */
	if (p->failed && start_time(j, p->pid) != p->start_time)
		p->gone = true;
	return true;
}

static int spawn(struct jvm *j, struct jvm_proc *p, uint64_t now)
{
	struct procfile_creds c;
	pid_t child;
	int pidfd, err;

	/* the pidfd first, then the check that the pid is still the process we know */
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)p->pid, 0);
	if (pidfd < 0)
		return -errno;
	if (start_time(j, p->pid) != p->start_time || procfile__creds(j->proc_root, p->pid, &c)) {
		close(pidfd);
		return -ESRCH;
	}
	child = fork();
	if (child < 0) {
		err = -errno;
		close(pidfd);
		p->failed = JVM_FORK_FAILED;
		return err;
	}
	if (child == 0)
		child_main(j->proc_root, p->pid, pidfd, &c, (long)(j->timeout_ns / 1000000ull));
	close(pidfd);
	p->child = child;
	p->started_ns = now;
	j->stats.requests++;
	return 0;
}

/* The first map is worth a short wait: the samples queued behind this one would otherwise
 * all stay unnamed. Bounded per process and for all of them. */
static void wait_first(struct jvm *j, struct jvm_proc *p, uint64_t start)
{
	uint64_t budget = JVM_WAIT_BUDGET_MS * 1000000ull, now = start;
	uint64_t most = JVM_FIRST_WAIT_MS * 1000000ull;

	if (j->waited_ns >= budget)
		return;
	if (most > budget - j->waited_ns)
		most = budget - j->waited_ns;
	while (!reap(j, p, now) && now - start < most) {
		nanosleep(&(struct timespec){0, POLL_NS}, NULL);
		now = clock__now_ns();
	}
	j->waited_ns += now - start;
}

int jvm__request(struct jvm *j, uint32_t pid)
{
	struct jvm_proc *p = j ? proc_get(j, pid) : NULL;
	uint64_t now = clock__now_ns();
	bool first;

	if (!p)
		return 0;
	if (reap(j, p, now) && !p->failed && !p->fresh &&
	    (!p->asked || now - p->started_ns >= p->wait_ns)) {
		first = !p->asked;
		p->asked = true;
		if (!spawn(j, p, now) && first)
			wait_first(j, p, now);
	}
	if (!p->fresh)
		return 0;
	p->fresh = false;
	return 1;
}

void jvm__settle(struct jvm *j)
{
	for (size_t i = 0; j && i < j->nprocs; i++)
		while (!reap(j, &j->procs[i], clock__now_ns()))
			nanosleep(&(struct timespec){0, POLL_NS}, NULL);
}

size_t jvm__notes(const struct jvm *j, struct jvm_note *ret, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; j && i < j->nprocs; i++) {
		const struct jvm_proc *p = &j->procs[i];

		if ((!p->failed && !p->no_signal) || p->gone)
			continue;
		if (n < cap)
			ret[n] = (struct jvm_note){p->pid, p->failed ? p->failed : JVM_NO_SIGNAL};
		n++;
	}
	return n;
}

const char *jvm__failure_text(enum jvm_failure why)
{
	switch (why) {
	case JVM_OK:
		return "answered";
	case JVM_TIMED_OUT:
		return "did not answer in time (stopped or hung?)";
	case JVM_NO_USER:
		return "could not be asked as its own user (that needs root)";
	case JVM_NO_SOCKET:
		return "opened no attach socket (stopped, or run with -XX:+DisableAttachMechanism: "
		       "run it without)";
	case JVM_NO_SIGNAL:
		return "does not catch SIGQUIT, which would kill it (-Xrs with no attach socket)";
	case JVM_REFUSED:
		return "refused Compiler.perfmap (it needs JDK 17 or later: upgrade it)";
	case JVM_FORK_FAILED:
		return "could not be asked (fork failed)";
	}
	return "failed";
}

void jvm__stats(const struct jvm *j, struct jvm_stats *ret)
{
	if (j)
		*ret = j->stats;
	else
		memset(ret, 0, sizeof(*ret));
}
