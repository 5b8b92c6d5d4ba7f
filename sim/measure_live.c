// SPDX-License-Identifier: GPL-2.0
/*
 * `scxsim --measure-live [-o FILE] TRACE...`: the scxlive host's costs from
 * traces recorded under scxlive, as the cost file --live-cost reads (on
 * stdout, or written whole to FILE), with the measured round trip as
 * comments above the figures. A mode of its own: it replays nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/model/live_measure.h"
#include "sim/trace/trace.h"

static int bad(const char *what, const char *msg)
{
	fprintf(stderr, "scxsim: %s: %s\n", what, msg);
	return 2;
}

static int feed(struct live_measure *lm, const char *path)
{
	struct sched_event ev;
	struct trace_reader *tr;
	char err[256];
	int ret;

	tr = trace_open(path, err, sizeof(err));
	if (!tr)
		return bad(path, err);
	while ((ret = trace_next(tr, &ev)) == 1)
		if (live_measure_event(lm, &ev)) {
			trace_close(tr);
			fprintf(stderr, "scxsim: %s: out of memory\n", path);
			return 1;
		}
	if (ret < 0) {
		ret = bad(path, trace_error(tr));
		trace_close(tr);
		return ret;
	}
	live_measure_trace_end(lm, trace_info(tr)->cpus);
	trace_close(tr);
	return 0;
}

static int write_costs(const char *out, const struct live_cost *c,
		       const char *comment)
{
	char tmp[4096];
	FILE *f = stdout;

	if (out && strcmp(out, "-")) {
		if (snprintf(tmp, sizeof(tmp), "%s.tmp", out) >= (int)sizeof(tmp))
			return bad(out, "path too long");
		f = fopen(tmp, "w");
		if (!f)
			return bad(out, "cannot write");
	}
	live_cost_write(f, c, comment);
	if (f == stdout)
		return fflush(f) ? 1 : 0;
	if (fclose(f) || rename(tmp, out)) {
		remove(tmp);
		fprintf(stderr, "scxsim: %s: write failed\n", out);
		return 1;
	}
	return 0;
}

int live_measure_main(int argc, char **argv)
{
	static char report[8192], comment[8400];
	struct live_measure *lm;
	struct live_cost c;
	const char *out = NULL;
	int i = 1, ret = 0;

	if (i + 1 < argc && !strcmp(argv[i], "-o")) {
		out = argv[i + 1];
		i += 2;
	}
	if (i >= argc)
		return bad("--measure-live", "no TRACE given (traces recorded "
			   "under scxlive)");
	lm = live_measure_new();
	if (!lm) {
		fprintf(stderr, "scxsim: out of memory\n");
		return 1;
	}
	for (int k = i; k < argc && !ret; k++)
		ret = feed(lm, argv[k]);
	live_cost_default(&c);
	if (!ret && live_measure_finish(lm, &c, report, sizeof(report)))
		ret = bad("--measure-live", report);
	if (!ret) {
		snprintf(comment, sizeof(comment), "# scxlive host costs "
			 "(scxsim --live-cost FILE), measured by scxsim "
			 "--measure-live from %d trace(s)\n%s", argc - i, report);
		ret = write_costs(out, &c, comment);
	}
	live_measure_free(lm);
	return ret;
}
