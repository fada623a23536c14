// SPDX-License-Identifier: MIT
/* The table builder thread (see builder.h). */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "builder.h"

struct job {
	int fd, debug_fd; /* debug_fd: -1, or its separate debug file (.debug_frame) */
	void *tag;	  /* borrowed */
	struct unwind_table *t;
	int err;
	struct job *next;
};

struct builder {
	pthread_t thread;
	bool started, stopping;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct job *todo, *done; /* under mu */
};

struct builder *builder__new(void)
{
	struct builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	pthread_mutex_init(&b->mu, NULL);
	pthread_cond_init(&b->cv, NULL);
	return b;
}

static void jobs_free(struct job *j)
{
	while (j) {
		struct job *next = j->next;

		if (j->fd >= 0)
			close(j->fd);
		if (j->debug_fd >= 0)
			close(j->debug_fd);
		unwind_table__free(j->t);
		free(j);
		j = next;
	}
}

struct builder *builder__free(struct builder *b)
{
	if (!b)
		return NULL;
	if (b->started) {
		pthread_mutex_lock(&b->mu);
		b->stopping = true;
		pthread_cond_signal(&b->cv);
		pthread_mutex_unlock(&b->mu);
		pthread_join(b->thread, NULL);
	}
	jobs_free(b->todo);
	jobs_free(b->done);
	pthread_mutex_destroy(&b->mu);
	pthread_cond_destroy(&b->cv);
	free(b);
	return NULL;
}

static void *builder_main(void *arg)
{
	struct builder *b = arg;

	pthread_mutex_lock(&b->mu);
	for (;;) {
		struct job *j;

		while (!b->todo && !b->stopping)
			pthread_cond_wait(&b->cv, &b->mu);
		if (b->stopping)
			break;
		j = b->todo;
		b->todo = j->next;
		pthread_mutex_unlock(&b->mu);
		j->err = unwind_table__build_fds(j->fd, j->debug_fd, &j->t);
		close(j->fd);
		if (j->debug_fd >= 0)
			close(j->debug_fd);
		j->fd = j->debug_fd = -1;
		pthread_mutex_lock(&b->mu);
		j->next = b->done;
		b->done = j;
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

int builder__queue(struct builder *b, int fd, int debug_fd, void *tag)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	if (!b->started) {
		if (pthread_create(&b->thread, NULL, builder_main, b)) {
			free(j);
			return -EAGAIN;
		}
		b->started = true;
	}
	j->fd = fd;
	j->debug_fd = debug_fd;
	j->tag = tag;
	pthread_mutex_lock(&b->mu);
	j->next = b->todo;
	b->todo = j;
	pthread_cond_signal(&b->cv);
	pthread_mutex_unlock(&b->mu);
	return 0;
}

size_t builder__collect(struct builder *b, builder_done_fn *fn, void *ctx)
{
	struct job *j;
	size_t n = 0;

	if (!b->started)
		return 0;
	pthread_mutex_lock(&b->mu);
	j = b->done;
	b->done = NULL;
	pthread_mutex_unlock(&b->mu);
	while (j) {
		struct job *next = j->next;

		fn(ctx, j->tag, j->t, j->err);
		free(j);
		j = next;
		n++;
	}
	return n;
}
