// SPDX-License-Identifier: GPL-2.0
/*
 * The workload model from hand-written event streams: what a burst is,
 * which wakeups become wake edges and at what offset, timers, forks, exits,
 * exec renames, per-CPU kthread pinning, and which wake event counts.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sim/model/model.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define T0	1000000ull

static void ev_switch(struct model *m, uint64_t ts, int32_t cpu, int32_t prev,
		      uint32_t state, int32_t next)
{
	struct sched_event e = { .ts = T0 + ts, .cpu = cpu, .type = SEV_SWITCH,
				 .common_pid = prev, .pid = prev, .pid2 = next,
				 .prio = 120, .prio2 = 120,
				 .prev_state = state };

	snprintf(e.comm, sizeof(e.comm), "t%d", prev);
	snprintf(e.comm2, sizeof(e.comm2), "t%d", next);
	ck_assert_int_eq(model_add(m, &e), 0);
}

static void ev_wake(struct model *m, uint16_t type, uint64_t ts, int32_t cpu,
		    int32_t waker, int32_t pid, uint16_t ctx)
{
	struct sched_event e = { .ts = T0 + ts, .cpu = cpu, .type = type,
				 .ctx = ctx, .common_pid = waker, .pid = pid,
				 .prio = 120, .cpu2 = cpu };

	snprintf(e.comm, sizeof(e.comm), "t%d", pid);
	ck_assert_int_eq(model_add(m, &e), 0);
}

static void ev_other(struct model *m, uint16_t type, uint64_t ts, int32_t cpu,
		     int32_t pid, int32_t pid2, const char *comm)
{
	struct sched_event e = { .ts = T0 + ts, .cpu = cpu, .type = type,
				 .common_pid = pid2 > 0 ? pid2 : pid,
				 .pid = pid, .pid2 = pid2 };

	snprintf(e.comm, sizeof(e.comm), "%s", comm);
	ck_assert_int_eq(model_add(m, &e), 0);
}

static const struct model_task *find(const struct model *m, int32_t pid)
{
	for (uint32_t i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].pid == pid)
			return &m->tasks[i];
	ck_abort_msg("no task %d", pid);
	return NULL;
}

/*
 * A (10) runs from 100; wakes B (11) at 200; sleeps at 300; B wakes A at
 * 350 and sleeps at 400; an irq wakes C (12) at 450 and A is preempted for
 * it 500..600; A forks D (13) at 650 and sleeps at 700; D exits at 760.
 */
START_TEST(bursts_edges_timers_forks)
{
	struct model *m = model_new();
	const struct model_task *a, *b, *c, *d;

	ev_switch(m, 100, 0, 0, 0, 10);
	ev_wake(m, SEV_WAKING, 200, 0, 10, 11, 0);
	ev_switch(m, 300, 0, 10, 1, 11);
	ev_wake(m, SEV_WAKING, 350, 0, 11, 10, 0);
	ev_wake(m, SEV_WAKEUP, 352, 0, 11, 10, 0);
	ev_switch(m, 400, 0, 11, 1, 10);
	ev_wake(m, SEV_WAKING, 450, 0, 10, 12, SEV_CTX_HARDIRQ);
	ev_switch(m, 500, 0, 10, SEV_STATE_RUNNING, 12);
	ev_switch(m, 600, 0, 12, 1, 10);
	ev_other(m, SEV_FORK, 650, 0, 13, 10, "t10");
	ev_wake(m, SEV_WAKEUP_NEW, 660, 0, 10, 13, 0);
	ev_switch(m, 700, 0, 10, 1, 13);
	ev_other(m, SEV_EXIT, 750, 0, 13, 0, "t13");
	ev_switch(m, 760, 0, 13, SEV_STATE_DEAD, 0);
	ck_assert_int_eq(model_finish(m), 0);

	a = find(m, 10), b = find(m, 11), c = find(m, 12), d = find(m, 13);
	ck_assert_uint_eq(m->nr_cpus, 1);
	ck_assert_uint_eq(a->nr_bursts, 2);
	ck_assert_uint_eq(a->bursts[0].src, BURST_INITIAL);
	/* first seen switching in: perf counts that start, so does the model */
	ck_assert(!(a->bursts[0].flags & BURST_NOCOUNT));
	ck_assert_uint_eq(a->bursts[0].demand_ns, 200);
	/* The preemption by C does not split A's second burst. */
	ck_assert_uint_eq(a->bursts[1].src, BURST_EDGE);
	ck_assert_uint_eq(a->bursts[1].demand_ns, 200);
	ck_assert_uint_eq(a->nr_edges, 2);
	ck_assert_uint_eq(a->edges[0].burst, 0);
	ck_assert_uint_eq(a->edges[0].offset_ns, 100);
	ck_assert_int_eq(m->tasks[a->edges[0].wakee].pid, 11);
	ck_assert_uint_eq(a->edges[1].burst, 1);
	ck_assert_uint_eq(a->edges[1].offset_ns, 150);
	ck_assert_int_eq(m->tasks[a->edges[1].wakee].pid, 13);
	/* A reached its fork of D after C preempted it, its wake of B not */
	ck_assert(!a->edges[0].waker_preempted);
	ck_assert(a->edges[1].waker_preempted);
	ck_assert_uint_eq(b->nr_bursts, 1);
	ck_assert_uint_eq(b->bursts[0].demand_ns, 100);
	ck_assert_uint_eq(b->nr_edges, 1);
	ck_assert_uint_eq(b->edges[0].offset_ns, 50);
	ck_assert_uint_eq(b->edges[0].wakee_burst, 1);
	ck_assert_uint_eq(c->bursts[0].src, BURST_TIMER);
	ck_assert(c->bursts[0].flags & BURST_IRQ);
	ck_assert_uint_eq(c->bursts[0].at_ns, 350);
	ck_assert_uint_eq(c->bursts[0].demand_ns, 100);
	ck_assert_uint_eq(d->bursts[0].src, BURST_NEW);
	ck_assert(d->bursts[0].flags & BURST_FORK);
	ck_assert(d->bursts[0].flags & BURST_LAST_EXIT);
	ck_assert_uint_eq(d->bursts[0].demand_ns, 60);
	ck_assert(d->exited);
	ck_assert_uint_eq(model_demand(m), 200 + 200 + 100 + 100 + 60);
	model_free(m);
}
END_TEST

/* sched_wakeup is the wake time only when the trace has no sched_waking. */
START_TEST(wakeup_without_waking)
{
	struct model *m = model_new();
	const struct model_task *b;

	ev_switch(m, 0, 0, 0, 0, 10);
	ev_switch(m, 100, 0, 10, 1, 11);	/* 11 was runnable */
	ev_switch(m, 150, 0, 11, 1, 0);
	ev_wake(m, SEV_WAKEUP, 300, 0, 0, 11, 0);	/* from idle: timer */
	ev_switch(m, 320, 0, 0, 0, 11);
	ev_switch(m, 400, 0, 11, 1, 0);
	ck_assert_int_eq(model_finish(m), 0);
	b = find(m, 11);
	ck_assert_uint_eq(b->nr_bursts, 2);
	ck_assert_uint_eq(b->bursts[1].src, BURST_TIMER);
	ck_assert_uint_eq(b->bursts[1].at_ns, 300);
	ck_assert_uint_eq(b->bursts[1].sleep_ns, 150);
	ck_assert_uint_eq(b->bursts[1].demand_ns, 80);
	/* One timer wakeup of an idle CPU (20ns) is no median: default. */
	ck_assert_uint_eq(m->timer_cost_samples, 0);
	ck_assert_uint_eq(m->timer_cost_ns, MODEL_WAKE_COST_DFL);
	ck_assert_uint_eq(m->wake_cost_ns, MODEL_WAKE_COST_DFL);
	model_free(m);
}
END_TEST

/* Five idle CPU wakeups by a timer, 10..50ns: the timer cost is 30ns. */
START_TEST(wake_cost_median)
{
	struct model *m = model_new();

	ev_switch(m, 0, 0, 0, 0, 10);
	ev_switch(m, 1, 0, 10, 1, 0);
	for (uint64_t k = 1; k <= 5; k++) {
		ev_wake(m, SEV_WAKING, 1000 * k, 0, 0, 10, SEV_CTX_HARDIRQ);
		ev_switch(m, 1000 * k + 10 * k, 0, 0, 0, 10);
		ev_switch(m, 1000 * k + 100, 0, 10, 1, 0);
	}
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_uint_eq(m->timer_cost_samples, 5);
	ck_assert_uint_eq(m->timer_cost_ns, 30);
	/* no task wakeups: the timers' samples stand in */
	ck_assert_uint_eq(m->wake_cost_ns, 30);
	/* ... and so does their spread, for a replay to draw from */
	for (int k = COST_WAKE; k <= COST_TIMER; k++) {
		ck_assert_uint_eq(m->cost_q_n[k], MODEL_COST_Q);
		ck_assert_uint_eq(m->cost_q[k][0], 10);
		ck_assert_uint_eq(m->cost_q[k][MODEL_COST_Q / 2], 30);
		ck_assert_uint_eq(m->cost_q[k][MODEL_COST_Q - 1], 50);
		for (int i = 1; i < MODEL_COST_Q; i++)
			ck_assert_uint_ge(m->cost_q[k][i], m->cost_q[k][i - 1]);
	}
	/* no preemption measured: no spread either */
	ck_assert_uint_eq(m->cost_q_n[COST_PREEMPT], 0);
	model_free(m);
}
END_TEST

/* A wakeup that races the task's own switch-out still starts its burst. */
START_TEST(stray_wake)
{
	struct model *m = model_new();
	const struct model_task *a;

	ev_switch(m, 0, 0, 0, 0, 10);
	ev_switch(m, 10, 1, 0, 0, 11);
	ev_wake(m, SEV_WAKING, 100, 1, 11, 10, 0);	/* 10 still running */
	ev_switch(m, 101, 0, 10, 1, 0);
	ev_switch(m, 150, 0, 0, 0, 10);		/* no further wakeup */
	ev_switch(m, 200, 0, 10, 1, 0);
	ck_assert_int_eq(model_finish(m), 0);
	a = find(m, 10);
	ck_assert_uint_eq(a->nr_bursts, 2);
	ck_assert_uint_eq(a->bursts[1].src, BURST_EDGE);
	ck_assert(a->bursts[1].flags & BURST_NOCOUNT);
	ck_assert_uint_eq(a->bursts[1].demand_ns, 50);
	ck_assert_uint_eq(find(m, 11)->nr_edges, 1);
	ck_assert_uint_eq(find(m, 11)->edges[0].offset_ns, 90);
	model_free(m);
}
END_TEST

/*
 * 10 spins on CPU 0 and wakes 11 (CPU 1) three times while 11 still runs
 * and once while it sleeps: 10 runs ahead, its wakeups of 11 awake stay as
 * edges to the burst 11 starts next, and 11's bursts those start are
 * marked. With as many wakeups asleep as awake it would not run ahead, and
 * the edges of wakeups that found 11 awake would go.
 */
START_TEST(waker_runs_ahead)
{
	for (int asleep = 1; asleep <= 3; asleep += 2) {
		struct model *m = model_new();
		const struct model_task *w, *b;
		uint64_t t = 0;

		ev_switch(m, t, 0, 0, 0, 10);
		ev_switch(m, t, 1, 0, 0, 11);
		for (int k = 0; k < 3; k++)
			ev_wake(m, SEV_WAKING, t += 10, 0, 10, 11, 0);
		for (int k = 0; k < asleep; k++) {
			ev_switch(m, t += 10, 1, 11, 1, 0);
			ev_wake(m, SEV_WAKING, t += 10, 0, 10, 11, 0);
			ev_switch(m, t += 10, 1, 0, 0, 11);
		}
		ev_switch(m, t += 10, 1, 11, 1, 0);
		ck_assert_int_eq(model_finish(m), 0);
		w = find(m, 10);
		b = find(m, 11);
		if (asleep == 1) {
			ck_assert(w->runs_ahead);
			ck_assert_int_eq(b->ahead_waker, (int32_t)(w - m->tasks));
			/* 11 once, for all four of its edges */
			ck_assert_uint_eq(w->nr_ahead_wakees, 1);
			ck_assert_uint_eq(w->ahead_wakees[0],
					  (uint32_t)(b - m->tasks));
			/* three that found 11 awake, one asleep */
			ck_assert_uint_eq(w->nr_edges, 3 + 1);
			ck_assert(b->bursts[b->nr_bursts - 1].flags & BURST_AHEAD);
		} else {
			ck_assert(!w->runs_ahead);
			ck_assert_int_eq(b->ahead_waker, -1);
			ck_assert_uint_eq(w->nr_ahead_wakees, 0);
			ck_assert_uint_eq(w->nr_edges, 3);
			for (uint32_t k = 0; k < w->nr_edges; k++)
				ck_assert(!w->edges[k].stray);
			for (uint32_t k = 0; k < b->nr_bursts; k++)
				ck_assert(!(b->bursts[k].flags & BURST_AHEAD));
		}
		model_free(m);
	}
}
END_TEST

/*
 * A switch names a prev the CPU was not running by the last switch (the
 * build host's trace has such: a task switched in under one pid leaves
 * under another). The unknown prev ran at most since that switch, not
 * since the trace began, and the one switched in gets none of that time:
 * no CPU time is invented.
 */
START_TEST(misnamed_switch_in)
{
	struct model *m = model_new();

	ev_switch(m, 0, 0, 0, 0, 10);
	ev_switch(m, 1000, 0, 10, 1, 11);	/* 11 in ... */
	ev_switch(m, 1400, 0, 12, 1, 0);	/* ... 12 out */
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_uint_eq(model_demand_task(find(m, 10)), 1000);
	ck_assert_uint_eq(model_demand_task(find(m, 12)), 400);
	ck_assert_uint_eq(model_demand_task(find(m, 11)), 0);
	ck_assert_uint_eq(m->lost_switches, 1);
	model_free(m);
}
END_TEST

START_TEST(pinning_and_comm)
{
	struct model *m = model_new();
	struct sched_event e = { .ts = T0 + 5, .cpu = 1, .type = SEV_SWITCH,
				 .pid = 0, .pid2 = 21, .prio2 = 120 };

	snprintf(e.comm2, sizeof(e.comm2), "kworker/1:0");
	ck_assert_int_eq(model_add(m, &e), 0);
	e.ts += 5, e.pid = 21, e.pid2 = 0, e.prev_state = 1;
	snprintf(e.comm, sizeof(e.comm), "kworker/1:0");
	ck_assert_int_eq(model_add(m, &e), 0);
	e.ts += 5, e.pid = 0, e.pid2 = 22, e.prev_state = 0;
	snprintf(e.comm2, sizeof(e.comm2), "kworker/u8:0");
	ck_assert_int_eq(model_add(m, &e), 0);
	/* ksoftirqd/1 seen on CPU 0 only: name and trace disagree */
	e.ts += 5, e.cpu = 0, e.pid = 0, e.pid2 = 23;
	snprintf(e.comm2, sizeof(e.comm2), "ksoftirqd/1");
	ck_assert_int_eq(model_add(m, &e), 0);
	ev_other(m, SEV_EXEC, 30, 1, 22, 22, "newname");
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_int_eq(find(m, 21)->pinned_cpu, 1);
	ck_assert_uint_eq(find(m, 21)->weight, 1024);
	ck_assert_int_eq(find(m, 22)->pinned_cpu, -1);
	ck_assert_str_eq(find(m, 22)->comm, "newname");
	ck_assert_int_eq(find(m, 23)->pinned_cpu, -1);
	ck_assert_uint_eq(m->nr_cpus, 2);
	model_free(m);
}
END_TEST

/*
 * Pinning the trace shows: t30 on CPU 0 is woken there three times while
 * t31 holds CPU 0 and CPU 1 idles, and stays; select_idle_sibling() would
 * have moved it, so it is pinned to CPU 0. Seen once on CPU 1 as well, it
 * is not; nor with one wakeup of evidence fewer.
 */
static struct model *kept_on_busy(uint32_t wakeups, bool moves)
{
	struct model *m = model_new();

	ev_switch(m, 10, 1, 40, 1, 0);		/* CPU 1 idles from here */
	ev_switch(m, 50, 0, 0, 0, 30);
	for (uint64_t k = 0; k < wakeups; k++) {
		uint64_t t = 100 + k * 100;

		ev_switch(m, t, 0, 30, 1, 31);
		ev_wake(m, SEV_WAKING, t + 10, 0, 31, 30, 0);
		ev_switch(m, t + 50, 0, 31, 0, 30);
	}
	if (moves) {
		ev_switch(m, 900, 0, 30, 1, 0);
		ev_switch(m, 950, 1, 0, 0, 30);
	}
	ck_assert_int_eq(model_finish(m), 0);
	return m;
}

START_TEST(pinning_from_wakeups)
{
	struct model *m = kept_on_busy(MODEL_PIN_EVIDENCE, false);

	ck_assert_int_eq(find(m, 30)->pinned_cpu, 0);
	ck_assert_int_eq(find(m, 31)->pinned_cpu, -1);
	model_free(m);
	m = kept_on_busy(MODEL_PIN_EVIDENCE, true);
	ck_assert_int_eq(find(m, 30)->pinned_cpu, -1);
	model_free(m);
	m = kept_on_busy(MODEL_PIN_EVIDENCE - 1, false);
	ck_assert_int_eq(find(m, 30)->pinned_cpu, -1);
	model_free(m);
}
END_TEST

/*
 * The preemption model read from the trace: t50 runs on CPU 0 and t51 on
 * CPU 1; t51 wakes t52 onto CPU 0, which preempts t50 after `remote`; 6
 * such wakeups. With the 4ms tick the model assumes here (no tick-time
 * updates), 1.2ms is a lazy wait (a quarter tick or more), 30us an IPI.
 */
static bool lazy_for(uint64_t remote)
{
	struct model *m = model_new();
	bool lazy;

	ev_switch(m, 10, 0, 0, 0, 50);
	ev_switch(m, 10, 1, 0, 0, 51);
	for (uint64_t k = 0; k < 6; k++) {
		uint64_t t = 100000 + k * 10000000;
		struct sched_event e = { .ts = T0 + t, .cpu = 1,
					 .type = SEV_WAKING, .common_pid = 51,
					 .pid = 52, .prio = 120, .cpu2 = 0 };

		snprintf(e.comm, sizeof(e.comm), "t52");
		ck_assert_int_eq(model_add(m, &e), 0);
		ev_switch(m, t + remote, 0, 50, 0, 52);
		ev_switch(m, t + remote + 100000, 0, 52, 1, 50);
	}
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_uint_eq(m->preempt_remote_samples, 6);
	ck_assert_uint_eq(m->preempt_remote_ns, remote);
	lazy = m->preempt_lazy;
	model_free(m);
	return lazy;
}

START_TEST(preempt_model_from_remote_wakeups)
{
	ck_assert(lazy_for(1200000));
	ck_assert(!lazy_for(30000));
}
END_TEST

/* Nice and RT prios become weights (prio 120 = nice 0 = 1024). */
START_TEST(weights)
{
	struct model *m = model_new();
	struct sched_event e = { .ts = T0, .cpu = 0, .type = SEV_SWITCH,
				 .pid = 0, .pid2 = 31, .prio2 = 125 };

	ck_assert_int_eq(model_add(m, &e), 0);
	e.ts++, e.pid = 31, e.prio = 125, e.prev_state = 1, e.pid2 = 32;
	e.prio2 = 50;
	ck_assert_int_eq(model_add(m, &e), 0);
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_uint_eq(find(m, 31)->weight, policy_nice_to_weight(5));
	ck_assert_uint_eq(find(m, 32)->weight, policy_nice_to_weight(-20));
	ck_assert(find(m, 32)->rt);
	model_free(m);
}
END_TEST

/*
 * Autogroups from the fork tree: 10 runs from the start and forks 20;
 * 30 and 31 are forked by 99, never seen to run; kthreadd (2) forks 41;
 * 50 runs from the start.
 */
START_TEST(autogroups_from_forks)
{
	struct model *m = model_new();

	ev_switch(m, 0, 0, 0, 0, 10);
	ev_other(m, SEV_FORK, 10, 0, 20, 10, "t20");
	ev_other(m, SEV_FORK, 20, 0, 30, 99, "t30");
	ev_other(m, SEV_FORK, 30, 0, 31, 99, "t31");
	ev_other(m, SEV_FORK, 40, 0, 41, 2, "t41");
	ev_switch(m, 50, 0, 10, 1, 50);
	ck_assert_int_eq(model_finish(m), 0);
	ck_assert_uint_ne(find(m, 10)->autogroup, 0);
	ck_assert_uint_eq(find(m, 20)->autogroup, find(m, 10)->autogroup);
	ck_assert_uint_ne(find(m, 30)->autogroup, 0);
	ck_assert_uint_ne(find(m, 30)->autogroup, find(m, 10)->autogroup);
	ck_assert_uint_eq(find(m, 31)->autogroup, find(m, 30)->autogroup);
	ck_assert_uint_eq(find(m, 41)->autogroup, 0);
	ck_assert_uint_ne(find(m, 50)->autogroup, 0);
	ck_assert_uint_ne(find(m, 50)->autogroup, find(m, 10)->autogroup);
	ck_assert_uint_ne(find(m, 50)->autogroup, find(m, 30)->autogroup);
	ck_assert_uint_eq(m->nr_autogroups, 4);
	model_free(m);
}
END_TEST

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("events");

	tcase_add_test(tc, bursts_edges_timers_forks);
	tcase_add_test(tc, wakeup_without_waking);
	tcase_add_test(tc, wake_cost_median);
	tcase_add_test(tc, stray_wake);
	tcase_add_test(tc, waker_runs_ahead);
	tcase_add_test(tc, misnamed_switch_in);
	tcase_add_test(tc, pinning_and_comm);
	tcase_add_test(tc, pinning_from_wakeups);
	tcase_add_test(tc, preempt_model_from_remote_wakeups);
	tcase_add_test(tc, weights);
	tcase_add_test(tc, autogroups_from_forks);
	suite_add_tcase(s, tc);
	return s;
}
