// SPDX-License-Identifier: GPL-2.0
/*
 * Every reader fixture replayed under every registered policy: the engine's
 * conservation checks must hold (no task on two CPUs, none run before it
 * was woken, every wakeup served, CPU time served equal to the demand), and
 * the model's demand must equal the CPU time the trace's switches show.
 */
#include <check.h>
#include <stdio.h>

#include "sim/report/metrics.h"
#include "sim/trace/trace.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

struct model *tm_read(const char *path)
{
	struct model *m = model_new();
	struct trace_reader *r;
	struct sched_event ev;
	char err[256];
	int ret;

	r = trace_open(path, err, sizeof(err));
	ck_assert_msg(r, "%s: %s", path, err);
	while ((ret = trace_next(r, &ev)) == 1)
		ck_assert_int_eq(model_add(m, &ev), 0);
	ck_assert_msg(ret == 0, "%s: %s", path, trace_error(r));
	trace_close(r);
	ck_assert_int_eq(model_finish(m), 0);
	return m;
}

START_TEST(conservation_on_fixtures)
{
	const char *const *fx = tm_fixtures();
	int traces = 0;

	for (; *fx; fx++, traces++) {
		struct model *m = tm_read(*fx);

		ck_assert_msg(m->nr_bursts > 10, "%s: too few bursts", *fx);
		for (size_t i = 0; policy_registry[i]; i++) {
			const struct policy_ops *ops = policy_registry[i];
			struct engine_stats st;
			struct result *res = tm_run(m, ops, 0, 0,
						    m->wake_cost_ns, &st);

			ck_assert_msg(!st.violations, "%s under %s: %s", *fx,
				      ops->name, st.first_violation);
			ck_assert_uint_eq(st.served_ns, model_demand(m));
			ck_assert_uint_eq(st.served, st.wakeups);
			ck_assert_uint_eq(st.unfinished, 0);
			ck_assert_uint_le(st.busy_ns,
					  (uint64_t)m->nr_cpus * st.end_ns);
			result_free(res);
		}
		model_free(m);
	}
	ck_assert_int_ge(traces, 3);
}
END_TEST

Suite *engine_fixtures_suite(void)
{
	Suite *s = suite_create("engine_fixtures");
	TCase *tc = tcase_create("fixtures");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, conservation_on_fixtures);
	suite_add_tcase(s, tc);
	return s;
}
