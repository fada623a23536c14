// SPDX-License-Identifier: MIT
/*
 * A 32-bit process (built with -m32) for test-vdso32: prints "NAME ADDRESS" for the functions
 * of its own vDSO (found in the image's .dynsym, which AT_SYSINFO_EHDR points to), an empty
 * line, then calls clock_gettime until its stdin closes.
 */
#include <elf.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>

static unsigned long vdso_fn(const char *want)
{
	const char *img = (const char *)getauxval(AT_SYSINFO_EHDR);
	const Elf32_Ehdr *eh = (const Elf32_Ehdr *)img;
	const Elf32_Shdr *sh;
	unsigned long load = ~0ul;

	if (!img || eh->e_ident[EI_CLASS] != ELFCLASS32)
		return 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf32_Phdr *ph = (const Elf32_Phdr *)(img + eh->e_phoff) + i;

		if (ph->p_type == PT_LOAD && ph->p_vaddr < load)
			load = ph->p_vaddr;
	}
	sh = (const Elf32_Shdr *)(img + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		const Elf32_Sym *sym = (const Elf32_Sym *)(img + sh[i].sh_offset);
		const char *str = img + sh[sh[i].sh_link].sh_offset;

		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		for (unsigned k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
			if (sym[k].st_value && !strcmp(str + sym[k].st_name, want))
				return (unsigned long)img + sym[k].st_value - load;
	}
	return 0;
}

int main(void)
{
	struct pollfd p = { .fd = 0, .events = POLLIN };
	struct timespec ts;

	static const char *const fns[] = { "__kernel_vsyscall", "__vdso_gettimeofday", "__vdso_time",
					   "__vdso_clock_gettime", "__vdso_clock_getres",
					   "__vdso_clock_gettime64" };

	for (unsigned i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (vdso_fn(fns[i]))
			printf("%s %lx\n", fns[i], vdso_fn(fns[i]));
	printf("\n");
	fflush(stdout);
	while (poll(&p, 1, 0) == 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return 0;
}
