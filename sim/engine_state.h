/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the replay engine: its state and the few steps a host model (the
 * scxlive host, live_host.c) takes on it. Nothing outside sim/ sees this.
 */
#ifndef SCX_SIM_ENGINE_STATE_H
#define SCX_SIM_ENGINE_STATE_H

#include "sim/engine.h"

#define SLICE_DFL_NS	20000000ull	/* SCX_SLICE_DFL */
#define DISPATCH_LOOP	64

enum { EV_WAKE, EV_CHECK, EV_PICK, EV_HOST };
enum { S_SLEEP, S_QUEUED, S_LOCAL, S_RUNNING, S_DONE };

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
	uint64_t seq;
	uint64_t now;
	uint64_t rng;
	uint32_t nr_cpus;
	struct stask *t;
	struct policy_task *pt;
	struct vcpu *cpu;
	uint8_t *arrived;
	uint64_t rescue_switches;	/* switches at the last rescue */
	struct live_host *live;		/* the scxlive host, NULL: kernel */
	int oom;
};

/* engine.c: the steps a host model takes. */
void engine_push(struct engine *e, uint64_t t, uint32_t kind, uint32_t id,
		 uint32_t gen);
bool engine_is_idle(const struct engine *e, int32_t c);
void engine_idle_set(struct engine *e, int32_t c, bool idle);
uint64_t engine_rnd(struct engine *e);
int32_t engine_pick_idle(struct engine *e, int32_t prev);
void engine_want_pick(struct engine *e, int32_t c, uint64_t delay);
void engine_kick(struct engine *e, int32_t c, uint64_t cost);
void engine_lq_push(struct engine *e, int32_t c, uint32_t ti, uint64_t slice);
/* Take task ti off CPU c, back to the host while runnable if it is. */
void engine_preempt(struct engine *e, int32_t c);
void engine_cpu_pick(struct engine *e, int32_t c);

#endif /* SCX_SIM_ENGINE_STATE_H */
