// SPDX-License-Identifier: GPL-2.0
/*
 * From scxsim's parsed options to tune_run(): read every trace into a
 * session, pick each one's latency-sensitive and CPU-bound comms as the
 * plain report's verdict would (or as -t / --busy say), and refuse a trace
 * where the chosen comm never waited, since no configuration can improve
 * a figure that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/tune/tune.h"
#include "sim/tune/tune_cli.h"

/* Prepare trace i of the request; exit status with err set on failure. */
static int prepare(const struct tune_cli *tc, struct session *s,
		   struct tune_trace *t, const char *path, char *err,
		   size_t errlen)
{
	const struct metrics_row *r;
	char why[256];
	int ret = session_open(s, path, tc->so, why, sizeof(why));

	if (ret)
		return snprintf(err, errlen, "%s: %s", path, why), ret;
	if (report_choose(&s->rep, tc->tasks, tc->ntasks, tc->top))
		return snprintf(err, errlen, "%s: out of memory", path), 1;
	if (tc->busy)
		s->rep.busy = tc->busy;
	r = s->rep.focus ? result_comm(s->runs[0].res, s->rep.focus) : NULL;
	if (!r || !r->count)
		return snprintf(err, errlen, "%s: %s%s%s has no wakeups to "
				"tune for (name a comm with -t)", path,
				s->rep.focus ? "'" : "", s->rep.focus ?
				s->rep.focus : "no comm", s->rep.focus ?
				"'" : ""), 2;
	if (tc->busy && !result_comm(s->runs[0].res, tc->busy))
		return snprintf(err, errlen, "%s: no comm '%s' (--busy)", path,
				tc->busy), 2;
	memset(t, 0, sizeof(*t));
	t->path = path;
	t->m = s->m;
	t->ec = s->ec;
	t->first_ts = s->rep.first_ts;
	t->focus = s->rep.focus;
	t->busy = s->rep.busy;
	t->eevdf = tc->eevdf;
	session_auto_params(s, policy_find("eevdf"), &t->eevdf,
			    tc->eevdf_keep);
	t->bound_slack_ns = (s->ec.wake_cost_ns > s->ec.timer_cost_ns ?
			     s->ec.wake_cost_ns : s->ec.timer_cost_ns) +
			    s->ec.preempt_cost_ns;
	return 0;
}

int tune_main(const struct tune_cli *tc, char *err, size_t errlen)
{
	struct session *s = calloc(tc->npaths, sizeof(*s));
	struct tune_trace *t = calloc(tc->npaths, sizeof(*t));
	struct tune_outputs out = { tc->out, tc->plot, tc->timing };
	size_t opened = 0;
	int ret = 0;

	if (!s || !t) {
		free(s);
		free(t);
		return snprintf(err, errlen, "out of memory"), 1;
	}
	for (; opened < tc->npaths && !ret; opened++)
		ret = prepare(tc, &s[opened], &t[opened], tc->paths[opened],
			      err, errlen);
	if (!ret)
		ret = tune_run(&tc->o, t, (uint32_t)tc->npaths, &out, stdout,
			       err, errlen);
	for (size_t i = 0; i < opened; i++)
		session_close(&s[i]);
	free(s);
	free(t);
	return ret;
}
