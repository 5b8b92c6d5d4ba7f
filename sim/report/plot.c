// SPDX-License-Identifier: GPL-2.0
/*
 * --plot: the wakeup-delay CDF of each chosen comm as hand-written SVG, one
 * panel per comm, one step curve per run (the trace's own dashed black).
 *
 * x is the delay on a log scale spanning the decades the runs reach (a
 * frame loop lives in microseconds to milliseconds, a build's tail in
 * hundreds of ms); y is the fraction of wakeups served within x, 0..1. The
 * curve steps at each histogram bucket's upper bound, so a point on it is a
 * true statement ("this many waited at most that long"), and the shared
 * quantiles (p50, p90, p99, exact max) are marked on it, so the picture and
 * the tables agree. Guides at 0.5, 0.9 and 0.99 show where the table's
 * columns are read off. Each panel's plot box carries its axis mapping as
 * data- attributes so a test can read the curves back.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sim/report/report.h"

#define PANEL_W		520
#define PANEL_H		340
#define MARGIN_L	56
#define MARGIN_R	34
#define MARGIN_T	40
#define MARGIN_B	46
#define MAX_PANELS	6
#define HEADER_H	44
#define X_FLOOR_NS	100.0
#define X_CEIL_NS	1e11

static const char *const colours[] = {
	"#000000", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
	"#8c564b", "#e377c2",
};

/* One panel's axes: delays lo..hi (powers of ten) over the plot box. */
struct axes {
	double lo, hi;
	double x0, x1, y0, y1;	/* y0: fraction 0 (bottom), y1: fraction 1 */
};

static double x_of(const struct axes *a, double ns)
{
	if (ns < a->lo)
		ns = a->lo;
	if (ns > a->hi)
		ns = a->hi;
	return a->x0 + (a->x1 - a->x0) * (log10(ns) - log10(a->lo)) /
	       (log10(a->hi) - log10(a->lo));
}

static double y_of(const struct axes *a, double frac)
{
	return a->y0 - (a->y0 - a->y1) * frac;
}

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* "100ns", "1µs", ... "10s" for a power of ten. */
static const char *decade_label(double ns)
{
	static const char *const names[] = {
		"1ns", "10ns", "100ns", "1µs", "10µs", "100µs", "1ms", "10ms",
		"100ms", "1s", "10s", "100s",
	};
	int e = (int)lround(log10(ns));

	return e >= 0 && e < 12 ? names[e] : "?";
}

/* The decades every shown run of the comm reaches, at least two. */
static void choose_range(const struct report *rep, const char *comm,
			 struct axes *a)
{
	double lo = 0, hi = 0;

	for (size_t k = 0; k < rep->nruns; k++) {
		const struct metrics_row *r =
			result_comm(rep->runs[k].res, comm);
		const struct metrics_step *st;
		size_t n;

		size_t i = 0;

		if (!r || !(n = metrics_row_steps(r, &st)))
			continue;
		/*
		 * Start where the first 0.1% of wakeups end: a stray tiny
		 * delay should not spend decades of width on nothing (the
		 * curve starts at the left edge with what lies below).
		 */
		while (i + 1 < n && st[i].cum * 1000 < st[n - 1].cum)
			i++;
		if (!lo || (double)st[i].le_ns < lo)
			lo = (double)st[i].le_ns;
		if ((double)r->max_ns > hi)
			hi = (double)r->max_ns;
	}
	lo = pow(10, floor(log10(lo > X_FLOOR_NS ? lo : X_FLOOR_NS)));
	hi = pow(10, ceil(log10(hi > lo ? hi : lo * 10)));
	if (hi > X_CEIL_NS)
		hi = X_CEIL_NS;
	if (hi < lo * 100)
		hi = lo * 100;
	a->lo = lo;
	a->hi = hi;
	a->x0 = MARGIN_L;
	a->x1 = PANEL_W - MARGIN_R;
	a->y0 = PANEL_H - MARGIN_B;
	a->y1 = MARGIN_T;
}

static void draw_axes(FILE *f, const struct axes *a, const char *comm,
		      const char *trace)
{
	static const double yt[] = { 0, 0.25, 0.5, 0.75, 1 };
	static const struct { double frac; const char *name; } guides[] = {
		{ 0.5, "p50" }, { 0.9, "p90" }, { 0.99, "p99" },
	};
	const char *base = strrchr(trace, '/');

	fprintf(f, "<text x=\"%.1f\" y=\"22\" font-size=\"13\" "
		"font-weight=\"bold\">", a->x0);
	esc(f, comm);
	fprintf(f, "</text>\n<text x=\"%.1f\" y=\"22\" text-anchor=\"end\" "
		"fill=\"#555\">wakeup delay CDF, ", a->x1);
	esc(f, base ? base + 1 : trace);
	fprintf(f, "</text>\n");
	/* decades, with the 2..9 multiples as faint lines between them */
	for (double d = a->lo; d <= a->hi * 1.0001; d *= 10) {
		for (int m = 2; m < 10 && d * m < a->hi; m++)
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#f0f0f0\"/>\n",
				x_of(a, d * m), a->y0, x_of(a, d * m), a->y1);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n<text x=\"%.1f\" "
			"y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			x_of(a, d), a->y0, x_of(a, d), a->y1, x_of(a, d),
			a->y0 + 16, decade_label(d));
	}
	for (size_t i = 0; i < sizeof(yt) / sizeof(yt[0]); i++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#d8d8d8\"/>\n<text x=\"%.1f\" "
			"y=\"%.1f\" text-anchor=\"end\">%.2g</text>\n", a->x0,
			y_of(a, yt[i]), a->x1, y_of(a, yt[i]), a->x0 - 6,
			y_of(a, yt[i]) + 4, yt[i]);
	for (size_t i = 0; i < sizeof(guides) / sizeof(guides[0]); i++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"2,3\"/>"
			"\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
			"fill=\"#777\">%s</text>\n", a->x0,
			y_of(a, guides[i].frac), a->x1, y_of(a, guides[i].frac),
			a->x1 + 3, y_of(a, guides[i].frac) + 6, guides[i].name);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
		" fill=\"none\" stroke=\"#444\" data-x0=\"%.1f\" "
		"data-x1=\"%.1f\" data-y0=\"%.1f\" data-y1=\"%.1f\" "
		"data-lo-ns=\"%.0f\" data-hi-ns=\"%.0f\"/>\n", a->x0, a->y1,
		a->x1 - a->x0, a->y0 - a->y1, a->x0, a->x1, a->y0, a->y1,
		a->lo, a->hi);
	fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">wakeup "
		"delay (log scale)</text>\n", (a->x0 + a->x1) / 2, PANEL_H - 8);
	fprintf(f, "<text transform=\"translate(14,%.1f) rotate(-90)\" "
		"text-anchor=\"middle\">fraction of wakeups served within"
		"</text>\n", (a->y0 + a->y1) / 2);
}

/*
 * The step curve: flat until a bucket's upper bound, then up to its
 * cumulative fraction; flat to the right edge after the max.
 */
static void draw_cdf(FILE *f, const struct axes *a,
		     const struct metrics_row *r, const char *policy,
		     const char *colour, bool dashed)
{
	static const struct { const char *name; double q; } marks[] = {
		{ "p50", 0.5 }, { "p90", 0.9 }, { "p99", 0.99 }, { "max", 1 },
	};
	const uint64_t at[4] = { r->p50_ns, r->p90_ns, r->p99_ns, r->max_ns };
	const struct metrics_step *st;
	size_t n = metrics_row_steps(r, &st);
	double top = n ? (double)st[n - 1].cum : 1;

	fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s "
		"data-policy=\"", colour, dashed ?
		" stroke-dasharray=\"6,3\"" : "");
	esc(f, policy);
	fprintf(f, "\" d=\"M%.1f,%.1f", a->x0, a->y0);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " H%.1f V%.1f", x_of(a, (double)st[i].le_ns),
			y_of(a, (double)st[i].cum / top));
	fprintf(f, " H%.1f\"/>\n", a->x1);
	/* the quantiles every report shares, at their level on the curve */
	for (int i = 0; i < 4; i++)
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
			"fill=\"%s\"><title>%s %s: %" PRIu64 " ns</title>"
			"</circle>\n", x_of(a, (double)at[i]),
			y_of(a, marks[i].q), colour, policy, marks[i].name,
			at[i]);
}

static void draw_legend(FILE *f, const struct axes *a,
			const struct report *rep, const char *comm)
{
	size_t shown = 0;
	double w = 150, x, y;

	for (size_t k = 0; k < rep->nruns; k++)
		shown += rep->runs[k].policy != NULL;
	x = a->x1 - w - 6;
	y = a->y0 - 8 - 16.0 * (double)shown;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
		" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#ccc\"/>\n",
		x - 4, y - 6, w, 16.0 * (double)shown + 8);
	for (size_t k = 0; k < rep->nruns; k++) {
		const struct metrics_row *r =
			result_comm(rep->runs[k].res, comm);
		double ly = y + 16.0 * (double)k + 4;

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n"
			"<text x=\"%.1f\" y=\"%.1f\">", x, ly, x + 24, ly,
			colours[k % 8], k ? "" : " stroke-dasharray=\"6,3\"",
			x + 30, ly + 4);
		esc(f, rep->runs[k].policy);
		if (!r || !r->count)
			fprintf(f, " (no wakeups)");
		else if (!k)
			fprintf(f, " (the trace)");
		fprintf(f, "</text>\n");
	}
}

void report_svg(FILE *f, const struct report *rep)
{
	size_t panels = rep->nshow < MAX_PANELS ? rep->nshow : MAX_PANELS;
	size_t cols = panels > 1 ? 2 : 1, rows = (panels + cols - 1) / cols;
	const char *base = strrchr(rep->path, '/');
	int w, h;

	if (!rows)
		rows = 1;
	w = (int)cols * PANEL_W;
	h = HEADER_H + (int)rows * PANEL_H;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", w,
		h);
	fprintf(f, "<text x=\"10\" y=\"20\" font-size=\"15\" "
		"font-weight=\"bold\">Wakeup delay CDF: ");
	esc(f, base ? base + 1 : rep->path);
	fprintf(f, " (%u CPUs replayed)</text>\n<text x=\"10\" y=\"37\" "
		"fill=\"#555\">share of wakeups that waited at most x; "
		"dots: p50, p90, p99, max</text>\n", rep->sim_cpus);
	for (size_t p = 0; p < panels; p++) {
		struct axes a;

		choose_range(rep, rep->show[p], &a);
		fprintf(f, "<g transform=\"translate(%zu,%zu)\" "
			"data-comm=\"", (p % cols) * PANEL_W,
			HEADER_H + (p / cols) * PANEL_H);
		esc(f, rep->show[p]);
		fprintf(f, "\">\n");
		draw_axes(f, &a, rep->show[p], rep->path);
		for (size_t k = 0; k < rep->nruns; k++) {
			const struct metrics_row *r =
				result_comm(rep->runs[k].res, rep->show[p]);

			if (r && r->count)
				draw_cdf(f, &a, r, rep->runs[k].policy,
					 colours[k % 8], k == 0);
		}
		draw_legend(f, &a, rep, rep->show[p]);
		fprintf(f, "</g>\n");
	}
	fprintf(f, "</svg>\n");
}
