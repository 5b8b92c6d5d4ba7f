// SPDX-License-Identifier: GPL-2.0
/*
 * Policy tests: the registry and parameter parser, the run queue, and the
 * documented behaviour of every policy, pinned through the policy API
 * alone, either call by call or with the toy host (test_policy_host.c)
 * that drives the hooks as the real hosts do. Each test names the
 * behaviour it pins; each could fail if that behaviour broke.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "policy/policy.h"
#include "policy/rq.h"
#include "tests/suites.h"
#include "tests/test_policy_host.h"

#define MS	1000000ull
#define US	1000ull

static const char *const all_policies[] = { "fifo", "vruntime", "eevdf", "lowlat" };
#define NR_POLICIES (sizeof(all_policies) / sizeof(all_policies[0]))

/* ------------------------------------------------------ direct driving */

struct inst {
	const struct policy_ops *ops;
	struct policy_conf conf;
	void *st;
	uint64_t idle[POLICY_MASK_WORDS];
	uint32_t nr_cpus;
	uint64_t now;
};

static void inst_init(struct inst *in, const char *name, uint32_t nr_cpus,
		      uint32_t max_tasks, const char *const *params)
{
	memset(in, 0, sizeof(*in));
	in->ops = policy_find(name);
	ck_assert_ptr_nonnull(in->ops);
	in->nr_cpus = nr_cpus;
	policy_conf_defaults(&in->conf, in->ops, nr_cpus, max_tasks);
	for (; params && *params; params++)
		ck_assert_int_eq(policy_conf_set(&in->conf, in->ops, *params, NULL),
				 POLICY_OK);
	in->st = calloc(1, in->ops->state_size(&in->conf));
	ck_assert_ptr_nonnull(in->st);
	ck_assert_int_eq(in->ops->init(in->st, &in->conf), 0);
	for (uint32_t c = 0; c < nr_cpus; c++)
		in->idle[c / 64] |= 1ull << (c % 64);
}

static struct policy_env inst_env(struct inst *in)
{
	struct policy_env env = { in->now, in->nr_cpus, in->idle };

	return env;
}

static void set_busy(struct inst *in, int32_t c, bool busy)
{
	if (busy)
		in->idle[c / 64] &= ~(1ull << (c % 64));
	else
		in->idle[c / 64] |= 1ull << (c % 64);
}

static struct policy_task mk_task(uint32_t id, uint32_t weight, uint32_t nr_cpus)
{
	struct policy_task t;

	memset(&t, 0, sizeof(t));
	t.id = id;
	t.pid = 1000 + (int32_t)id;
	t.tgid = t.pid;
	t.weight = weight ? weight : POLICY_NICE_0_WEIGHT;
	t.prev_cpu = -1;
	t.nr_cpus_allowed = nr_cpus;
	for (uint32_t c = 0; c < nr_cpus; c++)
		t.cpus_allowed[c / 64] |= 1ull << (c % 64);
	return t;
}

static int32_t enq(struct inst *in, struct policy_task *t, uint32_t flags)
{
	struct policy_env env = inst_env(in);

	t->flags = flags;
	return in->ops->enqueue(in->st, &env, t);
}

static int32_t wake(struct inst *in, struct policy_task *t)
{
	struct policy_env env = inst_env(in);

	in->ops->select_cpu(in->st, &env, t, t->prev_cpu);
	return enq(in, t, POLICY_ENQ_WAKEUP);
}

static bool disp(struct inst *in, int32_t cpu, struct policy_dispatch *out)
{
	struct policy_env env = inst_env(in);

	return in->ops->dispatch(in->st, &env, cpu, out);
}

static void run(struct inst *in, struct policy_task *t, int32_t cpu)
{
	struct policy_env env = inst_env(in);

	set_busy(in, cpu, true);
	t->prev_cpu = cpu;
	in->ops->running(in->st, &env, t, cpu);
}

static void stop(struct inst *in, struct policy_task *t, int32_t cpu,
		 uint64_t ran, bool runnable)
{
	struct policy_env env;

	in->now += ran;
	env = inst_env(in);
	set_busy(in, cpu, false);
	in->ops->stopping(in->st, &env, t, cpu, ran, runnable);
}

/* t ran `ran` on cpu until its slice expired, and is queued again. */
static void expire(struct inst *in, struct policy_task *t, int32_t cpu,
		   uint64_t ran)
{
	stop(in, t, cpu, ran, true);
	enq(in, t, POLICY_ENQ_EXPIRED);
}

/* Dispatch on cpu and run what came out; returns its id or -1. */
static int64_t take(struct inst *in, int32_t cpu, struct policy_task *tasks,
		    struct policy_dispatch *outp)
{
	struct policy_dispatch out;

	if (!disp(in, cpu, &out))
		return -1;
	run(in, &tasks[out.id], cpu);
	if (outp)
		*outp = out;
	return out.id;
}

/* --------------------------------------------------------- registry */

START_TEST(test_registry_lists_policies)
{
	size_t n = 0;

	for (size_t i = 0; i < NR_POLICIES; i++) {
		const struct policy_ops *ops = policy_find(all_policies[i]);

		ck_assert_msg(ops, "%s missing", all_policies[i]);
		ck_assert_str_eq(ops->name, all_policies[i]);
	}
	while (policy_registry[n])
		n++;
	ck_assert_uint_eq(n, NR_POLICIES);
	ck_assert_ptr_null(policy_find("cfs"));
	ck_assert_ptr_null(policy_find(""));
	ck_assert_ptr_null(policy_find(NULL));
}
END_TEST

START_TEST(test_registry_documented)
{
	for (size_t i = 0; policy_registry[i]; i++) {
		const struct policy_ops *ops = policy_registry[i];
		struct policy_conf conf;

		ck_assert_msg(ops->desc && strlen(ops->desc) > 10, "%s desc", ops->name);
		ck_assert_uint_ge(ops->nr_params, 1);
		ck_assert_uint_le(ops->nr_params, POLICY_MAX_PARAMS);
		for (uint32_t p = 0; p < ops->nr_params; p++) {
			const struct policy_param *prm = &ops->params[p];

			ck_assert_msg(prm->name && *prm->name, "%s param %u", ops->name, p);
			ck_assert_msg(prm->desc && strlen(prm->desc) > 10,
				      "%s.%s desc", ops->name, prm->name);
			ck_assert_msg(prm->unit, "%s.%s unit", ops->name, prm->name);
			ck_assert_msg(prm->min <= prm->def && prm->def <= prm->max,
				      "%s.%s default out of range", ops->name, prm->name);
			for (uint32_t q = 0; q < p; q++)
				ck_assert_str_ne(prm->name, ops->params[q].name);
		}
		ck_assert(ops->state_size && ops->init && ops->select_cpu &&
			  ops->enqueue && ops->dispatch && ops->running &&
			  ops->stopping && ops->exit_task);
		policy_conf_defaults(&conf, ops, 4, 100);
		ck_assert_uint_eq(conf.nr_cpus, 4);
		ck_assert_uint_eq(conf.max_tasks, 100);
		for (uint32_t p = 0; p < ops->nr_params; p++)
			ck_assert_int_eq(conf.param[p], ops->params[p].def);
	}
}
END_TEST

START_TEST(test_conf_set_units)
{
	const struct policy_ops *ops = policy_find("fifo");
	const struct policy_param *bad = NULL;
	struct policy_conf conf;

	policy_conf_defaults(&conf, ops, 2, 10);
	ck_assert_int_eq(policy_conf_set(&conf, ops, "slice=3ms", &bad), POLICY_OK);
	ck_assert_int_eq(conf.param[0], 3000000);
	ck_assert_ptr_eq(bad, &ops->params[0]);
	ck_assert_int_eq(policy_conf_set(&conf, ops, "slice=250us", NULL), POLICY_OK);
	ck_assert_int_eq(conf.param[0], 250000);
	ck_assert_int_eq(policy_conf_set(&conf, ops, "slice=1s", NULL), POLICY_OK);
	ck_assert_int_eq(conf.param[0], 1000000000);
	ck_assert_int_eq(policy_conf_set(&conf, ops, "slice=123456ns", NULL), POLICY_OK);
	ck_assert_int_eq(conf.param[0], 123456);
	ck_assert_int_eq(policy_conf_set(&conf, ops, "slice=777777", NULL), POLICY_OK);
	ck_assert_int_eq(conf.param[0], 777777);
}
END_TEST

START_TEST(test_conf_set_errors)
{
	const struct policy_ops *fifo = policy_find("fifo");
	const struct policy_ops *ll = policy_find("lowlat");
	const struct policy_param *bad = NULL;
	struct policy_conf conf;

	policy_conf_defaults(&conf, fifo, 2, 10);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "quantum=5ms", &bad), POLICY_E_KEY);
	ck_assert_ptr_null(bad);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slicex=5ms", NULL), POLICY_E_KEY);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=abc", &bad), POLICY_E_VALUE);
	ck_assert_ptr_eq(bad, &fifo->params[0]);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=", NULL), POLICY_E_VALUE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=5xs", NULL), POLICY_E_VALUE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=5 ms", NULL), POLICY_E_VALUE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=1", NULL), POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=-5ms", NULL), POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=2s", NULL), POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=99999999999999999999",
					 NULL), POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice=9999999999s", NULL),
			 POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "slice", NULL), POLICY_E_SYNTAX);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "=5ms", NULL), POLICY_E_SYNTAX);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, "", NULL), POLICY_E_SYNTAX);
	ck_assert_int_eq(policy_conf_set(&conf, fifo, NULL, NULL), POLICY_E_SYNTAX);
	/* A unit only makes sense on a parameter measured in ns. */
	policy_conf_defaults(&conf, ll, 2, 10);
	ck_assert_int_eq(policy_conf_set(&conf, ll, "boost=5ms", NULL), POLICY_E_VALUE);
	ck_assert_int_eq(policy_conf_set(&conf, ll, "boost=101", NULL), POLICY_E_RANGE);
	ck_assert_int_eq(policy_conf_set(&conf, ll, "boost=75", NULL), POLICY_OK);
	/* A failed set leaves the value alone. */
	policy_conf_defaults(&conf, fifo, 2, 10);
	policy_conf_set(&conf, fifo, "slice=1", NULL);
	ck_assert_int_eq(conf.param[0], fifo->params[0].def);
}
END_TEST

START_TEST(test_strerror_distinct)
{
	int codes[] = { POLICY_OK, POLICY_E_UNKNOWN, POLICY_E_KEY, POLICY_E_VALUE,
			POLICY_E_RANGE, POLICY_E_SYNTAX, POLICY_E_CONF };
	size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(policy_strerror(codes[i]));
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(policy_strerror(codes[i]),
					 policy_strerror(codes[j]));
	}
	ck_assert_ptr_nonnull(policy_strerror(-99));
}
END_TEST

START_TEST(test_nice_to_weight)
{
	ck_assert_uint_eq(policy_nice_to_weight(0), 1024);
	ck_assert_uint_eq(policy_nice_to_weight(-20), 88761);
	ck_assert_uint_eq(policy_nice_to_weight(19), 15);
	ck_assert_uint_eq(policy_nice_to_weight(1), 820);
	ck_assert_uint_eq(policy_nice_to_weight(-1), 1277);
	ck_assert_uint_eq(policy_nice_to_weight(3), 526);
	ck_assert_uint_eq(policy_nice_to_weight(50), 15);
	ck_assert_uint_eq(policy_nice_to_weight(-99), 88761);
	/* Each step is about 1.25x, the kernel's 10% CPU per nice level. */
	for (int n = -20; n < 19; n++) {
		double r = (double)policy_nice_to_weight(n) / policy_nice_to_weight(n + 1);

		ck_assert_msg(r > 1.19 && r < 1.3, "nice %d ratio %f", n, r);
	}
}
END_TEST

START_TEST(test_init_rejects_bad_conf)
{
	for (size_t i = 0; policy_registry[i]; i++) {
		const struct policy_ops *ops = policy_registry[i];
		struct policy_conf conf;
		void *st;

		policy_conf_defaults(&conf, ops, 0, 10);
		st = calloc(1, ops->state_size(&conf));
		ck_assert_int_eq(ops->init(st, &conf), POLICY_E_CONF);
		free(st);
		policy_conf_defaults(&conf, ops, POLICY_MAX_CPUS + 1, 10);
		st = calloc(1, ops->state_size(&conf));
		ck_assert_int_eq(ops->init(st, &conf), POLICY_E_CONF);
		free(st);
		policy_conf_defaults(&conf, ops, 2, 0);
		st = calloc(1, ops->state_size(&conf));
		ck_assert_int_eq(ops->init(st, &conf), POLICY_E_CONF);
		free(st);
	}
}
END_TEST

/* ---------------------------------------------------------- run queue */

START_TEST(test_rq_matches_reference)
{
	enum { N = 500 };
	struct rq_node nodes[N];
	uint64_t key[N];
	bool in[N] = { false };
	struct rq q;
	uint64_t seed = 12345, seq = 0;
	uint32_t nr = 0;

	rq_init(&q);
	rq_nodes_init(nodes, N);
	for (int step = 0; step < 200000; step++) {
		uint32_t id, op;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		id = (uint32_t)(seed >> 33) % N;
		op = (uint32_t)(seed >> 20) % 3;
		if (op == 0 && !in[id]) {
			key[id] = (seed >> 40) % 50;	/* many equal keys */
			rq_insert(&q, nodes, id, key[id], seq++);
			in[id] = true;
			nr++;
		} else if (op == 1 && in[id]) {
			rq_remove(&q, nodes, id);
			in[id] = false;
			nr--;
		} else if (op == 2) {
			uint32_t best = RQ_NIL, got;

			for (uint32_t i = 0; i < N; i++)
				if (in[i] && (best == RQ_NIL || key[i] < key[best] ||
					      (key[i] == key[best] &&
					       nodes[i].seq < nodes[best].seq)))
					best = i;
			got = rq_pop(&q, nodes);
			ck_assert_uint_eq(got, best);
			if (got != RQ_NIL) {
				in[got] = false;
				nr--;
			}
		}
		ck_assert_uint_eq(q.nr, nr);
		ck_assert(rq_node_queued(nodes, id) == in[id]);
	}
}
END_TEST

/* -------------------------------------------------------------- fifo */

START_TEST(test_fifo_keeps_order)
{
	struct policy_task t[6];
	uint32_t order[] = { 3, 1, 4, 0, 5, 2 };
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "fifo", 1, 6, NULL);
	for (uint32_t i = 0; i < 6; i++)
		t[i] = mk_task(i, 0, 1);
	set_busy(&in, 0, true);
	for (uint32_t i = 0; i < 6; i++)
		enq(&in, &t[order[i]], POLICY_ENQ_NEW);
	set_busy(&in, 0, false);
	for (uint32_t i = 0; i < 6; i++) {
		ck_assert(disp(&in, 0, &out));
		ck_assert_uint_eq(out.id, order[i]);
		ck_assert_uint_eq(out.slice_ns, 5 * MS);
		run(&in, &t[out.id], 0);
		stop(&in, &t[out.id], 0, 5 * MS, true);
		/* An expired task goes to the back. */
		enq(&in, &t[out.id], POLICY_ENQ_EXPIRED);
	}
	for (uint32_t i = 0; i < 6; i++) {
		ck_assert(disp(&in, 0, &out));
		ck_assert_uint_eq(out.id, order[i]);
	}
	ck_assert(!disp(&in, 0, &out));
	free(in.st);
}
END_TEST

START_TEST(test_fifo_slice_param)
{
	const char *const params[] = { "slice=700us", NULL };
	struct policy_task t = mk_task(0, 0, 2);
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "fifo", 2, 4, params);
	enq(&in, &t, POLICY_ENQ_NEW);
	ck_assert(disp(&in, 1, &out));
	ck_assert_uint_eq(out.slice_ns, 700 * US);
	free(in.st);
}
END_TEST

/* ---------------------------------------------------------- vruntime */

START_TEST(test_vruntime_weighted_share)
{
	struct toy *h = calloc(1, sizeof(*h));
	double ratio;

	toy_init(h, "vruntime", 1, NULL);
	toy_add(h, 0, 0, 0, 1024, 0);
	toy_add(h, 0, 0, 0, 512, 0);
	toy_run(h, 20000 * MS);
	ratio = (double)h->task[0].total_run / (double)h->task[1].total_run;
	ck_assert_msg(ratio > 2.0 * 0.95 && ratio < 2.0 * 1.05, "ratio %f", ratio);
	ck_assert_uint_eq(h->violations, 0);
	toy_free(h);
	free(h);
}
END_TEST

START_TEST(test_vruntime_sleeper_credit_clamped)
{
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "vruntime", 1, 2, NULL);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	/* Task 1 sleeps at once; task 0 runs 50 slices alone. */
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	expire(&in, &t[0], 0, 20 * MS);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	stop(&in, &t[1], 0, 1 * MS, false);
	for (int i = 0; i < 50; i++) {
		ck_assert_int_eq(take(&in, 0, t, &out), 0);
		expire(&in, &t[0], 0, 20 * MS);
	}
	/*
	 * The sleeper wakes with exactly one slice of credit: vtime_now is
	 * the hog's vtime at its last start (50 slices), the sleeper's own
	 * vtime (1 ms) is pulled up to one slice behind it.
	 */
	wake(&in, &t[1]);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	ck_assert_uint_eq(out.vtime, 49 * 20 * MS);
	/*
	 * The hog's vtime is a slice past vtime_now (its last run), so after
	 * two slices of its own the sleeper has spent all credit and yields.
	 */
	expire(&in, &t[1], 0, 20 * MS);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	expire(&in, &t[1], 0, 20 * MS + 1);
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	free(in.st);
}
END_TEST

/* ------------------------------------------------- every policy, toy */

/* The starvation bound each header states, for n tasks on c CPUs. */
static uint64_t stated_bound(const char *p, uint32_t n, uint32_t c)
{
	uint64_t per_cpu = (n + c - 1) / c;

	if (!strcmp(p, "fifo"))
		return per_cpu * 5 * MS;
	if (!strcmp(p, "vruntime"))
		return 2 * per_cpu * 20 * MS;
	if (!strcmp(p, "eevdf"))
		return (uint64_t)n * 4 * MS;
	return per_cpu * (5 + 20 + 2 * 20) * MS;	/* lowlat */
}

START_TEST(test_no_starvation)
{
	const char *p = all_policies[_i];
	struct toy *h = calloc(1, sizeof(*h));
	uint32_t n = 0;

	toy_init(h, p, 2, NULL);
	for (int i = 0; i < 8; i++, n++)
		toy_add(h, 0, 0, (uint64_t)i * 100 * US, 0, 0);
	toy_add(h, 300 * US, 2 * MS, 50 * US, 0, 0);	n++;
	toy_add(h, 5 * MS, 30 * MS, 70 * US, 0, 0);	n++;
	toy_run(h, 3000 * MS);
	for (uint32_t i = 0; i < h->nr_tasks; i++) {
		struct toy_task *t = &h->task[i];
		uint64_t w = t->max_wait;

		if (t->state == TOY_QUEUED && h->now - t->runnable_since > w)
			w = h->now - t->runnable_since;
		ck_assert_msg(t->nr_runs > 0, "%s: task %u never ran", p, i);
		ck_assert_msg(w <= stated_bound(p, n, 2),
			      "%s: task %u waited %llu ns > bound %llu", p, i,
			      (unsigned long long)w,
			      (unsigned long long)stated_bound(p, n, 2));
	}
	ck_assert_uint_eq(h->violations, 0);
	toy_free(h);
	free(h);
}
END_TEST

static void run_mixed(struct toy *h, const char *p)
{
	toy_init(h, p, 3, NULL);
	toy_add(h, 0, 0, 0, 0, 0);
	toy_add(h, 0, 0, 10 * US, 335, 0);		/* nice 5 hog */
	toy_add(h, 0, 0, 20 * US, 0, 0x4);		/* hog pinned to CPU 2 */
	toy_add(h, 200 * US, 1 * MS, 30 * US, 0, 0);
	toy_add(h, 2 * MS, 7 * MS, 40 * US, 3121, 0x3);	/* nice -5, CPUs 0-1 */
	toy_add(h, 50 * US, 16 * MS, 50 * US, 0, 0x1);	/* pinned to CPU 0 */
	toy_add(h, 8 * MS, 3 * MS, 60 * US, 0, 0);
	toy_run(h, 500 * MS);
}

START_TEST(test_deterministic)
{
	const char *p = all_policies[_i];
	struct toy *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));

	run_mixed(a, p);
	run_mixed(b, p);
	ck_assert_uint_gt(a->nr_log, 1000);
	ck_assert_uint_eq(a->nr_log, b->nr_log);
	ck_assert_msg(!memcmp(a->log, b->log, a->nr_log * sizeof(a->log[0])),
		      "%s: two identical runs decided differently", p);
	toy_free(a);
	toy_free(b);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_affinity_respected)
{
	const char *p = all_policies[_i];
	struct toy *h = calloc(1, sizeof(*h));

	run_mixed(h, p);
	/* The toy host counts any dispatch onto a CPU a task may not use. */
	ck_assert_uint_eq(h->violations, 0);
	for (uint32_t i = 0; i < h->nr_tasks; i++)
		ck_assert_msg(h->task[i].nr_runs > 0, "%s: task %u never ran", p, i);
	ck_assert_uint_gt(h->task[2].total_run, 100 * MS);
	toy_free(h);
	free(h);
}
END_TEST

START_TEST(test_select_cpu_rules)
{
	const char *p = all_policies[_i];
	struct policy_task t = mk_task(0, 0, 4);
	struct policy_env env;
	struct inst in;

	inst_init(&in, p, 4, 4, NULL);
	env = inst_env(&in);
	/* prev idle: prev. */
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 2), 2);
	/* prev busy, another idle: an idle one. */
	set_busy(&in, 2, true);
	env = inst_env(&in);
	ck_assert(policy_cpu_test(in.idle, in.ops->select_cpu(in.st, &env, &t, 2)));
	/* Nothing idle: prev. */
	for (int c = 0; c < 4; c++)
		set_busy(&in, c, true);
	env = inst_env(&in);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 2), 2);
	/* prev not allowed: an allowed CPU, idle first. */
	t.cpus_allowed[0] = 0x9;	/* CPUs 0 and 3 */
	t.nr_cpus_allowed = 2;
	set_busy(&in, 3, false);
	env = inst_env(&in);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 2), 3);
	set_busy(&in, 3, true);
	env = inst_env(&in);
	ck_assert(policy_cpu_test(t.cpus_allowed,
				  in.ops->select_cpu(in.st, &env, &t, 2)));
	free(in.st);
}
END_TEST

/* Idle search across 64-bit words wraps round from prev. */
START_TEST(test_select_cpu_many_cpus)
{
	struct policy_task t = mk_task(0, 0, 130);
	struct policy_env env;
	struct inst in;

	inst_init(&in, "lowlat", 130, 1, NULL);
	for (int c = 0; c < 130; c++)
		set_busy(&in, c, c != 5 && c != 120);
	env = inst_env(&in);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 100), 120);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 121), 5);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 5), 5);
	t.cpus_allowed[1] = 0;		/* CPUs 64..127 not allowed */
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 100), 5);
	set_busy(&in, 5, true);
	env = inst_env(&in);
	ck_assert_int_eq(in.ops->select_cpu(in.st, &env, &t, 129), 129);
	free(in.st);
}
END_TEST

START_TEST(test_exit_drops_queued)
{
	const char *p = all_policies[_i];
	struct policy_task t[3] = { mk_task(0, 0, 1), mk_task(1, 0, 1),
				    mk_task(2, 0, 1) };
	struct policy_dispatch out;
	struct policy_env env;
	struct inst in;
	bool seen[3] = { false };

	inst_init(&in, p, 1, 3, NULL);
	set_busy(&in, 0, true);
	for (int i = 0; i < 3; i++)
		enq(&in, &t[i], POLICY_ENQ_NEW);
	set_busy(&in, 0, false);
	env = inst_env(&in);
	in.ops->exit_task(in.st, &env, &t[1]);
	for (int i = 0; i < 2; i++) {
		ck_assert(disp(&in, 0, &out));
		ck_assert_uint_ne(out.id, 1);
		ck_assert(!seen[out.id]);
		seen[out.id] = true;
	}
	ck_assert(!disp(&in, 0, &out));
	/* The slot can be reused by a new task. */
	t[1].pid = 4242;
	enq(&in, &t[1], POLICY_ENQ_NEW);
	ck_assert(disp(&in, 0, &out));
	ck_assert_uint_eq(out.id, 1);
	free(in.st);
}
END_TEST

START_TEST(test_exit_while_running)
{
	const char *p = all_policies[_i];
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct policy_dispatch out;
	struct policy_env env;
	struct inst in;

	inst_init(&in, p, 1, 2, NULL);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	ck_assert_int_ge(take(&in, 0, t, &out), 0);
	env = inst_env(&in);
	in.ops->exit_task(in.st, &env, &t[out.id]);
	set_busy(&in, 0, false);
	ck_assert(disp(&in, 0, &out));
	ck_assert(!disp(&in, 0, &out));
	free(in.st);
}
END_TEST

START_TEST(test_dispatch_any)
{
	const char *p = all_policies[_i];
	struct policy_task t[4];
	struct policy_dispatch out;
	struct inst in;
	int got = 0;

	inst_init(&in, p, 2, 4, NULL);
	for (int i = 0; i < 4; i++)
		t[i] = mk_task((uint32_t)i, 0, 2);
	t[3].cpus_allowed[0] = 0x2;
	t[3].nr_cpus_allowed = 1;
	set_busy(&in, 0, true);
	set_busy(&in, 1, true);
	for (int i = 0; i < 4; i++)
		enq(&in, &t[i], POLICY_ENQ_NEW | (i == 3 ? POLICY_ENQ_PERCPU : 0));
	while (disp(&in, POLICY_CPU_ANY, &out)) {
		ck_assert_uint_lt(out.id, 4);
		ck_assert(out.cpu == POLICY_CPU_ANY ||
			  policy_cpu_test(t[out.id].cpus_allowed, out.cpu));
		if (out.id == 3)
			ck_assert_int_eq(out.cpu, 1);
		got++;
	}
	ck_assert_int_eq(got, 4);
	free(in.st);
}
END_TEST

/*
 * Random workloads (bursts, sleeps, weights, affinities, exits) under every
 * policy: the host contract holds and every task that lives long enough
 * runs. Liveness is checked with weights within nice -5..5 only: a nice 17
 * task beside nice -20 hogs rightly waits seconds under weighted fairness.
 */
START_TEST(test_random_workloads)
{
	const char *p = all_policies[_i];
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	for (int round = 0; round < 30; round++) {
		struct toy *h = calloc(1, sizeof(*h));
		uint32_t cpus = 1 + (uint32_t)(round % 4) * 2;
		bool wide = round >= 20;	/* contract only */

		toy_init(h, p, cpus, NULL);
		for (int i = 0; i < 24; i++) {
			uint64_t r[6], allowed = 0;
			uint32_t id;

			for (int k = 0; k < 6; k++) {
				seed = seed * 6364136223846793005ull + 1442695040888963407ull;
				r[k] = seed >> 33;
			}
			if (r[3] % 3 == 0)
				allowed = (1ull << (r[3] % cpus)) |
					  (1ull << ((r[3] >> 8) % cpus));
			id = toy_add(h, r[0] % 4 ? r[0] % (8 * MS) + 1 : 0,
				     r[1] % (20 * MS), r[2] % (50 * MS),
				     policy_nice_to_weight(wide ? (int)(r[4] % 40) - 20 :
							   (int)(r[4] % 11) - 5),
				     allowed);
			if (r[5] % 4 == 0)
				h->task[id].exit_at = h->task[id].start + 1 +
						      r[5] % (300 * MS);
		}
		toy_run(h, 1500 * MS);
		ck_assert_msg(h->violations == 0, "%s round %d: %u violations", p,
			      round, h->violations);
		for (uint32_t i = 0; i < h->nr_tasks; i++) {
			struct toy_task *t = &h->task[i];

			if (wide || (t->exit_at && t->exit_at < 1000 * MS))
				continue;
			ck_assert_msg(t->nr_runs > 0, "%s round %d: task %u never ran",
				      p, round, i);
		}
		toy_free(h);
		free(h);
	}
}
END_TEST

/* ------------------------------------------------------------ lowlat */

START_TEST(test_lowlat_short_burst_first)
{
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "lowlat", 1, 2, NULL);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	/* 1 sleeps after a short burst; 0 is a hog that keeps running. */
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	expire(&in, &t[0], 0, out.slice_ns);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	stop(&in, &t[1], 0, 100 * US, false);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(take(&in, 0, t, &out), 0);
		expire(&in, &t[0], 0, out.slice_ns);
	}
	/* The hog's slice ends as the short task wakes: short goes first. */
	wake(&in, &t[1]);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	ck_assert_int_eq(disp(&in, 0, &out), true);
	ck_assert_uint_eq(out.id, 0);
	free(in.st);
}
END_TEST

/* Make task 1 interactive on 1 CPU next to hog 0; 0 left running. */
static void lowlat_interactive_setup(struct inst *in, struct policy_task *t,
				     const char *const *params)
{
	struct policy_dispatch out;
	int32_t k;

	inst_init(in, "lowlat", 1, 2, params);
	enq(in, &t[0], POLICY_ENQ_NEW);
	enq(in, &t[1], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(in, 0, t, &out), 0);
	expire(in, &t[0], 0, 1 * MS);
	for (int i = 0; i < 6; i++) {
		/* 1 runs 100 us, sleeps; the hog runs 5 ms; 1 wakes. */
		while (take(in, 0, t, &out) != 1)
			expire(in, &t[0], 0, 1 * MS);
		stop(in, &t[1], 0, 100 * US, false);
		ck_assert_int_eq(take(in, 0, t, &out), 0);
		in->now += 5 * MS;
		k = wake(in, &t[1]);
		stop(in, &t[0], 0, 0, true);
		enq(in, &t[0], k == 0 ? POLICY_ENQ_PREEMPTED : POLICY_ENQ_EXPIRED);
	}
	while (take(in, 0, t, &out) != 1)
		expire(in, &t[0], 0, 1 * MS);
	stop(in, &t[1], 0, 100 * US, false);
	ck_assert_int_eq(take(in, 0, t, &out), 0);
	in->now += 5 * MS;
}

START_TEST(test_lowlat_interactive_preempts_hog)
{
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct inst in;

	lowlat_interactive_setup(&in, t, NULL);
	ck_assert_int_eq(wake(&in, &t[1]), 0);
	free(in.st);
}
END_TEST

START_TEST(test_lowlat_preempt_off)
{
	const char *const params[] = { "preempt=0", NULL };
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct inst in;

	lowlat_interactive_setup(&in, t, params);
	ck_assert_int_eq(wake(&in, &t[1]), POLICY_NO_KICK);
	free(in.st);
}
END_TEST

START_TEST(test_lowlat_new_task_does_not_preempt)
{
	struct policy_task t[2] = { mk_task(0, 0, 1), mk_task(1, 0, 1) };
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "lowlat", 1, 2, NULL);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	in.now += 10 * MS;
	/* A task with no history is not interactive yet. */
	ck_assert_int_eq(wake(&in, &t[1]), POLICY_NO_KICK);
	free(in.st);
}
END_TEST

START_TEST(test_lowlat_slice_shrinks)
{
	const char *const max20[] = { "slice_max=20ms", NULL };
	struct policy_task t[9];
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "lowlat", 1, 9, max20);
	t[0] = mk_task(0, 0, 1);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert(disp(&in, 0, &out));
	ck_assert_uint_eq(out.slice_ns, 20 * MS);	/* nobody waits */
	for (uint32_t i = 0; i < 9; i++) {
		t[i] = mk_task(i, 0, 1);
		enq(&in, &t[i], POLICY_ENQ_NEW);
	}
	ck_assert(disp(&in, 0, &out));
	ck_assert_uint_eq(out.slice_ns, 20 * MS / 9);	/* 8 wait on 1 CPU */
	free(in.st);
	{
		const char *const params[] = { "slice_max=20ms", "slice_min=4ms",
					       NULL };

		inst_init(&in, "lowlat", 1, 9, params);
		for (uint32_t i = 0; i < 9; i++)
			enq(&in, &t[i], POLICY_ENQ_NEW);
		ck_assert(disp(&in, 0, &out));
		ck_assert_uint_eq(out.slice_ns, 4 * MS);
		free(in.st);
	}
}
END_TEST

/* Under hogs, lowlat serves a short periodic task far sooner than fifo. */
static uint64_t short_task_wait(const char *p)
{
	struct toy *h = calloc(1, sizeof(*h));
	uint64_t w;

	toy_init(h, p, 2, NULL);
	for (int i = 0; i < 6; i++)
		toy_add(h, 0, 0, (uint64_t)i * US, 0, 0);
	toy_add(h, 200 * US, 4 * MS, 100 * US, 0, 0);
	h->measure_from = 100 * MS;	/* past lowlat's learning phase */
	toy_run(h, 2000 * MS);
	ck_assert_uint_eq(h->violations, 0);
	ck_assert_uint_gt(h->task[6].nr_runs, 90);
	w = h->task[6].max_wait;
	toy_free(h);
	free(h);
	return w;
}

START_TEST(test_lowlat_beats_fifo_for_short_task)
{
	uint64_t ll = short_task_wait("lowlat"), fifo = short_task_wait("fifo");

	ck_assert_msg(ll * 4 < fifo, "lowlat max wait %llu vs fifo %llu",
		      (unsigned long long)ll, (unsigned long long)fifo);
	ck_assert_uint_le(ll, 1 * MS);
}
END_TEST

/* ------------------------------------------------------------- eevdf */

/*
 * Nice-0 task 0 runs 0.5 ms into its first full slice on CPU 0; task 1 of
 * `weight` is new, then sleeps at once, so it wakes with lag ~0. With
 * `fresh`, task 2 (nice 0) ran between task 0's first slice and this one,
 * so task 0 took the CPU from another task; else it was picked again
 * right after its own first slice.
 */
static int32_t eevdf_wake_runner(uint32_t weight, const char *const *params,
				 uint64_t into, bool fresh)
{
	struct policy_task t[3] = { mk_task(0, 0, 1), mk_task(1, weight, 1),
				    mk_task(2, 0, 1) };
	struct policy_dispatch out;
	struct inst in;
	int32_t k;

	inst_init(&in, "eevdf", 1, 3, params);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	stop(&in, &t[1], 0, 10 * US, false);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	stop(&in, &t[0], 0, out.slice_ns, true);	/* past its first deadline */
	enq(&in, &t[0], POLICY_ENQ_EXPIRED);
	if (fresh) {
		/* task 2 runs 10 us and sleeps; task 0 takes over from it */
		enq(&in, &t[2], POLICY_ENQ_NEW);
		ck_assert_int_eq(take(&in, 0, t, &out), 2);
		stop(&in, &t[2], 0, 10 * US, false);
	}
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	in.now += into;
	k = wake(&in, &t[1]);
	free(in.st);
	return k;
}

static int32_t eevdf_wake_against_runner(uint32_t weight, const char *const *params,
					 uint64_t into)
{
	return eevdf_wake_runner(weight, params, into, true);
}

START_TEST(test_eevdf_kicks_earlier_deadline)
{
	const char *const params[] = { "run_to_parity=0", "tick=0", NULL };

	/* nice -5: vslice 1.5 ms * 1024 / 3121 = 0.49 ms < 1 ms left. */
	ck_assert_int_eq(eevdf_wake_against_runner(3121, params, 500 * US), 0);
	/* nice 10: vslice 14 ms, deadline later than curr's: no kick. */
	ck_assert_int_eq(eevdf_wake_against_runner(110, params, 500 * US),
			 POLICY_NO_KICK);
	/* Equal weight, placed at V: its deadline is later than curr's. */
	ck_assert_int_eq(eevdf_wake_against_runner(1024, params, 500 * US),
			 POLICY_NO_KICK);
}
END_TEST

START_TEST(test_eevdf_run_to_parity)
{
	const char *const params[] = { "tick=0", NULL };
	const char *const buddy[] = { "tick=0", "next_buddy=1", NULL };

	/* curr, picked after another task, is protected until its deadline... */
	ck_assert_int_eq(eevdf_wake_against_runner(3121, params, 500 * US),
			 POLICY_NO_KICK);
	/*
	 * ...but not when picked again right after its own slice: the kernel
	 * sets the protection only when another task gave up the CPU
	 * (set_next_entity()), so the earlier deadline preempts at once.
	 */
	ck_assert_int_eq(eevdf_wake_runner(3121, params, 500 * US, false), 0);
	/* ...and fair game once past it (before the tick ends its slice). */
	ck_assert_int_eq(eevdf_wake_against_runner(1024, params, 2 * MS), 0);
	/* Past its deadline curr is rescheduled whoever wakes. */
	ck_assert_int_eq(eevdf_wake_against_runner(110, params, 2 * MS), 0);
	/* 6.19+: any eligible wakee preempts. */
	ck_assert_int_eq(eevdf_wake_against_runner(110, buddy, 500 * US), 0);
}
END_TEST

/*
 * sched_autogroup: nice -5 task 1 wakes against nice-0 task 0 on CPU 0,
 * 0.5 ms into its slice, while task 2 (nice -5, CPU 1 only) runs; tasks 1
 * and 2 in session `group` (0: the root group).
 */
static int32_t eevdf_group_wake(uint32_t group)
{
	const char *const params[] = { "run_to_parity=0", "tick=0", NULL };
	struct policy_task t[3] = { mk_task(0, 0, 1), mk_task(1, 3121, 1),
				    mk_task(2, 3121, 2) };
	struct policy_dispatch out;
	struct inst in;
	int32_t k;

	t[2].cpus_allowed[0] = 2;
	t[2].nr_cpus_allowed = 1;
	t[1].autogroup = t[2].autogroup = group;
	inst_init(&in, "eevdf", 2, 3, params);
	enq(&in, &t[2], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 1, t, &out), 2);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, &out), 1);
	stop(&in, &t[1], 0, 10 * US, false);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	stop(&in, &t[0], 0, out.slice_ns, true);
	enq(&in, &t[0], POLICY_ENQ_EXPIRED);
	ck_assert_int_eq(take(&in, 0, t, &out), 0);
	in.now += 500 * US;
	k = wake(&in, &t[1]);
	free(in.st);
	return k;
}

START_TEST(test_eevdf_autogroup)
{
	/* Alone in the root group it weighs 3121: vslice 0.49 ms, it kicks. */
	ck_assert_int_eq(eevdf_group_wake(0), 0);
	/*
	 * Sharing a session with the running task 2 it weighs 1024 * 3121 /
	 * 6242 = 512: vslice 3 ms, a deadline past curr's: no kick.
	 */
	ck_assert_int_eq(eevdf_group_wake(1), POLICY_NO_KICK);
}
END_TEST

/* Task id allowed on CPU c only (of 2). */
static struct policy_task pinned_task(uint32_t id, int32_t c)
{
	struct policy_task t = mk_task(id, 0, 2);

	t.cpus_allowed[0] = 1ull << c;
	t.nr_cpus_allowed = 1;
	return t;
}

/*
 * wake_affine(): task 3 last ran on CPU 1 and is woken from CPU 0, where
 * its waker runs alone. With two tasks on CPU 1 the waking CPU carries
 * less (2048 * 100 < 2048 * 108): it goes there; with one (1024 * 108) it
 * stays on prev, as it does when the host cannot say where the wakeup ran
 * or wake_affine is off.
 */
static int32_t eevdf_affine_cpu(bool second, uint32_t flags,
				const char *const *params)
{
	struct policy_task t[4] = { pinned_task(0, 0), pinned_task(1, 1),
				    pinned_task(2, 1), mk_task(3, 0, 2) };
	struct policy_env env;
	struct inst in;
	int32_t cpu;

	inst_init(&in, "eevdf", 2, 4, params);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 0, t, NULL), 0);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	ck_assert_int_eq(take(&in, 1, t, NULL), 1);
	if (second)
		enq(&in, &t[2], POLICY_ENQ_NEW);
	t[3].prev_cpu = 1;
	t[3].flags = POLICY_ENQ_WAKEUP | flags;
	t[3].wake_cpu = 0;
	env = inst_env(&in);
	cpu = in.ops->select_cpu(in.st, &env, &t[3], 1);
	free(in.st);
	return cpu;
}

START_TEST(test_eevdf_wake_affine)
{
	const char *const off[] = { "wake_affine=0", NULL };

	ck_assert_int_eq(eevdf_affine_cpu(true, POLICY_ENQ_WAKE_CPU, NULL), 0);
	ck_assert_int_eq(eevdf_affine_cpu(false, POLICY_ENQ_WAKE_CPU, NULL), 1);
	ck_assert_int_eq(eevdf_affine_cpu(true, 0, NULL), 1);
	ck_assert_int_eq(eevdf_affine_cpu(true, POLICY_ENQ_WAKE_CPU, off), 1);
}
END_TEST

/*
 * 6.19+ (PICK_BUDDY): the wakee that preempted is the next buddy, so the
 * CPU runs it next although another queued task has an earlier deadline.
 */
START_TEST(test_eevdf_next_buddy_is_picked)
{
	const char *const params[] = { "tick=0", "next_buddy=1", NULL };
	struct policy_task t[3] = { mk_task(0, 0, 1), mk_task(1, 0, 1),
				    mk_task(2, 0, 1) };
	struct policy_env env;
	struct inst in;

	inst_init(&in, "eevdf", 1, 3, params);
	enq(&in, &t[1], POLICY_ENQ_NEW);		/* B runs, sleeps */
	ck_assert_int_eq(take(&in, 0, t, NULL), 1);
	stop(&in, &t[1], 0, 10 * US, false);
	enq(&in, &t[0], POLICY_ENQ_NEW);		/* A runs... */
	ck_assert_int_eq(take(&in, 0, t, NULL), 0);
	enq(&in, &t[2], POLICY_ENQ_NEW);		/* ...C waits: half a slice */
	in.now += 100 * US;
	env = inst_env(&in);
	in.ops->select_cpu(in.st, &env, &t[1], t[1].prev_cpu);
	/* a timer wakes B: a full slice, its deadline later than C's */
	ck_assert_int_eq(enq(&in, &t[1], POLICY_ENQ_WAKEUP |
			     POLICY_ENQ_IRQ_WAKE), 0);
	set_busy(&in, 0, false);			/* A ran 100 us until now */
	env = inst_env(&in);
	in.ops->stopping(in.st, &env, &t[0], 0, 100 * US, true);
	enq(&in, &t[0], POLICY_ENQ_PREEMPTED);
	ck_assert_int_eq(take(&in, 0, t, NULL), 1);
	free(in.st);
}
END_TEST

START_TEST(test_eevdf_base_slice)
{
	static const struct { uint32_t cpus; uint64_t slice; } cases[] = {
		{ 1, 750 * US }, { 2, 1500 * US }, { 4, 2250 * US },
		{ 8, 3000 * US }, { 64, 3000 * US },
	};
	const char *const params[] = { "tick=0", NULL };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct policy_task t = mk_task(0, 0, cases[i].cpus);
		struct policy_dispatch out;
		struct inst in;

		inst_init(&in, "eevdf", cases[i].cpus, 1, params);
		enq(&in, &t, POLICY_ENQ_NEW);
		ck_assert(disp(&in, 0, &out));
		/* A new task's first deadline is half a slice away. */
		ck_assert_uint_eq(out.slice_ns, cases[i].slice / 2);
		run(&in, &t, 0);
		expire(&in, &t, 0, out.slice_ns);
		ck_assert(disp(&in, 0, &out));
		ck_assert_uint_eq(out.slice_ns, cases[i].slice);
		free(in.st);
	}
}
END_TEST

START_TEST(test_eevdf_slice_ends_on_tick)
{
	struct policy_task t = mk_task(0, 0, 2);
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "eevdf", 2, 1, NULL);
	in.now = 10 * MS + 123 * US;
	enq(&in, &t, POLICY_ENQ_NEW);
	ck_assert(disp(&in, 0, &out));
	/* Deadline 0.75 ms away, the next 4 ms tick at 12 ms. */
	ck_assert_uint_eq(in.now + out.slice_ns, 12 * MS);
	free(in.st);
}
END_TEST

START_TEST(test_eevdf_weighted_share)
{
	const char *const params[] = { "tick=0", NULL };
	struct toy *h = calloc(1, sizeof(*h));
	double ratio;

	toy_init(h, "eevdf", 1, params);
	toy_add(h, 0, 0, 0, 1024, 0);
	toy_add(h, 0, 0, 0, 512, 0);
	toy_run(h, 5000 * MS);
	ratio = (double)h->task[0].total_run / (double)h->task[1].total_run;
	ck_assert_msg(ratio > 2.0 * 0.95 && ratio < 2.0 * 1.05, "ratio %f", ratio);
	toy_free(h);
	free(h);
}
END_TEST

START_TEST(test_eevdf_newidle_pull)
{
	struct policy_task t[4];
	struct policy_dispatch out;
	struct policy_env env;
	struct inst in;

	inst_init(&in, "eevdf", 2, 4, NULL);
	for (uint32_t i = 0; i < 4; i++)
		t[i] = mk_task(i, 0, 2);
	/* Pinned task 3 and two free ones queue on CPU 0, which is busy. */
	t[3].cpus_allowed[0] = 0x1;
	t[3].nr_cpus_allowed = 1;
	set_busy(&in, 0, true);
	set_busy(&in, 1, true);
	env = inst_env(&in);
	for (uint32_t i = 0; i < 3; i++) {
		in.ops->select_cpu(in.st, &env, &t[i], 0);
		t[i].prev_cpu = 0;
	}
	enq(&in, &t[3], POLICY_ENQ_NEW | POLICY_ENQ_PERCPU);
	enq(&in, &t[0], POLICY_ENQ_NEW);
	ck_assert(disp(&in, 0, &out));
	run(&in, &t[out.id], 0);
	enq(&in, &t[1], POLICY_ENQ_NEW);
	enq(&in, &t[2], POLICY_ENQ_NEW);
	/* CPU 1 goes idle with nothing queued: it pulls from CPU 0. */
	set_busy(&in, 1, false);
	ck_assert(disp(&in, 1, &out));
	ck_assert_int_eq(out.cpu, 1);
	ck_assert_uint_ne(out.id, 3);
	free(in.st);
	/* With newidle (and the periodic balance) off it stays idle. */
	{
		const char *const params[] = { "newidle=0", "balance_interval=0",
					       NULL };

		inst_init(&in, "eevdf", 2, 4, params);
		set_busy(&in, 0, true);
		set_busy(&in, 1, true);
		env = inst_env(&in);
		for (uint32_t i = 0; i < 3; i++)
			in.ops->select_cpu(in.st, &env, &t[i], 0);
		enq(&in, &t[0], POLICY_ENQ_NEW);
		enq(&in, &t[1], POLICY_ENQ_NEW);
		enq(&in, &t[2], POLICY_ENQ_NEW);
		set_busy(&in, 1, false);
		ck_assert(!disp(&in, 1, &out));
		free(in.st);
	}
}
END_TEST

/* CPU 0 runs one task and queues four, CPU 1 queues one. */
static bool eevdf_balance_case(const char *const *params)
{
	struct policy_task t[6];
	struct policy_dispatch out;
	struct policy_env env;
	struct inst in;
	bool second;

	inst_init(&in, "eevdf", 2, 6, params);
	for (uint32_t i = 0; i < 6; i++)
		t[i] = mk_task(i, 0, 2);
	set_busy(&in, 0, true);
	set_busy(&in, 1, true);
	env = inst_env(&in);
	for (uint32_t i = 0; i < 6; i++)
		in.ops->select_cpu(in.st, &env, &t[i], i == 5 ? 1 : 0);
	for (uint32_t i = 0; i < 6; i++)
		enq(&in, &t[i], POLICY_ENQ_NEW);
	set_busy(&in, 0, false);
	ck_assert_int_ge(take(&in, 0, t, &out), 0);
	set_busy(&in, 1, false);
	ck_assert_int_ge(take(&in, 1, t, &out), 0);
	stop(&in, &t[out.id], 1, 100 * US, false);
	second = disp(&in, 1, &out);
	free(in.st);
	return second;
}

START_TEST(test_eevdf_periodic_balance)
{
	const char *const on[] = { "newidle=0", NULL };
	const char *const off[] = { "newidle=0", "balance_interval=0", NULL };

	/* 5 tasks against 1: CPU 1 took one more to run next... */
	ck_assert(eevdf_balance_case(on));
	/* ...which without any balance it never gets. */
	ck_assert(!eevdf_balance_case(off));
}
END_TEST

/*
 * Task 2 waits behind two hogs, runs 10 us and sleeps while owed CPU time
 * (positive lag). Returns how many slices the hogs get before it runs
 * again once it wakes.
 */
static int eevdf_wake_deadline(const char *const *params)
{
	int ahead = 0;
	struct policy_task t[3] = { mk_task(0, 0, 1), mk_task(1, 0, 1),
				    mk_task(2, 0, 1) };
	struct policy_dispatch out;
	struct inst in;
	int64_t id;

	inst_init(&in, "eevdf", 1, 3, params);
	for (int i = 0; i < 3; i++)
		enq(&in, &t[i], POLICY_ENQ_NEW);
	while ((id = take(&in, 0, t, &out)) != 2)
		expire(&in, &t[id], 0, out.slice_ns);
	stop(&in, &t[2], 0, 10 * US, false);
	for (int i = 0; i < 4; i++) {
		id = take(&in, 0, t, &out);
		ck_assert_int_ne(id, 2);
		expire(&in, &t[id], 0, out.slice_ns);
	}
	wake(&in, &t[2]);
	while ((id = take(&in, 0, t, &out)) != 2) {
		expire(&in, &t[id], 0, out.slice_ns);
		ahead++;
	}
	free(in.st);
	return ahead;
}

START_TEST(test_eevdf_lag_kept_across_sleep)
{
	const char *const kept[] = { "tick=0", NULL };
	const char *const lost[] = { "tick=0", "place_lag=0", NULL };
	/* Owed time makes it eligible with the earliest deadline at once... */
	ck_assert_int_eq(eevdf_wake_deadline(kept), 0);
	/* ...placed at V instead, it queues behind the hogs. */
	ck_assert_int_gt(eevdf_wake_deadline(lost), 0);
}
END_TEST

START_TEST(test_eevdf_pinned_not_pulled)
{
	struct policy_task t[3];
	struct policy_dispatch out;
	struct inst in;

	inst_init(&in, "eevdf", 2, 3, NULL);
	for (uint32_t i = 0; i < 3; i++) {
		t[i] = mk_task(i, 0, 2);
		t[i].cpus_allowed[0] = 0x1;
		t[i].nr_cpus_allowed = 1;
	}
	set_busy(&in, 0, true);
	set_busy(&in, 1, true);
	for (uint32_t i = 0; i < 3; i++)
		enq(&in, &t[i], POLICY_ENQ_NEW | POLICY_ENQ_PERCPU);
	set_busy(&in, 1, false);
	ck_assert(!disp(&in, 1, &out));
	set_busy(&in, 0, false);
	ck_assert(disp(&in, 0, &out));
	free(in.st);
}
END_TEST

/* ------------------------------------------------------------ purity */

static const char *build_dir(void)
{
	const char *b = getenv("SCX_BUILD");

	return b && *b ? b : "build";
}

START_TEST(test_purity_symbols)
{
	static const char *const ok[] = {
		"memset", "memcpy", "memmove", "memcmp", "strcmp", "strncmp",
		"strlen", "__stack_chk_fail", "__udivti3", "__divti3",
		"__umodti3", "__modti3",
	};
	char cmd[512], sym[256], defined[4096] = " ";
	size_t nr_undef = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "nm -g --defined-only %s/libpolicy.a 2>&1",
		 build_dir());
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(sym, sizeof(sym), f)) {
		char name[200];

		if (sscanf(sym, "%*s %*s %199s", name) == 1 &&
		    strlen(defined) + strlen(name) + 2 < sizeof(defined)) {
			strcat(defined, name);
			strcat(defined, " ");
		}
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_msg(strstr(defined, " policy_registry "), "no registry in %s",
		      build_dir());
	snprintf(cmd, sizeof(cmd), "nm -u %s/libpolicy.a 2>&1", build_dir());
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(sym, sizeof(sym), f)) {
		char name[200], key[204];
		bool allowed = false;

		if (sscanf(sym, " U %199s", name) != 1)
			continue;
		nr_undef++;
		/* A sanitizer build (make test-asan) adds its runtime's hooks. */
		if (getenv("SCX_SANITIZED") && (!strncmp(name, "__asan", 6) ||
						!strncmp(name, "__ubsan", 7)))
			continue;
		snprintf(key, sizeof(key), " %s ", name);
		if (strstr(defined, key))
			continue;
		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			allowed |= !strcmp(name, ok[i]);
		ck_assert_msg(allowed, "libpolicy.a needs %s", name);
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_uint_gt(nr_undef, 0);	/* nm really listed something */
}
END_TEST

START_TEST(test_purity_includes)
{
	static const char *const ok[] = {
		"<stdint.h>", "<stdbool.h>", "<stddef.h>", "<string.h>",
	};
	const char *src = getenv("SCX_SRC");
	char dir[512], path[1024], line[512];
	struct dirent *de;
	int files = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/policy", src && *src ? src : ".");
	d = opendir(dir);
	ck_assert_msg(d, "cannot open %s (run from the source tree)", dir);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		FILE *f;

		if (n < 3 || (strcmp(de->d_name + n - 2, ".c") &&
			      strcmp(de->d_name + n - 2, ".h")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		files++;
		while (fgets(line, sizeof(line), f)) {
			char inc[256];
			bool allowed = false;

			if (sscanf(line, " # include %255s", inc) != 1)
				continue;
			if (!strncmp(inc, "\"policy/", 8))
				continue;
			for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
				allowed |= !strcmp(inc, ok[i]);
			ck_assert_msg(allowed, "%s includes %s", path, inc);
		}
		fclose(f);
	}
	closedir(d);
	ck_assert_int_ge(files, 6);
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *reg = tcase_create("registry");
	TCase *beh = tcase_create("behaviour");
	TCase *pure = tcase_create("purity");

	tcase_add_test(reg, test_registry_lists_policies);
	tcase_add_test(reg, test_registry_documented);
	tcase_add_test(reg, test_conf_set_units);
	tcase_add_test(reg, test_conf_set_errors);
	tcase_add_test(reg, test_strerror_distinct);
	tcase_add_test(reg, test_nice_to_weight);
	tcase_add_test(reg, test_init_rejects_bad_conf);
	tcase_add_test(reg, test_rq_matches_reference);
	suite_add_tcase(s, reg);

	tcase_set_timeout(beh, 60);
	tcase_add_test(beh, test_fifo_keeps_order);
	tcase_add_test(beh, test_fifo_slice_param);
	tcase_add_test(beh, test_vruntime_weighted_share);
	tcase_add_test(beh, test_vruntime_sleeper_credit_clamped);
	tcase_add_loop_test(beh, test_no_starvation, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_deterministic, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_affinity_respected, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_select_cpu_rules, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_exit_drops_queued, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_exit_while_running, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_dispatch_any, 0, NR_POLICIES);
	tcase_add_loop_test(beh, test_random_workloads, 0, NR_POLICIES);
	tcase_add_test(beh, test_lowlat_short_burst_first);
	tcase_add_test(beh, test_lowlat_interactive_preempts_hog);
	tcase_add_test(beh, test_lowlat_preempt_off);
	tcase_add_test(beh, test_lowlat_new_task_does_not_preempt);
	tcase_add_test(beh, test_lowlat_slice_shrinks);
	tcase_add_test(beh, test_lowlat_beats_fifo_for_short_task);
	tcase_add_test(beh, test_eevdf_kicks_earlier_deadline);
	tcase_add_test(beh, test_eevdf_run_to_parity);
	tcase_add_test(beh, test_eevdf_autogroup);
	tcase_add_test(beh, test_eevdf_next_buddy_is_picked);
	tcase_add_test(beh, test_eevdf_wake_affine);
	tcase_add_test(beh, test_eevdf_base_slice);
	tcase_add_test(beh, test_eevdf_slice_ends_on_tick);
	tcase_add_test(beh, test_eevdf_weighted_share);
	tcase_add_test(beh, test_eevdf_newidle_pull);
	tcase_add_test(beh, test_eevdf_pinned_not_pulled);
	tcase_add_test(beh, test_eevdf_periodic_balance);
	tcase_add_test(beh, test_eevdf_lag_kept_across_sleep);
	tcase_add_test(beh, test_select_cpu_many_cpus);
	suite_add_tcase(s, beh);

	tcase_add_test(pure, test_purity_symbols);
	tcase_add_test(pure, test_purity_includes);
	suite_add_tcase(s, pure);
	return s;
}
