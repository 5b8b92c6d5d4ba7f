// SPDX-License-Identifier: GPL-2.0
/*
 * One shard of a sweep (sweep.h). A line per job carries everything the
 * merge needs without the spec: where the job sits (job, jobs, shard), what
 * ran (trace, policy, every parameter, the ones changed from the defaults
 * in -p spelling), and what came out (the latency-sensitive comm's figures,
 * the CPU-bound comm's completion, the totals, the engine's checks). The
 * lines of a shard come out in job order; the merge sorts anyway, so
 * shards may be concatenated in any order.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/metrics.h"
#include "sim/report/report.h"
#include "sim/tune/front.h"
#include "sim/tune/sweep.h"

static void row_json(FILE *f, const char *name, const struct metrics_row *r)
{
	fprintf(f, ",\"%s_count\":%" PRIu64 ",\"%s_p50_ns\":%" PRIu64
		",\"%s_p99_ns\":%" PRIu64 ",\"%s_max_ns\":%" PRIu64, name,
		r ? r->count : 0, name, r ? r->p50_ns : 0, name,
		r ? r->p99_ns : 0, name, r ? r->max_ns : 0);
}

static void job_line(FILE *f, const struct sweep_req *rq,
		     const struct spec *sp, uint64_t j, const char *trace,
		     const struct session *s, const struct policy_ops *ops,
		     const struct policy_conf *c, const struct result *res,
		     const struct engine_stats *st)
{
	const struct metrics_row *b = s->rep.busy ?
				      result_comm(res, s->rep.busy) : NULL;
	char buf[32];
	int n = 0;

	fprintf(f, "{\"job\":%" PRIu64 ",\"jobs\":%" PRIu64 ",\"shard\":\"%u/%u\""
		",\"trace\":", j, spec_jobs(sp), rq->shard, rq->nshards);
	report_json_str(f, trace);
	fprintf(f, ",\"policy\":");
	report_json_str(f, ops->name);
	fprintf(f, ",\"params\":{");
	for (uint32_t i = 0; i < ops->nr_params; i++)
		fprintf(f, "%s\"%s\":%" PRId64, i ? "," : "",
			ops->params[i].name, c->param[i]);
	fprintf(f, "},\"changed\":\"");
	for (uint32_t i = 0; i < ops->nr_params; i++)
		if (c->param[i] != ops->params[i].def)
			fprintf(f, "%s%s=%s", n++ ? " " : "", ops->params[i].name,
				tune_value(buf, sizeof(buf), &ops->params[i],
					   c->param[i]));
	fprintf(f, "\",\"focus\":");
	report_json_str(f, s->rep.focus ? s->rep.focus : "");
	row_json(f, "focus", s->rep.focus ? result_comm(res, s->rep.focus) :
		 NULL);
	fprintf(f, ",\"busy\":");
	report_json_str(f, s->rep.busy ? s->rep.busy : "");
	fprintf(f, ",\"busy_done_ns\":%" PRIu64, report_done(&s->rep, b));
	row_json(f, "total", &res->total);
	fprintf(f, ",\"violations\":%" PRIu64 "}\n", st->violations);
}

/* The shard's first job on trace t (past the trace's last: none). */
static uint64_t first_job(const struct sweep_req *rq, const struct spec *sp,
			  uint32_t t)
{
	uint64_t start = t * sp->per_trace;

	return start + (rq->shard + rq->nshards - start % rq->nshards) %
		       rq->nshards;
}

/* Every job of this shard on trace t, from the one model of it. */
static int run_trace(const struct sweep_req *rq, const struct spec *sp,
		     const struct session_opts *so, uint32_t t, FILE *f,
		     char *err, size_t errlen)
{
	struct session s;
	const char *want[1] = { rq->focus };
	int ret;

	ret = session_open(&s, sp->trace[t], so, err, errlen);
	if (ret)
		return ret;
	if (report_choose(&s.rep, want, rq->focus ? 1 : 0, rq->top)) {
		session_close(&s);
		return snprintf(err, errlen, "out of memory"), 1;
	}
	if (rq->busy)
		s.rep.busy = rq->busy;
	for (uint64_t j = first_job(rq, sp, t);
	     j < (uint64_t)(t + 1) * sp->per_trace; j += rq->nshards) {
		struct policy_conf c;
		struct engine_stats st;
		struct metrics *mt = metrics_new();
		struct result *res = NULL;
		uint32_t tt, p;

		spec_job(sp, j, &tt, &p, &c);
		session_auto_params(&s, sp->pol[p].ops, &c,
				    spec_sets(sp, p, "next_buddy"));
		if (!mt || engine_run(s.m, sp->pol[p].ops, &c, &s.ec, mt, &st,
				      err, errlen) ||
		    !(res = metrics_finish(mt, sp->pol[p].ops->name,
					   METRICS_PERF_ROWS))) {
			if (!res && mt)
				snprintf(err, errlen, "out of memory");
			metrics_free(mt);
			session_close(&s);
			return 1;
		}
		metrics_free(mt);
		job_line(f, rq, sp, j, sp->trace[t], &s, sp->pol[p].ops, &c,
			 res, &st);
		result_free(res);
	}
	session_close(&s);
	return 0;
}

struct lines {
	char *buf;
	size_t len;
};

static void put_lines(FILE *f, const void *arg)
{
	const struct lines *l = arg;

	fwrite(l->buf, 1, l->len, f);
}

int sweep_run(const struct sweep_req *rq, const struct session_opts *so,
	      const struct policy_ops *(*find)(const char *name, void *arg),
	      void *arg, char *err, size_t errlen)
{
	struct lines l = { NULL, 0 };
	struct spec sp;
	char why[256];
	FILE *f;
	int ret = 0;

	if (spec_load(&sp, rq->spec, find, arg, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", rq->spec, why);
		spec_free(&sp);
		return 2;
	}
	f = open_memstream(&l.buf, &l.len);
	if (!f) {
		spec_free(&sp);
		return snprintf(err, errlen, "out of memory"), 1;
	}
	for (uint32_t t = 0; t < sp.ntrace && !ret; t++)
		if (first_job(rq, &sp, t) < (uint64_t)(t + 1) * sp.per_trace)
			ret = run_trace(rq, &sp, so, t, f, err, errlen);
	if (fclose(f) && !ret)
		ret = (snprintf(err, errlen, "out of memory"), 1);
	if (!ret && report_write_fn(rq->out ? rq->out : "-", put_lines, &l,
				    why, sizeof(why)))
		ret = (snprintf(err, errlen, "%s: %s", rq->out, why), 1);
	free(l.buf);
	spec_free(&sp);
	return ret;
}
