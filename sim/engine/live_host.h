/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The scxlive host of a replay: the policy runs where scxlive runs it, in
 * a daemon that is itself a task. See live_host.c (the BPF side) and
 * live_daemon.c (the daemon) for what it models.
 * The engine calls these instead of the policy's hooks when its
 * engine_conf.live is set.
 */
#ifndef SCX_SIM_LIVE_HOST_H
#define SCX_SIM_LIVE_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "sim/model/live_cost.h"

struct engine;

/*
 * Every call the daemon makes into the policy, for a check that scxlive's
 * own adapter (live/dispatch.c) answers the same sequence the same way.
 */
enum live_hook {
	LH_SELECT,	/* task, cpu = prev_cpu, answer */
	LH_ENQUEUE,	/* task, answer = the CPU to kick */
	LH_FLUSH,	/* a dispatch loop begins; answer 1: the round's last */
	LH_DISPATCH,	/* dispatched, out */
	LH_RUNNING,	/* task, cpu */
	LH_STOPPING,	/* task, cpu, ran_ns, runnable */
	LH_EXIT,	/* task */
};

struct live_hook_rec {
	enum live_hook hook;
	uint64_t now;			/* env.now of the call */
	uint64_t idle[POLICY_MASK_WORDS];	/* env.idle */
	struct policy_task task;
	int32_t cpu;
	int32_t answer;
	uint64_t ran_ns;
	bool runnable;
	bool dispatched;
	struct policy_dispatch out;
};

/* 0, or -1 when out of memory. */
int live_host_new(struct engine *e, const struct live_cost *cost);
void live_host_free(struct engine *e);

/*
 * Task ti became runnable (woke: woke is true and pt->flags say how; or put
 * back while runnable).
 */
void live_host_ready(struct engine *e, uint32_t ti, bool woke);
/*
 * ops.dispatch of CPU c, whose local queue is empty, as bpf/scxlive.bpf.c
 * does it: true if it started a task on c (else what it placed on c's local
 * queue runs next; nothing there: c idles).
 */
bool live_host_dispatch(struct engine *e, int32_t c);
/*
 * The slice of c's task ran out, or a kick preempted it (which ends its
 * slice): ops.dispatch runs with the task still on the CPU; when that
 * finds nothing else waiting, the task keeps its CPU with its policy's
 * last slice, without ops.enqueue (so without the daemon); else it goes
 * back through ops.enqueue and what was found runs.
 */
void live_host_expire(struct engine *e, int32_t c);
/* CPU c goes idle: an idle CPU woken while c worked may run sooner. */
void live_host_idles(struct engine *e, int32_t c);
void live_host_running(struct engine *e, uint32_t ti, int32_t c);
void live_host_stopping(struct engine *e, uint32_t ti, int32_t c,
			uint64_t ran_ns, bool runnable);
void live_host_exit(struct engine *e, uint32_t ti);
/* An EV_HOST event for CPU c came due (the daemon's run end, the heartbeat). */
void live_host_event(struct engine *e, int32_t c, uint32_t gen);

#endif /* SCX_SIM_LIVE_HOST_H */
