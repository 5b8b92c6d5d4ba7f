/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dispatch queues for the policies with one shared order (fifo, vruntime,
 * lowlat): a global queue for tasks that may run anywhere, plus one queue
 * per CPU for tasks whose affinity is narrower than the machine.
 *
 * Every task is in at most one of them and all of them sort on the same
 * key (enqueue order, vtime or deadline), so a CPU that wants work compares
 * just two heads, its own queue's and the global one's: order is global,
 * yet dispatch(cpu) can never hand a CPU a task it is not allowed on, and
 * there is no scan. dispatch(POLICY_CPU_ANY) also looks at the per-CPU
 * heads, but only while some per-CPU queue is non-empty.
 *
 * struct dsq must be the first member of the policy's state block: its
 * arrays live in the same block at offsets chosen by dsq_layout(), which
 * keeps the block free of pointers (a host may copy it).
 */
#ifndef SCX_POLICY_DSQ_H
#define SCX_POLICY_DSQ_H

#include <stddef.h>
#include <stdint.h>

#include "policy/rq.h"

#define DSQ_GLOBAL	(-1)
#define DSQ_NONE	(-2)

struct dsq {
	uint32_t nr_cpus;
	uint32_t max_tasks;
	uint32_t nr_queued;	/* in every queue together */
	uint32_t nr_pcpu;	/* in per-CPU queues */
	uint64_t seq;		/* tie-break: insertion order */
	struct rq global;
	size_t off_pcpu, off_node, off_where;
};

/*
 * Place the arrays after a header of `hdr` bytes; returns the offset just
 * past them (where the policy may put its own per-task array).
 */
size_t dsq_layout(struct dsq *d, size_t hdr, uint32_t nr_cpus,
		  uint32_t max_tasks);
void dsq_init(struct dsq *d);
/* Queue id on cpu's queue, or the global one for DSQ_GLOBAL. */
void dsq_insert(struct dsq *d, uint32_t id, int32_t cpu, uint64_t key);
/* Drop id from whichever queue holds it; false if it was in none. */
bool dsq_remove(struct dsq *d, uint32_t id);
/*
 * Take the first task cpu may run (cpu == POLICY_CPU_ANY: the first task
 * anywhere). *from is the queue it came from (DSQ_GLOBAL or a CPU).
 * Returns RQ_NIL when there is nothing.
 */
uint32_t dsq_pop(struct dsq *d, int32_t cpu, int32_t *from);
/* Which queue holds id: DSQ_NONE, DSQ_GLOBAL or a CPU. */
int32_t dsq_where(const struct dsq *d, uint32_t id);
/* The key id was queued with (valid while queued). */
uint64_t dsq_key(const struct dsq *d, uint32_t id);

#endif /* SCX_POLICY_DSQ_H */
