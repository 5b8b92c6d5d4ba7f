// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's run: the options (options.c), one pass over the trace, one
 * replay per policy, then the reports.
 *
 * The trace is read exactly once: every event goes both to the `recorded`
 * accounting (what the kernel did, as perf sched latency measures it) and
 * to the workload model; the model is then replayed under each policy.
 * Output files are written whole or not at all (temporary file + rename).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/engine/engine.h"
#include "sim/model/live_measure.h"
#include "sim/model/model.h"
#include "sim/options.h"
#include "sim/report/metrics.h"
#include "sim/report/recorded.h"
#include "sim/report/report.h"
#include "sim/trace/trace.h"

/* Recorded and simulated results keep the same rows: perf's. */
#define ROW_FLAGS	METRICS_PERF_ROWS

/* "6.19.2-amd64" -> true: kernels from 6.19 run the NEXT_BUDDY rework. */
static bool release_has_next_buddy(const char *rel, bool *known)
{
	unsigned int major, minor;

	*known = sscanf(rel, "%u.%u", &major, &minor) == 2;
	return *known && (major > 6 || (major == 6 && minor >= 19));
}

/*
 * eevdf models two kernel generations; unless -p chose one, replay the one
 * that recorded the trace, so the comparison with `recorded` is fair.
 */
static void pick_eevdf_variant(struct cli *c, const char *release)
{
	static char why[160];
	bool known, nb = release_has_next_buddy(release, &known);

	for (size_t i = 0; i < c->npol; i++) {
		struct sim_policy *sp = &c->pol[i];

		if (strcmp(sp->ops->name, "eevdf"))
			continue;
		for (size_t k = 0; k < c->nparams; k++)
			if (!strncmp(c->params[k], "eevdf.next_buddy=", 17))
				return;
		if (!known)
			return;
		if (policy_conf_set(&sp->conf, sp->ops, nb ? "next_buddy=1" :
				    "next_buddy=0", NULL))
			return;	/* a policy without the parameter */
		snprintf(why, sizeof(why), "next_buddy=%d, its model of %s, "
			 "as the recording kernel", nb, nb ? "6.19+" :
			 "6.6-6.18");
		sp->auto_param = why;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass: every event to the recorded accounting and to the model. */
static int read_trace(struct cli *c, struct trace_reader *tr, struct model *m,
		      struct recorded *rec)
{
	bool tty = isatty(2);
	double t0 = now_s();
	struct sched_event ev;
	uint64_t n = 0;
	int ret;

	while ((ret = trace_next(tr, &ev)) == 1) {
		recorded_event(rec, trace_info(tr), &ev);
		if (model_add(m, &ev))
			return cli_fail_sys(c->path, "out of memory after %" PRIu64
				    " events", n);
		if (!(++n % PROGRESS_EVERY) && tty && now_s() - t0 > 1)
			fprintf(stderr, "\rscxsim: %s: %" PRIu64 "M events "
				"read", c->path, n >> 20);
	}
	if (tty && n >= PROGRESS_EVERY)
		fprintf(stderr, "\r\033[K");
	c->read_s = now_s() - t0;
	if (ret < 0)
		return cli_fail_read(c->path, trace_error(tr));
	if (!trace_info(tr)->events)
		return cli_fail(c->path, "no scheduler events in the trace");
	return 0;
}

static int replay(struct cli *c, const struct model *m, struct report *rep)
{
	struct engine_conf ec = {
		.nr_cpus = rep->sim_cpus,
		.wake_cost_ns = rep->wake_cost_ns,
		.timer_cost_ns = rep->timer_cost_ns,
		.preempt_cost_ns = rep->preempt_cost_ns,
		.tick_ns = rep->tick_ns,
		.tick_from_trace = !c->tick_set,
		.timer_relative = c->relative,
		.seed = c->seed,
	};
	char err[256];
	int ret;

	for (size_t i = 0; i < c->npol; i++) {
		struct report_run *run = &rep->runs[rep->nruns];
		struct metrics *mt = metrics_new();

		if (!mt)
			return cli_fail_sys(c->path, "out of memory");
		if (isatty(2) && m->nr_bursts > 1000000)
			fprintf(stderr, "\rscxsim: replaying under %s...",
				c->pol[i].ops->name);
		/* eevdf models the kernel itself: it is never a daemon's */
		run->host = c->host && !strcmp(c->host, "kernel") ? "kernel" :
			    !strcmp(c->pol[i].ops->name, "eevdf") ? "kernel" :
			    "scxlive";
		ec.live = strcmp(run->host, "scxlive") ? NULL : &c->live;
		ret = engine_run(m, c->pol[i].ops, &c->pol[i].conf, &ec, mt,
				 &run->stats, err, sizeof(err));
		if (ret) {
			metrics_free(mt);
			if (ret == ENGINE_EINPUT)
				return cli_fail(c->path, "%s", err);
			return cli_fail_sys(c->pol[i].ops->name, "%s", err);
		}
		if (isatty(2) && m->nr_bursts > 1000000)
			fprintf(stderr, "\r\033[K");
		run->policy = c->pol[i].ops->name;
		run->simulated = true;
		run->ops = c->pol[i].ops;
		run->conf = &c->pol[i].conf;
		run->auto_param = c->pol[i].auto_param;
		run->res = metrics_finish(mt, run->policy, ROW_FLAGS);
		metrics_free(mt);
		if (!run->res)
			return cli_fail_sys(c->path, "out of memory");
		rep->nruns++;
		if (run->stats.violations)
			fprintf(stderr, "scxsim: %s: replay under %s failed "
				"%" PRIu64 " conservation checks, first: %s\n",
				c->path, run->policy, run->stats.violations,
				run->stats.first_violation);
	}
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

/* --timing: what a benchmark needs, on stderr so outputs stay clean. */
static void print_timing(const struct cli *c, const struct model *m,
			 const struct report *rep)
{
	struct rusage ru;

	fprintf(stderr, "scxsim: timing: read %" PRIu64 " events in %.3fs; "
		"model %u tasks, %" PRIu64 " bursts, %" PRIu64 " wake edges\n",
		rep->events, c->read_s, m->nr_tasks, m->nr_bursts,
		m->nr_edges);
	for (size_t k = 1; k < rep->nruns; k++) {
		const struct engine_stats *st = &rep->runs[k].stats;

		fprintf(stderr, "scxsim: timing: %s: %" PRIu64 " simulated "
			"events, %" PRIu64 " policy hooks in %.3fs: %.2fM "
			"events/s\n", rep->runs[k].policy, st->events,
			st->hooks, st->seconds, st->seconds > 0 ?
			(double)st->events / st->seconds / 1e6 : 0.0);
	}
	if (!getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "scxsim: timing: peak RSS %.1f MB\n",
			(double)ru.ru_maxrss / 1024.0);
}

static int write_outputs(struct cli *c, struct report *rep)
{
	const struct {
		const char *path;
		void (*fn)(FILE *f, const struct report *rep);
	} outs[] = {
		{ c->json, report_json }, { c->csv, report_csv },
		{ c->plot, report_svg },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (outs[i].path && report_write(outs[i].path, outs[i].fn, rep,
						 err, sizeof(err)))
			return cli_fail_sys(outs[i].path, "%s", err);
	if (!c->json || strcmp(c->json, "-"))
		report_table(stdout, rep);
	if (fflush(stdout) || ferror(stdout))
		return cli_fail_sys("standard output", "cannot write: %s",
				    strerror(errno));
	return 0;
}

/*
 * What every report says about the replay besides the runs: the trace, the
 * CPUs, and each cost and the tick, measured or set by an option.
 */
static int describe(const struct cli *c, const struct model *m,
		    const struct trace_info *info, struct report *rep)
{
	rep->path = c->path;
	rep->format = info->format ? info->format : "unknown";
	rep->kernel_release = info->release;
	rep->trace_cpus = info->cpus ? info->cpus : m->nr_cpus;
	rep->sim_cpus = c->cpus ? c->cpus : rep->trace_cpus;
	if (!rep->sim_cpus)
		rep->sim_cpus = 1;
	if (rep->sim_cpus > POLICY_MAX_CPUS)
		return cli_fail(c->path, "%u CPUs: at most %d can be replayed",
			    rep->sim_cpus, POLICY_MAX_CPUS);
	rep->events = info->events;
	rep->lost_events = info->lost_events;
	rep->first_ts = m->first_ts;
	rep->duration_ns = m->duration_ns;
	rep->seed = c->seed;
	rep->tick_ns = c->tick_set || !m->tick_ns ? c->tick : m->tick_ns;
	rep->tick_uneven = !c->tick_set && m->tick_q_n == MODEL_TICK_Q;
	if (rep->tick_uneven) {
		rep->tick_lo_ns = m->tick_q[MODEL_TICK_Q / 10];
		rep->tick_hi_ns = m->tick_q[MODEL_TICK_Q - 1 - MODEL_TICK_Q / 10];
	}
	rep->timer_relative = c->relative;
	rep->wake_cost_ns = c->wake_cost >= 0 ? (uint64_t)c->wake_cost :
			    m->wake_cost_ns;
	rep->wake_cost_samples = c->wake_cost >= 0 ? 0 : m->wake_cost_samples;
	rep->timer_cost_ns = c->timer_cost >= 0 ? (uint64_t)c->timer_cost :
			     m->timer_cost_ns;
	rep->timer_cost_samples = c->timer_cost >= 0 ? 0 :
				  m->timer_cost_samples;
	rep->preempt_cost_ns = c->preempt_cost >= 0 ?
			       (uint64_t)c->preempt_cost : m->preempt_cost_ns;
	rep->preempt_cost_samples = c->preempt_cost >= 0 ? 0 :
				    m->preempt_cost_samples;
	rep->preempt_cost_set = c->preempt_cost >= 0;
	rep->wake_cost_set = c->wake_cost >= 0;
	rep->timer_cost_set = c->timer_cost >= 0;
	rep->live = &c->live;
	rep->observed = observed(m);
	return 0;
}

int scxsim_main(int argc, char **argv,
		const struct policy_ops *const *extra_policies)
{
	struct cli c = { .extra = extra_policies };
	struct report_run runs[MAX_RUNS + 1];
	struct report rep = { .runs = runs };
	struct trace_reader *tr = NULL;
	const struct trace_info *info;
	struct recorded *rec = NULL;
	struct model *m = NULL;
	char err[512];
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--measure-live"))
		return live_measure_main(argc - 1, argv + 1);
	memset(runs, 0, sizeof(runs));
	ret = cli_parse_args(&c, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
	tr = trace_open(c.path, err, sizeof(err));
	if (!tr)
		return cli_fail_read(c.path, err);
	m = model_new();
	rec = recorded_new();
	ret = !m || !rec ? cli_fail_sys(c.path, "out of memory") :
	      read_trace(&c, tr, m, rec);
	if (ret)
		goto out;
	info = trace_info(tr);
	if (model_finish(m)) {
		ret = cli_fail_sys(c.path, "out of memory");
		goto out;
	}
	pick_eevdf_variant(&c, info->release);
	ret = describe(&c, m, info, &rep);
	if (ret)
		goto out;
	runs[0].policy = "recorded";
	runs[0].res = recorded_finish(rec, info, ROW_FLAGS);
	if (!runs[0].res) {
		ret = cli_fail_sys(c.path, "out of memory");
		goto out;
	}
	rep.nruns = 1;
	ret = replay(&c, m, &rep);
	if (!ret && report_choose(&rep, c.tasks, c.ntasks, (size_t)c.top))
		ret = cli_fail_sys(c.path, "out of memory");
	if (!ret)
		ret = write_outputs(&c, &rep);
	if (!ret && c.timing)
		print_timing(&c, m, &rep);
out:
	for (size_t i = 0; i < rep.nruns; i++)
		result_free(runs[i].res);
	free(rep.show);
	if (rep.observed)
		result_free(rep.observed);
	recorded_free(rec);
	model_free(m);
	trace_close(tr);
	return ret;
}
