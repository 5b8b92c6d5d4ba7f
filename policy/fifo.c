// SPDX-License-Identifier: GPL-2.0
/*
 * fifo: one global first-in first-out queue, the baseline every other
 * policy is compared with (scx_simple's FIFO mode, and the simplest thing a
 * user-space dispatcher can do, so its cost is the dispatch path's own).
 *
 * Tasks run in the order they were enqueued, each for a fixed slice; a task
 * that is preempted or whose slice ends goes to the back. Tasks whose
 * affinity is narrower than the machine wait in their CPU's own queue but
 * keep their place in the one global order (see dsq.h). fifo never
 * preempts a running task; on enqueue it only kicks an idle CPU.
 *
 * Parameters:
 *   slice  default 5000000, range 100000..1000000000, unit ns:
 *          how long a dispatched task may run before it goes to the back.
 *
 * Starvation bound: a runnable task waits only for the tasks queued before
 * it, each running at most one slice, so with n runnable tasks on c CPUs it
 * waits at most ceil(n / c) slices (n slices when pinned to one CPU).
 */
#include "policy/common.h"
#include "policy/dsq.h"

enum { FIFO_SLICE };

static const struct policy_param fifo_params[] = {
	[FIFO_SLICE] = { "slice", 5000000, 100000, 1000000000, "ns",
			 "time a task runs before going to the back of the queue" },
};

struct fifo {
	struct dsq q;			/* must stay first (see dsq.h) */
	uint64_t slice;
	size_t off_wake;
};

static int32_t *wake_cpu(struct fifo *f)
{
	return (int32_t *)((char *)f + f->off_wake);
}

static size_t fifo_layout(struct fifo *f, const struct policy_conf *conf)
{
	size_t off = dsq_layout(&f->q, sizeof(*f), conf->nr_cpus,
				conf->max_tasks);

	f->off_wake = off;
	return pol_align(off + sizeof(int32_t) * conf->max_tasks);
}

static size_t fifo_state_size(const struct policy_conf *conf)
{
	struct fifo tmp;

	if (!pol_conf_ok(conf))
		return sizeof(tmp);
	return fifo_layout(&tmp, conf);
}

static int fifo_init(void *st, const struct policy_conf *conf)
{
	struct fifo *f = st;

	if (!pol_conf_ok(conf))
		return POLICY_E_CONF;
	fifo_layout(f, conf);
	dsq_init(&f->q);
	f->slice = (uint64_t)conf->param[FIFO_SLICE];
	for (uint32_t i = 0; i < conf->max_tasks; i++)
		wake_cpu(f)[i] = -1;
	return 0;
}

static int32_t fifo_select_cpu(void *st, const struct policy_env *env,
			       const struct policy_task *t, int32_t prev_cpu)
{
	struct fifo *f = st;
	int32_t cpu = pol_pick_cpu(env, t, prev_cpu);

	if (t->id < f->q.max_tasks)
		wake_cpu(f)[t->id] = cpu;
	return cpu;
}

static int32_t fifo_enqueue(void *st, const struct policy_env *env,
			    const struct policy_task *t)
{
	struct fifo *f = st;
	int32_t qcpu, wcpu;

	if (t->id >= f->q.max_tasks)
		return POLICY_NO_KICK;
	wcpu = wake_cpu(f)[t->id];
	wake_cpu(f)[t->id] = -1;
	qcpu = pol_queue_cpu(env, t, wcpu);
	/* The key is the insertion counter itself: strict arrival order. */
	dsq_insert(&f->q, t->id, qcpu, f->q.seq);
	return pol_kick_idle(env, t, qcpu, wcpu);
}

static bool fifo_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			  struct policy_dispatch *out)
{
	struct fifo *f = st;
	int32_t from;
	uint32_t id;

	(void)env;
	id = dsq_pop(&f->q, cpu, &from);
	if (id == RQ_NIL)
		return false;
	out->id = id;
	out->cpu = cpu >= 0 ? cpu : (from >= 0 ? from : POLICY_CPU_ANY);
	out->slice_ns = f->slice;
	out->vtime = dsq_key(&f->q, id);
	return true;
}

static void fifo_running(void *st, const struct policy_env *env,
			 const struct policy_task *t, int32_t cpu)
{
	(void)st, (void)env, (void)t, (void)cpu;
}

static void fifo_stopping(void *st, const struct policy_env *env,
			  const struct policy_task *t, int32_t cpu,
			  uint64_t ran_ns, bool runnable)
{
	(void)st, (void)env, (void)t, (void)cpu, (void)ran_ns, (void)runnable;
}

static void fifo_exit_task(void *st, const struct policy_env *env,
			   const struct policy_task *t)
{
	struct fifo *f = st;

	(void)env;
	if (t->id >= f->q.max_tasks)
		return;
	dsq_remove(&f->q, t->id);
	wake_cpu(f)[t->id] = -1;
}

/* The bound stated above: ceil(n / c) slices, each up to a tick longer. */
static uint64_t fifo_wait_bound(const struct policy_conf *conf,
				const struct policy_bound_in *in)
{
	return pol_ceil_div(in->nr_runnable, in->nr_cpus) *
	       ((uint64_t)conf->param[FIFO_SLICE] + in->tick_ns);
}

const struct policy_ops policy_fifo_ops = {
	.name		= "fifo",
	.desc		= "global first-in first-out queue with a fixed slice",
	.params		= fifo_params,
	.nr_params	= sizeof(fifo_params) / sizeof(fifo_params[0]),
	.state_size	= fifo_state_size,
	.init		= fifo_init,
	.select_cpu	= fifo_select_cpu,
	.enqueue	= fifo_enqueue,
	.dispatch	= fifo_dispatch,
	.running	= fifo_running,
	.stopping	= fifo_stopping,
	.exit_task	= fifo_exit_task,
	.wait_bound	= fifo_wait_bound,
};
