/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxsim --sweep SPEC --shard I/N: one share of a fleet's sweep (spec.h),
 * as JSON lines, one per job, for any job engine to run side by side
 * (GNU parallel, parallel --sshlogin, a Slurm array) and sim/tune/merge.jq
 * to gather into one table. Each trace of the share is read once and all
 * its jobs replay the one model.
 */
#ifndef SCX_SIM_TUNE_SWEEP_H
#define SCX_SIM_TUNE_SWEEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/session.h"
#include "sim/tune/spec.h"

struct sweep_req {
	const char *spec;
	uint32_t shard, nshards;
	const char *focus;		/* -t, else each trace's pick */
	const char *busy;		/* --busy, else each trace's pick */
	size_t top;			/* --top: the verdict's candidates */
	const char *out;		/* --json FILE, or "-" (stdout) */
};

/*
 * Run the share; its lines go to rq->out whole or not at all. Exit status
 * (0, 1 failure, 2 bad spec or trace) with the complaint in err.
 */
int sweep_run(const struct sweep_req *rq, const struct session_opts *so,
	      const struct policy_ops *(*find)(const char *name, void *arg),
	      void *arg, char *err, size_t errlen);

#endif /* SCX_SIM_TUNE_SWEEP_H */
