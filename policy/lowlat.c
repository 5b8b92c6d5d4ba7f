// SPDX-License-Identifier: GPL-2.0
/*
 * lowlat: the flagship, scx_rustland's idea in pure C. Deadline-ordered
 * virtual time that serves short bursts first and boosts tasks that sleep
 * often and run briefly, so a frame loop or an editor keeps its latency
 * while a kernel build saturates every CPU.
 *
 * Virtual time. As in vruntime, vtime += ran_ns * 1024 / weight, and a
 * task that slept or is new is placed at most `lag` behind vtime_now (the
 * highest vtime a task started running with), so sleeping banks bounded
 * credit. Virtual time starts at 2^40, so dispatch answers vtimes (the
 * deadlines) of that order.
 *
 * Deadline. A task is queued by
 *     deadline = vtime + min(burst, burst_cap) * 1024 / weight - credit
 * where burst is the CPU time it used since it last slept: a task that just
 * woke (burst 0) sorts at its vtime, a CPU hog that keeps being preempted
 * sorts up to burst_cap later. credit is boost% of `lag` for an interactive
 * task, 0 otherwise.
 *
 * Interactivity. Per task the policy keeps EWMAs (weight 1/4 per sample)
 * of its burst length and of the time between its wakeups. A task is
 * interactive when its average burst is at most inter_burst and it wakes
 * on average at least every inter_period. Interactive tasks get the credit
 * above while their current burst is no longer than inter_burst, and may
 * preempt: when one wakes and no allowed CPU is idle, enqueue returns the
 * allowed CPU whose running task has been in its burst for slice_min or
 * more and, counting the run in progress, has the latest deadline,
 * provided the woken deadline is earlier.
 *
 * Slices shrink with contention so waiting tasks are reached sooner:
 *     slice = max(slice_min, slice_max / (1 + nr_waiting / nr_cpus)).
 *
 * Parameters (name, default, range, unit: meaning):
 *   slice_max      5 ms, 100 us..1 s, ns: slice when nobody waits
 *   slice_min    500 us,  50 us..1 s, ns: floor of the shrinking slice
 *   burst_cap     20 ms,   0..10 s,   ns: most a burst can delay a deadline
 *   lag           20 ms,   0..10 s,   ns: most vtime credit a sleeper keeps
 *   boost         50,      0..100,    %:  share of lag credited to
 *                                         interactive tasks
 *   inter_burst    5 ms,   0..1 s,    ns: average burst at or below which a
 *                                         task may count as interactive
 *                                         (a frame's render work fits)
 *   inter_period 100 ms,   0..10 s,   ns: average time between wakeups at
 *                                         or below which it may
 *   preempt        1,      0..1,      "": let interactive wakeups preempt
 *
 * Starvation bound: every deadline is queued within
 * [vtime_now - lag * (1 + boost/100),
 *  vtime_now + (slice_max + burst_cap) * 1024 / w]
 * and vtime_now only moves forward as tasks run, so once a queued task's
 * deadline falls behind that window nothing newly enqueued can pass it.
 * With n runnable tasks of equal weight on c CPUs a task waits at most
 * ceil(n / c) * (slice_max + burst_cap + 2 * lag) of wall time (65 ms per
 * queued-ahead task per CPU with the defaults), and far less in practice.
 * ll_wait_bound() states it for a host to check (scxsim --tune rejects a
 * configuration whose replay breaks it), each slice a tick longer.
 *
 * The defaults were chosen by replaying traces recorded on a 2-CPU host
 * (a 60 Hz frame loop with 3 ms of work beside three CPU hogs, and the
 * perf-sched fixtures): slice_max 5 ms rather than scx_rustland's 20 ms
 * cut the 99th percentile delay over all tasks by a third, and a 5 ms
 * inter_burst lets the frame loop count as interactive.
 */
#include "policy/common.h"
#include "policy/dsq.h"

enum {
	LL_SLICE_MAX,
	LL_SLICE_MIN,
	LL_BURST_CAP,
	LL_LAG,
	LL_BOOST,
	LL_INTER_BURST,
	LL_INTER_PERIOD,
	LL_PREEMPT,
	LL_NR_PARAMS,
};

static const struct policy_param ll_params[] = {
	[LL_SLICE_MAX] = { "slice_max", 5000000, 100000, 1000000000, "ns",
			   "time slice when no task waits" },
	[LL_SLICE_MIN] = { "slice_min", 500000, 50000, 1000000000, "ns",
			   "smallest slice however many tasks wait" },
	[LL_BURST_CAP] = { "burst_cap", 20000000, 0, 10000000000, "ns",
			   "most CPU time since the last sleep can push a deadline back" },
	[LL_LAG] = { "lag", 20000000, 0, 10000000000, "ns",
		     "most vtime credit a sleeping task keeps" },
	[LL_BOOST] = { "boost", 50, 0, 100, "%",
		       "share of lag credited to an interactive task's deadline" },
	[LL_INTER_BURST] = { "inter_burst", 5000000, 0, 1000000000, "ns",
			     "average burst at or below which a task may be interactive" },
	[LL_INTER_PERIOD] = { "inter_period", 100000000, 0, 10000000000, "ns",
			      "average wakeup interval at or below which a task may be interactive" },
	[LL_PREEMPT] = { "preempt", 1, 0, 1, "",
			 "1: an interactive wakeup may preempt a CPU hog" },
};

#define LL_VTIME_BASE	(1ull << 40)	/* ~18 min of nice-0 vtime */

struct ll_task {
	uint64_t vtime;
	uint64_t deadline;	/* as last queued or dispatched */
	uint64_t burst;		/* CPU time since it last slept */
	uint64_t avg_burst;	/* EWMA of completed bursts */
	uint64_t avg_period;	/* EWMA of time between wakeups */
	uint64_t last_wake;
	uint32_t nr_wakes;	/* saturating: how many samples the EWMAs hold */
	uint32_t nr_bursts;
	uint32_t weight;
	int32_t wake_cpu;
	uint32_t known;
};

struct ll_cpu {
	uint32_t curr;		/* running task, or RQ_NIL */
	uint32_t pad;
	uint64_t start;		/* when curr started running */
};

struct ll {
	struct dsq q;		/* must stay first (see dsq.h) */
	int64_t p[LL_NR_PARAMS];
	uint64_t vtime_now;
	size_t off_task, off_cpu;
};

static struct ll_task *ll_task(struct ll *l, uint32_t id)
{
	return (struct ll_task *)((char *)l + l->off_task) + id;
}

static struct ll_cpu *ll_cpu(struct ll *l, int32_t cpu)
{
	return (struct ll_cpu *)((char *)l + l->off_cpu) + cpu;
}

static size_t ll_layout(struct ll *l, const struct policy_conf *conf)
{
	size_t off = dsq_layout(&l->q, sizeof(*l), conf->nr_cpus,
				conf->max_tasks);

	l->off_task = off;
	off = pol_align(off + sizeof(struct ll_task) * conf->max_tasks);
	l->off_cpu = off;
	return pol_align(off + sizeof(struct ll_cpu) * conf->nr_cpus);
}

static size_t ll_state_size(const struct policy_conf *conf)
{
	struct ll tmp;

	if (!pol_conf_ok(conf))
		return sizeof(tmp);
	return ll_layout(&tmp, conf);
}

static int ll_init(void *st, const struct policy_conf *conf)
{
	struct ll *l = st;

	if (!pol_conf_ok(conf))
		return POLICY_E_CONF;
	ll_layout(l, conf);
	dsq_init(&l->q);
	for (int i = 0; i < LL_NR_PARAMS; i++)
		l->p[i] = conf->param[i];
	/*
	 * Start virtual time far from 0 so a deadline pulled earlier by the
	 * credit never clamps at 0, where every task would tie.
	 */
	l->vtime_now = LL_VTIME_BASE;
	for (uint32_t i = 0; i < conf->max_tasks; i++) {
		struct ll_task *lt = ll_task(l, i);

		lt->known = 0;
		lt->wake_cpu = -1;
	}
	for (uint32_t c = 0; c < conf->nr_cpus; c++)
		ll_cpu(l, (int32_t)c)->curr = RQ_NIL;
	return 0;
}

static uint64_t ewma(uint64_t avg, uint64_t sample, uint32_t nr)
{
	return nr ? (avg * 3 + sample) / 4 : sample;
}

static bool ll_interactive(const struct ll *l, const struct ll_task *lt)
{
	return lt->nr_bursts && lt->nr_wakes > 1 &&
	       lt->avg_burst <= (uint64_t)l->p[LL_INTER_BURST] &&
	       lt->avg_period <= (uint64_t)l->p[LL_INTER_PERIOD];
}

/*
 * The deadline of a task at vtime `vtime` that has run `burst` since it
 * last slept. An interactive task keeps its credit only while the burst
 * stays as short as an interactive one: a runaway burst loses it.
 */
static uint64_t ll_deadline_at(const struct ll *l, const struct ll_task *lt,
			       uint64_t vtime, uint64_t burst)
{
	uint64_t d = vtime +
		     pol_scale(pol_min(burst, (uint64_t)l->p[LL_BURST_CAP]),
			       lt->weight);
	uint64_t credit = 0;

	if (ll_interactive(l, lt) && burst <= (uint64_t)l->p[LL_INTER_BURST])
		credit = (uint64_t)l->p[LL_LAG] * (uint64_t)l->p[LL_BOOST] / 100;
	return d > credit ? d - credit : 0;
}

static uint64_t ll_deadline(const struct ll *l, const struct ll_task *lt)
{
	return ll_deadline_at(l, lt, lt->vtime, lt->burst);
}

static int32_t ll_select_cpu(void *st, const struct policy_env *env,
			     const struct policy_task *t, int32_t prev_cpu)
{
	struct ll *l = st;
	int32_t cpu = pol_pick_cpu(env, t, prev_cpu);

	if (t->id < l->q.max_tasks)
		ll_task(l, t->id)->wake_cpu = cpu;
	return cpu;
}

/*
 * The CPU an interactive wakeup with deadline `d` should take over: among
 * CPUs t may use, the one whose running task, counting the run in
 * progress, has been in its burst for at least slice_min and now has the
 * latest deadline, later than d. POLICY_NO_KICK if none.
 */
static int32_t ll_victim(struct ll *l, const struct policy_env *env,
			 const struct policy_task *t, uint64_t d)
{
	int32_t victim = POLICY_NO_KICK;
	uint64_t worst = d, ran, live;

	for (uint32_t c = 0; c < l->q.nr_cpus; c++) {
		uint32_t cur = ll_cpu(l, (int32_t)c)->curr;
		struct ll_task *ct;

		if (cur == RQ_NIL || !pol_allowed(t, (int32_t)c))
			continue;
		ct = ll_task(l, cur);
		ran = env->now > ll_cpu(l, (int32_t)c)->start ?
		      env->now - ll_cpu(l, (int32_t)c)->start : 0;
		if (ct->burst + ran < (uint64_t)l->p[LL_SLICE_MIN])
			continue;
		live = ll_deadline_at(l, ct, ct->vtime + pol_scale(ran, ct->weight),
				      ct->burst + ran);
		if (live > worst) {
			worst = live;
			victim = (int32_t)c;
		}
	}
	return victim;
}

static int32_t ll_enqueue(void *st, const struct policy_env *env,
			  const struct policy_task *t)
{
	struct ll *l = st;
	struct ll_task *lt;
	int32_t qcpu, wcpu, kick;
	uint64_t floor;

	if (t->id >= l->q.max_tasks)
		return POLICY_NO_KICK;
	lt = ll_task(l, t->id);
	if (!lt->known || (t->flags & POLICY_ENQ_NEW)) {
		lt->vtime = l->vtime_now;
		lt->burst = lt->avg_burst = lt->avg_period = 0;
		lt->nr_wakes = lt->nr_bursts = 0;
		lt->last_wake = env->now;
		lt->known = 1;
	}
	if (t->flags & POLICY_ENQ_WAKEUP) {
		if (lt->nr_wakes)
			lt->avg_period = ewma(lt->avg_period,
					      env->now - lt->last_wake,
					      lt->nr_wakes - 1);
		lt->last_wake = env->now;
		if (lt->nr_wakes < UINT32_MAX)
			lt->nr_wakes++;
	}
	floor = l->vtime_now > (uint64_t)l->p[LL_LAG] ?
		l->vtime_now - (uint64_t)l->p[LL_LAG] : 0;
	if (lt->vtime < floor)
		lt->vtime = floor;
	lt->weight = t->weight ? t->weight : POLICY_NICE_0_WEIGHT;
	lt->deadline = ll_deadline(l, lt);

	wcpu = lt->wake_cpu;
	lt->wake_cpu = -1;
	qcpu = pol_queue_cpu(env, t, wcpu);
	dsq_insert(&l->q, t->id, qcpu, lt->deadline);
	kick = pol_kick_idle(env, t, qcpu, wcpu);
	if (kick == POLICY_NO_KICK && l->p[LL_PREEMPT] &&
	    (t->flags & POLICY_ENQ_WAKEUP) && ll_interactive(l, lt))
		kick = ll_victim(l, env, t, lt->deadline);
	return kick;
}

static bool ll_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			struct policy_dispatch *out)
{
	struct ll *l = st;
	uint64_t slice, div;
	int32_t from;
	uint32_t id;

	(void)env;
	id = dsq_pop(&l->q, cpu, &from);
	if (id == RQ_NIL)
		return false;
	div = 1 + l->q.nr_queued / l->q.nr_cpus;
	slice = pol_max((uint64_t)l->p[LL_SLICE_MAX] / div,
			(uint64_t)l->p[LL_SLICE_MIN]);
	out->id = id;
	out->cpu = cpu >= 0 ? cpu : (from >= 0 ? from : POLICY_CPU_ANY);
	out->slice_ns = slice;
	out->vtime = ll_task(l, id)->deadline;
	return true;
}

static void ll_running(void *st, const struct policy_env *env,
		       const struct policy_task *t, int32_t cpu)
{
	struct ll *l = st;
	struct ll_task *lt;

	if (t->id >= l->q.max_tasks)
		return;
	lt = ll_task(l, t->id);
	if (!lt->known) {
		/* Ran without our enqueue: adopt it at the current vtime. */
		lt->known = 1;
		lt->vtime = l->vtime_now;
		lt->burst = lt->avg_burst = lt->avg_period = 0;
		lt->nr_wakes = lt->nr_bursts = 0;
		lt->last_wake = env->now;
		lt->wake_cpu = -1;
	}
	lt->weight = t->weight ? t->weight : POLICY_NICE_0_WEIGHT;
	if (lt->vtime > l->vtime_now)
		l->vtime_now = lt->vtime;
	if (cpu >= 0 && (uint32_t)cpu < l->q.nr_cpus) {
		ll_cpu(l, cpu)->curr = t->id;
		ll_cpu(l, cpu)->start = env->now;
	}
}

static void ll_stopping(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu,
			uint64_t ran_ns, bool runnable)
{
	struct ll *l = st;
	struct ll_task *lt;

	(void)env;
	if (t->id >= l->q.max_tasks)
		return;
	lt = ll_task(l, t->id);
	lt->vtime += pol_scale(ran_ns, t->weight);
	lt->burst += ran_ns;
	if (!runnable) {
		lt->avg_burst = ewma(lt->avg_burst, lt->burst, lt->nr_bursts);
		if (lt->nr_bursts < UINT32_MAX)
			lt->nr_bursts++;
		lt->burst = 0;
	}
	if (cpu >= 0 && (uint32_t)cpu < l->q.nr_cpus &&
	    ll_cpu(l, cpu)->curr == t->id)
		ll_cpu(l, cpu)->curr = RQ_NIL;
}

static void ll_exit_task(void *st, const struct policy_env *env,
			 const struct policy_task *t)
{
	struct ll *l = st;

	(void)env;
	if (t->id >= l->q.max_tasks)
		return;
	dsq_remove(&l->q, t->id);
	for (uint32_t c = 0; c < l->q.nr_cpus; c++)
		if (ll_cpu(l, (int32_t)c)->curr == t->id)
			ll_cpu(l, (int32_t)c)->curr = RQ_NIL;
	ll_task(l, t->id)->known = 0;
	ll_task(l, t->id)->wake_cpu = -1;
}

/*
 * The bound stated above, ceil(n / c) * (slice_max + burst_cap + 2 lag),
 * with each slice up to a tick longer and the weighted window stretched
 * for a light task.
 */
static uint64_t ll_wait_bound(const struct policy_conf *conf,
			      const struct policy_bound_in *in)
{
	const int64_t *p = conf->param;

	return pol_ceil_div(in->nr_runnable, in->nr_cpus) *
	       ((uint64_t)p[LL_SLICE_MAX] + in->tick_ns +
		((uint64_t)p[LL_BURST_CAP] + 2 * (uint64_t)p[LL_LAG]) *
		pol_weight_stretch(in));
}

const struct policy_ops policy_lowlat_ops = {
	.name		= "lowlat",
	.desc		= "deadline-ordered vtime with an interactive boost (scx_rustland idea)",
	.params		= ll_params,
	.nr_params	= LL_NR_PARAMS,
	.state_size	= ll_state_size,
	.init		= ll_init,
	.select_cpu	= ll_select_cpu,
	.enqueue	= ll_enqueue,
	.dispatch	= ll_dispatch,
	.running	= ll_running,
	.stopping	= ll_stopping,
	.exit_task	= ll_exit_task,
	.wait_bound	= ll_wait_bound,
};
