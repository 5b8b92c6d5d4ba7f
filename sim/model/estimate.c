// SPDX-License-Identifier: GPL-2.0
/*
 * What the trace says about the machine, beside the workload: the wake
 * costs and the tick, sampled while the model is built and estimated once
 * at its end.
 *
 * The wake costs are the time from a wakeup aimed at an idle CPU to the
 * task's switch-in there, apart for a task's wakeup (an IPI to a sleeping
 * CPU) and a timer's (the CPU is already awake in its interrupt), kept as
 * a median and as quantiles of their spread, and the median
 * wakeup-to-preemption time of a kicked busy CPU. The tick is the
 * spacing of the scheduler tick's runtime updates.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/model/estimate.h"

static void push_sample(struct model *m, uint64_t **a, uint32_t *nr,
			uint32_t *cap, uint64_t ns)
{
	if (*nr >= MAX_COST_SAMPLES)
		return;
	if (model_grow(a, cap, *nr + 1, sizeof(uint64_t))) {
		m->oom = 1;
		return;
	}
	(*a)[(*nr)++] = ns;
}

void estimate_cost_sample(struct model *m, int kind, bool remote, uint64_t ns)
{
	push_sample(m, &m->cost[kind], &m->nr_cost[kind], &m->cap_cost[kind],
		    ns);
	if (kind == COST_PREEMPT)
		push_sample(m, &m->pre_side[remote], &m->nr_pre_side[remote],
			    &m->cap_pre_side[remote], ns);
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

/*
 * sched_waking and sched_wakeup of one task on one CPU bracket the same
 * stretch of try_to_wake_up() whatever the scheduler: the machine's speed.
 */
void estimate_path_sample(struct model *m, const struct sched_event *ev)
{
	if (ev->cpu < 0 || ev->cpu >= MODEL_PATH_CPUS || ev->pid <= 0)
		return;
	if (ev->type == SEV_WAKING) {
		m->path_pid[ev->cpu] = ev->pid;
		m->path_at[ev->cpu] = ev->ts;
	} else if (m->path_pid[ev->cpu] == ev->pid) {
		m->path_pid[ev->cpu] = 0;
		if (ev->ts >= m->path_at[ev->cpu])
			estimate_cost_sample(m, COST_PATH, false,
					     ev->ts - m->path_at[ev->cpu]);
	}
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Sort n samples ascending: an LSD radix sort by bytes, skipping the bytes
 * every sample shares (a wake cost in ns uses 3 or 4 of the 8). A busy
 * trace has hundreds of thousands of samples, and qsort()'s calls to the
 * comparison were 4% of reading it; any sort gives the same array.
 */
static void sort_u64(uint64_t *a, uint32_t n)
{
	uint32_t cnt[8][256] = { { 0 } };
	uint64_t *tmp, *src = a, *dst;

	if (n < 64 || !(tmp = malloc((size_t)n * sizeof(*tmp)))) {
		if (n)
			qsort(a, n, sizeof(*a), u64_cmp);
		return;
	}
	dst = tmp;
	for (uint32_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++)
			cnt[b][(a[i] >> (8 * b)) & 0xff]++;
	for (int b = 0; b < 8; b++) {
		uint32_t pos = 0, *c = cnt[b];
		uint64_t *t;

		if (c[(a[0] >> (8 * b)) & 0xff] == n)
			continue;	/* one value of this byte: no move */
		for (int v = 0; v < 256; v++) {
			uint32_t k = c[v];

			c[v] = pos;
			pos += k;
		}
		for (uint32_t i = 0; i < n; i++)
			dst[c[(src[i] >> (8 * b)) & 0xff]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, (size_t)n * sizeof(*a));
	free(tmp);
}

/* MODEL_COST_Q midpoint quantiles of n sorted samples into q. */
static uint32_t cost_quantiles(uint64_t *q, const uint64_t *sorted, uint32_t n)
{
	if (n < MIN_COST_SAMPLES)
		return 0;
	for (uint32_t i = 0; i < MODEL_COST_Q; i++)
		q[i] = sorted[(uint64_t)n * (2 * i + 1) / (2 * MODEL_COST_Q)];
	return MODEL_COST_Q;
}

/*
 * Sort the two idle kinds and their pool (both together); each kind keeps
 * its own quantiles when it has enough samples, else the pool's. The pool
 * is returned sorted in *pool (freed by the caller), its size in *np.
 */
static int idle_pool(struct model *m, uint64_t **pool, uint32_t *np)
{
	const int a = COST_WAKE, b = COST_TIMER, kinds[2] = { a, b };
	uint32_t n = m->nr_cost[a] + m->nr_cost[b];
	uint64_t *all = malloc((n + 1) * sizeof(uint64_t));
	uint64_t pq[MODEL_COST_Q];
	uint32_t pn;

	if (!all)
		return -1;
	if (m->nr_cost[a])	/* memcpy() and qsort() want a base even for 0 */
		memcpy(all, m->cost[a], m->nr_cost[a] * sizeof(uint64_t));
	if (m->nr_cost[b])
		memcpy(all + m->nr_cost[a], m->cost[b],
		       m->nr_cost[b] * sizeof(uint64_t));
	if (n)
		sort_u64(all, n);
	pn = cost_quantiles(pq, all, n);
	for (int i = 0; i < 2; i++) {
		int k = kinds[i];

		if (m->nr_cost[k])
			sort_u64(m->cost[k], m->nr_cost[k]);
		m->cost_q_n[k] = cost_quantiles(m->cost_q[k], m->cost[k],
						m->nr_cost[k]);
		if (!m->cost_q_n[k] && pn) {
			memcpy(m->cost_q[k], pq, sizeof(pq));
			m->cost_q_n[k] = pn;
		}
	}
	*pool = all;
	*np = n;
	return 0;
}

/*
 * Each kind's median when it has enough samples, else the median of its
 * pool, else a stated default: a busy trace seldom has a CPU go idle, and
 * two samples are no median. The quantiles beside them keep the spread.
 */
void estimate_wake_costs(struct model *m)
{
	uint64_t *med[2] = { &m->wake_cost_ns, &m->timer_cost_ns };
	uint32_t *cnt[2] = { &m->wake_cost_samples, &m->timer_cost_samples };
	uint64_t *all;
	uint32_t n;

	if (idle_pool(m, &all, &n)) {
		m->oom = 1;
		return;
	}
	for (int k = 0; k < 2; k++) {
		bool own = m->nr_cost[k] >= MIN_COST_SAMPLES;

		*med[k] = own ? m->cost[k][m->nr_cost[k] / 2] :
			  n >= MIN_COST_SAMPLES ? all[n / 2] :
			  MODEL_WAKE_COST_DFL;
		*cnt[k] = own ? m->nr_cost[k] : n >= MIN_COST_SAMPLES ? n : 0;
	}
	free(all);
	/* A preemption costs less than an idle exit: no stand-in for it. */
	n = m->nr_cost[COST_PREEMPT];
	if (n)
		sort_u64(m->cost[COST_PREEMPT], n);
	m->preempt_cost_ns = n >= MIN_COST_SAMPLES ?
			     m->cost[COST_PREEMPT][n * PREEMPT_PCT / 100] : 0;
	m->preempt_cost_samples = n >= MIN_COST_SAMPLES ? n : 0;
	n = m->nr_cost[COST_PATH];
	if (n)
		sort_u64(m->cost[COST_PATH], n);
	m->kernel_path_ns = n >= MIN_COST_SAMPLES ? m->cost[COST_PATH][n / 2] :
			    0;
	for (int k = 0; k < COST_KINDS; k++) {
		free(m->cost[k]);
		m->cost[k] = NULL;
	}
	for (int r = 0; r < 2; r++) {
		uint64_t *med_r = r ? &m->preempt_remote_ns : &m->preempt_local_ns;
		uint32_t *cnt_r = r ? &m->preempt_remote_samples :
				  &m->preempt_local_samples;

		n = m->nr_pre_side[r];
		if (n)
			sort_u64(m->pre_side[r], n);
		*med_r = n >= MIN_COST_SAMPLES ? m->pre_side[r][n / 2] : 0;
		*cnt_r = n >= MIN_COST_SAMPLES ? n : 0;
		free(m->pre_side[r]);
		m->pre_side[r] = NULL;
	}
}

/* After estimate_tick(): did remote preemptions wait for the tick? */
void estimate_preempt_model(struct model *m)
{
	uint64_t tick = m->tick_ns ? m->tick_ns : 4000000ull;

	m->preempt_lazy = m->preempt_remote_samples &&
			  m->preempt_remote_ns * LAZY_TICK_SHARE >= tick;
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
	sort_u64(m->tick_gap, n);
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
