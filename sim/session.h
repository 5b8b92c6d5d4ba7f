/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One trace, read once, ready to replay: the `recorded` result, the
 * workload model, the report's description of the trace (CPUs, tick,
 * costs measured or set) and the engine configuration that follows from
 * them. scxsim's plain run replays it under each -P policy; --tune and
 * --sweep replay it under many configurations, from several threads:
 * after session_open nothing in it changes.
 */
#ifndef SCX_SIM_SESSION_H
#define SCX_SIM_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/engine/engine.h"
#include "sim/model/model.h"
#include "sim/report/recorded.h"
#include "sim/report/report.h"
#include "sim/trace/trace.h"

#define SESSION_MAX_RUNS	16

/*
 * --preempt-model: none, voluntary and full preempt a user task by IPI at
 * once (the trace cannot tell kernel mode from user mode, where they
 * differ); lazy waits for the target's tick.
 */
enum preempt_model {
	PREEMPT_MODEL_NONE, PREEMPT_MODEL_VOLUNTARY, PREEMPT_MODEL_FULL,
	PREEMPT_MODEL_LAZY,
};

/* The options that shape a replay (scxsim's -c, --seed, --tick, costs). */
struct session_opts {
	uint32_t cpus;		/* 0: the trace's */
	uint64_t seed;
	bool relative;		/* --timer relative */
	int64_t wake_cost;	/* -1: measured */
	int64_t timer_cost;
	int64_t preempt_cost;
	int preempt_model;	/* enum preempt_model; -1: from the trace */
	uint64_t tick;		/* when tick_set or the trace shows none */
	bool tick_set;
};

struct session {
	const char *path;
	struct trace_reader *tr;
	struct model *m;
	struct recorded *rec;
	struct report rep;		/* runs[0] is `recorded` */
	struct report_run runs[SESSION_MAX_RUNS + 1];
	struct engine_conf ec;
	struct live_cost live;		/* the scxlive host's, for this trace */
	double read_s;
};

/*
 * Read path into s. 0, 2 for a bad trace or option, 1 out of memory, with
 * a one-line reason in err (the caller prefixes the path). s is then
 * closed already.
 */
int session_open(struct session *s, const char *path,
		 const struct session_opts *o, char *err, size_t errlen);
void session_close(struct session *s);
/*
 * Parameters scxsim sets from the trace unless the user did (keep):
 * eevdf replays the generation of the kernel that recorded the trace.
 * Returns why, for the report, or NULL when nothing was set.
 */
const char *session_auto_params(const struct session *s,
				const struct policy_ops *ops,
				struct policy_conf *conf, bool keep);

#endif /* SCX_SIM_SESSION_H */
