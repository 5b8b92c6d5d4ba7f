/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What --tune tells its user: the Pareto front of latency (the objective)
 * against throughput (the CPU-bound comm's completion relative to eevdf)
 * as a table, the same points as an SVG scatter, and the winner as a
 * parameter file that `scxsim -p @FILE` and `scxlive -p @FILE` read.
 */
#ifndef SCX_SIM_TUNE_FRONT_H
#define SCX_SIM_TUNE_FRONT_H

#include <stdio.h>

#include "sim/tune/tune.h"

/* What the reports say about the run besides the points. */
struct tune_view {
	const struct tune_opts *o;
	const struct tune_trace *tr;
	uint32_t ntr;
	const struct tune_result *res;
};

/*
 * The front: indices of the points within the starvation bound that no
 * other such point beats on both latency and completion, by completion
 * ascending. Returns how many (idx holds res->npts entries).
 */
uint32_t tune_front(const struct tune_result *res, uint32_t *idx);
void tune_table(FILE *f, const struct tune_view *v);
void tune_svg(FILE *f, const void *view);	/* a struct tune_view */
/* The winner as POLICY.KEY=VALUE lines under # comments. */
void tune_params(FILE *f, const void *view);
/* "5ms", "250us", "1234ns", "50": a parameter's value as -p takes it. */
char *tune_value(char *buf, size_t len, const struct policy_param *p,
		 int64_t v);

#endif /* SCX_SIM_TUNE_FRONT_H */
