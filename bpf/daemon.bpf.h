/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Running the daemon at the moment work arrives, as scx_rustland_core does.
 *
 * The daemon never sleeps in the kernel: between rounds it calls
 * sched_yield() and waits, runnable, in a DSQ of its own (SCXL_DAEMON_DSQ)
 * that ops.dispatch consumes first whenever work is pending for it (a task
 * waiting for a decision) - except right after the daemon itself ran on
 * that CPU, when the tasks it decided for go first - and except on a CPU
 * about to idle with a lone task waiting, which runs it (the fast path). A
 * queued
 * task then needs no wakeup of the daemon (no irq_work, no epoll, no
 * select_cpu, no IPI to wherever it slept), only a CPU that runs
 * ops.dispatch. When work arrives and the daemon is not on a CPU:
 *  - an idle CPU the task may use is kicked: it runs the daemon;
 *  - else, for an interrupt wakeup (a timer-driven frame loop), the CPU it
 *    arrived on is preempted: the daemon runs there as the interrupt ends;
 *    likewise for a CPU's last task (SCX_ENQ_LAST), whose CPU would idle;
 *    an urgent wakeup that finds the daemon on a CPU, perhaps past its last
 *    read of the ring, makes it run again as soon as it stops if the ring
 *    still holds unread messages (daemon_rerun);
 *  - else (a task woke another and runs on) nothing: the daemon runs when a
 *    CPU next looks for work, so a busy stream's wakeups are decided in
 *    batches. The heartbeat bounds that wait: a bpf_timer, armed when work
 *    starts waiting, preempts a CPU if it still waits heartbeat_ns later.
 * The heartbeat also runs the daemon at least every 500 ms with no work
 * (the kernel's watchdog ejects us for a runnable task that never runs,
 * and signals reach the daemon only when it runs).
 *
 * SCX_OPS_ENQ_LAST (set by the loader) makes a CPU's last runnable task go
 * through ops.enqueue instead of running on, so a yielding daemon with
 * nothing to do leaves its CPU idle instead of spinning; for every other
 * task ops.dispatch refills the slice the policy gave it when nothing else
 * waits, so a lone CPU-bound task keeps its CPU without a round trip.
 * With --partial the daemon is no sched_ext task: it sleeps in epoll and
 * the ring's wakeup wakes it (daemon_yields false).
 */
#ifndef SCXL_DAEMON_BPF_H
#define SCXL_DAEMON_BPF_H

#include "bpf/state.bpf.h"

#define SCXL_CLOCK_MONOTONIC	1
#define SCXL_DAEMON_IDLE_NS	500000000ULL

const volatile bool daemon_yields;
const volatile u64 heartbeat_ns = 2000000ULL;

/* When work started waiting for the daemon, 0 when none does (non-static:
 * the compiler would shrink a static flag to a byte the kernel BTF check
 * rejects). */
u64 work_since;
u64 daemon_ran_at;
u32 daemon_on_cpu;
/* Run the daemon even with no work (the heartbeat's 500 ms). */
u32 daemon_forced;
/*
 * An urgent wakeup (see daemon_wanted) came while the daemon was on a CPU,
 * perhaps after its last read of the ring: daemon_missed. If the ring
 * still holds unread messages when it stops, daemon_rerun makes the next
 * ops.dispatch on its CPU run it again before anything else, instead of
 * leaving that wakeup to the heartbeat.
 */
u32 daemon_missed, daemon_rerun;

struct heartbeat {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct heartbeat);
} heartbeat_map SEC(".maps");

/*
 * Work that needs the daemon now: a task waiting for a decision (a QUEUED
 * message counts from before it is sent). RUNNING/STOPPING/EXIT notices
 * alone wait for the next round, or a CPU about to idle (ops.dispatch), or
 * they would call the daemon after every switch.
 */
static __always_inline bool daemon_has_work(void)
{
	return daemon_forced || nr_undecided;
}

static __always_inline void heartbeat_arm(u64 ns)
{
	u32 key = 0;
	struct heartbeat *hb = bpf_map_lookup_elem(&heartbeat_map, &key);

	if (hb)
		bpf_timer_start(&hb->timer, ns, 0);
}

/*
 * Work for the daemon arrived with task p. here: preempt this CPU when no
 * idle one can run the daemon (an interrupt wakeup, or the enqueue of the
 * CPU's last task, SCX_ENQ_LAST: the CPU would idle with work waiting).
 */
static __always_inline void daemon_wanted(struct task_struct *p, bool here)
{
	s32 cpu;

	if (!daemon_yields)
		return;
	if (!work_since) {
		work_since = bpf_ktime_get_ns();
		heartbeat_arm(heartbeat_ns);
	}
	if (daemon_on_cpu) {
		if (here)
			daemon_missed = 1;
		return;
	}
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	else if (here)
		scx_bpf_kick_cpu(bpf_get_smp_processor_id(), SCX_KICK_PREEMPT);
}

/* ops.dispatch: the daemon, if it has work. */
static __always_inline bool run_daemon(void)
{
	return daemon_yields && daemon_has_work() &&
	       scx_bpf_dsq_move_to_local(SCXL_DAEMON_DSQ);
}

static __always_inline void daemon_running(u64 now)
{
	daemon_on_cpu = 1;
	daemon_ran_at = now;
	daemon_forced = 0;
}

static __always_inline void daemon_stopping(u64 now)
{
	daemon_on_cpu = 0;
	if (daemon_missed) {
		daemon_missed = 0;
		if (bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA) > 0)
			daemon_rerun = 1;
	}
	if (!daemon_has_work())
		work_since = 0;
	else if (!work_since)
		work_since = now;
}

static int heartbeat_fn(void *map, int *key, struct bpf_timer *timer)
{
	u64 now = bpf_ktime_get_ns(), since = work_since;

	if (!daemon_on_cpu && ((since && now - since >= heartbeat_ns) ||
			       now - daemon_ran_at >= SCXL_DAEMON_IDLE_NS)) {
		daemon_forced = 1;
		scx_bpf_kick_cpu(bpf_get_smp_processor_id(), SCX_KICK_PREEMPT);
	}
	bpf_timer_start(timer, work_since ? heartbeat_ns : SCXL_DAEMON_IDLE_NS, 0);
	return 0;
}

static __always_inline s32 heartbeat_init(void)
{
	u32 key = 0;
	struct heartbeat *hb;

	if (!daemon_yields)
		return 0;
	hb = bpf_map_lookup_elem(&heartbeat_map, &key);
	if (!hb)
		return -ENOMEM;
	bpf_timer_init(&hb->timer, &heartbeat_map, SCXL_CLOCK_MONOTONIC);
	bpf_timer_set_callback(&hb->timer, heartbeat_fn);
	return bpf_timer_start(&hb->timer, SCXL_DAEMON_IDLE_NS, 0);
}

#endif /* SCXL_DAEMON_BPF_H */
