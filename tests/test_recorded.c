// SPDX-License-Identifier: GPL-2.0
/*
 * The recorded report against `perf sched latency` itself: for every
 * committed perf.data fixture the saved output of `perf sched latency -i`
 * (rows merged by comm) and `-p` (one row per task) is parsed here and
 * every row compared, at perf's printed precision, with what
 * recorded_run computes: Runtime, Count, Avg, Max, the merged pid count,
 * and the TOTAL line. Then perf's rules one by one on hand-made streams.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "sim/report/recorded.h"
#include "tests/suites.h"

#define FX	"tests/fixtures/"

struct perf_row {
	char name[64];		/* "comm" */
	int pid;		/* -1 when merged */
	int merged;		/* "(N)" */
	char runtime[32], count[32], avg[32], max[32];
};

/* "  comm:pid   | 1.234 ms | 5 | avg: 0.1 ms | max: 0.2 ms | ..." */
static bool parse_row(const char *line, struct perf_row *row)
{
	char buf[512], *f[6], *p, *colon;
	int nf = 0;

	if (!strstr(line, "avg:"))
		return false;
	snprintf(buf, sizeof(buf), "%s", line);
	for (p = buf; nf < 6 && p; nf++) {
		f[nf] = p;
		p = strchr(p, '|');
		if (p)
			*p++ = '\0';
	}
	ck_assert_int_ge(nf, 5);
	while (*f[0] == ' ')
		f[0]++;
	for (p = f[0] + strlen(f[0]); p > f[0] && p[-1] == ' '; p--)
		p[-1] = '\0';
	colon = strrchr(f[0], ':');
	ck_assert_ptr_nonnull(colon);
	*colon = '\0';
	snprintf(row->name, sizeof(row->name), "%s", f[0]);
	row->pid = -1;
	row->merged = 1;
	if (colon[1] == '(')
		row->merged = atoi(colon + 2);
	else
		row->pid = atoi(colon + 1);
	ck_assert_int_eq(sscanf(f[1], " %31s", row->runtime), 1);
	ck_assert_int_eq(sscanf(f[2], " %31s", row->count), 1);
	ck_assert_int_eq(sscanf(f[3], " avg: %31s", row->avg), 1);
	ck_assert_int_eq(sscanf(f[4], " max: %31s", row->max), 1);
	return true;
}

static void fmt_ms(char *out, size_t n, uint64_t ns)
{
	snprintf(out, n, "%.3f", (double)ns / 1e6);
}

static void assert_row(const struct perf_row *pr, const struct metrics_row *r)
{
	char rt[32], avg[32], max[32], cnt[32];

	fmt_ms(rt, sizeof(rt), r->runtime_ns);
	fmt_ms(avg, sizeof(avg), r->avg_ns);
	fmt_ms(max, sizeof(max), r->max_ns);
	snprintf(cnt, sizeof(cnt), "%llu", (unsigned long long)r->count);
	ck_assert_msg(!strcmp(pr->count, cnt) && !strcmp(pr->avg, avg) &&
		      !strcmp(pr->max, max) && !strcmp(pr->runtime, rt),
		      "%s:%d perf: %s ms %s avg %s max %s, ours: %s ms %s avg %s max %s",
		      pr->name, pr->pid, pr->runtime, pr->count, pr->avg, pr->max,
		      rt, cnt, avg, max);
}

static struct result *recorded_of(const char *path)
{
	char err[256];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	struct result *res;

	ck_assert_msg(r != NULL, "%s: %s", path, err);
	ck_assert_msg(recorded_run(r, &res, err, sizeof(err)) == 0, "%s: %s", path, err);
	trace_close(r);
	return res;
}

/* Every row of `perf sched latency` (merged by comm) equals ours. */
static void check_merged(const char *data, const char *latency)
{
	struct result *res = recorded_of(data);
	FILE *f = fopen(latency, "r");
	char line[512];
	size_t rows = 0;
	bool total = false;

	ck_assert_msg(f != NULL, "%s is missing", latency);
	while (fgets(line, sizeof(line), f)) {
		struct perf_row pr;
		const struct metrics_row *r;

		if (strstr(line, "TOTAL:")) {
			char rt[32], want_rt[32];
			unsigned long long cnt;

			ck_assert_int_eq(sscanf(line, " TOTAL: | %31s ms | %llu",
						want_rt, &cnt), 2);
			fmt_ms(rt, sizeof(rt), res->total.runtime_ns);
			ck_assert_str_eq(rt, want_rt);
			ck_assert_uint_eq(res->total.count, cnt);
			total = true;
			continue;
		}
		if (!parse_row(line, &pr))
			continue;
		rows++;
		r = result_comm(res, pr.name);
		ck_assert_msg(r != NULL, "%s: perf has comm '%s', we do not", data, pr.name);
		assert_row(&pr, r);
		ck_assert_msg((int)r->npids == pr.merged, "%s: %zu pids, perf merged %d",
			      pr.name, r->npids, pr.merged);
		if (pr.pid >= 0)
			ck_assert_int_eq(r->pids[0], pr.pid);
	}
	fclose(f);
	ck_assert(total);
	ck_assert_uint_gt(rows, 10);
	ck_assert_msg(res->ncomms == rows, "%zu comm rows, perf printed %zu",
		      res->ncomms, rows);
	result_free(res);
}

/* `perf sched latency -p`: one row per task. */
static void check_per_pid(const char *data, const char *latency)
{
	struct result *res = recorded_of(data);
	FILE *f = fopen(latency, "r");
	char line[512];
	size_t rows = 0;

	ck_assert_msg(f != NULL, "%s is missing", latency);
	while (fgets(line, sizeof(line), f)) {
		struct perf_row pr;
		const struct metrics_row *r;

		if (!parse_row(line, &pr))
			continue;
		rows++;
		ck_assert_int_ge(pr.pid, 0);
		r = result_task(res, pr.pid);
		ck_assert_msg(r != NULL, "perf has pid %d, we do not", pr.pid);
		ck_assert_str_eq(r->comm, pr.name);
		assert_row(&pr, r);
	}
	fclose(f);
	ck_assert_uint_gt(rows, 10);
	ck_assert_uint_eq(res->ntasks, rows);
	result_free(res);
}

START_TEST(test_perf_sched_record_parity)
{
	check_merged(FX "perf-sched-record.data", FX "perf-sched-record.latency");
	check_per_pid(FX "perf-sched-record.data", FX "perf-sched-record.latency-p");
}
END_TEST

START_TEST(test_perf_record_all_parity)
{
	/* recorded with perf record -e 'sched:*' -a; read through gzip */
	check_merged(FX "perf-sched-all.data.gz", FX "perf-sched-all.latency");
	check_per_pid(FX "perf-sched-all.data.gz", FX "perf-sched-all.latency-p");
}
END_TEST

START_TEST(test_percentiles_bounded_by_max)
{
	struct result *res = recorded_of(FX "perf-sched-record.data");

	for (size_t i = 0; i < res->ncomms; i++) {
		const struct metrics_row *r = &res->comms[i];

		ck_assert_uint_le(r->p50_ns, r->p90_ns);
		ck_assert_uint_le(r->p90_ns, r->p99_ns);
		ck_assert_uint_le(r->p99_ns, r->max_ns);
	}
	ck_assert_double_ge(res->cpu_util, 0.0);
	ck_assert_double_le(res->cpu_util, 1.0);
	ck_assert_uint_gt(res->span_ns, 0);
	result_free(res);
}
END_TEST

/* ------------------------------------------------ perf's rules, by hand */

static struct sched_event sw(uint64_t ts, int cpu, int prev, uint32_t state,
			     int next)
{
	struct sched_event e = { .ts = ts, .cpu = cpu, .type = SEV_SWITCH,
				 .pid = prev, .pid2 = next, .prev_state = state };

	snprintf(e.comm, sizeof(e.comm), "t%d", prev);
	snprintf(e.comm2, sizeof(e.comm2), "t%d", next);
	return e;
}

static struct sched_event wake(uint64_t ts, uint16_t type, int pid)
{
	struct sched_event e = { .ts = ts, .type = type, .pid = pid };

	snprintf(e.comm, sizeof(e.comm), "t%d", pid);
	return e;
}

static struct result *run(const struct sched_event *ev, size_t n,
			  const struct trace_info *info)
{
	struct recorded *rc = recorded_new();
	struct result *res;

	ck_assert_ptr_nonnull(rc);
	for (size_t i = 0; i < n; i++)
		recorded_event(rc, info, &ev[i]);
	res = recorded_finish(rc, info, METRICS_PERF_ROWS);
	recorded_free(rc);
	ck_assert_ptr_nonnull(res);
	return res;
}

START_TEST(test_rules_wake_and_preempt)
{
	const struct sched_event ev[] = {
		sw(100, 0, 0, 0, 1),		/* t1 first seen running: delay 0 */
		sw(200, 0, 1, 1, 0),		/* t1 sleeps (S) */
		wake(300, SEV_WAKING, 1),	/* runnable at 300 */
		wake(350, SEV_WAKEUP, 1),	/* ignored: waking exists */
		sw(1000, 0, 0, 0, 1),		/* delay 700 */
		sw(1500, 0, 1, SEV_STATE_RUNNING, 2),	/* t1 preempted; t2 new */
		sw(1800, 0, 2, 2, 1),		/* t1 back: delay 300 */
	};
	struct result *res = run(ev, sizeof(ev) / sizeof(ev[0]), NULL);
	const struct metrics_row *t1 = result_task(res, 1), *t2 = result_task(res, 2);

	ck_assert_ptr_nonnull(t1);
	ck_assert_uint_eq(t1->count, 3);
	ck_assert_uint_eq(t1->sum_ns, 0 + 700 + 300);
	ck_assert_uint_eq(t1->max_ns, 700);
	ck_assert_uint_eq(t1->avg_ns, 333);	/* truncated like perf */
	ck_assert_ptr_nonnull(t2);
	ck_assert_uint_eq(t2->count, 1);	/* first seen running: 0 */
	ck_assert_uint_eq(t2->max_ns, 0);
	ck_assert_ptr_null(result_task(res, 0));	/* swapper left out */
	result_free(res);
}
END_TEST

START_TEST(test_rules_wakeup_without_waking)
{
	const struct sched_event ev[] = {
		sw(100, 0, 0, 0, 1),
		sw(200, 0, 1, 1, 0),
		wake(350, SEV_WAKEUP, 1),	/* no waking in trace: used */
		sw(1000, 0, 0, 0, 1),
		sw(1100, 0, 1, 1, 0),
		wake(1150, SEV_WAKEUP, 1),
		wake(1200, SEV_WAKEUP, 1),	/* not sleeping any more: kept 1150 */
		sw(1300, 0, 0, 0, 1),
	};
	struct trace_info info = { .has_waking = false };
	struct result *res = run(ev, sizeof(ev) / sizeof(ev[0]), &info);
	const struct metrics_row *t1 = result_task(res, 1);

	ck_assert_uint_eq(t1->count, 3);
	ck_assert_uint_eq(t1->sum_ns, 0 + 650 + 150);
	result_free(res);
	/* the same stream, but the recording had sched_waking enabled */
	info.has_waking = true;
	res = run(ev, sizeof(ev) / sizeof(ev[0]), &info);
	t1 = result_task(res, 1);
	ck_assert_uint_eq(t1->count, 1);	/* only the first-seen 0 */
	result_free(res);
}
END_TEST

START_TEST(test_rules_names_and_merge)
{
	struct sched_event ev[] = {
		sw(100, 0, 0, 0, 5),
		sw(200, 1, 0, 0, 6),
		sw(300, 0, 5, 1, 0),
		sw(400, 1, 6, 1, 0),
		{ .ts = 450, .type = SEV_COMM, .pid = 5, .comm = "worker" },
		{ .ts = 460, .type = SEV_COMM, .pid = 6, .comm = "old" },
		{ .ts = 470, .type = SEV_COMM, .pid = 6, .comm = "worker" },
		{ .ts = 480, .type = SEV_COMM, .pid = 7, .comm = "worker" },
		{ .ts = 490, .type = SEV_RUNTIME, .pid = 5, .runtime = 1000 },
	};
	struct result *res = run(ev, sizeof(ev) / sizeof(ev[0]), NULL);
	const struct metrics_row *w = result_comm(res, "worker");

	/* COMM records name rows (last wins); pid 7 never ran: no atoms */
	ck_assert_ptr_nonnull(w);
	ck_assert_uint_eq(w->npids, 2);
	ck_assert_int_eq(w->pids[0], 5);
	ck_assert_int_eq(w->pids[1], 6);
	ck_assert_uint_eq(w->count, 2);
	ck_assert_uint_eq(w->runtime_ns, 1000);
	ck_assert_ptr_null(result_comm(res, "t5"));
	ck_assert_ptr_null(result_comm(res, "old"));
	ck_assert_uint_eq(res->ncomms, 1);
	ck_assert_uint_eq(res->total.count, 2);
	result_free(res);
}
END_TEST

Suite *recorded_suite(void)
{
	Suite *s = suite_create("recorded");
	TCase *tc = tcase_create("perf_parity");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_perf_sched_record_parity);
	tcase_add_test(tc, test_perf_record_all_parity);
	tcase_add_test(tc, test_percentiles_bounded_by_max);
	tcase_add_test(tc, test_rules_wake_and_preempt);
	tcase_add_test(tc, test_rules_wakeup_without_waking);
	tcase_add_test(tc, test_rules_names_and_merge);
	suite_add_tcase(s, tc);
	return s;
}
