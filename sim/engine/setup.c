// SPDX-License-Identifier: GPL-2.0
/*
 * Before and after a replay: the engine's state built from the model (each
 * task's policy_task, its pinning, its first burst) and the checks that the
 * replay served every burst exactly, which turn an engine or policy bug
 * into a reported violation instead of a plausible-looking figure.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/state.h"

void engine_violation(struct engine *e, const char *what, uint32_t ti)
{
	struct engine_stats *st = e->stats;

	if (!st->violations++)
		snprintf(st->first_violation, sizeof(st->first_violation),
			 "%s (pid %d at %llu ns)", what,
			 e->m->tasks[ti].pid, (unsigned long long)e->now);
}

/* Task i as the policy will see it, with its first burst made due. */
static void setup_task(struct engine *e, uint32_t i, uint64_t arrived_base)
{
	const struct model_task *mt = &e->m->tasks[i];
	struct policy_task *pt = &e->pt[i];
	struct stask *s = &e->t[i];

	s->arrived_base = arrived_base;
	s->local_next = -1;
	s->holders = -1;
	s->hold_next = -1;
	s->pin = mt->pinned_cpu < 0 ? -1 :
		 (int32_t)((uint32_t)mt->pinned_cpu % e->nr_cpus);
	pt->id = i;
	pt->pid = mt->pid;
	pt->tgid = mt->tgid;
	memcpy(pt->comm, mt->comm, POLICY_COMM_LEN);
	pt->comm[POLICY_COMM_LEN - 1] = 0;
	pt->weight = mt->weight;
	pt->autogroup = mt->autogroup;
	pt->prev_cpu = -1;
	if (s->pin >= 0) {
		pt->nr_cpus_allowed = 1;
		pt->cpus_allowed[s->pin / 64] = 1ull << (s->pin % 64);
	} else {
		pt->nr_cpus_allowed = e->nr_cpus;
		for (uint32_t c = 0; c < e->nr_cpus; c++)
			pt->cpus_allowed[c / 64] |= 1ull << (c % 64);
	}
	metrics_comm(e->out, mt->pid, mt->comm);
	metrics_touch(e->out, mt->pid);
	e->stats->demand_ns += model_demand_task(mt);
	if (mt->nr_bursts)
		engine_next_burst(e, i);
	else
		s->state = S_DONE;
}

/*
 * Who starts each of the nb bursts (the task whose edge wakes it), and for
 * each task how many distinct tasks do, counted up to MANY_WAKERS: all
 * hold.c asks is whether a wakee has that many wakers.
 */
static void count_wakers(struct engine *e, uint64_t nb)
{
	const struct model *m = e->m;

	memset(e->burst_waker, 0xff, (nb + 1) * sizeof(*e->burst_waker));
	for (uint32_t i = 0; i < m->nr_tasks; i++)
		for (uint32_t k = 0; k < m->tasks[i].nr_edges; k++) {
			const struct wake_edge *we = &m->tasks[i].edges[k];

			if (we->wakee_burst < m->tasks[we->wakee].nr_bursts)
				e->burst_waker[e->t[we->wakee].arrived_base +
					       we->wakee_burst] = i;
		}
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		const uint32_t *ws = e->burst_waker + e->t[i].arrived_base;
		/* zeroed only for LTO, which cannot see that seen[n..] is never read */
		uint32_t seen[MANY_WAKERS] = { 0 }, n = 0;

		for (uint32_t b = 0; b < m->tasks[i].nr_bursts &&
		     n < MANY_WAKERS; b++) {
			uint32_t k = 0;

			if (ws[b] == UINT32_MAX)
				continue;
			while (k < n && seen[k] != ws[b])
				k++;
			if (k == n)
				seen[n++] = ws[b];
		}
		e->nr_wakers[i] = n;
	}
}

int engine_setup(struct engine *e, const struct policy_conf *pconf,
		 char *err, size_t errlen)
{
	const struct model *m = e->m;
	struct policy_conf conf = *pconf;
	uint64_t nb = 0;
	size_t sz;
	int ret;

	ret = policy_check(e->ops);
	if (ret) {
		snprintf(err, errlen, "policy %s: %s",
			 e->ops && e->ops->name ? e->ops->name : "(unnamed)",
			 policy_strerror(ret));
		return -1;
	}
	conf.nr_cpus = e->nr_cpus;
	conf.max_tasks = m->nr_tasks ? m->nr_tasks : 1;
	e->t = calloc(conf.max_tasks, sizeof(*e->t));
	e->pt = calloc(conf.max_tasks, sizeof(*e->pt));
	e->cpu = calloc(e->nr_cpus, sizeof(*e->cpu));
	e->capheap = 1024 + 2 * (size_t)e->nr_cpus + m->nr_tasks;
	e->heap = malloc(e->capheap * sizeof(*e->heap));
	for (uint32_t i = 0; i < m->nr_tasks; i++)
		nb += m->tasks[i].nr_bursts;
	e->arrived = calloc(nb + 1, 1);
	e->burst_waker = malloc((nb + 1) * sizeof(*e->burst_waker));
	e->nr_wakers = calloc(conf.max_tasks, sizeof(*e->nr_wakers));
	sz = e->ops->state_size(&conf);
	e->st = calloc(1, sz ? sz : 1);
	if (!e->t || !e->pt || !e->cpu || !e->heap || !e->arrived ||
	    !e->burst_waker || !e->nr_wakers || !e->st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = e->ops->init(e->st, &conf);
	if (ret) {
		snprintf(err, errlen, "policy %s: init failed: %s", e->ops->name,
			 policy_strerror(ret));
		return -1;
	}
	e->env.nr_cpus = e->nr_cpus;
	e->env.idle = e->idle;
	for (uint32_t c = 0; c < e->nr_cpus; c++) {
		e->cpu[c].curr = -1;
		e->cpu[c].last = -1;
		e->cpu[c].check_at = UINT64_MAX;
		e->cpu[c].lq_head = e->cpu[c].lq_tail = -1;
		engine_idle_set(e, (int32_t)c, true);
	}
	nb = 0;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		setup_task(e, i, nb);
		nb += m->tasks[i].nr_bursts;
	}
	count_wakers(e, nb);
	return 0;
}

void engine_finish_checks(struct engine *e)
{
	const struct model *m = e->m;
	uint64_t served = 0;

	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		const struct model_task *mt = &m->tasks[i];
		struct stask *s = &e->t[i];

		for (uint32_t b = 0; b < s->burst && b < mt->nr_bursts; b++)
			served += mt->bursts[b].demand_ns;
		if (s->state != S_DONE) {
			served += s->consumed;
			e->stats->unfinished += mt->nr_bursts - s->burst;
		}
		if (s->state == S_QUEUED || s->state == S_LOCAL)
			engine_violation(e, "a runnable task was never served", i);
		if (s->state == S_RUNNING)
			engine_violation(e, "a task still running at the end", i);
		if (s->state == S_HELD)
			engine_violation(e, "a task held at a wake edge at the end",
					 i);
		if (s->runtime)
			metrics_runtime(e->out, mt->pid, s->runtime);
	}
	if (served != e->stats->served_ns)
		engine_violation(e, "CPU time served differs from the bursts' demand",
			  0);
	if (e->stats->unfinished)
		engine_violation(e, "bursts left unserved at the end", 0);
}

/* The heap ran dry with tasks queued: let idle CPUs ask once more. */
bool engine_rescue(struct engine *e)
{
	bool queued = false, kicked = false;

	for (uint32_t i = 0; i < e->m->nr_tasks && !queued; i++)
		queued = e->t[i].state == S_QUEUED || e->t[i].state == S_LOCAL;
	if (!queued || (e->stats->rescues &&
			e->rescue_switches == e->stats->switches))
		return false;	/* nothing to do, or the policy gave up */
	e->rescue_switches = e->stats->switches;
	for (uint32_t c = 0; c < e->nr_cpus; c++)
		if (e->cpu[c].curr < 0 && !e->cpu[c].pick_pending &&
		    !e->cpu[c].daemon) {
			engine_want_pick(e, (int32_t)c, 0);
			kicked = true;
		}
	e->stats->rescues += kicked;
	return kicked;
}

/* Why a replay ran past its budget: the longest burst is the usual cause. */
void engine_over_budget(struct engine *e, uint64_t popped, char *err,
			size_t errlen)
{
	const struct model *m = e->m;
	uint64_t longest = 0;
	uint32_t who = 0;

	for (uint32_t i = 0; i < m->nr_tasks; i++)
		for (uint32_t b = 0; b < m->tasks[i].nr_bursts; b++)
			if (m->tasks[i].bursts[b].demand_ns > longest) {
				longest = m->tasks[i].bursts[b].demand_ns;
				who = i;
			}
	snprintf(err, errlen, "replay under %s stopped after %" PRIu64
		 " events, more than %u per burst of the trace: the longest "
		 "burst is %.3f s of CPU without a break (%s, pid %d); "
		 "is a timestamp wrong?", e->ops->name, popped,
		 EVENTS_PER_RECORD, (double)longest / 1e9,
		 m->nr_tasks ? m->tasks[who].comm : "-",
		 m->nr_tasks ? m->tasks[who].pid : 0);
}
