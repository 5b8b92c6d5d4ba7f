// SPDX-License-Identifier: GPL-2.0
/*
 * What the trace says about the machine, beside the workload: the wake
 * costs and the tick, sampled while the model is built and estimated once
 * at its end.
 *
 * The wake costs are the median time from a wakeup aimed at an idle CPU to
 * the task's switch-in there, apart for a task's wakeup (an IPI to a
 * sleeping CPU) and a timer's (the CPU is already awake in its interrupt),
 * and the wakeup-to-preemption time of a kicked busy CPU. The tick is the
 * spacing of the scheduler tick's runtime updates.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/model/estimate.h"

void estimate_cost_sample(struct model *m, int kind, uint64_t ns)
{
	if (m->nr_cost[kind] >= MAX_COST_SAMPLES)
		return;
	if (model_grow(&m->cost[kind], &m->cap_cost[kind],
		       m->nr_cost[kind] + 1, sizeof(uint64_t))) {
		m->oom = 1;
		return;
	}
	m->cost[kind][m->nr_cost[kind]++] = ns;
}

/*
 * The tick's update_curr() runs in hardirq context on the running task:
 * while no switch intervenes, consecutive such updates are a tick apart
 * (or split by an interrupt wakeup, which the minimum gap filters out).
 */
void estimate_tick_sample(struct model *m, const struct sched_event *ev)
{
	uint64_t *at = &m->cpu_tick_at[ev->cpu], gap;

	if (!(ev->ctx & SEV_CTX_HARDIRQ) || ev->pid != ev->common_pid ||
	    ev->pid <= 0 || m->cpu_curr[ev->cpu] != ev->pid)
		return;
	gap = *at && ev->ts > *at ? ev->ts - *at : 0;
	*at = ev->ts;
	if (gap < TICK_GAP_MIN || gap > TICK_GAP_MAX ||
	    m->nr_tick_gap >= MAX_TICK_SAMPLES)
		return;
	if (model_grow(&m->tick_gap, &m->cap_tick_gap, m->nr_tick_gap + 1,
		       sizeof(uint64_t))) {
		m->oom = -1;
		return;
	}
	m->tick_gap[m->nr_tick_gap++] = gap;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Each kind's median when it has enough samples, else the median of both
 * kinds together, else a stated default: a busy trace seldom has a CPU go
 * idle, and two samples are no median.
 */
void estimate_wake_costs(struct model *m)
{
	uint32_t n = m->nr_cost[0] + m->nr_cost[1];
	uint64_t *all = malloc((n + 1) * sizeof(uint64_t)), both;
	uint64_t *med[2] = { &m->wake_cost_ns, &m->timer_cost_ns };
	uint32_t *cnt[2] = { &m->wake_cost_samples, &m->timer_cost_samples };

	if (!all) {
		m->oom = 1;
		return;
	}
	for (int k = 0; k < 2; k++) {
		if (m->nr_cost[k])
			memcpy(all + (k ? m->nr_cost[0] : 0), m->cost[k],
			       m->nr_cost[k] * sizeof(uint64_t));
		if (m->nr_cost[k])	/* qsort() wants a base even for 0 */
			qsort(m->cost[k], m->nr_cost[k], sizeof(uint64_t),
			      u64_cmp);
	}
	qsort(all, n, sizeof(uint64_t), u64_cmp);
	both = n >= MIN_COST_SAMPLES ? all[n / 2] : MODEL_WAKE_COST_DFL;
	for (int k = 0; k < 2; k++) {
		bool own = m->nr_cost[k] >= MIN_COST_SAMPLES;

		*med[k] = own ? m->cost[k][m->nr_cost[k] / 2] : both;
		*cnt[k] = own ? m->nr_cost[k] : n >= MIN_COST_SAMPLES ? n : 0;
		free(m->cost[k]);
		m->cost[k] = NULL;
	}
	free(all);
	/* A preemption costs less than an idle exit: no stand-in for it. */
	n = m->nr_cost[COST_PREEMPT];
	if (n)
		qsort(m->cost[COST_PREEMPT], n, sizeof(uint64_t), u64_cmp);
	m->preempt_cost_ns = n >= MIN_COST_SAMPLES ?
			     m->cost[COST_PREEMPT][n * PREEMPT_PCT / 100] : 0;
	m->preempt_cost_samples = n >= MIN_COST_SAMPLES ? n : 0;
	free(m->cost[COST_PREEMPT]);
	m->cost[COST_PREEMPT] = NULL;
}

/*
 * The median gap, snapped to a common HZ when within 10% of one (a real
 * machine's tick is exact; a TCG guest's drifts late and is kept as seen).
 */
void estimate_tick(struct model *m)
{
	static const uint64_t hz[] = { 100, 250, 300, 1000 };
	uint32_t n = m->nr_tick_gap;
	uint64_t med;
	bool common = false;

	if (n < MIN_TICK_SAMPLES)
		goto out;
	qsort(m->tick_gap, n, sizeof(uint64_t), u64_cmp);
	med = m->tick_gap[n / 2];
	for (size_t i = 0; i < sizeof(hz) / sizeof(hz[0]); i++) {
		uint64_t t = 1000000000ull / hz[i];

		if (med * 10 >= t * 9 && med * 10 <= t * 11) {
			med = t;
			common = true;
		}
	}
	if (!common) {
		for (uint32_t i = 0; i < MODEL_TICK_Q; i++)
			m->tick_q[i] = m->tick_gap[(uint64_t)n * (2 * i + 1) /
						   (2 * MODEL_TICK_Q)];
		m->tick_q_n = MODEL_TICK_Q;
	}
	m->tick_ns = med;
	m->tick_samples = n;
out:
	free(m->tick_gap);
	m->tick_gap = NULL;
}
