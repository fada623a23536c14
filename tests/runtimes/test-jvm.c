/* SPDX-License-Identifier: MIT */
/*
 * jvm.c against fake JVMs, no Java needed: a /proc of our own (proc_root) whose PID entry
 * points at a real process (a sleeping child, for the pidfd) and whose root/tmp holds an
 * attach socket served by this test. It checks the bytes of the request, that an answer
 * "0\n" is a new map, an error answer a refusal, silence a timeout within the deadline, and
 * that a process is not asked again once it failed, nor before the refresh interval, and
 * that one that exited while it was asked is not reported.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "clock.h"
#include "jvm.h"

static char root[] = "/tmp/ft-jvm-test.XXXXXX";

struct server {
	int fd;
	const char *answer; /* NULL: read the request, never answer */
	char got[256];
	size_t got_len;
	int accepted;
};

static void *serve(void *arg)
{
	struct server *sv = arg;

	for (;;) {
		int c = accept(sv->fd, NULL, NULL);
		ssize_t n;

		if (c < 0)
			return NULL;
		sv->accepted++;
		sv->got_len = 0;
		/* the request ends with the third argument's NUL */
		while ((n = read(c, sv->got + sv->got_len, sizeof(sv->got) - sv->got_len)) > 0) {
			sv->got_len += (size_t)n;
			if (sv->got_len >= 26)
				break;
		}
		if (sv->answer) {
			if (write(c, sv->answer, strlen(sv->answer)) < 0)
				perror("write");
			close(c);
		} else {
			/* hold it open, as a stopped JVM would */
			sleep(30);
			close(c);
		}
	}
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* A fake /proc/PID for the real process pid: status, stat, cwd, root/tmp with a socket. */
static int fake_proc(pid_t pid, struct server *sv)
{
	char dir[256], path[512], text[512];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	pthread_t th;

	snprintf(dir, sizeof(dir), "%s/%d", root, pid);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/cwd", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/root", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/root/tmp", dir);
	mkdir(path, 0755);
	snprintf(text, sizeof(text),
		 "Name:\tjava\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nGroups:\t\n"
		 "NSpid:\t%d\nSigCgt:\t0000000000000004\n",
		 getuid(), geteuid(), geteuid(), geteuid(), getgid(), getegid(), getegid(),
		 getegid(), pid);
	snprintf(path, sizeof(path), "%s/status", dir);
	write_text(path, text);
	/* the start time must match the real one: jvm.c compares the two */
	{
		char real[64], buf[1024];
		FILE *f;
		size_t n;

		snprintf(real, sizeof(real), "/proc/%d/stat", pid);
		f = fopen(real, "r");
		n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		snprintf(path, sizeof(path), "%s/stat", dir);
		write_text(path, buf);
	}
	snprintf(path, sizeof(path), "%s/root/tmp/.java_pid%d", dir, pid);
	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(sa.sun_path);
	sv->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (sv->fd < 0 || bind(sv->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(sv->fd, 4))
		return -1;
	return pthread_create(&th, NULL, serve, sv) ? -1 : 0;
}

static pid_t sleeper(void)
{
	pid_t p = fork();

	if (p == 0) {
		pause();
		_exit(0);
	}
	return p;
}

static void reap(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

static void check_answer(void)
{
	static const char req[] = "1\0jcmd\0Compiler.perfmap\0\0";
	struct server sv = {.answer = "0\n"};
	pid_t p = sleeper();
	struct jvm *j = jvm__new(root, 2000);
	struct jvm_note note;
	struct jvm_stats st;

	CHECK(j != NULL && p > 0 && fake_proc(p, &sv) == 0);
	/* the first request is waited for: the new map is there at once */
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 1);
	CHECK_EQ_U64(sv.accepted, 1);
	CHECK_EQ_U64(sv.got_len, sizeof(req));
	CHECK(!memcmp(sv.got, req, sizeof(req)));
	/* said once; not asked again within the refresh interval */
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 0);
	CHECK_EQ_U64(sv.accepted, 1);
	jvm__stats(j, &st);
	CHECK_EQ_U64(st.requests, 1);
	CHECK_EQ_U64(st.answered, 1);
	CHECK_EQ_U64(jvm__notes(j, &note, 1), 0);
	jvm__free(j);
	reap(p);
}

static void check_refused(void)
{
	struct server sv = {.answer = "1\nUnknown diagnostic command\n"};
	pid_t p = sleeper();
	struct jvm *j = jvm__new(root, 2000);
	struct jvm_note note = {0};

	CHECK(j != NULL && p > 0 && fake_proc(p, &sv) == 0);
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 0);
	CHECK_EQ_U64(jvm__notes(j, &note, 1), 1);
	CHECK_EQ_U64(note.pid, (uint64_t)p);
	CHECK_EQ_U64(note.why, JVM_REFUSED);
	jvm__free(j);
	reap(p);
}

/* Connected, never answered: the first wait is bounded, the child killed at the deadline,
 * and the process not asked again. */
static void check_silent(void)
{
	struct server sv = {.answer = NULL};
	pid_t p = sleeper();
	struct jvm *j = jvm__new(root, 600);
	struct jvm_note note = {0};
	uint64_t t0 = clock__now_ns(), took;

	CHECK(j != NULL && p > 0 && fake_proc(p, &sv) == 0);
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 0);
	took = clock__now_ns() - t0;
	/* within the 600 ms deadline (and the 1 s first wait), with room for a loaded machine */
	CHECK(took < 2000000000ull);
	if (took >= 2000000000ull)
		fprintf(stderr, "  the silent JVM took %llu ms\n",
			(unsigned long long)(took / 1000000));
	jvm__settle(j);
	CHECK_EQ_U64(jvm__notes(j, &note, 1), 1);
	CHECK_EQ_U64(note.why, JVM_TIMED_OUT);
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 0);
	CHECK_EQ_U64(sv.accepted, 1);
	jvm__free(j);
	reap(p);
}

/* Asked, then gone before it answered (a JVM shutting down removes its socket): the
 * request fails, but that is no failure of the JVM's to report. */
static void check_exited_while_asked(void)
{
	struct server sv = {.answer = NULL};
	pid_t p = sleeper();
	struct jvm *j = jvm__new(root, 2500);
	struct jvm_note note = {0};
	char path[512];

	CHECK(j != NULL && p > 0 && fake_proc(p, &sv) == 0);
	/* the first wait (1 s) ends before the 2.5 s deadline: the request still runs */
	CHECK_EQ_U64(jvm__request(j, (uint32_t)p), 0);
	/* the process exits while the request waits (its /proc entry goes) */
	snprintf(path, sizeof(path), "%s/%d/stat", root, p);
	unlink(path);
	jvm__settle(j);
	CHECK_EQ_U64(jvm__notes(j, &note, 1), 0);
	jvm__free(j);
	reap(p);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (!mkdtemp(root))
		return 1;
	check_answer();
	check_refused();
	check_silent();
	check_exited_while_asked();
	{
		char cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", root);
	}
	return check_done();
}
