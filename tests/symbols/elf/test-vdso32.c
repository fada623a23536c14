// SPDX-License-Identifier: MIT
/*
 * A 32-bit process's vDSO frames are named from its own vDSO (another image than the native
 * one): the helper (vdso32-target, built with gcc -m32) prints where its vDSO's functions are;
 * the symbolizer must name an address inside each so (or by its alias without "__vdso_"). The
 * native image has the same names at other offsets, so naming from it fails here. Exits 77 when no 32-bit helper could be
 * built (gcc-multilib missing: scripts/deps --test installs it).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "symbolizer.h"

static bool named(const struct sym *s, const char *want)
{
	const char *alias = strncmp(want, "__vdso_", 7) ? want : want + 7;

	return s->name && ((s->len == strlen(want) && !memcmp(s->name, want, s->len)) ||
			   (s->len == strlen(alias) && !memcmp(s->name, alias, s->len)));
}

int main(int argc, char **argv)
{
	int in[2], out[2], fns = 0;
	struct symbolizer *s;
	struct sym sym = { 0 };
	char line[128] = "";
	FILE *f;
	pid_t pid;

	if (argc < 2 || !argv[1][0]) {
		fprintf(stderr, "no 32-bit helper: gcc -m32 cannot link here (install gcc-multilib)\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	if (pipe(in) || pipe(out))
		return 1;
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(argv[1], argv[1], (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");
	s = symbolizer__new(NULL);
	CHECK(f && s);
	while (f && s && fgets(line, sizeof(line), f) && line[0] != '\n') {
		char name[64];
		unsigned long addr;

		if (sscanf(line, "%63s %lx", name, &addr) != 2)
			break;
		fns++;
		CHECK(symbolizer__user(s, (uint32_t)pid, addr + 1, &sym) == 0);
		CHECK(sym.kind == FRAME_USER && named(&sym, name));
		fprintf(stderr, "32-bit vdso %s+1: '%.*s' (kind %d)\n", name, (int)sym.len,
			sym.name ? sym.name : "", sym.kind);
	}
	CHECK(fns >= 3);
	symbolizer__free(s);
	close(in[1]);
	waitpid(pid, NULL, 0);
	if (f)
		fclose(f);
	return check_done();
}
