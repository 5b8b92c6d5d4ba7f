// SPDX-License-Identifier: GPL-2.0
/*
 * --plot: the wakeup-delay distribution of the chosen comms as hand-written
 * SVG, one panel per comm, one line per policy (the trace's own in black).
 *
 * x is the delay on a log scale (1us .. 10s); y is the fraction of wakeups
 * served within x on a "nines" scale (50%, 90%, 99%, max), because the tail
 * is what a latency policy is judged by and a linear axis squeezes it into
 * the top pixel. The points are the quantiles every report shares (p50,
 * p90, p99 and the exact max), so the picture and the tables agree.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "sim/report.h"

#define PANEL_W		440
#define PANEL_H		300
#define MARGIN_L	64
#define MARGIN_R	16
#define MARGIN_T	36
#define MARGIN_B	48
#define MAX_PANELS	6
#define X_MIN_NS	1e3
#define X_MAX_NS	1e10

static const char *const colours[] = {
	"#000000", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
	"#8c564b", "#e377c2",
};

static double x_of(double ns)
{
	double w = PANEL_W - MARGIN_L - MARGIN_R;

	if (ns < X_MIN_NS)
		ns = X_MIN_NS;
	if (ns > X_MAX_NS)
		ns = X_MAX_NS;
	return MARGIN_L + w * (log10(ns) - log10(X_MIN_NS)) /
	       (log10(X_MAX_NS) - log10(X_MIN_NS));
}

/* Levels 0..4: 0%, 50%, 90%, 99%, max. */
static double y_of(int level)
{
	double h = PANEL_H - MARGIN_T - MARGIN_B;

	return MARGIN_T + h - h * level / 4.0;
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
		else
			fputc(*s, f);
	}
}

static void axes(FILE *f, const char *comm)
{
	static const char *const xl[] = {
		"1µs", "10µs", "100µs", "1ms", "10ms", "100ms", "1s", "10s",
	};
	static const char *const yl[] = { "0%", "50%", "90%", "99%", "max" };
	double x0 = x_of(X_MIN_NS), x1 = x_of(X_MAX_NS);

	fprintf(f, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">", MARGIN_L);
	esc(f, comm);
	fprintf(f, "</text>\n");
	for (int i = 0; i < 8; i++) {
		double x = x_of(X_MIN_NS * pow(10, i));

		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#ddd\"/>\n<text x=\"%.1f\" "
			"y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
			y_of(0), x, y_of(4), x, y_of(0) + 16, xl[i]);
	}
	for (int l = 0; l <= 4; l++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"#ddd\"/>\n<text x=\"%.1f\" "
			"y=\"%.1f\" text-anchor=\"end\">%s</text>\n", x0,
			y_of(l), x1, y_of(l), x0 - 6, y_of(l) + 4, yl[l]);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\""
		" fill=\"none\" stroke=\"#444\"/>\n", x0, y_of(4), x1 - x0,
		y_of(0) - y_of(4));
	fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">wakeup "
		"delay (log scale)</text>\n", (x0 + x1) / 2, PANEL_H - 8);
	fprintf(f, "<text transform=\"translate(14,%.1f) rotate(-90)\" "
		"text-anchor=\"middle\">wakeups served within</text>\n",
		(y_of(0) + y_of(4)) / 2);
}

static void curve(FILE *f, const struct metrics_row *r, const char *colour,
		  bool dashed)
{
	const uint64_t q[4] = { r->p50_ns, r->p90_ns, r->p99_ns, r->max_ns };

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s"
		" points=\"", colour, dashed ? " stroke-dasharray=\"6,3\"" : "");
	for (int l = 0; l < 4; l++)
		fprintf(f, "%.1f,%.1f ", x_of((double)q[l]), y_of(l + 1));
	fprintf(f, "\"/>\n");
	for (int l = 0; l < 4; l++)
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">"
			"<title>%" PRIu64 " ns</title></circle>\n",
			x_of((double)q[l]), y_of(l + 1), colour, q[l]);
}

void report_svg(FILE *f, const struct report *rep)
{
	size_t panels = rep->nshow < MAX_PANELS ? rep->nshow : MAX_PANELS;
	size_t cols = panels > 1 ? 2 : 1, rows = (panels + cols - 1) / cols;
	int legend_h = 40 + 18 * (int)rep->nruns;
	int w = (int)cols * PANEL_W, h = 40 + (int)rows * PANEL_H + legend_h;

	if (!rows)
		rows = 1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "
		"xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", w,
		h);
	fprintf(f, "<text x=\"10\" y=\"22\" font-size=\"15\" "
		"font-weight=\"bold\">Wakeup delay distribution: ");
	esc(f, rep->path);
	fprintf(f, " (%u CPUs replayed)</text>\n", rep->sim_cpus);
	for (size_t p = 0; p < panels; p++) {
		fprintf(f, "<g transform=\"translate(%zu,%zu)\">\n",
			(p % cols) * PANEL_W, 40 + (p / cols) * PANEL_H);
		axes(f, rep->show[p]);
		for (size_t k = 0; k < rep->nruns; k++) {
			const struct metrics_row *r =
				result_comm(rep->runs[k].res, rep->show[p]);

			if (r && r->count)
				curve(f, r, colours[k % 8], k == 0);
		}
		fprintf(f, "</g>\n");
	}
	fprintf(f, "<g transform=\"translate(10,%zu)\">\n<text y=\"0\">"
		"points: p50, p90, p99 and max of each run's delays; "
		"dashed: what the trace recorded</text>\n", 56 + rows * PANEL_H);
	for (size_t k = 0; k < rep->nruns; k++) {
		fprintf(f, "<line x1=\"0\" y1=\"%zu\" x2=\"30\" y2=\"%zu\" "
			"stroke=\"%s\" stroke-width=\"2\"%s/>\n<text x=\"38\" "
			"y=\"%zu\">", 14 + 18 * k, 14 + 18 * k, colours[k % 8],
			k ? "" : " stroke-dasharray=\"6,3\"", 18 + 18 * k);
		esc(f, rep->runs[k].policy);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</g>\n</svg>\n");
}
