/* SPDX-License-Identifier: MIT */
/* The online CPUs, from /sys/devices/system/cpu/online ("0-3,5"). */
#ifndef FLAMETUI_CPUS_H
#define FLAMETUI_CPUS_H

/* Fills *ret with a malloc'd list of online CPU numbers, ascending; returns how many, or
 * -errno (*ret untouched). */
int cpus__online(int **ret);
/* Parses a CPU list; the same contract. */
int cpus__parse(const char *list, int **ret);

#endif
