// SPDX-License-Identifier: MIT
/*
 * Mapping tracker (see mapwatch.h). Each CPU's perf ring is read in place; records are merged
 * across CPUs by timestamp, so a mapping is applied before any sample taken after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cpus.h"
#include "mapwatch.h"

#define RING_PAGES 64 /* data pages per CPU (a power of two) */

struct cpu_ring {
	int fd;
	struct perf_event_mmap_page *meta;
	unsigned char *data;
	uint64_t size;	    /* data bytes */
	uint64_t tail;	    /* our read position */
	uint64_t head;	    /* the kernel's write position, as last seen */
	unsigned char *rec; /* the record at tail, contiguous (copied when it wraps) */
	unsigned char *scratch; /* owned, 64 KiB once a record wrapped: records are < 64 KiB */
	uint64_t rec_time;  /* its timestamp; UINT64_MAX when there is none */
};

struct mapwatch {
	struct cpu_ring *rings;
	int n;
	long page;
	uint64_t lost;
};

struct mapwatch *mapwatch__open(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_DUMMY,
		.size = sizeof(attr),
		.sample_type = PERF_SAMPLE_TIME,
		.mmap = 1,	/* executable mappings only (no mmap_data) */
		.mmap2 = 1,	/* with device and inode */
		.comm = 1,
		.comm_exec = 1, /* marks the comm change of an exec */
		.sample_id_all = 1,
		.use_clockid = 1,
		.clockid = CLOCK_MONOTONIC, /* the clock of bpf_ktime_get_ns() */
		.watermark = 1,
		.wakeup_watermark = 1 << 30, /* we poll; never wake us */
	};
	struct mapwatch *m = calloc(1, sizeof(*m));
	int *cpus = NULL, n, err;

	if (!m)
		return NULL;
	m->page = sysconf(_SC_PAGESIZE);
	n = cpus__online(&cpus);
	if (n <= 0) {
		err = n ? -n : ENODEV;
		goto fail;
	}
	m->rings = calloc((size_t)n, sizeof(*m->rings));
	if (!m->rings) {
		err = ENOMEM;
		goto fail;
	}
	for (int i = 0; i < n; i++)
		m->rings[i].fd = -1;
	m->n = n;
	for (int i = 0; i < n; i++) {
		struct cpu_ring *r = &m->rings[i];
		size_t len = (size_t)(RING_PAGES + 1) * (size_t)m->page;
		void *p;

		r->fd = (int)syscall(__NR_perf_event_open, &attr, -1, cpus[i], -1,
				     PERF_FLAG_FD_CLOEXEC);
		if (r->fd < 0) {
			err = errno;
			goto fail;
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
		if (p == MAP_FAILED) {
			err = errno;
			goto fail;
		}
		r->meta = p;
		r->data = (unsigned char *)p + m->page;
		r->size = (uint64_t)RING_PAGES * (uint64_t)m->page;
		r->tail = r->meta->data_tail;
		r->rec_time = UINT64_MAX;
	}
	free(cpus);
	return m;
fail:
	free(cpus);
	mapwatch__free(m);
	errno = err;
	return NULL;
}

struct mapwatch *mapwatch__free(struct mapwatch *m)
{
	if (!m)
		return NULL;
	for (int i = 0; i < m->n; i++) {
		if (m->rings[i].meta)
			munmap(m->rings[i].meta, (size_t)(RING_PAGES + 1) * (size_t)m->page);
		if (m->rings[i].fd >= 0)
			close(m->rings[i].fd);
		free(m->rings[i].scratch);
	}
	free(m->rings);
	free(m);
	return NULL;
}

/* Record bodies after the perf_event_header, as include/uapi/linux/perf_event.h lays them
 * out; with sample_id_all and PERF_SAMPLE_TIME, each ends with its time (a u64). */
struct lost_body {
	uint64_t id, lost;
};

struct comm_body {
	uint32_t pid, tid; /* then the NUL-terminated comm */
};

struct mmap2_body {
	uint32_t pid, tid;
	uint64_t addr, len, pgoff;
	uint32_t maj, min; /* the build-id form (PERF_RECORD_MISC_MMAP_BUILD_ID) is not asked for */
	uint64_t ino, ino_generation;
	uint32_t prot, flags; /* then the NUL-terminated file name */
};
_Static_assert(sizeof(struct mmap2_body) == 64, "MMAP2's fixed part is 64 bytes");

/* Makes r->rec the record at r->tail (or NULL). Records we do not use are skipped. */
static void peek(struct cpu_ring *r)
{
	for (;;) {
		struct perf_event_header hdr;
		uint64_t off;

		r->rec = NULL;
		r->rec_time = UINT64_MAX;
		if (r->tail == r->head) {
			r->head = __atomic_load_n(&r->meta->data_head, __ATOMIC_ACQUIRE);
			if (r->tail == r->head)
				return;
		}
		off = r->tail % r->size;
		if (off + sizeof(hdr) <= r->size) {
			memcpy(&hdr, r->data + off, sizeof(hdr));
		} else {
			size_t first = (size_t)(r->size - off);

			memcpy(&hdr, r->data + off, first);
			memcpy((unsigned char *)&hdr + first, r->data, sizeof(hdr) - first);
		}
		if (hdr.size < sizeof(hdr) || hdr.size > r->head - r->tail) {
			/* cannot happen with a sane kernel; resynchronise rather than loop */
			r->tail = r->head;
			__atomic_store_n(&r->meta->data_tail, r->tail, __ATOMIC_RELEASE);
			return;
		}
		if (hdr.type == PERF_RECORD_MMAP2 || hdr.type == PERF_RECORD_COMM ||
		    hdr.type == PERF_RECORD_LOST) {
			if (off + hdr.size <= r->size) {
				r->rec = r->data + off;
			} else {
				size_t first = (size_t)(r->size - off);

				if (!r->scratch && !(r->scratch = malloc(65536))) {
					r->rec_time = UINT64_MAX;
					return; /* retried on the next drain */
				}
				memcpy(r->scratch, r->data + off, first);
				memcpy(r->scratch + first, r->data, hdr.size - first);
				r->rec = r->scratch;
			}
			/* sample_id_all with PERF_SAMPLE_TIME: the time is the record's last u64 */
			if (hdr.size >= sizeof(hdr) + 8)
				memcpy(&r->rec_time, r->rec + hdr.size - 8, 8);
			else
				r->rec_time = 0;
			return;
		}
		r->tail += hdr.size;
		__atomic_store_n(&r->meta->data_tail, r->tail, __ATOMIC_RELEASE);
	}
}

static void consume(struct cpu_ring *r)
{
	struct perf_event_header *hdr = (struct perf_event_header *)r->rec;

	r->tail += hdr->size;
	__atomic_store_n(&r->meta->data_tail, r->tail, __ATOMIC_RELEASE);
	r->rec = NULL;
}

static int deliver(struct mapwatch *m, const unsigned char *rec, uint64_t time, mapwatch_fn fn,
		   void *ctx)
{
	const struct perf_event_header *hdr = (const void *)rec;
	const unsigned char *end = rec + hdr->size - 8; /* before the sample_id time */
	struct mmap_event e = { .time = time };

	if (hdr->type == PERF_RECORD_LOST) {
		uint64_t lost;

		if (hdr->size >= sizeof(*hdr) + sizeof(struct lost_body)) {
			memcpy(&lost, rec + sizeof(*hdr) + offsetof(struct lost_body, lost), 8);
			m->lost += lost;
		}
		return 0;
	}
	if (hdr->type == PERF_RECORD_COMM) {
		if (!(hdr->misc & PERF_RECORD_MISC_COMM_EXEC) ||
		    hdr->size < sizeof(*hdr) + sizeof(struct comm_body) + 8)
			return 0;
		memcpy(&e.pid, rec + sizeof(*hdr) + offsetof(struct comm_body, pid), 4);
		e.type = MMAP_EVENT_EXEC;
		return fn(ctx, &e);
	}
	/* MMAP2: the fixed part, then the file name */
	const unsigned char *p = rec + sizeof(*hdr);
	struct mmap2_body b;
	char path[4096];
	size_t plen;

	if (end < p + sizeof(b))
		return 0;
	memcpy(&b, p, sizeof(b));
	p += sizeof(b);
	plen = strnlen((const char *)p, (size_t)(end - p));
	if (plen >= sizeof(path))
		return 0;
	memcpy(path, p, plen);
	path[plen] = '\0';
	e.pid = b.pid;
	if (!(b.prot & PROT_EXEC) || !b.len || b.addr + b.len < b.addr)
		return 0;
	e.type = MMAP_EVENT_MAP;
	e.map.start = b.addr;
	e.map.end = b.addr + b.len;
	e.map.offset = b.pgoff;
	e.map.dev_major = b.maj;
	e.map.dev_minor = b.min;
	e.map.inode = b.ino;
	e.map.path = path;
	if (path[0] != '/' || !strncmp(path, "//anon", 6))
		e.map.flags |= PROCMAP_ANON;
	return fn(ctx, &e);
}

int mapwatch__drain(struct mapwatch *m, uint64_t until, mapwatch_fn fn, void *ctx)
{
	for (;;) {
		struct cpu_ring *best = NULL;
		int err;

		for (int i = 0; i < m->n; i++) {
			struct cpu_ring *r = &m->rings[i];

			if (!r->rec)
				peek(r);
			if (r->rec && r->rec_time <= until && (!best || r->rec_time < best->rec_time))
				best = r;
		}
		if (!best)
			return 0;
		err = deliver(m, best->rec, best->rec_time, fn, ctx);
		consume(best);
		if (err)
			return err;
	}
}

uint64_t mapwatch__lost(const struct mapwatch *m)
{
	return m ? m->lost : 0;
}
