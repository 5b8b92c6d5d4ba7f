// SPDX-License-Identifier: GPL-2.0
/*
 * The explain tool: on hand-written event streams whose answers are known
 * on paper, each wakeup's cause and split (cost on an idle CPU, wakeup
 * preemption, preemption at a tick, queueing behind named tasks, placement
 * while another CPU idled); pairing the n-th wakeup of a task across runs;
 * the report's order and verdict. Then the command line on a shipped trace:
 * every paired wakeup's split adds up to its delay, a comm that is not in
 * the trace and two policies at once are one line and status 2.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/explain/explain.h"
#include "tests/sim_run.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define W	10	/* the watched task */
#define X	20	/* runs on CPU 0 */
#define Y	30	/* runs on CPU 1 */
#define Z	40

static void sw(struct explain *x, uint64_t ts, int32_t cpu, int32_t prev,
	       uint32_t state, int32_t next)
{
	struct sched_event ev = { .ts = ts, .cpu = cpu, .type = SEV_SWITCH,
				  .pid = prev, .pid2 = next,
				  .prev_state = state, .common_pid = prev };

	snprintf(ev.comm, sizeof(ev.comm), "t%d", (int)prev);
	snprintf(ev.comm2, sizeof(ev.comm2), "t%d", (int)next);
	explain_event(x, &ev);
}

static void wake(struct explain *x, uint64_t ts, int32_t cpu, int32_t target)
{
	struct sched_event ev = { .ts = ts, .cpu = cpu, .type = SEV_WAKING,
				  .pid = W, .cpu2 = target,
				  .ctx = SEV_CTX_HARDIRQ };

	snprintf(ev.comm, sizeof(ev.comm), "t%d", W);
	explain_event(x, &ev);
}

/*
 * Four wakeups of W (times in us): onto idle CPU 1 (cost 100); preempting
 * X at once (50); X preempted 3 ms late while Y keeps CPU 1 (tick, with
 * tick_ns 4 ms); behind X and Z while CPU 1 idles 500 us of the 1500.
 * `late3` moves the third's switch-in (the replay side of a pair).
 */
static struct explain *scenario(uint64_t late3)
{
	const int32_t pids[] = { W };
	struct explain *x = explain_new(pids, 1, 2, 4 * MS);

	ck_assert_ptr_nonnull(x);
	sw(x, 0, 0, 0, 0, X);
	sw(x, 0, 1, 0, 0, 0);
	wake(x, 1000 * US, 0, 1);
	sw(x, 1100 * US, 1, 0, 0, W);
	sw(x, 1200 * US, 1, W, 1, 0);
	wake(x, 2000 * US, 0, 0);
	sw(x, 2050 * US, 0, X, SEV_STATE_RUNNING, W);
	sw(x, 2100 * US, 0, W, 1, X);
	sw(x, 5000 * US, 1, 0, 0, Y);
	wake(x, 10000 * US, 0, 0);
	sw(x, 10000 * US + late3, 0, X, SEV_STATE_RUNNING, W);
	sw(x, 14000 * US, 0, W, 1, X);
	wake(x, 20000 * US, 0, 0);
	sw(x, 20500 * US, 0, X, 1, Z);
	sw(x, 21000 * US, 1, Y, 1, 0);
	sw(x, 21500 * US, 0, Z, 1, W);
	return x;
}

START_TEST(causes_on_paper)
{
	struct explain *x = scenario(3000 * US);
	const struct explain_wake *w;

	ck_assert_int_eq(explain_wakes(x, &w), 4);
	ck_assert_uint_eq(w[0].cause, CAUSE_COST);
	ck_assert_uint_eq(w[0].part[CAUSE_COST], 100 * US);
	ck_assert_int_eq(w[0].run_cpu, 1);
	ck_assert_uint_eq(w[0].busy_pid, 0);
	ck_assert_uint_eq(w[0].idle_cpus, 1);

	ck_assert_uint_eq(w[1].cause, CAUSE_PREEMPT);
	ck_assert_uint_eq(w[1].part[CAUSE_PREEMPT], 50 * US);
	ck_assert_int_eq(w[1].prev_pid, X);
	ck_assert(w[1].prev_runnable);
	/* CPU 1 idled all along, but a preemption at once is no misplacement */
	ck_assert_uint_eq(w[1].part[CAUSE_PLACEMENT], 0);

	ck_assert_uint_eq(w[2].cause, CAUSE_TICK);
	ck_assert_uint_eq(w[2].part[CAUSE_TICK], 3000 * US);
	ck_assert_uint_eq(w[2].part[CAUSE_PLACEMENT], 0);
	ck_assert_int_eq(w[2].busy_pid, X);
	ck_assert_uint_eq(w[2].busy_ran, 7900 * US);

	ck_assert_uint_eq(w[3].cause, CAUSE_QUEUE);
	ck_assert_uint_eq(w[3].nbehind, 2);
	ck_assert_int_eq(w[3].behind[0].pid, Z);	/* longest first */
	ck_assert_uint_eq(w[3].behind[0].ns, 1000 * US);
	ck_assert_int_eq(w[3].behind[1].pid, X);
	ck_assert_uint_eq(w[3].behind[1].ns, 500 * US);
	ck_assert_uint_eq(w[3].part[CAUSE_PLACEMENT], 500 * US);
	ck_assert_uint_eq(w[3].part[CAUSE_QUEUE], 1000 * US);
	for (int i = 0; i < 4; i++) {
		uint64_t sum = 0;

		for (int c = 0; c < CAUSE_N; c++)
			sum += w[i].part[c];
		ck_assert_uint_eq(sum, w[i].run_ts - w[i].wake_ts);
		ck_assert_uint_eq(w[i].nth, (uint32_t)i);
	}
	explain_free(x);
}
END_TEST

static char *print(const struct explain *rec, const struct explain *rep)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	explain_print(f, "t10", &(struct explain_run){ "recorded", rec },
		      &(struct explain_run){ "eevdf", rep }, 0, 10, "DIRX",
		      ".pftrace");
	fclose(f);
	return buf;
}

START_TEST(pairs_and_report)
{
	struct explain *rec = scenario(3000 * US), *rep = scenario(100 * US);
	char *out = print(rec, rep), *first;

	/* only the third wakeup differs: 3 ms recorded, 100 us replayed */
	ck_assert_ptr_nonnull(strstr(out, "4 paired"));
	first = strstr(out, "#1 t10/10 wakeup 3: recorded 3.00ms, eevdf "
			    "100.0us");
	ck_assert_msg(first, "%s", out);
	ck_assert_ptr_null(strstr(out, "#2 "));
	ck_assert_ptr_nonnull(strstr(out, "t=+0.010000s (ts 10000000)"));
	ck_assert_ptr_nonnull(strstr(out, "DIRX/recorded.pftrace"));
	ck_assert_msg(strstr(out, "So: eevdf waited 2.90ms less than recorded "
			     "over these 4 wakeups; most of it is tick "
			     "(-3.00ms), then preemption (+100.0us)"),
		      "%s", out);
	free(out);
	explain_free(rec);
	explain_free(rep);
}
END_TEST

/* A wakeup only one run has does not shift the pairing of later ones. */
START_TEST(pairs_by_task_and_n)
{
	const int32_t pids[] = { W, Z };
	struct explain *a = explain_new(pids, 2, 1, 0);
	struct explain *b = explain_new(pids, 2, 1, 0);
	const struct explain_wake *w;
	char *out;

	sw(a, 0, 0, 0, 0, 0);
	sw(b, 0, 0, 0, 0, 0);
	/* run a: W wakes twice; run b: W once, late, and Z once first */
	wake(a, 100, 0, 0);
	sw(a, 200, 0, 0, 0, W);
	sw(a, 300, 0, W, 1, 0);
	wake(a, 400, 0, 0);
	sw(a, 500, 0, 0, 0, W);
	{
		struct sched_event ev = { .ts = 50, .type = SEV_WAKING,
					  .pid = Z, .cpu2 = 0 };

		explain_event(b, &ev);
	}
	sw(b, 60, 0, 0, 0, Z);
	sw(b, 70, 0, Z, 1, 0);
	wake(b, 100, 0, 0);
	sw(b, 900, 0, 0, 0, W);
	ck_assert_int_eq(explain_wakes(b, &w), 2);
	/* a wakeup the replay served without a switch still counts as one */
	{
		struct sched_event ev = { .ts = 1000, .type = SEV_WAKING,
					  .pid = W, .cpu = 0, .cpu2 = 0 };

		explain_repick(b, &ev);
	}
	ck_assert_int_eq(explain_wakes(b, &w), 3);
	ck_assert(w[2].stayed);
	ck_assert_uint_eq(w[2].nth, 1);
	ck_assert_uint_eq(w[2].run_ts, w[2].wake_ts);
	out = print(a, b);
	ck_assert_msg(strstr(out, "2 wakeups served in the recorded run, 3 "
			     "under eevdf; 2 paired"), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "1 of the eevdf wakeups found the "
				     "task still on its CPU"));
	ck_assert_ptr_nonnull(strstr(out, "#1 t10/10 wakeup 1: recorded "
				     "100ns, eevdf 800ns"));
	ck_assert_ptr_nonnull(strstr(out, "#2 t10/10 wakeup 2: recorded "
				     "100ns, eevdf 0ns"));
	ck_assert_ptr_nonnull(strstr(out, "woken before it had left CPU0"));
	free(out);
	explain_free(a);
	explain_free(b);
}
END_TEST

/* W wakes every ms and runs 10 us later; `extra`: one more in between. */
static struct explain *periodic(bool extra)
{
	const int32_t pids[] = { W };
	struct explain *x = explain_new(pids, 1, 1, 4 * MS);

	ck_assert_ptr_nonnull(x);
	sw(x, 0, 0, 0, 0, 0);
	for (uint64_t k = 1; k <= 20; k++) {
		uint64_t d = k == 15 ? 300 * US : 10 * US;

		wake(x, k * MS, 0, 0);
		sw(x, k * MS + d, 0, 0, 0, W);
		sw(x, k * MS + d + 5 * US, 0, W, 1, 0);
		if (extra && k == 10) {
			wake(x, k * MS + 500 * US, 0, 0);
			sw(x, k * MS + 510 * US, 0, 0, 0, W);
			sw(x, k * MS + 515 * US, 0, W, 1, 0);
		}
	}
	return x;
}

/* A wakeup one run lacks is skipped, not a shift of every later pair. */
START_TEST(aligns_by_time)
{
	struct explain *a = periodic(false), *b = periodic(true);
	char *out = print(a, b);

	ck_assert_msg(strstr(out, "20 wakeups served in the recorded run, 21 "
			     "under eevdf; 20 paired"), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "1 wakeup left unpaired"));
	/* every pair is the same wakeup: no difference to show */
	ck_assert_msg(strstr(out, "the 0 largest differences"), "%s", out);
	free(out);
	explain_free(a);
	explain_free(b);
}
END_TEST

/*
 * W preempted twice on CPU 0: by X for 500 us; then by X for 300 us and Z
 * for 100. Two put-backs, 900 us in all, 800 of it X's; a wakeup is not
 * one, nor is a sleep's return.
 */
START_TEST(put_backs_on_paper)
{
	const int32_t pids[] = { W };
	struct explain *x = explain_new(pids, 1, 2, 4 * MS);
	const struct explain_putbacks *pb;
	const struct explain_wake *w;

	ck_assert_ptr_nonnull(x);
	sw(x, 0, 0, 0, 0, W);
	sw(x, 1000 * US, 0, W, SEV_STATE_RUNNING, X);
	sw(x, 1500 * US, 0, X, SEV_STATE_RUNNING, W);
	sw(x, 2000 * US, 0, W, SEV_STATE_RUNNING, X);
	sw(x, 2300 * US, 0, X, 1, Z);
	sw(x, 2400 * US, 0, Z, 1, W);
	sw(x, 2500 * US, 0, W, 1, 0);
	wake(x, 3000 * US, 1, 0);
	sw(x, 3100 * US, 0, 0, 0, W);
	pb = explain_putbacks(x);
	ck_assert_uint_eq(pb->n, 2);
	ck_assert_uint_eq(pb->delay[0], 500 * US);
	ck_assert_uint_eq(pb->delay[1], 400 * US);
	ck_assert_uint_eq(pb->total_ns, 900 * US);
	ck_assert_uint_eq(pb->nby, 2);
	ck_assert_str_eq(pb->by[0].comm, "t20");
	ck_assert_uint_eq(pb->by[0].ns, 800 * US);
	ck_assert_str_eq(pb->by[1].comm, "t40");
	ck_assert_uint_eq(pb->by[1].ns, 100 * US);
	/* the first sighting and the wakeup are the two wakeups */
	ck_assert_int_eq(explain_wakes(x, &w), 2);
	explain_free(x);
}
END_TEST

START_TEST(cli_on_shipped_trace)
{
	const char *ok[] = { "--explain", "frameloop", "-P", "lowlat",
			     "traces/game_build.dat", NULL };
	const char *missing[] = { "--explain", "nosuchcomm",
				  "traces/game_build.dat", NULL };
	const char *two[] = { "--explain", "frameloop", "-P", "eevdf,lowlat",
			      "traces/game_build.dat", NULL };
	const char *kernel[] = { "--explain", "frameloop", "-P", "lowlat",
				 "--host", "kernel", "traces/game_build.dat",
				 NULL };
	struct sim_run r, k;
	char *p;
	unsigned long paired = 0, nrec = 0, nrep = 0;

	r = sim_run(ok, NULL);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(sscanf(r.out, "frameloop: %lu wakeups served in the "
			     "recorded run, %lu under lowlat; %lu paired",
			     &nrec, &nrep, &paired) == 3, "%s", r.out);
	ck_assert_uint_gt(paired, 1000);
	ck_assert_uint_le(paired, nrec < nrep ? nrec : nrep);
	/* the table's totals: each column's causes add up to its total */
	p = strstr(r.out, "  total ");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(r.out, "#10 "));
	ck_assert_ptr_nonnull(strstr(r.out, "So: lowlat waited"));
	/* frameloop is preempted a few times in the recording */
	p = strstr(r.out, "put back on a CPU after being preempted");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(p, "\n  recorded "));
	/* it explains the replay the table shows: lowlat's on scxlive */
	k = sim_run(kernel, NULL);
	ck_assert_int_eq(k.rc, 0);
	ck_assert_msg(strcmp(r.out, k.out), "the same on both hosts");
	sim_run_free(&k);
	sim_run_free(&r);

	r = sim_run(missing, NULL);
	ck_assert_int_eq(r.rc, 2);
	ck_assert_int_eq(r.err_lines, 1);
	ck_assert_ptr_nonnull(strstr(r.err, "nosuchcomm"));
	sim_run_free(&r);
	r = sim_run(two, NULL);
	ck_assert_int_eq(r.rc, 2);
	ck_assert_int_eq(r.err_lines, 1);
	sim_run_free(&r);
}
END_TEST

Suite *explain_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, causes_on_paper);
	tcase_add_test(tc, pairs_and_report);
	tcase_add_test(tc, pairs_by_task_and_n);
	tcase_add_test(tc, aligns_by_time);
	tcase_add_test(tc, put_backs_on_paper);
	tcase_add_test(tc, cli_on_shipped_trace);
	suite_add_tcase(s, tc);
	return s;
}
