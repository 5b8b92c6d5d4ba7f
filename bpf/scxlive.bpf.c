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
 *  - the daemon itself (it would wait on its own decision: a deadlock): it
 *    yields between rounds into a DSQ of its own that ops.dispatch takes it
 *    from as soon as work waits for it (bpf/daemon.bpf.h); with --partial
 *    it sleeps in epoll, and on waking goes to the head of its CPU's local
 *    DSQ and preempts whatever runs there;
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
 * fresh one. A CPU the task may not run on (affinity changed, migration
 * disabled) is not an error either: the task goes to the shared DSQ
 * ("bounced").
 *
 * The drain stops when scx_bpf_dispatch_nr_slots() says the dispatch buffer
 * is full, not on a counter of its own: the verifier cannot bound a counter
 * carried through bpf_user_ringbuf_drain's callback cheaply.
 *
 * Places where the BPF side acts without waiting for an answer, all where
 * any work-conserving policy's answer is known:
 *  - fast path: a CPU about to go idle (nothing decided for it, nothing
 *    runnable on it, shared DSQ empty) while exactly one task waits for the
 *    daemon, and that task may run here, runs it at once with the slice its
 *    policy last gave it. The daemon still sees the enqueue and runs the
 *    policy's hooks in their order; its late decision is dropped as stale
 *    ("cancelled"). This takes the user-space round trip out of a ping-pong
 *    between two tasks.
 *  - idle wakeup: a waking task for which the kernel's idle tracking
 *    (scx_bpf_select_cpu_dfl) finds an idle CPU, while no task waits for a
 *    decision and none in the shared DSQ, runs there at once the same way
 *    (counted "fast" too).
 *  - slice refill: a task whose slice ends while nothing else waits keeps
 *    its CPU for another slice of its policy's size.
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
#include "bpf/state.bpf.h"
#include "bpf/lat.bpf.h"
#include "bpf/daemon.bpf.h"
#include "bpf/msg.bpf.h"

char _license[] SEC("license") = "GPL";


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
 * elsewhere unknown. Where the hardirq and NMI counts sit depends on the
 * kernel: kernels with counted interrupt disabling (local_interrupt_disable,
 * whose per-CPU depth is local_interrupt_disable_state) keep that depth in
 * bits 16-23 and the hardirq and NMI counts above it (a timer interrupt
 * reads 0x01000002 on 7.3); before, hardirq is bits 16-19 and NMI 20-23.
 * Bit 31 is x86's inverted need-resched bit either way. Returns 2 for a
 * hard interrupt or NMI, 1 for a softirq, 0 for task context.
 */
extern const int __preempt_count __ksym __weak;
extern const unsigned long local_interrupt_disable_state __ksym __weak;

static __always_inline u8 irq_ctx(void)
{
	const int *pc;
	u32 v, hard;

	if (!bpf_ksym_exists(&__preempt_count))
		return 0;
	pc = bpf_this_cpu_ptr(&__preempt_count);
	v = (u32)*pc;
	hard = bpf_ksym_exists(&local_interrupt_disable_state) ?
	       0x7f000000U : 0x00ff0000U;
	if (v & hard)
		return 2;
	return v & 0x100U ? 1 : 0;
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

/*
 * A wakeup that finds an idle CPU while no task waits for a decision and
 * none waits in the shared DSQ: any work-conserving policy runs it there
 * now, so it runs at once with the slice its policy last gave it, on the
 * CPU the kernel's idle tracking picked. The daemon still hears of the
 * enqueue (its hooks run in order, its late answer is dropped as stale).
 */
static __always_inline bool run_on_idle(struct task_struct *p,
					struct task_ctx *tctx, u64 now)
{
	if (!tctx->slice || nr_undecided ||
	    scx_bpf_dsq_nr_queued(SCXL_SHARED_DSQ))
		return false;
	/* ops.runnable comes after us: what it would say, for the message. */
	tctx->runnable_at = now;
	tctx->burst_ns = 0;
	tctx->irq_waiting = tctx->irq_wake;
	if (!send_queued(p, tctx, SCXL_ENQ_WAKEUP, now, false))
		return false;
	tctx->irq_wake = false;
	wait_begins(tctx, now, SCXL_PATH_FAST);
	tctx->user_owned = true;
	scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, tctx->slice, 0);
	stat_inc(SCXL_STAT_FAST);
	return true;
}

s32 BPF_STRUCT_OPS(scxlive_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	struct task_ctx *tctx = task_ctx(p);
	bool is_idle = false;
	s32 cpu;

	/* select_cpu runs in the waker's context; enqueue may not (IPI). */
	if (tctx) {
		u8 ctx = irq_ctx();

		tctx->irq_wake = ctx;
		if (ctx == 2)
			__sync_fetch_and_add(&hardirq_wakes, 1);
	}
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
	if (!is_idle || !tctx)
		return cpu;
	if (dispatch_in_kernel(p)) {
		wait_begins(tctx, bpf_ktime_get_ns(), is_usersched(p) ?
			    SCXL_PATH_DAEMON : SCXL_PATH_KERNEL);
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL, SCX_SLICE_DFL, 0);
		stat_inc(SCXL_STAT_KERN_DISPATCH);
		return cpu;
	}
	run_on_idle(p, tctx, bpf_ktime_get_ns());
	return cpu;
}

void BPF_STRUCT_OPS(scxlive_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tctx;
	u64 now = bpf_ktime_get_ns();

	tctx = task_ctx(p);
	if (tctx) {
		/* Before any path: the starvation guard reads it for congested tasks. */
		tctx->waiting_since = now;
		tctx->irq_waiting = (enq_flags & SCX_ENQ_WAKEUP) && tctx->irq_wake;
		tctx->irq_wake = false;
		wait_begins(tctx, now, is_usersched(p) ? SCXL_PATH_DAEMON :
				       dispatch_in_kernel(p) ? SCXL_PATH_KERNEL :
				       SCXL_PATH_USER);
		/* A yielding daemon waits for work, not for a CPU: not timed. */
		if (is_usersched(p) && daemon_yields && !(enq_flags & SCX_ENQ_WAKEUP))
			tctx->timed = false;
	}
	if (is_usersched(p) && daemon_yields) {
		/* Woken from a blocking call with work waiting: run it soon. */
		scx_bpf_dsq_insert(p, SCXL_DAEMON_DSQ, SCX_SLICE_DFL, enq_flags);
		if ((enq_flags & SCX_ENQ_WAKEUP) && daemon_has_work())
			kick_idle_for(p);
		return;
	}
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

	if (!tctx) {
		stat_inc(SCXL_STAT_FAILED);
		queue_in_kernel(p, enq_flags);
		return;
	}
	if (!send_queued(p, tctx, enq_flags & SCX_ENQ_WAKEUP ? SCXL_ENQ_WAKEUP : 0,
			 now, true)) {
		stat_inc(SCXL_STAT_CONGESTED);
		tctx->path = SCXL_PATH_CONGESTED;
		queue_in_kernel(p, enq_flags);
		return;
	}
	daemon_wanted(p, tctx->irq_waiting || (enq_flags & SCX_ENQ_LAST));
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
	u64 slice, now;

	__sync_fetch_and_add(&nr_drained, 1);
	if (bpf_dynptr_read(&d, sizeof(d), dynptr, 0, 0)) {
		stat_inc(SCXL_STAT_FAILED);
		goto out;
	}
	/*
	 * A kick asks a CPU to choose again. This CPU is choosing now (the
	 * drain runs in its ops.dispatch), so it will find the tasks just
	 * carried out: kicking it too would preempt whatever it picks, the
	 * very task the kick was for.
	 */
	if (d.kind == SCXL_DEC_KICK) {
		if (d.cpu >= 0 && d.cpu < scx_bpf_nr_cpu_ids() &&
		    d.cpu != bpf_get_smp_processor_id())
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
	now = bpf_ktime_get_ns();
	if (tctx->irq_waiting) {
		u64 t = now - tctx->waiting_since;

		__sync_fetch_and_add(&irq_decide_sum, t);
		if (t > irq_decide_max)
			irq_decide_max = t;
	}
	tctx->waiting_since = now;
	tctx->path = SCXL_PATH_USER;
	tctx->dec_read = d.read_ts;
	tctx->dec_answer = d.answer_ts;
	tctx->carried_at = now;

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
			tctx->path = SCXL_PATH_RESCUED;
			stat_inc(SCXL_STAT_RESCUED);
			return true;
		}
	}
	return false;
}

/* The fast path: this CPU idles unless it runs the one waiting task. */
static __always_inline bool run_lone_task(s32 cpu)
{
	struct task_struct *p;
	struct task_ctx *tctx;
	s32 pid = lone_pid;
	u64 seq = lone_seq;
	bool ran = false;

	if (nr_undecided != 1 || pid <= 0)
		return false;
	p = bpf_task_from_pid(pid);
	if (!p)
		return false;
	tctx = task_ctx(p);
	if (tctx && bpf_cpumask_test_cpu(cpu, p->cpus_ptr) && claim(tctx, seq)) {
		tctx->user_owned = true;
		tctx->path = SCXL_PATH_FAST;
		scx_bpf_dsq_insert(p, SCX_DSQ_LOCAL,
				   tctx->slice ? tctx->slice : fallback_slice_ns, 0);
		stat_inc(SCXL_STAT_FAST);
		ran = true;
	}
	bpf_task_release(p);
	return ran;
}

/*
 * Nothing else waits (no decision to take or to carry out, nothing queued
 * on this CPU: a refilled prev would run ahead of it): prev, still
 * runnable, keeps its CPU with the slice its policy last gave it instead of
 * a round trip through the daemon (ENQ_LAST would queue it); the daemon
 * keeps its CPU only while it has work, or ENQ_LAST would park it with
 * work waiting and the CPU idle.
 */
static __always_inline bool refill_prev(struct task_struct *prev)
{
	struct task_ctx *tctx;

	if (!prev || !(prev->scx.flags & SCX_TASK_QUEUED) ||
	    scx_bpf_dsq_nr_queued(SCX_DSQ_LOCAL) ||
	    scx_bpf_dsq_nr_queued(SCXL_SHARED_DSQ))
		return false;
	if (is_usersched(prev)) {
		if (!daemon_has_work())
			return false;
		prev->scx.slice = SCX_SLICE_DFL;
		return true;
	}
	/* Notices in the ring wait for nobody: a QUEUED one counts undecided. */
	if (nr_undecided || nr_pushed != nr_drained)
		return false;
	tctx = task_ctx(prev);
	prev->scx.slice = tctx && tctx->slice ? tctx->slice : fallback_slice_ns;
	return true;
}

void BPF_STRUCT_OPS(scxlive_dispatch, s32 cpu, struct task_struct *prev)
{
	u32 slots = scx_bpf_dispatch_nr_slots();
	bool after_daemon = prev && is_usersched(prev);

	if (rescue_starved(cpu))
		return;
	if (slots)
		bpf_user_ringbuf_drain(&decisions, handle_decision, NULL, 0);
	/* Nothing decided for this CPU and nothing to run on: it would idle. */
	if (slots && scx_bpf_dispatch_nr_slots() == slots &&
	    !(prev && (prev->scx.flags & SCX_TASK_QUEUED)) &&
	    !scx_bpf_dsq_nr_queued(SCXL_SHARED_DSQ) && run_lone_task(cpu))
		return;
	if ((!after_daemon || daemon_rerun) && run_daemon()) {
		daemon_rerun = 0;
		return;
	}
	if (scx_bpf_dsq_move_to_local(SCXL_SHARED_DSQ))
		return;
	if (after_daemon && run_daemon())
		return;
	if (scx_bpf_dispatch_nr_slots() != slots)
		return;
	/* About to idle with notices unread: the daemon may as well run. */
	if (!refill_prev(prev) && daemon_yields &&
	    bpf_ringbuf_query(&queued, BPF_RB_AVAIL_DATA) > 0)
		scx_bpf_dsq_move_to_local(SCXL_DAEMON_DSQ);
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

void BPF_STRUCT_OPS(scxlive_running, struct task_struct *p)
{
	struct task_ctx *tctx = task_ctx(p);
	u64 now = bpf_ktime_get_ns();

	if (is_usersched(p))
		daemon_running(now);
	if (!tctx)
		return;
	lat_record(tctx, now);
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
	if (is_usersched(p))
		daemon_stopping(now);
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
	s32 err = scx_bpf_create_dsq(SCXL_SHARED_DSQ, -1);

	if (!err)
		err = scx_bpf_create_dsq(SCXL_DAEMON_DSQ, -1);
	return err ? err : heartbeat_init();
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
	/* Decisions ops.dispatch may carry out in one call: the kernel's most. */
	.dispatch_max_batch = 512,
	.timeout_ms	= 5000,
	.name		= "scxlive",
};
