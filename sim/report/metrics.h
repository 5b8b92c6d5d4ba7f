/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wakeup-delay and runtime accounting shared by the `recorded` report and
 * every simulated policy, so both produce the same figures the same way.
 *
 * Figures follow `perf sched latency`: a delay is switch-in time minus the
 * time the task became runnable; count/avg/max are exact (sum and max are
 * kept, avg = sum / count in integer ns like perf). Percentiles come from a
 * log-linear histogram (64 linear steps per power of two, bucket midpoint
 * reported, clamped to the exact max: <= 0.8% relative error) whose pages
 * are allocated per pid and per power of two on first use, so memory grows
 * with the number of tasks and the spread of their delays, never with the
 * length of the trace.
 *
 * Comm and total rows also keep their bucket counts, compacted to the
 * non-empty ones (bounded by the bucket count, not by the delays), so a
 * report can draw the whole distribution rather than four quantiles.
 *
 * Rows merge by comm as perf does: the comm a pid has when the run finishes
 * (the last metrics_comm() wins), every pid of that comm in one row.
 */
#ifndef SCX_METRICS_H
#define SCX_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "sim/trace/trace.h"

struct metrics;

/*
 * One step of a row's delay distribution: cum delays were <= le_ns (the
 * histogram bucket's upper bound; the last step's is the exact max).
 */
struct metrics_step {
	uint64_t le_ns;
	uint64_t cum;
};

/* One row of a result: a comm (pids merged), a task, or the total. */
struct metrics_row {
	char comm[TRACE_COMM_LEN];
	int32_t pid;		/* task rows; -1 in comm and total rows */
	int32_t *pids;		/* comm rows: every pid merged, ascending */
	size_t npids;
	uint64_t count;		/* delays measured */
	uint64_t sum_ns;
	uint64_t avg_ns;	/* sum_ns / count, truncated as perf does */
	uint64_t p50_ns, p90_ns, p99_ns;
	uint64_t max_ns;
	uint64_t max_at_ns;	/* switch-in time of the max delay (0: unknown) */
	uint64_t runtime_ns;
	/*
	 * When the row's last task finished (its exit, or for a simulated run
	 * the end of its last burst): 0 if no task of the row finished.
	 */
	uint64_t done_ns;
	/*
	 * Comm and total rows: the non-empty histogram buckets, ascending, as
	 * a cumulative distribution (at most one step per bucket, however
	 * many delays). NULL in task rows. Read it with metrics_row_steps().
	 */
	struct metrics_step *steps;
	size_t nsteps;
};

struct result {
	char *name;		/* "recorded" or a policy name */
	struct metrics_row *comms;	/* sorted by comm */
	size_t ncomms;
	struct metrics_row *tasks;	/* sorted by pid */
	size_t ntasks;
	struct metrics_row total;	/* comm "TOTAL" */
	double cpu_util;	/* busy / (cpus * span), 0..1; <0: not measured */
	uint64_t span_ns;	/* time the run covered */
};

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One wakeup delay of pid (at: switch-in time, for max_at_ns; may be 0). */
void metrics_delay(struct metrics *m, int32_t pid, uint64_t delay_ns,
		   uint64_t at);
void metrics_runtime(struct metrics *m, int32_t pid, uint64_t ns);
/* The pid's name; the last call wins (perf names rows by its final comm). */
void metrics_comm(struct metrics *m, int32_t pid, const char *comm);
/* The pid finished at ts (the latest call wins). */
void metrics_exit(struct metrics *m, int32_t pid, uint64_t ts);
/*
 * Make pid known without a delay, so it appears in task rows and its comm
 * merges (perf's num_merged counts such tasks too). metrics_delay and the
 * others do this implicitly.
 */
void metrics_touch(struct metrics *m, int32_t pid);
/* Hide pid from every row (perf drops the idle task, pid 0 "swapper"). */
void metrics_ignore(struct metrics *m, int32_t pid);
/* Whole-run CPU utilisation for the result: busy_ns over cpus * span_ns. */
void metrics_util(struct metrics *m, uint64_t busy_ns, uint32_t cpus,
		  uint64_t span_ns);

/*
 * Print only rows with at least one delay, as perf does: a comm row is kept
 * if its merged count is non-zero (its runtime includes pids without
 * delays), a task row if its own count is; the total sums the kept comm rows.
 */
#define METRICS_PERF_ROWS	(1u << 0)
/*
 * Leave out what only a picture or a task's quantiles need: no steps, and
 * task rows keep their exact figures (count, avg, max, runtime, done) with
 * p50/p90/p99 at 0. For a caller judging thousands of replays (--tune).
 */
#define METRICS_NO_DIST		(1u << 1)

/*
 * Build the result (rows per comm, per task, total). The metrics stay valid
 * and may be fed and finished again. NULL only when out of memory.
 */
struct result *metrics_finish(struct metrics *m, const char *name,
			      unsigned int flags);
/*
 * The same with comm rows for the comms named only (NULL entries name
 * none), and the total over those: every task row is still there. For
 * --tune, which reads two comms of each of thousands of replays.
 */
struct result *metrics_finish_comms(struct metrics *m, const char *name,
				    unsigned int flags,
				    const char *const *comms, size_t ncomms);
void result_free(struct result *res);

/*
 * The row's delay distribution for a CDF: *steps points at nsteps steps,
 * ascending in le_ns and cum; cum / count is the fraction of delays within
 * le_ns, 1 at the last step. 0 steps for task rows and rows without delays.
 */
size_t metrics_row_steps(const struct metrics_row *r,
			 const struct metrics_step **steps);

/* Lookups in a finished result (NULL if absent). */
const struct metrics_row *result_comm(const struct result *res,
				      const char *comm);
const struct metrics_row *result_task(const struct result *res, int32_t pid);

/*
 * Give every row of `res` (comms, tasks, total) the runtime `from` has for
 * the same comm or pid (0 where it has none): a recorded result whose trace
 * has no sched_stat_runtime takes the CPU time its switches show.
 */
void result_take_runtime(struct result *res, const struct result *from);

#endif /* SCX_METRICS_H */
