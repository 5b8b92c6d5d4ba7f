// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive: a sched_ext scheduler whose decisions are taken in user space.
 *
 * The BPF side is a courier, not a scheduler. Every runnable task of the
 * system (or of SCHED_EXT tasks only, with SCX_OPS_SWITCH_PARTIAL) is sent to
 * the daemon through the "queued" ring buffer with everything a policy needs
 * to know about it; the daemon asks the policy and answers through the
 * "decisions" user ring buffer; ops.dispatch drains those answers and inserts
 * each task on the CPU the policy chose (its local DSQ) or, for "any CPU",
 * on one vtime-ordered shared DSQ that every CPU pulls from.
 *
 * What never waits for user space:
 *  - the daemon itself (it would wait on its own decision: a deadlock), which
 *    goes to the head of its CPU's local DSQ and preempts whatever runs there;
 *  - per-CPU kthreads (ksoftirqd, kworkers bound to a CPU, migration), which
 *    often run because something else is stuck until they do;
 *  - anything that finds the ring full (the daemon is behind): it joins the
 *    shared DSQ at the current vtime frontier, counted "congested", instead of
 *    stalling the system until the watchdog ejects us.
 *
 * A decision can be stale: the task may have been dequeued and enqueued again
 * (affinity or priority change) while the daemon was thinking. Each enqueue
 * takes a new sequence number that the decision echoes, and the task's one
 * "waiting" word holds the number of the enqueue still undecided (0: none).
 * Claiming the task is a compare-and-swap of that word from the decision's
 * number to 0, so checking the number and taking the task are one atomic
 * step: a decision cannot check an old enqueue and then claim a newer one.
 * A mismatch drops the decision ("cancelled"), the newer enqueue brings a
 * fresh one. A CPU the
 * task may not run on (affinity changed, migration disabled) is not an error
 * either: the task goes to the shared DSQ ("bounced").
 *
 * The drain stops when scx_bpf_dispatch_nr_slots() says the dispatch buffer
 * is full, not on a counter of its own: the verifier cannot bound a counter
 * carried through bpf_user_ringbuf_drain's callback cheaply.
 *
 * Two places where the BPF side acts without waiting for an answer, both
 * where any work-conserving policy's answer is known:
 *  - fast path: a CPU about to go idle (nothing decided for it, shared DSQ
 *    empty) while exactly one task waits for the daemon, and that task may
 *    run here, runs it at once with the slice its policy last gave it. The
 *    daemon still sees the enqueue and runs the policy's hooks in their
 *    order; its late decision is dropped as stale ("cancelled"). This takes
 *    the user-space round trip out of a ping-pong between two tasks.
 *  - starvation guard: the shared DSQ is ordered by the policy's vtime, and
 *    a weighted policy may legitimately keep a low-weight task behind for
 *    many seconds (vruntime: a nice-19 task waits ~68x longer than a nice-0
 *    one), which the kernel's watchdog punishes by ejecting the scheduler.
 *    A task that has waited starve_ns in the shared DSQ runs next on the
 *    CPU that finds it ("rescued"), so no policy can get us ejected.
 * Kernel-queued tasks (congested) go at the vtime of the latest task to
 * start running, the policy's own frontier, not at the highest vtime ever
 * answered: one low-weight task's far-future vtime would strand them.
 *
 * RUNNING and STOPPING notices that find the ring full are not lost: the
 * task remembers them (and the stint's length) and its next message that
 * gets through carries them (SCXL_MSG_LOST_*), so the daemon can replay the
 * policy's running/stopping hooks in order before that message's own.
 */
#include "bpf/scx_common.bpf.h"
#include "bpf/intf.h"

char _license[] SEC("license") = "GPL";

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
	u64 waiting_since;	/* its latest enqueue */
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

/*
 * BPF programs run with migration disabled, so the current task always
 * looks migration-disabled to us: discount our own count of 1.
 */
static __always_inline bool migration_disabled(const struct task_struct *p)
{
	if (!p->migration_disabled)
		return false;
	if (p->migration_disabled == 1 &&
	    bpf_get_current_task_btf() == (struct task_struct *)p)
		return false;
	return true;
}

/*
 * Tasks the daemon must not be asked about: itself, per-CPU kthreads, and
 * tasks pinned to their CPU for now (migrate_disable()) that hold up
 * whatever waits on them, such as a lock or a per-CPU resource.
 */
static __always_inline bool dispatch_in_kernel(const struct task_struct *p)
{
	if (is_usersched(p))
		return true;
	if (p->nr_cpus_allowed == 1 && (p->flags & PF_KTHREAD))
		return true;
	return migration_disabled(p);
}

/*
 * Woken from interrupt context (a timer, I/O completion) rather than by a
 * task: hardirq, NMI, or serving a softirq (bit 8; bh-disabled sections add
 * 2 << 8 and do not count). x86's per-CPU __preempt_count, an int (read at
 * its own size: the 4 bytes after it are another per-CPU variable);
 * elsewhere unknown.
 */
extern const int __preempt_count __ksym __weak;

static __always_inline bool in_irq_ctx(void)
{
	const int *pc;

	if (!bpf_ksym_exists(&__preempt_count))
		return false;
	pc = bpf_this_cpu_ptr(&__preempt_count);
	return (u32)*pc & (0x00f00000U | 0x000f0000U | 0x100U);
}

static __always_inline void kick_idle_for(struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

/* Queue on the shared DSQ at the current frontier: nobody's decision. */
static __always_inline void queue_in_kernel(struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dsq_insert_vtime(p, SCXL_SHARED_DSQ, fallback_slice_ns,
				 vtime_run, enq_flags);
	kick_idle_for(p);
}

/*
 * Take a waiting task out of the daemon's hands for its enqueue number seq:
 * exactly one of a decision, the fast path and a dequeue wins, whichever
 * CPUs they run on, and only for the enqueue they were about.
 */
static __always_inline bool claim(struct task_ctx *tctx, u64 seq)
{
	if (!seq || __sync_val_compare_and_swap(&tctx->waiting, seq, 0) != seq)
		return false;
	__sync_fetch_and_sub(&nr_undecided, 1);
	return true;
}

/* Notices the ring had no room for ride on the task's next message. */
static __always_inline void carry_lost(struct scxl_msg *m, struct task_ctx *tctx)
{
	m->flags |= tctx->lost;
	m->lost_ran_ns = tctx->lost_ran_ns;
	tctx->lost = 0;
}

static __always_inline bool cpu_allowed(struct task_struct *p, s32 cpu)
{
	if (cpu < 0 || cpu >= scx_bpf_nr_cpu_ids())
		return false;
	if (!bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
		return false;
	/* A migration-disabled task may only stay where it is. */
	if (migration_disabled(p) && cpu != scx_bpf_task_cpu(p))
		return false;
	return true;
}

static __always_inline void copy_cpumask(struct scxl_msg *m,
					 struct task_struct *p)
{
	const struct cpumask *mask = p->cpus_ptr;

	m->cpus_allowed[0] = BPF_CORE_READ(mask, bits[0]);
	m->cpus_allowed[1] = BPF_CORE_READ(mask, bits[1]);
	m->cpus_allowed[2] = BPF_CORE_READ(mask, bits[2]);
	m->cpus_allowed[3] = BPF_CORE_READ(mask, bits[3]);
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

s32 BPF_STRUCT_OPS(scxlive_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	struct task_ctx *tctx = task_ctx(p);
	bool is_idle = false;
	s32 cpu;

	/* select_cpu runs in the waker's context; enqueue may not (IPI). */
	if (tctx)
		tctx->irq_wake = in_irq_ctx();
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (is_idle && dispatch_in_kernel(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		stat_inc(SCXL_STAT_KERN_DISPATCH);
		return cpu;
	}
	return cpu;
}

void BPF_STRUCT_OPS(scxlive_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx;
	struct scxl_msg *m;
	u32 flags = 0;

	if (is_usersched(p)) {
		/* Head of the line: every queued task waits on the daemon. */
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL,
				   enq_flags | SCX_ENQ_HEAD | SCX_ENQ_PREEMPT);
		stat_inc(SCXL_STAT_KERN_DISPATCH);
		return;
	}
	if (dispatch_in_kernel(p)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, enq_flags);
		stat_inc(SCXL_STAT_KERN_DISPATCH);
		return;
	}

	tctx = task_ctx(p);
	if (!tctx) {
		stat_inc(SCXL_STAT_FAILED);
		queue_in_kernel(p, enq_flags);
		return;
	}
	/* Before any path: the starvation guard reads it for congested tasks. */
	tctx->waiting_since = bpf_ktime_get_ns();
	m = bpf_ringbuf_reserve(&queued, sizeof(*m), 0);
	if (!m) {
		stat_inc(SCXL_STAT_CONGESTED);
		queue_in_kernel(p, enq_flags);
		return;
	}

	if (enq_flags & SCX_ENQ_WAKEUP) {
		flags |= SCXL_ENQ_WAKEUP;
		__sync_fetch_and_add(&nr_wakes, 1);
	}
	tctx->irq_waiting = (enq_flags & SCX_ENQ_WAKEUP) && tctx->irq_wake;
	if (tctx->irq_waiting)
		flags |= SCXL_ENQ_IRQ_WAKE;
	tctx->irq_wake = false;
	if (tctx->is_new)
		flags |= SCXL_ENQ_NEW;
	flags |= tctx->stop_flags;
	if (p->nr_cpus_allowed == 1)
		flags |= SCXL_ENQ_PERCPU;
	tctx->is_new = false;
	tctx->stop_flags = 0;
	tctx->seq = __sync_fetch_and_add(&enq_seq, 1) + 1;
	tctx->known = true;
	/* A previous enqueue still undecided is replaced, not counted twice. */
	if (!__sync_lock_test_and_set(&tctx->waiting, tctx->seq))
		__sync_fetch_and_add(&nr_undecided, 1);
	/* Pid and seq may come from two racing enqueues: the seq check tells. */
	lone_pid = p->pid;
	lone_seq = tctx->seq;

	fill_msg(m, SCXL_MSG_QUEUED, p, tctx, bpf_ktime_get_ns());
	m->flags = flags;
	carry_lost(m, tctx);
	copy_cpumask(m, p);
	/*
	 * Force the wakeup: adaptive notification only fires when the ring was
	 * empty, and RUNNING/STOPPING records (sent without wakeup) may sit
	 * ahead of this one while the daemon sleeps.
	 */
	bpf_ringbuf_submit(m, BPF_RB_FORCE_WAKEUP);
	stat_inc(SCXL_STAT_QUEUED);
}

void BPF_STRUCT_OPS(scxlive_dequeue, struct task_struct *p, u64 deq_flags)
{
	struct task_ctx *tctx = task_ctx(p);

	/* Left our custody undecided: any decision in flight is stale. */
	if (tctx && __sync_lock_test_and_set(&tctx->waiting, 0))
		__sync_fetch_and_sub(&nr_undecided, 1);
}

/* One decision from the daemon; 1 stops the drain. */
static long handle_decision(struct bpf_dynptr *dynptr, void *ctx)
{
	struct scxl_decision d;
	struct task_struct *p;
	struct task_ctx *tctx;
	u64 slice;

	__sync_fetch_and_add(&nr_drained, 1);
	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		stat_inc(SCXL_STAT_FAILED);
		goto out;
	}
	if (d.kind == SCXL_DEC_KICK) {
		if (d.cpu >= 0 && d.cpu < scx_bpf_nr_cpu_ids())
			scx_bpf_kick_cpu(d.cpu, SCX_KICK_PREEMPT);
		goto out;
	}

	p = bpf_task_from_pid(d.pid);
	if (!p) {
		stat_inc(SCXL_STAT_CANCELLED);
		goto out;
	}
	tctx = task_ctx(p);
	if (!tctx || !claim(tctx, d.seq)) {
		stat_inc(SCXL_STAT_CANCELLED);
		bpf_task_release(p);
		goto out;
	}
	tctx->user_owned = true;
	slice = d.slice_ns ? d.slice_ns : fallback_slice_ns;
	tctx->vtime = d.vtime;
	tctx->slice = slice;
	if (tctx->irq_waiting) {
		u64 t = bpf_ktime_get_ns() - tctx->waiting_since;

		__sync_fetch_and_add(&irq_decide_sum, t);
		if (t > irq_decide_max)
			irq_decide_max = t;
	}
	tctx->waiting_since = bpf_ktime_get_ns();

	if (d.cpu != SCXL_CPU_ANY && cpu_allowed(p, d.cpu)) {
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL_ON | d.cpu, slice, 0);
		scx_bpf_kick_cpu(d.cpu, SCX_KICK_IDLE);
	} else {
		if (d.cpu != SCXL_CPU_ANY)
			stat_inc(SCXL_STAT_BOUNCED);
		scx_bpf_dsq_insert_vtime(p, SCXL_SHARED_DSQ, slice, d.vtime, 0);
		kick_idle_for(p);
	}
	stat_inc(SCXL_STAT_USER_DISPATCH);
	bpf_task_release(p);
out:
	return scx_bpf_dispatch_nr_slots() ? 0 : 1;
}

/*
 * The starvation guard: at most every starve_ns / 8, run the first task of
 * the shared DSQ that has waited starve_ns and may run on this CPU.
 */
static __always_inline bool rescue_starved(s32 cpu)
{
	struct task_struct *p;
	u64 now = bpf_ktime_get_ns();
	u64 last = last_scan;

	if (now - last < starve_ns / 8)
		return false;
	if (__sync_val_compare_and_swap(&last_scan, last, now) != last)
		return false;
	bpf_for_each(scx_dsq, p, SCXL_SHARED_DSQ, 0) {
		struct task_ctx *tctx = task_ctx(p);

		if (!tctx || now - tctx->waiting_since < starve_ns ||
		    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		if (scx_bpf_dsq_move(BPF_FOR_EACH_ITER, p, SCX_DSQ_LOCAL, 0)) {
			stat_inc(SCXL_STAT_RESCUED);
			return true;
		}
	}
	return false;
}

/* The fast path: this CPU idles unless it runs the one waiting task. */
static __always_inline void run_lone_task(s32 cpu)
{
	struct task_struct *p;
	struct task_ctx *tctx;
	s32 pid = lone_pid;
	u64 seq = lone_seq;

	if (nr_undecided != 1 || pid <= 0)
		return;
	p = bpf_task_from_pid(pid);
	if (!p)
		return;
	tctx = task_ctx(p);
	if (tctx && bpf_cpumask_test_cpu(cpu, p->cpus_ptr) && claim(tctx, seq)) {
		tctx->user_owned = true;
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL,
				   tctx->slice ? tctx->slice : fallback_slice_ns, 0);
		stat_inc(SCXL_STAT_FAST);
	}
	bpf_task_release(p);
}

void BPF_STRUCT_OPS(scxlive_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 slots = scx_bpf_dispatch_nr_slots();

	if (rescue_starved(cpu))
		return;
	if (slots)
		bpf_user_ringbuf_drain(&decisions, handle_decision, NULL, 0);
	if (scx_bpf_dsq_move_to_local(SCXL_SHARED_DSQ))
		return;
	/* Nothing decided for this CPU: it is about to go idle. */
	if (slots && scx_bpf_dispatch_nr_slots() == slots)
		run_lone_task(cpu);
}

void BPF_STRUCT_OPS(scxlive_runnable, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx = task_ctx(p);

	if (!tctx)
		return;
	tctx->runnable_at = bpf_ktime_get_ns();
	if (enq_flags & SCX_ENQ_WAKEUP)
		tctx->burst_ns = 0;
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

void BPF_STRUCT_OPS(scxlive_running, struct task_struct *p)
{
	struct task_ctx *tctx = task_ctx(p);
	u64 now = bpf_ktime_get_ns();

	if (!tctx)
		return;
	if (tctx->irq_waiting) {
		u64 t = now - tctx->runnable_at;

		tctx->irq_waiting = false;
		__sync_fetch_and_add(&irq_wakes, 1);
		__sync_fetch_and_add(&irq_run_sum, t);
		if (t > irq_run_max)
			irq_run_max = t;
	}
	tctx->running_at = now;
	tctx->last_cpu = scx_bpf_task_cpu(p);
	if (tctx->user_owned && (s64)(tctx->vtime - vtime_run) > 0)
		vtime_run = tctx->vtime;
	if (notify_running && tctx->user_owned)
		notify(p, tctx, SCXL_MSG_RUNNING, now, 0, false);
}

void BPF_STRUCT_OPS(scxlive_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx = task_ctx(p);
	u64 now = bpf_ktime_get_ns();
	u64 ran;

	/*
	 * The daemon going to sleep leaves its CPU to whatever its local DSQ
	 * holds, which does not run ops.dispatch: if its answers are still in
	 * the ring, wake an idle CPU to carry them out.
	 */
	if (is_usersched(p) && nr_pushed != nr_drained) {
		s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

		if (cpu >= 0)
			scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
	}
	if (!tctx)
		return;
	ran = now - tctx->running_at;
	tctx->burst_ns += ran;
	tctx->stopped_at = now;
	if (runnable)
		tctx->stop_flags = p->scx.slice ? SCXL_ENQ_PREEMPTED :
						  SCXL_ENQ_EXPIRED;
	if (notify_running && tctx->user_owned)
		notify(p, tctx, SCXL_MSG_STOPPING, now, ran, runnable);
	tctx->user_owned = false;
}

void BPF_STRUCT_OPS(scxlive_update_idle, s32 cpu, bool idle)
{
	u32 c = cpu;
	u64 bit;

	if (cpu < 0 || c >= SCXL_MAX_CPUS)
		return;
	bit = 1ULL << (c & 63);
	if (idle)
		__sync_fetch_and_or(&idle_mask[c / 64], bit);
	else
		__sync_fetch_and_and(&idle_mask[c / 64], ~bit);
}

s32 BPF_STRUCT_OPS(scxlive_init_task, struct task_struct *p,
		   struct scx_init_task_args *args)
{
	struct task_ctx *tctx;

	tctx = bpf_task_storage_get(&task_ctx_stor, p, 0,
				    BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!tctx)
		return -ENOMEM;
	tctx->is_new = args->fork;
	tctx->last_cpu = -1;
	tctx->uid = __sync_fetch_and_add(&task_uid, 1) + 1;
	return 0;
}

void BPF_STRUCT_OPS(scxlive_exit_task, struct task_struct *p,
		    struct scx_exit_task_args *args)
{
	struct task_ctx *tctx = task_ctx(p);
	struct scxl_msg *m;

	/* Only tasks the daemon holds a slot for. */
	if (!tctx || !tctx->known)
		return;
	m = bpf_ringbuf_reserve(&queued, sizeof(*m), 0);
	if (!m) {
		stat_inc(SCXL_STAT_FAILED);
		return;
	}
	fill_msg(m, SCXL_MSG_EXIT, p, tctx, bpf_ktime_get_ns());
	carry_lost(m, tctx);
	bpf_ringbuf_submit(m, BPF_RB_NO_WAKEUP);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(scxlive_init)
{
	return scx_bpf_create_dsq(SCXL_SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(scxlive_exit, struct scx_exit_info *ei)
{
	scxl_strcpy(exit_info.reason, ei->reason, sizeof(exit_info.reason));
	scxl_strcpy(exit_info.msg, ei->msg, sizeof(exit_info.msg));
	exit_info.exit_code = ei->exit_code;
	/* kind last: user space polls it to learn we are gone. */
	__sync_lock_test_and_set(&exit_info.kind, ei->kind);
}

SEC(".struct_ops.link")
struct sched_ext_ops scxlive_ops = {
	.select_cpu	= (void *)scxlive_select_cpu,
	.enqueue	= (void *)scxlive_enqueue,
	.dequeue	= (void *)scxlive_dequeue,
	.dispatch	= (void *)scxlive_dispatch,
	.runnable	= (void *)scxlive_runnable,
	.running	= (void *)scxlive_running,
	.stopping	= (void *)scxlive_stopping,
	.update_idle	= (void *)scxlive_update_idle,
	.init_task	= (void *)scxlive_init_task,
	.exit_task	= (void *)scxlive_exit_task,
	.init		= (void *)scxlive_init,
	.exit		= (void *)scxlive_exit,
	.flags		= SCX_OPS_KEEP_BUILTIN_IDLE,
	.timeout_ms	= 5000,
	.name		= "scxlive",
};
