// SPDX-License-Identifier: GPL-2.0
/*
 * The replay's timing drawn from the trace: what waking an idle CPU costs
 * (a draw from the trace's own spread, when the model kept it) and when a
 * slice ends (on the trace's even or uneven tick). Apart from engine.c,
 * which asks these for every wakeup and every run.
 */
#include "sim/engine/state.h"

/* Uneven ticks are drawn one by one only across a few slices' worth. */
#define TICK_DRAWS_MAX		4096u

/*
 * What waking an idle CPU costs for a wakeup of `kind`: a draw from the
 * trace's quantiles of that kind, uniform between two neighbours (a
 * continuous spread, not 128 steps), or the fixed cost.
 */
uint64_t engine_idle_cost(struct engine *e, int kind, uint64_t fixed)
{
	const uint64_t *q = e->m->cost_q[kind];
	uint32_t n = e->m->cost_q_n[kind], i;
	uint64_t r;

	if (!(e->conf.costs_drawn & (1u << kind)) || !n)
		return fixed;
	r = engine_rnd(e);
	i = (uint32_t)(r % n);
	if (i + 1 >= n || q[i + 1] <= q[i])
		return q[i];
	return q[i] + (r >> 32) % (q[i + 1] - q[i]);
}

/*
 * The first tick of v at or after t when the trace's ticks came unevenly:
 * each CPU's ticks are spaced by draws from the trace's spacing, so a
 * used-up slice waits as long, on average and in its spread, as it did.
 */
static uint64_t uneven_tick(struct engine *e, struct vcpu *v, uint64_t t)
{
	const struct model *m = e->m;
	uint32_t draws = 0;

	while (v->tick_at < t) {
		uint64_t step = m->tick_q[engine_rnd(e) % m->tick_q_n];

		/*
		 * A slice far beyond the spread of ticks (or a zero spacing)
		 * would draw forever: land on t itself, as a tick there.
		 */
		if (++draws > TICK_DRAWS_MAX || !step) {
			v->tick_at = t;
			break;
		}
		v->tick_at += step;
	}
	return v->tick_at;
}

uint64_t engine_tick_wait(struct engine *e, int32_t c)
{
	uint64_t t = e->now + 1, tick = e->conf.tick_ns;

	if (e->conf.tick_from_trace && e->m->tick_q_n)
		return uneven_tick(e, &e->cpu[c], t) - e->now;
	if (!tick)
		return e->conf.preempt_cost_ns;
	return (t + tick - 1) / tick * tick - e->now;
}

void engine_set_slice(struct engine *e, struct vcpu *v, uint64_t slice)
{
	v->slice_end = e->now + (slice ? slice : SLICE_DFL_NS);
	/*
	 * A used-up slice is noticed at the next scheduler tick, as
	 * sched_ext's update_curr and the fair class without HRTICK do.
	 */
	if (e->conf.tick_from_trace && e->m->tick_q_n)
		v->slice_end = uneven_tick(e, v, v->slice_end);
	else if (e->conf.tick_ns)
		v->slice_end = (v->slice_end + e->conf.tick_ns - 1) /
			       e->conf.tick_ns * e->conf.tick_ns;
}
