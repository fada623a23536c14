/* SPDX-License-Identifier: MIT */
/*
 * A process for the symbolizer tests to look at: it reports the run-time addresses of its
 * functions (C, static, hand-sized asm, a size-0 label, a mangled name, a shared-library
 * function and an anonymous executable page) on stdout, then obeys commands on stdin:
 * "dlopen PATH" (reports plug_fn), "exec PATH", or EOF to exit.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ft-lib.h"

/* ft_sized covers exactly 16 bytes; 16 bytes of no symbol follow, then ft_zero, which has no
 * size, then 16 more bytes no symbol covers. */
__asm__(".text\n"
	".globl ft_sized\n"
	".type ft_sized, %function\n"
	"ft_sized:\n"
	".skip 15, 0x90\n"
	"ret\n"
	".size ft_sized, 16\n"
	".skip 16, 0xcc\n"
	".globl ft_zero\n"
	".type ft_zero, %function\n"
	"ft_zero:\n"
	".skip 32, 0xcc\n");

void ft_sized(void);
void ft_zero(void);
int ft_mangled(int x) __asm__("_ZN2ft7mangledEi");

__attribute__((noinline)) int target_alpha(int x)
{
	int i, s = 0;

	for (i = 0; i < x; i++)
		s += i * x;
	return s;
}

static __attribute__((noinline)) int target_beta(int x)
{
	return target_alpha(x) * 3 + 1;
}

__attribute__((noinline)) int ft_mangled(int x)
{
	return target_beta(x) - 7;
}

static void report(const char *name, const void *addr)
{
	printf("%s %p\n", name, addr);
}

int main(void)
{
	char line[4096];
	void *jit;

	report("target_alpha", (void *)target_alpha);
	report("target_beta", (void *)target_beta);
	report("ft_sized", (void *)ft_sized);
	report("ft_zero", (void *)ft_zero);
	report("ft_mangled", (void *)ft_mangled);
	report("lib_gamma", (void *)lib_gamma);
	report("lib_inner", lib_inner_addr());
	jit = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (jit != MAP_FAILED) {
		memset(jit, 0xc3, 4096);
		report("jit", jit);
	}
	printf("ready %d\n", lib_gamma(target_beta(2)) + ft_mangled(1) > 0);
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "dlopen ", 7)) {
			void *h = dlopen(line + 7, RTLD_NOW);
			void *fn = h ? dlsym(h, "plug_fn") : NULL;

			report("plug_fn", fn);
			printf("ready\n");
			fflush(stdout);
		} else if (!strncmp(line, "exec ", 5)) {
			execl(line + 5, line + 5, (char *)NULL);
			printf("exec failed\n");
			fflush(stdout);
		}
	}
	return 0;
}
