/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside sim/model/: the estimators model.c feeds while it reads events
 * (estimate.c) and the sample limits they keep to.
 */
#ifndef SCX_SIM_MODEL_ESTIMATE_H
#define SCX_SIM_MODEL_ESTIMATE_H

#include "sim/model/model.h"

/*
 * Fewer samples than this are no median (a busy trace seldom has a CPU go
 * idle); more than the maximum add nothing but memory.
 */
#define MAX_COST_SAMPLES	(1u << 16)
#define MIN_COST_SAMPLES	5
#define PREEMPT_PCT	50	/* the median */
/*
 * Remote preemptions whose median waits this share of a tick or more
 * waited for the tick, not an IPI: the recording kernel's preemption is
 * lazy (PREEMPT_LAZY sends no IPI; the tick upgrades the request). An IPI
 * takes microseconds (the build host: 25us), a lazy wait half a tick on
 * average (the 7.3 guest: 1.4-6ms at HZ=250).
 */
#define LAZY_TICK_SHARE	4	/* median >= tick / 4 */
/*
 * Tick spacing: gaps between runtime updates in hardirq context while one
 * task keeps its CPU. Shorter gaps are interrupt wakeups landing between
 * ticks (several updates per interrupt); longer ones a CPU without ticks.
 */
#define TICK_GAP_MIN	700000ull
#define TICK_GAP_MAX	50000000ull
#define MIN_TICK_SAMPLES	50
#define MAX_TICK_SAMPLES	(1u << 16)

/*
 * Make room for need size-byte items in the array *pp points at, zeroing
 * the new part: 0, or -1 with the array and *cap as they were.
 */
int model_grow(void *pp, uint32_t *cap, uint32_t need, size_t size);

/* A wakeup's cost of kind COST_* seen in the trace (remote: woken from
 * another CPU than its target). */
void estimate_cost_sample(struct model *m, int kind, bool remote, uint64_t ns);
/* A runtime update: in hardirq context on the running task, the tick. */
void estimate_tick_sample(struct model *m, const struct sched_event *ev);
/* sched_waking or sched_wakeup: the kernel's wakeup path, timed. */
void estimate_path_sample(struct model *m, const struct sched_event *ev);
/* At the model's end: wake_cost_ns, timer_cost_ns, preempt_cost_ns,
 * kernel_path_ns. */
void estimate_wake_costs(struct model *m);
/* At the model's end, after the tick: preempt_lazy. */
void estimate_preempt_model(struct model *m);
/* At the model's end: tick_ns and, for an uneven tick, tick_q. */
void estimate_tick(struct model *m);

#endif /* SCX_SIM_MODEL_ESTIMATE_H */
