// SPDX-License-Identifier: GPL-2.0
/*
 * The seam between a policy and its hosts, as policy.h states it: which
 * hooks are mandatory (policy_check() and both hosts refuse an ops without
 * one), what a missing optional hook means (the same as one that returns at
 * once, in the engine as in scxlive's adapter), and the two pieces of text
 * both hosts share through the registry: the duration syntax and the
 * --list-policies lines.
 */
#include <stdio.h>
#include <string.h>

#include "live/dispatch.h"
#include "policy/policy.h"
#include "sim/report/metrics.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

extern const struct policy_ops policy_fifo_ops;

static int32_t any_cpu(void *st, const struct policy_env *env,
		       const struct policy_task *t, int32_t prev_cpu)
{
	(void)st, (void)env, (void)t, (void)prev_cpu;
	return POLICY_CPU_ANY;
}

static void no_running(void *st, const struct policy_env *env,
		       const struct policy_task *t, int32_t cpu)
{
	(void)st, (void)env, (void)t, (void)cpu;
}

static void no_stopping(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu,
			uint64_t ran_ns, bool runnable)
{
	(void)st, (void)env, (void)t, (void)cpu, (void)ran_ns, (void)runnable;
}

static void no_exit(void *st, const struct policy_env *env,
		    const struct policy_task *t)
{
	(void)st, (void)env, (void)t;
}

/* fifo without its optional hooks, and fifo with hooks that do nothing. */
static struct policy_ops bare(void)
{
	struct policy_ops o = policy_fifo_ops;

	o.select_cpu = NULL;
	o.running = NULL;
	o.stopping = NULL;
	o.exit_task = NULL;
	return o;
}

static struct policy_ops empty_hooks(void)
{
	struct policy_ops o = policy_fifo_ops;

	o.select_cpu = any_cpu;
	o.running = no_running;
	o.stopping = no_stopping;
	o.exit_task = no_exit;
	return o;
}

START_TEST(check_mandatory_hooks)
{
	struct policy_ops o;

	for (size_t i = 0; policy_registry[i]; i++)
		ck_assert_int_eq(policy_check(policy_registry[i]), POLICY_OK);
	ck_assert_int_eq(policy_check(NULL), POLICY_E_UNKNOWN);
	o = bare();
	ck_assert_int_eq(policy_check(&o), POLICY_OK);
	for (int k = 0; k < 5; k++) {
		o = policy_fifo_ops;
		switch (k) {
		case 0: o.name = NULL; break;
		case 1: o.state_size = NULL; break;
		case 2: o.init = NULL; break;
		case 3: o.enqueue = NULL; break;
		case 4: o.dispatch = NULL; break;
		}
		ck_assert_int_eq(policy_check(&o), POLICY_E_OPS);
	}
	ck_assert_str_ne(policy_strerror(POLICY_E_OPS),
			 policy_strerror(-99));
}
END_TEST

START_TEST(hosts_refuse_missing_mandatory_hook)
{
	struct policy_ops o = policy_fifo_ops;
	struct policy_conf conf;
	struct engine_conf ec = { .seed = 1 };
	struct engine_stats st;
	struct live_sched s;
	struct metrics *mt = metrics_new();
	struct model *m = tm_model(1);
	char err[256] = "";

	tm_burst(m, tm_task(m, 10, "a"), BURST_TIMER, 1 * MS, 0, 0);
	o.dispatch = NULL;
	policy_conf_defaults(&conf, &o, 1, 1);
	ck_assert_int_ne(engine_run(m, &o, &conf, &ec, mt, &st, err,
				    sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "mandatory hook"));
	ck_assert_int_ne(live_sched_init(&s, &o, &conf), 0);
	o = bare();
	ck_assert_int_eq(live_sched_init(&s, &o, &conf), 0);
	live_sched_free(&s);
	metrics_free(mt);
	model_free(m);
}
END_TEST

/* The engine skips a missing optional hook exactly as an empty one. */
START_TEST(engine_missing_hook_is_empty_hook)
{
	struct model *m = tm_read("traces/server.dat");
	struct policy_ops a = bare(), b = empty_hooks();
	struct engine_stats sa, sb;
	struct result *ra = tm_run(m, &a, 0, 0, 50 * US, &sa);
	struct result *rb = tm_run(m, &b, 0, 0, 50 * US, &sb);

	ck_assert_uint_eq(sa.violations, 0);
	ck_assert_uint_gt(sa.served, 100);
	ck_assert_uint_eq(sa.served, sb.served);
	ck_assert_uint_eq(sa.switches, sb.switches);
	ck_assert_uint_eq(sa.preemptions, sb.preemptions);
	ck_assert_uint_eq(sa.expiries, sb.expiries);
	ck_assert_uint_eq(sa.end_ns, sb.end_ns);
	ck_assert_uint_eq(sa.busy_ns, sb.busy_ns);
	/* Only the hooks called differ: the empty ones were called. */
	ck_assert_uint_lt(sa.hooks, sb.hooks);
	ck_assert_uint_eq(ra->ntasks, rb->ntasks);
	for (size_t i = 0; i < ra->ntasks; i++) {
		ck_assert_int_eq(ra->tasks[i].pid, rb->tasks[i].pid);
		ck_assert_uint_eq(ra->tasks[i].count, rb->tasks[i].count);
		ck_assert_uint_eq(ra->tasks[i].sum_ns, rb->tasks[i].sum_ns);
		ck_assert_uint_eq(ra->tasks[i].max_ns, rb->tasks[i].max_ns);
		ck_assert_uint_eq(ra->tasks[i].done_ns, rb->tasks[i].done_ns);
	}
	result_free(ra);
	result_free(rb);
	model_free(m);
}
END_TEST

START_TEST(duration_syntax)
{
	const struct policy_ops *fifo = policy_find("fifo");
	struct policy_conf conf;
	uint64_t ns = 0;

	ck_assert_int_eq(policy_parse_duration("5ms", 1, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 5000000);
	ck_assert_int_eq(policy_parse_duration("1.5us", 1, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 1500);
	ck_assert_int_eq(policy_parse_duration("7", 1, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 7);
	/* A bare number is in the caller's unit: scxlive's --stats seconds. */
	ck_assert_int_eq(policy_parse_duration("0.5", 1000000000, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 500000000);
	ck_assert_int_eq(policy_parse_duration("2", 1000000000, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 2000000000);
	/* Digits past the nanosecond are read and dropped. */
	ck_assert_int_eq(policy_parse_duration("1.0000000019s", 1, &ns), POLICY_OK);
	ck_assert_uint_eq(ns, 1000000001);
	ck_assert_int_eq(policy_parse_duration("18446744073709551615", 1, &ns),
			 POLICY_OK);
	ck_assert_uint_eq(ns, UINT64_MAX);
	ck_assert_int_eq(policy_parse_duration("18446744073709551616", 1, &ns),
			 POLICY_E_RANGE);
	ck_assert_int_eq(policy_parse_duration("18446744074s", 1, &ns),
			 POLICY_E_RANGE);
	ck_assert_int_eq(policy_parse_duration("18446744073.8s", 1, &ns),
			 POLICY_E_RANGE);
	{
		static const char *const bad[] = {
			"", "ms", "-1", "+1", "1.", ".5", "5 ms", "5xs", " 5",
			"1.5.5", "0x10", "5mss",
		};

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			ck_assert_msg(policy_parse_duration(bad[i], 1, &ns) ==
				      POLICY_E_VALUE, "'%s' accepted", bad[i]);
	}
	/* The same syntax in -p: fractions too, on a parameter in ns. */
	policy_conf_defaults(&conf, fifo, 2, 10);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=1.5ms", NULL),
			 POLICY_OK);
	ck_assert_int_eq(conf.param[0], 1500000);
}
END_TEST

START_TEST(list_lines)
{
	const struct policy_ops *fifo = policy_find("fifo");
	const struct policy_param *p = &fifo->params[0];
	char line[512], want[512], small[8];
	size_t n;

	n = policy_list_line(fifo, 0, NULL, line, sizeof(line));
	snprintf(want, sizeof(want), "%-10s %s", fifo->name, fifo->desc);
	ck_assert_str_eq(line, want);
	ck_assert_uint_eq(n, strlen(want));
	policy_list_line(fifo, 1, ".", line, sizeof(line));
	snprintf(want, sizeof(want), "    fifo.%s=%lld  (%lld..%lld %s)  %s",
		 p->name, (long long)p->def, (long long)p->min,
		 (long long)p->max, p->unit, p->desc);
	ck_assert_str_eq(line, want);
	policy_list_line(fifo, 1, NULL, line, sizeof(line));
	ck_assert_str_eq(line + 4, want + strlen("    fifo."));
	ck_assert(!strncmp(line, "    ", 4));
	/* Cut to the buffer, still ended, and the length it wanted. */
	n = policy_list_line(fifo, 1, ".", small, sizeof(small));
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_uint_eq(n, strlen(want));
	/* Negative bounds are printed with their sign. */
	for (size_t i = 0; policy_registry[i]; i++) {
		const struct policy_ops *ops = policy_registry[i];

		for (uint32_t k = 0; k < ops->nr_params; k++) {
			char lo[32];

			policy_list_line(ops, k + 1, ".", line, sizeof(line));
			snprintf(lo, sizeof(lo), "  (%lld..",
				 (long long)ops->params[k].min);
			ck_assert_ptr_nonnull(strstr(line, lo));
		}
	}
}
END_TEST

Suite *contract_suite(void)
{
	Suite *s = suite_create("contract");
	TCase *tc = tcase_create("contract");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, check_mandatory_hooks);
	tcase_add_test(tc, hosts_refuse_missing_mandatory_hook);
	tcase_add_test(tc, engine_missing_hook_is_empty_hook);
	tcase_add_test(tc, duration_syntax);
	tcase_add_test(tc, list_lines);
	suite_add_tcase(s, tc);
	return s;
}
