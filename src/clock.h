/* SPDX-License-Identifier: MIT */
/* The monotonic clock (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns()) in the units each
 * caller wants, and the wall clock for files that record when a profile was taken. */
#ifndef FLAMETUI_CLOCK_H
#define FLAMETUI_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline int64_t clock__now_ms(void)
{
	return (int64_t)(clock__now_ns() / 1000000);
}

static inline double clock__now_s(void)
{
	return (double)clock__now_ns() / 1e9;
}

/* Nanoseconds since the epoch (CLOCK_REALTIME): pprof's time_nanos. */
static inline int64_t clock__wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
