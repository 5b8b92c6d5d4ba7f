// SPDX-License-Identifier: GPL-2.0
/*
 * pool.h's jobs, handed out one at a time from a shared counter: the
 * jobs' lengths differ (lowlat on the scxlive host costs more than eevdf
 * on the kernel one), so no thread gets a fixed share.
 */
#include <pthread.h>

#include "sim/pool.h"

#define POOL_MAX	64

struct pool {
	pthread_mutex_t lock;
	size_t next, n;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
};

static void *worker(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&p->lock);
		i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (i == p->n)
			return NULL;
		p->fn(p->ctx, i);
	}
}

void pool_run(size_t n, uint32_t workers, void (*fn)(void *ctx, size_t i),
	      void *ctx)
{
	struct pool p = { .n = n, .fn = fn, .ctx = ctx };
	pthread_t th[POOL_MAX];
	uint32_t started = 0;

	pthread_mutex_init(&p.lock, NULL);
	if (workers > n)
		workers = (uint32_t)n;
	if (workers > POOL_MAX)
		workers = POOL_MAX;
	while (started + 1 < workers &&
	       !pthread_create(&th[started], NULL, worker, &p))
		started++;
	worker(&p);
	for (uint32_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.lock);
}
