/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What scxsim tells its user: the recorded trace and every replayed policy
 * side by side, as a table for people, JSON and CSV for programs, and an SVG
 * of the delay distribution. All four read the same struct report, so they
 * cannot disagree on a number.
 */
#ifndef SCX_SIM_REPORT_H
#define SCX_SIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/engine/engine.h"
#include "sim/model/live_cost.h"
#include "sim/report/metrics.h"
#include "sim/trace/trace.h"

struct report_run {
	const char *policy;		/* "recorded" or a policy name */
	const char *host;		/* simulated: "kernel" or "scxlive" */
	struct result *res;
	bool simulated;
	struct engine_stats stats;	/* simulated runs only */
	/* Simulated runs: the parameters replayed (NULL for recorded). */
	const struct policy_ops *ops;
	const struct policy_conf *conf;
	/* Why a parameter differs from its default without -p, or NULL. */
	const char *auto_param;
};

struct report {
	const char *path;
	const char *format;
	const char *kernel_release;	/* "" when the trace does not say */
	uint32_t trace_cpus;
	uint32_t sim_cpus;
	uint64_t events, lost_events;
	uint64_t first_ts, duration_ns;
	uint64_t seed;
	uint64_t tick_ns;
	/*
	 * The replay draws tick spacings from the trace's own (a guest whose
	 * tick is late and uneven); tick_ns is then their median and lo..hi
	 * holds about 80% of them.
	 */
	bool tick_uneven;
	uint64_t tick_lo_ns, tick_hi_ns;
	bool timer_relative;
	uint64_t wake_cost_ns;
	uint32_t wake_cost_samples;
	uint64_t timer_cost_ns;
	uint32_t timer_cost_samples;
	bool wake_cost_set, timer_cost_set;	/* by option */
	uint64_t preempt_cost_ns;
	uint32_t preempt_cost_samples;
	bool preempt_cost_set;
	bool preempt_lazy;		/* remote wakeup preemptions wait for
					 * the tick (--preempt-model, or the
					 * trace's remote medians) */
	bool preempt_model_set;		/* by option */
	uint64_t preempt_local_ns, preempt_remote_ns;
	uint32_t preempt_local_samples, preempt_remote_samples;
	const struct live_cost *live;	/* the scxlive host's costs */
	uint64_t kernel_path_ns;	/* the trace's (model.h), 0: unknown */
	struct result *observed;	/* CPU time the trace shows per task */
	/* no sched_stat_runtime: the recorded runtime is the observed one */
	bool runtime_from_switches;
	struct report_run *runs;	/* runs[0] is `recorded` */
	size_t nruns;
	const char **show;		/* comms the table and plot show */
	size_t nshow;
	const char *focus;		/* the latency-sensitive comm */
	bool focus_chosen;		/* ... named by the user (-t) */
	const char *busy;		/* the busiest CPU-bound comm */
};

/*
 * Choose the comms to show: every name in `wanted` (the -t list), then the
 * top ones by recorded wakeups up to `top` in all; also sets focus and busy.
 * 0, or -1 when out of memory.
 */
int report_choose(struct report *rep, const char *const *wanted,
		  size_t nwanted, size_t top);
void report_table(FILE *f, const struct report *rep);	/* table.c */
void report_json(FILE *f, const struct report *rep);	/* export.c */
/* s as a JSON string, quoted and escaped as report_json writes them. */
void report_json_str(FILE *f, const char *s);		/* export.c */
void report_csv(FILE *f, const struct report *rep);	/* export.c */
void report_svg(FILE *f, const struct report *rep);	/* plot.c */

/* "1.23ms", "850ns": a delay or duration for people. */
char *report_dur(char *buf, size_t len, uint64_t ns);
/* A row's completion time, relative to the trace start (0: none). */
uint64_t report_done(const struct report *rep, const struct metrics_row *r);

/*
 * Write PATH through fn atomically (a temporary file renamed over it), or
 * to stdout when PATH is "-". 0, or -1 with a one-line reason in err.
 */
int report_write(const char *path,
		 void (*fn)(FILE *f, const struct report *rep),
		 const struct report *rep, char *err, size_t errlen);
/* The same for any writer of anything (a parameter file, a sweep's lines). */
int report_write_fn(const char *path, void (*fn)(FILE *f, const void *arg),
		    const void *arg, char *err, size_t errlen);

#endif /* SCX_SIM_REPORT_H */
