// SPDX-License-Identifier: GPL-2.0
/*
 * --tune --plot: every configuration tried as a dot, completion relative
 * to eevdf (x) against the objective's figure (y), the Pareto front joined
 * by a line, the defaults and the winner marked, the throughput constraint
 * as a dashed vertical line. Points outside the starvation bound are drawn
 * hollow: they are not choices. The plot box carries its axis mapping as
 * data- attributes and every front point its figures, so a test reads the
 * picture back.
 */
#include <stdlib.h>

#include "sim/tune/front.h"

#define W	640
#define H	420
#define L	70
#define R	30
#define T	44
#define B	50
#define TICKS	5

struct box {
	double xlo, xhi, ylo, yhi;
};

static double px(const struct box *b, double x)
{
	return L + (W - L - R) * (x - b->xlo) / (b->xhi - b->xlo);
}

static double py(const struct box *b, double y)
{
	return H - B - (H - T - B) * (y - b->ylo) / (b->yhi - b->ylo);
}

static void range(const struct tune_view *v, struct box *b)
{
	const struct tune_result *r = v->res;

	b->xlo = b->ylo = 1e300;
	b->xhi = b->yhi = -1e300;
	for (uint32_t i = 0; i < r->npts; i++) {
		const struct tune_point *p = &r->pts[i];
		double y = p->latency_ns / 1e6;

		b->xlo = p->makespan < b->xlo ? p->makespan : b->xlo;
		b->xhi = p->makespan > b->xhi ? p->makespan : b->xhi;
		b->ylo = y < b->ylo ? y : b->ylo;
		b->yhi = y > b->yhi ? y : b->yhi;
	}
	if (v->o->within && v->o->within > b->xhi)
		b->xhi = v->o->within;
	if (b->xhi - b->xlo < 1e-3)
		b->xhi = b->xlo + 0.01;
	if (b->yhi - b->ylo < 1e-6)
		b->yhi = b->ylo + 0.01;
	b->xlo -= (b->xhi - b->xlo) * 0.04;
	b->xhi += (b->xhi - b->xlo) * 0.04;
	b->ylo = b->ylo - (b->yhi - b->ylo) * 0.04;
	b->yhi += (b->yhi - b->ylo) * 0.04;
}

static void axes(FILE *f, const struct tune_view *v, const struct box *b)
{
	fprintf(f, "<rect class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" "
		"height=\"%d\" fill=\"none\" stroke=\"#444\" data-xlo=\"%g\" "
		"data-xhi=\"%g\" data-ylo=\"%g\" data-yhi=\"%g\"/>\n", L, T,
		W - L - R, H - T - B, b->xlo, b->xhi, b->ylo, b->yhi);
	for (int i = 0; i <= TICKS; i++) {
		double x = b->xlo + (b->xhi - b->xlo) * i / TICKS;
		double y = b->ylo + (b->yhi - b->ylo) * i / TICKS;

		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"%.3f</text>\n", px(b, x), H - B + 16, x);
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">"
			"%.3g</text>\n", L - 6, py(b, y) + 4, y);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">completion "
		"of the CPU-bound comm / eevdf's</text>\n", (W + L - R) / 2,
		H - 12);
	fprintf(f, "<text transform=\"translate(16,%d) rotate(-90)\" "
		"text-anchor=\"middle\">%s wakeup delay (ms)</text>\n",
		(H + T - B) / 2, tune_figure_name(v->o->figure));
	if (v->o->within && v->o->within >= b->xlo && v->o->within <= b->xhi)
		fprintf(f, "<line class=\"within\" x1=\"%.1f\" x2=\"%.1f\" "
			"y1=\"%d\" y2=\"%d\" stroke=\"#888\" "
			"stroke-dasharray=\"5,4\"/>\n", px(b, v->o->within),
			px(b, v->o->within), T, H - B);
}

static void front_line(FILE *f, const struct tune_view *v, const struct box *b)
{
	uint32_t *idx = malloc((v->res->npts + 1) * sizeof(*idx)), n;

	if (!idx)
		return;
	n = tune_front(v->res, idx);
	fprintf(f, "<polyline class=\"front\" fill=\"none\" stroke=\"#1f77b4\" "
		"stroke-width=\"2\" points=\"");
	for (uint32_t k = 0; k < n; k++) {
		const struct tune_point *p = &v->res->pts[idx[k]];

		fprintf(f, "%s%.1f,%.1f", k ? " " : "", px(b, p->makespan),
			py(b, p->latency_ns / 1e6));
	}
	fprintf(f, "\"/>\n");
	for (uint32_t k = 0; k < n; k++) {
		const struct tune_point *p = &v->res->pts[idx[k]];

		fprintf(f, "<circle class=\"front-point\" cx=\"%.1f\" "
			"cy=\"%.1f\" r=\"4\" fill=\"#1f77b4\" data-makespan="
			"\"%.6f\" data-latency-ns=\"%.0f\"/>\n",
			px(b, p->makespan), py(b, p->latency_ns / 1e6),
			p->makespan, p->latency_ns);
	}
	free(idx);
}

void tune_svg(FILE *f, const void *view)
{
	const struct tune_view *v = view;
	const struct tune_result *r = v->res;
	const struct tune_point *d = &r->pts[0], *w = &r->pts[r->best];
	struct box b;

	range(v, &b);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
		W, H);
	fprintf(f, "<text x=\"%d\" y=\"20\" font-size=\"14\">scxsim --tune %s"
		": %u configurations, latency against throughput</text>\n", L,
		v->o->ops->name, r->npts);
	axes(f, v, &b);
	for (uint32_t i = 0; i < r->npts; i++) {
		const struct tune_point *p = &r->pts[i];
		bool ok = p->bounded && !p->failed;

		fprintf(f, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" "
			"r=\"2\" fill=\"%s\" stroke=\"#999\"/>\n",
			px(&b, p->makespan), py(&b, p->latency_ns / 1e6),
			ok ? "#bbb" : "none");
	}
	front_line(f, v, &b);
	fprintf(f, "<rect class=\"defaults\" x=\"%.1f\" y=\"%.1f\" width=\"9\" "
		"height=\"9\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/>"
		"\n", px(&b, d->makespan) - 4.5, py(&b, d->latency_ns / 1e6) - 4.5);
	fprintf(f, "<circle class=\"winner\" cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
		"fill=\"none\" stroke=\"#d62728\" stroke-width=\"2\"/>\n",
		px(&b, w->makespan), py(&b, w->latency_ns / 1e6));
	fprintf(f, "<text x=\"%d\" y=\"%d\">&#9633; defaults   "
		"<tspan fill=\"#d62728\">&#9675; winner</tspan>   "
		"<tspan fill=\"#1f77b4\">&#8212; Pareto front</tspan>   "
		"hollow: past the starvation bound</text>\n", L, T - 8);
	fprintf(f, "</svg>\n");
}
