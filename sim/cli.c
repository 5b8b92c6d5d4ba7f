// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's run: the options (options.c), one pass over the trace (a
 * session, session.c), one replay per policy, then the reports. --tune and
 * --sweep replay the same sessions many times (sim/tune/).
 *
 * The trace is read once: every event goes both to the `recorded`
 * accounting (what the kernel did, as perf sched latency measures it) and
 * to the workload model; the model is then replayed under each policy.
 * --timeline and --explain read it a second time, for the trace's own
 * schedule as events, rather than keep them all.
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
#include "sim/model/live_measure.h"
#include "sim/engine/engine.h"
#include "sim/engine/replay_events.h"
#include "sim/explain/explain.h"
#include "sim/model/model.h"
#include "sim/options.h"
#include "sim/pool.h"
#include "sim/report/metrics.h"
#include "sim/report/recorded.h"
#include "sim/report/report.h"
#include "sim/session.h"
#include "sim/timeline_set.h"
#include "sim/trace/trace.h"
#include "sim/tune/tune_cli.h"

/* Recorded and simulated results keep the same rows: perf's. */
#define ROW_FLAGS	METRICS_PERF_ROWS

/*
 * eevdf models two kernel generations; unless -p chose one, replay the one
 * that recorded the trace, so the comparison with `recorded` is fair.
 */
static void pick_eevdf_variant(struct cli *c, const struct session *s)
{
	bool keep = false;

	for (size_t k = 0; k < c->nparams; k++)
		keep |= !strncmp(c->params[k], "eevdf.next_buddy=", 17);
	for (size_t i = 0; i < c->npol; i++)
		c->pol[i].auto_param = session_auto_params(s, c->pol[i].ops,
							   &c->pol[i].conf,
							   keep);
}

/* DIR/POLICY.pftrace for one replay, fed by the engine's steps. */
static struct replay_events *timeline_replay(struct cli *c,
					     struct timeline_set *ts,
					     const struct session *s,
					     const char *name)
{
	struct replay_events *re;
	struct timeline *tl;
	char err[256];

	tl = timeline_set_open(ts, name, s->rep.sim_cpus,
			       s->rep.kernel_release, true, err, sizeof(err));
	if (!tl) {
		cli_fail_sys(ts->dir, "%s: %s", name, err);
		return NULL;
	}
	re = replay_events_new(s->m, s->rep.sim_cpus, timeline_emit, tl);
	if (!re)
		cli_fail_sys(c->path, "out of memory");
	return re;
}

/* DIR/recorded.pftrace: the trace read again, every event as it is. */
static int timeline_recorded(struct cli *c, struct timeline_set *ts)
{
	char err[512];
	struct trace_reader *tr = trace_open(c->path, err, sizeof(err));
	const struct trace_info *info;
	struct sched_event ev;
	struct timeline *tl;
	int n;

	if (!tr)
		return cli_fail_read(c->path, err);
	info = trace_info(tr);
	tl = timeline_set_open(ts, "recorded", info->cpus, info->release,
			       info->has_waking, err, sizeof(err));
	if (!tl) {
		trace_close(tr);
		return cli_fail_sys(ts->dir, "recorded: %s", err);
	}
	while ((n = trace_next(tr, &ev)) > 0)
		if (timeline_event(tl, &ev))
			break;
	if (n < 0)
		n = cli_fail_read(c->path, trace_error(tr));
	else if (n > 0 && !timeline_finish(tl, err, sizeof(err)))
		n = cli_fail_sys(ts->dir, "recorded: out of memory");
	else if (n > 0)
		n = cli_fail_sys(ts->dir, "recorded: %s", err);
	trace_close(tr);
	return n;
}

/* One policy's replay, run by pool_run beside the others. */
struct replay_job {
	const struct model *m;
	const struct sim_policy *pol;
	struct engine_conf ec;
	struct metrics *mt;
	struct replay_events *re;	/* --timeline's sink, or NULL */
	struct report_run *run;
	struct result *res;
	int ret;
	char err[256];
};

static void replay_one(void *ctx, size_t i)
{
	struct replay_job *j = (struct replay_job *)ctx + i;

	j->ret = engine_run(j->m, j->pol->ops, &j->pol->conf, &j->ec, j->mt,
			    &j->run->stats, j->err, sizeof(j->err));
	if (j->re && !j->ret && replay_events_finish(j->re))
		j->ret = snprintf(j->err, sizeof(j->err), "timeline: out of "
				  "memory or cannot write");
	if (!j->ret)
		j->res = metrics_finish(j->mt, j->pol->ops->name, ROW_FLAGS);
}

/* Each policy's metrics, host and (--timeline) sink, before the runs. */
static int replay_prepare(struct cli *c, struct session *s,
			  struct timeline_set *ts, struct replay_job *jobs)
{
	struct report *rep = &s->rep;

	for (size_t i = 0; i < c->npol; i++) {
		struct replay_job *j = &jobs[i];

		j->m = s->m;
		j->pol = &c->pol[i];
		j->ec = s->ec;
		j->run = &rep->runs[rep->nruns + i];
		j->mt = metrics_new();
		if (!j->mt)
			return cli_fail_sys(c->path, "out of memory");
		if (ts) {
			j->re = timeline_replay(c, ts, s, c->pol[i].ops->name);
			if (!j->re)
				return 1;
			j->ec.sink = replay_events_sink(j->re);
		}
		/* eevdf models the kernel itself: it is never a daemon's */
		j->run->host = c->host && !strcmp(c->host, "kernel") ? "kernel" :
			       !strcmp(c->pol[i].ops->name, "eevdf") ? "kernel" :
			       "scxlive";
		j->ec.live = strcmp(j->run->host, "scxlive") ? NULL : &s->live;
	}
	return 0;
}

/* The runs' results into the report, in -P order; the first failure. */
static int replay_collect(struct cli *c, struct session *s,
			  struct replay_job *jobs)
{
	struct report *rep = &s->rep;

	for (size_t i = 0; i < c->npol; i++) {
		struct replay_job *j = &jobs[i];
		struct report_run *run = j->run;

		if (j->ret == ENGINE_EINPUT)
			return cli_fail(c->path, "%s", j->err);
		if (j->ret)
			return cli_fail_sys(c->pol[i].ops->name, "%s", j->err);
		run->policy = c->pol[i].ops->name;
		run->simulated = true;
		run->ops = c->pol[i].ops;
		run->conf = &c->pol[i].conf;
		run->auto_param = c->pol[i].auto_param;
		run->res = j->res;
		j->res = NULL;
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

/*
 * Every policy replays the same read-only model, so the runs go to
 * --workers threads (timelines, written as they run, one at a time); the
 * results are the same on any number of threads, and reported in -P order.
 */
static int replay(struct cli *c, struct session *s, struct timeline_set *ts)
{
	struct replay_job jobs[MAX_RUNS] = { 0 };
	bool tty = isatty(2) && s->m->nr_bursts > 1000000;
	int ret;

	/* scale=auto: the costs run as fast as this trace's kernel does */
	s->live = c->live;
	if (s->live.scale_auto && s->m->kernel_path_ns &&
	    s->live.kernel_path_ns)
		live_cost_scale(&s->live, (double)s->m->kernel_path_ns /
				(double)s->live.kernel_path_ns);
	s->rep.live = &s->live;
	ret = replay_prepare(c, s, ts, jobs);
	if (!ret) {
		if (tty)
			fprintf(stderr, "\rscxsim: replaying under %s...",
				c->policies);
		pool_run(c->npol, ts ? 1 : c->workers, replay_one, jobs);
		if (tty)
			fprintf(stderr, "\r\033[K");
		ret = replay_collect(c, s, jobs);
	}
	for (size_t i = 0; i < c->npol; i++) {
		result_free(jobs[i].res);
		metrics_free(jobs[i].mt);
		replay_events_free(jobs[i].re);
	}
	return ret;
}

/* --timing: what a benchmark needs, on stderr so outputs stay clean. */
static void print_timing(const struct session *s)
{
	const struct report *rep = &s->rep;
	const struct model *m = s->m;
	struct rusage ru;

	fprintf(stderr, "scxsim: timing: read %" PRIu64 " events in %.3fs; "
		"model %u tasks, %" PRIu64 " bursts, %" PRIu64 " wake edges\n",
		rep->events, s->read_s, m->nr_tasks, m->nr_bursts,
		m->nr_edges);
	if (trace_info(s->tr)->held_peak)
		fprintf(stderr, "scxsim: timing: reader held at most %" PRIu64
			" events at once (%.1f MB of queues)\n",
			trace_info(s->tr)->held_peak,
			(double)trace_info(s->tr)->held_bytes / 1e6);
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
	if (!c->explain && (!c->json || strcmp(c->json, "-")))
		report_table(stdout, rep);
	if (fflush(stdout) || ferror(stdout))
		return cli_fail_sys("standard output", "cannot write: %s",
				    strerror(errno));
	return 0;
}

static int explain(struct cli *c, const struct session *s)
{
	char err[256];
	struct engine_conf ec = s->ec;
	int ret;

	/* the replay the table shows: on the host the table says */
	ec.live = s->rep.nruns > 1 && s->rep.runs[1].host &&
		  !strcmp(s->rep.runs[1].host, "scxlive") ? &s->live : NULL;
	ret = explain_run(stdout, c->path, c->explain, s->m,
			  s->rep.runs[0].res, c->pol[0].ops, &c->pol[0].conf,
			  &ec, s->rep.tick_ns, EXPLAIN_TOP, c->timeline_dir,
			  TIMELINE_EXT, err, sizeof(err));

	if (ret == 2)
		return cli_fail(c->explain, "%s", err);
	if (ret)
		return cli_fail_sys(c->path, "%s", err);
	if (fflush(stdout) || ferror(stdout))
		return cli_fail_sys("standard output", "cannot write: %s",
				    strerror(errno));
	return 0;
}

int scxsim_main(int argc, char **argv,
		const struct policy_ops *const *extra_policies)
{
	struct cli c = { .extra = extra_policies };
	struct timeline_set ts = { 0 };
	struct session s;
	char err[512];
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--measure-live"))
		return live_measure_main(argc - 1, argv + 1);
	ret = cli_parse_args(&c, argc, argv);
	if (ret) {
		cli_free(&c);
		return ret < 0 ? 0 : ret;
	}
	if (c.tune || c.sweep) {
		ret = c.tune ? cli_tune(&c) : cli_sweep(&c);
		cli_free(&c);
		return ret;
	}
	ret = session_open(&s, c.path, &c.so, err, sizeof(err));
	if (ret) {
		cli_free(&c);
		return cli_fail_status(c.path, ret, err);
	}
	pick_eevdf_variant(&c, &s);
	ts.dir = c.timeline_dir;
	ret = c.timeline_dir ? timeline_recorded(&c, &ts) : 0;
	if (!ret)
		ret = replay(&c, &s, c.timeline_dir ? &ts : NULL);
	if (!ret && report_choose(&s.rep, c.tasks, c.ntasks, (size_t)c.top))
		ret = cli_fail_sys(c.path, "out of memory");
	if (!ret && c.timeline_dir &&
	    timeline_set_commit(&ts, err, sizeof(err)))
		ret = cli_fail_sys(c.timeline_dir, "%s", err);
	if (!ret)
		ret = write_outputs(&c, &s.rep);
	if (!ret && c.explain)
		ret = explain(&c, &s);
	timeline_set_abort(&ts);
	if (!ret && c.timing)
		print_timing(&s);
	session_close(&s);
	cli_free(&c);
	return ret;
}
