// SPDX-License-Identifier: GPL-2.0
/*
 * The tuner's parts on their own: the unit-cube mapping stays inside every
 * policy's declared ranges and finds the defaults again; the Pareto front
 * keeps exactly the undominated points; parameter files and sweep specs
 * read what they should and name the line of what they refuse; a spec's
 * shards cover every job exactly once; every policy's stated starvation
 * bound grows with the tasks it has to wait behind.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/tune/front.h"
#include "sim/tune/paramfile.h"
#include "sim/tune/space.h"
#include "sim/tune/spec.h"
#include "tests/suites.h"

/* Files write_tmp() made, removed when the test's process exits. */
static char tmp_paths[32][64];
static size_t nr_tmp;

static void remove_tmps(void)
{
	for (size_t i = 0; i < nr_tmp; i++)
		unlink(tmp_paths[i]);
	nr_tmp = 0;
}

static char *write_tmp(const char *text)
{
	char *path;
	int fd;

	ck_assert_uint_lt(nr_tmp, sizeof(tmp_paths) / sizeof(tmp_paths[0]));
	if (!nr_tmp)
		atexit(remove_tmps);
	path = tmp_paths[nr_tmp++];
	snprintf(path, sizeof(tmp_paths[0]), "/tmp/scx-tune-test.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	return path;
}

START_TEST(space_in_range)
{
	for (size_t k = 0; policy_registry[k]; k++) {
		const struct policy_ops *ops = policy_registry[k];
		bool fixed[POLICY_MAX_PARAMS] = { 0 };
		struct policy_conf def, c;
		struct tune_space sp;
		double u[POLICY_MAX_PARAMS];

		policy_conf_defaults(&def, ops, 2, 8);
		space_init(&sp, ops, &def, fixed);
		/* corners, the middle and past the cube's edges */
		for (int s = 0; s < 5; s++) {
			static const double at[] = { -1, 0, 0.5, 1, 2 };

			for (uint32_t d = 0; d < sp.dim; d++)
				u[d] = at[s];
			space_conf(&sp, u, &c);
			for (uint32_t i = 0; i < ops->nr_params; i++) {
				ck_assert_int_ge(c.param[i], ops->params[i].min);
				ck_assert_int_le(c.param[i], ops->params[i].max);
			}
		}
		/* the defaults' point maps back to (nearly) the defaults */
		space_point(&sp, &def, u);
		space_conf(&sp, u, &c);
		for (uint32_t i = 0; i < ops->nr_params; i++) {
			int64_t d = c.param[i] - def.param[i];

			ck_assert_msg(llabs(d) <= 1 + llabs(def.param[i]) / 1000000,
				      "%s.%s: %lld -> %lld", ops->name,
				      ops->params[i].name,
				      (long long)def.param[i],
				      (long long)c.param[i]);
		}
	}
}
END_TEST

START_TEST(space_fixed_stay)
{
	const struct policy_ops *ops = policy_find("lowlat");
	bool fixed[POLICY_MAX_PARAMS] = { 0 };
	struct policy_conf def, c;
	struct tune_space sp;
	double u[POLICY_MAX_PARAMS];

	ck_assert_ptr_nonnull(ops);
	policy_conf_defaults(&def, ops, 2, 8);
	ck_assert_int_eq(policy_conf_set(&def, ops, "slice_max=3ms", NULL), 0);
	fixed[0] = true;
	space_init(&sp, ops, &def, fixed);
	ck_assert_uint_eq(sp.dim, ops->nr_params - 1);
	for (uint32_t d = 0; d < sp.dim; d++)
		u[d] = 0.9;
	space_conf(&sp, u, &c);
	ck_assert_int_eq(c.param[0], 3000000);
	/* a duration axis is logarithmic: 0.5 is far below the middle */
	for (uint32_t d = 0; d < sp.dim; d++)
		u[d] = 0.5;
	space_conf(&sp, u, &c);
	ck_assert_int_lt(c.param[3], 10000000000 / 100);	/* lag */
	ck_assert_int_gt(c.param[3], 10000);
	/* the sliver at 0 of an axis that allows 0 means 0 */
	for (uint32_t d = 0; d < sp.dim; d++)
		u[d] = 0;
	space_conf(&sp, u, &c);
	ck_assert_int_eq(c.param[3], 0);
	ck_assert_int_eq(c.param[1], ops->params[1].min);
}
END_TEST

START_TEST(front_undominated)
{
	/* (objective, makespan): 1-3 are the front; 4 is dominated by 2 */
	static const double v[][2] = {
		{ 1.0, 1.00 }, { 0.5, 1.10 }, { 0.8, 1.02 }, { 0.3, 1.30 },
		{ 0.9, 1.20 }, { 0.5, 1.15 },
	};
	struct tune_point pts[6];
	struct tune_result r = { .pts = pts, .npts = 6 };
	uint32_t idx[6], n;

	memset(pts, 0, sizeof(pts));
	for (uint32_t i = 0; i < 6; i++) {
		pts[i].objective = v[i][0];
		pts[i].makespan = v[i][1];
		pts[i].bounded = pts[i].within = true;
		pts[i].order = i;
	}
	n = tune_front(&r, idx);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(idx[0], 0);
	ck_assert_uint_eq(idx[1], 2);
	ck_assert_uint_eq(idx[2], 1);
	ck_assert_uint_eq(idx[3], 3);
	/* a point past the starvation bound is no choice */
	pts[3].bounded = false;
	ck_assert_uint_eq(tune_front(&r, idx), 3);
}
END_TEST

START_TEST(better_prefers_admissible)
{
	struct tune_point a = { .objective = 0.5, .within = false,
				.bounded = true, .makespan = 1.2 };
	struct tune_point b = { .objective = 0.9, .within = true,
				.bounded = true, .makespan = 1.0, .order = 1 };

	ck_assert(tune_better(&b, &a));
	a.within = true;
	ck_assert(tune_better(&a, &b));
	b.objective = 0.5;	/* a tie on the objective: faster completion */
	ck_assert(tune_better(&b, &a));
}
END_TEST

START_TEST(paramfile_reads)
{
	char err[128] = "";
	size_t n = 99;
	char **kv = paramfile_load(write_tmp("# tuned\n\n  lowlat.slice_max=2ms \r\n"
					     "lowlat.boost=80\n# end"), &n,
				   err, sizeof(err));

	ck_assert_ptr_nonnull(kv);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(kv[0], "lowlat.slice_max=2ms");
	ck_assert_str_eq(kv[1], "lowlat.boost=80");
	free(kv);
	n = 7;
	kv = paramfile_load(write_tmp("lowlat.boost=1\nslice_max=2ms\n"), &n,
			    err, sizeof(err));
	ck_assert_ptr_null(kv);
	ck_assert_uint_eq(n, 7);
	ck_assert_ptr_nonnull(strstr(err, "line 2"));
	ck_assert_ptr_null(paramfile_load("/nonexistent/x.params", &n, err,
					  sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

START_TEST(value_round_trips)
{
	const struct policy_ops *ops = policy_find("lowlat");
	static const int64_t v[] = { 0, 1, 999, 1000, 1500, 2000000,
				     1234567, 3000000000 };
	struct policy_conf c;
	char buf[32], kv[64];

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		policy_conf_defaults(&c, ops, 2, 8);
		snprintf(kv, sizeof(kv), "lag=%s",
			 tune_value(buf, sizeof(buf), &ops->params[3], v[i]));
		ck_assert_int_eq(policy_conf_set(&c, ops, kv, NULL), 0);
		ck_assert_int_eq(c.param[3], v[i]);
	}
}
END_TEST

static const struct policy_ops *find(const char *name, void *arg)
{
	(void)arg;
	return policy_find(name);
}

START_TEST(spec_jobs_and_shards)
{
	struct spec s;
	char err[160];
	uint64_t seen[64] = { 0 };
	const char *path = write_tmp("# a small sweep\n"
				     "trace a.dat\ntrace b.dat\n"
				     "policy eevdf\npolicy lowlat\n"
				     "param lowlat.slice_max=1ms,2ms,5ms\n"
				     "param lowlat.boost=0,100\n");

	ck_assert_int_eq(spec_load(&s, path, find, NULL, err, sizeof(err)), 0);
	/* per trace: eevdf once, lowlat 3 x 2 */
	ck_assert_uint_eq(spec_jobs(&s), 2 * (1 + 6));
	for (uint32_t shards = 1; shards <= 5; shards++)
		for (uint32_t i = 0; i < shards; i++)
			for (uint64_t j = i; j < spec_jobs(&s); j += shards)
				seen[j]++;
	for (uint64_t j = 0; j < spec_jobs(&s); j++)
		ck_assert_uint_eq(seen[j], 5);	/* once per shard count */
	for (uint64_t j = 0; j < spec_jobs(&s); j++) {
		struct policy_conf c;
		uint32_t t, p;

		spec_job(&s, j, &t, &p, &c);
		ck_assert_uint_eq(t, j / 7);
		if (j % 7 == 0) {
			ck_assert_str_eq(s.pol[p].ops->name, "eevdf");
			continue;
		}
		ck_assert_str_eq(s.pol[p].ops->name, "lowlat");
		/* boost (the last axis) varies fastest */
		ck_assert_int_eq(c.param[4], (j % 7 - 1) % 2 ? 100 : 0);
		ck_assert_int_eq(c.param[0], ((j % 7 - 1) / 2 == 0 ? 1 :
					      (j % 7 - 1) / 2 == 1 ? 2 : 5) *
					     1000000);
		ck_assert_int_eq(c.param[1], 500000);	/* default kept */
	}
	ck_assert_str_eq(s.trace[1], "b.dat");
	spec_free(&s);
}
END_TEST

START_TEST(spec_refuses)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "trace a\npolicy nosuch\n", "line 2: no policy named" },
		{ "trace a\nparam lowlat.boost=1\npolicy lowlat\n", "line 2" },
		{ "trace a\npolicy lowlat\nparam lowlat.boost=500\n",
		  "line 3: value out of range" },
		{ "trace a\npolicy lowlat\nparam lowlat.nokey=5\n",
		  "line 3: no such parameter" },
		{ "trace a\nfrobnicate x\n", "line 2: 'frobnicate'" },
		{ "policy lowlat\n", "at least one trace" },
		{ "trace a\npolicy lowlat\npolicy lowlat\n", "twice" },
	};
	char err[160];
	struct spec s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		ck_assert_int_eq(spec_load(&s, write_tmp(bad[i].text), find,
					   NULL, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, bad[i].want), "%s: got '%s'",
			      bad[i].want, err);
		spec_free(&s);
	}
}
END_TEST

START_TEST(bounds_grow)
{
	for (size_t k = 0; policy_registry[k]; k++) {
		const struct policy_ops *ops = policy_registry[k];
		struct policy_bound_in in = { .nr_runnable = 2, .nr_cpus = 2,
					      .weight = 1024,
					      .max_weight = 1024,
					      .tick_ns = 4000000 };
		struct policy_conf c;
		uint64_t b2, b8, light;

		ck_assert_msg(ops->wait_bound, "%s states no bound", ops->name);
		policy_conf_defaults(&c, ops, 2, 8);
		b2 = ops->wait_bound(&c, &in);
		in.nr_runnable = 8;
		b8 = ops->wait_bound(&c, &in);
		in.weight = 15;	/* nice 19 */
		light = ops->wait_bound(&c, &in);
		ck_assert_uint_gt(b2, 0);
		ck_assert_uint_gt(b8, b2);
		ck_assert_uint_ge(light, b8);
		if (strcmp(ops->name, "fifo"))	/* fifo ignores weight */
			ck_assert_uint_gt(light, b8);
	}
}
END_TEST

Suite *tune_suite(void)
{
	Suite *s = suite_create("tune");
	TCase *tc = tcase_create("parts");

	tcase_add_test(tc, space_in_range);
	tcase_add_test(tc, space_fixed_stay);
	tcase_add_test(tc, front_undominated);
	tcase_add_test(tc, better_prefers_admissible);
	tcase_add_test(tc, paramfile_reads);
	tcase_add_test(tc, value_round_trips);
	tcase_add_test(tc, spec_jobs_and_shards);
	tcase_add_test(tc, spec_refuses);
	tcase_add_test(tc, bounds_grow);
	suite_add_tcase(s, tc);
	return s;
}
