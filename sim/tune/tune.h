/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxsim --tune: search a policy's parameters for the best objective over
 * one or more recorded traces, within constraints.
 *
 * Each trace is read once into its workload model; every configuration is
 * then a replay of that read-only model, so worker threads share it and a
 * configuration costs one engine run per trace. The objective is a figure
 * (p99 by default) of each trace's latency-sensitive comm, relative to what
 * the policy's defaults give on that trace and averaged over the traces, so
 * every trace weighs the same. A configuration is admissible when, on every
 * trace, the CPU-bound comm finishes within `within` times its completion
 * under eevdf and no task waited longer than the policy's stated starvation
 * bound (see policy.h, wait_bound). The defaults are always the first
 * point tried, so the winner is never worse than them on the objective
 * unless they break a constraint themselves.
 */
#ifndef SCX_SIM_TUNE_TUNE_H
#define SCX_SIM_TUNE_TUNE_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"
#include "sim/engine/engine.h"
#include "sim/model/model.h"
#include "sim/tune/space.h"

enum tune_figure { FIG_P99, FIG_P90, FIG_P50, FIG_AVG, FIG_MAX };

/* One trace as the tuner replays it. */
struct tune_trace {
	const char *path;
	const struct model *m;
	struct engine_conf ec;		/* the tuned policy's replays */
	const char *host;		/* ec's: "scxlive" or "kernel" */
	uint64_t first_ts;		/* trace clock of time 0 */
	const char *focus;		/* the latency-sensitive comm */
	const char *busy;		/* the CPU-bound comm, or NULL */
	struct policy_conf eevdf;	/* the baseline, as scxsim replays it */
	uint64_t eevdf_done_ns;		/* busy's completion under eevdf */
	double def_figure;		/* the defaults' figure of focus */
	uint64_t bound_slack_ns;	/* host costs a wait may add */
};

/* What one configuration gave, over every trace. */
struct tune_point {
	struct policy_conf conf;
	double objective;	/* mean of figure / defaults' figure */
	double latency_ns;	/* mean figure over the traces */
	double makespan;	/* worst busy completion / eevdf's; 0: none */
	double starve;		/* worst max delay / stated bound; 0: none */
	bool within;		/* the throughput constraint holds */
	bool bounded;		/* the starvation constraint holds */
	bool failed;		/* a replay failed its conservation checks */
	uint32_t order;		/* when it was first asked for */
};

struct tune_opts {
	const struct policy_ops *ops;
	struct policy_conf base;	/* defaults with the user's -p */
	bool fixed[POLICY_MAX_PARAMS];	/* set by -p: not searched */
	enum tune_figure figure;
	double within;			/* completion ratio; 0: unchecked */
	bool check_bound;		/* starvation bound checked */
	uint32_t evals;			/* configurations to ask for */
	uint32_t workers;
	uint32_t starts;		/* local searches */
};

struct tune_result {
	struct tune_point *pts;		/* every distinct configuration */
	uint32_t npts;
	uint32_t best;			/* index into pts */
	uint32_t defaults;		/* index of the defaults */
	uint64_t replays;		/* engine runs (configurations x traces) */
	uint64_t asked;			/* objective calls, cache hits included */
	double seconds;			/* search wall time */
	const char *algorithm;
};

/* Figure of a row (sim/tune/eval.c). */
struct metrics_row;
double tune_row_figure(const struct metrics_row *r, enum tune_figure fig);
const char *tune_figure_name(enum tune_figure fig);
int tune_figure_parse(const char *s, enum tune_figure *fig);
/* True when a is the better admissible point (objective, then makespan). */
bool tune_better(const struct tune_point *a, const struct tune_point *b);
static inline bool tune_ok(const struct tune_point *p)
{
	return p->within && p->bounded && !p->failed;
}

/*
 * Replay conf on every trace and fill *p. 0, or -1 (out of memory or a
 * policy init failure) with err set.
 */
int tune_eval(const struct tune_opts *o, const struct tune_trace *tr,
	      uint32_t ntr, const struct policy_conf *conf,
	      struct tune_point *p, char *err, size_t errlen);

/*
 * The search (sim/tune/search.c): the defaults, a low-discrepancy sample
 * of the cube, then NLopt local searches from the best points. 0, or -1
 * with err set; *res is then freed by tune_result_free.
 */
int tune_search(const struct tune_opts *o, const struct tune_trace *tr,
		uint32_t ntr, struct tune_result *res, char *err,
		size_t errlen);
void tune_result_free(struct tune_result *res);

/* Where the winner and the picture go (sim/tune/tune.c). */
struct tune_outputs {
	const char *params;		/* the winner; NULL: POLICY.params */
	const char *plot;		/* SVG of the front, or NULL */
	bool timing;			/* configurations/s on stderr */
};

/*
 * The whole of --tune once the traces are read and each tune_trace has
 * m, ec, first_ts, focus, busy, eevdf and bound_slack_ns set: the eevdf
 * baseline and the defaults' figures, the search, the front on f, the
 * files. Returns the exit status (0, 1 on failure, 2 on a bad input) with
 * a message in err when not 0.
 */
int tune_run(const struct tune_opts *o, struct tune_trace *tr, uint32_t ntr,
	     const struct tune_outputs *out, FILE *f, char *err,
	     size_t errlen);

#endif /* SCX_SIM_TUNE_TUNE_H */
