// SPDX-License-Identifier: GPL-2.0
/*
 * `--explain COMM` end to end: which tasks to watch, both runs through the
 * same analysis (the trace read a second time, the replay through
 * replay_events), then the report. The replay is the one the table shows:
 * same model, policy, parameters and seed give the same schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/engine/engine.h"
#include "sim/explain/explain.h"
#include "sim/report/metrics.h"
#include "sim/engine/replay_events.h"

/* Pids of comm: its recorded row's, and the model's tasks of that name. */
static int32_t *watch_list(const struct model *m, const struct result *rec,
			   const char *comm, size_t *n)
{
	const struct metrics_row *row = result_comm(rec, comm);
	size_t cap = (row ? row->npids : 0) + m->nr_tasks + 1, k = 0;
	int32_t *p = malloc(cap * sizeof(*p));

	if (!p)
		return NULL;
	for (size_t i = 0; row && i < row->npids; i++)
		p[k++] = row->pids[i];
	for (uint32_t i = 0; i < m->nr_tasks; i++)
		if (!strncmp(m->tasks[i].comm, comm, TRACE_COMM_LEN))
			p[k++] = m->tasks[i].pid;
	*n = k;
	return p;
}

static int recorded_side(struct explain *x, const char *path, char *err,
			 size_t errlen)
{
	struct trace_reader *tr = trace_open(path, err, errlen);
	struct sched_event ev;
	int n;

	if (!tr)
		return -1;
	while ((n = trace_next(tr, &ev)) > 0)
		explain_event(x, &ev);
	if (n < 0)
		snprintf(err, errlen, "%s", trace_error(tr));
	trace_close(tr);
	return n < 0 ? -1 : 0;
}

static int replay_side(struct explain *x, const struct model *m,
		       const struct policy_ops *ops,
		       const struct policy_conf *pconf,
		       const struct engine_conf *ec, char *err, size_t errlen)
{
	uint32_t cpus = ec->nr_cpus ? ec->nr_cpus : m->nr_cpus;
	struct replay_events *re = replay_events_new(m, cpus, explain_emit, x);
	struct metrics *mt = metrics_new();
	struct engine_conf conf = *ec;
	struct engine_stats st;
	int ret = -1;

	if (!re || !mt || explain_map_pids(x, m, replay_events_pids(re))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	replay_events_on_repick(re, explain_repick);
	conf.sink = replay_events_sink(re);
	if (engine_run(m, ops, pconf, &conf, mt, &st, err, errlen))
		goto out;
	if (replay_events_finish(re)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
out:
	replay_events_free(re);
	metrics_free(mt);
	return ret;
}

int explain_run(FILE *f, const char *path, const char *comm,
		const struct model *m, const struct result *recorded,
		const struct policy_ops *ops, const struct policy_conf *pconf,
		const struct engine_conf *ec, uint64_t tick_ns, size_t top,
		const char *dir, const char *ext, char *err, size_t errlen)
{
	uint32_t cpus = ec->nr_cpus ? ec->nr_cpus : m->nr_cpus;
	struct explain *rx = NULL, *px = NULL;
	int32_t *pids;
	size_t npids;
	int ret = 1;

	pids = watch_list(m, recorded, comm, &npids);
	if (!pids) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	if (!npids) {
		snprintf(err, errlen, "no task of that comm in the trace");
		free(pids);
		return 2;
	}
	rx = explain_new(pids, npids, cpus, tick_ns);
	px = explain_new(pids, npids, cpus, tick_ns);
	if (!rx || !px) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (recorded_side(rx, path, err, errlen) ||
	    replay_side(px, m, ops, pconf, ec, err, errlen))
		goto out;
	explain_print(f, comm, &(struct explain_run){ "recorded", rx },
		      &(struct explain_run){ ops->name, px }, m->first_ts, top,
		      dir, ext);
	ret = 0;
out:
	explain_free(rx);
	explain_free(px);
	free(pids);
	return ret;
}
