/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A policy's parameter space as an optimiser sees it: the unit cube.
 *
 * The optimiser (NLopt) works on doubles in [0, 1]^d; a policy takes
 * integers within the ranges its registry table declares. Durations span
 * decades (lowlat's lag runs from 0 to 10 s), so a parameter in ns maps
 * its coordinate logarithmically from 10 us (or its minimum, when that is
 * larger) to its maximum, with the first sliver of the axis meaning 0 when
 * 0 is allowed; other parameters map linearly. Every value is rounded to
 * an integer (a duration to three significant digits: 1.54ms, not
 * 1542529ns, finer than a policy can tell apart) and clamped to the table's range, so whatever point the
 * optimiser asks for, the policy is run with a configuration `-p` would
 * accept. Parameters the user fixed with -p stay out of the search.
 */
#ifndef SCX_SIM_TUNE_SPACE_H
#define SCX_SIM_TUNE_SPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

struct tune_space {
	const struct policy_ops *ops;
	struct policy_conf base;	/* defaults, with the user's -p fixed */
	uint32_t dim;			/* searched parameters */
	uint32_t idx[POLICY_MAX_PARAMS];	/* their index in ops->params */
};

/* fixed[i]: parameter i was set by the user and is not searched. */
void space_init(struct tune_space *s, const struct policy_ops *ops,
		const struct policy_conf *base, const bool *fixed);
/* The configuration a point of the unit cube stands for. */
void space_conf(const struct tune_space *s, const double *u,
		struct policy_conf *out);
/* The point whose configuration is conf (the defaults' start point). */
void space_point(const struct tune_space *s, const struct policy_conf *conf,
		 double *u);

#endif /* SCX_SIM_TUNE_SPACE_H */
