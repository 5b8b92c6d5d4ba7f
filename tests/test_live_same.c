// SPDX-License-Identifier: GPL-2.0
/*
 * "Same policy, proven": one sequence of scheduling events is fed to every
 * registered policy twice, once through scxlive's adapter (as the kernel
 * messages scxlive.bpf.c would send, through a fake ring) and once through a
 * small host that calls the policy the way sim/engine/engine.c does
 * (select_cpu on wakeup or fork, enqueue, dispatch, running, stopping,
 * exit_task, with the engine's bookkeeping of burst_ns, runnable_at,
 * stopped_at, sum_exec_ns).
 * Every decision must come out identical: task, CPU, slice and vtime.
 *
 * Both hosts ask dispatch() for POLICY_CPU_ANY, as scxlive does; the engine
 * asks per CPU, a difference of the hosts' roles, not of the adapter. Both
 * see the same idle CPUs: the live host reads them when it handles a step's
 * messages, so the engine-style host updates them before its hooks.
 * The events are pseudo-random but fixed (a seeded LCG), and steered by the
 * engine-style host's own decisions: a task runs only after it was chosen.
 *
 * The second half holds sim's real engine to the same: it replays a
 * shipped trace with the scxlive host (sim/live_host.c, whose daemon calls
 * the policy), records every call, turns the calls back into the messages
 * scxlive.bpf.c would have sent (round by round, as the daemon read them)
 * and feeds them through live/dispatch.c with a second instance of the
 * policy. Every dispatch answer must be the same, call for call, and the
 * kicks its enqueues asked for the same per round.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live/dispatch.h"
#include "sim/engine/engine.h"
#include "sim/model/live_cost.h"
#include "sim/engine/live_host.h"
#include "tests/suites.h"
#include "tests/test_engine.h"
#include "tests/test_live.h"

#define SP_TASKS	6
#define SP_CPUS		2
#define SP_STEPS	3000

enum { T_SLEEP, T_QUEUED, T_CHOSEN, T_RUNNING, T_GONE };

struct sp_task {
	int32_t pid;
	int state;
	int32_t cpu;			/* chosen or running on */
	uint64_t bpf_seq;		/* what task storage would hold */
	int32_t nice;
	struct policy_task pt;		/* the engine-style host's view */
};

struct sp_world {
	uint64_t now, rng;
	uint64_t idle[POLICY_MASK_WORDS];
	struct sp_task t[SP_TASKS];
	int32_t on_cpu[SP_CPUS];
	/* engine-style host */
	void *st;
	struct policy_env env;
	/* live host */
	struct live_sched live;
	struct scxl_msg msgs[8];
	uint32_t nr_msgs, next_msg;
	struct scxl_decision out[64];
	uint32_t nr_out;
};

static uint32_t rnd(struct sp_world *w, uint32_t n)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(w->rng >> 33) % n;
}

static int sp_pop(void *ctx, struct scxl_msg *m)
{
	struct sp_world *w = ctx;

	if (w->next_msg == w->nr_msgs) {
		w->nr_msgs = w->next_msg = 0;
		return 0;
	}
	*m = w->msgs[w->next_msg++];
	return 1;
}

static int sp_push(void *ctx, const struct scxl_decision *d)
{
	struct sp_world *w = ctx;

	if (w->nr_out == 64)
		return -ENOSPC;
	w->out[w->nr_out++] = *d;
	return 0;
}

static uint64_t sp_now(void *ctx)
{
	return ((struct sp_world *)ctx)->now;
}

/* The message scxlive.bpf.c's fill_msg() builds from the same state. */
static struct scxl_msg *sp_msg(struct sp_world *w, uint32_t kind, struct sp_task *t)
{
	struct scxl_msg *m = &w->msgs[w->nr_msgs++];

	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->pid = t->pid;
	m->tgid = t->pt.tgid;
	m->weight = 100;
	m->nice = t->nice;
	m->prev_cpu = t->pt.prev_cpu;
	m->cpu = t->cpu;
	m->flags = t->pt.flags;
	m->nr_cpus_allowed = t->pt.nr_cpus_allowed;
	m->seq = t->bpf_seq;
	memcpy(m->cpus_allowed, t->pt.cpus_allowed, sizeof(m->cpus_allowed));
	m->burst_ns = t->pt.burst_ns;
	m->sum_exec_ns = t->pt.sum_exec_ns;
	m->nvcsw = t->pt.nvcsw;
	m->runnable_at = t->pt.runnable_at;
	m->stopped_at = t->pt.stopped_at;
	m->ts = w->now;
	memcpy(m->comm, t->pt.comm, sizeof(m->comm));
	return m;
}

static void set_idle(struct sp_world *w)
{
	w->idle[0] = 0;
	for (int c = 0; c < SP_CPUS; c++)
		if (w->on_cpu[c] < 0)
			w->idle[0] |= 1ULL << c;
}

/* Runnable: engine's task_ready()/requeue(), and the QUEUED message. */
static void sp_enqueue(struct sp_world *w, const struct policy_ops *ops,
		       struct sp_task *t, uint32_t flags)
{
	t->pt.flags = flags | (t->pt.nr_cpus_allowed == 1 ? POLICY_ENQ_PERCPU : 0);
	t->pt.runnable_at = w->now;
	if (flags & (POLICY_ENQ_WAKEUP | POLICY_ENQ_NEW)) {
		t->pt.burst_ns = 0;
		ops->select_cpu(w->st, &w->env, &t->pt, t->pt.prev_cpu);
	}
	ops->enqueue(w->st, &w->env, &t->pt);
	t->state = T_QUEUED;
	t->bpf_seq++;
	sp_msg(w, SCXL_MSG_QUEUED, t);
}

static int32_t pid_of_id(struct sp_world *w, uint32_t id)
{
	for (int i = 0; i < SP_TASKS; i++)
		if (w->t[i].pt.id == id && w->t[i].state != T_GONE)
			return w->t[i].pid;
	return -1;
}

/* Both hosts hand out their decisions; they must agree one for one. */
static void sp_flush(struct sp_world *w, const struct policy_ops *ops,
		     const struct live_ring *ring)
{
	struct policy_dispatch d;
	uint32_t n = 0;

	w->nr_out = 0;
	live_sched_run(&w->live, ring);
	while (ops->dispatch(w->st, &w->env, POLICY_CPU_ANY, &d)) {
		int32_t pid = pid_of_id(w, d.id);
		struct sp_task *t = NULL;

		ck_assert_msg(pid > 0, "%s dispatched unknown id %u", ops->name, d.id);
		for (int i = 0; i < SP_TASKS; i++)
			if (w->t[i].pid == pid)
				t = &w->t[i];
		ck_assert_msg(n < w->nr_out, "%s: live host made %u decisions, "
			      "the engine-style host more", ops->name, w->nr_out);
		ck_assert_int_eq(w->out[n].pid, pid);
		ck_assert_uint_eq(w->out[n].seq, t->bpf_seq);
		if (d.cpu != POLICY_CPU_ANY && !policy_cpu_test(t->pt.cpus_allowed, d.cpu))
			d.cpu = POLICY_CPU_ANY;
		ck_assert_int_eq(w->out[n].cpu, d.cpu);
		ck_assert_uint_eq(w->out[n].slice_ns, d.slice_ns);
		ck_assert_uint_eq(w->out[n].vtime, d.vtime);
		ck_assert_int_eq(t->state, T_QUEUED);
		t->state = T_CHOSEN;
		t->cpu = d.cpu;
		n++;
	}
	/* Kicks are the live host's extra messages; decisions must match. */
	for (uint32_t i = 0; i < w->nr_out; i++)
		if (w->out[i].kind == SCXL_DEC_KICK)
			n++;
	ck_assert_uint_eq(n, w->nr_out);
}

/* Task i asleep: task 0 pinned to CPU 1, tasks 1 and 2 at nice -5 and 5. */
static void sp_task_init(struct sp_task *t, int i)
{
	t->pid = 300 + i;
	t->state = T_SLEEP;
	t->cpu = -1;
	t->pt.id = (uint32_t)i;	/* the adapter's first-come ids */
	t->pt.pid = t->pid;
	t->pt.tgid = 300;
	strcpy(t->pt.comm, i == 0 ? "pinned" : "worker");
	t->nice = i == 1 ? -5 : i == 2 ? 5 : 0;
	t->pt.weight = policy_nice_to_weight(t->nice);
	t->pt.prev_cpu = -1;
	t->pt.nr_cpus_allowed = i == 0 ? 1 : SP_CPUS;
	t->pt.cpus_allowed[0] = i == 0 ? 2 : 3;
}

/* A chosen task takes its CPU (or any idle one it may use) if it is free. */
static void sp_start(struct sp_world *w, const struct policy_ops *ops,
		     struct sp_task *t)
{
	int32_t c = t->cpu;

	if (c < 0)
		for (int k = 0; k < SP_CPUS; k++)
			if (w->on_cpu[k] < 0 &&
			    policy_cpu_test(t->pt.cpus_allowed, k))
				c = k;
	if (c < 0 || w->on_cpu[c] >= 0)
		return;	/* its CPU is busy: it waits */
	w->on_cpu[c] = (int32_t)(t - w->t);
	t->cpu = c;
	t->state = T_RUNNING;
	set_idle(w);
	ops->running(w->st, &w->env, &t->pt, c);
	sp_msg(w, SCXL_MSG_RUNNING, t);
	t->pt.prev_cpu = c;
}

/* A running task runs a while, then sleeps or is put back. */
static void sp_stop(struct sp_world *w, const struct policy_ops *ops,
		    struct sp_task *t)
{
	uint64_t ran = 1000 + rnd(w, 3000000);
	bool runnable = rnd(w, 3) == 0;
	struct scxl_msg *m;

	w->now += ran;
	w->env.now = w->now;
	t->pt.burst_ns += ran;
	t->pt.sum_exec_ns += ran;
	t->pt.stopped_at = w->now;
	w->on_cpu[t->cpu] = -1;
	set_idle(w);
	ops->stopping(w->st, &w->env, &t->pt, t->cpu, ran, runnable);
	m = sp_msg(w, SCXL_MSG_STOPPING, t);
	m->ran_ns = ran;
	m->runnable = runnable;
	if (runnable) {
		sp_enqueue(w, ops, t, rnd(w, 2) ? POLICY_ENQ_PREEMPTED :
			   POLICY_ENQ_EXPIRED);
	} else {
		t->pt.nvcsw++;
		t->state = T_SLEEP;
	}
}

static void sp_run_policy(const struct policy_ops *ops)
{
	struct sp_world *w = calloc(1, sizeof(*w));
	struct live_ring ring = { .ctx = w, .pop = sp_pop, .push = sp_push,
				  .now = sp_now, .idle = w->idle };
	struct policy_conf conf;
	uint32_t ran_total = 0;

	policy_conf_defaults(&conf, ops, SP_CPUS, 16);
	w->st = calloc(1, ops->state_size(&conf));
	ck_assert_int_eq(ops->init(w->st, &conf), 0);
	ck_assert_int_eq(live_sched_init(&w->live, ops, &conf), 0);
	w->env.nr_cpus = SP_CPUS;
	w->env.idle = w->idle;
	w->rng = 42;
	w->now = 1000000;
	for (int c = 0; c < SP_CPUS; c++)
		w->on_cpu[c] = -1;
	for (int i = 0; i < SP_TASKS; i++)
		sp_task_init(&w->t[i], i);
	/* Every task's first enqueue, in id order, so both hosts agree on ids. */
	for (int i = 0; i < SP_TASKS; i++)
		sp_enqueue(w, ops, &w->t[i], POLICY_ENQ_NEW);
	w->env.now = w->now;
	sp_flush(w, ops, &ring);

	for (int step = 0; step < SP_STEPS; step++) {
		struct sp_task *t = &w->t[rnd(w, SP_TASKS)];

		w->now += 1000 + rnd(w, 200000);
		w->env.now = w->now;
		set_idle(w);
		switch (t->state) {
		case T_SLEEP:
			sp_enqueue(w, ops, t, POLICY_ENQ_WAKEUP);
			break;
		case T_CHOSEN:
			sp_start(w, ops, t);
			break;
		case T_RUNNING:
			sp_stop(w, ops, t);
			ran_total++;
			break;
		default:
			break;
		}
		set_idle(w);
		sp_flush(w, ops, &ring);
	}
	/* Everyone leaves; the adapter frees every id. */
	for (int i = 0; i < SP_TASKS; i++) {
		struct sp_task *t = &w->t[i];

		if (t->state == T_RUNNING || t->state == T_CHOSEN)
			continue;
		ops->exit_task(w->st, &w->env, &t->pt);
		sp_msg(w, SCXL_MSG_EXIT, t);
		t->state = T_GONE;
		sp_flush(w, ops, &ring);
	}
	ck_assert_msg(ran_total > 200, "%s: the scenario barely ran (%u stops)",
		      ops->name, ran_total);
	ck_assert_uint_eq(w->live.st.bad_cpu, 0);
	ck_assert_uint_eq(w->live.st.bad_select, 0);
	ck_assert_uint_eq(w->live.st.bad_id, 0);
	live_sched_free(&w->live);
	free(w->st);
	free(w);
}

/* ------------------------------------------------- the real engine */

#define EL_MAX_RECS	(1u << 21)

struct el_log {
	struct live_hook_rec *r;
	size_t n, cap;
	int oom;
};

static void el_hook(void *ctx, const struct live_hook_rec *r)
{
	struct el_log *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		struct live_hook_rec *nr;

		if (cap > EL_MAX_RECS || !(nr = realloc(l->r, cap * sizeof(*nr)))) {
			l->oom = 1;
			return;
		}
		l->r = nr;
		l->cap = cap;
	}
	l->r[l->n++] = *r;
}

/*
 * The replay of live/dispatch.c: the live tests' fake rings (first, so
 * their pop and push take this for theirs), and each flush's env.now.
 */
struct el_ring {
	struct fake_ring fr;
	uint64_t flush_now[64];		/* env.now of each flush, in order */
	uint32_t nr_flush, next_flush;
	uint64_t seq;
};

static uint64_t el_now(void *ctx)
{
	struct el_ring *r = ctx;

	ck_assert_msg(r->next_flush < r->nr_flush,
		      "live/dispatch.c flushed more often than the engine");
	return r->flush_now[r->next_flush++];
}

static int32_t nice_of(uint32_t weight)
{
	for (int32_t n = -20; n < 20; n++)
		if (policy_nice_to_weight(n) == weight)
			return n;
	return 0;
}

/* What scxlive.bpf.c's fill_msg() would have sent for this hook. */
static void el_msg(struct el_ring *r, uint32_t kind,
		   const struct live_hook_rec *h)
{
	const struct policy_task *t = &h->task;
	struct scxl_msg *m = fr_msg(&r->fr, kind, t->pid);

	m->tgid = t->tgid;
	m->nice = nice_of(t->weight);
	m->prev_cpu = t->prev_cpu;
	m->cpu = h->cpu;
	m->flags = t->flags;
	m->nr_cpus_allowed = t->nr_cpus_allowed;
	memcpy(m->cpus_allowed, t->cpus_allowed, sizeof(m->cpus_allowed));
	m->burst_ns = t->burst_ns;
	m->sum_exec_ns = t->sum_exec_ns;
	m->nvcsw = t->nvcsw;
	m->runnable_at = t->runnable_at;
	m->stopped_at = t->stopped_at;
	m->ran_ns = h->ran_ns;
	m->runnable = h->runnable;
	m->ts = h->now;
	if (kind == SCXL_MSG_QUEUED)
		m->seq = ++r->seq;
	memcpy(m->comm, t->comm, sizeof(m->comm));
}

/*
 * Replay one daemon round, records [from, to) ending with its final flush
 * and that flush's dispatches, through live/dispatch.c: the same answers.
 */
static void el_round(struct live_sched *ls, struct el_ring *r,
		     const struct live_ring *ring, const struct live_hook_rec *rec,
		     size_t from, size_t to, const char *name, uint64_t *calls)
{
	uint64_t kicks[POLICY_MASK_WORDS] = { 0 }, got[POLICY_MASK_WORDS] = { 0 };
	uint32_t n = 0;

	r->fr.nr_msgs = r->fr.next_msg = r->fr.nr_out = 0;
	r->nr_flush = r->next_flush = 0;
	for (size_t i = from; i < to; i++) {
		const struct live_hook_rec *h = &rec[i];

		memcpy(r->fr.idle, h->idle, sizeof(r->fr.idle));
		switch (h->hook) {
		case LH_ENQUEUE:
			el_msg(r, SCXL_MSG_QUEUED, h);
			if (h->answer >= 0 && !policy_cpu_test(h->idle, h->answer))
				kicks[h->answer / 64] |= 1ull << (h->answer % 64);
			break;
		case LH_RUNNING:
			el_msg(r, SCXL_MSG_RUNNING, h);
			break;
		case LH_STOPPING:
			el_msg(r, SCXL_MSG_STOPPING, h);
			break;
		case LH_EXIT:
			el_msg(r, SCXL_MSG_EXIT, h);
			break;
		case LH_FLUSH:
			ck_assert_uint_lt(r->nr_flush, 64);
			r->flush_now[r->nr_flush++] = h->now;
			break;
		default:
			break;
		}
	}
	live_sched_run(ls, ring);
	ck_assert_uint_eq(r->next_flush, r->nr_flush);
	for (size_t i = from; i < to; i++) {
		const struct live_hook_rec *h = &rec[i];
		const struct scxl_decision *d;

		if (h->hook != LH_DISPATCH || !h->dispatched)
			continue;
		for (; n < r->fr.nr_out && r->fr.out[n].kind == SCXL_DEC_KICK; n++)
			got[r->fr.out[n].cpu / 64] |= 1ull << (r->fr.out[n].cpu % 64);
		ck_assert_msg(n < r->fr.nr_out, "%s: dispatch call %llu: the engine "
			      "answered, live/dispatch.c did not", name,
			      (unsigned long long)*calls);
		d = &r->fr.out[n++];
		ck_assert_msg(d->slice_ns == h->out.slice_ns &&
			      d->vtime == h->out.vtime,
			      "%s: dispatch call %llu: slice %llu vtime %llu in "
			      "the engine, %llu %llu live", name,
			      (unsigned long long)*calls,
			      (unsigned long long)h->out.slice_ns,
			      (unsigned long long)h->out.vtime,
			      (unsigned long long)d->slice_ns,
			      (unsigned long long)d->vtime);
		ck_assert_int_eq(d->cpu, h->out.cpu < 0 ? SCXL_CPU_ANY : h->out.cpu);
		(*calls)++;
	}
	while (n < r->fr.nr_out) {
		ck_assert_msg(r->fr.out[n].kind == SCXL_DEC_KICK, "%s: live/dispatch.c "
			      "answered more than the engine (call %llu)", name,
			      (unsigned long long)*calls);
		got[r->fr.out[n].cpu / 64] |= 1ull << (r->fr.out[n].cpu % 64);
		n++;
	}
	ck_assert_msg(!memcmp(kicks, got, sizeof(kicks)),
		      "%s: the kicks differ after call %llu", name,
		      (unsigned long long)*calls);
}

static void engine_same(const struct policy_ops *ops)
{
	struct model *m = tm_read("traces/server.dat");
	struct el_ring *r = calloc(1, sizeof(*r));
	struct live_ring ring;
	struct el_log log = { 0 };
	struct live_cost cost;
	struct engine_conf ec = { .wake_cost_ns = 50 * US, .timer_cost_ns = 50 * US,
				  .preempt_cost_ns = 20 * US, .tick_ns = 4 * MS,
				  .seed = 1, .live = &cost,
				  .hook_log = el_hook, .hook_ctx = &log };
	struct policy_conf conf;
	struct engine_stats st;
	struct live_sched ls;
	struct metrics *mt = metrics_new();
	uint64_t calls = 0;
	size_t from = 0;
	char err[256];

	ck_assert_ptr_nonnull(r);
	r->fr.capacity = FR_MAX;
	ring = fr_ring(&r->fr);
	ring.now = el_now;	/* ctx is r: its fake ring comes first */
	live_cost_default(&cost);
	policy_conf_defaults(&conf, ops, m->nr_cpus, m->nr_tasks);
	ck_assert_int_eq(engine_run(m, ops, &conf, &ec, mt, &st, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(log.oom, 0);
	ck_assert_uint_eq(st.violations, 0);
	ck_assert_uint_gt(st.daemon_runs, 100);
	ck_assert_uint_gt(st.bpf_fast, 10);
	conf.nr_cpus = m->nr_cpus;
	conf.max_tasks = m->nr_tasks + 16;
	ck_assert_int_eq(live_sched_init(&ls, ops, &conf), 0);
	for (size_t i = 0; i < log.n; i++) {
		/* A round ends with its final flush and that flush's answers. */
		if (log.r[i].hook != LH_FLUSH || !log.r[i].answer)
			continue;
		while (i + 1 < log.n && log.r[i + 1].hook == LH_DISPATCH)
			i++;
		el_round(&ls, r, &ring, log.r, from, i + 1, ops->name, &calls);
		from = i + 1;
	}
	ck_assert_msg(calls > 1000, "%s: only %llu dispatch answers compared",
		      ops->name, (unsigned long long)calls);
	ck_assert_uint_eq(ls.st.bad_id, 0);
	ck_assert_uint_eq(ls.st.bad_cpu, 0);
	live_sched_free(&ls);
	metrics_free(mt);
	free(log.r);
	free(r);
	model_free(m);
}

START_TEST(engine_same_decisions_every_policy)
{
	/* eevdf models the kernel: scxsim never replays it on scxlive */
	if (strcmp(policy_registry[_i]->name, "eevdf"))
		engine_same(policy_registry[_i]);
}
END_TEST

START_TEST(same_decisions_every_policy)
{
	ck_assert_ptr_nonnull(policy_registry[_i]);
	sp_run_policy(policy_registry[_i]);
}
END_TEST

Suite *live_same_suite(void)
{
	Suite *s = suite_create("live_same");
	TCase *tc = tcase_create("hosts");
	int n = 0;

	while (policy_registry[n])
		n++;
	tcase_add_loop_test(tc, same_decisions_every_policy, 0, n);
	suite_add_tcase(s, tc);
	tc = tcase_create("engine");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, engine_same_decisions_every_policy, 0, n);
	suite_add_tcase(s, tc);
	return s;
}
