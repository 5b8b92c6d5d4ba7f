// SPDX-License-Identifier: GPL-2.0
/*
 * The live host of a policy: the same hook sequence scxsim's engine drives,
 * fed by kernel messages instead of a trace.
 *
 *   QUEUED:   select_cpu (if it woke or is new) -> enqueue
 *   flush:    dispatch(POLICY_CPU_ANY) until the policy has nothing left
 *   RUNNING:  running        STOPPING: stopping(ran_ns, runnable)
 *   EXIT:     exit_task, and the task's id is recycled
 *
 * A task enqueued again while the policy still holds it (the kernel dequeued
 * it for an affinity or priority change and queued it anew) is not enqueued
 * twice: the policy's entry stands for it and the decision carries the newest
 * sequence number, so the BPF side accepts it.
 *
 * Answers are checked before they reach the kernel: a CPU the task may not
 * use becomes "any" (counted bad_cpu), an id the policy does not hold is
 * dropped (bad_id). Everything runs on memory taken at init: no allocation
 * and no syscall per task.
 *
 * Every QUEUED message gets a decision: the BPF side holds the task until
 * one comes, and a task nobody answers starves until the kernel's watchdog
 * ejects the scheduler (it is on no queue the BPF side could rescue it
 * from). When no slot is free for it (every slot held queued), it is sent to
 * "any CPU" at the latest decision's vtime without the policy (slotless).
 * Such an answer can only be held while the decision ring is full, so a
 * round stops reading messages while the hold (pending[]) is full: unread
 * messages wait in the kernel's ring, and once that fills the BPF side
 * queues new tasks itself (congested), which is how it copes with a daemon
 * that is behind.
 *
 * A RUNNING or STOPPING notice the kernel had no room for comes with the
 * task's next message (SCXL_MSG_LOST_*): its hooks are replayed first, so
 * the policy never sees a task enqueued again that it still thinks runs.
 *
 * The BPF side may run a task before the policy dispatched it (its fast
 * path for a lone waiting task and an idling CPU). The policy then learns
 * of it in order: a RUNNING for a task it still holds first flushes, so the
 * policy's dispatch comes before its running hook (ran_early); the kernel
 * drops that late decision as stale. (Not sending it saved the pinned pipe
 * 1.2 us an op, but scxlive was ejected for a stalled task in several runs
 * with that cut and in none before it, so every decision goes out.)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live/dispatch.h"

int live_sched_init(struct live_sched *s, const struct policy_ops *ops,
		    const struct policy_conf *conf)
{
	size_t size;
	int err;

	memset(s, 0, sizeof(*s));
	/* Missing optional hooks are skipped below, as the engine does. */
	if (policy_check(ops) || !conf->nr_cpus || conf->nr_cpus > POLICY_MAX_CPUS)
		return -EINVAL;
	s->ops = ops;
	s->nr_cpus = conf->nr_cpus;
	err = live_taskmap_init(&s->map, conf->max_tasks);
	if (err)
		return err;
	size = ops->state_size(conf);
	s->pst = calloc(1, size ? size : 1);
	if (!s->pst) {
		live_taskmap_free(&s->map);
		return -ENOMEM;
	}
	err = ops->init(s->pst, conf);
	if (err) {
		live_sched_free(s);
		return -EINVAL;
	}
	return 0;
}

void live_sched_free(struct live_sched *s)
{
	free(s->pst);
	live_taskmap_free(&s->map);
	s->pst = NULL;
}

/* The ring's clock, for the stamps decisions carry back (bpf/intf.h). */
static uint64_t ring_now(const struct live_sched *s, const struct live_ring *ring)
{
	(void)s;
	return ring && ring->stamp ? ring->stamp(ring->ctx) : 0;
}

static void snapshot_idle(struct live_sched *s, const struct live_ring *ring)
{
	if (ring->idle)
		for (int w = 0; w < POLICY_MASK_WORDS; w++)
			s->idle[w] = ring->idle[w];
}

static void set_env(struct live_sched *s, struct policy_env *env, uint64_t now)
{
	env->now = now;
	env->nr_cpus = s->nr_cpus;
	env->idle = s->idle;
}

static void fill_task(struct live_sched *s, uint32_t id, const struct scxl_msg *m)
{
	struct policy_task *t = &s->task;

	t->id = id;
	t->pid = m->pid;
	t->tgid = m->tgid;
	memcpy(t->comm, m->comm, POLICY_COMM_LEN);
	t->comm[POLICY_COMM_LEN - 1] = '\0';
	/* The policy's weight is the kernel's 1024 scale, not sched_ext's. */
	t->weight = policy_nice_to_weight(m->nice);
	t->prev_cpu = m->prev_cpu < (int32_t)s->nr_cpus ? m->prev_cpu : -1;
	t->flags = m->flags & SCXL_ENQ_MASK;
	t->nr_cpus_allowed = m->nr_cpus_allowed;
	for (int w = 0; w < POLICY_MASK_WORDS; w++)
		t->cpus_allowed[w] = m->cpus_allowed[w];
	t->burst_ns = m->burst_ns;
	t->sum_exec_ns = m->sum_exec_ns;
	t->nvcsw = m->nvcsw;
	t->runnable_at = m->runnable_at;
	t->stopped_at = m->stopped_at;
}

static bool cpu_ok(struct live_sched *s, const struct live_slot *slot, int32_t cpu)
{
	return cpu >= 0 && (uint32_t)cpu < s->nr_cpus &&
	       policy_cpu_test(slot->cpus_allowed, cpu);
}

/* A slot for a queued task; when all are taken, reclaim the stalest. */
static int32_t slot_for(struct live_sched *s, const struct scxl_msg *m)
{
	struct policy_env env;
	bool created;
	int32_t id, victim;

	id = live_taskmap_get(&s->map, m->pid, &created);
	if (id >= 0 && (created || s->map.slots[id].uid == m->task_uid))
		goto found;
	/* A new task with a dead one's pid (its EXIT is late or lost). */
	victim = id >= 0 ? id : live_taskmap_oldest_idle(&s->map);
	if (victim < 0)
		return -1;
	s->task.id = (uint32_t)victim;
	s->task.pid = s->map.slots[victim].pid;
	set_env(s, &env, m->ts);
	if (s->ops->exit_task)
		s->ops->exit_task(s->pst, &env, &s->task);
	live_taskmap_put(&s->map, (uint32_t)victim);
	s->st.evicted++;
	id = live_taskmap_get(&s->map, m->pid, &created);
	if (id < 0)
		return -1;
found:
	s->map.slots[id].uid = m->task_uid;
	return id;
}

/*
 * The task got a CPU; a task the policy still holds ran before it was
 * dispatched (the BPF fast path), so flush first: dispatch, then running.
 */
static void task_ran(struct live_sched *s, uint32_t id,
		     const struct scxl_msg *m, int32_t cpu)
{
	struct policy_env env;

	if (s->map.slots[id].queued && s->ring) {
		s->st.ran_early++;
		live_sched_flush(s, s->ring);
	}
	fill_task(s, id, m);
	set_env(s, &env, m->ts);
	if (s->ops->running)
		s->ops->running(s->pst, &env, &s->task, cpu);
}

/* Hooks of notices the kernel could not send in time, before m's own. */
static void replay_lost(struct live_sched *s, uint32_t id,
			const struct scxl_msg *m)
{
	struct policy_env env;

	if (m->flags & SCXL_MSG_LOST_RUNNING) {
		task_ran(s, id, m, m->prev_cpu);
		s->st.replayed++;
	}
	if (m->flags & SCXL_MSG_LOST_STOPPING) {
		fill_task(s, id, m);
		set_env(s, &env, m->ts);
		if (s->ops->stopping)
			s->ops->stopping(s->pst, &env, &s->task, m->prev_cpu,
					 m->lost_ran_ns,
					 m->flags & SCXL_MSG_LOST_RUNNABLE);
		s->st.replayed++;
	}
}

static void handle_queued(struct live_sched *s, const struct scxl_msg *m)
{
	struct live_slot *slot;
	struct policy_env env;
	int32_t id, kick;

	id = slot_for(s, m);
	if (id < 0) {
		struct scxl_decision d = {
			.kind = SCXL_DEC_DISPATCH, .pid = m->pid,
			.cpu = SCXL_CPU_ANY, .seq = m->seq,
			.vtime = s->last_vtime,
		};

		d.read_ts = d.answer_ts = ring_now(s, s->ring);

		/* live_sched_run reads no message while the hold is full. */
		s->st.slotless++;
		if (s->nr_pending < LIVE_PENDING_MAX)
			s->pending[s->nr_pending++] = d;
		else
			s->st.dropped++;
		return;
	}
	/* A slot just created has no notices of its own to replay. */
	if (s->map.slots[id].uid == m->task_uid && s->map.slots[id].seq)
		replay_lost(s, (uint32_t)id, m);
	slot = &s->map.slots[id];
	slot->seq = m->seq;
	slot->read_ts = ring_now(s, s->ring);
	slot->last_seen = m->ts;
	slot->nr_cpus_allowed = m->nr_cpus_allowed;
	for (int w = 0; w < POLICY_MASK_WORDS; w++)
		slot->cpus_allowed[w] = m->cpus_allowed[w];
	if (slot->queued) {
		s->st.requeued++;
		return;
	}

	fill_task(s, (uint32_t)id, m);
	set_env(s, &env, m->ts);
	if ((m->flags & (SCXL_ENQ_WAKEUP | SCXL_ENQ_NEW)) && s->ops->select_cpu) {
		int32_t cpu = s->ops->select_cpu(s->pst, &env, &s->task,
						 s->task.prev_cpu);

		/* Only a hint live; still, a wrong answer is the policy's bug. */
		if (cpu != POLICY_CPU_ANY && !cpu_ok(s, slot, cpu))
			s->st.bad_select++;
	}
	kick = s->ops->enqueue(s->pst, &env, &s->task);
	slot->queued = true;
	s->st.enqueues++;
	/*
	 * Kicking an idle CPU is already done by the BPF side when it places
	 * the task; only a busy CPU needs to be told to preempt.
	 */
	if (kick >= 0 && (uint32_t)kick < s->nr_cpus &&
	    !policy_cpu_test(s->idle, kick))
		s->kick_mask[kick / 64] |= 1ULL << (kick % 64);
}

void live_sched_handle(struct live_sched *s, const struct scxl_msg *m)
{
	struct policy_env env;
	int32_t id;

	s->st.msgs++;
	s->last_ts = m->ts;
	if (m->kind == SCXL_MSG_QUEUED) {
		handle_queued(s, m);
		return;
	}
	id = live_taskmap_find(&s->map, m->pid);
	if (id < 0 || s->map.slots[id].uid != m->task_uid) {
		s->st.unknown++;
		return;
	}
	s->map.slots[id].last_seen = m->ts;
	replay_lost(s, (uint32_t)id, m);
	if (m->kind == SCXL_MSG_RUNNING) {
		task_ran(s, (uint32_t)id, m, m->cpu);
		return;
	}
	fill_task(s, (uint32_t)id, m);
	set_env(s, &env, m->ts);
	switch (m->kind) {
	case SCXL_MSG_STOPPING:
		if (s->ops->stopping)
			s->ops->stopping(s->pst, &env, &s->task, m->cpu,
					 m->ran_ns, m->runnable);
		break;
	case SCXL_MSG_EXIT:
		if (s->ops->exit_task)
			s->ops->exit_task(s->pst, &env, &s->task);
		live_taskmap_put(&s->map, (uint32_t)id);
		break;
	default:
		s->st.unknown++;
		break;
	}
}

/* Push held decisions first; false while the ring is still full. */
static bool push_pending(struct live_sched *s, const struct live_ring *ring,
			 uint32_t *pushed)
{
	uint32_t i;

	for (i = 0; i < s->nr_pending; i++) {
		if (ring->push(ring->ctx, &s->pending[i]))
			break;
		(*pushed)++;
	}
	memmove(s->pending, s->pending + i,
		(s->nr_pending - i) * sizeof(s->pending[0]));
	s->nr_pending -= i;
	return s->nr_pending == 0;
}

static void send(struct live_sched *s, const struct live_ring *ring,
		 const struct scxl_decision *d, uint32_t *pushed)
{
	if (!s->nr_pending && !ring->push(ring->ctx, d)) {
		(*pushed)++;
		return;
	}
	s->st.congested++;
	if (s->nr_pending < LIVE_PENDING_MAX)
		s->pending[s->nr_pending++] = *d;
}

uint32_t live_sched_flush(struct live_sched *s, const struct live_ring *ring)
{
	struct policy_dispatch out;
	struct policy_env env;
	uint32_t pushed = 0;

	snapshot_idle(s, ring);
	set_env(s, &env, ring->now ? ring->now(ring->ctx) : s->last_ts);

	if (!push_pending(s, ring, &pushed))
		return pushed;
	/* Stop asking once answers can only be held: the hold is bounded. */
	while (s->nr_pending < LIVE_PENDING_MAX &&
	       s->ops->dispatch(s->pst, &env, POLICY_CPU_ANY, &out)) {
		struct scxl_decision d = { .kind = SCXL_DEC_DISPATCH };
		struct live_slot *slot;

		if (out.id >= s->map.max_tasks || !s->map.slots[out.id].pid ||
		    !s->map.slots[out.id].queued) {
			s->st.bad_id++;
			continue;
		}
		slot = &s->map.slots[out.id];
		slot->queued = false;
		d.pid = slot->pid;
		d.seq = slot->seq;
		d.slice_ns = out.slice_ns;
		d.vtime = out.vtime;
		s->last_vtime = out.vtime;
		d.cpu = out.cpu;
		if (d.cpu != POLICY_CPU_ANY && !cpu_ok(s, slot, d.cpu)) {
			s->st.bad_cpu++;
			d.cpu = SCXL_CPU_ANY;
		}
		d.read_ts = slot->read_ts;
		d.answer_ts = ring_now(s, ring);
		send(s, ring, &d, &pushed);
		s->st.dispatched++;
	}

	/* Kicks after the dispatches, so the preempted CPU finds the task. */
	for (uint32_t cpu = 0; cpu < s->nr_cpus; cpu++) {
		struct scxl_decision k = { .kind = SCXL_DEC_KICK, .cpu = (int32_t)cpu };

		if (!(s->kick_mask[cpu / 64] & (1ULL << (cpu % 64))))
			continue;
		s->kick_mask[cpu / 64] &= ~(1ULL << (cpu % 64));
		send(s, ring, &k, &pushed);
		s->st.kicks++;
	}
	return pushed;
}

uint32_t live_sched_run(struct live_sched *s, const struct live_ring *ring)
{
	struct scxl_msg m;
	uint32_t n = 0;

	snapshot_idle(s, ring);
	s->ring = ring;
	/* One message holds at most one answer: read only while one fits. */
	while (n++ < LIVE_ROUND_MSGS && s->nr_pending < LIVE_PENDING_MAX &&
	       ring->pop(ring->ctx, &m) > 0)
		live_sched_handle(s, &m);
	s->ring = NULL;
	return live_sched_flush(s, ring);
}
