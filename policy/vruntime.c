// SPDX-License-Identifier: GPL-2.0
/*
 * vruntime: weighted fair virtual time, scx_simple's vtime mode.
 *
 * Each task carries a virtual time that advances by ran_ns * 1024 / weight
 * while it runs, so a nice-0 task (weight 1024) ages at wall speed and a
 * task of half the weight twice as fast; the runnable task with the lowest
 * vtime runs next. Over many slices two always-runnable tasks therefore
 * share a CPU in the ratio of their weights.
 *
 * vtime_now is the highest vtime any task has started running with. A task
 * that slept or is new is placed no further than one slice behind it, so a
 * long sleep banks at most one slice of credit and a sleeper cannot
 * monopolise the CPU when it wakes (scx_simple's clamp).
 *
 * Parameters:
 *   slice  default 20000000, range 100000..1000000000, unit ns:
 *          time a dispatched task may run; also the largest vtime credit
 *          a sleeping task keeps.
 *
 * Starvation bound: a waiting task's vtime is fixed while every task that
 * runs ahead of it moves forward by at least slice*1024/weight_max per
 * slice, and none starts more than one slice behind vtime_now. With n
 * runnable tasks of equal weight on c CPUs a task waits at most
 * 2*ceil(n / c) slices; with unequal weights the bound scales by the
 * largest weight ratio.
 */
#include "policy/common.h"
#include "policy/dsq.h"

enum { VT_SLICE };

static const struct policy_param vt_params[] = {
	[VT_SLICE] = { "slice", 20000000, 100000, 1000000000, "ns",
		       "time slice; also the most vtime credit a sleeper keeps" },
};

struct vt_task {
	uint64_t vtime;
	int32_t wake_cpu;
	uint32_t known;		/* has a vtime of its own */
};

struct vt {
	struct dsq q;		/* must stay first (see dsq.h) */
	uint64_t slice;
	uint64_t vtime_now;
	size_t off_task;
};

static struct vt_task *vt_task(struct vt *v, uint32_t id)
{
	return (struct vt_task *)((char *)v + v->off_task) + id;
}

static size_t vt_layout(struct vt *v, const struct policy_conf *conf)
{
	size_t off = dsq_layout(&v->q, sizeof(*v), conf->nr_cpus,
				conf->max_tasks);

	v->off_task = off;
	return pol_align(off + sizeof(struct vt_task) * conf->max_tasks);
}

static size_t vt_state_size(const struct policy_conf *conf)
{
	struct vt tmp;

	if (!pol_conf_ok(conf))
		return sizeof(tmp);
	return vt_layout(&tmp, conf);
}

static int vt_init(void *st, const struct policy_conf *conf)
{
	struct vt *v = st;

	if (!pol_conf_ok(conf))
		return POLICY_E_CONF;
	vt_layout(v, conf);
	dsq_init(&v->q);
	v->slice = (uint64_t)conf->param[VT_SLICE];
	v->vtime_now = 0;
	for (uint32_t i = 0; i < conf->max_tasks; i++) {
		vt_task(v, i)->wake_cpu = -1;
		vt_task(v, i)->known = 0;
		vt_task(v, i)->vtime = 0;
	}
	return 0;
}

static int32_t vt_select_cpu(void *st, const struct policy_env *env,
			     const struct policy_task *t, int32_t prev_cpu)
{
	struct vt *v = st;
	int32_t cpu = pol_pick_cpu(env, t, prev_cpu);

	if (t->id < v->q.max_tasks)
		vt_task(v, t->id)->wake_cpu = cpu;
	return cpu;
}

static int32_t vt_enqueue(void *st, const struct policy_env *env,
			  const struct policy_task *t)
{
	struct vt *v = st;
	struct vt_task *vt;
	int32_t qcpu, wcpu;
	uint64_t floor;

	if (t->id >= v->q.max_tasks)
		return POLICY_NO_KICK;
	vt = vt_task(v, t->id);
	if (!vt->known || (t->flags & POLICY_ENQ_NEW)) {
		vt->vtime = v->vtime_now;
		vt->known = 1;
	}
	/* A sleeper keeps at most one slice of credit. */
	floor = v->vtime_now > v->slice ? v->vtime_now - v->slice : 0;
	if (vt->vtime < floor)
		vt->vtime = floor;
	wcpu = vt->wake_cpu;
	vt->wake_cpu = -1;
	qcpu = pol_queue_cpu(env, t, wcpu);
	dsq_insert(&v->q, t->id, qcpu, vt->vtime);
	return pol_kick_idle(env, t, qcpu, wcpu);
}

static bool vt_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			struct policy_dispatch *out)
{
	struct vt *v = st;
	int32_t from;
	uint32_t id;

	(void)env;
	id = dsq_pop(&v->q, cpu, &from);
	if (id == RQ_NIL)
		return false;
	out->id = id;
	out->cpu = cpu >= 0 ? cpu : (from >= 0 ? from : POLICY_CPU_ANY);
	out->slice_ns = v->slice;
	out->vtime = vt_task(v, id)->vtime;
	return true;
}

static void vt_running(void *st, const struct policy_env *env,
		       const struct policy_task *t, int32_t cpu)
{
	struct vt *v = st;

	(void)env, (void)cpu;
	if (t->id >= v->q.max_tasks)
		return;
	if (vt_task(v, t->id)->vtime > v->vtime_now)
		v->vtime_now = vt_task(v, t->id)->vtime;
}

static void vt_stopping(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu,
			uint64_t ran_ns, bool runnable)
{
	struct vt *v = st;

	(void)env, (void)cpu, (void)runnable;
	if (t->id >= v->q.max_tasks)
		return;
	vt_task(v, t->id)->vtime += pol_scale(ran_ns, t->weight);
}

static void vt_exit_task(void *st, const struct policy_env *env,
			 const struct policy_task *t)
{
	struct vt *v = st;

	(void)env;
	if (t->id >= v->q.max_tasks)
		return;
	dsq_remove(&v->q, t->id);
	vt_task(v, t->id)->known = 0;
	vt_task(v, t->id)->wake_cpu = -1;
}

/* The bound stated above: 2 ceil(n / c) slices, stretched by weight. */
static uint64_t vt_wait_bound(const struct policy_conf *conf,
			      const struct policy_bound_in *in)
{
	return 2 * pol_ceil_div(in->nr_runnable, in->nr_cpus) *
	       ((uint64_t)conf->param[VT_SLICE] + in->tick_ns) *
	       pol_weight_stretch(in);
}

const struct policy_ops policy_vruntime_ops = {
	.name		= "vruntime",
	.desc		= "weighted fair virtual time, lowest vtime first (scx_simple vtime)",
	.params		= vt_params,
	.nr_params	= sizeof(vt_params) / sizeof(vt_params[0]),
	.state_size	= vt_state_size,
	.init		= vt_init,
	.select_cpu	= vt_select_cpu,
	.enqueue	= vt_enqueue,
	.dispatch	= vt_dispatch,
	.running	= vt_running,
	.stopping	= vt_stopping,
	.exit_task	= vt_exit_task,
	.wait_bound	= vt_wait_bound,
};
