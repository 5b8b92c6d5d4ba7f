// SPDX-License-Identifier: GPL-2.0
/*
 * The replay engine (see engine.h for what it promises).
 *
 * Three kinds of timed event drive everything: WAKE (a timer or initial
 * burst becomes due), CHECK (the running task of a CPU reaches its next
 * point of interest: a wake edge it must fire, the end of its burst, or the
 * end of its slice) and PICK (a CPU was kicked: preempt its task, or leave
 * idle, then ask the policy for work). A CPU has at most one live CHECK and
 * one live PICK; superseded heap entries are skipped by generation number,
 * so nothing is ever removed from the middle of the heap and nothing is
 * allocated per event (the heap doubles when it must).
 *
 * Kicks never act inside the hook that caused them: a kick becomes a PICK
 * event at the current time, which runs after the current handler, so a
 * task waking the very task its CPU is running sees the kernel's order
 * (wakeup, then preemption) and no handler re-enters another.
 *
 * Costs, all measured from the trace by the model: waking an idle CPU takes
 * the wake cost (wake-to-run onto an idle CPU, apart for task and timer
 * wakeups), a kick of a busy CPU the preemption cost (wake to switch when
 * the wakee preempted its target CPU's task). Each wakeup of an idle CPU
 * draws its cost from the spread the trace shows for its kind (the
 * model's quantiles, interpolated), so replayed delays are as smooth as
 * recorded ones instead of piling up at one median. A kick costs the
 * median only: the spread of recorded wake-to-preempt times also holds
 * time spent queued behind other tasks, which the replay simulates itself
 * (drawing from it, or splitting kicks from the target CPU itself from
 * IPIs, measured worse on the accuracy traces). An option's fixed cost
 * replaces the draw. Context switches cost no extra time because the
 * trace already charged that time to the tasks' own runtime, and the
 * demand comes from it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim/engine/live_host.h"
#include "sim/engine/live_state.h"	/* GEN_HEARTBEAT */
#include "sim/engine/state.h"


/* ---------------------------------------------------------------- heap */

static bool ev_before(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void heap_push(struct engine *e, struct event ev)
{
	size_t i;

	if (e->nheap == e->capheap) {
		size_t cap = e->capheap * 2;
		struct event *h = realloc(e->heap, cap * sizeof(*h));

		if (!h) {
			e->oom = 1;
			return;
		}
		e->heap = h;
		e->capheap = cap;
	}
	i = e->nheap++;
	while (i && ev_before(&ev, &e->heap[(i - 1) / 2])) {
		e->heap[i] = e->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	e->heap[i] = ev;
}

static struct event pop(struct engine *e)
{
	struct event top = e->heap[0], last = e->heap[--e->nheap];
	size_t i = 0, n = e->nheap;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && ev_before(&e->heap[c + 1], &e->heap[c]))
			c++;
		if (!ev_before(&e->heap[c], &last))
			break;
		e->heap[i] = e->heap[c];
		i = c;
	}
	if (n)
		e->heap[i] = last;
	return top;
}

/*
 * A CPU's CHECK and PICK, and the daemon's run end and heartbeat, come and
 * go all the time, and each is soon replaced by its successor: on a few
 * CPUs each waits in a slot of its own, found by a scan, not in the heap.
 * A replaced event is superseded (its handler would skip it), so it is
 * dropped, and all that would come of it when it came due is kept: the
 * clock it would move (the latest one still to come, reached when
 * nothing else is left) and its count (a superseded EV_HOST counts as
 * simulated, as it did; every dropped one counts for the budget). The
 * replay is the same, event for event, as with all events in the heap.
 */
static uint32_t slot_of(const struct engine *e, uint32_t kind, uint32_t id,
			uint32_t gen)
{
	if (kind == EV_HOST)
		return gen & GEN_HEARTBEAT ? SLOT_BEAT : SLOT_DAEMON;
	if ((kind == EV_CHECK || kind == EV_PICK) && e->nr_cpus <= SLOT_CPUS)
		return 2 * id + (kind == EV_PICK);
	return UINT32_MAX;
}

void engine_push(struct engine *e, uint64_t t, uint32_t kind, uint32_t id,
		 uint32_t gen)
{
	struct event ev = { t, e->seq++, kind, id, gen };
	uint32_t s = slot_of(e, kind, id, gen);

	if (s == UINT32_MAX) {
		heap_push(e, ev);
		return;
	}
	if (e->slot_mask & (1u << s)) {
		const struct event *old = &e->slot[s];

		if (!e->ghost || old->t > e->ghost_t ||
		    (old->t == e->ghost_t && old->seq > e->ghost_seq)) {
			e->ghost_t = old->t;
			e->ghost_seq = old->seq;
		}
		e->ghost = true;
		e->ghosts++;
		if (old->kind == EV_HOST)
			e->stats->events++;
	}
	e->slot[s] = ev;
	e->slot_mask |= 1u << s;
}

/* The earliest event, from the heap or a slot; one must be there. */
static struct event next_event(struct engine *e)
{
	const struct event *best = e->nheap ? &e->heap[0] : NULL;
	uint32_t m = e->slot_mask;
	struct event ev;
	int s = -1;

	while (m) {
		int i = __builtin_ctz(m);

		m &= m - 1;
		if (!best || ev_before(&e->slot[i], best)) {
			best = &e->slot[i];
			s = i;
		}
	}
	if (s < 0) {
		ev = pop(e);
	} else {
		e->slot_mask &= ~(1u << s);
		ev = e->slot[s];
	}
	/* Every dropped event due before this one has come and gone. */
	if (e->ghost && (e->ghost_t < ev.t ||
			 (e->ghost_t == ev.t && e->ghost_seq < ev.seq)))
		e->ghost = false;
	return ev;
}

/* ---------------------------------------------------------------- CPUs */

void engine_idle_set(struct engine *e, int32_t c, bool idle)
{
	if (idle)
		e->idle[c / 64] |= 1ull << (c % 64);
	else
		e->idle[c / 64] &= ~(1ull << (c % 64));
}

bool engine_is_idle(const struct engine *e, int32_t c)
{
	return policy_cpu_test(e->idle, c);
}

uint64_t engine_rnd(struct engine *e)
{
	e->rng ^= e->rng << 13;
	e->rng ^= e->rng >> 7;
	e->rng ^= e->rng << 17;
	return e->rng;
}

/* The host's choice when the policy says "any": prev if idle, else any idle. */
int32_t engine_pick_idle(struct engine *e, int32_t prev)
{
	uint32_t start;

	if (prev >= 0 && (uint32_t)prev < e->nr_cpus && engine_is_idle(e, prev))
		return prev;
	start = (uint32_t)(engine_rnd(e) % e->nr_cpus);
	for (uint32_t i = 0; i < e->nr_cpus; i++) {
		int32_t c = (int32_t)((start + i) % e->nr_cpus);

		if (engine_is_idle(e, c))
			return c;
	}
	return -1;
}

void engine_want_pick(struct engine *e, int32_t c, uint64_t delay)
{
	struct vcpu *v = &e->cpu[c];

	v->pick_pending = true;
	engine_idle_set(e, c, false);	/* claimed, as scx_bpf_test_and_clear_cpu_idle */
	engine_push(e, e->now + delay, EV_PICK, (uint32_t)c, ++v->pick_gen);
}

/* Kick c: preempt its task, or wake it from idle at wake_cost. */
void engine_kick(struct engine *e, int32_t c, uint64_t wake_cost)
{
	struct vcpu *v;

	if (c < 0 || (uint32_t)c >= e->nr_cpus)
		return;
	v = &e->cpu[c];
	if (v->pick_pending)
		return;
	if (v->curr >= 0)
		engine_want_pick(e, c, e->conf.preempt_lazy &&
				 e->waker_cpu >= 0 && e->waker_cpu != c ?
				 engine_tick_wait(e, c) :
				 e->conf.preempt_cost_ns);
	else if (engine_is_idle(e, c))
		engine_want_pick(e, c, wake_cost);
	/* else: that CPU is picking right now */
}

void engine_schedule_check(struct engine *e, int32_t c)
{
	struct vcpu *v = &e->cpu[c];
	uint32_t ti = (uint32_t)v->curr;
	const struct model_task *mt = &e->m->tasks[ti];
	struct stask *s = &e->t[ti];
	uint64_t next = v->since + (mt->bursts[s->burst].demand_ns - s->consumed);

	if (s->edge < mt->nr_edges && mt->edges[s->edge].burst == s->burst) {
		uint64_t off = mt->edges[s->edge].offset_ns;
		uint64_t at = v->since + (off > s->consumed ?
					  off - s->consumed : 0);

		if (at < next)
			next = at;
	}
	if (v->slice_end < next)
		next = v->slice_end;
	/* The live check already falls then: no second heap entry. */
	if (next == v->check_at && v->check_gen == v->gen)
		return;
	v->check_at = next;
	v->check_gen = ++v->gen;
	engine_push(e, next, EV_CHECK, (uint32_t)c, v->gen);
}

/* ---------------------------------------------------------------- tasks */

static struct policy_env *env(struct engine *e)
{
	e->env.now = e->now;
	return &e->env;
}

/* Tell the sink (only called when there is one). */
static void step(struct engine *e, uint8_t kind, uint32_t ti, int32_t cpu,
		 const struct engine_step *more)
{
	struct engine_step s = more ? *more : (struct engine_step){ 0 };

	s.kind = kind;
	s.task = ti;
	s.cpu = cpu;
	s.now = e->now;
	e->sink->step(e->sink->ctx, &s);
}

static void task_ready(struct engine *e, uint32_t ti, uint32_t flags)
{
	const struct burst *b = &e->m->tasks[ti].bursts[e->t[ti].burst];
	struct stask *s = &e->t[ti];

	s->state = S_QUEUED;
	s->count_next = !(b->flags & BURST_NOCOUNT);
	e->pt[ti].burst_ns = 0;
	engine_wake_enqueue(e, ti, flags, b->src == BURST_TIMER,
			    b->flags & BURST_IRQ);
}

void engine_wake_enqueue(struct engine *e, uint32_t ti, uint32_t flags,
			 bool timer, bool irq)
{
	struct policy_task *pt = &e->pt[ti];
	struct stask *s = &e->t[ti];
	int32_t cpu, kick;
	uint64_t cost;

	s->woke = true;
	e->stats->wakeups++;
	if (++e->nr_runnable > e->stats->peak_runnable)
		e->stats->peak_runnable = e->nr_runnable;
	pt->runnable_at = e->now;
	pt->flags = flags;
	if (irq)
		pt->flags |= POLICY_ENQ_IRQ_WAKE;
	if (s->pin >= 0)
		pt->flags |= POLICY_ENQ_PERCPU;
	/* A task's wakeup runs on its waker's CPU (a timer's on the one it
	 * was armed on, its own prev: left unsaid). */
	if ((flags & POLICY_ENQ_WAKEUP) && e->waker_cpu >= 0) {
		pt->flags |= POLICY_ENQ_WAKE_CPU;
		pt->wake_cpu = e->waker_cpu;
	}
	if (e->live) {
		if (e->sink)
			step(e, STEP_WAKE, ti, e->waker_cpu, &(struct engine_step){
				.target = -1, .counted = s->count_next,
				.fork = flags & POLICY_ENQ_NEW,
				.irq = timer || irq });
		live_host_ready(e, ti, true);
		return;
	}
	if ((flags & (POLICY_ENQ_WAKEUP | POLICY_ENQ_NEW)) &&
	    e->ops->select_cpu) {
		cpu = e->ops->select_cpu(e->st, env(e), pt, pt->prev_cpu);
		e->stats->hooks++;
	} else {
		cpu = POLICY_CPU_ANY;
	}
	if (s->pin >= 0)
		cpu = s->pin;
	else if (cpu < 0 || (uint32_t)cpu >= e->nr_cpus)
		cpu = engine_pick_idle(e, pt->prev_cpu);
	if (e->sink)
		step(e, STEP_WAKE, ti, e->waker_cpu, &(struct engine_step){
			.target = cpu, .counted = s->count_next,
			.fork = flags & POLICY_ENQ_NEW, .irq = timer || irq });
	kick = e->ops->enqueue(e->st, env(e), pt);
	e->stats->hooks++;
	cost = timer ? engine_idle_cost(e, COST_TIMER, e->conf.timer_cost_ns) :
	       engine_idle_cost(e, COST_WAKE, e->conf.wake_cost_ns);
	engine_kick(e, kick, cost);
	if (cpu >= 0 && engine_is_idle(e, cpu) && !e->cpu[cpu].pick_pending)
		engine_want_pick(e, cpu, cost);
}

static void release_ahead(struct engine *e, uint32_t ti);

/* Burst s->burst is next: exit, wait for its edge, or set its timer. */
void engine_next_burst(struct engine *e, uint32_t ti)
{
	const struct model_task *mt = &e->m->tasks[ti];
	struct stask *s = &e->t[ti];
	const struct burst *b;
	uint64_t at;

	if (s->burst >= mt->nr_bursts) {
		s->state = S_DONE;
		if (e->live) {
			live_host_exit(e, ti);
		} else if (e->ops->exit_task) {
			e->ops->exit_task(e->st, env(e), &e->pt[ti]);
			e->stats->hooks++;
		}
		metrics_exit(e->out, mt->pid, e->m->first_ts + e->now);
		if (e->sink)
			step(e, STEP_EXIT, ti, -1, NULL);
		if (e->now > e->stats->end_ns)
			e->stats->end_ns = e->now;
		if (mt->runs_ahead)
			release_ahead(e, ti);
		return;
	}
	b = &mt->bursts[s->burst];
	s->state = S_SLEEP;
	if (mt->runs_ahead)
		release_ahead(e, ti);
	switch (b->src) {
	case BURST_EDGE:
	case BURST_NEW:
		if (e->arrived[s->arrived_base + s->burst])
			task_ready(e, ti, b->flags & BURST_FORK ?
				   POLICY_ENQ_NEW : POLICY_ENQ_WAKEUP);
		else if ((b->flags & BURST_AHEAD) && mt->ahead_waker >= 0 &&
			 (e->t[mt->ahead_waker].state == S_DONE ||
			  e->t[mt->ahead_waker].state == S_SLEEP))
			/* its waker is not running on: at its recorded time */
			engine_push(e, b->at_ns > e->now ? b->at_ns : e->now,
				    EV_WAKE, ti, s->burst);
		return;
	case BURST_TIMER:
		at = e->conf.timer_relative ? e->now + b->sleep_ns :
		     b->at_ns > e->now ? b->at_ns : e->now;
		break;
	default:
		at = b->at_ns > e->now ? b->at_ns : e->now;
		break;
	}
	engine_push(e, at, EV_WAKE, ti, s->burst);
}

/*
 * A wakeup from a task that runs ahead is a futex_wake's: it wakes its
 * wakee if that one sleeps on a burst such wakeups start, whichever of
 * them it is, and is lost if the wakee is awake (the recording shows
 * these wakers finding their wakees awake more often than not), so the
 * wakee sleeps as often as it did, not never.
 */
static void fire_ahead(struct engine *e, const struct wake_edge *we)
{
	struct stask *s = &e->t[we->wakee];
	const struct model_task *mt = &e->m->tasks[we->wakee];

	if (s->state != S_SLEEP || s->burst > we->wakee_burst ||
	    !(mt->bursts[s->burst].flags & BURST_AHEAD) ||
	    e->arrived[s->arrived_base + s->burst])
		return;
	e->arrived[s->arrived_base + s->burst] = 1;
	task_ready(e, we->wakee, POLICY_ENQ_WAKEUP);
}

/*
 * A task that runs ahead sleeps or is done: its wakees' bursts it would
 * have woken wake at their recorded time (or now), so none waits on it
 * for good (it may be waiting on them).
 */
static void release_ahead(struct engine *e, uint32_t ti)
{
	const struct model_task *mt = &e->m->tasks[ti];

	/* each wakee once: this runs at every sleep of such a task */
	for (uint32_t k = 0; k < mt->nr_ahead_wakees; k++) {
		uint32_t w = mt->ahead_wakees[k];
		const struct stask *s = &e->t[w];
		const struct burst *b;

		if (s->state != S_SLEEP || s->burst >= e->m->tasks[w].nr_bursts)
			continue;
		b = &e->m->tasks[w].bursts[s->burst];
		if ((b->flags & BURST_AHEAD) &&
		    !e->arrived[s->arrived_base + s->burst])
			engine_push(e, b->at_ns > e->now ? b->at_ns : e->now,
				    EV_WAKE, w, s->burst);
	}
}

static void fire_edge(struct engine *e, uint32_t ti, const struct wake_edge *we)
{
	struct stask *s = &e->t[we->wakee];
	const struct model_task *mt = &e->m->tasks[we->wakee];
	uint32_t k;

	if (we->wakee_burst >= mt->nr_bursts)
		return;
	if (e->m->tasks[ti].runs_ahead &&
	    (mt->bursts[we->wakee_burst].flags & BURST_AHEAD)) {
		fire_ahead(e, we);
		return;
	}
	/* its own burst, or another the wakee waits on (hold.c) */
	k = engine_edge_target(e, ti, we);
	e->arrived[s->arrived_base + k] = 1;
	if (s->state == S_SLEEP && s->burst == k)
		task_ready(e, we->wakee, mt->bursts[s->burst].flags & BURST_FORK ?
			   POLICY_ENQ_NEW : POLICY_ENQ_WAKEUP);
}

void engine_run_task(struct engine *e, int32_t c, uint32_t ti, uint64_t slice)
{
	struct vcpu *v = &e->cpu[c];
	struct stask *s = &e->t[ti];
	struct policy_task *pt = &e->pt[ti];

	if (s->state != S_QUEUED && s->state != S_LOCAL) {
		engine_violation(e, s->state == S_RUNNING ?
			  "task dispatched while running on another CPU" :
			  "task dispatched before it was woken", ti);
		return;
	}
	s->state = S_RUNNING;
	v->curr = (int32_t)ti;
	v->since = e->now;
	engine_set_slice(e, v, slice);
	engine_idle_set(e, c, false);
	/* Re-picked at once on the CPU it just left: no switch happened. */
	if (!(v->last == (int32_t)ti && v->last_stop == e->now)) {
		e->stats->switches++;
		if (s->count_next)
			metrics_delay(e->out, e->m->tasks[ti].pid,
				      e->now - pt->runnable_at,
				      e->m->first_ts + e->now);
	}
	if (e->sink)
		step(e, STEP_RUN, ti, c, &(struct engine_step){
			.switched = !(v->last == (int32_t)ti &&
				      v->last_stop == e->now) });
	if (s->woke)
		e->stats->served++;
	s->woke = false;
	s->count_next = false;
	if (e->live) {
		live_host_running(e, ti, c);
	} else if (e->ops->running) {
		e->ops->running(e->st, env(e), pt, c);
		e->stats->hooks++;
	}
	pt->prev_cpu = c;
	engine_schedule_check(e, c);
}

void engine_lq_push(struct engine *e, int32_t c, uint32_t ti, uint64_t slice)
{
	struct vcpu *v = &e->cpu[c];

	e->t[ti].state = S_LOCAL;
	e->t[ti].local_slice = slice;
	e->t[ti].local_next = -1;
	if (v->lq_tail >= 0)
		e->t[v->lq_tail].local_next = (int32_t)ti;
	else
		v->lq_head = (int32_t)ti;
	v->lq_tail = (int32_t)ti;
}

/* CPU c has nothing running: its local queue, then the policy. */
void engine_cpu_pick(struct engine *e, int32_t c)
{
	struct vcpu *v = &e->cpu[c];

	/* Any reschedule answers a pending kick, as schedule() clears
	 * need_resched: a stale kick must not preempt what this picks. */
	if (v->pick_pending) {
		v->pick_pending = false;
		v->pick_gen++;
	}
	for (int i = 0; i < DISPATCH_LOOP; i++) {
		struct policy_dispatch d = { 0 };
		int32_t tgt;

		/* scxlive: ops.dispatch as bpf/scxlive.bpf.c does it */
		if (e->live && v->lq_head < 0 && live_host_dispatch(e, c))
			return;
		if (e->live && v->lq_head < 0)
			break;
		if (v->lq_head >= 0) {
			uint32_t ti = (uint32_t)v->lq_head;

			v->lq_head = e->t[ti].local_next;
			if (v->lq_head < 0)
				v->lq_tail = -1;
			engine_run_task(e, c, ti, e->t[ti].local_slice);
			return;
		}
		e->stats->hooks++;
		if (!e->ops->dispatch(e->st, env(e), c, &d))
			break;
		if (d.id >= e->m->nr_tasks || e->t[d.id].state != S_QUEUED) {
			e->stats->bad_dispatch++;
			engine_violation(e, "policy dispatched a task that is not queued",
				  d.id < e->m->nr_tasks ? d.id : 0);
			break;
		}
		tgt = d.cpu;
		if (e->t[d.id].pin >= 0)
			tgt = e->t[d.id].pin;
		else if (tgt < 0 || (uint32_t)tgt >= e->nr_cpus)
			tgt = c;
		if (tgt == c) {
			engine_run_task(e, c, d.id, d.slice_ns);
			return;
		}
		engine_lq_push(e, tgt, d.id, d.slice_ns);
		if (e->cpu[tgt].curr < 0)
			engine_kick(e, tgt, e->conf.wake_cost_ns);
	}
	engine_idle_set(e, c, true);
	if (e->live)
		live_host_idles(e, c);
}

/* The running task of c leaves the CPU (why: enum engine_stop_why). */
static uint32_t stop_curr(struct engine *e, int32_t c, uint8_t why)
{
	bool runnable = why != STOP_BLOCK;
	struct vcpu *v = &e->cpu[c];
	uint32_t ti = (uint32_t)v->curr;
	struct stask *s = &e->t[ti];
	struct policy_task *pt = &e->pt[ti];
	uint64_t ran = e->now - v->since;

	s->consumed += ran;
	e->stats->served_ns += ran;
	e->stats->busy_ns += ran;
	s->runtime += ran;
	pt->sum_exec_ns += ran;
	pt->burst_ns = s->consumed;
	pt->stopped_at = e->now;
	if (e->live) {
		live_host_stopping(e, ti, c, ran, runnable);
	} else if (e->ops->stopping) {
		e->ops->stopping(e->st, env(e), pt, c, ran, runnable);
		e->stats->hooks++;
	}
	if (e->sink)
		step(e, STEP_STOP, ti, c, &(struct engine_step){
			.why = why, .runnable = runnable });
	v->curr = -1;
	v->gen++;
	v->last = (int32_t)ti;
	v->last_stop = e->now;
	return ti;
}

/* Back to the policy while still runnable (preempted or expired). */
static void requeue(struct engine *e, int32_t c, uint32_t ti, uint32_t flags)
{
	struct stask *s = &e->t[ti];
	struct policy_task *pt = &e->pt[ti];
	int32_t kick;

	s->state = S_QUEUED;
	s->count_next = true;
	pt->runnable_at = e->now;
	pt->flags = flags | (s->pin >= 0 ? POLICY_ENQ_PERCPU : 0);
	if (e->live) {
		live_host_ready(e, ti, false);
		return;
	}
	kick = e->ops->enqueue(e->st, env(e), pt);
	e->stats->hooks++;
	if (kick != c)
		engine_kick(e, kick, e->conf.wake_cost_ns);
}

static void on_check(struct engine *e, int32_t c)
{
	struct vcpu *v = &e->cpu[c];
	uint32_t ti = (uint32_t)v->curr;
	const struct model_task *mt = &e->m->tasks[ti];
	struct stask *s = &e->t[ti];
	uint64_t done = s->consumed + (e->now - v->since);

	while (s->edge < mt->nr_edges &&
	       (mt->edges[s->edge].burst < s->burst ||
		(mt->edges[s->edge].burst == s->burst &&
		 mt->edges[s->edge].offset_ns <= done))) {
		if (engine_hold_needed(e, ti, &mt->edges[s->edge])) {
			stop_curr(e, c, STOP_BLOCK);
			e->nr_runnable--;
			engine_hold(e, ti, &mt->edges[s->edge]);
			engine_cpu_pick(e, c);
			return;
		}
		fire_edge(e, ti, &mt->edges[s->edge++]);
	}
	if (done >= mt->bursts[s->burst].demand_ns) {
		if (engine_merge_next(e, c, ti))
			return;
		stop_curr(e, c, STOP_BLOCK);
		e->nr_runnable--;
		if (s->consumed != mt->bursts[s->burst].demand_ns)
			engine_violation(e, "burst served more or less than its demand",
				  ti);
		e->pt[ti].nvcsw++;
		s->burst++;
		s->consumed = 0;
		engine_next_burst(e, ti);
		engine_release_holders(e, ti);
		engine_cpu_pick(e, c);
	} else if (e->now >= v->slice_end) {
		e->stats->expiries++;
		if (e->live) {
			live_host_expire(e, c);
			return;
		}
		stop_curr(e, c, STOP_EXPIRE);
		requeue(e, c, ti, POLICY_ENQ_EXPIRED);
		engine_cpu_pick(e, c);
	} else {
		engine_schedule_check(e, c);
	}
}

void engine_put_back(struct engine *e, int32_t c, uint32_t flags)
{
	uint32_t ti = stop_curr(e, c, flags & POLICY_ENQ_EXPIRED ? STOP_EXPIRE :
				   STOP_PREEMPT);

	requeue(e, c, ti, flags);
}

static void on_pick(struct engine *e, int32_t c)
{
	struct vcpu *v = &e->cpu[c];

	v->pick_pending = false;
	if (v->daemon)	/* it keeps its CPU: the kicked-for task waits */
		return;
	if (v->curr >= 0 && e->live) {
		/* a sched_ext kick ends the slice: ops.dispatch decides */
		e->stats->preemptions++;
		live_host_expire(e, c);
		return;
	}
	if (v->curr >= 0) {
		uint32_t ti = (uint32_t)v->curr;

		e->stats->preemptions++;
		stop_curr(e, c, STOP_PREEMPT);
		requeue(e, c, ti, POLICY_ENQ_PREEMPTED);
	}
	engine_cpu_pick(e, c);
}

static void on_wake(struct engine *e, uint32_t ti, uint32_t burst)
{
	const struct burst *b;

	if (e->t[ti].state != S_SLEEP || e->t[ti].burst != burst)
		return;
	b = &e->m->tasks[ti].bursts[burst];
	task_ready(e, ti, b->src == BURST_INITIAL ? 0 :
		   b->flags & BURST_FORK ? POLICY_ENQ_NEW : POLICY_ENQ_WAKEUP);
}


/* One timed event; events counts what was simulated, not superseded ones. */
static void on_event(struct engine *e, const struct event *ev)
{
	struct vcpu *v = ev->kind == EV_WAKE ? NULL : &e->cpu[ev->id];

	/* A CPU's own handler wakes tasks from that CPU. */
	e->waker_cpu = ev->kind == EV_WAKE ? -1 : (int32_t)ev->id;
	switch (ev->kind) {
	case EV_WAKE:
		e->stats->events++;
		on_wake(e, ev->id, ev->gen);
		break;
	case EV_CHECK:
		if (ev->gen != v->gen || v->curr < 0)
			break;
		e->stats->events++;
		v->check_at = UINT64_MAX;
		on_check(e, (int32_t)ev->id);
		break;
	case EV_PICK:
		if (ev->gen != v->pick_gen || !v->pick_pending)
			break;
		e->stats->events++;
		on_pick(e, (int32_t)ev->id);
		break;
	case EV_HOST:
		e->stats->events++;
		live_host_event(e, (int32_t)ev->id, ev->gen);
		break;
	}
}

int engine_run(const struct model *m, const struct policy_ops *ops,
	       const struct policy_conf *pconf, const struct engine_conf *ec,
	       struct metrics *out, struct engine_stats *st,
	       char *err, size_t errlen)
{
	struct engine e = { .m = m, .ops = ops, .conf = *ec, .stats = st,
			    .out = out, .sink = ec->sink, .waker_cpu = -1 };
	struct timespec t0, t1;
	uint64_t budget;
	int ret = -1;

	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	e.nr_cpus = ec->nr_cpus ? ec->nr_cpus : m->nr_cpus;
	if (!e.nr_cpus)
		e.nr_cpus = 1;
	if (e.nr_cpus > POLICY_MAX_CPUS) {
		snprintf(err, errlen, "%u CPUs: at most %d", e.nr_cpus,
			 POLICY_MAX_CPUS);
		return -1;
	}
	e.rng = ec->seed * 0x9e3779b97f4a7c15ull + 0x2545f4914f6cdd1dull;
	/* Only the fair class's own preemptions are lazy (see policy.h). */
	e.conf.preempt_lazy = ec->preempt_lazy && ops && ops->fair_class &&
			      !ec->live;
	if (ec->live && live_host_new(&e, ec->live)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (engine_setup(&e, pconf, err, errlen))
		goto out;
	budget = EVENTS_FLOOR + EVENTS_PER_RECORD *
		 ((uint64_t)m->nr_bursts + m->nr_edges + m->nr_tasks);
	for (uint64_t popped = 0;; popped++) {
		struct event ev;

		if (!e.nheap && !e.slot_mask && e.ghost) {
			/* The dropped events still due come, and go. */
			e.now = e.ghost_t;
			e.ghost = false;
		}
		if (!engine_pending(&e) && !engine_rescue(&e))
			break;
		if (e.oom)
			break;
		if (popped + e.ghosts > budget) {
			engine_over_budget(&e, popped + e.ghosts, err, errlen);
			ret = ENGINE_EINPUT;
			goto out;
		}
		ev = next_event(&e);
		e.now = ev.t;
		on_event(&e, &ev);
	}
	if (e.oom) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	engine_finish_checks(&e);
	metrics_util(out, st->busy_ns, e.nr_cpus,
		     st->end_ns > e.now ? st->end_ns : e.now);
	ret = 0;
out:
	clock_gettime(CLOCK_MONOTONIC, &t1);
	st->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	live_host_free(&e);
	free(e.t);
	free(e.pt);
	free(e.cpu);
	free(e.heap);
	free(e.arrived);
	free(e.burst_waker);
	free(e.nr_wakers);
	free(e.st);
	return ret;
}
