/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A sweep's specification: traces x policies x parameter points, as a
 * small text file so a fleet's job scripts only pass its name around.
 *
 *   # comments and blank lines are ignored
 *   trace traces/game_build.dat        (one or more)
 *   policy eevdf                       (one or more)
 *   policy lowlat
 *   param lowlat.slice_max=1ms,2ms,5ms (values to cross, per policy)
 *   param lowlat.boost=0,100
 *
 * The jobs are every trace with every policy at every combination of its
 * own params' values (a policy without param lines runs once, at its
 * defaults), numbered in that order: trace-major, then policy, then the
 * parameter combinations with the last param line varying fastest. Job j
 * belongs to shard j mod N, so `--shard I/N` for I = 0..N-1 covers every
 * job exactly once whatever N is.
 */
#ifndef SCX_SIM_TUNE_SPEC_H
#define SCX_SIM_TUNE_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

#define SPEC_MAX_TRACES		256
#define SPEC_MAX_POLICIES	16
#define SPEC_MAX_AXES		32
#define SPEC_MAX_VALUES		64
#define SPEC_MAX_JOBS		100000000ull	/* a fleet, not a typo */

struct spec_axis {
	uint32_t policy;		/* index into spec.pol */
	uint32_t param;			/* index into its ops->params */
	uint32_t nvalues;
	int64_t values[SPEC_MAX_VALUES];
};

struct spec_policy {
	const struct policy_ops *ops;
	uint64_t points;		/* parameter combinations */
};

struct spec {
	char *text;			/* the file; paths point into it */
	const char *trace[SPEC_MAX_TRACES];
	uint32_t ntrace;
	struct spec_policy pol[SPEC_MAX_POLICIES];
	uint32_t npol;
	struct spec_axis axis[SPEC_MAX_AXES];
	uint32_t naxis;
	uint64_t per_trace;		/* jobs per trace */
};

/*
 * Parse the spec at path, looking policies up with find (the CLI's, which
 * knows a test's extra policies). 0, or -1 with "line N: ..." in err.
 */
int spec_load(struct spec *s, const char *path,
	      const struct policy_ops *(*find)(const char *name, void *arg),
	      void *arg, char *err, size_t errlen);
void spec_free(struct spec *s);
/* Does a param line of policy p set `key`? */
bool spec_sets(const struct spec *s, uint32_t p, const char *key);
uint64_t spec_jobs(const struct spec *s);
/* Job j: its trace, policy and configuration (defaults + its point). */
void spec_job(const struct spec *s, uint64_t j, uint32_t *trace,
	      uint32_t *policy, struct policy_conf *conf);

#endif /* SCX_SIM_TUNE_SPEC_H */
