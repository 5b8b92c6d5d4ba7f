/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay engine: N virtual CPUs serving a workload model under a policy.
 *
 * A discrete-event simulation with one binary heap of timed events (a timer
 * wakeup, a CPU's next checkpoint, a CPU asked to pick work). The policy's
 * hooks are called in the order sched_ext calls them; delays and runtimes go
 * into a struct metrics exactly as the recorded trace's do, so a replay and
 * `recorded` are compared figure by figure.
 *
 * The engine checks its own bookkeeping as it runs (conservation): a task
 * never on two CPUs, never run before it was made runnable, CPU time served
 * equal to the demand of the bursts, every wakeup served by the end.
 */
#ifndef SCX_SIM_ENGINE_H
#define SCX_SIM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "sim/report/metrics.h"
#include "sim/model/model.h"

struct live_cost;
struct live_hook_rec;
/*
 * What the replay did, step by step, for whoever watches (a timeline, the
 * explain tool). Times are the engine's (ns since the trace's first event).
 */
enum engine_step_kind {
	STEP_WAKE,	/* task made runnable after a sleep (or first time) */
	STEP_RUN,	/* task switched in on cpu */
	STEP_STOP,	/* task left cpu: blocked, preempted or slice expired */
	STEP_EXIT,	/* task finished its last burst */
};

enum engine_stop_why { STOP_BLOCK, STOP_EXPIRE, STOP_PREEMPT };

struct engine_step {
	uint8_t kind;		/* enum engine_step_kind */
	uint8_t why;		/* STOP: enum engine_stop_why */
	bool runnable;		/* STOP: still runnable */
	bool switched;		/* RUN: not a re-pick on the CPU it just left */
	bool counted;		/* WAKE: its delay is measured */
	bool fork;		/* WAKE: a new task's first wakeup */
	bool irq;		/* WAKE: by a timer or interrupt */
	int32_t cpu;		/* RUN/STOP: the CPU; WAKE: the waker's, or -1 */
	int32_t target;		/* WAKE: CPU chosen for it, -1: none idle */
	uint32_t task;		/* model task index */
	uint64_t now;
};

struct engine_sink {
	void (*step)(void *ctx, const struct engine_step *s);
	void *ctx;
};

struct engine_conf {
	uint32_t nr_cpus;		/* 0: the trace's */
	uint64_t wake_cost_ns;		/* idle CPU to running: IPI + idle exit */
	uint64_t timer_cost_ns;		/* the same when a timer/irq woke it */
	uint64_t preempt_cost_ns;	/* kick to switch on a busy CPU */
	/*
	 * Lazy preemption (PREEMPT_LAZY, for a policy of the fair class on
	 * the kernel host): a kick of a busy CPU from another CPU's handler
	 * waits for that CPU's next tick; any other costs preempt_cost_ns.
	 */
	bool preempt_lazy;
	uint32_t costs_drawn;		/* 1 << COST_WAKE / COST_TIMER: that
					 * kind's cost is drawn per wakeup
					 * from the model's quantiles, not
					 * the fixed cost above */
	uint64_t tick_ns;		/* slices end on this grid; 0: exact */
	bool tick_from_trace;		/* ... or on the trace's uneven ticks,
					 * when the model kept their spread */
	bool timer_relative;		/* timers keep sleep length, not time */
	uint64_t seed;			/* tie-break among idle CPUs */
	/*
	 * The host: NULL replays the kernel host (decisions take no time);
	 * else scxlive, whose daemon takes each decision at these costs.
	 */
	const struct live_cost *live;
	/* scxlive host: told of every policy call its daemon makes. */
	void (*hook_log)(void *ctx, const struct live_hook_rec *r);
	void *hook_ctx;
	const struct engine_sink *sink;	/* NULL: nobody watches (no cost) */
};

struct engine_stats {
	uint64_t events;		/* heap events processed */
	uint64_t hooks;			/* policy hooks called */
	uint64_t wakeups;		/* tasks made runnable */
	uint64_t served;		/* of those, switched in */
	uint64_t switches;		/* switch-ins */
	uint64_t preemptions;		/* kicks that took a CPU */
	uint64_t expiries;		/* slices that ran out */
	uint64_t demand_ns;		/* sum of burst demand in the model */
	uint64_t served_ns;		/* CPU time given to tasks */
	uint64_t busy_ns;
	uint64_t end_ns;		/* when the last task finished */
	uint64_t unfinished;		/* bursts never completed */
	uint64_t rescues;		/* idle CPUs woken because the policy
					 * left work queued with none running */
	uint64_t holds;			/* wakers held at an edge until their
					 * wakee slept (hold.c) */
	uint64_t merges;		/* bursts read on at once (scxlive host:
					 * engine_merge_next()) */
	uint64_t bad_dispatch;		/* dispatches of tasks not queued */
	uint64_t violations;		/* conservation failures */
	/* The scxlive host only: its daemon and the BPF side's paths. */
	uint64_t daemon_runs;		/* times it got a CPU */
	uint64_t daemon_ns;		/* CPU time it took */
	uint64_t daemon_msgs;		/* enqueues it was told of */
	uint64_t daemon_preempts;	/* runs that took a busy CPU */
	uint64_t bpf_fast;		/* lone task run on an idling CPU */
	uint64_t bpf_kernel;		/* per-CPU kthreads, no daemon */
	uint64_t bpf_congested;		/* ring full: kernel-side queue */
	uint64_t bpf_rescued;		/* starving in the shared queue */
	uint64_t cancelled;		/* stale decisions dropped */
	uint32_t peak_runnable;		/* most tasks runnable at once (for
					 * a policy's starvation bound) */
	char first_violation[160];
	double seconds;			/* engine wall time */
};

/* engine_run()'s answer when the model itself cannot be replayed. */
#define ENGINE_EINPUT	(-2)

/*
 * Replay model m under ops/pconf on ec->nr_cpus CPUs; delays, runtimes,
 * comms and exits go to out (times on the trace clock). 0 on success; -1
 * with a message in err when the host failed (out of memory, policy init
 * failed); ENGINE_EINPUT when the model asks for more work than its size
 * can explain (a corrupt trace), with the reason in err.
 */
int engine_run(const struct model *m, const struct policy_ops *ops,
	       const struct policy_conf *pconf, const struct engine_conf *ec,
	       struct metrics *out, struct engine_stats *st,
	       char *err, size_t errlen);

#endif /* SCX_SIM_ENGINE_H */
