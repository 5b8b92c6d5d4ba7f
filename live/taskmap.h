/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pid -> task id slots for the live host. A policy names tasks by a small
 * id (< max_tasks) it indexes its own arrays with; the kernel names them by
 * pid. The map hands out ids, keeps the pid's cpumask and enqueue sequence
 * number next to it, and recycles ids when tasks exit. All memory is
 * allocated once at init: the dispatch loop never allocates.
 */
#ifndef SCX_LIVE_TASKMAP_H
#define SCX_LIVE_TASKMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"

struct live_slot {
	int32_t pid;			/* 0: free */
	bool queued;			/* the policy holds it, undispatched */
	uint32_t nr_cpus_allowed;
	uint64_t seq;			/* newest enqueue sequence number */
	uint64_t uid;			/* the kernel's task uid for this pid */
	uint64_t last_seen;		/* message timestamp, for eviction */
	uint64_t read_ts;		/* when its newest enqueue was read */
	uint64_t cpus_allowed[POLICY_MASK_WORDS];
};

struct live_taskmap {
	uint32_t max_tasks;
	uint32_t nr_used;
	uint32_t hash_mask;		/* hash has hash_mask + 1 buckets */
	int32_t *hash;			/* bucket -> id, -1 empty */
	uint32_t *free_ids;		/* stack of free ids */
	uint32_t nr_free;
	struct live_slot *slots;	/* by id */
};

int live_taskmap_init(struct live_taskmap *m, uint32_t max_tasks);
void live_taskmap_free(struct live_taskmap *m);
/* The id of pid, or -1. */
int32_t live_taskmap_find(const struct live_taskmap *m, int32_t pid);
/* The id of pid, taking a free one if it has none; -1 when full. */
int32_t live_taskmap_get(struct live_taskmap *m, int32_t pid, bool *created);
/* Forget pid's slot; its id becomes free. */
void live_taskmap_put(struct live_taskmap *m, uint32_t id);
/*
 * The id of the least recently seen task the policy does not hold queued,
 * the one to evict when the map is full (its exit was lost); -1 if none.
 */
int32_t live_taskmap_oldest_idle(const struct live_taskmap *m);

#endif /* SCX_LIVE_TASKMAP_H */
