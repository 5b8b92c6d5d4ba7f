// SPDX-License-Identifier: GPL-2.0
/*
 * --measure-live reads scxlive's daemon as it is: a task that yields
 * (switched out in state R) and is switched in again with no wakeup,
 * brought in by an idle CPU's kick, by preempting a task, or by a CPU a
 * task left. A small hand-made trace holds one of each, with known gaps,
 * and the costs and legs measured from it must be those gaps. The cost
 * file's scale=F and scale=auto are checked beside it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/model/live_cost.h"
#include "sim/model/live_measure.h"
#include "sim/report/metrics.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define DAEMON	100
#define HOG	200
#define TASK	300

static struct sched_event sw(uint64_t ts, int32_t cpu, int32_t prev,
			     const char *pcomm, uint32_t state, int32_t next,
			     const char *ncomm)
{
	struct sched_event e = { .ts = ts, .cpu = cpu, .type = SEV_SWITCH,
				 .pid = prev, .pid2 = next,
				 .prev_state = state };

	snprintf(e.comm, sizeof(e.comm), "%s", pcomm);
	snprintf(e.comm2, sizeof(e.comm2), "%s", ncomm);
	return e;
}

static struct sched_event waking(uint64_t ts, int32_t cpu, int32_t pid,
				 int32_t target, bool irq)
{
	struct sched_event e = { .ts = ts, .cpu = cpu, .type = SEV_WAKING,
				 .pid = pid, .cpu2 = target,
				 .ctx = irq ? SEV_CTX_HARDIRQ : 0 };

	snprintf(e.comm, sizeof(e.comm), "task");
	return e;
}

static struct sched_event wakeup(uint64_t ts, int32_t cpu, int32_t pid)
{
	struct sched_event e = { .ts = ts, .cpu = cpu, .type = SEV_WAKEUP,
				 .pid = pid, .cpu2 = cpu };

	snprintf(e.comm, sizeof(e.comm), "task");
	return e;
}

static void feed_events(struct live_measure *lm, const struct sched_event *ev,
			size_t n)
{
	for (size_t k = 0; k < n; k++)
		ck_assert_int_eq(live_measure_event(lm, &ev[k]), 0);
}

/* One round of each kind, repeated n times, 10 ms apart. */
static void feed(struct live_measure *lm, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t t = 1000 * US + (uint64_t)i * 10000 * US;
		struct sched_event ev[] = {
			/* CPU 1 runs a hog throughout; CPU 0 idles */
			sw(t, 1, 0, "swapper/1", 0, HOG, "hog"),
			/* an interrupt wakes the task on CPU 1 (busy) */
			waking(t + 10 * US, 1, TASK, 1, true),
			wakeup(t + 12 * US, 1, TASK),
			/* the daemon preempts the hog 300 us later */
			sw(t + 310 * US, 1, HOG, "hog", SEV_STATE_RUNNING,
			   DAEMON, "scxlive"),
			/* runs 100 us, yields, the task runs 50 us later */
			sw(t + 410 * US, 1, DAEMON, "scxlive", SEV_STATE_RUNNING,
			   TASK, "task"),
			sw(t + 460 * US, 1, TASK, "task", 1, HOG, "hog"),
			/* a wakeup aimed at idle CPU 0: the daemon kicked there */
			waking(t + 1000 * US, 1, TASK, 0, false),
			sw(t + 1700 * US, 0, 0, "swapper/0", 0, DAEMON,
			   "scxlive"),
			sw(t + 1900 * US, 0, DAEMON, "scxlive",
			   SEV_STATE_RUNNING, TASK, "task"),
			sw(t + 2000 * US, 0, TASK, "task", 1, 0, "swapper/0"),
			sw(t + 5000 * US, 1, HOG, "hog", 1, 0, "swapper/1"),
		};

		feed_events(lm, ev, sizeof(ev) / sizeof(ev[0]));
	}
	live_measure_trace_end(lm, 2);
}

START_TEST(yielding_daemon_measured)
{
	struct live_measure *lm = live_measure_new();
	struct live_cost c;
	char report[8192];

	ck_assert_ptr_nonnull(lm);
	feed(lm, 40);
	live_cost_default(&c);
	ck_assert_int_eq(live_measure_finish(lm, &c, report, sizeof(report)), 0);
	/* irq wakeup at +10 us, the daemon preempting at +310 us */
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_BUSY), 300 * US);
	/* work at +1000 us, the daemon onto idle CPU 0 at +1700 us, while
	 * CPU 1's hog ran */
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_IDLE_SHARED),
			  700 * US);
	/* the machine's wakeup path: sched_waking -> sched_wakeup, 2 us */
	ck_assert_uint_eq(c.kernel_path_ns, 2 * US);
	ck_assert_msg(strstr(report, "runs preempting a task") &&
		      strstr(report, "runs kicked onto an idle CPU"), "%s",
		      report);
	/* leg A of the irq wakeup: 300 us; whole round trip 450 us */
	ck_assert_msg(strstr(report, "A enqueue -> daemon running"), "%s",
		      report);
	live_measure_free(lm);
}
END_TEST

#define WAKER	400

/*
 * A waker on CPU 1 wakes the task onto idle CPU 0 and blocks; the daemon
 * runs on CPU 1 for the notice and yields; CPU 0 runs the task 5 us after
 * CPU 1 idled. No decision was waited for (the BPF side placed it), and
 * the shared wakeup was cut short at 20 us by CPU 1's idling.
 */
static void feed_freed(struct live_measure *lm, int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t t = 1000 * US + (uint64_t)i * 1000 * US;
		struct sched_event ev[] = {
			sw(t, 1, 0, "swapper/1", 0, WAKER, "waker"),
			waking(t + 10 * US, 1, TASK, 0, false),
			sw(t + 20 * US, 1, WAKER, "waker", 1, DAEMON, "scxlive"),
			sw(t + 30 * US, 1, DAEMON, "scxlive", SEV_STATE_RUNNING,
			   0, "swapper/1"),
			sw(t + 35 * US, 0, 0, "swapper/0", 0, TASK, "task"),
			sw(t + 100 * US, 0, TASK, "task", 1, 0, "swapper/0"),
		};

		feed_events(lm, ev, sizeof(ev) / sizeof(ev[0]));
	}
	live_measure_trace_end(lm, 2);
}

START_TEST(idle_wake_cut_short)
{
	struct live_measure *lm = live_measure_new();
	struct live_cost c;
	char report[8192];

	ck_assert_ptr_nonnull(lm);
	feed(lm, 40);
	feed_freed(lm, 40);
	live_cost_default(&c);
	ck_assert_int_eq(live_measure_finish(lm, &c, report, sizeof(report)), 0);
	/* from CPU 1's idling to the task's run */
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_FREED), 5 * US);
	/* never quicker than CPU 1's idling: at least the 20 us cut */
	ck_assert_uint_ge(live_cost_median(&c, LCOST_WAKE_TASK_SHARED),
			  20 * US);
	/* the 40 placed by the BPF side are no round trip (feed()'s 120 are) */
	ck_assert_msg(strstr(report, "waits: 120 via the daemon, 40 (25%) by "
			     "the BPF side"), "%s", report);
	live_measure_free(lm);
}
END_TEST

/*
 * A timer on idle CPU 0 wakes the task there (its waking CPU is its
 * target), which runs 8 us later, CPU 1 idle throughout; in the other
 * half CPU 1 starts a hog 2 us after such a wakeup and the task runs only
 * 290 us later. The first is a local wakeup of a quiet machine, the second
 * one while another CPU works (it ran during the wait), and neither is a
 * wakeup sent to another CPU (wake_task).
 */
static void feed_local(struct live_measure *lm, int n, bool other_runs)
{
	for (int i = 0; i < n; i++) {
		uint64_t t = 1000 * US + (uint64_t)i * 1000 * US;
		struct sched_event wake = waking(t + 10 * US, 0, TASK, 0, true);
		struct sched_event hog = sw(t + 12 * US, 1, 0, "swapper/1", 0,
					    HOG, "hog");
		struct sched_event run = sw(t + 18 * US, 0, 0, "swapper/0", 0,
					    TASK, "task");
		struct sched_event ev[] = {
			wake, other_runs ? hog : run, other_runs ? run : hog,
			sw(t + 600 * US, 0, TASK, "task", 1, 0, "swapper/0"),
			sw(t + 700 * US, 1, HOG, "hog", 1, 0, "swapper/1"),
		};

		if (other_runs)
			ev[2].ts = t + 300 * US;
		else
			ev[2].ts = t + 500 * US;	/* the hog, after the run */

		feed_events(lm, ev, sizeof(ev) / sizeof(ev[0]));
	}
	live_measure_trace_end(lm, 2);
}

START_TEST(local_wake_measured_apart)
{
	struct live_measure *lm = live_measure_new();
	struct live_cost c;
	char report[8192];

	ck_assert_ptr_nonnull(lm);
	feed(lm, 40);
	feed_local(lm, 40, false);
	feed_local(lm, 40, true);
	live_cost_default(&c);
	ck_assert_int_eq(live_measure_finish(lm, &c, report, sizeof(report)), 0);
	ck_assert_msg(live_cost_median(&c, LCOST_WAKE_LOCAL) == 8 * US, "%s", report);
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_LOCAL_SHARED),
			  290 * US);
	ck_assert_msg(strstr(report, "task wakeup by an irq on its idle CPU "
			     "n=40 "), "%s", report);
	/* no task was sent to another idle CPU: none measured there */
	ck_assert_msg(strstr(report, "task wakeup onto an idle CPU, BPF  none"),
		      "%s", report);
	live_measure_free(lm);
}
END_TEST

/* A cost file from before the local kinds: they read as wake_task's. */
START_TEST(local_kinds_borrow)
{
	char path[] = "/tmp/scx-live-cost-test.XXXXXX";
	int fd = mkstemp(path);
	struct live_cost c;
	char err[256];
	FILE *f;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	live_cost_default(&c);
	for (int i = 0; i < LIVE_COST_Q; i++) {
		c.q[LCOST_WAKE_TASK][i] = 40 * US;
		c.q[LCOST_WAKE_TASK_SHARED][i] = 90 * US;
	}
	/* every line but the local ones, as an older --measure-live wrote */
	for (int k = 0; k < LCOST_NR; k++) {
		if (k == LCOST_WAKE_LOCAL || k == LCOST_WAKE_LOCAL_SHARED)
			continue;
		fprintf(f, "%s", live_cost_names[k]);
		for (int i = 0; i < LIVE_COST_Q; i++)
			fprintf(f, " %llu", (unsigned long long)c.q[k][i]);
		fputc('\n', f);
	}
	fprintf(f, "per_msg_ns 500\n");
	fclose(f);
	live_cost_default(&c);
	ck_assert_int_eq(live_cost_apply(&c, path, err, sizeof(err)), 0);
	unlink(path);
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_LOCAL), 40 * US);
	ck_assert_uint_eq(live_cost_median(&c, LCOST_WAKE_LOCAL_SHARED),
			  90 * US);
}
END_TEST

/*
 * The scxlive host draws a timer's wakeup onto its own idle CPU from the
 * local kinds: 7 us while the other CPU idles, 500 us while a hog runs
 * there; never the 300 us of a wakeup sent to another CPU.
 */
static uint64_t tick_p50(bool with_hog)
{
	struct model *m = tm_model(2);
	uint32_t t = tm_task(m, 50, "tick");
	const struct metrics_row *r;
	struct engine_conf ec = { .seed = 1, .tick_ns = 4 * MS };
	static const char *const costs[] = {
		"wake_local=7us", "wake_local_shared=500us", "wake_task=300us",
		"wake_task_shared=300us",
	};
	struct live_cost c;
	struct policy_conf pc;
	struct engine_stats st;
	struct metrics *mt = metrics_new();
	struct result *res;
	char err[256];
	uint64_t p50;

	ck_assert_ptr_nonnull(mt);
	live_cost_default(&c);
	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++)
		ck_assert_int_eq(live_cost_apply(&c, costs[i], err,
						 sizeof(err)), 0);
	ec.live = &c;
	for (uint64_t k = 1; k <= 20; k++)
		tm_burst(m, t, BURST_TIMER, 100 * US, k * 10 * MS, 0);
	if (with_hog)
		tm_burst(m, tm_task(m, 60, "hog"), BURST_TIMER, 300 * MS, 0, 0);
	policy_conf_defaults(&pc, &test_fifo_ops, 2, m->nr_tasks);
	ck_assert_msg(!engine_run(m, &test_fifo_ops, &pc, &ec, mt, &st, err,
				  sizeof(err)), "engine_run: %s", err);
	ck_assert_msg(!st.violations, "conservation: %s", st.first_violation);
	res = metrics_finish(mt, "tfifo", 0);
	r = result_comm(res, "tick");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_ge(r->count, 19);
	p50 = r->p50_ns;
	result_free(res);
	metrics_free(mt);
	model_free(m);
	return p50;
}

START_TEST(local_wake_drawn)
{
	uint64_t quiet = tick_p50(false), busy = tick_p50(true);

	ck_assert_msg(quiet >= 7 * US && quiet < 20 * US, "quiet: %llu ns",
		      (unsigned long long)quiet);
	ck_assert_msg(busy >= 500 * US && busy < 600 * US, "hog: %llu ns",
		      (unsigned long long)busy);
}
END_TEST

START_TEST(no_daemon_no_costs)
{
	struct live_measure *lm = live_measure_new();
	struct sched_event a = sw(1000, 0, 0, "swapper/0", 0, HOG, "hog");
	struct sched_event b = sw(9000, 0, HOG, "hog", 1, 0, "swapper/0");
	struct live_cost c;
	char report[512];

	ck_assert_ptr_nonnull(lm);
	ck_assert_int_eq(live_measure_event(lm, &a), 0);
	ck_assert_int_eq(live_measure_event(lm, &b), 0);
	live_measure_trace_end(lm, 1);
	live_cost_default(&c);
	ck_assert_int_eq(live_measure_finish(lm, &c, report, sizeof(report)),
			 -1);
	ck_assert_msg(strstr(report, "daemon"), "%s", report);
	live_measure_free(lm);
}
END_TEST

START_TEST(cost_scale)
{
	struct live_cost c, d;
	char err[256];

	live_cost_default(&c);
	d = c;
	ck_assert_int_eq(live_cost_apply(&d, "scale=0.5", err, sizeof(err)), 0);
	ck_assert_uint_eq(d.q[LCOST_ROUND][LIVE_COST_Q - 1],
			  c.q[LCOST_ROUND][LIVE_COST_Q - 1] / 2);
	ck_assert(d.scale == 0.5);
	ck_assert_int_eq(live_cost_apply(&d, "scale=auto", err, sizeof(err)),
			 0);
	ck_assert(d.scale_auto);
	ck_assert_int_eq(live_cost_apply(&d, "scale=0", err, sizeof(err)), -1);
	ck_assert_int_eq(live_cost_apply(&d, "scale=x", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "factor"), "%s", err);
}
END_TEST

Suite *live_measure_suite(void)
{
	Suite *s = suite_create("live_measure");
	TCase *tc = tcase_create("measure");

	tcase_add_test(tc, yielding_daemon_measured);
	tcase_add_test(tc, idle_wake_cut_short);
	tcase_add_test(tc, local_wake_measured_apart);
	tcase_add_test(tc, local_kinds_borrow);
	tcase_add_test(tc, local_wake_drawn);
	tcase_add_test(tc, no_daemon_no_costs);
	tcase_add_test(tc, cost_scale);
	suite_add_tcase(s, tc);
	return s;
}
