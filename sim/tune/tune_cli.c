// SPDX-License-Identifier: GPL-2.0
/*
 * From scxsim's parsed options to tune_run() and sweep_run(): read every
 * trace into a session, pick each one's latency-sensitive and CPU-bound
 * comms as the plain report's verdict would (or as -t / --busy say), and
 * refuse a trace where the chosen comm never waited, since no
 * configuration can improve a figure that does not exist.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/tune/sweep.h"
#include "sim/tune/tune.h"
#include "sim/tune/tune_cli.h"

/*
 * The most a replay may charge for waking an idle CPU: the median, or the
 * top of the trace's spread when each wakeup draws from it.
 */
static uint64_t wake_cost_max(const struct session *s)
{
	static const int kinds[] = { COST_WAKE, COST_TIMER };
	uint64_t worst = s->ec.wake_cost_ns > s->ec.timer_cost_ns ?
			 s->ec.wake_cost_ns : s->ec.timer_cost_ns;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		int k = kinds[i];
		uint32_t n = s->m->cost_q_n[k];

		if ((s->ec.costs_drawn & (1u << k)) && n &&
		    s->m->cost_q[k][n - 1] > worst)
			worst = s->m->cost_q[k][n - 1];
	}
	return worst;
}

/* Prepare one trace; exit status with err set on failure. */
static int prepare(const struct cli *c, struct session *s,
		   struct tune_trace *t, const char *path,
		   const struct policy_conf *eevdf, bool keep, char *err,
		   size_t errlen)
{
	const struct metrics_row *r;
	int ret = session_open(s, path, &c->so, err, errlen);

	if (ret)
		return ret;
	if (report_choose(&s->rep, c->tasks, c->ntasks, (size_t)c->top))
		return snprintf(err, errlen, "out of memory"), 1;
	if (c->busy)
		s->rep.busy = c->busy;
	r = s->rep.focus ? result_comm(s->runs[0].res, s->rep.focus) : NULL;
	if (!r || !r->count)
		return snprintf(err, errlen, "%s%s%s has no wakeups to tune "
				"for (name a comm with -t)", s->rep.focus ?
				"'" : "", s->rep.focus ? s->rep.focus :
				"no comm", s->rep.focus ? "'" : ""), 2;
	if (c->busy && !result_comm(s->runs[0].res, c->busy))
		return snprintf(err, errlen, "no comm '%s' (--busy)", c->busy),
		       2;
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->m = s->m;
	t->ec = s->ec;
	t->first_ts = s->rep.first_ts;
	t->focus = s->rep.focus;
	t->busy = s->rep.busy;
	/* the tuned policy's decisions on its host, as a plain replay
	 * takes them (scxlive unless --host kernel); eevdf's on the kernel */
	t->ec.live = c->host && !strcmp(c->host, "kernel") ? NULL : &c->live;
	t->host = t->ec.live ? "scxlive" : "kernel";
	t->eevdf = *eevdf;
	session_auto_params(s, policy_find("eevdf"), &t->eevdf, keep);
	t->bound_slack_ns = wake_cost_max(s) + s->ec.preempt_cost_ns;
	return 0;
}

/* The tuned policy with the user's -p, those keys fixed; the baseline. */
static void tune_opts(const struct cli *c, struct tune_opts *o,
		      const struct policy_conf **eevdf, bool *keep)
{
	size_t plen = strlen(c->tune);

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < c->npol; i++) {
		if (!strcmp(c->pol[i].ops->name, c->tune)) {
			o->ops = c->pol[i].ops;
			o->base = c->pol[i].conf;
		}
		if (!strcmp(c->pol[i].ops->name, "eevdf"))
			*eevdf = &c->pol[i].conf;
	}
	*keep = false;
	for (size_t k = 0; k < c->nparams; k++) {
		const char *p = c->params[k];

		*keep |= !strncmp(p, "eevdf.next_buddy=", 17);
		if (strncmp(p, c->tune, plen) || p[plen] != '.')
			continue;
		for (uint32_t i = 0; i < o->ops->nr_params; i++) {
			size_t n = strlen(o->ops->params[i].name);

			if (!strncmp(p + plen + 1, o->ops->params[i].name, n) &&
			    p[plen + 1 + n] == '=')
				o->fixed[i] = true;
		}
	}
	o->figure = (enum tune_figure)c->figure;
	o->within = c->within;
	o->check_bound = !c->no_bound;
	o->evals = c->evals;
	o->workers = c->workers;
	o->starts = 4;
}

/*
 * A search replays its models thousands of times, each replay allocating
 * and freeing a few MB. glibc hands that back to the kernel after every
 * replay (a brk shrink, a munmap of each array over 128 KB) and the next
 * replay faults it in again, zeroed: 11% of --tune's CPU time went to the
 * kernel (0.18 of 1.66 s, 560 page faults a replay on game_build.dat).
 * Keep freed memory for the next replay instead; the peak is unchanged.
 */
static void keep_freed_memory(void)
{
#if defined(M_TRIM_THRESHOLD) && defined(M_MMAP_THRESHOLD)
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

int cli_tune(struct cli *c)
{
	struct session *s = calloc(c->npaths, sizeof(*s));
	struct tune_trace *t = calloc(c->npaths, sizeof(*t));
	struct tune_outputs out = { c->out, c->plot, c->timing };
	const struct policy_conf *eevdf = NULL;
	struct tune_opts o;
	size_t opened = 0;
	char err[512];
	bool keep;
	int ret = 0;

	if (!s || !t) {
		free(s);
		free(t);
		return cli_fail_sys("--tune", "out of memory");
	}
	keep_freed_memory();
	tune_opts(c, &o, &eevdf, &keep);
	for (; opened < c->npaths && !ret; opened++)
		if ((ret = prepare(c, &s[opened], &t[opened],
				   c->paths[opened], eevdf, keep, err,
				   sizeof(err))))
			ret = cli_fail_status(c->paths[opened], ret, err);
	if (!ret && (ret = tune_run(&o, t, (uint32_t)c->npaths, &out, stdout,
				    err, sizeof(err))))
		ret = cli_fail_status("--tune", ret, err);
	for (size_t i = 0; i < opened; i++)
		session_close(&s[i]);
	free(s);
	free(t);
	return ret;
}

static const struct policy_ops *find(const char *name, void *arg)
{
	return cli_find_policy(arg, name);
}

int cli_sweep(struct cli *c)
{
	struct sweep_req rq = {
		.spec = c->sweep, .shard = c->shard, .nshards = c->nshards,
		.focus = c->ntasks ? c->tasks[0] : NULL, .busy = c->busy,
		.top = (size_t)c->top, .out = c->json ? c->json : "-",
	};
	char err[512];
	int ret;

	keep_freed_memory();
	ret = sweep_run(&rq, &c->so, find, c, err, sizeof(err));

	if (ret)
		ret = cli_fail_status("--sweep", ret, err);
	return ret;
}
