/* SPDX-License-Identifier: GPL-2.0 */
/* scxlive's command line, parsed and checked apart from the loader. */
#ifndef SCX_LIVE_ARGS_H
#define SCX_LIVE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

#define LIVE_DEFAULT_POLICY	"lowlat"
#define LIVE_MAX_KV		(2 * POLICY_MAX_PARAMS)

struct live_args {
	const struct policy_ops *ops;
	const char *kv[LIVE_MAX_KV];	/* -p KEY=VALUE, in order */
	int nr_kv;
	unsigned int stats_ms;		/* 0: no stats lines */
	unsigned int ring_kib;		/* kernel -> daemon ring, KiB */
	bool partial;
	bool verbose;
	bool help;
	bool version;
	bool list_policies;
};

extern const char live_help_fmt[];

/*
 * Parse argv. 0 on success; on a usage error -1 with a one-line reason in
 * err. -p values are checked against the chosen policy's parameters here,
 * so a typo fails before anything is loaded.
 */
int live_args_parse(struct live_args *a, int argc, char **argv,
		    char *err, size_t errlen);

/* Apply a's -p list to conf (already holding the policy's defaults). */
int live_args_conf(const struct live_args *a, struct policy_conf *conf,
		   char *err, size_t errlen);

#endif /* SCX_LIVE_ARGS_H */
