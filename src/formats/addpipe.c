// SPDX-License-Identifier: MIT
/*
 * addpipe (see addpipe.h): NBUF buffers of records, filled by the parser's thread one at a
 * time and emptied in order by the adding thread; one lock per buffer of a few thousand
 * stacks. A free buffer is taken newest-freed first: the adding thread mostly keeps up, so a
 * few buffers go round warm instead of all NBUF being faulted in and cycled through the
 * cache. A record is [n][count low][count high][n ids]; n = OVERFLOW_REC counts the samples
 * into [overflow]. After the last buffer the thread may run one job (addpipe__close) while
 * the parser's thread does its own share of the end of a load.
 */
#include "addpipe.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trie.h"
#include "twocpus.h"

/* Small buffers, many of them (1 MiB in all, as before): the thread starts after one buffer
 * and the parser's last wait is for one buffer's stacks only. 4 of 64K words left the first
 * and last fifth of a 10 MB file's trie adds on the parser's thread, or waited for. */
#define BUF_WORDS (8u * 1024)
#define NBUF 32
#define HEAD_WORDS 3
#define OVERFLOW_REC UINT32_MAX

struct addpipe {
	struct trie *t; /* borrowed */
	/* A small input never starts the thread: it is added directly until it has given one
	 * buffer's worth of words (and the thread's cost is small beside its load). */
	bool may_thread;
	size_t direct_words;
	bool threaded;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t filled_cv, free_cv;
	uint32_t *bufs[NBUF];
	size_t used[NBUF];
	/* under mu: queue[head], queue[head + 1], ... (mod NBUF) are the `filled` buffers the
	 * adding thread empties in that order; freed[0..nfree) the free ones, newest last */
	unsigned queue[NBUF], head, filled;
	unsigned freed[NBUF], nfree;
	bool done, stop; /* done: the parser gave its last stack (close_thread) */
	/* run by the thread after its last add (unless stopped) */
	void (*job)(void *);
	void *job_ctx;
	int err; /* the adding thread's first error */
	uint32_t *cur; /* the parser's buffer, bufs[cur_i] */
	unsigned cur_i;
	size_t cur_used;
};

static int add_records(struct trie *t, const uint32_t *w, size_t used)
{
	for (size_t i = 0; i < used;) {
		uint32_t n = w[i];
		uint64_t count = w[i + 1] | (uint64_t)w[i + 2] << 32;
		int err;

		if (n == OVERFLOW_REC) {
			err = trie__add_overflow(t, count);
			i += HEAD_WORDS;
		} else {
			err = trie__add(t, w + i + HEAD_WORDS, n, count);
			i += HEAD_WORDS + n;
		}
		if (err)
			return err;
	}
	return 0;
}

static void *adder(void *arg)
{
	struct addpipe *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		unsigned h;
		int err = 0;

		while (!a->filled && !a->done)
			pthread_cond_wait(&a->filled_cv, &a->mu);
		if (!a->filled)
			break;
		h = a->queue[a->head];
		if (!a->stop && !a->err) {
			pthread_mutex_unlock(&a->mu);
			err = add_records(a->t, a->bufs[h], a->used[h]);
			pthread_mutex_lock(&a->mu);
		}
		if (err && !a->err)
			a->err = err;
		a->head = (a->head + 1) % NBUF;
		a->filled--;
		a->freed[a->nfree++] = h;
		pthread_cond_signal(&a->free_cv);
	}
	if (a->job && !a->stop) {
		pthread_mutex_unlock(&a->mu);
		a->job(a->job_ctx);
		return NULL;
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

struct addpipe *addpipe__new(struct trie *t)
{
	struct addpipe *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->t = t;
	a->may_thread = two_cpus();
	return a;
}

/* Starts the adding thread; on failure the pipe stays direct (still correct, one thread). */
static void start(struct addpipe *a)
{
	a->may_thread = false;
	for (unsigned i = 0; i < NBUF; i++) {
		a->bufs[i] = malloc(BUF_WORDS * sizeof(uint32_t));
		if (!a->bufs[i])
			goto direct;
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->filled_cv, NULL);
	pthread_cond_init(&a->free_cv, NULL);
	if (pthread_create(&a->thread, NULL, adder, a)) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->filled_cv);
		pthread_cond_destroy(&a->free_cv);
		goto direct;
	}
	a->threaded = true;
	for (unsigned i = 1; i < NBUF; i++)
		a->freed[a->nfree++] = NBUF - i;
	a->cur_i = 0;
	a->cur = a->bufs[0];
	return;
direct:
	for (unsigned i = 0; i < NBUF; i++) {
		free(a->bufs[i]);
		a->bufs[i] = NULL;
	}
}

/* Whether this record goes straight to the trie (the thread is not, or not yet, running). */
static bool direct(struct addpipe *a, size_t n)
{
	if (a->threaded)
		return false;
	if (!a->may_thread)
		return true;
	a->direct_words += HEAD_WORDS + n;
	if (a->direct_words > BUF_WORDS)
		start(a);
	return !a->threaded;
}

/* Hands the parser's buffer over (when it holds anything) and waits for a free one. Returns
 * the adding thread's error, if any. With `all`, waits until the thread has added everything. */
static int hand_over(struct addpipe *a, bool all)
{
	int err;

	pthread_mutex_lock(&a->mu);
	if (a->cur_used) {
		a->used[a->cur_i] = a->cur_used;
		a->queue[(a->head + a->filled) % NBUF] = a->cur_i;
		a->filled++;
		pthread_cond_signal(&a->filled_cv);
		while (!a->nfree)
			pthread_cond_wait(&a->free_cv, &a->mu);
		a->cur_i = a->freed[--a->nfree];
		a->cur = a->bufs[a->cur_i];
		a->cur_used = 0;
	}
	while (all && a->filled)
		pthread_cond_wait(&a->free_cv, &a->mu);
	err = a->err;
	pthread_mutex_unlock(&a->mu);
	return err;
}

static int put(struct addpipe *a, uint32_t n, const uint32_t *ids, size_t nids, uint64_t count)
{
	size_t need = HEAD_WORDS + nids;
	int err;

	if (a->cur_used + need > BUF_WORDS) {
		/* a stack bigger than a buffer is added here, once the thread is idle */
		err = hand_over(a, need > BUF_WORDS);
		if (err)
			return err;
		if (need > BUF_WORDS)
			return n == OVERFLOW_REC ? trie__add_overflow(a->t, count)
						 : trie__add(a->t, ids, nids, count);
	}
	a->cur[a->cur_used] = n;
	a->cur[a->cur_used + 1] = (uint32_t)count;
	a->cur[a->cur_used + 2] = (uint32_t)(count >> 32);
	if (nids)
		memcpy(a->cur + a->cur_used + HEAD_WORDS, ids, nids * sizeof(*ids));
	a->cur_used += need;
	return 0;
}

int addpipe__add(struct addpipe *a, const uint32_t *ids, size_t n, uint64_t count)
{
	if (direct(a, n))
		return trie__add(a->t, ids, n, count);
	if (n >= OVERFLOW_REC)
		return -E2BIG;
	return put(a, (uint32_t)n, ids, n, count);
}

int addpipe__overflow(struct addpipe *a, uint64_t count)
{
	if (direct(a, 0))
		return trie__add_overflow(a->t, count);
	return put(a, OVERFLOW_REC, NULL, 0, count);
}

/* Tells the thread to end once it has added what it was given (with `stop`: at once, the rest
 * dropped, no job) and to run job(ctx) then; does not wait. */
static int close_thread(struct addpipe *a, bool stop, void (*job)(void *), void *ctx)
{
	int err = 0;

	a->may_thread = false;
	if (!a->threaded)
		return 0;
	if (!stop && !a->done)
		err = hand_over(a, false);
	pthread_mutex_lock(&a->mu);
	if (!a->done) {
		a->job = job;
		a->job_ctx = ctx;
	}
	a->done = true;
	a->stop |= stop;
	pthread_cond_signal(&a->filled_cv);
	pthread_mutex_unlock(&a->mu);
	return err;
}

/* Waits for the thread to end (and its job); returns its first add's error. */
static int join_thread(struct addpipe *a)
{
	if (!a->threaded)
		return 0;
	pthread_join(a->thread, NULL);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->filled_cv);
	pthread_cond_destroy(&a->free_cv);
	a->threaded = false;
	return a->err;
}

bool addpipe__threaded(const struct addpipe *a)
{
	return a->threaded;
}

int addpipe__close(struct addpipe *a, void (*job)(void *), void *ctx)
{
	if (!a->threaded) {
		a->may_thread = false;
		if (job)
			job(ctx);
		return 0;
	}
	return close_thread(a, false, job, ctx);
}

int addpipe__finish(struct addpipe *a)
{
	int err = close_thread(a, false, NULL, NULL);
	int join_err = join_thread(a);

	return err ? err : join_err;
}

struct addpipe *addpipe__free(struct addpipe *a)
{
	if (!a)
		return NULL;
	close_thread(a, true, NULL, NULL);
	join_thread(a);
	for (unsigned i = 0; i < NBUF; i++)
		free(a->bufs[i]);
	free(a);
	return NULL;
}
