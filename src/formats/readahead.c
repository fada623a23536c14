// SPDX-License-Identifier: MIT
/*
 * readahead (see readahead.h): a ring of NCHUNK chunks; the thread fills each one whole (or up
 * to the end of input) with as many reads as that takes, the consumer copies out of the oldest.
 * One lock per chunk.
 */
#include "readahead.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1u << 20)
#define NCHUNK 4

struct readahead {
	formats_read_fn rd;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *buf[NCHUNK];
	size_t len[NCHUNK];
	size_t pos; /* read so far from buf[head] */
	/* under mu */
	unsigned head, filled;
	bool end, stop;
	ssize_t err;
	const char *why;
};

static void *reader(void *arg)
{
	struct readahead *r = arg;

	pthread_mutex_lock(&r->mu);
	while (!r->end) {
		unsigned c;
		size_t len = 0;
		ssize_t n = 1;
		const char *why = NULL;

		while (r->filled == NCHUNK && !r->stop)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->stop)
			break;
		c = (r->head + r->filled) % NCHUNK;
		pthread_mutex_unlock(&r->mu);
		while (len < CHUNK && (n = r->rd(r->ctx, r->buf[c] + len, CHUNK - len, &why)) > 0)
			len += (size_t)n;
		pthread_mutex_lock(&r->mu);
		if (len) {
			r->len[c] = len;
			r->filled++;
		}
		if (n <= 0) {
			r->end = true;
			r->err = n;
			r->why = why;
		}
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct readahead *readahead__new(formats_read_fn rd, void *ctx)
{
	struct readahead *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return NULL;
	r->rd = rd;
	r->ctx = ctx;
	for (unsigned i = 0; i < NCHUNK; i++) {
		r->buf[i] = malloc(CHUNK);
		if (!r->buf[i])
			goto nomem;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	err = pthread_create(&r->thread, NULL, reader, r);
	if (err) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
		for (unsigned i = 0; i < NCHUNK; i++)
			free(r->buf[i]);
		free(r);
		errno = err;
		return NULL;
	}
	return r;
nomem:
	for (unsigned i = 0; i < NCHUNK; i++)
		free(r->buf[i]);
	free(r);
	errno = ENOMEM;
	return NULL;
}

struct readahead *readahead__free(struct readahead *r)
{
	if (!r)
		return NULL;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	for (unsigned i = 0; i < NCHUNK; i++)
		free(r->buf[i]);
	free(r);
	return NULL;
}

ssize_t readahead__read(void *arg, void *buf, size_t cap, const char **ret_why)
{
	struct readahead *r = arg;
	size_t n;

	*ret_why = NULL;
	pthread_mutex_lock(&r->mu);
	while (!r->filled && !r->end)
		pthread_cond_wait(&r->cv, &r->mu);
	if (!r->filled) {
		ssize_t err = r->err;

		*ret_why = r->why;
		pthread_mutex_unlock(&r->mu);
		return err;
	}
	pthread_mutex_unlock(&r->mu);
	/* buf[head] is the consumer's until it hands it back */
	n = r->len[r->head] - r->pos;
	if (n > cap)
		n = cap;
	memcpy(buf, r->buf[r->head] + r->pos, n);
	r->pos += n;
	if (r->pos == r->len[r->head]) {
		pthread_mutex_lock(&r->mu);
		r->pos = 0;
		r->head = (r->head + 1) % NCHUNK;
		r->filled--;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
	}
	return (ssize_t)n;
}
