/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Independent jobs on a few threads: a plain replay's policies, each one
 * engine run over the same read-only model.
 */
#ifndef SCX_SIM_POOL_H
#define SCX_SIM_POOL_H

#include <stddef.h>
#include <stdint.h>

/*
 * fn(ctx, i) for every i < n, on at most workers threads (the caller's
 * among them); returns when all are done. Jobs share nothing but what fn
 * makes of ctx. A thread that cannot be started leaves its share to the
 * others, so every job runs whatever the system allows.
 */
void pool_run(size_t n, uint32_t workers, void (*fn)(void *ctx, size_t i),
	      void *ctx);

#endif /* SCX_SIM_POOL_H */
