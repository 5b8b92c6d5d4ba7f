/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The workload model: what every task asked of the CPU, with the recorded
 * scheduler's decisions taken out, so another policy can serve it again.
 *
 * A task is a sequence of bursts. A burst is the CPU time the task consumed
 * between becoming runnable after a sleep and blocking again, however the
 * recorded scheduler sliced it. What ended the sleep before a burst is kept
 * as its cause:
 *
 *   wake edge   another task woke it from task context; the waker's burst
 *               index and the CPU time it had consumed into that burst are
 *               stored, so in replay the wakee wakes when the waker has done
 *               the same work, whenever that is under the new policy.
 *   timer       interrupt context (hardirq/softirq bit), or woken while the
 *               CPU idled: anchored to the recorded time, or replayed as the
 *               same sleep length after blocking (--timer relative).
 *   new         a fork: a wake edge from the parent, enqueued as NEW.
 *   initial     the task was running or runnable when the trace began: its
 *               observed remainder, ready at the time it was first seen.
 *
 * The model is built in one streaming pass (model_add per event) and then
 * only read: the engine replays it once per policy. Events are not kept;
 * memory is per task (bursts 32 bytes, wake edges 24 bytes each).
 * Times are ns since the trace's first event.
 */
#ifndef SCX_SIM_MODEL_H
#define SCX_SIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/model/pidmap.h"
#include "sim/trace/trace.h"

#define MODEL_TICK_Q	32
#define MODEL_COST_Q	128

/* What a wakeup cost, measured from the trace. */
enum model_cost {
	COST_WAKE,	/* a task woke a task onto an idle CPU */
	COST_TIMER,	/* a timer/irq woke a task onto an idle CPU */
	COST_PREEMPT,	/* the wakee preempted its busy target CPU's task */
	COST_PATH,	/* sched_waking -> sched_wakeup of it on one CPU */
	COST_KINDS,
};

enum burst_src {
	BURST_INITIAL = 0,	/* running/runnable at trace start */
	BURST_EDGE,		/* woken by a task (see wake_edge) */
	BURST_TIMER,		/* woken by an interrupt or timer */
	BURST_NEW,		/* forked: woken by its parent's edge */
};

enum burst_flags {
	BURST_NOCOUNT	= 1u << 0,	/* perf counted no delay for this start */
	BURST_IRQ	= 1u << 1,	/* the wakeup came from irq context */
	BURST_LAST_EXIT	= 1u << 2,	/* the task exited after this burst */
	BURST_FORK	= 1u << 3,	/* first burst of a forked child */
	BURST_AHEAD	= 1u << 4,	/* woken by a task that runs ahead of
					 * its wakees (model_task.runs_ahead) */
};

struct burst {
	uint64_t demand_ns;	/* CPU time to serve */
	uint64_t at_ns;		/* timer/initial: recorded ready time */
	uint64_t sleep_ns;	/* timer: recorded sleep before it */
	uint8_t src;		/* enum burst_src */
	uint8_t flags;		/* enum burst_flags */
};

/* Waker side of a wake edge: at `offset_ns` into its burst `burst`, wake. */
struct wake_edge {
	uint64_t offset_ns;
	uint32_t burst;		/* the waker's burst index */
	uint32_t wakee;		/* task index */
	uint32_t wakee_burst;	/* the burst of the wakee it starts */
	bool waker_preempted;	/* the waker was preempted since its edge
				 * before (or its burst's start) */
	bool stray;		/* it found its wakee awake: only a waker that
				 * runs ahead keeps these (model_finish) */
};

struct model_task {
	int32_t pid;
	int32_t tgid;
	char comm[TRACE_COMM_LEN];	/* its name, as the recorded rows */
	uint32_t weight;
	int32_t pinned_cpu;		/* per-CPU kthread, or a task the trace
					 * shows pinned: its CPU, else -1 */
	bool rt;			/* seen with an RT prio (< 100) */
	uint32_t autogroup;		/* its session's autogroup as inferred
					 * (sim/model/autogroup.c); 0: the
					 * root group (kernel threads) */
	bool exited;
	/*
	 * It woke tasks still awake (not yet switched out) more often than
	 * asleep, as a futex_wake spinner or a producer ahead of its
	 * consumer does: it never waits on its wakees, and a wakeup of its
	 * that finds its wakee awake is lost (sim/engine/hold.c).
	 */
	bool runs_ahead;
	int32_t ahead_waker;		/* the task that runs ahead whose
					 * wakeups start its BURST_AHEAD
					 * bursts (the last such), or -1 */
	uint32_t *ahead_wakees;		/* runs_ahead: the tasks its edges
					 * start BURST_AHEAD bursts of, each
					 * once */
	uint32_t nr_ahead_wakees;
	struct burst *bursts;
	uint32_t nr_bursts, cap_bursts;
	struct wake_edge *edges;	/* sorted by (burst, offset) */
	uint32_t nr_edges, cap_edges;
	/* Build state, meaningless after model_finish(). */
	char perf_comm[TRACE_COMM_LEN];	/* perf.data COMM record, if any */
	int32_t parent;			/* task index of its forker, or -1 */
	int32_t ppid;			/* its forker's pid (fork seen), or 0 */
	uint8_t state;
	bool multi_cpu;
	uint32_t kept_busy;		/* wakeups left on its busy CPU while
					 * another CPU idled */
	int32_t cpu;
	int32_t first_cpu;
	uint64_t on_since;
	uint64_t consumed;
	bool preempted_since_edge;	/* see wake_edge.waker_preempted */
	uint32_t woke_asleep;		/* its wakeups of sleeping tasks */
	uint32_t woke_awake;		/* ... of tasks not yet switched out */
	uint64_t blocked_at;
	uint64_t stray_wake_at;		/* a wakeup while it was not asleep */
	int32_t stray_waker;		/* task index or -1 (timer) */
	uint32_t stray_waker_burst;
	uint64_t stray_offset;
	uint64_t cost_wake_at;		/* last wakeup, for the costs */
	int32_t cost_wake_cpu;		/* its target CPU, or -1 */
	uint8_t cost_kind;		/* enum model_cost */
	bool cost_remote;		/* woken from another CPU than that */
};

#define MODEL_PATH_CPUS	64

struct model {
	struct model_task *tasks;
	uint32_t nr_tasks, cap_tasks;
	uint32_t nr_cpus;		/* highest CPU seen + 1 */
	uint64_t first_ts;		/* trace clock of time 0 */
	uint64_t duration_ns;
	uint64_t events;
	uint64_t nr_bursts, nr_edges, nr_timer;
	uint64_t lost_switches;		/* switch-outs the trace is missing */
	uint64_t wake_cost_ns;		/* median wake-to-run onto an idle CPU */
	uint32_t wake_cost_samples;	/* ... of a task's wakeup (an IPI);
					 * 0: MODEL_WAKE_COST_DFL */
	uint64_t timer_cost_ns;		/* the same for timer/irq wakeups */
	uint32_t timer_cost_samples;
	uint64_t preempt_cost_ns;	/* wakeup to preempting a busy CPU */
	uint32_t preempt_cost_samples;	/* 0: none measured, cost 0 */
	/*
	 * The same apart for wakeups from the target CPU itself (the
	 * waker's return to user space, or an interrupt's, preempts) and
	 * from another CPU (an IPI, unless the kernel's preemption is lazy:
	 * then the target's next tick), medians; 0 samples: too few.
	 */
	uint64_t preempt_local_ns, preempt_remote_ns;
	uint32_t preempt_local_samples, preempt_remote_samples;
	bool preempt_lazy;		/* remote preemptions waited for the
					 * tick: PREEMPT_LAZY (see estimate.c) */
	/*
	 * How fast this machine runs the kernel's wakeup path: the median
	 * time from a task's sched_waking to its sched_wakeup on the same CPU
	 * (1-3 us on real CPUs, 10-200 us in a TCG guest), 0: too few. Costs
	 * measured on another machine can be held against it.
	 */
	uint64_t kernel_path_ns;
	/*
	 * Each kind's spread, as MODEL_COST_Q quantiles at the midpoints of
	 * equal shares (an idle kind with too few samples has both idle
	 * kinds' together), for a replay to draw each wakeup's cost from;
	 * 0 quantiles: too few measured.
	 */
	uint64_t cost_q[COST_KINDS][MODEL_COST_Q];
	uint32_t cost_q_n[COST_KINDS];
	uint64_t tick_ns;		/* scheduler tick as the trace shows it
					 * (median spacing of tick-time
					 * runtime updates); 0: not measured */
	uint32_t tick_samples;
	/*
	 * A tick that is no common HZ (an emulated guest whose vCPUs take
	 * turns delivers it late and unevenly) is kept as the quantiles of
	 * its spacing, for a replay to draw from; 0 quantiles: regular.
	 */
	uint64_t tick_q[MODEL_TICK_Q];
	uint32_t tick_q_n;
	/* build state */
	bool finished;
	uint32_t nr_autogroups;		/* model_autogroups(), root included */
	bool have_waking;
	bool saw_comm_records;		/* perf.data: names from COMM */
	struct pidmap pid_index;	/* pid -> tasks[] (while building) */
	int32_t *cpu_curr;		/* pid current on each CPU */
	uint64_t *cpu_first;		/* first event on each CPU */
	uint64_t *cpu_switch_at;	/* last switch on each CPU, 0: none */
	uint64_t *cpu_tick_at;		/* last irq runtime update, 0: none */
	uint64_t *tick_gap;		/* spacing samples of those */
	uint32_t nr_tick_gap, cap_tick_gap;
	uint32_t cpu_cap;
	/* the latest sched_waking on each CPU (the first MODEL_PATH_CPUS) */
	int32_t path_pid[MODEL_PATH_CPUS];
	uint64_t path_at[MODEL_PATH_CPUS];
	uint64_t *cost[COST_KINDS];	/* samples per enum model_cost */
	uint32_t nr_cost[COST_KINDS], cap_cost[COST_KINDS];
	uint64_t *pre_side[2];		/* COST_PREEMPT's, local and remote */
	uint32_t nr_pre_side[2], cap_pre_side[2];
	int oom;
};

/*
 * A task seen on one CPU only, whose wakeups found that CPU busy with
 * another task while another CPU idled this many times, is pinned there:
 * select_idle_sibling() would have moved it otherwise.
 */
#define MODEL_PIN_EVIDENCE	3

/*
 * A waker runs ahead (model_task.runs_ahead) when it found its wakees awake
 * more often than asleep, at least this many times: one or two wakeups
 * racing their wakee's switch-out are any ping-pong's, not a spinner's.
 */
#define MODEL_AHEAD_EVIDENCE	3

/* Wake cost when the trace shows too few wakeups of an idle CPU. */
#define MODEL_WAKE_COST_DFL	50000ull

struct model *model_new(void);
void model_free(struct model *m);
/* Feed one event (in trace order). 0, or -1 when out of memory. */
int model_add(struct model *m, const struct sched_event *ev);
/* Close open bursts at the trace's end and finalise. 0 or -1 (memory). */
int model_finish(struct model *m);
/* Sum of demand over every burst (what a replay must serve). */
uint64_t model_demand(const struct model *m);
uint64_t model_demand_task(const struct model_task *t);

/* sim/model/kthread.c: is comm a kernel thread's name; the CPU a per-CPU
 * kernel thread's name says (kworker/3:1 -> 3), else -1. */
bool kthread_comm(const char *comm);
/*
 * sim/model/autogroup.c: give every task its autogroup (model_task.autogroup),
 * from the fork tree the trace shows, and m->nr_autogroups (root
 * included). 0, or -1 out of memory.
 */
int model_autogroups(struct model *m);
int32_t kthread_cpu(const char *comm);

#endif /* SCX_SIM_MODEL_H */
