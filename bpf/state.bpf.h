/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxlive.bpf.c's state: the tunables the loader sets, what it shares with
 * the daemon through .bss, the per-task context, the rings and counters.
 * One program includes it (BPF has no linker here); it is a file of its
 * own so that each part of the program reads apart.
 */
#ifndef SCXL_STATE_BPF_H
#define SCXL_STATE_BPF_H

#include "bpf/scx_common.bpf.h"
#include "bpf/intf.h"

/* Set by the loader before load. */
const volatile s32 usersched_tgid;
const volatile u64 fallback_slice_ns = 5000000ULL;
const volatile bool notify_running;
/* Longest wait in the shared DSQ before the starvation guard steps in. */
const volatile u64 starve_ns = 2000000000ULL;

/* Shared with the daemon through the skeleton's mmapped .bss. */
u64 idle_mask[SCXL_MASK_WORDS];
struct scxl_exit exit_info;
u64 nr_pushed;			/* decisions the daemon submitted */
u64 nr_drained;			/* decisions ops.dispatch consumed */
/*
 * Where an interrupt wakeup's delay goes (timer-woken frame loops): from
 * enqueue to its decision being carried out, and to running. Sums and
 * maxima in ns, for the loader's exit report.
 */
u64 irq_wakes, irq_decide_sum, irq_decide_max, irq_run_sum, irq_run_max;
/* Wakeups handed to the daemon: how many of them irq_wakes is. */
u64 nr_wakes;
/* Wakeups (select_cpu) from a hard interrupt or NMI, of any task. */
u64 hardirq_wakes;

/* Highest vtime a decided task started running with: the frontier. */
static u64 vtime_run;
/* Tasks waiting for a decision; the latest of them (pid, enqueue number). */
static u64 nr_undecided;
static s32 lone_pid;
static u64 lone_seq;
/* When the starvation guard last looked at the shared DSQ. */
static u64 last_scan;
/* Sources of enqueue numbers and task uids, never reused. */
static u64 enq_seq;
static u64 task_uid;

struct task_ctx {
	u64 seq;		/* its latest enqueue number */
	u64 uid;		/* names this task, not its pid */
	u64 vtime;		/* of its latest decision */
	u64 slice;		/* of its latest decision, 0 before any */
	u64 waiting_since;	/* its latest enqueue, or decision carried out */
	u64 enq_at;		/* its latest enqueue */
	u64 dec_read;		/* the daemon's stamps on the decision */
	u64 dec_answer;
	u64 carried_at;		/* when ops.dispatch carried it out */
	u64 burst_ns;		/* CPU time since it last woke */
	u64 runnable_at;
	u64 running_at;
	u64 stopped_at;
	u32 stop_flags;		/* PREEMPTED or EXPIRED if it stopped runnable */
	s32 last_cpu;		/* where it last ran, -1 before it ever did */
	u64 waiting;		/* seq of its undecided enqueue, 0: none */
	u64 lost_ran_ns;	/* of a STOPPING notice the ring had no room for */
	u32 lost;		/* SCXL_MSG_LOST_* not yet told to the daemon */
	bool irq_wake;		/* select_cpu ran in interrupt context */
	bool irq_waiting;	/* its wait began with an interrupt wakeup */
	bool timed;		/* its wait is measured when it runs */
	u8 path;		/* enum scxl_path: how it got its CPU */
	bool is_new;		/* no enqueue since fork */
	bool user_owned;	/* on a CPU because the daemon said so */
	bool known;		/* the daemon holds a slot for it */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctx_stor SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} queued SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 1 << 18);
} decisions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u64));
	__uint(max_entries, SCXL_NR_STATS);
} stats SEC(".maps");

static __always_inline void stat_inc(u32 idx)
{
	u64 *cnt = bpf_map_lookup_elem(&stats, &idx);

	if (cnt)
		(*cnt)++;
}

static __always_inline struct task_ctx *task_ctx(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctx_stor, p, 0, 0);
}

static __always_inline bool is_usersched(const struct task_struct *p)
{
	return p->tgid == usersched_tgid;
}

#endif /* SCXL_STATE_BPF_H */
