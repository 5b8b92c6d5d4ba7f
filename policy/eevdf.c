// SPDX-License-Identifier: GPL-2.0
/*
 * eevdf: a model of the kernel's default scheduler (kernel/sched/fair.c,
 * EEVDF since 6.6), written to replay recorded traces and compare the
 * delays it predicts with the ones the kernel really gave. Fidelity first.
 *
 * What it models, per CPU run queue as in the kernel:
 *  - vruntime += ran_ns * 1024 / weight; a task's request is base_slice,
 *    its virtual slice vslice = base_slice * 1024 / weight, its virtual
 *    deadline vruntime + vslice, renewed when vruntime reaches it
 *    (update_deadline).
 *  - avg_vruntime V: the load-weighted mean vruntime of the queued tasks
 *    and the running one (curr, whose vruntime is advanced to `now`).
 *    A task is eligible when vruntime <= V (lag = V - vruntime >= 0);
 *    the test is done without division, as entity_eligible() does.
 *  - pick: the eligible task with the earliest deadline (pick_eevdf),
 *    falling back to the lowest vruntime if none is eligible.
 *  - lag across sleeps (place_entity with PLACE_LAG): on sleep the lag is
 *    saved, clamped to vslice of max(2 * base_slice, tick); on wakeup the
 *    task is placed at V - lag * (W + w) / W on its new queue, so lag is
 *    preserved against the queue it joins. New tasks start with lag 0 and
 *    half a vslice to their first deadline (PLACE_DEADLINE_INITIAL).
 *  - DELAY_DEQUEUE/DELAY_ZERO (6.12+): a task that sleeps with negative
 *    lag stays owed to its old queue until that queue's V passes its
 *    vruntime; at wakeup its lag is min(0, V_old(now) - vruntime), 0 if
 *    the old queue emptied meanwhile. Positive lag is kept as saved.
 *  - the tick: without HRTICK a slice only ends at a tick, so a
 *    dispatched slice runs to the first multiple of `tick` after the
 *    deadline is reached (tick = 0 models HRTICK: exact slices).
 *  - wakeup preemption (check_preempt_wakeup_fair): the woken task kicks
 *    its CPU's current task when pick_eevdf would now choose it: it is
 *    eligible and its deadline is earlier than every other eligible
 *    task's, curr's included; curr is protected until the deadline it
 *    had when it took the CPU from another task when run_to_parity is set
 *    (RUN_TO_PARITY, 6.6+ with equal slices: set_next_entity()'s vprot),
 *    so a task picked again after its own slice runs unprotected.
 *    A curr already past its deadline (waiting for the tick) is always
 *    kicked: update_curr() sees the request used up and reschedules.
 *    next_buddy = 1 models 6.19+ (the NEXT_BUDDY rework, PICK_BUDDY):
 *    forks never preempt; a task-context wakeup preempts a curr that is
 *    no longer eligible; otherwise the wakee becomes its queue's next
 *    buddy (unless the buddy there has an earlier deadline), and a CPU
 *    picks its eligible next buddy before anything else, so the wakee
 *    preempts when it is eligible. WF_SYNC is not in traces: sync
 *    wakeups are modelled as plain ones.
 *  - select_cpu (select_task_rq_fair): when the host says which CPU the
 *    wakeup runs on (its waker's), wake_affine() chooses between that CPU
 *    and prev: the waking CPU if it idles and prev does not, prev if it
 *    idles, else the waking CPU only when prev's load (queued and running
 *    weights, for PELT's averages) exceeds 108% of what the waking CPU
 *    would carry with the wakee; then select_idle_sibling() with one LLC:
 *    that target if idle, else prev if idle, else the first idle allowed
 *    CPU, else the target. A fork, or a wakeup whose CPU is unknown, goes
 *    to prev if idle, else the first idle allowed CPU, else prev; a new
 *    task without select_cpu to an idle CPU or the allowed CPU with the
 *    fewest queued tasks (sched_balance_find_dst_cpu in spirit).
 *  - newidle balance: a CPU whose queue is empty pulls, from the queue
 *    with the most tasks whose CPU is busy (or that holds two or more),
 *    the task that queue would pick next, if it may run on every CPU; its
 *    lag migrates with it, and so does its deadline relative to its
 *    vruntime (PLACE_REL_DEADLINE).
 *  - sched_autogroup, flattened: each session's tasks share one group
 *    entity of nice-0 weight, spread over the CPUs as the group's load
 *    is (calc_group_shares), so a task's weight in its queue is 1024 *
 *    its own / its group's runnable weight over all CPUs (group 0, the
 *    root group, is flat). The host names the group (scxsim infers it
 *    from the trace's forks); a queued task keeps the weight it joined
 *    with, and instantaneous weights stand for PELT's averages.
 *  - periodic balance, coarsely: at most every balance_interval (the
 *    kernel's busy interval, 2 ms * busy_factor 16 on a small machine) a
 *    CPU that dispatches pulls one such task from the longest queue if
 *    that one holds at least two tasks more than its own (running task
 *    counted), so hogs spread out as sched_balance_rq() would spread
 *    them.
 *
 * What it does not model: cgroups, the group entities' own queues (the
 * flattening above gives groups their share, not the hierarchy's order
 * of picks), PELT load and the real load balancer (the two
 * pulls above balance task counts, not load, and ignore domains and
 * cache-hotness), wake_wide(), recent_used_cpu, SMT/LLC topology,
 * per-task custom slices (sched_attr), WF_SYNC, a delayed task's weight in
 * its old queue's V, RT/DL classes and interrupts stealing CPU time. Two
 * of these cost the most accuracy, as measured on traces:
 *  - WF_SYNC: a pipe or socket waker promises to sleep, so its wakee
 *    lands on the waker's CPU even against an equal load there; modelled
 *    as plain wakeups, which go there only against a heavier prev.
 *  - PREEMPT_LAZY (the 7.x default): a wakeup preemption of a task on
 *    another CPU waits for its next return to user space or the tick
 *    (the 7.3 guest's traces: 1-3 ms median there, 30-300 us on the
 *    wakeup's own CPU). A policy cannot delay a kick; the host decides.
 *
 * dispatch(POLICY_CPU_ANY) (the live host) serves the longest queue and
 * answers its CPU. Tasks that may not run everywhere are never pulled.
 *
 * Parameters (name, default, range, unit: meaning):
 *   base_slice     0, 0..1 s, ns: request size; 0 = the kernel default
 *                  0.75 ms * (1 + ilog2(min(nr_cpus, 8))), i.e. 1.5 ms on
 *                  2 CPUs, 2.25 ms on 4, 3 ms on 8 or more
 *   tick     4000000, 0..100 ms, ns: scheduler tick (Debian's HZ=250);
 *                  0 = HRTICK, slices end exactly at the deadline
 *   run_to_parity  1, 0..1: curr cannot be woken-preempted before the
 *                  deadline it had when it took the CPU from another task
 *   next_buddy     0, 0..1: 1 = 6.19+ wakeup preemption and buddy pick
 *                  (see above; make accuracy sets it for traces of 6.19+)
 *   place_lag      1, 0..1: keep lag across sleeps (PLACE_LAG)
 *   delay_dequeue  1, 0..1: negative lag decays while asleep (DELAY_*)
 *   newidle        1, 0..1: idle CPUs pull from the busiest queue
 *   balance_interval 32000000, 0..1 s, ns: periodic balance; 0 = off
 *   wake_affine    1, 0..1: a wakeup may go to its waker's CPU (when the
 *                  host says which that is: scxsim does, scxlive not)
 *   autogroup      1, 0..1: weigh a task by its autogroup's share (when
 *                  the host names groups: scxsim does, scxlive not)
 *
 * Starvation bound: a queued task's vruntime is fixed while every task
 * that runs on its queue moves V forward, so it becomes eligible after the
 * others have run at most their lag, and then its deadline is at most one
 * vslice away: with n tasks of equal weight on its queue it waits at most
 * about n slices, each rounded up to the tick (with the defaults on 2 CPUs:
 * n * 4 ms). Unequal weights stretch this by the weight ratio, as they
 * should: a light task's vslice is long.
 */
#include "policy/common.h"
#include "policy/rq.h"

enum {
	EV_BASE_SLICE,
	EV_TICK,
	EV_RUN_TO_PARITY,
	EV_NEXT_BUDDY,
	EV_PLACE_LAG,
	EV_DELAY_DEQUEUE,
	EV_NEWIDLE,
	EV_BALANCE,
	EV_WAKE_AFFINE,
	EV_AUTOGROUP,
	EV_NR_PARAMS,
};

static const struct policy_param ev_params[] = {
	[EV_BASE_SLICE] = { "base_slice", 0, 0, 1000000000, "ns",
			    "request size; 0 = 0.75 ms * (1 + ilog2(min(cpus, 8))) like the kernel" },
	[EV_TICK] = { "tick", 4000000, 0, 100000000, "ns",
		      "scheduler tick slices end on (HZ=250); 0 = HRTICK, exact" },
	[EV_RUN_TO_PARITY] = { "run_to_parity", 1, 0, 1, "",
			       "1: no wakeup preemption of curr before the deadline it was picked with" },
	[EV_NEXT_BUDDY] = { "next_buddy", 0, 0, 1, "",
			    "1: 6.19+ NEXT_BUDDY: eligible wakee preempts, runs next" },
	[EV_PLACE_LAG] = { "place_lag", 1, 0, 1, "",
			   "1: keep lag across sleep and migration (PLACE_LAG)" },
	[EV_DELAY_DEQUEUE] = { "delay_dequeue", 1, 0, 1, "",
			       "1: negative lag decays while asleep (DELAY_DEQUEUE)" },
	[EV_NEWIDLE] = { "newidle", 1, 0, 1, "",
			 "1: a CPU with an empty queue pulls from the busiest" },
	[EV_BALANCE] = { "balance_interval", 32000000, 0, 1000000000, "ns",
			 "how often a busy CPU evens out queue lengths; 0 = never" },
	[EV_WAKE_AFFINE] = { "wake_affine", 1, 0, 1, "",
			     "1: a wakeup may go to its waker's CPU (wake_affine)" },
	[EV_AUTOGROUP] = { "autogroup", 1, 0, 1, "",
			   "1: a session's tasks share one nice-0 share (sched_autogroup)" },
};

/*
 * EV_LEAVING: another task was dispatched on its CPU before its stopping()
 * came (sched_ext dispatches before put_prev); EV_OFF_CPU: stopped while
 * runnable, its enqueue is next.
 */
enum ev_state { EV_NONE, EV_QUEUED, EV_CURR, EV_LEAVING, EV_OFF_CPU, EV_SLEEP };

struct ev_task {
	uint64_t vruntime;
	uint64_t deadline;
	uint64_t run_vr;	/* vruntime when it last started running */
	int64_t vlag;		/* saved lag while asleep */
	uint32_t weight;	/* as it counts in its queue: its own,
				 * scaled by its autogroup's share */
	uint32_t own_weight;	/* its nice's, counted in its group's
				 * runnable weight while runnable; 0 when
				 * not counted */
	uint32_t group;		/* policy_task.autogroup */
	int32_t cpu;		/* queue it is on / ran on / slept from */
	int32_t wake_cpu;	/* select_cpu's answer, until enqueue */
	uint8_t state;		/* enum ev_state */
	uint8_t eligible_heap;	/* queued in .elig (else in .inelig) */
	uint8_t migratable;
	uint8_t known;
};

struct ev_cpu {
	struct rq elig;		/* by deadline; may hold stale ineligibles */
	struct rq inelig;	/* by vruntime; all beyond V when last checked */
	uint64_t v0;		/* base for the weighted sum, <= every key */
	int64_t sum_key;	/* sum (vruntime - v0) * weight over queued */
	uint64_t sum_w;		/* sum weight over queued */
	uint32_t nr;		/* queued tasks (curr not counted) */
	uint32_t curr;		/* running task or RQ_NIL */
	uint64_t curr_start;	/* when curr started (host clock) */
	uint64_t curr_vr;	/* its vruntime then */
	uint64_t next_balance;	/* periodic balance not before this */
	uint32_t next;		/* next buddy (next_buddy=1) or RQ_NIL */
	uint32_t last;		/* the task that last stopped here, */
	uint64_t last_stop;	/* and when */
	uint64_t prot_vr;	/* curr's vprot: protected below it */
};

struct ev {
	uint32_t nr_cpus;
	uint32_t max_tasks;
	int64_t p[EV_NR_PARAMS];
	uint64_t slice;		/* resolved base slice, ns */
	uint64_t seq;
	size_t off_cpu, off_node, off_task, off_group;
};

static struct ev_cpu *ev_cpu(struct ev *e, int32_t c)
{
	return (struct ev_cpu *)((char *)e + e->off_cpu) + c;
}

static struct rq_node *ev_nodes(struct ev *e)
{
	return (struct rq_node *)((char *)e + e->off_node);
}

static struct ev_task *ev_task(struct ev *e, uint32_t id)
{
	return (struct ev_task *)((char *)e + e->off_task) + id;
}

/* The runnable weight (own weights) of each autogroup, over all CPUs. */
static uint64_t *ev_group_load(struct ev *e)
{
	return (uint64_t *)((char *)e + e->off_group);
}

static size_t ev_layout(struct ev *e, const struct policy_conf *conf)
{
	size_t off = pol_align(sizeof(*e));

	e->nr_cpus = conf->nr_cpus;
	e->max_tasks = conf->max_tasks;
	e->off_cpu = off;
	off = pol_align(off + sizeof(struct ev_cpu) * conf->nr_cpus);
	e->off_node = off;
	off = pol_align(off + sizeof(struct rq_node) * conf->max_tasks);
	e->off_task = off;
	off = pol_align(off + sizeof(struct ev_task) * conf->max_tasks);
	e->off_group = off;
	/* Autogroup ids are below max_tasks + 1 (policy_task.autogroup). */
	return pol_align(off + sizeof(uint64_t) * ((size_t)conf->max_tasks + 1));
}

static size_t ev_state_size(const struct policy_conf *conf)
{
	struct ev tmp;

	if (!pol_conf_ok(conf))
		return sizeof(tmp);
	return ev_layout(&tmp, conf);
}

/* sysctl_sched_base_slice after update_sysctl()'s log scaling. */
static uint64_t kernel_base_slice(uint32_t nr_cpus)
{
	uint32_t n = nr_cpus < 8 ? nr_cpus : 8, log = 0;

	while (n >>= 1)
		log++;
	return 750000ull * (1 + log);
}

static int ev_init(void *st, const struct policy_conf *conf)
{
	struct ev *e = st;

	if (!pol_conf_ok(conf))
		return POLICY_E_CONF;
	ev_layout(e, conf);
	for (int i = 0; i < EV_NR_PARAMS; i++)
		e->p[i] = conf->param[i];
	e->slice = e->p[EV_BASE_SLICE] ? (uint64_t)e->p[EV_BASE_SLICE] :
					 kernel_base_slice(conf->nr_cpus);
	e->seq = 0;
	for (uint32_t c = 0; c < conf->nr_cpus; c++) {
		struct ev_cpu *rc = ev_cpu(e, (int32_t)c);

		rq_init(&rc->elig);
		rq_init(&rc->inelig);
		rc->v0 = 0;
		rc->sum_key = 0;
		rc->sum_w = 0;
		rc->nr = 0;
		rc->curr = RQ_NIL;
		rc->next_balance = 0;
		rc->next = RQ_NIL;
		rc->last = RQ_NIL;
		rc->last_stop = UINT64_MAX;
		rc->prot_vr = 0;
	}
	rq_nodes_init(ev_nodes(e), conf->max_tasks);
	for (uint32_t i = 0; i < conf->max_tasks; i++) {
		ev_task(e, i)->state = EV_NONE;
		ev_task(e, i)->known = 0;
		ev_task(e, i)->wake_cpu = -1;
		ev_task(e, i)->cpu = -1;
		ev_task(e, i)->own_weight = 0;
	}
	for (uint32_t g = 0; g <= conf->max_tasks; g++)
		ev_group_load(e)[g] = 0;
	return 0;
}

/* ---------------------------------------------------------------- queue */

/* curr's vruntime advanced to now (update_curr). */
static uint64_t curr_vruntime(struct ev *e, struct ev_cpu *rc, uint64_t now)
{
	struct ev_task *ct = ev_task(e, rc->curr);
	uint64_t ran = now > rc->curr_start ? now - rc->curr_start : 0;

	return rc->curr_vr + pol_scale(ran, ct->weight);
}

/*
 * The kernel's s64 key * weight products and their sums wrap (it builds with
 * -fno-strict-overflow); in C a signed overflow is undefined, so the same
 * wrap is spelled out. The figures are unchanged wherever nothing wraps.
 */
static inline int64_t wmul(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a * (uint64_t)b);
}

static inline int64_t wadd(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

static inline int64_t wsub(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a - (uint64_t)b);
}

/* The weighted key sum and load of queue + curr, relative to rc->v0. */
static void queue_load(struct ev *e, struct ev_cpu *rc, uint64_t now,
		       int64_t *sum, uint64_t *load)
{
	*sum = rc->sum_key;
	*load = rc->sum_w;
	if (rc->curr != RQ_NIL) {
		struct ev_task *ct = ev_task(e, rc->curr);

		*sum = wadd(*sum, wmul((int64_t)(curr_vruntime(e, rc, now) - rc->v0),
					(int64_t)ct->weight));
		*load += ct->weight;
	}
}

/* avg_vruntime(): V of the queue, curr included; v0 if it is empty. */
static uint64_t queue_avg(struct ev *e, struct ev_cpu *rc, uint64_t now)
{
	int64_t sum, q;
	uint64_t load;

	queue_load(e, rc, now, &sum, &load);
	if (!load)
		return rc->v0;
	/* Floor division, as the kernel rounds V down. */
	q = sum / (int64_t)load;
	if (sum < 0 && wmul(q, (int64_t)load) != sum)
		q--;
	return rc->v0 + (uint64_t)q;
}

/* entity_eligible(): (v - v0) * load <= sum, no division. */
static bool queue_eligible(struct ev *e, struct ev_cpu *rc, uint64_t now,
			   uint64_t v)
{
	int64_t sum;
	uint64_t load;

	queue_load(e, rc, now, &sum, &load);
	if (!load)
		return true;
	return wmul((int64_t)(v - rc->v0), (int64_t)load) <= sum;
}

/* Lower v0 to v, keeping sum_key relative to it. */
static void queue_rebase(struct ev_cpu *rc, uint64_t v)
{
	if (!rc->nr && rc->curr == RQ_NIL) {
		rc->v0 = v;
		rc->sum_key = 0;
		return;
	}
	if (v < rc->v0) {
		rc->sum_key = wadd(rc->sum_key,
				   wmul((int64_t)(rc->v0 - v), (int64_t)rc->sum_w));
		rc->v0 = v;
	}
}

static void queue_add(struct ev *e, int32_t c, uint32_t id)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	struct ev_task *et = ev_task(e, id);

	queue_rebase(rc, et->vruntime);
	rc->sum_key = wadd(rc->sum_key, wmul((int64_t)(et->vruntime - rc->v0),
					     (int64_t)et->weight));
	rc->sum_w += et->weight;
	rc->nr++;
	/* Join as ineligible; queue_pick() promotes by the current V. */
	rq_insert(&rc->inelig, ev_nodes(e), id, et->vruntime, e->seq++);
	et->eligible_heap = 0;
	et->state = EV_QUEUED;
	et->cpu = c;
}

static void queue_del(struct ev *e, uint32_t id)
{
	struct ev_task *et = ev_task(e, id);
	struct ev_cpu *rc = ev_cpu(e, et->cpu);

	rq_remove(et->eligible_heap ? &rc->elig : &rc->inelig, ev_nodes(e), id);
	rc->sum_key = wsub(rc->sum_key, wmul((int64_t)(et->vruntime - rc->v0),
					     (int64_t)et->weight));
	rc->sum_w -= et->weight;
	rc->nr--;
	if (rc->next == id)
		rc->next = RQ_NIL;	/* clear_buddies() */
	et->state = EV_NONE;
}

/*
 * pick_eevdf() over the queue (curr not included): earliest deadline among
 * eligible tasks. Tasks move between the two heaps lazily, so each is
 * moved only when V has crossed its vruntime since it was last looked at.
 */
static uint32_t queue_pick(struct ev *e, int32_t c, uint64_t now)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	struct rq_node *n = ev_nodes(e);
	uint32_t id;

	while ((id = rq_peek(&rc->inelig)) != RQ_NIL &&
	       queue_eligible(e, rc, now, ev_task(e, id)->vruntime)) {
		rq_pop(&rc->inelig, n);
		rq_insert(&rc->elig, n, id, ev_task(e, id)->deadline, e->seq++);
		ev_task(e, id)->eligible_heap = 1;
	}
	while ((id = rq_peek(&rc->elig)) != RQ_NIL &&
	       !queue_eligible(e, rc, now, ev_task(e, id)->vruntime)) {
		rq_pop(&rc->elig, n);
		rq_insert(&rc->inelig, n, id, ev_task(e, id)->vruntime, e->seq++);
		ev_task(e, id)->eligible_heap = 0;
	}
	id = rq_peek(&rc->elig);
	return id != RQ_NIL ? id : rq_peek(&rc->inelig);
}

/* ---------------------------------------------------------------- lag */

static uint64_t vslice(struct ev *e, uint32_t weight)
{
	return pol_scale(e->slice, weight);
}

/* update_entity_lag(): V - vruntime, clamped to +-limit. */
static int64_t clamp_lag(struct ev *e, int64_t lag, uint32_t weight)
{
	uint64_t t = 2 * e->slice;
	int64_t limit;

	if ((uint64_t)e->p[EV_TICK] > t)
		t = (uint64_t)e->p[EV_TICK];
	limit = (int64_t)pol_scale(t, weight);
	if (lag > limit)
		return limit;
	if (lag < -limit)
		return -limit;
	return lag;
}

/* place_entity(): put a waking or new task on c's queue timeline. */
static void place(struct ev *e, int32_t c, struct ev_task *et, uint64_t now,
		  int64_t lag, bool initial)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	uint64_t v = queue_avg(e, rc, now), vs = vslice(e, et->weight);
	int64_t sum;
	uint64_t load;

	queue_load(e, rc, now, &sum, &load);
	if (e->p[EV_PLACE_LAG] && load && lag)
		lag = wmul(lag, (int64_t)(load + et->weight)) / (int64_t)load;
	if (!e->p[EV_PLACE_LAG])
		lag = 0;
	et->vruntime = v - (uint64_t)lag;
	if (initial)
		vs /= 2;
	et->deadline = et->vruntime + vs;
}

/* ---------------------------------------------------------------- groups */

/*
 * A task's weight in its queue under sched_autogroup, flattened: its
 * group's entity weighs a nice-0 task's 1024, spread over the CPUs as the
 * group's load is (calc_group_shares(): shares * this CPU's group load /
 * the group's whole load), and the task gets its own weight's part of
 * its group's queue on its CPU, so the two CPU terms cancel: 1024 * w /
 * the group's runnable weight over all CPUs. Instantaneous weights stand
 * for PELT's averages; a queued task keeps the weight it joined with
 * (the kernel reweights its group entity as members come and go).
 */
static void group_join(struct ev *e, struct ev_task *et,
		       const struct policy_task *t)
{
	uint64_t *load = ev_group_load(e), w_eff;
	uint32_t w = t->weight ? t->weight : POLICY_NICE_0_WEIGHT;

	if (et->own_weight)
		load[et->group] -= et->own_weight;
	et->group = e->p[EV_AUTOGROUP] && t->autogroup <= e->max_tasks ?
		    t->autogroup : 0;
	et->own_weight = w;
	load[et->group] += w;
	if (!et->group) {
		et->weight = w;
		return;
	}
	w_eff = (uint64_t)w * POLICY_NICE_0_WEIGHT / load[et->group];
	et->weight = w_eff < 2 ? 2 : (uint32_t)w_eff;	/* MIN_SHARES */
}

/* It sleeps or is gone: its group's runnable weight drops by its own. */
static void group_leave(struct ev *e, struct ev_task *et)
{
	if (et->own_weight)
		ev_group_load(e)[et->group] -= et->own_weight;
	et->own_weight = 0;
}

/* ---------------------------------------------------------------- hooks */

static bool cpu_ok(const struct ev *e, const struct policy_task *t, int32_t c);

/* cpu_load(), instantaneous: the weight queued and running on c. */
static uint64_t cpu_weight(struct ev *e, int32_t c)
{
	struct ev_cpu *rc = ev_cpu(e, c);

	return rc->sum_w + (rc->curr != RQ_NIL ? ev_task(e, rc->curr)->weight : 0);
}

/*
 * wake_affine() with WA_IDLE, WA_WEIGHT and WA_BIAS, never WF_SYNC (not
 * in traces): the waking CPU if it idles (an interrupt woke it) and prev
 * does not; prev if it idles; else the waking CPU only when prev carries
 * more than 108% (imbalance_pct 117, halved) of what the waking CPU would
 * carry with the wakee on it. Weights stand in for PELT's load averages.
 */
static int32_t wake_affine(struct ev *e, const struct policy_env *env,
			   const struct policy_task *t, int32_t this,
			   int32_t prev)
{
	uint64_t w = t->weight ? t->weight : POLICY_NICE_0_WEIGHT;

	if (pol_idle(env, this))
		return pol_idle(env, prev) ? prev : this;
	if (pol_idle(env, prev))
		return prev;
	return (cpu_weight(e, this) + w) * 100 < cpu_weight(e, prev) * 108 ?
	       this : prev;
}

/*
 * select_idle_sibling() on one LLC: target if idle, else prev if idle,
 * else the first idle CPU after target, else target.
 */
static int32_t idle_sibling(const struct policy_env *env,
			    const struct policy_task *t, int32_t prev,
			    int32_t target)
{
	int32_t c;

	if (pol_idle(env, target))
		return target;
	if (pol_idle(env, prev))
		return prev;
	c = pol_idle_allowed(env, t, target);
	return c >= 0 ? c : target;
}

/*
 * select_task_rq_fair() for a wakeup: wake_affine() between the CPU the
 * wakeup runs on and prev when the host says which CPU that is, then
 * select_idle_sibling(); a fork, or an unknown waking CPU, goes to prev
 * if idle, else any idle CPU, else prev.
 */
static int32_t ev_select_cpu(void *st, const struct policy_env *env,
			     const struct policy_task *t, int32_t prev_cpu)
{
	struct ev *e = st;
	int32_t cpu, this = t->wake_cpu;

	if (e->p[EV_WAKE_AFFINE] && (t->flags & POLICY_ENQ_WAKE_CPU) &&
	    !(t->flags & POLICY_ENQ_NEW) && this != prev_cpu &&
	    cpu_ok(e, t, this) && cpu_ok(e, t, prev_cpu))
		cpu = idle_sibling(env, t, prev_cpu,
				   wake_affine(e, env, t, this, prev_cpu));
	else
		cpu = pol_pick_cpu(env, t, prev_cpu);
	if (t->id < e->max_tasks)
		ev_task(e, t->id)->wake_cpu = cpu;
	return cpu;
}

static bool cpu_ok(const struct ev *e, const struct policy_task *t, int32_t c)
{
	return c >= 0 && (uint32_t)c < e->nr_cpus && pol_allowed(t, c);
}

/* Where a new task without select_cpu goes: idle, else fewest queued. */
static int32_t new_task_cpu(struct ev *e, const struct policy_env *env,
			    const struct policy_task *t)
{
	int32_t c = pol_idle_allowed(env, t, t->prev_cpu), best = -1;
	uint32_t best_nr = UINT32_MAX;

	if (c >= 0)
		return c;
	for (uint32_t i = 0; i < e->nr_cpus; i++) {
		struct ev_cpu *rc = ev_cpu(e, (int32_t)i);
		uint32_t nr = rc->nr + (rc->curr != RQ_NIL);

		if (pol_allowed(t, (int32_t)i) && nr < best_nr) {
			best_nr = nr;
			best = (int32_t)i;
		}
	}
	return best >= 0 ? best : 0;
}

/*
 * Slice protection (RUN_TO_PARITY) as set_next_entity() sets it: curr is
 * protected up to the deadline it had when it was picked, and it is
 * picked only when it takes over the CPU from another task: one picked
 * again right after its own slice ended or its own preemption (prev ==
 * next, no set_next_entity()) runs unprotected, and a wakeup that
 * pick_eevdf() prefers preempts it at once. (Under autogroups the kernel
 * protects the running group entity at the root the same way, from when
 * its group took the CPU; flattened, curr's own protection stands for
 * it: modelling the group's apart measured worse, see README.)
 */
static void set_protection(struct ev *e, int32_t c, uint32_t id, uint64_t now)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	uint32_t prev = rc->curr != RQ_NIL && rc->curr != id ? rc->curr :
			rc->last_stop == now ? rc->last : RQ_NIL;

	rc->prot_vr = prev == id ? 0 : ev_task(e, id)->deadline;
}

/* Is curr, at vruntime cv, still protected (protect_slice())? */
static bool slice_protected(const struct ev *e, const struct ev_cpu *rc,
			    uint64_t cv)
{
	return e->p[EV_RUN_TO_PARITY] && cv < rc->prot_vr;
}

/*
 * pick_next_entity() with PICK_BUDDY (6.19+): the next buddy while it is
 * eligible, else pick_eevdf() over the queue.
 */
static uint32_t queue_pick_buddy(struct ev *e, int32_t c, uint64_t now)
{
	struct ev_cpu *rc = ev_cpu(e, c);

	if (e->p[EV_NEXT_BUDDY] && rc->next != RQ_NIL &&
	    queue_eligible(e, rc, now, ev_task(e, rc->next)->vruntime))
		return rc->next;
	return queue_pick(e, c, now);
}

/*
 * 6.19+ wakeup preemption (the NEXT_BUDDY rework, __do_preempt_buddy()):
 * forks never preempt; a task-context wakeup reschedules a curr that is
 * no longer eligible; otherwise the wakee becomes the next buddy unless
 * the buddy already there has an earlier deadline, and curr is preempted
 * when the buddy-first pick, slice protection honoured, is the wakee.
 * WF_SYNC (the waker promises to sleep) is not in the trace: every
 * wakeup is modelled as an ordinary one.
 */
static bool wakeup_preempts_buddy(struct ev *e, int32_t c, uint32_t id,
				  uint64_t now, bool fork, bool irq)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	struct ev_task *et = ev_task(e, id), *ct = ev_task(e, rc->curr);
	uint64_t cv = curr_vruntime(e, rc, now);
	bool curr_elig = queue_eligible(e, rc, now, cv);
	uint32_t best;

	if (fork)
		return false;
	if (!irq && !curr_elig)
		return true;
	if (rc->next == RQ_NIL || ev_task(e, rc->next)->deadline >= et->deadline)
		rc->next = id;
	best = queue_pick_buddy(e, c, now);
	if (best == rc->next)
		return best == id;
	if (curr_elig && (slice_protected(e, rc, cv) ||
			  ct->deadline < ev_task(e, best)->deadline))
		return false;
	return best == id && queue_eligible(e, rc, now, et->vruntime);
}

/* Would pick_eevdf() on c now choose the just-queued `id` over curr? */
static bool wakeup_preempts(struct ev *e, int32_t c, uint32_t id,
			    uint64_t now, bool fork, bool irq)
{
	struct ev_cpu *rc = ev_cpu(e, c);
	struct ev_task *et = ev_task(e, id), *ct;
	uint64_t cv, cd;
	bool curr_elig;

	if (rc->curr == RQ_NIL)
		return false;
	ct = ev_task(e, rc->curr);
	cv = curr_vruntime(e, rc, now);
	cd = ct->deadline;
	/*
	 * update_curr() finds the request used up: update_deadline()
	 * reschedules curr whoever woke, as the queue now holds another task.
	 */
	if (cv >= cd)
		return true;
	if (e->p[EV_NEXT_BUDDY])
		return wakeup_preempts_buddy(e, c, id, now, fork, irq);
	curr_elig = queue_eligible(e, rc, now, cv);
	if (curr_elig && slice_protected(e, rc, cv))
		return false;				/* protect_slice() */
	if (queue_pick(e, c, now) != id ||
	    !queue_eligible(e, rc, now, et->vruntime))
		return false;
	return !(curr_elig && cd < et->deadline);
}

/*
 * The lag a known task is placed with when it joins queue c from CPU old:
 * a requeue elsewhere (affinity change) migrates its lag; a wakeup keeps
 * the lag it left with, which DELAY_DEQUEUE lets decay while it slept.
 */
static int64_t enqueue_lag(struct ev *e, const struct ev_task *et, int32_t old,
			   bool wake, uint64_t now)
{
	int64_t lag;

	if (!wake)
		return clamp_lag(e, (int64_t)(queue_avg(e, ev_cpu(e, old), now) -
					      et->vruntime), et->weight);
	lag = et->vlag;
	if (e->p[EV_DELAY_DEQUEUE] && lag < 0 && old >= 0) {
		struct ev_cpu *oc = ev_cpu(e, old);

		if (!oc->nr && oc->curr == RQ_NIL)
			lag = 0;
		else
			lag = (int64_t)(queue_avg(e, oc, now) - et->vruntime);
		if (lag > 0)
			lag = 0;	/* DELAY_ZERO */
	}
	return lag;
}

static int32_t ev_enqueue(void *st, const struct policy_env *env,
			  const struct policy_task *t)
{
	struct ev *e = st;
	struct ev_task *et;
	bool wake, initial = false;
	int64_t lag = 0;
	int32_t c;

	if (t->id >= e->max_tasks)
		return POLICY_NO_KICK;
	et = ev_task(e, t->id);
	if (et->state == EV_QUEUED)
		queue_del(e, t->id);
	if (et->state == EV_CURR || et->state == EV_LEAVING) {
		/* Enqueued while we thought it ran: treat as stopped there. */
		struct ev_cpu *rc = ev_cpu(e, et->cpu);

		if (et->state == EV_CURR && rc->curr == t->id) {
			et->vruntime = curr_vruntime(e, rc, env->now);
			rc->curr = RQ_NIL;
		}
		et->state = EV_OFF_CPU;
	}
	if (!et->known || (t->flags & POLICY_ENQ_NEW)) {
		et->known = 1;
		et->state = EV_NONE;
		et->vlag = 0;
		initial = true;
	}
	group_join(e, et, t);
	et->migratable = pol_roams(t, e->nr_cpus);
	wake = et->state != EV_OFF_CPU;

	if (!wake && cpu_ok(e, t, et->cpu)) {
		/* Preempted or expired: it never left its queue's timeline. */
		c = et->cpu;
	} else {
		int32_t old = et->cpu;

		if (cpu_ok(e, t, et->wake_cpu))
			c = et->wake_cpu;
		else if (initial)
			c = new_task_cpu(e, env, t);
		else
			c = pol_pick_cpu(env, t, t->prev_cpu);
		if (c < 0)
			c = 0;
		if (!initial)
			lag = enqueue_lag(e, et, old, wake, env->now);
		{
			uint64_t rel = et->deadline - et->vruntime;

			place(e, c, et, env->now, lag, initial);
			if (!wake)	/* PLACE_REL_DEADLINE */
				et->deadline = et->vruntime + rel;
		}
	}
	et->wake_cpu = -1;
	queue_add(e, c, t->id);

	if (pol_idle(env, c))
		return c;
	if ((t->flags & (POLICY_ENQ_WAKEUP | POLICY_ENQ_NEW)) &&
	    wakeup_preempts(e, c, t->id, env->now, initial,
			    t->flags & POLICY_ENQ_IRQ_WAKE))
		return c;
	return POLICY_NO_KICK;
}

/* The queue an idle `cpu` pulls from: most tasks, its CPU busy or >= 2. */
static int32_t busiest(struct ev *e, int32_t cpu)
{
	int32_t best = -1;
	uint32_t best_nr = 0;

	for (uint32_t i = 0; i < e->nr_cpus; i++) {
		struct ev_cpu *rc = ev_cpu(e, (int32_t)i);

		if ((int32_t)i == cpu || !rc->nr)
			continue;
		if (rc->curr == RQ_NIL && rc->nr < 2)
			continue;
		if (rc->nr > best_nr) {
			best_nr = rc->nr;
			best = (int32_t)i;
		}
	}
	return best;
}

/* Tasks on c: queued plus running. */
static uint32_t cpu_load(struct ev *e, int32_t c)
{
	struct ev_cpu *rc = ev_cpu(e, c);

	return rc->nr + (rc->curr != RQ_NIL);
}

/* Move the task src would run next onto dst's queue, lag and all. */
static bool migrate_one(struct ev *e, int32_t src, int32_t dst, uint64_t now)
{
	uint32_t id = queue_pick(e, src, now);
	struct ev_task *et;
	uint64_t rel;
	int64_t lag;

	if (id == RQ_NIL || !ev_task(e, id)->migratable)
		return false;
	et = ev_task(e, id);
	rel = et->deadline - et->vruntime;
	lag = clamp_lag(e, (int64_t)(queue_avg(e, ev_cpu(e, src), now) -
				     et->vruntime), et->weight);
	queue_del(e, id);
	place(e, dst, et, now, lag, false);
	et->deadline = et->vruntime + rel;	/* PLACE_REL_DEADLINE */
	queue_add(e, dst, id);
	return true;
}

/* Periodic balance: even out a difference of two or more tasks. */
static void periodic_balance(struct ev *e, int32_t cpu, uint64_t now)
{
	struct ev_cpu *rc = ev_cpu(e, cpu);
	uint32_t mine = cpu_load(e, cpu), best_load = 0;
	int32_t src = -1;

	if (!e->p[EV_BALANCE] || now < rc->next_balance)
		return;
	rc->next_balance = now + (uint64_t)e->p[EV_BALANCE];
	for (uint32_t i = 0; i < e->nr_cpus; i++) {
		uint32_t load = cpu_load(e, (int32_t)i);

		if ((int32_t)i != cpu && ev_cpu(e, (int32_t)i)->nr &&
		    load > best_load) {
			best_load = load;
			src = (int32_t)i;
		}
	}
	if (src >= 0 && best_load >= mine + 2)
		migrate_one(e, src, cpu, now);
}

/* Make id curr of c and fill the answer; the slice ends on a tick. */
static void run_on(struct ev *e, const struct policy_env *env, int32_t c,
		   uint32_t id, struct policy_dispatch *out)
{
	struct ev_task *et = ev_task(e, id);
	struct ev_cpu *rc = ev_cpu(e, c);
	uint64_t tick = (uint64_t)e->p[EV_TICK], wall, end;

	if (rc->curr != RQ_NIL && rc->curr != id) {
		struct ev_task *ct = ev_task(e, rc->curr);

		ct->vruntime = curr_vruntime(e, rc, env->now);
		ct->state = EV_LEAVING;
	}
	if (et->vruntime >= et->deadline)
		et->deadline = et->vruntime + vslice(e, et->weight);
	set_protection(e, c, id, env->now);
	rc->curr = id;
	rc->curr_start = env->now;
	rc->curr_vr = et->run_vr = et->vruntime;
	et->state = EV_CURR;
	et->cpu = c;
	wall = (et->deadline - et->vruntime) * et->weight / POLICY_NICE_0_WEIGHT;
	if (!wall)
		wall = 1;
	if (tick) {
		end = env->now + wall;
		end = (end + tick - 1) / tick * tick;
		wall = end - env->now;
	}
	out->id = id;
	out->cpu = c;
	out->slice_ns = wall;
	out->vtime = et->deadline;
}

static bool ev_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			struct policy_dispatch *out)
{
	struct ev *e = st;
	uint32_t id;
	int32_t src;

	if (cpu == POLICY_CPU_ANY) {
		uint32_t best_nr = 0;

		for (uint32_t i = 0; i < e->nr_cpus; i++) {
			if (ev_cpu(e, (int32_t)i)->nr > best_nr) {
				best_nr = ev_cpu(e, (int32_t)i)->nr;
				cpu = (int32_t)i;
			}
		}
		if (cpu < 0)
			return false;
	}
	if (cpu < 0 || (uint32_t)cpu >= e->nr_cpus)
		return false;
	periodic_balance(e, cpu, env->now);
	if (ev_cpu(e, cpu)->nr) {
		id = queue_pick_buddy(e, cpu, env->now);
		queue_del(e, id);
		run_on(e, env, cpu, id, out);
		return true;
	}
	if (!e->p[EV_NEWIDLE] || (src = busiest(e, cpu)) < 0 ||
	    !migrate_one(e, src, cpu, env->now))
		return false;
	id = queue_pick(e, cpu, env->now);
	queue_del(e, id);
	run_on(e, env, cpu, id, out);
	return true;
}

static void ev_running(void *st, const struct policy_env *env,
		       const struct policy_task *t, int32_t cpu)
{
	struct ev *e = st;
	struct ev_task *et;
	struct ev_cpu *rc;

	if (t->id >= e->max_tasks || cpu < 0 || (uint32_t)cpu >= e->nr_cpus)
		return;
	et = ev_task(e, t->id);
	if (et->state == EV_QUEUED)
		queue_del(e, t->id);	/* ran without our dispatch */
	if (et->state == EV_CURR && et->cpu != cpu &&
	    ev_cpu(e, et->cpu)->curr == t->id)
		ev_cpu(e, et->cpu)->curr = RQ_NIL;
	if (et->state == EV_CURR && et->cpu == cpu &&
	    ev_cpu(e, cpu)->curr == t->id) {
		/* Dispatched here: its run starts now, not at dispatch. */
		ev_cpu(e, cpu)->curr_start = env->now;
		return;
	}
	rc = ev_cpu(e, cpu);
	if (!et->known) {
		et->known = 1;
		group_join(e, et, t);
		et->vruntime = queue_avg(e, rc, env->now);
		et->deadline = et->vruntime + vslice(e, et->weight);
	}
	set_protection(e, cpu, t->id, env->now);
	if (rc->curr != RQ_NIL && rc->curr != t->id) {
		struct ev_task *ct = ev_task(e, rc->curr);

		ct->vruntime = curr_vruntime(e, rc, env->now);
		ct->state = EV_LEAVING;
	}
	rc->curr = t->id;
	rc->curr_start = env->now;
	rc->curr_vr = et->run_vr = et->vruntime;
	et->state = EV_CURR;
	et->cpu = cpu;
}

static void ev_stopping(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu,
			uint64_t ran_ns, bool runnable)
{
	struct ev *e = st;
	struct ev_task *et;
	struct ev_cpu *rc;

	(void)cpu;
	if (t->id >= e->max_tasks)
		return;
	et = ev_task(e, t->id);
	if (et->state != EV_CURR && et->state != EV_LEAVING)
		return;
	rc = ev_cpu(e, et->cpu);
	/* The host's ran_ns is exact; our clock estimate is not needed. */
	et->vruntime = et->run_vr + pol_scale(ran_ns, et->weight);
	if (et->vruntime >= et->deadline)
		et->deadline = et->vruntime + vslice(e, et->weight);
	if (et->state == EV_CURR && rc->curr == t->id) {
		rc->curr_vr = et->vruntime;
		rc->curr_start = env->now;
	}
	if (!runnable) {
		/*
		 * Lag against V with itself still counted, as at dequeue
		 * (a LEAVING task is no longer in V: add it back).
		 */
		int64_t sum;
		uint64_t load;
		int64_t v;

		queue_load(e, rc, env->now, &sum, &load);
		if (et->state == EV_LEAVING) {
			sum = wadd(sum, wmul((int64_t)(et->vruntime - rc->v0),
					     (int64_t)et->weight));
			load += et->weight;
		}
		v = load ? sum / (int64_t)load : 0;
		et->vlag = clamp_lag(e, (int64_t)(rc->v0 + (uint64_t)v - et->vruntime),
				     et->weight);
		group_leave(e, et);
	}
	if (rc->curr == t->id)
		rc->curr = RQ_NIL;
	rc->last = t->id;
	rc->last_stop = env->now;
	et->state = runnable ? EV_OFF_CPU : EV_SLEEP;
}

static void ev_exit_task(void *st, const struct policy_env *env,
			 const struct policy_task *t)
{
	struct ev *e = st;
	struct ev_task *et;

	(void)env;
	if (t->id >= e->max_tasks)
		return;
	et = ev_task(e, t->id);
	if (et->state == EV_QUEUED)
		queue_del(e, t->id);
	if (et->state == EV_CURR && ev_cpu(e, et->cpu)->curr == t->id)
		ev_cpu(e, et->cpu)->curr = RQ_NIL;
	group_leave(e, et);
	et->state = EV_NONE;
	et->known = 0;
	et->cpu = -1;
	et->wake_cpu = -1;
}

/*
 * The bound stated above: n slices, each rounded up to the tick (the
 * policy's own or the host's, the longer), stretched by weight. Per-CPU
 * queues may hold every runnable task, so n is not divided by the CPUs.
 */
static uint64_t ev_wait_bound(const struct policy_conf *conf,
			      const struct policy_bound_in *in)
{
	uint64_t slice = conf->param[EV_BASE_SLICE] ?
			 (uint64_t)conf->param[EV_BASE_SLICE] :
			 kernel_base_slice(conf->nr_cpus);
	uint64_t tick = (uint64_t)conf->param[EV_TICK];

	if (in->tick_ns > tick)
		tick = in->tick_ns;
	return (uint64_t)in->nr_runnable * (slice + tick) *
	       pol_weight_stretch(in);
}

const struct policy_ops policy_eevdf_ops = {
	.name		= "eevdf",
	.desc		= "model of the kernel's EEVDF: per-CPU queues, lag, eligibility, deadlines",
	.fair_class	= true,
	.params		= ev_params,
	.nr_params	= EV_NR_PARAMS,
	.state_size	= ev_state_size,
	.init		= ev_init,
	.select_cpu	= ev_select_cpu,
	.enqueue	= ev_enqueue,
	.dispatch	= ev_dispatch,
	.running	= ev_running,
	.stopping	= ev_stopping,
	.exit_task	= ev_exit_task,
	.wait_bound	= ev_wait_bound,
};
