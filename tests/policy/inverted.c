// SPDX-License-Identifier: GPL-2.0
/*
 * inverted: lowlat with its priority turned upside down, the deliberately
 * broken policy that proves the budgets can fail.
 *
 * It is lowlat's own code (weighted vtime with a bounded sleeper credit,
 * deadlines on the shared dispatch queues) run with a flat 20 ms slice, no
 * boost and no preemption, wrapped so that where lowlat would pull an
 * interactive task's deadline forward, this pushes it `penalty` of vtime
 * back. So under a saturating build a frame loop waits behind every
 * compiler. It lives in tests/, not policy/: nobody should be able to pick
 * it with scxsim -P or scxlive.
 *
 * lowlat keeps its interactivity test to itself, so the wrapper keeps the
 * one figure it needs, the EWMA (1/4) of burst length, beside lowlat's
 * state: a task averaging inter_burst or less is sent to the back.
 */
#include "policy/common.h"
#include "policy/dsq.h"
#include "tests/policy/inverted.h"

extern const struct policy_ops policy_lowlat_ops;

#define INV_INTER_BURST	2000000ull	/* lowlat's inter_burst */
#define INV_PENALTY	200000000ull	/* 10x what lowlat credits, reversed */

/* lowlat's parameters for the broken variant ("KEY=VALUE"). */
static const char *const inv_ll_params[] = {
	"slice_max=20ms", "slice_min=20ms", "burst_cap=20ms", "lag=20ms",
	"boost=0", "preempt=0",
};

struct inv_task {
	uint64_t burst;		/* CPU time since it last slept */
	uint64_t avg_burst;	/* EWMA (1/4) of completed bursts */
	uint32_t nr_bursts;
	uint32_t known;
};

/* The wrapper's header; lowlat's state block follows at off_ll. */
struct inv {
	uint32_t max_tasks;
	size_t off_ll, off_task;
};

static void *inv_ll(struct inv *v)
{
	return (char *)v + v->off_ll;
}

static struct inv_task *inv_task(struct inv *v, uint32_t id)
{
	return (struct inv_task *)((char *)v + v->off_task) + id;
}

static int inv_ll_conf(struct policy_conf *ll, const struct policy_conf *conf)
{
	policy_conf_defaults(ll, &policy_lowlat_ops, conf->nr_cpus,
			     conf->max_tasks);
	for (size_t i = 0; i < sizeof(inv_ll_params) / sizeof(*inv_ll_params); i++) {
		int err = policy_conf_set(ll, &policy_lowlat_ops,
					  inv_ll_params[i], NULL);

		if (err)
			return err;
	}
	return 0;
}

static size_t inv_layout(struct inv *v, const struct policy_conf *conf)
{
	v->max_tasks = conf->max_tasks;
	v->off_ll = pol_align(sizeof(*v));
	v->off_task = pol_align(v->off_ll + policy_lowlat_ops.state_size(conf));
	return v->off_task + sizeof(struct inv_task) * conf->max_tasks;
}

static bool conf_ok(const struct policy_conf *conf)
{
	return conf->nr_cpus >= 1 && conf->nr_cpus <= POLICY_MAX_CPUS &&
	       conf->max_tasks >= 1 && conf->max_tasks < (1u << 24);
}

static size_t inv_state_size(const struct policy_conf *conf)
{
	struct inv tmp;

	return conf_ok(conf) ? inv_layout(&tmp, conf) : sizeof(tmp);
}

static int inv_init(void *st, const struct policy_conf *conf)
{
	struct policy_conf ll;
	struct inv *v = st;
	int err;

	if (!conf_ok(conf))
		return POLICY_E_CONF;
	err = inv_ll_conf(&ll, conf);
	if (err)
		return err;
	inv_layout(v, conf);
	return policy_lowlat_ops.init(inv_ll(v), &ll);
}

static bool inv_interactive(const struct inv_task *vt)
{
	return vt->nr_bursts && vt->avg_burst <= INV_INTER_BURST;
}

static int32_t inv_select_cpu(void *st, const struct policy_env *env,
			      const struct policy_task *t, int32_t prev_cpu)
{
	return policy_lowlat_ops.select_cpu(inv_ll(st), env, t, prev_cpu);
}

static int32_t inv_enqueue(void *st, const struct policy_env *env,
			   const struct policy_task *t)
{
	struct inv *v = st;
	struct policy_task nt = *t;
	struct dsq *q = inv_ll(v);
	struct inv_task *vt;
	int32_t kick, where;

	if (t->id >= v->max_tasks)
		return POLICY_NO_KICK;
	vt = inv_task(v, t->id);
	if (!vt->known || (t->flags & POLICY_ENQ_NEW)) {
		*vt = (struct inv_task){ .known = 1 };
		/* Start lowlat afresh too, even if it adopted the task. */
		nt.flags |= POLICY_ENQ_NEW;
	}
	kick = policy_lowlat_ops.enqueue(q, env, &nt);
	/* The inversion: the tasks lowlat would favour go to the back. */
	where = dsq_where(q, t->id);
	if (inv_interactive(vt) && where != DSQ_NONE) {
		uint64_t key = dsq_key(q, t->id);

		dsq_remove(q, t->id);
		dsq_insert(q, t->id, where, key + INV_PENALTY);
	}
	return kick;
}

static bool inv_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			 struct policy_dispatch *out)
{
	return policy_lowlat_ops.dispatch(inv_ll(st), env, cpu, out);
}

static void inv_running(void *st, const struct policy_env *env,
			const struct policy_task *t, int32_t cpu)
{
	struct inv *v = st;

	/* Unlike lowlat, never adopt a task we did not queue. */
	if (t->id < v->max_tasks && inv_task(v, t->id)->known)
		policy_lowlat_ops.running(inv_ll(v), env, t, cpu);
}

static void inv_stopping(void *st, const struct policy_env *env,
			 const struct policy_task *t, int32_t cpu,
			 uint64_t ran_ns, bool runnable)
{
	struct inv *v = st;
	struct inv_task *vt;

	policy_lowlat_ops.stopping(inv_ll(v), env, t, cpu, ran_ns, runnable);
	if (t->id >= v->max_tasks)
		return;
	vt = inv_task(v, t->id);
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

	policy_lowlat_ops.exit_task(inv_ll(v), env, t);
	if (t->id < v->max_tasks)
		inv_task(v, t->id)->known = 0;
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
