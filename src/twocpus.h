/* SPDX-License-Identifier: MIT */
/*
 * Whether this process may run on two CPUs or more: else a second thread only adds context
 * switches. Asked by the file loader (the trie's thread, the inflating thread) and by the TUI
 * (the first sort beside the terminal's opening).
 */
#ifndef FLAMETUI_TWOCPUS_H
#define FLAMETUI_TWOCPUS_H

#include <sched.h>
#include <stdbool.h>

static inline bool two_cpus(void)
{
	cpu_set_t set;

	return !sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) >= 2;
}

#endif
