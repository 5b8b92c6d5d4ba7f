/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages scxlive.bpf.c sends the daemon through the "queued" ring
 * (struct scxl_msg, bpf/intf.h): a task's whole view for QUEUED, and the
 * RUNNING/STOPPING notices, which, when the ring is full, ride on the
 * task's next message instead of being lost.
 */
#ifndef SCXL_MSG_BPF_H
#define SCXL_MSG_BPF_H

#include "bpf/state.bpf.h"
#include "bpf/daemon.bpf.h"

/* Notices the ring had no room for ride on the task's next message. */
static __always_inline void carry_lost(struct scxl_msg *m, struct task_ctx *tctx)
{
	m->flags |= tctx->lost;
	m->lost_ran_ns = tctx->lost_ran_ns;
	tctx->lost = 0;
}

/*
 * p is a trusted pointer in every sched_ext callback, so its cpumask reads
 * as plain loads; BPF_CORE_READ's probe-read helper calls, four a message,
 * cost the pinned pipe 0.7 us an op in the bench-live guest.
 */
static __always_inline void copy_cpumask(struct scxl_msg *m,
					 struct task_struct *p)
{
	const struct cpumask *mask = p->cpus_ptr;

	m->cpus_allowed[0] = mask->bits[0];
	m->cpus_allowed[1] = mask->bits[1];
	m->cpus_allowed[2] = mask->bits[2];
	m->cpus_allowed[3] = mask->bits[3];
}

/* The task-level part every message carries. */
static __always_inline void fill_msg(struct scxl_msg *m, u32 kind,
				     struct task_struct *p,
				     struct task_ctx *tctx, u64 now)
{
	m->kind = kind;
	m->pid = p->pid;
	m->tgid = p->tgid;
	m->weight = p->scx.weight;
	/* By enqueue time the task sits on the CPU select_cpu chose. */
	m->prev_cpu = tctx->last_cpu;
	m->cpu = scx_bpf_task_cpu(p);
	m->flags = 0;
	m->nr_cpus_allowed = p->nr_cpus_allowed;
	m->runnable = 0;
	m->nice = p->static_prio - 120;
	m->seq = tctx->seq;
	m->task_uid = tctx->uid;
	m->burst_ns = tctx->burst_ns;
	m->sum_exec_ns = p->se.sum_exec_runtime;
	m->nvcsw = p->nvcsw;
	m->runnable_at = tctx->runnable_at;
	m->stopped_at = tctx->stopped_at;
	m->ran_ns = 0;
	m->lost_ran_ns = 0;
	m->ts = now;
	__builtin_memcpy(m->comm, p->comm, SCXL_COMM_LEN);
}

/*
 * Tell the daemon that p was queued (flags: SCXL_ENQ_WAKEUP or 0). With
 * wait, p waits for its decision, marked before the message can be read so
 * that no answer comes before the mark. False when the ring is full.
 */
static __always_inline bool send_queued(struct task_struct *p,
					struct task_ctx *tctx, u32 flags,
					u64 now, bool wait)
{
	struct scxl_msg *m = bpf_ringbuf_reserve(&queued, sizeof(*m), 0);

	if (!m)
		return false;
	if (flags & SCXL_ENQ_WAKEUP)
		__sync_fetch_and_add(&nr_wakes, 1);
	if (tctx->irq_waiting)
		flags |= SCXL_ENQ_IRQ_WAKE;
	if (tctx->is_new)
		flags |= SCXL_ENQ_NEW;
	flags |= tctx->stop_flags;
	if (p->nr_cpus_allowed == 1)
		flags |= SCXL_ENQ_PERCPU;
	tctx->is_new = false;
	tctx->stop_flags = 0;
	tctx->seq = __sync_fetch_and_add(&enq_seq, 1) + 1;
	tctx->known = true;
	if (wait) {
		/* A previous enqueue still undecided is replaced, not counted twice. */
		if (!__sync_lock_test_and_set(&tctx->waiting, tctx->seq))
			__sync_fetch_and_add(&nr_undecided, 1);
		/* Pid and seq may come from two racing enqueues: the seq check tells. */
		lone_pid = p->pid;
		lone_seq = tctx->seq;
	}
	fill_msg(m, SCXL_MSG_QUEUED, p, tctx, now);
	m->flags = flags;
	carry_lost(m, tctx);
	copy_cpumask(m, p);
	/*
	 * A yielding daemon needs a CPU, not a wakeup (bpf/daemon.bpf.h). One
	 * in epoll needs the wakeup forced when p waits: adaptive notification
	 * only fires when the ring was empty, and RUNNING/STOPPING records
	 * (sent without wakeup) may sit ahead of this one while it sleeps.
	 */
	if (daemon_yields || !wait)
		bpf_ringbuf_submit(m, BPF_RB_NO_WAKEUP);
	else
		bpf_ringbuf_submit(m, BPF_RB_FORCE_WAKEUP);
	stat_inc(SCXL_STAT_QUEUED);
	return true;
}

/*
 * RUNNING/STOPPING for the policy's hooks; never wakes the daemon. With the
 * ring full the notice is kept for the task's next message (lost_*).
 */
static __always_inline void notify(struct task_struct *p, struct task_ctx *tctx,
				   u32 kind, u64 now, u64 ran_ns, bool runnable)
{
	struct scxl_msg *m;

	m = bpf_ringbuf_reserve(&queued, sizeof(*m), 0);
	if (!m) {
		stat_inc(SCXL_STAT_LOST);
		if (kind == SCXL_MSG_RUNNING) {
			tctx->lost |= SCXL_MSG_LOST_RUNNING;
		} else {
			tctx->lost |= SCXL_MSG_LOST_STOPPING;
			tctx->lost &= ~SCXL_MSG_LOST_RUNNABLE;
			if (runnable)
				tctx->lost |= SCXL_MSG_LOST_RUNNABLE;
			tctx->lost_ran_ns = ran_ns;
		}
		return;
	}
	fill_msg(m, kind, p, tctx, now);
	carry_lost(m, tctx);
	m->ran_ns = ran_ns;
	m->runnable = runnable;
	bpf_ringbuf_submit(m, BPF_RB_NO_WAKEUP);
}

#endif /* SCXL_MSG_BPF_H */
