/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxsim --tune as the command line hands it over: the options already
 * checked, the tuned policy's configuration with the user's -p applied
 * (and those keys fixed), the traces still to read.
 */
#ifndef SCX_SIM_TUNE_TUNE_CLI_H
#define SCX_SIM_TUNE_TUNE_CLI_H

#include "sim/session.h"
#include "sim/tune/tune.h"

struct tune_cli {
	struct tune_opts o;
	const char *const *paths;
	size_t npaths;
	const struct session_opts *so;
	const char *const *tasks;	/* -t: the first is the focus */
	size_t ntasks;
	size_t top;			/* --top: the verdict's candidates */
	const char *busy;		/* --busy */
	struct policy_conf eevdf;	/* the baseline with the user's -p */
	bool eevdf_keep;		/* -p set eevdf.next_buddy */
	const char *out, *plot;
	bool timing;
};

/* Exit status (0, 1, 2) with a one-line reason in err when not 0. */
int tune_main(const struct tune_cli *tc, char *err, size_t errlen);

#endif /* SCX_SIM_TUNE_TUNE_CLI_H */
