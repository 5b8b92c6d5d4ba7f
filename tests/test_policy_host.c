// SPDX-License-Identifier: GPL-2.0
/*
 * The toy host behind the policy tests (see test_policy_host.h). Time
 * advances from event to event: a burst ends, a slice ends, a task wakes or
 * is born. After every event each idle CPU asks the policy for work, so a
 * policy is exercised through its API alone, as the real hosts use it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tests/test_policy_host.h"

static void log_add(struct toy *h, uint64_t kind, uint64_t a, uint64_t b)
{
	if (h->nr_log + 4 > TOY_LOG)
		return;
	h->log[h->nr_log++] = h->now;
	h->log[h->nr_log++] = kind;
	h->log[h->nr_log++] = a;
	h->log[h->nr_log++] = b;
}

struct policy_env toy_env(struct toy *h)
{
	struct policy_env env = {
		.now = h->now,
		.nr_cpus = h->nr_cpus,
		.idle = h->idle,
	};

	return env;
}

static void set_idle(struct toy *h, int32_t c, bool idle)
{
	if (idle)
		h->idle[c / 64] |= 1ull << (c % 64);
	else
		h->idle[c / 64] &= ~(1ull << (c % 64));
}

void toy_init(struct toy *h, const char *policy, uint32_t nr_cpus,
	      const char *const *params)
{
	size_t sz;

	memset(h, 0, sizeof(*h));
	h->ops = policy_find(policy);
	ck_assert_msg(h->ops, "no policy %s", policy);
	h->nr_cpus = nr_cpus;
	policy_conf_defaults(&h->conf, h->ops, nr_cpus, TOY_MAX_TASKS);
	for (; params && *params; params++)
		ck_assert_int_eq(policy_conf_set(&h->conf, h->ops, *params, NULL),
				 POLICY_OK);
	sz = h->ops->state_size(&h->conf);
	h->st = calloc(1, sz);
	ck_assert_ptr_nonnull(h->st);
	ck_assert_int_eq(h->ops->init(h->st, &h->conf), 0);
	for (uint32_t c = 0; c < nr_cpus; c++) {
		h->curr[c] = -1;
		set_idle(h, (int32_t)c, true);
	}
}

void toy_free(struct toy *h)
{
	free(h->st);
	h->st = NULL;
}

uint32_t toy_add(struct toy *h, uint64_t burst, uint64_t sleep,
		 uint64_t start, uint32_t weight, uint64_t allowed)
{
	uint32_t id = h->nr_tasks++;
	struct toy_task *t = &h->task[id];

	ck_assert_uint_lt(id, TOY_MAX_TASKS);
	t->pt.id = id;
	t->pt.pid = 100 + (int32_t)id;
	t->pt.tgid = t->pt.pid;
	snprintf(t->pt.comm, sizeof(t->pt.comm), "task%u", id);
	t->pt.weight = weight ? weight : POLICY_NICE_0_WEIGHT;
	t->pt.prev_cpu = -1;
	if (!allowed)
		allowed = (h->nr_cpus >= 64) ? ~0ull : (1ull << h->nr_cpus) - 1;
	t->pt.cpus_allowed[0] = allowed;
	t->pt.nr_cpus_allowed = (uint32_t)__builtin_popcountll(allowed);
	t->burst = burst;
	t->sleep = sleep;
	t->start = start;
	t->state = TOY_UNBORN;
	t->cpu = -1;
	return id;
}

static void make_runnable(struct toy *h, struct toy_task *t, uint32_t flags)
{
	struct policy_env env = toy_env(h);
	int32_t kick;

	if (t->pt.nr_cpus_allowed == 1)
		flags |= POLICY_ENQ_PERCPU;
	t->pt.flags = flags;
	t->pt.runnable_at = h->now;
	if (flags & POLICY_ENQ_WAKEUP) {
		int32_t c = h->ops->select_cpu(h->st, &env, &t->pt, t->pt.prev_cpu);

		log_add(h, 1, t->pt.id, (uint64_t)(int64_t)c);
		if (c != POLICY_CPU_ANY && !policy_cpu_test(t->pt.cpus_allowed, c))
			h->violations++;
	}
	t->state = TOY_QUEUED;
	t->runnable_since = h->now;
	kick = h->ops->enqueue(h->st, &env, &t->pt);
	log_add(h, 2, t->pt.id, (uint64_t)(int64_t)kick);
	if (kick >= 0 && (uint32_t)kick < h->nr_cpus && h->curr[kick] >= 0) {
		/* Preempt the kicked CPU's task; it goes back in the queue. */
		int32_t c = kick;
		struct toy_task *v = &h->task[h->curr[c]];
		uint64_t ran = h->now - h->run_start[c];

		if (v == t)
			return;
		h->kicks++;
		if (v->burst)
			v->left -= ran;
		v->total_run += ran;
		v->pt.burst_ns += ran;
		v->pt.sum_exec_ns += ran;
		v->pt.stopped_at = h->now;
		h->curr[c] = -1;
		set_idle(h, c, true);
		env = toy_env(h);
		h->ops->stopping(h->st, &env, &v->pt, c, ran, true);
		make_runnable(h, v, POLICY_ENQ_PREEMPTED);
	}
}

/* Give every idle CPU work while the policy has some. */
static void fill_idle(struct toy *h)
{
	bool progress = true;

	while (progress) {
		progress = false;
		for (uint32_t c = 0; c < h->nr_cpus; c++) {
			struct policy_dispatch out = { 0 };
			struct policy_env env;
			struct toy_task *t;
			int32_t target;

			if (h->curr[c] >= 0)
				continue;
			env = toy_env(h);
			if (!h->ops->dispatch(h->st, &env, (int32_t)c, &out))
				continue;
			log_add(h, 3, ((uint64_t)c << 32) | out.id, out.slice_ns);
			target = out.cpu == POLICY_CPU_ANY ? (int32_t)c : out.cpu;
			if (out.id >= h->nr_tasks || target < 0 ||
			    (uint32_t)target >= h->nr_cpus || h->curr[target] >= 0) {
				h->violations++;
				continue;
			}
			t = &h->task[out.id];
			if (t->state != TOY_QUEUED ||
			    !policy_cpu_test(t->pt.cpus_allowed, target)) {
				h->violations++;
				continue;
			}
			if (t->runnable_since >= h->measure_from &&
			    h->now - t->runnable_since > t->max_wait)
				t->max_wait = h->now - t->runnable_since;
			t->state = TOY_RUN;
			t->cpu = target;
			t->nr_runs++;
			t->pt.prev_cpu = target;
			h->curr[target] = (int32_t)out.id;
			h->run_start[target] = h->now;
			h->slice_end[target] = h->now + (out.slice_ns ? out.slice_ns : 1);
			set_idle(h, target, false);
			env = toy_env(h);
			h->ops->running(h->st, &env, &t->pt, target);
			progress = true;
		}
	}
}

/* The task dies: off its CPU first if it runs, as a host would. */
static void toy_exit(struct toy *h, struct toy_task *t)
{
	struct policy_env env;

	if (t->state == TOY_RUN) {
		int32_t c = t->cpu;
		uint64_t ran = h->now - h->run_start[c];

		t->total_run += ran;
		h->curr[c] = -1;
		set_idle(h, c, true);
		env = toy_env(h);
		h->ops->stopping(h->st, &env, &t->pt, c, ran, false);
	}
	if (t->state != TOY_UNBORN) {
		env = toy_env(h);
		h->ops->exit_task(h->st, &env, &t->pt);
	}
	t->state = TOY_DEAD;
}

void toy_run(struct toy *h, uint64_t until)
{
	for (;;) {
		uint64_t next = UINT64_MAX;

		fill_idle(h);
		for (uint32_t c = 0; c < h->nr_cpus; c++) {
			int32_t id = h->curr[c];
			uint64_t end;

			if (id < 0)
				continue;
			end = h->slice_end[c];
			if (h->task[id].burst &&
			    h->run_start[c] + h->task[id].left < end)
				end = h->run_start[c] + h->task[id].left;
			if (end < next)
				next = end;
		}
		for (uint32_t i = 0; i < h->nr_tasks; i++) {
			struct toy_task *t = &h->task[i];

			if (t->state == TOY_UNBORN && t->start < next)
				next = t->start;
			if (t->exit_at && t->state != TOY_DEAD && t->exit_at < next)
				next = t->exit_at;
			if (t->state == TOY_SLEEP && t->wake_at < next)
				next = t->wake_at;
		}
		if (next == UINT64_MAX || next > until)
			break;
		h->now = next;
		/* CPUs whose task's burst or slice ends now. */
		for (uint32_t c = 0; c < h->nr_cpus; c++) {
			int32_t id = h->curr[c];
			struct toy_task *t;
			struct policy_env env;
			uint64_t ran;
			bool done;

			if (id < 0)
				continue;
			t = &h->task[id];
			ran = h->now - h->run_start[c];
			done = t->burst && ran >= t->left;
			if (!done && h->now < h->slice_end[c])
				continue;
			t->total_run += ran;
			t->pt.sum_exec_ns += ran;
			t->pt.stopped_at = h->now;
			h->curr[c] = -1;
			set_idle(h, (int32_t)c, true);
			env = toy_env(h);
			if (done) {
				h->ops->stopping(h->st, &env, &t->pt, (int32_t)c, ran, false);
				t->state = TOY_SLEEP;
				t->wake_at = h->now + t->sleep;
				t->left = t->burst;
				t->pt.burst_ns = 0;
				t->pt.nvcsw++;
			} else {
				t->left -= t->burst ? ran : 0;
				t->pt.burst_ns += ran;
				h->ops->stopping(h->st, &env, &t->pt, (int32_t)c, ran, true);
				make_runnable(h, t, POLICY_ENQ_EXPIRED);
			}
		}
		for (uint32_t i = 0; i < h->nr_tasks; i++) {
			struct toy_task *t = &h->task[i];

			if (t->exit_at && t->exit_at <= h->now &&
			    t->state != TOY_DEAD)
				toy_exit(h, t);
		}
		for (uint32_t i = 0; i < h->nr_tasks; i++) {
			struct toy_task *t = &h->task[i];

			if (t->state == TOY_UNBORN && t->start == h->now) {
				t->left = t->burst;
				make_runnable(h, t, POLICY_ENQ_NEW);
			} else if (t->state == TOY_SLEEP && t->wake_at == h->now) {
				make_runnable(h, t, POLICY_ENQ_WAKEUP);
			}
		}
	}
	h->now = until;
}
