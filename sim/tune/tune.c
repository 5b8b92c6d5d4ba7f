// SPDX-License-Identifier: GPL-2.0
/*
 * --tune from prepared traces to the front and the winner's file: the
 * baselines every point is measured against (eevdf's completion of the
 * CPU-bound comm, the defaults' figure of the latency-sensitive one), the
 * search, then the outputs, each written whole or not at all.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy/policy.h"
#include "sim/report/metrics.h"
#include "sim/report/report.h"
#include "sim/tune/front.h"
#include "sim/tune/tune.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The busy comm's completion under eevdf on one trace (0: it never ends). */
static int baseline(struct tune_trace *t, char *err, size_t errlen)
{
	const struct policy_ops *ev = policy_find("eevdf");
	struct metrics *mt;
	struct engine_stats st;
	struct result *res;
	const struct metrics_row *r;
	struct engine_conf ec = t->ec;

	ec.live = NULL;		/* eevdf is the kernel's own: no daemon */
	t->eevdf_done_ns = 0;
	if (!t->busy)
		return 0;
	if (!ev || !(mt = metrics_new())) {
		snprintf(err, errlen, ev ? "out of memory" : "no eevdf policy");
		return -1;
	}
	if (engine_run(t->m, ev, &t->eevdf, &ec, mt, &st, err, errlen)) {
		metrics_free(mt);
		return -1;
	}
	res = metrics_finish(mt, "eevdf", METRICS_PERF_ROWS);
	metrics_free(mt);
	if (!res) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	r = result_comm(res, t->busy);
	if (r && r->done_ns > t->first_ts)
		t->eevdf_done_ns = r->done_ns - t->first_ts;
	result_free(res);
	return 0;
}

static int baselines(const struct tune_opts *o, struct tune_trace *tr,
		     uint32_t ntr, char *err, size_t errlen)
{
	for (uint32_t i = 0; i < ntr; i++) {
		struct tune_point p;
		char why[256];

		if (baseline(&tr[i], why, sizeof(why)) ||
		    tune_eval(o, &tr[i], 1, &o->base, &p, why, sizeof(why))) {
			snprintf(err, errlen, "%s: %s", tr[i].path, why);
			return -1;
		}
		tr[i].def_figure = p.latency_ns;
	}
	return 0;
}

static int write_file(const char *path, void (*fn)(FILE *, const void *),
		      const struct tune_view *v, char *err, size_t errlen)
{
	char why[200];

	if (!report_write_fn(path, fn, v, why, sizeof(why)))
		return 0;
	snprintf(err, errlen, "%s: %s", path, why);
	return -1;
}

int tune_run(const struct tune_opts *o, struct tune_trace *tr, uint32_t ntr,
	     const struct tune_outputs *out, FILE *f, char *err,
	     size_t errlen)
{
	struct tune_result res;
	struct tune_view v = { o, tr, ntr, &res };
	char path[256], why[256];
	double t0;
	int ret = 0;

	if (baselines(o, tr, ntr, err, errlen))
		return 1;
	t0 = now_s();
	if (tune_search(o, tr, ntr, &res, why, sizeof(why))) {
		snprintf(err, errlen, "%s", why);
		return 1;
	}
	res.seconds = now_s() - t0;
	tune_table(f, &v);
	snprintf(path, sizeof(path), "%s.params", o->ops->name);
	if (write_file(out->params ? out->params : path, tune_params, &v, err,
		       errlen) ||
	    (out->plot && write_file(out->plot, tune_svg, &v, err, errlen)))
		ret = 1;
	else
		fprintf(f, "Wrote %s%s%s.\n", out->params ? out->params : path,
			out->plot ? " and " : "", out->plot ? out->plot : "");
	if (out->timing)
		fprintf(stderr, "scxsim: timing: tune: %u configurations, "
			"%llu replays, %llu asked, in %.3fs on %u workers: "
			"%.1f configurations/s\n", res.npts,
			(unsigned long long)res.replays,
			(unsigned long long)res.asked, res.seconds, o->workers,
			res.seconds > 0 ? res.npts / res.seconds : 0.0);
	tune_result_free(&res);
	return ret;
}
