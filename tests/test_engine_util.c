// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers of the simulator tests (see test_engine.h). tfifo is deliberately
 * the simplest policy that can be reasoned about on paper: one global ring
 * in arrival order, every task on any CPU, a fixed slice, and optionally a
 * kick of CPU 0 on every wakeup so a preemption can be tested.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/report/metrics.h"
#include "tests/test_engine.h"

/* ---------------------------------------------------------------- tfifo */

struct tfifo {
	uint32_t head, tail, cap;
	int64_t slice, kick;
	uint32_t ring[];
};

static size_t tfifo_size(const struct policy_conf *c)
{
	return sizeof(struct tfifo) + sizeof(uint32_t) * (c->max_tasks + 1);
}

static int tfifo_init(void *st, const struct policy_conf *c)
{
	struct tfifo *f = st;

	f->cap = c->max_tasks + 1;
	f->slice = c->param[0];
	f->kick = c->param[1];
	return 0;
}

static int32_t tfifo_select(void *st, const struct policy_env *env,
			    const struct policy_task *t, int32_t prev)
{
	(void)st, (void)env, (void)t, (void)prev;
	return POLICY_CPU_ANY;
}

static int32_t tfifo_enqueue(void *st, const struct policy_env *env,
			     const struct policy_task *t)
{
	struct tfifo *f = st;

	(void)env;
	f->ring[f->tail] = t->id;
	f->tail = (f->tail + 1) % f->cap;
	return f->kick && (t->flags & POLICY_ENQ_WAKEUP) ? 0 : POLICY_NO_KICK;
}

static bool tfifo_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			   struct policy_dispatch *out)
{
	struct tfifo *f = st;

	(void)env, (void)cpu;
	if (f->head == f->tail)
		return false;
	out->id = f->ring[f->head];
	f->head = (f->head + 1) % f->cap;
	out->cpu = POLICY_CPU_ANY;
	out->slice_ns = (uint64_t)f->slice;
	out->vtime = 0;
	return true;
}

static void tfifo_running(void *st, const struct policy_env *env,
			  const struct policy_task *t, int32_t cpu)
{
	(void)st, (void)env, (void)t, (void)cpu;
}

static void tfifo_stopping(void *st, const struct policy_env *env,
			   const struct policy_task *t, int32_t cpu,
			   uint64_t ran, bool runnable)
{
	(void)st, (void)env, (void)t, (void)cpu, (void)ran, (void)runnable;
}

static void tfifo_exit(void *st, const struct policy_env *env,
		       const struct policy_task *t)
{
	(void)st, (void)env, (void)t;
}

static const struct policy_param tfifo_params[] = {
	{ "slice", 20000000, 1000, 1000000000, "ns", "slice" },
	{ "kick", 0, 0, 1, "", "preempt CPU 0 on wakeup" },
};

const struct policy_ops test_fifo_ops = {
	.name = "tfifo", .desc = "test FIFO", .params = tfifo_params,
	.nr_params = 2, .state_size = tfifo_size, .init = tfifo_init,
	.select_cpu = tfifo_select, .enqueue = tfifo_enqueue,
	.dispatch = tfifo_dispatch, .running = tfifo_running,
	.stopping = tfifo_stopping, .exit_task = tfifo_exit,
};

static bool tlose_dispatch(void *st, const struct policy_env *env,
			   int32_t cpu, struct policy_dispatch *out)
{
	(void)st, (void)env, (void)cpu, (void)out;
	return false;
}

const struct policy_ops test_lose_ops = {
	.name = "tlose", .desc = "test: loses every task",
	.params = tfifo_params, .nr_params = 2, .state_size = tfifo_size,
	.init = tfifo_init, .select_cpu = tfifo_select,
	.enqueue = tfifo_enqueue, .dispatch = tlose_dispatch,
	.running = tfifo_running, .stopping = tfifo_stopping,
	.exit_task = tfifo_exit,
};

/* ---------------------------------------------------------------- models */

struct model *tm_model(uint32_t nr_cpus)
{
	struct model *m = model_new();

	ck_assert_ptr_nonnull(m);
	m->nr_cpus = nr_cpus;
	m->first_ts = 1000000000ull;
	m->finished = true;
	return m;
}

uint32_t tm_task(struct model *m, int32_t pid, const char *comm)
{
	struct model_task *t;

	m->tasks = realloc(m->tasks, (m->nr_tasks + 1) * sizeof(*m->tasks));
	ck_assert_ptr_nonnull(m->tasks);
	t = &m->tasks[m->nr_tasks];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->tgid = pid;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	t->weight = POLICY_NICE_0_WEIGHT;
	t->pinned_cpu = -1;
	m->cap_tasks = ++m->nr_tasks;
	return m->nr_tasks - 1;
}

void tm_burst(struct model *m, uint32_t task, uint8_t src, uint64_t demand,
	      uint64_t at, uint8_t flags)
{
	struct model_task *t = &m->tasks[task];
	struct burst *b;

	t->bursts = realloc(t->bursts, (t->nr_bursts + 1) * sizeof(*b));
	ck_assert_ptr_nonnull(t->bursts);
	b = &t->bursts[t->nr_bursts++];
	memset(b, 0, sizeof(*b));
	b->src = src;
	b->demand_ns = demand;
	b->at_ns = at;
	b->sleep_ns = at;
	b->flags = flags;
	t->cap_bursts = t->nr_bursts;
	m->nr_bursts++;
}

void tm_edge(struct model *m, uint32_t waker, uint32_t burst, uint64_t off,
	     uint32_t wakee, uint32_t wakee_burst)
{
	struct model_task *t = &m->tasks[waker];
	struct wake_edge *e;

	t->edges = realloc(t->edges, (t->nr_edges + 1) * sizeof(*e));
	ck_assert_ptr_nonnull(t->edges);
	e = &t->edges[t->nr_edges++];
	e->burst = burst;
	e->offset_ns = off;
	e->wakee = wakee;
	e->wakee_burst = wakee_burst;
	e->waker_preempted = false;
	t->cap_edges = t->nr_edges;
	m->nr_edges++;
}

struct result *tm_run(const struct model *m, const struct policy_ops *ops,
		      int64_t slice, int64_t kick, uint64_t wake_cost,
		      struct engine_stats *st)
{
	struct engine_conf ec = { .wake_cost_ns = wake_cost,
				  .timer_cost_ns = wake_cost, .seed = 1 };
	struct metrics *mt = metrics_new();
	struct policy_conf pc;
	struct result *res;
	char err[256];

	ck_assert_ptr_nonnull(mt);
	policy_conf_defaults(&pc, ops, m->nr_cpus, m->nr_tasks);
	if (ops == &test_fifo_ops || ops == &test_lose_ops) {
		if (slice)
			pc.param[0] = slice;
		pc.param[1] = kick;
	}
	ck_assert_msg(!engine_run(m, ops, &pc, &ec, mt, st, err, sizeof(err)),
		      "engine_run: %s", err);
	res = metrics_finish(mt, ops->name, 0);
	ck_assert_ptr_nonnull(res);
	metrics_free(mt);
	return res;
}

/* ---------------------------------------------------------------- fixtures */

static char *fixture_paths[64];

static void scan(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) && *n < 63) {
		const char *nm = de->d_name;
		size_t len = strlen(nm);
		char path[512];

		/* bad/: inputs that must be refused; corpus/: judged as a
		 * whole by the accuracy gate (tests/accuracy), not trace by
		 * trace here */
		if (nm[0] == '.' || !strcmp(nm, "bad") || !strcmp(nm, "corpus"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, nm);
		if (de->d_type == DT_DIR) {
			scan(path, n);
			continue;
		}
		if (len > 3 && !strcmp(nm + len - 3, ".gz"))
			len -= 3;
		if ((len > 4 && !strncmp(nm + len - 4, ".dat", 4)) ||
		    (len > 5 && !strncmp(nm + len - 5, ".data", 5)))
			fixture_paths[(*n)++] = strdup(path);
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *bad_paths[64];

const char *const *tm_bad_fixtures(void)
{
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	if (bad_paths[0] || !(d = opendir("tests/fixtures/bad")))
		return (const char *const *)bad_paths;
	while ((de = readdir(d)) && n < 63) {
		char path[512];

		if (de->d_name[0] == '.' || !strcmp(de->d_name, "README"))
			continue;
		snprintf(path, sizeof(path), "tests/fixtures/bad/%s", de->d_name);
		bad_paths[n++] = strdup(path);
	}
	closedir(d);
	qsort(bad_paths, n, sizeof(char *), cmp_str);
	bad_paths[n] = NULL;
	return (const char *const *)bad_paths;
}

const char *const *tm_fixtures(void)
{
	size_t n = 0;

	if (fixture_paths[0])
		return (const char *const *)fixture_paths;
	scan("tests/fixtures", &n);
	qsort(fixture_paths, n, sizeof(char *), cmp_str);
	fixture_paths[n] = NULL;
	return (const char *const *)fixture_paths;
}
