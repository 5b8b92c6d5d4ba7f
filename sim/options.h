/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside scxsim's command line: what the options chose (struct cli), read
 * by options.c and acted on by cli.c, and the one way both fail.
 */
#ifndef SCX_SIM_OPTIONS_H
#define SCX_SIM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "sim/model/live_cost.h"
#include "sim/session.h"

#define MAX_RUNS	16
#define MAX_SHOW	32
#define DEFAULT_TOP	6
#define DEFAULT_TICK_NS	4000000ull	/* HZ=250, as Debian's kernels */
#define PROGRESS_EVERY	(1u << 20)
#define EXPLAIN_TOP	10	/* differences --explain describes */

struct sim_policy {
	const struct policy_ops *ops;
	struct policy_conf conf;
	const char *auto_param;	/* set from the trace, for the report */
};

struct cli {
	const struct policy_ops *const *extra;
	const char *policies;
	const char *params[64];
	size_t nparams;
	const char *tasks[MAX_SHOW];
	size_t ntasks;
	uint32_t cpus;
	uint64_t seed;
	bool relative;
	bool timing;
	double read_s;
	long top;
	int64_t wake_cost;	/* -1: measured */
	int64_t timer_cost;
	int64_t preempt_cost;
	int preempt_model;	/* enum preempt_model, -1: from the trace */
	uint64_t tick;
	bool tick_set;		/* --tick given: not the trace's */
	const char *host;	/* --host, NULL: scxlive but for eevdf */
	struct live_cost live;	/* the scxlive host's costs */
	const char *json, *csv, *plot;
	const char *timeline_dir;	/* --timeline DIR */
	const char *explain;		/* --explain COMM */
	bool policies_set;		/* -P given */
	const char *path;
	struct sim_policy pol[MAX_RUNS];
	size_t npol;
	struct session_opts so;		/* the replay options above, for a
					 * session (set by cli_parse_args) */
	/* --tune and --sweep (sim/tune/) */
	const char *tune, *sweep;
	uint32_t shard, nshards;
	const char *out;		/* -o: the winner's parameter file */
	const char *busy;		/* --busy COMM */
	int figure;			/* enum tune_figure */
	double within;			/* --within R; 0: unchecked */
	bool no_bound;
	uint32_t evals, workers;
	char *const *paths;		/* every TRACE (--tune takes several) */
	size_t npaths;
	char **files[8];		/* -p @FILE contents, freed at the end */
	size_t nfiles;
};

/* "scxsim: WHAT: problem" on stderr; returns 2, the bad-input status. */
int cli_fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for out of memory or a file that cannot be written: 1. */
int cli_fail_sys(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A reader's message: the file's fault (2) unless the readers ran out of
 * memory, which they all report in these words.
 */
int cli_fail_read(const char *path, const char *msg);
/* A session's failure (status 1 or 2, session.h) as one of the above. */
int cli_fail_status(const char *what, int status, const char *msg);
/* 0 to go on, 2 on a bad option, -1 when done (help/version/list). */
int cli_parse_args(struct cli *c, int argc, char **argv);
/* What parsing allocated (the -p @FILE lines). */
void cli_free(struct cli *c);
const struct policy_ops *cli_find_policy(const struct cli *c,
					 const char *name);

#endif /* SCX_SIM_OPTIONS_H */
