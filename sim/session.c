// SPDX-License-Identifier: GPL-2.0
/*
 * Reading a trace into a session (session.h): one pass feeds every event
 * to the recorded accounting and to the model; then the report's header
 * and the engine configuration are derived from what the trace measured
 * and what the options overrode.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/session.h"

#define PROGRESS_EVERY	(1u << 20)
/* Recorded and simulated results keep the same rows: perf's. */
#define ROW_FLAGS	METRICS_PERF_ROWS

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_trace(struct session *s, char *err, size_t errlen)
{
	bool tty = isatty(2);
	double t0 = now_s();
	struct sched_event ev;
	uint64_t n = 0;
	int ret;

	while ((ret = trace_next(s->tr, &ev)) == 1) {
		recorded_event(s->rec, trace_info(s->tr), &ev);
		if (model_add(s->m, &ev)) {
			snprintf(err, errlen, "out of memory after %" PRIu64
				 " events", n);
			return 1;
		}
		if (!(++n % PROGRESS_EVERY) && tty && now_s() - t0 > 1)
			fprintf(stderr, "\rscxsim: %s: %" PRIu64 "M events "
				"read", s->path, n >> 20);
	}
	if (tty && n >= PROGRESS_EVERY)
		fprintf(stderr, "\r\033[K");
	s->read_s = now_s() - t0;
	if (ret < 0)
		return snprintf(err, errlen, "%s", trace_error(s->tr)), 2;
	if (!trace_info(s->tr)->events)
		return snprintf(err, errlen, "no scheduler events in the "
				"trace"), 2;
	return 0;
}

/* The CPU time each task used in the trace, whatever perf can tell. */
static struct result *observed(const struct model *m)
{
	struct metrics *mt = metrics_new();
	struct result *res;

	if (!mt)
		return NULL;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		metrics_comm(mt, m->tasks[i].pid, m->tasks[i].comm);
		metrics_runtime(mt, m->tasks[i].pid,
				model_demand_task(&m->tasks[i]));
	}
	res = metrics_finish(mt, "observed", 0);
	metrics_free(mt);
	return res;
}

/*
 * What every report says about the replay besides the runs: the trace, the
 * CPUs, and each cost and the tick, measured or set by an option.
 */
static int describe(struct session *s, const struct session_opts *o,
		    char *err, size_t errlen)
{
	const struct trace_info *info = trace_info(s->tr);
	const struct model *m = s->m;
	struct report *rep = &s->rep;

	rep->path = s->path;
	rep->format = info->format ? info->format : "unknown";
	rep->kernel_release = info->release;
	rep->trace_cpus = info->cpus ? info->cpus : m->nr_cpus;
	rep->sim_cpus = o->cpus ? o->cpus : rep->trace_cpus;
	if (!rep->sim_cpus)
		rep->sim_cpus = 1;
	if (rep->sim_cpus > POLICY_MAX_CPUS)
		return snprintf(err, errlen, "%u CPUs: at most %d can be "
				"replayed", rep->sim_cpus, POLICY_MAX_CPUS), 2;
	rep->events = info->events;
	rep->lost_events = info->lost_events;
	rep->first_ts = m->first_ts;
	rep->duration_ns = m->duration_ns;
	rep->seed = o->seed;
	rep->tick_ns = o->tick_set || !m->tick_ns ? o->tick : m->tick_ns;
	rep->tick_uneven = !o->tick_set && m->tick_q_n == MODEL_TICK_Q;
	if (rep->tick_uneven) {
		rep->tick_lo_ns = m->tick_q[MODEL_TICK_Q / 10];
		rep->tick_hi_ns = m->tick_q[MODEL_TICK_Q - 1 - MODEL_TICK_Q / 10];
	}
	rep->timer_relative = o->relative;
	rep->wake_cost_ns = o->wake_cost >= 0 ? (uint64_t)o->wake_cost :
			    m->wake_cost_ns;
	rep->wake_cost_samples = o->wake_cost >= 0 ? 0 : m->wake_cost_samples;
	rep->timer_cost_ns = o->timer_cost >= 0 ? (uint64_t)o->timer_cost :
			     m->timer_cost_ns;
	rep->timer_cost_samples = o->timer_cost >= 0 ? 0 :
				  m->timer_cost_samples;
	rep->preempt_cost_ns = o->preempt_cost >= 0 ?
			       (uint64_t)o->preempt_cost : m->preempt_cost_ns;
	rep->preempt_cost_samples = o->preempt_cost >= 0 ? 0 :
				    m->preempt_cost_samples;
	rep->preempt_cost_set = o->preempt_cost >= 0;
	rep->kernel_path_ns = m->kernel_path_ns;
	rep->preempt_model_set = o->preempt_model >= 0;
	rep->preempt_lazy = o->preempt_model >= 0 ?
			    o->preempt_model == PREEMPT_MODEL_LAZY :
			    m->preempt_lazy;
	rep->preempt_local_ns = m->preempt_local_ns;
	rep->preempt_local_samples = m->preempt_local_samples;
	rep->preempt_remote_ns = m->preempt_remote_ns;
	rep->preempt_remote_samples = m->preempt_remote_samples;
	rep->wake_cost_set = o->wake_cost >= 0;
	rep->timer_cost_set = o->timer_cost >= 0;
	rep->observed = observed(m);
	if (!rep->observed)
		return snprintf(err, errlen, "out of memory"), 1;
	s->ec = (struct engine_conf){
		.nr_cpus = rep->sim_cpus,
		.wake_cost_ns = rep->wake_cost_ns,
		.timer_cost_ns = rep->timer_cost_ns,
		.preempt_cost_ns = rep->preempt_cost_ns,
		.preempt_lazy = rep->preempt_lazy,
		/* What no option fixed is drawn from the trace's spread. */
		.costs_drawn = (o->wake_cost < 0 ? 1u << COST_WAKE : 0) |
			       (o->timer_cost < 0 ? 1u << COST_TIMER : 0),
		.tick_ns = rep->tick_ns,
		.tick_from_trace = !o->tick_set,
		.timer_relative = o->relative,
		.seed = o->seed,
	};
	return 0;
}

/*
 * perf's Runtime comes from sched_stat_runtime; a trace without it would
 * show 0 for everyone. Show the CPU time its switches show, and say so
 * (header, JSON trace.runtime_source).
 */
static void runtime_fallback(struct session *s)
{
	if (!s->runs[0].res->total.runtime_ns && s->rep.observed) {
		result_take_runtime(s->runs[0].res, s->rep.observed);
		s->rep.runtime_from_switches = true;
	}
}

int session_open(struct session *s, const char *path,
		 const struct session_opts *o, char *err, size_t errlen)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->rep.runs = s->runs;
	s->tr = trace_open(path, err, errlen);
	if (!s->tr)
		return 2;
	s->m = model_new();
	s->rec = recorded_new();
	ret = !s->m || !s->rec ? (snprintf(err, errlen, "out of memory"), 1) :
	      read_trace(s, err, errlen);
	if (!ret && model_finish(s->m))
		ret = (snprintf(err, errlen, "out of memory"), 1);
	if (!ret)
		ret = describe(s, o, err, errlen);
	if (!ret) {
		s->runs[0].policy = "recorded";
		s->runs[0].res = recorded_finish(s->rec, trace_info(s->tr),
						 ROW_FLAGS);
		if (!s->runs[0].res)
			ret = (snprintf(err, errlen, "out of memory"), 1);
		else
			runtime_fallback(s);
		s->rep.nruns = 1;
	}
	if (ret)
		session_close(s);
	return ret;
}

void session_close(struct session *s)
{
	for (size_t i = 0; i < s->rep.nruns; i++)
		result_free(s->runs[i].res);
	s->rep.nruns = 0;
	free(s->rep.show);
	s->rep.show = NULL;
	if (s->rep.observed)
		result_free(s->rep.observed);
	s->rep.observed = NULL;
	recorded_free(s->rec);
	s->rec = NULL;
	model_free(s->m);
	s->m = NULL;
	trace_close(s->tr);
	s->tr = NULL;
}

/* "6.19.2-amd64" -> true: kernels from 6.19 run the NEXT_BUDDY rework. */
static bool release_has_next_buddy(const char *rel, bool *known)
{
	unsigned int major, minor;

	*known = sscanf(rel, "%u.%u", &major, &minor) == 2;
	return *known && (major > 6 || (major == 6 && minor >= 19));
}

const char *session_auto_params(const struct session *s,
				const struct policy_ops *ops,
				struct policy_conf *conf, bool keep)
{
	static const char *const why[2] = {
		"next_buddy=0, its model of 6.6-6.18, as the recording kernel",
		"next_buddy=1, its model of 6.19+, as the recording kernel",
	};
	bool known, nb;

	if (keep || strcmp(ops->name, "eevdf"))
		return NULL;
	nb = release_has_next_buddy(s->rep.kernel_release, &known);
	if (!known || policy_conf_set(conf, ops, nb ? "next_buddy=1" :
				      "next_buddy=0", NULL))
		return NULL;	/* unknown kernel, or no such parameter */
	return why[nb];
}
