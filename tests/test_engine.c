// SPDX-License-Identifier: GPL-2.0
/*
 * The engine on workloads small enough to solve on paper: every expected
 * figure below is worked out in the comment above its test, from the
 * demands, the wake times and tfifo's rules (test_engine_util.c).
 */
#include <check.h>
#include <stdlib.h>

#include "sim/report/metrics.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

static void assert_clean(const struct engine_stats *st)
{
	ck_assert_msg(!st->violations, "conservation: %s",
		      st->first_violation);
	ck_assert_uint_eq(st->served_ns, st->demand_ns);
	ck_assert_uint_eq(st->served, st->wakeups);
}

/*
 * One CPU, two tasks, no preemption: A wakes at 0 wanting 10ms, B at 1ms
 * wanting 5ms. A runs 0..10 (delay 0), B waits 1..10 (delay 9ms) and runs
 * 10..15: the CPU is never idle once work exists, and the run ends at 15ms.
 */
START_TEST(one_cpu_two_tasks)
{
	struct model *m = tm_model(1);
	uint32_t a = tm_task(m, 10, "a"), b = tm_task(m, 11, "b");
	struct engine_stats st;
	struct result *res;

	tm_burst(m, a, BURST_TIMER, 10 * MS, 0, 0);
	tm_burst(m, b, BURST_TIMER, 5 * MS, 1 * MS, 0);
	res = tm_run(m, &test_fifo_ops, 0, 0, 0, &st);
	assert_clean(&st);
	ck_assert_uint_eq(result_task(res, 10)->count, 1);
	ck_assert_uint_eq(result_task(res, 10)->max_ns, 0);
	ck_assert_uint_eq(result_task(res, 11)->count, 1);
	ck_assert_uint_eq(result_task(res, 11)->max_ns, 9 * MS);
	ck_assert_uint_eq(result_task(res, 10)->runtime_ns, 10 * MS);
	ck_assert_uint_eq(result_task(res, 11)->runtime_ns, 5 * MS);
	ck_assert_uint_eq(st.end_ns, 15 * MS);
	ck_assert_uint_eq(st.busy_ns, 15 * MS);
	ck_assert_uint_eq(result_task(res, 11)->done_ns,
			  m->first_ts + 15 * MS);
	result_free(res);
	model_free(m);
}
END_TEST

/*
 * Ping-pong: A and B alternate 1ms bursts, each woken by the other's edge
 * at the very end of its burst (A0 B0 A1 B1 ... B4: 10 bursts). The wakee
 * is queued while the waker still runs and the waker's CPU frees at that
 * instant, so every hand-over is free (delay 0) on 1 CPU or 2; only the
 * first start pays the wake cost of an idle CPU (50us): makespan 10.05ms.
 */
static struct model *ping_pong(uint32_t cpus)
{
	struct model *m = tm_model(cpus);
	uint32_t a = tm_task(m, 20, "ping"), b = tm_task(m, 21, "pong");

	tm_burst(m, a, BURST_INITIAL, 1 * MS, 0, BURST_NOCOUNT);
	for (uint32_t k = 1; k < 5; k++)
		tm_burst(m, a, BURST_EDGE, 1 * MS, 0, 0);
	for (uint32_t k = 0; k < 5; k++) {
		tm_burst(m, b, BURST_EDGE, 1 * MS, 0, 0);
		tm_edge(m, a, k, 1 * MS, b, k);
		if (k < 4)
			tm_edge(m, b, k, 1 * MS, a, k + 1);
	}
	return m;
}

START_TEST(ping_pong_hand_over)
{
	for (uint32_t cpus = 1; cpus <= 2; cpus++) {
		struct model *m = ping_pong(cpus);
		struct engine_stats st;
		struct result *res = tm_run(m, &test_fifo_ops, 0, 0, 50 * US,
					    &st);

		assert_clean(&st);
		ck_assert_uint_eq(st.end_ns, 10 * MS + 50 * US);
		ck_assert_uint_eq(result_comm(res, "ping")->count, 4);
		ck_assert_uint_eq(result_comm(res, "pong")->count, 5);
		ck_assert_uint_eq(result_comm(res, "ping")->max_ns, 0);
		ck_assert_uint_eq(result_comm(res, "pong")->max_ns, 0);
		ck_assert_uint_eq(result_comm(res, "ping")->runtime_ns, 5 * MS);
		result_free(res);
		model_free(m);
	}
}
END_TEST

/*
 * A ping-pong the trace shows merged: A never blocks (its wakee's replies
 * reached it while it sat preempted), so it is one 3ms burst with edges
 * at 0.5, 1, 1.5 and 2ms starting B's four 1.5ms bursts. On 2 CPUs, no
 * costs: B runs 0.5..2; A reaches its second edge at 1ms while B still
 * runs, so it waits, off CPU, until B's burst ends at 2 and then fires
 * it; the same at 2.5 (until 3.5) and 4 (until 5). B runs 5..6.5, A ends
 * at 6. B's four wakeups are all served and counted (delay 0); of A's
 * three resumptions only the two whose edges the recording reached after a
 * preemption (the 1ms and 2ms ones, flagged) count, as perf counted a
 * wait only there. Without the holds B's bursts would merge into one.
 */
START_TEST(edge_waits_for_wakee)
{
	struct model *m = tm_model(2);
	uint32_t a = tm_task(m, 24, "a"), b = tm_task(m, 25, "b");
	struct engine_stats st;
	struct result *res;

	tm_burst(m, a, BURST_INITIAL, 3 * MS, 0, BURST_NOCOUNT);
	for (uint32_t k = 0; k < 4; k++) {
		tm_burst(m, b, BURST_EDGE, 1500 * US, 0, 0);
		tm_edge(m, a, 0, 500 * US * (k + 1), b, k);
		m->tasks[a].edges[k].waker_preempted = k == 1 || k == 3;
	}
	res = tm_run(m, &test_fifo_ops, 0, 0, 0, &st);
	assert_clean(&st);
	ck_assert_uint_eq(st.holds, 3);
	ck_assert_uint_eq(result_task(res, 25)->count, 4);
	ck_assert_uint_eq(result_task(res, 25)->max_ns, 0);
	ck_assert_uint_eq(result_task(res, 24)->count, 2);
	ck_assert_uint_eq(result_task(res, 24)->max_ns, 0);
	ck_assert_uint_eq(result_task(res, 24)->done_ns, m->first_ts + 6 * MS);
	ck_assert_uint_eq(st.end_ns, 6500 * US);
	result_free(res);
	model_free(m);
}
END_TEST

/*
 * A wakee of many wakers (hold.c, MANY_WAKERS): receiver R's n 50us
 * bursts are started by n senders of one program, S_k by burst k. S_0's
 * edge ends its 10ms burst; S_k's (k >= 1) comes at k * 100us. On n + 1
 * CPUs nobody queues. With n = 16 R waits on a channel: S_1's edge wakes
 * the burst S_0 was to start (0.1..0.15), S_k's burst k - 1, and S_0's at
 * 10ms the one left, the last: 16 wakeups, all switches, R ends at
 * 10.05ms. With n = 15 (too few wakers) every burst waits for its own
 * edge: bursts 1..14 are woken early while R sleeps on burst 0, which S_0
 * wakes at 10ms, and R runs all 15 on without a switch until 10.75ms: one
 * wakeup counted.
 */
static void many_wakers(uint32_t n, uint32_t count, uint64_t end)
{
	struct model *m = tm_model(n + 1);
	uint32_t r = tm_task(m, 100, "recv");
	struct engine_stats st;
	struct result *res;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t s = tm_task(m, 200 + (int32_t)k, "send");
		uint64_t off = k ? k * 100 * US : 10 * MS;

		tm_burst(m, s, BURST_INITIAL, off, 0, BURST_NOCOUNT);
		tm_burst(m, r, BURST_EDGE, 50 * US, 0, 0);
		tm_edge(m, s, 0, off, r, k);
	}
	res = tm_run(m, &test_fifo_ops, 0, 0, 0, &st);
	assert_clean(&st);
	ck_assert_uint_eq(result_task(res, 100)->count, count);
	ck_assert_uint_eq(result_task(res, 100)->done_ns, m->first_ts + end);
	result_free(res);
	model_free(m);
}

START_TEST(wakee_of_many_wakers)
{
	many_wakers(16, 16, 10 * MS + 50 * US);
	many_wakers(15, 1, 10 * MS + 750 * US);
}
END_TEST

/*
 * A waker that runs ahead (a futex_wake spinner) never waits: A, one 3ms
 * burst with edges at 0.5, 1, 1.5 and 2ms, wakes B (four 1.2ms bursts)
 * at 0.5; the edges at 1 and 1.5 find B running and are lost; the one at
 * 2 wakes B's second burst, whichever burst it was recorded for. A ends at
 * 3, so B's last two bursts, left without their waker, wake at their
 * recorded times, 4 and 6ms: B ends at 7.2. No hold, nothing stranded.
 */
START_TEST(waker_that_runs_ahead_never_waits)
{
	struct model *m = tm_model(2);
	uint32_t a = tm_task(m, 24, "a"), b = tm_task(m, 25, "b");
	static const uint64_t at[] = { 0, 0, 4 * MS, 6 * MS };
	struct engine_stats st;
	struct result *res;

	tm_burst(m, a, BURST_INITIAL, 3 * MS, 0, BURST_NOCOUNT);
	m->tasks[a].runs_ahead = true;
	m->tasks[a].ahead_wakees = malloc(sizeof(uint32_t));
	ck_assert_ptr_nonnull(m->tasks[a].ahead_wakees);
	m->tasks[a].ahead_wakees[0] = b;
	m->tasks[a].nr_ahead_wakees = 1;
	m->tasks[b].ahead_waker = (int32_t)a;
	for (uint32_t k = 0; k < 4; k++) {
		tm_burst(m, b, BURST_EDGE, 1200 * US, at[k], BURST_AHEAD);
		tm_edge(m, a, 0, 500 * US * (k + 1), b, k);
	}
	res = tm_run(m, &test_fifo_ops, 0, 0, 0, &st);
	assert_clean(&st);
	ck_assert_uint_eq(st.holds, 0);
	ck_assert_uint_eq(result_task(res, 25)->count, 4);
	ck_assert_uint_eq(result_task(res, 25)->max_ns, 0);
	ck_assert_uint_eq(result_task(res, 24)->done_ns, m->first_ts + 3 * MS);
	ck_assert_uint_eq(st.end_ns, 7200 * US);
	result_free(res);
	model_free(m);
}
END_TEST

/*
 * Lazy preemption (PREEMPT_LAZY) for a policy of the fair class: a hog on
 * CPU 0, a waker on CPU 1 whose edge at 1ms wakes B (pinned to CPU 0,
 * where tfifo kicks for it). From another CPU the kick waits for CPU 0's
 * next tick, at 4ms: B's delay is 3ms. Not lazy, or not the fair class,
 * or a wakeup from CPU 0 itself: the kick costs the preemption cost (0),
 * so B runs at once.
 */
static uint64_t lazy_delay(bool lazy, bool fair)
{
	struct model *m = tm_model(2);
	uint32_t a = tm_task(m, 26, "hog"), w = tm_task(m, 27, "waker"),
		 b = tm_task(m, 28, "b");
	struct policy_ops ops = test_fifo_ops;
	struct engine_conf ec = { .tick_ns = 4 * MS, .preempt_lazy = lazy,
				  .seed = 1 };
	struct metrics *mt = metrics_new();
	struct engine_stats st;
	struct policy_conf pc;
	struct result *res;
	uint64_t d;
	char err[256];

	ops.fair_class = fair;
	m->tasks[a].pinned_cpu = 0;
	m->tasks[w].pinned_cpu = 1;
	m->tasks[b].pinned_cpu = 0;
	tm_burst(m, a, BURST_INITIAL, 10 * MS, 0, BURST_NOCOUNT);
	tm_burst(m, w, BURST_INITIAL, 2 * MS, 0, BURST_NOCOUNT);
	tm_burst(m, b, BURST_EDGE, 1 * MS, 0, 0);
	tm_edge(m, w, 0, 1 * MS, b, 0);
	policy_conf_defaults(&pc, &ops, 2, m->nr_tasks);
	pc.param[1] = 1;	/* kick CPU 0 on every wakeup */
	ck_assert_msg(!engine_run(m, &ops, &pc, &ec, mt, &st, err,
				  sizeof(err)), "engine_run: %s", err);
	assert_clean(&st);
	res = metrics_finish(mt, "lazy", 0);
	metrics_free(mt);
	ck_assert_uint_eq(result_task(res, 28)->count, 1);
	d = result_task(res, 28)->max_ns;
	result_free(res);
	model_free(m);
	return d;
}

START_TEST(lazy_preemption_waits_for_tick)
{
	ck_assert_uint_eq(lazy_delay(true, true), 3 * MS);
	ck_assert_uint_eq(lazy_delay(false, true), 0);
	ck_assert_uint_eq(lazy_delay(true, false), 0);
}
END_TEST

/*
 * A (2ms, ready at 0) wakes B (1ms) halfway through. On 2 CPUs: A starts
 * after the 50us wake cost, wakes B at 1.05ms onto the idle CPU, which runs
 * it at 1.10ms (delay 50us); B ends at 2.10ms. On 1 CPU B waits for A to
 * block at 2.05ms (delay 1ms) and ends at 3.05ms.
 */
START_TEST(wake_edge_mid_burst)
{
	for (uint32_t cpus = 1; cpus <= 2; cpus++) {
		struct model *m = tm_model(cpus);
		uint32_t a = tm_task(m, 22, "a"), b = tm_task(m, 23, "b");
		struct engine_stats st;
		struct result *res;

		tm_burst(m, a, BURST_TIMER, 2 * MS, 0, 0);
		tm_burst(m, b, BURST_EDGE, 1 * MS, 0, 0);
		tm_edge(m, a, 0, 1 * MS, b, 0);
		res = tm_run(m, &test_fifo_ops, 0, 0, 50 * US, &st);
		assert_clean(&st);
		ck_assert_uint_eq(result_task(res, 22)->max_ns, 50 * US);
		ck_assert_uint_eq(result_task(res, 23)->max_ns,
				  cpus == 2 ? 50 * US : 1 * MS);
		ck_assert_uint_eq(st.end_ns, cpus == 2 ? 2100 * US : 3050 * US);
		result_free(res);
		model_free(m);
	}
}
END_TEST

/*
 * A 100ms hog and a timer task (1ms bursts at 10.5, 20.5, ... 90.5ms) on
 * one CPU, 1ms slices, no preemption: the timer task waits for the hog's
 * slice to end at the next whole millisecond (delay 0.5ms, 9 times); the
 * hog, put back behind it, waits the timer task's 1ms (9 times). The hog
 * finishes at 100 + 9 = 109ms, the timer task at 92ms. With a kick on
 * wakeup the timer task preempts at once (delay 0) and the hog's figures
 * stay the same; only the first wakeup preempts: the hog's slices then
 * end on the half milliseconds, so later wakeups coincide with an expiry
 * and the kick is answered by that reschedule.
 */
static struct model *timer_and_hog(void)
{
	struct model *m = tm_model(1);
	uint32_t hog = tm_task(m, 30, "hog"), tick = tm_task(m, 31, "tick");

	tm_burst(m, hog, BURST_INITIAL, 100 * MS, 0, BURST_NOCOUNT);
	for (uint64_t k = 1; k <= 9; k++)
		tm_burst(m, tick, BURST_TIMER, 1 * MS, k * 10 * MS + 500 * US,
			 BURST_IRQ);
	return m;
}

START_TEST(timer_next_to_hog)
{
	struct model *m = timer_and_hog();
	struct engine_stats st;
	struct result *res = tm_run(m, &test_fifo_ops, 1 * MS, 0, 0, &st);
	const struct metrics_row *tick = result_comm(res, "tick");
	const struct metrics_row *hog = result_comm(res, "hog");

	assert_clean(&st);
	ck_assert_uint_eq(tick->count, 9);
	ck_assert_uint_eq(tick->max_ns, 500 * US);
	ck_assert_uint_eq(tick->avg_ns, 500 * US);
	ck_assert_uint_eq(hog->count, 9);
	ck_assert_uint_eq(hog->max_ns, 1 * MS);
	ck_assert_uint_eq(hog->done_ns, m->first_ts + 109 * MS);
	ck_assert_uint_eq(tick->done_ns, m->first_ts + 92 * MS);
	ck_assert_uint_eq(st.preemptions, 0);
	result_free(res);
	model_free(m);
}
END_TEST

START_TEST(timer_preempts_hog)
{
	struct model *m = timer_and_hog();
	struct engine_stats st;
	struct result *res = tm_run(m, &test_fifo_ops, 1 * MS, 1, 0, &st);

	assert_clean(&st);
	ck_assert_uint_eq(result_comm(res, "tick")->max_ns, 0);
	ck_assert_uint_eq(result_comm(res, "tick")->count, 9);
	ck_assert_uint_eq(result_comm(res, "hog")->count, 9);
	ck_assert_uint_eq(result_comm(res, "hog")->max_ns, 1 * MS);
	ck_assert_uint_eq(st.preemptions, 1);
	ck_assert_uint_eq(result_comm(res, "hog")->done_ns,
			  m->first_ts + 109 * MS);
	result_free(res);
	model_free(m);
}
END_TEST

/*
 * Each timer wakeup of the idle CPU draws its cost from the trace's
 * spread (here 100us..900us): the nine delays differ and stay inside
 * it instead of all sitting at the 500us median, which a fixed cost (no
 * draw) gives every time.
 */
START_TEST(idle_costs_drawn)
{
	struct model *m = tm_model(1);
	uint32_t a = tm_task(m, 45, "a");
	struct engine_conf ec = { .seed = 1, .wake_cost_ns = 500 * US,
				  .timer_cost_ns = 500 * US,
				  .costs_drawn = 1u << COST_TIMER };
	struct policy_conf pc;
	struct engine_stats st;
	struct metrics *mt;
	struct result *res;
	char err[128];

	for (uint64_t k = 1; k <= 9; k++)
		tm_burst(m, a, BURST_TIMER, 1 * MS, k * 10 * MS, BURST_IRQ);
	for (uint32_t i = 0; i < MODEL_COST_Q; i++)
		m->cost_q[COST_TIMER][i] = 100 * US + i * 800 * US /
					   (MODEL_COST_Q - 1);
	m->cost_q_n[COST_TIMER] = MODEL_COST_Q;
	policy_conf_defaults(&pc, &test_fifo_ops, 1, 1);
	for (int drawn = 1; drawn >= 0; drawn--) {
		const struct metrics_row *r;

		ec.costs_drawn = drawn ? 1u << COST_TIMER : 0;
		mt = metrics_new();
		ck_assert(!engine_run(m, &test_fifo_ops, &pc, &ec, mt, &st,
				      err, sizeof(err)));
		assert_clean(&st);
		res = metrics_finish(mt, "tfifo", 0);
		r = result_comm(res, "a");
		ck_assert_uint_eq(r->count, 9);
		if (drawn) {
			/* not all alike, and all inside the spread */
			ck_assert_uint_gt(r->max_ns, r->avg_ns);
			ck_assert_uint_le(r->max_ns, 900 * US);
			ck_assert_uint_ge(r->avg_ns, 100 * US);
		} else {
			ck_assert_uint_eq(r->max_ns, 500 * US);
			ck_assert_uint_eq(r->avg_ns, 500 * US);
		}
		result_free(res);
		metrics_free(mt);
	}
	model_free(m);
}
END_TEST

/* Relative timers keep the sleep: the second burst starts 5ms after the
 * first ends, wherever that is; anchored ones keep the recorded time. */
START_TEST(timer_modes)
{
	struct model *m = tm_model(1);
	uint32_t a = tm_task(m, 40, "a");
	struct engine_conf ec = { .seed = 1 };
	struct policy_conf pc;
	struct engine_stats st;
	struct metrics *mt;
	char err[128];

	tm_burst(m, a, BURST_TIMER, 10 * MS, 0, 0);
	tm_burst(m, a, BURST_TIMER, 1 * MS, 12 * MS, 0);
	m->tasks[a].bursts[1].sleep_ns = 5 * MS;
	policy_conf_defaults(&pc, &test_fifo_ops, 1, 1);
	for (int rel = 0; rel < 2; rel++) {
		ec.timer_relative = rel;
		mt = metrics_new();
		ck_assert(!engine_run(m, &test_fifo_ops, &pc, &ec, mt, &st,
				      err, sizeof(err)));
		assert_clean(&st);
		ck_assert_uint_eq(st.end_ns, rel ? 16 * MS : 13 * MS);
		metrics_free(mt);
	}
	model_free(m);
}
END_TEST

/*
 * Two 10ms hogs on one CPU, 1ms slices, a 4ms tick: a used-up slice is
 * only noticed at a tick, so they alternate in 4ms turns: A 0-4, B 4-8,
 * A 8-12, B 12-16, A 16-18 (done), B 18-20. A waits 0, 4, 4; B 4, 4, 2.
 */
START_TEST(slices_end_on_ticks)
{
	struct model *m = tm_model(1);
	uint32_t a = tm_task(m, 45, "a"), b = tm_task(m, 46, "b");
	struct engine_conf ec = { .seed = 1, .tick_ns = 4 * MS };
	struct policy_conf pc;
	struct engine_stats st;
	struct metrics *mt = metrics_new();
	struct result *res;
	char err[128];

	tm_burst(m, a, BURST_TIMER, 10 * MS, 0, 0);
	tm_burst(m, b, BURST_TIMER, 10 * MS, 0, 0);
	policy_conf_defaults(&pc, &test_fifo_ops, 1, 2);
	pc.param[0] = 1 * MS;
	ck_assert(!engine_run(m, &test_fifo_ops, &pc, &ec, mt, &st, err,
			      sizeof(err)));
	assert_clean(&st);
	res = metrics_finish(mt, "tfifo", 0);
	ck_assert_uint_eq(st.end_ns, 20 * MS);
	ck_assert_uint_eq(result_task(res, 45)->count, 3);
	ck_assert_uint_eq(result_task(res, 45)->max_ns, 4 * MS);
	ck_assert_uint_eq(result_task(res, 45)->done_ns, m->first_ts + 18 * MS);
	ck_assert_uint_eq(result_task(res, 46)->count, 3);
	ck_assert_uint_eq(result_task(res, 46)->avg_ns, 10 * MS / 3);
	result_free(res);
	metrics_free(mt);
	model_free(m);
}
END_TEST

/* A policy that never dispatches: the engine must say so, not hang. */
START_TEST(lost_tasks_detected)
{
	struct model *m = tm_model(2);
	uint32_t a = tm_task(m, 50, "a");
	struct engine_stats st;
	struct result *res;

	tm_burst(m, a, BURST_TIMER, 1 * MS, 0, 0);
	res = tm_run(m, &test_lose_ops, 0, 0, 0, &st);
	ck_assert_uint_gt(st.violations, 0);
	ck_assert_uint_eq(st.served, 0);
	ck_assert_uint_ne(st.served_ns, st.demand_ns);
	result_free(res);
	model_free(m);
}
END_TEST

/* Three hogs on two CPUs: never more than two run, no time is invented. */
START_TEST(three_hogs_two_cpus)
{
	struct model *m = tm_model(2);
	struct engine_stats st;
	struct result *res;

	for (int i = 0; i < 3; i++)
		tm_burst(m, tm_task(m, 60 + i, "hog"), BURST_TIMER, 30 * MS, 0,
			 0);
	res = tm_run(m, &test_fifo_ops, 5 * MS, 0, 0, &st);
	assert_clean(&st);
	/* 90ms of work on 2 CPUs in 5ms slices: done at 45ms exactly. */
	ck_assert_uint_eq(st.end_ns, 45 * MS);
	ck_assert_uint_eq(result_comm(res, "hog")->runtime_ns, 90 * MS);
	ck_assert_uint_eq(st.busy_ns, 90 * MS);
	result_free(res);
	model_free(m);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("on paper");

	tcase_add_test(tc, one_cpu_two_tasks);
	tcase_add_test(tc, ping_pong_hand_over);
	tcase_add_test(tc, wake_edge_mid_burst);
	tcase_add_test(tc, edge_waits_for_wakee);
	tcase_add_test(tc, waker_that_runs_ahead_never_waits);
	tcase_add_test(tc, wakee_of_many_wakers);
	tcase_add_test(tc, lazy_preemption_waits_for_tick);
	tcase_add_test(tc, timer_next_to_hog);
	tcase_add_test(tc, timer_preempts_hog);
	tcase_add_test(tc, timer_modes);
	tcase_add_test(tc, idle_costs_drawn);
	tcase_add_test(tc, slices_end_on_ticks);
	tcase_add_test(tc, lost_tasks_detected);
	tcase_add_test(tc, three_hogs_two_cpus);
	suite_add_tcase(s, tc);
	return s;
}
