/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `scxsim --explain COMM`: why the replay's wakeup delays of one comm differ
 * from the recorded ones, wakeup by wakeup.
 *
 * The same analysis reads both runs as streams of scheduler events (the
 * trace as read; the replay through replay_events), so both are described
 * in the same terms. For every wakeup of a watched task it keeps what the
 * CPUs were doing: who woke it and where it was sent, whether that CPU was
 * idle or whom it ran, whom it was queued behind on the CPU that ran it and
 * for how long, whether it took that CPU from a preempted task, and how long
 * another CPU sat idle while it waited. explain_print() then pairs the n-th
 * wakeup of each task in both runs, shows the largest differences with the
 * instant to look at in both timelines, and splits the total difference
 * into its causes: cost (waking an idle CPU), preemption (until a running
 * task was preempted), tick (until a running task's slice ended at a
 * tick), queue (behind other tasks) and placement (while another CPU was
 * idle).
 *
 * perf's count has a second kind of wait, a preempted task's until it is
 * put back on a CPU. Those are not paired (their number depends on the
 * run's preemptions); each run sums them up, with the comms that ran on
 * the CPU meanwhile.
 */
#ifndef SCX_SIM_EXPLAIN_H
#define SCX_SIM_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "sim/model/model.h"
#include "sim/trace/trace.h"

enum explain_cause {
	CAUSE_COST,
	CAUSE_PREEMPT,
	CAUSE_TICK,
	CAUSE_QUEUE,
	CAUSE_PLACEMENT,
	CAUSE_N,
};

#define EXPLAIN_BEHIND	3	/* tasks named in "queued behind" */

struct explain_task_ns {
	int32_t pid;
	char comm[TRACE_COMM_LEN];
	uint64_t ns;		/* its CPU time while the wakee waited */
};

/* One wakeup of a watched task and what happened until it ran. */
struct explain_wake {
	int32_t pid;		/* as in the trace (reused pids: see inc) */
	uint32_t inc;		/* the pid's incarnation: 0, then 1 after
				 * the first task of that pid died, ... */
	uint32_t nth;		/* its n-th wakeup (from 0) */
	uint64_t wake_ts, run_ts;	/* trace clock; run_ts 0: never ran */
	int32_t waker_pid;	/* task current where the wakeup fired */
	char waker_comm[TRACE_COMM_LEN];
	int32_t waker_cpu, target;
	bool irq, fork;
	bool stayed;		/* woken before it had left its CPU: ran on */
	bool first_seen;	/* first seen switching in: perf's delay 0 */
	bool lost_switch_in;	/* seen leaving a CPU it was never seen to enter */
	int32_t busy_pid;	/* running on target at the wakeup, 0: idle */
	char busy_comm[TRACE_COMM_LEN];
	uint64_t busy_ran;	/* ... for this long already */
	uint32_t idle_cpus;	/* CPUs idle at the wakeup */
	int32_t run_cpu;
	int32_t prev_pid;	/* the task it took the CPU from, 0: idle */
	char prev_comm[TRACE_COMM_LEN];
	bool prev_runnable;	/* ... which was preempted (still runnable) */
	struct explain_task_ns behind[EXPLAIN_BEHIND];
	uint32_t nbehind;	/* tasks that ran on run_cpu meanwhile */
	uint64_t other_idle;	/* longest idle span of another CPU meanwhile */
	uint8_t cause;		/* enum explain_cause of the main part */
	uint64_t part[CAUSE_N];	/* the delay split by cause */
};

#define EXPLAIN_PUTBACK_BY	16	/* comms kept per run, by CPU time */

/* The watched tasks' waits from being preempted to running again. */
struct explain_putbacks {
	uint64_t n, total_ns;
	uint64_t *delay;	/* each wait, in order */
	size_t cap;
	/* comms that ran on the CPU that put the task back, while it waited */
	struct explain_task_ns by[EXPLAIN_PUTBACK_BY];	/* pid unused */
	uint32_t nby;
	uint64_t by_rest_ns;	/* ... of comms beyond those kept */
};

struct explain;

/*
 * Watch the tasks of comm (the pids of its rows) in one run's stream.
 * pid_of maps a pid in the stream to the trace's (pid, incarnation) when
 * the stream renamed reused pids (a replay), else NULL. tick_ns tells
 * tick from wakeup preemption. NULL when out of memory.
 */
struct explain *explain_new(const int32_t *pids, size_t npids,
			    uint32_t nr_cpus, uint64_t tick_ns);
/* A replay stream: its pid for model task i is stream_pid[i]. */
int explain_map_pids(struct explain *x, const struct model *m,
		     const int32_t *stream_pid);
void explain_event(struct explain *x, const struct sched_event *ev);
/* The same, as a replay_emit_fn. */
int explain_emit(void *ctx, const struct sched_event *ev);
/* A replay's wakeup served without a switch (replay_events_on_repick). */
int explain_repick(void *ctx, const struct sched_event *ev);
/* The wakeups seen (in wake order); -1 if memory ran out on the way. */
long explain_wakes(const struct explain *x, const struct explain_wake **w);
const struct explain_putbacks *explain_putbacks(const struct explain *x);
void explain_free(struct explain *x);

struct explain_run {
	const char *name;	/* "recorded" or the policy */
	const struct explain *x;
};

/*
 * The report: what a run of `comm` waited in both runs, the largest
 * differences (top of them) and the causes. first_ts is the trace's first
 * instant, which every timeline starts at; dir where the timelines are
 * (NULL: not written), ext their file name's end.
 */
void explain_print(FILE *f, const char *comm, const struct explain_run *rec,
		   const struct explain_run *rep, uint64_t first_ts,
		   size_t top, const char *dir, const char *ext);

struct engine_conf;
struct policy_conf;
struct policy_ops;
struct result;

/*
 * The whole tool: read the trace at path again for the recorded side,
 * replay m under ops/pconf with ec for the replayed side, print the report
 * to f. 0; 2 with one line in err when comm is in neither run; 1 with err
 * on another failure (memory, the trace's error).
 */
int explain_run(FILE *f, const char *path, const char *comm,
		const struct model *m, const struct result *recorded,
		const struct policy_ops *ops, const struct policy_conf *pconf,
		const struct engine_conf *ec, uint64_t tick_ns, size_t top,
		const char *dir, const char *ext, char *err, size_t errlen);

#endif /* SCX_SIM_EXPLAIN_H */
