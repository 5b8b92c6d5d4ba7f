// SPDX-License-Identifier: GPL-2.0
/*
 * sim/metrics: percentiles against exact ones from sorted samples (the
 * promise is <= 1% relative error), exact count/sum/avg/max, rows merged
 * by the last comm a pid was given, hidden pids, and the perf-rows filter.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "sim/report/metrics.h"
#include "tests/suites.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* perf-free definition: the smallest sample with >= p% at or below it */
static uint64_t exact_pct(const uint64_t *sorted, size_t n, unsigned int p)
{
	size_t rank = (n * p + 99) / 100;

	return sorted[rank ? rank - 1 : 0];
}

static void assert_close(uint64_t got, uint64_t want)
{
	double err = want ? ((double)got - (double)want) / (double)want : (double)got;

	ck_assert_msg(err <= 0.01 && err >= -0.01, "%llu vs exact %llu (%.3f%%)",
		      (unsigned long long)got, (unsigned long long)want, err * 100);
}

START_TEST(test_percentile_accuracy)
{
	enum { N = 200000 };
	uint64_t *v = malloc(N * sizeof(*v)), sum = 0, max = 0;
	struct metrics *m = metrics_new();
	struct result *res;
	const struct metrics_row *r;
	unsigned int seed = 42;

	ck_assert_ptr_nonnull(v);
	for (size_t i = 0; i < N; i++) {
		/* log-uniform 100 ns .. ~100 ms: every bucket size matters */
		double e = 2.0 + 6.0 * rand_r(&seed) / (double)RAND_MAX;
		uint64_t x = 1;

		for (int k = 0; k < (int)e; k++)
			x *= 10;
		x += (uint64_t)(x * 9.0 * rand_r(&seed) / (double)RAND_MAX);
		v[i] = x;
		sum += x;
		if (x > max)
			max = x;
		metrics_delay(m, 42, x, i);
	}
	metrics_comm(m, 42, "load");
	res = metrics_finish(m, "t", 0);
	ck_assert_ptr_nonnull(res);
	r = result_task(res, 42);
	ck_assert_ptr_nonnull(r);
	qsort(v, N, sizeof(*v), cmp_u64);
	ck_assert_uint_eq(r->count, N);
	ck_assert_uint_eq(r->sum_ns, sum);
	ck_assert_uint_eq(r->avg_ns, sum / N);
	ck_assert_uint_eq(r->max_ns, max);
	assert_close(r->p50_ns, exact_pct(v, N, 50));
	assert_close(r->p90_ns, exact_pct(v, N, 90));
	assert_close(r->p99_ns, exact_pct(v, N, 99));
	assert_close(res->total.p99_ns, exact_pct(v, N, 99));
	result_free(res);
	metrics_free(m);
	free(v);
}
END_TEST

START_TEST(test_small_values_exact)
{
	struct metrics *m = metrics_new();
	struct result *res;

	for (uint64_t x = 1; x <= 10; x++)
		metrics_delay(m, 1, x, 0);
	res = metrics_finish(m, "t", 0);
	ck_assert_uint_eq(res->tasks[0].p50_ns, 5);
	ck_assert_uint_eq(res->tasks[0].p90_ns, 9);
	ck_assert_uint_eq(res->tasks[0].p99_ns, 10);
	result_free(res);
	metrics_free(m);
}
END_TEST

START_TEST(test_merge_by_last_comm)
{
	struct metrics *m = metrics_new();
	struct result *res;
	const struct metrics_row *r;

	metrics_comm(m, 10, "sh");
	metrics_delay(m, 10, 100, 1);
	metrics_comm(m, 10, "make");		/* exec: the last name wins */
	metrics_delay(m, 11, 300, 2);
	metrics_comm(m, 11, "make");
	metrics_delay(m, 12, 50, 3);
	metrics_comm(m, 12, "cc1");
	metrics_runtime(m, 12, 777);
	metrics_exit(m, 11, 5000);
	metrics_touch(m, 13);			/* no delays at all */
	metrics_comm(m, 13, "idle-ish");
	metrics_delay(m, 0, 999999, 4);
	metrics_ignore(m, 0);
	metrics_util(m, 500, 2, 1000);
	res = metrics_finish(m, "x", 0);
	ck_assert_str_eq(res->name, "x");
	ck_assert_ptr_null(result_comm(res, "sh"));
	r = result_comm(res, "make");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->npids, 2);
	ck_assert_uint_eq(r->count, 2);
	ck_assert_uint_eq(r->avg_ns, 200);
	ck_assert_uint_eq(r->max_ns, 300);
	ck_assert_uint_eq(r->max_at_ns, 2);
	ck_assert_uint_eq(r->done_ns, 5000);
	ck_assert_uint_eq(result_comm(res, "cc1")->runtime_ns, 777);
	ck_assert_ptr_nonnull(result_comm(res, "idle-ish"));
	ck_assert_ptr_null(result_task(res, 0));
	ck_assert_uint_eq(res->total.count, 3);
	ck_assert_uint_eq(res->total.max_ns, 300);
	ck_assert_double_eq_tol(res->cpu_util, 0.25, 1e-9);
	result_free(res);
	/* perf's rows: comms and tasks without a delay disappear */
	res = metrics_finish(m, "x", METRICS_PERF_ROWS);
	ck_assert_ptr_null(result_comm(res, "idle-ish"));
	ck_assert_ptr_null(result_task(res, 13));
	ck_assert_uint_eq(res->ncomms, 2);
	ck_assert_uint_eq(res->ntasks, 3);
	result_free(res);
	metrics_free(m);
}
END_TEST

START_TEST(test_many_pids)
{
	struct metrics *m = metrics_new();
	struct result *res;

	/* the hash grows many times over; every pid keeps its own figures */
	for (int32_t pid = 1; pid <= 50000; pid++)
		metrics_delay(m, pid * 7919, (uint64_t)pid, 0);
	res = metrics_finish(m, "t", 0);
	ck_assert_uint_eq(res->ntasks, 50000);
	for (int32_t pid = 1; pid <= 50000; pid += 997)
		ck_assert_uint_eq(result_task(res, pid * 7919)->max_ns, (uint64_t)pid);
	result_free(res);
	metrics_free(m);
}
END_TEST

Suite *metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_percentile_accuracy);
	tcase_add_test(tc, test_small_values_exact);
	tcase_add_test(tc, test_merge_by_last_comm);
	tcase_add_test(tc, test_many_pids);
	suite_add_tcase(s, tc);
	return s;
}
