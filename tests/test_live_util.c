// SPDX-License-Identifier: GPL-2.0
/*
 * The live tests' fake kernel and hook-logging policy (tests/test_live.h):
 * arrays only, so a test sees exactly what the daemon read and answered.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/test_live.h"

static int fr_pop(void *ctx, struct scxl_msg *m)
{
	struct fake_ring *r = ctx;

	if (r->next_msg == r->nr_msgs)
		return 0;
	*m = r->msgs[r->next_msg++];
	return 1;
}

static int fr_push(void *ctx, const struct scxl_decision *d)
{
	struct fake_ring *r = ctx;

	if (r->nr_out >= r->capacity)
		return -ENOSPC;
	r->out[r->nr_out++] = *d;
	return 0;
}

static uint64_t fr_now(void *ctx)
{
	return ((struct fake_ring *)ctx)->now;
}

struct live_ring fr_ring(struct fake_ring *r)
{
	return (struct live_ring){ .ctx = r, .pop = fr_pop, .push = fr_push,
				   .now = fr_now, .idle = r->idle };
}

struct scxl_msg *fr_msg(struct fake_ring *r, uint32_t kind, int32_t pid)
{
	struct scxl_msg *m;

	ck_assert_uint_lt(r->nr_msgs, FR_MAX);
	m = &r->msgs[r->nr_msgs++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->pid = pid;
	m->tgid = pid;
	m->weight = 100;
	m->prev_cpu = 0;
	m->cpu = 0;
	m->nr_cpus_allowed = 2;
	m->cpus_allowed[0] = 3;
	m->ts = r->now;
	m->task_uid = (uint64_t)pid;	/* one task per pid unless a test says */
	strcpy(m->comm, "t");
	return m;
}

void fr_queue(struct fake_ring *r, int32_t pid, uint64_t seq, uint32_t flags)
{
	struct scxl_msg *m = fr_msg(r, SCXL_MSG_QUEUED, pid);

	m->seq = seq;
	m->flags = flags;
}

void sched_init(struct live_sched *s, const char *policy, uint32_t max_tasks)
{
	const struct policy_ops *ops = policy_find(policy);
	struct policy_conf conf;

	ck_assert_msg(ops, "policy %s is not registered", policy);
	policy_conf_defaults(&conf, ops, 2, max_tasks);
	ck_assert_int_eq(live_sched_init(s, ops, &conf), 0);
}

struct fake_ring *fr_new(void)
{
	struct fake_ring *r = calloc(1, sizeof(*r));

	r->capacity = FR_MAX;
	r->now = 1000000;
	return r;
}

static void rec_log(struct recorder *rc, char c)
{
	if (rc->n < sizeof(rc->log) - 1)
		rc->log[rc->n++] = c;
}

static size_t rec_size(const struct policy_conf *c)
{
	(void)c;
	return sizeof(struct recorder);
}

static int rec_init(void *st, const struct policy_conf *c)
{
	(void)st;
	(void)c;
	return 0;
}

static int32_t rec_enqueue(void *st, const struct policy_env *env,
			   const struct policy_task *t)
{
	struct recorder *rc = st;

	(void)env;
	rec_log(rc, 'e');
	rc->enq_flags = t->flags;
	rc->q[rc->tail++ % 8] = t->id;
	return POLICY_NO_KICK;
}

static bool rec_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			 struct policy_dispatch *out)
{
	struct recorder *rc = st;

	(void)env;
	(void)cpu;
	if (rc->head == rc->tail)
		return false;
	rec_log(rc, 'd');
	out->id = rc->q[rc->head++ % 8];
	out->cpu = POLICY_CPU_ANY;
	out->slice_ns = 1000;
	out->vtime = 9;
	return true;
}

static void rec_running(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu)
{
	struct recorder *rc = st;

	(void)env;
	(void)t;
	rc->run_cpu = cpu;
	rec_log(rc, 'r');
}

static void rec_stopping(void *st, const struct policy_env *env,
			 const struct policy_task *t, int32_t cpu,
			 uint64_t ran_ns, bool runnable)
{
	struct recorder *rc = st;

	(void)env;
	(void)t;
	(void)cpu;
	rc->ran_ns = ran_ns;
	rc->runnable = runnable;
	rec_log(rc, 's');
}

static void rec_exit(void *st, const struct policy_env *env,
		     const struct policy_task *t)
{
	(void)env;
	(void)t;
	rec_log(st, 'x');
}

const struct policy_ops recorder_ops = {
	.name = "recorder", .state_size = rec_size, .init = rec_init,
	.enqueue = rec_enqueue, .dispatch = rec_dispatch,
	.running = rec_running, .stopping = rec_stopping, .exit_task = rec_exit,
};
