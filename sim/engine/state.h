/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the replay engine: its state, shared by the event loop
 * (engine.c), the setup and end checks around it (setup.c) and the
 * scxlive host model (live_host.c). The hot
 * path (the heap, the hooks' callers) stays in engine.c, where the
 * compiler can inline it.
 */
#ifndef SCX_SIM_ENGINE_STATE_H
#define SCX_SIM_ENGINE_STATE_H

#include "sim/engine/engine.h"

/*
 * A replay's work is bounded by what it was given: a busy trace needs a few
 * events per burst (its slices, kicks and wakeups), so this many per burst,
 * edge and task is far more than any real trace asks (at most 9.3 over the
 * shipped traces, fixtures and corpus under all four policies); the floor
 * covers a lone CPU hog's slices, half an hour of them.
 * A replay that wants more is looping on a demand no recording could hold,
 * such as a task that ran for 1e8 s because one timestamp is wrong: it
 * stops and says so.
 */
#define EVENTS_PER_RECORD	256u
#define EVENTS_FLOOR		(1u << 20)
#define SLICE_DFL_NS	20000000ull	/* SCX_SLICE_DFL */
#define DISPATCH_LOOP	64

enum { EV_WAKE, EV_CHECK, EV_PICK, EV_HOST };
/* Up to this many CPUs, CHECK and PICK events wait in per-CPU slots. */
#define SLOT_CPUS	8
#define SLOT_DAEMON	(2 * SLOT_CPUS)
#define SLOT_BEAT	(SLOT_DAEMON + 1)
/* S_HELD: stopped at a wake edge until its wakee can take it (hold.c). */
enum { S_SLEEP, S_QUEUED, S_LOCAL, S_RUNNING, S_DONE, S_HELD };

struct event {
	uint64_t t;
	uint64_t seq;
	uint32_t kind;
	uint32_t id;
	uint32_t gen;
};

struct stask {
	uint64_t consumed;	/* CPU time into this burst, up to its run */
	uint64_t local_slice;
	uint32_t burst;
	uint32_t edge;		/* next wake edge to fire */
	uint64_t arrived_base;	/* its first burst in arrived[] */
	int32_t local_next;
	int32_t pin;
	uint8_t state;
	bool count_next;	/* the next switch-in is a measured delay */
	bool woke;		/* made runnable by a wakeup, not yet run */
	int32_t holders;	/* first task held on this one, or -1 */
	int32_t hold_next;	/* S_HELD: next task held on the same wakee */
	uint64_t runtime;	/* CPU time served, to metrics at the end */
};

struct vcpu {
	int32_t curr;
	int32_t last;		/* task that last left, and when */
	uint64_t last_stop;
	uint64_t since;
	uint64_t slice_end;
	uint32_t gen;		/* of the live CHECK */
	uint32_t check_gen;	/* gen when check_at was pushed */
	uint64_t check_at;	/* when the live CHECK falls */
	uint32_t pick_gen;	/* of the live PICK */
	bool pick_pending;
	int32_t lq_head, lq_tail;
	uint64_t tick_at;	/* its latest tick (uneven ticks only) */
	bool daemon;		/* scxlive's daemon holds it (curr is -1) */
};

struct engine {
	const struct model *m;
	const struct policy_ops *ops;
	void *st;
	struct policy_env env;
	uint64_t idle[POLICY_MASK_WORDS];
	struct engine_conf conf;
	struct engine_stats *stats;
	struct metrics *out;
	struct event *heap;
	size_t nheap, capheap;
	/* Each CPU's latest CHECK and PICK (CPU c: slot 2c, 2c + 1) while
	 * nr_cpus <= SLOT_CPUS, and the daemon's latest run end and
	 * heartbeat (SLOT_DAEMON, SLOT_BEAT), beside the heap; slot_mask:
	 * the slots held. */
	struct event slot[SLOT_BEAT + 1];
	uint32_t slot_mask;
	/* The superseded events a slot dropped, as far as they still matter:
	 * the latest of those not yet due (ghost_t, ghost_seq), and how many
	 * were dropped (for the event budget). */
	bool ghost;
	uint64_t ghost_t, ghost_seq;
	uint64_t ghosts;
	uint64_t seq;
	uint64_t now;
	uint64_t rng;
	uint32_t nr_cpus;
	struct stask *t;
	struct policy_task *pt;
	struct vcpu *cpu;
	uint8_t *arrived;
	uint32_t *nr_wakers;	/* per task: distinct tasks whose edges
				 * start its bursts */
	uint32_t *burst_waker;	/* per burst (arrived_base + b): the task
				 * whose edge starts it, or UINT32_MAX */
	int32_t waker_cpu;		/* CPU whose handler runs, or -1 */
	uint64_t rescue_switches;	/* switches at the last rescue */
	struct live_host *live;		/* the scxlive host, NULL: kernel */
	const struct engine_sink *sink;	/* conf.sink */
	uint32_t nr_runnable;		/* tasks woken and not yet blocked */
	int oom;
};

/* setup.c */
int engine_setup(struct engine *e, const struct policy_conf *pconf,
		 char *err, size_t errlen);
void engine_finish_checks(struct engine *e);
/* The heap ran dry with tasks queued: let idle CPUs ask once more. */
bool engine_rescue(struct engine *e);
/* Why a replay stopped at its event budget (a corrupt trace), into err. */
void engine_over_budget(struct engine *e, uint64_t popped, char *err,
			size_t errlen);
/* Count a broken promise; the first one is kept, with its task and time. */
void engine_violation(struct engine *e, const char *what, uint32_t ti);

/* engine.c */
/* Events still to come: in the heap, a slot, or superseded ones. */
static inline bool engine_pending(const struct engine *e)
{
	return e->nheap || e->slot_mask || e->ghost;
}
void engine_idle_set(struct engine *e, int32_t c, bool idle);
/* Make task ti's next burst due (a timer, an edge or the initial burst). */
void engine_next_burst(struct engine *e, uint32_t ti);
/* The steps a host model (live_host.c, the scxlive host) takes. */
void engine_push(struct engine *e, uint64_t t, uint32_t kind, uint32_t id,
		 uint32_t gen);
bool engine_is_idle(const struct engine *e, int32_t c);
uint64_t engine_rnd(struct engine *e);
int32_t engine_pick_idle(struct engine *e, int32_t prev);
void engine_want_pick(struct engine *e, int32_t c, uint64_t delay);
void engine_kick(struct engine *e, int32_t c, uint64_t cost);
void engine_lq_push(struct engine *e, int32_t c, uint32_t ti, uint64_t slice);
/* Take the task off CPU c, back to the host: it is still runnable. */
void engine_put_back(struct engine *e, int32_t c, uint32_t flags);
void engine_cpu_pick(struct engine *e, int32_t c);
void engine_run_task(struct engine *e, int32_t c, uint32_t ti, uint64_t slice);
/* The enqueue half of a wakeup: select_cpu, enqueue, kicks. */
void engine_wake_enqueue(struct engine *e, uint32_t ti, uint32_t flags,
			 bool timer, bool irq);
/* hold.c: wake edges that wait for their wakee to sleep. */
/*
 * A wakee woken by at least this many distinct tasks (setup.c counts them)
 * takes any of them that shares a program with the one it waits on: it
 * waits on a channel, not on one sender (hold.c). Measured over seeds
 * 1-5 with 4, 8, 12, 16 and 24 (see README): 16 and 24 gained, 4 lost.
 */
#define MANY_WAKERS	16
uint32_t engine_edge_target(const struct engine *e, uint32_t ti,
			    const struct wake_edge *we);
bool engine_hold_needed(const struct engine *e, uint32_t ti,
			const struct wake_edge *we);
void engine_hold(struct engine *e, uint32_t ti, const struct wake_edge *we);
void engine_release_holders(struct engine *e, uint32_t wakee);
bool engine_merge_next(struct engine *e, int32_t c, uint32_t ti);
/* timing.c: an idle CPU's wake cost of kind (a draw, or fixed). */
uint64_t engine_idle_cost(struct engine *e, int kind, uint64_t fixed);
/* How long until CPU c's next tick (after now). */
uint64_t engine_tick_wait(struct engine *e, int32_t c);
/* v's slice ends slice from now, on the next tick. */
void engine_set_slice(struct engine *e, struct vcpu *v, uint64_t slice);
void engine_schedule_check(struct engine *e, int32_t c);

#endif /* SCX_SIM_ENGINE_STATE_H */
