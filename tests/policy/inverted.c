// SPDX-License-Identifier: GPL-2.0
/*
 * inverted: lowlat with its priority turned upside down, the deliberately
 * broken policy that proves the budgets can fail.
 *
 * It keeps lowlat's machinery (weighted vtime with a bounded sleeper
 * credit, deadlines on the shared dispatch queues, the same interactivity
 * test on the EWMA of burst length) but where lowlat pulls an interactive
 * task's deadline forward, this pushes it `penalty` of vtime back, and it
 * never preempts for it. So under a saturating build a frame loop waits
 * behind every compiler. It lives in tests/, not policy/: nobody should be
 * able to pick it with scxsim -P or scxlive.
 */
#include "policy/common.h"
#include "policy/dsq.h"
#include "tests/policy/inverted.h"

#define INV_SLICE	20000000ull	/* lowlat's slice_max */
#define INV_LAG		20000000ull	/* lowlat's lag */
#define INV_BURST_CAP	20000000ull	/* lowlat's burst_cap */
#define INV_INTER_BURST	2000000ull	/* lowlat's inter_burst */
#define INV_PENALTY	200000000ull	/* 10x what lowlat credits, reversed */

struct inv_task {
	uint64_t vtime;
	uint64_t burst;		/* CPU time since it last slept */
	uint64_t avg_burst;	/* EWMA (1/4) of completed bursts */
	uint32_t nr_bursts;
	int32_t wake_cpu;
	uint32_t known;
};

struct inv {
	struct dsq q;		/* must stay first (see dsq.h) */
	uint64_t vtime_now;
	size_t off_task;
};

static struct inv_task *inv_task(struct inv *v, uint32_t id)
{
	return (struct inv_task *)((char *)v + v->off_task) + id;
}

static bool conf_ok(const struct policy_conf *conf)
{
	return conf->nr_cpus >= 1 && conf->nr_cpus <= POLICY_MAX_CPUS &&
	       conf->max_tasks >= 1 && conf->max_tasks < (1u << 24);
}

static size_t inv_layout(struct inv *v, const struct policy_conf *conf)
{
	v->off_task = dsq_layout(&v->q, sizeof(*v), conf->nr_cpus,
				 conf->max_tasks);
	return pol_align(v->off_task + sizeof(struct inv_task) * conf->max_tasks);
}

static size_t inv_state_size(const struct policy_conf *conf)
{
	struct inv tmp;

	return conf_ok(conf) ? inv_layout(&tmp, conf) : sizeof(tmp);
}

static int inv_init(void *st, const struct policy_conf *conf)
{
	struct inv *v = st;

	if (!conf_ok(conf))
		return POLICY_E_CONF;
	inv_layout(v, conf);
	dsq_init(&v->q);
	for (uint32_t i = 0; i < conf->max_tasks; i++)
		inv_task(v, i)->wake_cpu = -1;
	return 0;
}

static bool inv_interactive(const struct inv_task *vt)
{
	return vt->nr_bursts && vt->avg_burst <= INV_INTER_BURST;
}

static int32_t inv_select_cpu(void *st, const struct policy_env *env,
			      const struct policy_task *t, int32_t prev_cpu)
{
	struct inv *v = st;
	int32_t cpu = pol_pick_cpu(env, t, prev_cpu);

	if (t->id < v->q.max_tasks)
		inv_task(v, t->id)->wake_cpu = cpu;
	return cpu;
}

static int32_t inv_enqueue(void *st, const struct policy_env *env,
			   const struct policy_task *t)
{
	struct inv *v = st;
	struct inv_task *vt;
	uint64_t floor, key;
	int32_t qcpu, wcpu;

	if (t->id >= v->q.max_tasks)
		return POLICY_NO_KICK;
	vt = inv_task(v, t->id);
	if (!vt->known || (t->flags & POLICY_ENQ_NEW)) {
		*vt = (struct inv_task){ .vtime = v->vtime_now, .wake_cpu = vt->wake_cpu,
					 .known = 1 };
	}
	floor = v->vtime_now > INV_LAG ? v->vtime_now - INV_LAG : 0;
	if (vt->vtime < floor)
		vt->vtime = floor;
	key = vt->vtime + pol_scale(pol_min(vt->burst, INV_BURST_CAP), t->weight);
	/* The inversion: the tasks lowlat would favour go to the back. */
	if (inv_interactive(vt))
		key += INV_PENALTY;
	wcpu = vt->wake_cpu;
	vt->wake_cpu = -1;
	qcpu = pol_queue_cpu(env, t, wcpu);
	dsq_insert(&v->q, t->id, qcpu, key);
	return pol_kick_idle(env, t, qcpu, wcpu);
}

static bool inv_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			 struct policy_dispatch *out)
{
	struct inv *v = st;
	int32_t from;
	uint32_t id;

	(void)env;
	id = dsq_pop(&v->q, cpu, &from);
	if (id == RQ_NIL)
		return false;
	out->id = id;
	out->cpu = cpu >= 0 ? cpu : (from >= 0 ? from : POLICY_CPU_ANY);
	out->slice_ns = INV_SLICE;
	out->vtime = inv_task(v, id)->vtime;
	return true;
}

static void inv_running(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu)
{
	struct inv *v = st;

	(void)env;
	(void)cpu;
	if (t->id < v->q.max_tasks && inv_task(v, t->id)->vtime > v->vtime_now)
		v->vtime_now = inv_task(v, t->id)->vtime;
}

static void inv_stopping(void *st, const struct policy_env *env,
			 const struct policy_task *t, int32_t cpu,
			 uint64_t ran_ns, bool runnable)
{
	struct inv *v = st;
	struct inv_task *vt;

	(void)env;
	(void)cpu;
	if (t->id >= v->q.max_tasks)
		return;
	vt = inv_task(v, t->id);
	vt->vtime += pol_scale(ran_ns, t->weight);
	vt->burst += ran_ns;
	if (!runnable) {
		vt->avg_burst = vt->nr_bursts ?
				(vt->avg_burst * 3 + vt->burst) / 4 : vt->burst;
		if (vt->nr_bursts < UINT32_MAX)
			vt->nr_bursts++;
		vt->burst = 0;
	}
}

static void inv_exit_task(void *st, const struct policy_env *env,
			  const struct policy_task *t)
{
	struct inv *v = st;

	(void)env;
	if (t->id >= v->q.max_tasks)
		return;
	dsq_remove(&v->q, t->id);
	inv_task(v, t->id)->known = 0;
	inv_task(v, t->id)->wake_cpu = -1;
}

const struct policy_ops policy_inverted_ops = {
	.name		= "inverted",
	.desc		= "BROKEN on purpose: lowlat with interactive tasks pushed last",
	.state_size	= inv_state_size,
	.init		= inv_init,
	.select_cpu	= inv_select_cpu,
	.enqueue	= inv_enqueue,
	.dispatch	= inv_dispatch,
	.running	= inv_running,
	.stopping	= inv_stopping,
	.exit_task	= inv_exit_task,
};
