// SPDX-License-Identifier: GPL-2.0
/*
 * The search: where in the unit cube to replay, and on which worker.
 *
 * Three phases, each made of independent jobs taken by worker threads from
 * one counter, so every core replays while the models stay shared and
 * read-only:
 *
 *   1. the defaults (the user's -p included), always the first point;
 *   2. a Halton sample of the cube (a quarter of the budget): cheap global
 *      coverage, each point a job of its own;
 *   3. NLopt's Subplex (LN_SBPLX, derivative-free, robust to the steps
 *      that integer rounding puts in the objective) from the defaults and
 *      from the best distinct points of phase 2, the rest of the budget
 *      shared evenly among `starts` local searches.
 *
 * This is NLopt's MLSL idea (low-discrepancy starts, local optimiser)
 * made parallel. A point the optimiser asks for twice (rounding maps
 * nearby doubles to one configuration) is answered from a cache keyed by
 * the integer configuration. Every job is deterministic and the cache only
 * remembers answers, so the points tried, and the winner, do not depend on
 * the number of workers or on their timing.
 *
 * Infeasible points return a penalty above every admissible objective,
 * growing with how far they miss, so the local search walks back in.
 */
#include <math.h>
#include <nlopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/tune/tune.h"

#define PENALTY		1e3
#define INIT_STEP	0.125
#define XTOL		1e-4

struct search {
	const struct tune_opts *o;
	const struct tune_trace *tr;
	uint32_t ntr;
	struct tune_space sp;
	pthread_mutex_t lock;
	struct tune_point *pts;
	uint32_t npts, cap;
	uint32_t *slot;			/* hash -> pts index + 1, 0: empty */
	uint32_t nslot;
	uint32_t next_job, njobs;	/* phase's job counter */
	uint32_t phase;
	double (*starts)[POLICY_MAX_PARAMS];
	uint32_t nstarts, local_evals, local_base;
	uint64_t replays, asked;
	int failed;
	char err[256];
};

static uint64_t conf_hash(const struct search *s, const struct policy_conf *c)
{
	uint64_t h = 1469598103934665603ull;

	for (uint32_t k = 0; k < s->o->ops->nr_params; k++) {
		h ^= (uint64_t)c->param[k];
		h *= 1099511628211ull;
		h ^= h >> 29;
	}
	return h;
}

static bool same_conf(const struct search *s, const struct policy_conf *a,
		      const struct policy_conf *b)
{
	return !memcmp(a->param, b->param,
		       s->o->ops->nr_params * sizeof(a->param[0]));
}

/* The cached point of c, or NULL; called with the lock held. */
static struct tune_point *lookup(struct search *s, const struct policy_conf *c,
				 uint32_t *slot)
{
	uint32_t i = (uint32_t)(conf_hash(s, c) & (s->nslot - 1));

	while (s->slot[i]) {
		struct tune_point *p = &s->pts[s->slot[i] - 1];

		if (same_conf(s, &p->conf, c))
			return p;
		i = (i + 1) & (s->nslot - 1);
	}
	*slot = i;
	return NULL;
}

static double penalised(const struct tune_point *p)
{
	if (tune_ok(p))
		return p->objective;
	return PENALTY + (p->makespan > 1 ? p->makespan : 0) + p->starve +
	       (p->failed ? PENALTY : 0);
}

/*
 * Evaluate c (or recall it); the penalised objective, NAN on failure.
 * `order` says where in the (deterministic) sequence of jobs it was
 * asked; a point keeps the earliest, so ties break the same way whatever
 * the workers' timing.
 */
static double ask(struct search *s, const struct policy_conf *c,
		  uint32_t order)
{
	struct tune_point pt, *p;
	char err[256];
	uint32_t slot = 0;	/* lookup() sets it; -O3 cannot tell */
	double v;

	pthread_mutex_lock(&s->lock);
	s->asked++;
	p = lookup(s, c, &slot);
	if (p && order < p->order)
		p->order = order;
	v = p ? penalised(p) : NAN;
	pthread_mutex_unlock(&s->lock);
	if (p)
		return v;
	if (tune_eval(s->o, s->tr, s->ntr, c, &pt, err, sizeof(err))) {
		pthread_mutex_lock(&s->lock);
		if (!s->failed)
			snprintf(s->err, sizeof(s->err), "%s", err);
		s->failed = 1;
		pthread_mutex_unlock(&s->lock);
		return NAN;
	}
	pt.order = order;
	pthread_mutex_lock(&s->lock);
	s->replays += s->ntr;
	p = lookup(s, c, &slot);	/* another worker may have added it */
	if (p && order < p->order)
		p->order = order;
	else if (!p && s->npts < s->cap) {
		s->pts[s->npts++] = pt;
		s->slot[slot] = s->npts;
	}
	pthread_mutex_unlock(&s->lock);
	return penalised(&pt);
}

/* One local search: its calls are numbered from `order`. */
struct local {
	struct search *s;
	uint32_t order;
	nlopt_opt opt;
};

static double nlopt_objective(unsigned n, const double *x, double *grad,
			      void *data)
{
	struct local *l = data;
	struct policy_conf c;
	double v;

	(void)n;
	(void)grad;
	space_conf(&l->s->sp, x, &c);
	v = ask(l->s, &c, l->order++);
	if (isnan(v))
		nlopt_force_stop(l->opt);
	return v;
}

/* Radical inverse of i in base b: the Halton coordinate. */
static double halton(uint32_t i, uint32_t b)
{
	double f = 1, r = 0;

	for (; i; i /= b) {
		f /= b;
		r += f * (i % b);
	}
	return r;
}

static void sample_job(struct search *s, uint32_t j)
{
	static const uint32_t primes[POLICY_MAX_PARAMS] = {
		2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53,
	};
	double u[POLICY_MAX_PARAMS];
	struct policy_conf c;

	for (uint32_t k = 0; k < s->sp.dim; k++)
		u[k] = halton(j + 1, primes[k]);
	space_conf(&s->sp, u, &c);
	ask(s, &c, 1 + j);
}

static void local_job(struct search *s, uint32_t j)
{
	double lo[POLICY_MAX_PARAMS], hi[POLICY_MAX_PARAMS];
	double step[POLICY_MAX_PARAMS], x[POLICY_MAX_PARAMS], fx;
	nlopt_opt opt = nlopt_create(NLOPT_LN_SBPLX, s->sp.dim);
	struct local l = { s, s->local_base + j * s->local_evals, opt };

	if (!opt) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		s->failed = 1;
		return;
	}
	for (uint32_t k = 0; k < s->sp.dim; k++) {
		lo[k] = 0;
		hi[k] = 1;
		step[k] = INIT_STEP;
		x[k] = s->starts[j][k];
	}
	nlopt_set_lower_bounds(opt, lo);
	nlopt_set_upper_bounds(opt, hi);
	nlopt_set_initial_step(opt, step);
	nlopt_set_min_objective(opt, nlopt_objective, &l);
	nlopt_set_maxeval(opt, (int)s->local_evals);
	nlopt_set_xtol_abs1(opt, XTOL);
	nlopt_optimize(opt, x, &fx);	/* every point it tried is cached */
	nlopt_destroy(opt);
}

static void *worker(void *data)
{
	struct search *s = data;

	for (;;) {
		uint32_t j;

		pthread_mutex_lock(&s->lock);
		j = s->next_job < s->njobs && !s->failed ? s->next_job++ :
		    UINT32_MAX;
		pthread_mutex_unlock(&s->lock);
		if (j == UINT32_MAX)
			return NULL;
		if (s->phase == 2)
			sample_job(s, j);
		else
			local_job(s, j);
	}
}

static int run_phase(struct search *s, uint32_t phase, uint32_t njobs)
{
	pthread_t th[64];
	uint32_t n = s->o->workers ? s->o->workers : 1, started = 0;

	if (n > 64)
		n = 64;
	if (n > njobs)
		n = njobs;
	s->phase = phase;
	s->next_job = 0;
	s->njobs = njobs;
	for (uint32_t i = 1; i < n; i++)
		if (!pthread_create(&th[i], NULL, worker, s))
			started = i;
	worker(s);
	for (uint32_t i = 1; i <= started; i++)
		pthread_join(th[i], NULL);
	return s->failed ? -1 : 0;
}

/* Starts of phase 3: the defaults, then the best distinct phase-2 points. */
static void pick_starts(struct search *s, uint32_t first_sample)
{
	uint32_t *order = malloc((s->npts + 1) * sizeof(*order)), n = 0;

	space_point(&s->sp, &s->pts[0].conf, s->starts[0]);
	s->nstarts = 1;
	if (!order)
		return;
	for (uint32_t i = first_sample; i < s->npts; i++)
		order[n++] = i;
	for (uint32_t a = 0; a < n && s->nstarts < s->o->starts; a++) {
		uint32_t b = a;

		for (uint32_t k = a + 1; k < n; k++)	/* selection: n small */
			if (tune_better(&s->pts[order[k]], &s->pts[order[b]]))
				b = k;
		uint32_t t = order[a];
		order[a] = order[b];
		order[b] = t;
		space_point(&s->sp, &s->pts[order[a]].conf,
			    s->starts[s->nstarts++]);
	}
	free(order);
}

static int search_alloc(struct search *s)
{
	s->cap = s->o->evals + 2;
	for (s->nslot = 64; s->nslot < 2 * s->cap; s->nslot *= 2)
		;
	s->pts = calloc(s->cap, sizeof(*s->pts));
	s->slot = calloc(s->nslot, sizeof(*s->slot));
	s->starts = calloc(s->o->starts + 1, sizeof(*s->starts));
	return s->pts && s->slot && s->starts ? 0 : -1;
}

static int by_order(const void *a, const void *b)
{
	const struct tune_point *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

int tune_search(const struct tune_opts *o, const struct tune_trace *tr,
		uint32_t ntr, struct tune_result *res, char *err, size_t errlen)
{
	struct search s = { .o = o, .tr = tr, .ntr = ntr };
	uint32_t nsample, first;
	int ret = -1;

	memset(res, 0, sizeof(*res));
	res->algorithm = "Halton sample + NLopt LN_SBPLX";
	space_init(&s.sp, o->ops, &o->base, o->fixed);
	pthread_mutex_init(&s.lock, NULL);
	if (search_alloc(&s)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (isnan(ask(&s, &o->base, 0)))
		goto fail;
	first = s.npts;
	nsample = s.sp.dim ? (o->evals - 1) / 4 : 0;
	if (nsample && run_phase(&s, 2, nsample))
		goto fail;
	pick_starts(&s, first);
	if (s.sp.dim && o->evals > 1 + nsample) {
		s.local_evals = (o->evals - 1 - nsample) / s.nstarts;
		s.local_base = 1 + nsample;
		if (s.local_evals && run_phase(&s, 3, s.nstarts))
			goto fail;
	}
	qsort(s.pts, s.npts, sizeof(*s.pts), by_order);
	res->pts = s.pts;
	res->npts = s.npts;
	s.pts = NULL;
	res->replays = s.replays;
	res->asked = s.asked;
	for (uint32_t i = 1; i < res->npts; i++)
		if (tune_better(&res->pts[i], &res->pts[res->best]))
			res->best = i;
	ret = 0;
	goto out;
fail:
	snprintf(err, errlen, "%s", s.err);
out:
	free(s.pts);
	free(s.slot);
	free(s.starts);
	pthread_mutex_destroy(&s.lock);
	return ret;
}

void tune_result_free(struct tune_result *res)
{
	free(res->pts);
	res->pts = NULL;
}
