// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's run: the options (options.c), one pass over the trace (a
 * session, session.c), one replay per policy, then the reports. --tune and
 * --sweep replay the same sessions many times (sim/tune/).
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
#include "sim/model/live_measure.h"
#include "sim/engine/engine.h"
#include "sim/model/model.h"
#include "sim/options.h"
#include "sim/report/metrics.h"
#include "sim/report/recorded.h"
#include "sim/report/report.h"
#include "sim/session.h"
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

static int replay(struct cli *c, struct session *s)
{
	const struct model *m = s->m;
	struct report *rep = &s->rep;
	struct engine_conf ec;
	char err[256];
	int ret;

	rep->live = &c->live;
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
		ec = s->ec;
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

int scxsim_main(int argc, char **argv,
		const struct policy_ops *const *extra_policies)
{
	struct cli c = { .extra = extra_policies };
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
	ret = replay(&c, &s);
	if (!ret && report_choose(&s.rep, c.tasks, c.ntasks, (size_t)c.top))
		ret = cli_fail_sys(c.path, "out of memory");
	if (!ret)
		ret = write_outputs(&c, &s.rep);
	if (!ret && c.timing)
		print_timing(&s);
	session_close(&s);
	cli_free(&c);
	return ret;
}
