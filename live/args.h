/* SPDX-License-Identifier: GPL-2.0 */
/* scxlive's command line, parsed and checked apart from the loader. */
#ifndef SCX_LIVE_ARGS_H
#define SCX_LIVE_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "policy/policy.h"

#define LIVE_DEFAULT_POLICY	"lowlat"
#define LIVE_MAX_KV		(4 * POLICY_MAX_PARAMS)
#define LIVE_KV_TEXT		8192	/* bytes of items read from files */
#define LIVE_KV_FILE_MAX	65536	/* a longer -p @FILE is refused */
/* Where scx schedulers serve scx_stats (its crate's default path). */
#define LIVE_STATS_SOCKET	"/var/run/scx/root/stats"

/* One -p item: from the command line, or line LINE of -p @FILE. */
struct live_kv {
	const char *text;		/* [POLICY.]KEY=VALUE */
	const char *file;		/* NULL: the command line */
	unsigned int line;
};

struct live_args {
	const struct policy_ops *ops;
	struct live_kv kv[LIVE_MAX_KV];	/* in order: a later one wins */
	int nr_kv;
	char kv_text[LIVE_KV_TEXT];	/* the file items kv[] points into */
	size_t kv_used;
	unsigned int stats_ms;		/* 0: no stats lines */
	const char *stats_socket;	/* "" for none */
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
 * err. -p values (and every line of -p @FILE, read here) are checked
 * against the chosen policy's parameters, so a typo fails before anything
 * is loaded.
 */
int live_args_parse(struct live_args *a, int argc, char **argv,
		    char *err, size_t errlen);

/* Apply a's -p list to conf (already holding the policy's defaults). */
int live_args_conf(const struct live_args *a, struct policy_conf *conf,
		   char *err, size_t errlen);

#endif /* SCX_LIVE_ARGS_H */
