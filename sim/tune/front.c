// SPDX-License-Identifier: GPL-2.0
/*
 * The front as a table and the winner as a parameter file (front.h).
 *
 * A point on the front is within the policy's starvation bound; whether it
 * also meets the throughput constraint is a column, so the table shows
 * what the constraint cost: the points left of it are the choices, the
 * ones right of it what a looser constraint would buy.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/report.h"
#include "sim/tune/front.h"

static int by_makespan(const void *a, const void *b, void *pts)
{
	const struct tune_point *x = (const struct tune_point *)pts +
				     *(const uint32_t *)a;
	const struct tune_point *y = (const struct tune_point *)pts +
				     *(const uint32_t *)b;

	if (x->makespan != y->makespan)
		return x->makespan < y->makespan ? -1 : 1;
	if (x->objective != y->objective)
		return x->objective < y->objective ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

uint32_t tune_front(const struct tune_result *res, uint32_t *idx)
{
	uint32_t n = 0, kept = 0;
	double best = 0;

	for (uint32_t i = 0; i < res->npts; i++)
		if (res->pts[i].bounded && !res->pts[i].failed)
			idx[n++] = i;
	qsort_r(idx, n, sizeof(*idx), by_makespan, res->pts);
	for (uint32_t k = 0; k < n; k++) {
		const struct tune_point *p = &res->pts[idx[k]];

		if (kept && p->objective >= best)
			continue;
		best = p->objective;
		idx[kept++] = idx[k];
	}
	return kept;
}

char *tune_value(char *buf, size_t len, const struct policy_param *p,
		 int64_t v)
{
	static const struct { const char *sfx; int64_t ns; } units[] = {
		{ "s", 1000000000 }, { "ms", 1000000 }, { "us", 1000 },
	};

	if (p->unit && !strcmp(p->unit, "ns") && v)
		for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
			if (v % units[i].ns == 0) {
				snprintf(buf, len, "%" PRId64 "%s",
					 v / units[i].ns, units[i].sfx);
				return buf;
			}
	snprintf(buf, len, "%" PRId64 "%s", v,
		 p->unit && !strcmp(p->unit, "ns") ? "ns" : "");
	return buf;
}

/* The parameters that differ from the policy's own defaults. */
static void changed(FILE *f, const struct policy_ops *ops,
		    const struct policy_conf *c)
{
	char buf[32];
	int n = 0;

	for (uint32_t i = 0; i < ops->nr_params; i++)
		if (c->param[i] != ops->params[i].def)
			fprintf(f, "%s%s=%s", n++ ? " " : "",
				ops->params[i].name,
				tune_value(buf, sizeof(buf), &ops->params[i],
					   c->param[i]));
	if (!n)
		fputs("(the defaults)", f);
}

static void row(FILE *f, const struct tune_view *v, uint32_t i)
{
	const struct tune_point *p = &v->res->pts[i];
	char lat[16], ms[16];

	snprintf(ms, sizeof(ms), p->makespan ? "%.3f" : "-", p->makespan);
	fprintf(f, "  %c%c %10s %8.3f %8s %5s %7.2f  ",
		i == v->res->best ? '*' : ' ', i == 0 ? 'd' : ' ',
		report_dur(lat, sizeof(lat), (uint64_t)(p->latency_ns + 0.5)),
		p->objective, ms, p->within ? "yes" : "no", p->starve);
	changed(f, v->o->ops, &p->conf);
	fputc('\n', f);
}

static void header(FILE *f, const struct tune_view *v)
{
	const struct tune_result *r = v->res;

	fprintf(f, "scxsim --tune %s: %u configurations on %u trace%s "
		"(%" PRIu64 " replays, %s, %u worker%s, %.2fs)\n",
		v->o->ops->name, r->npts, v->ntr, v->ntr == 1 ? "" : "s",
		r->replays, r->algorithm, v->o->workers,
		v->o->workers == 1 ? "" : "s", r->seconds);
	for (uint32_t t = 0; t < v->ntr; t++)
		fprintf(f, "  %s: minimise %s of '%s' on the %s host; '%s' "
			"within %.2fx of its completion under eevdf\n",
			v->tr[t].path, tune_figure_name(v->o->figure),
			v->tr[t].focus, v->tr[t].host, v->tr[t].busy ?
			v->tr[t].busy : "-", v->o->within);
	if (!v->o->within)
		fprintf(f, "  (throughput unconstrained: --within 0)\n");
	fprintf(f, "  starvation bound: %s\n", !v->o->check_bound ?
		"not checked (--no-bound)" : v->o->ops->wait_bound ?
		"every task's longest wait within the bound the policy states" :
		"the policy states none");
}

void tune_table(FILE *f, const struct tune_view *v)
{
	const struct tune_result *r = v->res;
	uint32_t *idx = malloc((r->npts + 1) * sizeof(*idx)), n;
	const struct tune_point *b = &r->pts[r->best], *d = &r->pts[0];
	char x[16], y[16];
	bool dshown = false, bshown = false;

	header(f, v);
	fprintf(f, "\nPareto front (latency against completion; * winner, "
		"d defaults):\n");
	fprintf(f, "     %10s %8s %8s %5s %7s  %s\n", tune_figure_name(
		v->o->figure), "x dflt", "x eevdf", "ok", "starve",
		"parameters changed from the policy's defaults");
	n = idx ? tune_front(r, idx) : 0;
	for (uint32_t k = 0; k < n; k++) {
		row(f, v, idx[k]);
		dshown |= idx[k] == 0;
		bshown |= idx[k] == r->best;
	}
	/* a nearest miss need not be on the front: show what is written */
	if (!dshown || !bshown)
		fprintf(f, "  off the front:\n");
	if (!bshown)
		row(f, v, r->best);
	if (!dshown && r->best != 0)
		row(f, v, 0);
	free(idx);
	fprintf(f, "\n");
	if (!tune_ok(b))
		fprintf(f, "No configuration met the constraints; the nearest "
			"miss is written.\n");
	else
		fprintf(f, "Winner: %s of %s %s vs %s with the defaults "
			"(%.0f%%)%s.\n", tune_figure_name(v->o->figure),
			v->ntr == 1 ? v->tr[0].focus : "the focus comms",
			report_dur(x, sizeof(x), (uint64_t)(b->latency_ns + .5)),
			report_dur(y, sizeof(y), (uint64_t)(d->latency_ns + .5)),
			100.0 * (b->objective - d->objective) /
			(d->objective ? d->objective : 1),
			tune_ok(d) ? "" : " (the defaults break a constraint)");
}

void tune_params(FILE *f, const void *view)
{
	const struct tune_view *v = view;
	const struct tune_point *b = &v->res->pts[v->res->best];
	const struct policy_ops *ops = v->o->ops;
	char lat[16];

	fprintf(f, "# scxsim --tune %s: %s of the focus comm %s (%.0f ns, "
		"x%.3f of the defaults), completion x%.3f of eevdf%s\n",
		ops->name, tune_figure_name(v->o->figure),
		report_dur(lat, sizeof(lat), (uint64_t)(b->latency_ns + .5)),
		b->latency_ns, b->objective, b->makespan, tune_ok(b) ? "" :
		"; CONSTRAINTS NOT MET");
	for (uint32_t t = 0; t < v->ntr; t++)
		fprintf(f, "# trace %s: focus %s, CPU-bound %s, host %s\n",
			v->tr[t].path, v->tr[t].focus,
			v->tr[t].busy ? v->tr[t].busy : "-", v->tr[t].host);
	for (uint32_t i = 0; i < ops->nr_params; i++)
		fprintf(f, "%s.%s=%" PRId64 "\n", ops->name, ops->params[i].name,
			b->conf.param[i]);
}
