/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space half of scxlive: turns kernel messages into policy hooks
 * and policy answers into decisions, behind a two-function ring interface so
 * it runs the same against the BPF ring buffers and against a test's fake.
 */
#ifndef SCX_LIVE_DISPATCH_H
#define SCX_LIVE_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf/intf.h"
#include "live/taskmap.h"
#include "policy/policy.h"

#define LIVE_PENDING_MAX	256	/* decisions held while the ring is full */
#define LIVE_ROUND_MSGS		1024	/* messages per round before answering */

struct live_ring {
	void *ctx;
	/* The next kernel message: 1 and *m filled, 0 when there is none. */
	int (*pop)(void *ctx, struct scxl_msg *m);
	/* Hand a decision to the kernel: 0, or -ENOSPC when the ring is full. */
	int (*push)(void *ctx, const struct scxl_decision *d);
	/* ns on the clock the messages' timestamps use (CLOCK_MONOTONIC). */
	uint64_t (*now)(void *ctx);
	/*
	 * The same clock for the stamps decisions carry (when the daemon read
	 * the enqueue, when it answered: bpf/intf.h), or NULL for no stamps;
	 * apart from now() so a replay can feed now() one value per flush.
	 */
	uint64_t (*stamp)(void *ctx);
	/* Idle CPUs as the kernel sees them (may change under us), or NULL. */
	const volatile uint64_t *idle;
};

/* What the daemon saw; printed with the kernel's counters. */
struct live_stats {
	uint64_t msgs;
	uint64_t enqueues;		/* policy enqueue() calls */
	uint64_t requeued;		/* enqueued again while still queued */
	uint64_t dispatched;		/* decisions pushed */
	uint64_t kicks;			/* preemptions of busy CPUs asked for */
	uint64_t bad_cpu;		/* dispatch CPU not allowed: made "any" */
	uint64_t bad_select;		/* select_cpu answered a CPU not allowed */
	uint64_t bad_id;		/* policy dispatched an id not queued */
	uint64_t congested;		/* push found the ring full */
	uint64_t evicted;		/* slots reclaimed: exit late or lost */
	uint64_t unknown;		/* RUNNING/STOPPING/EXIT of no slot */
	uint64_t slotless;		/* queued with every slot taken: sent on */
	uint64_t ran_early;		/* ran before the policy dispatched it */
	uint64_t replayed;		/* lost RUNNING/STOPPING hooks replayed */
	uint64_t dropped;		/* answers with no room (a bug if > 0) */
};

struct live_sched {
	const struct policy_ops *ops;
	void *pst;			/* the policy's state block */
	uint32_t nr_cpus;
	struct live_taskmap map;
	struct policy_task task;	/* scratch, refilled per hook */
	uint64_t idle[POLICY_MASK_WORDS];
	uint64_t kick_mask[POLICY_MASK_WORDS];
	uint64_t last_ts;
	uint64_t last_vtime;		/* of the latest decision: a frontier */
	const struct live_ring *ring;	/* of the round in progress, or NULL */
	struct scxl_decision pending[LIVE_PENDING_MAX];
	uint32_t nr_pending;
	struct live_stats st;
};

/* Allocate the policy's state and the task map: the only allocations. */
int live_sched_init(struct live_sched *s, const struct policy_ops *ops,
		    const struct policy_conf *conf);
void live_sched_free(struct live_sched *s);

/* Run the hooks one kernel message asks for. */
void live_sched_handle(struct live_sched *s, const struct scxl_msg *m);

/*
 * Ask the policy for work (dispatch(POLICY_CPU_ANY) until it has none) and
 * push the answers, then the kicks enqueue() asked for. When the ring is
 * full the answer is held and retried first next time. Returns the number
 * of decisions pushed.
 */
uint32_t live_sched_flush(struct live_sched *s, const struct live_ring *ring);

/*
 * One round: the messages the ring holds (at most LIVE_ROUND_MSGS, so a
 * flood of messages cannot hold every answer back), then a flush.
 */
uint32_t live_sched_run(struct live_sched *s, const struct live_ring *ring);

#endif /* SCX_LIVE_DISPATCH_H */
