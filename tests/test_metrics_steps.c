// SPDX-License-Identifier: GPL-2.0
/*
 * metrics_row_steps(): the histogram walk the --plot CDF is drawn from.
 * Because a step's bound is its bucket's largest value, "cum delays were
 * <= le_ns" must hold exactly, for every step, against the raw delays; the
 * steps must end at the exact max and the full count, whatever the spread.
 */
#include <check.h>
#include <stdlib.h>

#include "sim/report/metrics.h"
#include "tests/suites.h"

#define NDELAYS	20000

static uint64_t lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

START_TEST(steps_count_exactly)
{
	static uint64_t d[2][NDELAYS];
	struct metrics *m = metrics_new();
	const struct metrics_step *st;
	const struct metrics_row *rows[3];
	struct result *res;
	uint64_t seed = 42;

	ck_assert_ptr_nonnull(m);
	/* two pids of one comm and one of another: the comm row merges */
	for (int i = 0; i < NDELAYS; i++) {
		/* log-uniform over 1ns..~1s, plus exact zeros */
		d[0][i] = i % 97 ? (uint64_t)1 << (lcg(&seed) % 30) : 0;
		d[0][i] += d[0][i] ? lcg(&seed) % d[0][i] : 0;
		d[1][i] = 1000 + lcg(&seed) % 5000000;
		metrics_delay(m, 10 + i % 2, d[0][i], 0);
		metrics_delay(m, 20, d[1][i], 0);
	}
	metrics_comm(m, 10, "game");
	metrics_comm(m, 11, "game");
	metrics_comm(m, 20, "cc1");
	res = metrics_finish(m, "t", 0);
	ck_assert_ptr_nonnull(res);
	rows[0] = result_comm(res, "game");
	rows[1] = result_comm(res, "cc1");
	rows[2] = &res->total;
	for (int k = 0; k < 3; k++) {
		size_t n = metrics_row_steps(rows[k], &st);

		ck_assert_uint_gt(n, 10);
		ck_assert_uint_eq(st[n - 1].cum, rows[k]->count);
		ck_assert_uint_eq(st[n - 1].le_ns, rows[k]->max_ns);
		for (size_t i = 0; i < n; i++) {
			uint64_t within = 0;

			ck_assert(!i || (st[i].le_ns > st[i - 1].le_ns &&
					 st[i].cum > st[i - 1].cum));
			for (int src = 0; src < 2; src++) {
				if ((k == 0 && src) || (k == 1 && !src))
					continue;
				for (int j = 0; j < NDELAYS; j++)
					within += d[src][j] <= st[i].le_ns;
			}
			ck_assert_msg(within == st[i].cum, "row %d step %zu: "
				      "%llu delays <= %llu ns, steps say %llu",
				      k, i, (unsigned long long)within,
				      (unsigned long long)st[i].le_ns,
				      (unsigned long long)st[i].cum);
		}
	}
	/* task rows carry no steps: memory stays per comm */
	ck_assert_uint_eq(metrics_row_steps(result_task(res, 20), &st), 0);
	result_free(res);
	metrics_free(m);
}
END_TEST

/* A comm without delays has no distribution to walk. */
START_TEST(no_delays_no_steps)
{
	struct metrics *m = metrics_new();
	const struct metrics_step *st;
	struct result *res;

	metrics_comm(m, 5, "idle");
	metrics_runtime(m, 5, 1000);
	res = metrics_finish(m, "t", 0);
	ck_assert_ptr_nonnull(res);
	ck_assert_uint_eq(metrics_row_steps(result_comm(res, "idle"), &st), 0);
	ck_assert_uint_eq(metrics_row_steps(&res->total, &st), 0);
	result_free(res);
	metrics_free(m);
}
END_TEST

Suite *metrics_steps_suite(void)
{
	Suite *s = suite_create("metrics_steps");
	TCase *tc = tcase_create("cdf");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, steps_count_exactly);
	tcase_add_test(tc, no_delays_no_steps);
	suite_add_tcase(s, tc);
	return s;
}
