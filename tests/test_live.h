/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the live tests share: a fake pair of rings standing in for the
 * kernel (a message queue in, a bounded decision queue out) and a policy
 * that logs the hooks it is called with, so a test can check their order.
 */
#ifndef SCX_TESTS_TEST_LIVE_H
#define SCX_TESTS_TEST_LIVE_H

#include "live/dispatch.h"

#define FR_MAX	(LIVE_ROUND_MSGS + 512)

struct fake_ring {
	struct scxl_msg msgs[FR_MAX];
	uint32_t nr_msgs, next_msg;
	struct scxl_decision out[FR_MAX];
	uint32_t nr_out;
	uint32_t capacity;		/* decisions the ring takes before full */
	uint64_t now;
	uint64_t idle[SCXL_MASK_WORDS];
};

struct fake_ring *fr_new(void);
struct live_ring fr_ring(struct fake_ring *r);
/* A message of kind for pid, appended to the ring; fields a test may edit. */
struct scxl_msg *fr_msg(struct fake_ring *r, uint32_t kind, int32_t pid);
void fr_queue(struct fake_ring *r, int32_t pid, uint64_t seq, uint32_t flags);
/* A registered policy on 2 CPUs with room for max_tasks. */
void sched_init(struct live_sched *s, const char *policy, uint32_t max_tasks);

/*
 * A policy that logs its hooks: e(nqueue) d(ispatch) r(unning) s(topping)
 * x(exit), answers in arrival order, and keeps the last stopping's figures.
 */
struct recorder {
	char log[32];
	uint32_t n, head, tail;
	uint32_t q[8];
	uint32_t enq_flags;		/* of the last enqueue */
	int32_t run_cpu;		/* of the last running */
	uint64_t ran_ns;		/* of the last stopping */
	bool runnable;
};

extern const struct policy_ops recorder_ops;

#endif /* SCX_TESTS_TEST_LIVE_H */
