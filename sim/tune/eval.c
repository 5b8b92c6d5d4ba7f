// SPDX-License-Identifier: GPL-2.0
/*
 * One configuration, judged: replay it on every trace and reduce the
 * results to the objective and the two constraints (see tune.h).
 *
 * The starvation check compares each task's longest wait with the bound
 * the policy states for the busiest moment of the replay (the most tasks
 * runnable at once), the task's weight and the tick a used-up slice may
 * overrun to, plus the host's measured wake and preemption costs: a wait
 * past that means the policy broke its own promise on this workload.
 */
#include <stdio.h>
#include <string.h>

#include "sim/report/metrics.h"
#include "sim/tune/tune.h"

static const char *const figure_names[] = {
	[FIG_P99] = "p99", [FIG_P90] = "p90", [FIG_P50] = "p50",
	[FIG_AVG] = "avg", [FIG_MAX] = "max",
};

const char *tune_figure_name(enum tune_figure fig)
{
	return figure_names[fig];
}

int tune_figure_parse(const char *s, enum tune_figure *fig)
{
	for (size_t i = 0; i < sizeof(figure_names) / sizeof(*figure_names);
	     i++)
		if (!strcmp(s, figure_names[i])) {
			*fig = (enum tune_figure)i;
			return 0;
		}
	return -1;
}

double tune_row_figure(const struct metrics_row *r, enum tune_figure fig)
{
	if (!r)
		return 0;
	switch (fig) {
	case FIG_P90:
		return (double)r->p90_ns;
	case FIG_P50:
		return (double)r->p50_ns;
	case FIG_AVG:
		return (double)r->avg_ns;
	case FIG_MAX:
		return (double)r->max_ns;
	default:
		return (double)r->p99_ns;
	}
}

bool tune_better(const struct tune_point *a, const struct tune_point *b)
{
	if (tune_ok(a) != tune_ok(b))
		return tune_ok(a);
	if (!tune_ok(a)) {	/* neither admissible: the nearer miss */
		double va = a->makespan + a->starve, vb = b->makespan + b->starve;

		if (va != vb)
			return va < vb;
	}
	if (a->objective != b->objective)
		return a->objective < b->objective;
	if (a->makespan != b->makespan)
		return a->makespan < b->makespan;
	return a->order < b->order;
}

/* The longest tick a used-up slice may wait for on this replay. */
static uint64_t replay_tick(const struct tune_trace *t)
{
	if (t->ec.tick_from_trace && t->m->tick_q_n)
		return t->m->tick_q[t->m->tick_q_n - 1];
	return t->ec.tick_ns;
}

/* Worst max delay / stated bound over the trace's tasks (0: no bound). */
static double starvation(const struct tune_opts *o, const struct tune_trace *t,
			 const struct policy_conf *conf, const struct result *res,
			 uint32_t peak_runnable)
{
	struct policy_bound_in in = { .nr_runnable = peak_runnable,
				      .tick_ns = replay_tick(t) };
	struct policy_conf c = *conf;
	double worst = 0;

	if (!o->ops->wait_bound)
		return 0;
	c.nr_cpus = t->ec.nr_cpus;
	c.max_tasks = t->m->nr_tasks;
	for (uint32_t i = 0; i < t->m->nr_tasks; i++)
		if (t->m->tasks[i].weight > in.max_weight)
			in.max_weight = t->m->tasks[i].weight;
	for (uint32_t i = 0; i < t->m->nr_tasks; i++) {
		const struct model_task *mt = &t->m->tasks[i];
		const struct metrics_row *r = result_task(res, mt->pid);
		uint64_t b;
		double ratio;

		if (!r || !r->count)
			continue;
		in.weight = mt->weight;
		/* a pinned task waits on its one CPU's share */
		in.nr_cpus = mt->pinned_cpu >= 0 ? 1 : t->ec.nr_cpus;
		b = o->ops->wait_bound(&c, &in);
		if (!b)
			return 0;
		ratio = (double)r->max_ns / (double)(b + t->bound_slack_ns);
		if (ratio > worst)
			worst = ratio;
	}
	return worst;
}

static int eval_one(const struct tune_opts *o, const struct tune_trace *t,
		    const struct policy_conf *conf, struct tune_point *p,
		    double *fig, char *err, size_t errlen)
{
	struct metrics *mt = metrics_new();
	struct engine_stats st;
	struct result *res;
	double starve;

	if (!mt) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (engine_run(t->m, o->ops, conf, &t->ec, mt, &st, err, errlen)) {
		metrics_free(mt);
		return -1;
	}
	res = metrics_finish_comms(mt, o->ops->name,
				   METRICS_PERF_ROWS | METRICS_NO_DIST,
				   (const char *const[]){ t->focus, t->busy },
				   2);
	metrics_free(mt);
	if (!res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	p->failed |= st.violations > 0;
	*fig = tune_row_figure(result_comm(res, t->focus), o->figure);
	if (t->busy && t->eevdf_done_ns) {
		const struct metrics_row *r = result_comm(res, t->busy);
		uint64_t done = r && r->done_ns > t->first_ts ?
				r->done_ns - t->first_ts : 0;
		double ms = done ? (double)done / (double)t->eevdf_done_ns : 0;

		if (ms > p->makespan)
			p->makespan = ms;
	}
	starve = starvation(o, t, conf, res, st.peak_runnable);
	if (starve > p->starve)
		p->starve = starve;
	result_free(res);
	return 0;
}

int tune_eval(const struct tune_opts *o, const struct tune_trace *tr,
	      uint32_t ntr, const struct policy_conf *conf,
	      struct tune_point *p, char *err, size_t errlen)
{
	double sum_rel = 0, sum_fig = 0;

	memset(p, 0, sizeof(*p));
	p->conf = *conf;
	for (uint32_t i = 0; i < ntr; i++) {
		double fig;

		if (eval_one(o, &tr[i], conf, p, &fig, err, errlen))
			return -1;
		sum_fig += fig;
		sum_rel += fig / (tr[i].def_figure > 1000 ? tr[i].def_figure :
				  1000);
	}
	p->objective = ntr ? sum_rel / ntr : 0;
	p->latency_ns = ntr ? sum_fig / ntr : 0;
	p->within = !o->within || p->makespan <= o->within;
	p->bounded = !o->check_bound || p->starve <= 1.0;
	return 0;
}
