// SPDX-License-Identifier: GPL-2.0
/*
 * Building the workload model from the event stream, in one pass.
 *
 * Each task walks a small state machine driven by sched_switch and the
 * wakeup events: a switch-out that sleeps closes the open burst, a wakeup of
 * a sleeping task opens the next one and records its cause, a preemption
 * (prev_state 0) only pauses the CPU-time count. The waker of a task-context
 * wakeup is the task our per-CPU tracking says was running there; its CPU
 * time into its own burst is the wake edge's offset.
 *
 * Like perf sched latency, sched_waking is the wake time when the trace has
 * it and sched_wakeup is then ignored. A wakeup that finds its task not
 * asleep (it raced with the task's own switch-out) is remembered: if the
 * task is next seen switching in without another wakeup, that remembered
 * wake is its cause, flagged NOCOUNT because perf counts no delay there.
 *
 * The wake costs and the tick are measured on the side (estimate.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "sim/model/estimate.h"
#include "sim/model/model.h"

enum { TS_UNKNOWN, TS_RUNNING, TS_RUNNABLE, TS_WOKEN, TS_SLEEPING, TS_DEAD };

/*
 * Make room for `need` elements of *pp (a pointer to the array pointer):
 * 0 on success; on failure -1 with the array and *cap as they were, so no
 * count ever points past a buffer that is gone.
 */
int model_grow(void *pp, uint32_t *cap, uint32_t need, size_t size)
{
	uint32_t n = *cap ? *cap : 4;
	void *p, *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	memcpy(&p, pp, sizeof(p));
	q = realloc(p, (size_t)n * size);
	if (!q)
		return -1;
	memset((char *)q + (size_t)*cap * size, 0, (size_t)(n - *cap) * size);
	memcpy(pp, &q, sizeof(q));
	*cap = n;
	return 0;
}

struct model *model_new(void)
{
	struct model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (pidmap_init(&m->pid_index)) {
		free(m);
		return NULL;
	}
	return m;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		free(m->tasks[i].bursts);
		free(m->tasks[i].edges);
		free(m->tasks[i].ahead_wakees);
	}
	free(m->tasks);
	pidmap_free(&m->pid_index);
	free(m->cpu_curr);
	free(m->cpu_first);
	free(m->cpu_tick_at);
	free(m->cpu_switch_at);
	free(m->tick_gap);
	for (int k = 0; k < COST_KINDS; k++)
		free(m->cost[k]);
	free(m->pre_side[0]);
	free(m->pre_side[1]);
	free(m);
}

static struct model_task *task_at(struct model *m, int32_t idx)
{
	return idx < 0 ? NULL : &m->tasks[idx];
}

static int32_t task_lookup(struct model *m, int32_t pid)
{
	uint32_t i = pidmap_get(&m->pid_index, pid);

	return i == PIDMAP_NONE ? -1 : (int32_t)i;
}

/* A fresh task for pid (replacing a dead one of the same pid). */
static int32_t task_new(struct model *m, int32_t pid, const char *comm)
{
	struct model_task *t;

	if (model_grow(&m->tasks, &m->cap_tasks, m->nr_tasks + 1,
			sizeof(*m->tasks)))
		return -1;
	t = &m->tasks[m->nr_tasks];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->tgid = pid;
	if (comm)
		memcpy(t->comm, comm, TRACE_COMM_LEN - 1);
	t->weight = POLICY_NICE_0_WEIGHT;
	t->pinned_cpu = -1;
	t->parent = -1;
	t->cpu = -1;
	t->first_cpu = -1;
	t->stray_waker = -1;
	t->ahead_waker = -1;
	t->cost_wake_cpu = -1;
	if (pidmap_put(&m->pid_index, pid, m->nr_tasks))
		return -1;
	return (int32_t)m->nr_tasks++;
}

/*
 * The last comm any event carried names the task, as the recorded side
 * names its rows; a perf.data's COMM records override that at the end.
 */
static int32_t task_get(struct model *m, int32_t pid, const char *comm)
{
	int32_t idx = task_lookup(m, pid);

	if (idx >= 0 && m->tasks[idx].state != TS_DEAD) {
		if (comm && comm[0])
			memcpy(m->tasks[idx].comm, comm, TRACE_COMM_LEN - 1);
		return idx;
	}
	return task_new(m, pid, comm);
}

static int cpu_grow(struct model *m, int32_t cpu)
{
	uint32_t need = (uint32_t)cpu + 1, old = m->cpu_cap, cap = old;
	uint64_t *first, *tick_at, *switch_at;

	if (need <= m->cpu_cap)
		return 0;
	/* The u64 arrays first: cpu_cap only moves once all four hold. */
	for (cap = cap ? cap : 4; cap < need; cap *= 2)
		;
	first = realloc(m->cpu_first, cap * sizeof(uint64_t));
	if (!first)
		return -1;
	m->cpu_first = first;
	tick_at = realloc(m->cpu_tick_at, cap * sizeof(uint64_t));
	if (!tick_at)
		return -1;
	m->cpu_tick_at = tick_at;
	switch_at = realloc(m->cpu_switch_at, cap * sizeof(uint64_t));
	if (!switch_at)
		return -1;
	m->cpu_switch_at = switch_at;
	if (model_grow(&m->cpu_curr, &m->cpu_cap, cap, sizeof(*m->cpu_curr)))
		return -1;
	for (uint32_t c = old; c < m->cpu_cap; c++) {
		m->cpu_curr[c] = -1;	/* unknown until a switch says */
		m->cpu_first[c] = UINT64_MAX;
		m->cpu_tick_at[c] = 0;
		m->cpu_switch_at[c] = 0;
	}
	return 0;
}

static struct burst *burst_open(struct model *m, struct model_task *t,
				uint8_t src, uint8_t flags, uint64_t at)
{
	struct burst *b;

	if (model_grow(&t->bursts, &t->cap_bursts, t->nr_bursts + 1,
			 sizeof(*t->bursts)))
		return NULL;
	b = &t->bursts[t->nr_bursts++];
	b->src = src;
	b->flags = flags;
	b->at_ns = at;
	b->demand_ns = 0;
	b->sleep_ns = 0;
	t->consumed = 0;
	t->preempted_since_edge = false;
	m->nr_bursts++;
	if (src == BURST_TIMER)
		m->nr_timer++;
	return b;
}

/*
 * An edge of waker's; a stray one found wakee awake (not yet switched out)
 * and goes to the burst the wakee starts next, kept only if waker turns
 * out to run ahead (model_finish()).
 */
static int edge_add(struct model *m, struct model_task *waker, uint32_t burst,
		    uint64_t offset, uint32_t wakee, uint32_t wakee_burst,
		    bool stray)
{
	struct wake_edge *e;

	if (model_grow(&waker->edges, &waker->cap_edges,
			    waker->nr_edges + 1, sizeof(*waker->edges)))
		return -1;
	e = &waker->edges[waker->nr_edges++];
	*e = (struct wake_edge){ .offset_ns = offset, .burst = burst,
				 .wakee = wakee, .wakee_burst = wakee_burst,
				 .stray = stray };
	if (stray)
		return 0;
	e->waker_preempted = waker->preempted_since_edge;
	waker->preempted_since_edge = false;
	m->nr_edges++;
	return 0;
}

static void set_prio(struct model_task *t, int32_t prio)
{
	if (prio <= 0 || prio >= 140)
		return;
	t->rt = prio < 100;
	t->weight = policy_nice_to_weight(t->rt ? -20 : prio - 120);
}

static void saw_cpu(struct model_task *t, int32_t cpu)
{
	if (t->first_cpu < 0)
		t->first_cpu = cpu;
	else if (t->first_cpu != cpu)
		t->multi_cpu = true;
}

/* The waker's offset when the current task of `cpu` is `pid` and running. */
static int32_t running_waker(struct model *m, const struct sched_event *ev)
{
	int32_t w;

	if (ev->ctx & (SEV_CTX_HARDIRQ | SEV_CTX_SOFTIRQ | SEV_CTX_NMI))
		return -1;
	if (ev->common_pid <= 0 || ev->cpu < 0 ||
	    (uint32_t)ev->cpu >= m->cpu_cap ||
	    m->cpu_curr[ev->cpu] != ev->common_pid)
		return -1;
	w = task_lookup(m, ev->common_pid);
	if (w < 0 || m->tasks[w].state != TS_RUNNING ||
	    m->tasks[w].cpu != ev->cpu || !m->tasks[w].nr_bursts)
		return -1;
	return w;
}

static uint64_t rel(const struct model *m, uint64_t ts)
{
	return ts > m->first_ts ? ts - m->first_ts : 0;
}

/* Start the burst of t that a wakeup at ts (from waker w, or -1) causes. */
static int wake_burst(struct model *m, int32_t ti, int32_t w, uint64_t offset,
		      uint32_t wburst, uint64_t ts, uint8_t flags, bool fork)
{
	struct model_task *t = &m->tasks[ti];
	uint8_t src = w >= 0 ? (fork ? BURST_NEW : BURST_EDGE) :
		      fork ? BURST_NEW : BURST_TIMER;
	struct burst *b;

	b = burst_open(m, t, src, flags | (fork ? BURST_FORK : 0), rel(m, ts));
	if (!b)
		return -1;
	if (src == BURST_TIMER || (src == BURST_NEW && w < 0)) {
		b->src = BURST_TIMER;
		b->sleep_ns = ts > t->blocked_at ? ts - t->blocked_at : 0;
		if (t->state == TS_UNKNOWN)
			b->sleep_ns = rel(m, ts);
	}
	if (w >= 0 && edge_add(m, &m->tasks[w], wburst, offset, (uint32_t)ti,
			       t->nr_bursts - 1, false))
		return -1;
	t->state = TS_WOKEN;
	return 0;
}

/* cpu is busy with a task other than pid while some other CPU idles. */
static bool busy_beside_idle(const struct model *m, int32_t cpu, int32_t pid)
{
	if (m->cpu_curr[cpu] <= 0 || m->cpu_curr[cpu] == pid)
		return false;
	for (uint32_t c = 0; c < m->cpu_cap; c++)
		if ((int32_t)c != cpu && m->cpu_curr[c] == 0)
			return true;
	return false;
}

static int on_wake(struct model *m, const struct sched_event *ev, bool fork)
{
	int32_t ti, w = running_waker(m, ev);
	struct model_task *t, *wt;
	uint64_t offset = 0;
	uint8_t flags = 0;

	if (ev->pid <= 0)
		return 0;
	ti = task_get(m, ev->pid, ev->comm);
	if (ti < 0)
		return -1;
	t = &m->tasks[ti];
	set_prio(t, ev->prio);
	if (w == ti)
		w = -1;
	wt = task_at(m, w);
	if (wt)
		offset = wt->consumed + (ev->ts - wt->on_since);
	if (ev->ctx & (SEV_CTX_HARDIRQ | SEV_CTX_SOFTIRQ | SEV_CTX_NMI))
		flags |= BURST_IRQ;
	t->cost_wake_cpu = -1;
	if (ev->cpu2 >= 0 && (uint32_t)ev->cpu2 < m->cpu_cap &&
	    m->cpu_curr[ev->cpu2] >= 0) {
		t->cost_wake_at = ev->ts;
		t->cost_wake_cpu = ev->cpu2;
		t->cost_kind = m->cpu_curr[ev->cpu2] ? COST_PREEMPT :
			       wt ? COST_WAKE : COST_TIMER;
		t->cost_remote = ev->cpu != ev->cpu2;
		/* Evidence of pinning if it stays there (saw_cpu says). */
		if (!fork && (t->state == TS_SLEEPING) &&
		    busy_beside_idle(m, ev->cpu2, ev->pid))
			t->kept_busy++;
	}
	if (wt && t->state == TS_SLEEPING) {
		wt->woke_asleep++;
	} else if (wt && (t->state == TS_RUNNING || t->state == TS_RUNNABLE)) {
		wt->woke_awake++;
		if (edge_add(m, wt, wt->nr_bursts - 1, offset, (uint32_t)ti,
			     t->nr_bursts, true))
			return -1;
	}
	switch (t->state) {
	case TS_UNKNOWN:
	case TS_SLEEPING:
		return wake_burst(m, ti, w, offset,
				  wt ? wt->nr_bursts - 1 : 0, ev->ts, flags,
				  fork);
	case TS_RUNNING:
	case TS_RUNNABLE:
		/* Racing its own switch-out, or woken before it slept. */
		t->stray_wake_at = ev->ts;
		t->stray_waker = w;
		t->stray_waker_burst = wt ? wt->nr_bursts - 1 : 0;
		t->stray_offset = offset;
		return 0;
	default:
		return 0;
	}
}

static int switch_out(struct model *m, const struct sched_event *ev)
{
	int32_t ti = task_get(m, ev->pid, ev->comm);
	struct model_task *t;

	if (ti < 0)
		return -1;
	t = &m->tasks[ti];
	set_prio(t, ev->prio);
	saw_cpu(t, ev->cpu);
	if (t->state == TS_UNKNOWN) {
		/*
		 * Running since before the trace, or since the CPU's last
		 * switch if it had one (that switch named another task: the
		 * tracer lost or misnamed this one's switch-in; lost_switch
		 * gave the other none of this time), never longer.
		 */
		uint64_t since = m->cpu_switch_at[ev->cpu] ?
				 m->cpu_switch_at[ev->cpu] :
				 m->cpu_first[ev->cpu];

		if (!burst_open(m, t, BURST_INITIAL, BURST_NOCOUNT,
				rel(m, since)))
			return -1;
		t->on_since = since;
		t->state = TS_RUNNING;
	}
	if (t->state == TS_RUNNING)
		t->consumed += ev->ts - t->on_since;
	if (!t->nr_bursts || t->state == TS_DEAD)
		return 0;
	/* Preempted, even after sched_process_exit: it still has to die. */
	if (ev->prev_state == SEV_STATE_RUNNING) {
		t->state = TS_RUNNABLE;
		t->preempted_since_edge = true;
		return 0;
	}
	t->bursts[t->nr_bursts - 1].demand_ns = t->consumed;
	t->blocked_at = ev->ts;
	if (ev->prev_state & SEV_STATE_DEAD || t->exited) {
		t->bursts[t->nr_bursts - 1].flags |= BURST_LAST_EXIT;
		t->exited = true;
		t->state = TS_DEAD;
	} else {
		t->state = TS_SLEEPING;
	}
	return 0;
}

static int switch_in(struct model *m, const struct sched_event *ev)
{
	int32_t ti = task_get(m, ev->pid2, ev->comm2);
	struct model_task *t;

	if (ti < 0)
		return -1;
	t = &m->tasks[ti];
	set_prio(t, ev->prio2);
	saw_cpu(t, ev->cpu);
	/*
	 * Only when the CPU went from idle straight to this task, or when
	 * this task took it from a preempted one.
	 */
	if (t->cost_wake_cpu == ev->cpu && t->state == TS_WOKEN &&
	    (t->cost_kind == COST_PREEMPT ?
	     ev->pid > 0 && ev->prev_state == SEV_STATE_RUNNING : !ev->pid))
		estimate_cost_sample(m, t->cost_kind, t->cost_remote,
				     ev->ts - t->cost_wake_at);
	t->cost_wake_cpu = -1;
	switch (t->state) {
	case TS_UNKNOWN:
		/*
		 * Runnable since before the trace: ready when first seen. perf
		 * counts this switch-in (a delay of 0 from its first sight),
		 * so the replay counts its first run too.
		 */
		if (!burst_open(m, t, BURST_INITIAL, 0, rel(m, ev->ts)))
			return -1;
		break;
	case TS_SLEEPING:
	case TS_DEAD:
		if (t->stray_wake_at && t->stray_wake_at >= t->on_since) {
			struct model_task *w = task_at(m, t->stray_waker);

			if (w && w->nr_bursts <= t->stray_waker_burst)
				t->stray_waker = -1;
			if (wake_burst(m, ti, t->stray_waker, t->stray_offset,
				       t->stray_waker_burst,
				       t->stray_wake_at > t->blocked_at ?
				       t->stray_wake_at : t->blocked_at,
				       BURST_NOCOUNT, false))
				return -1;
		} else if (wake_burst(m, ti, -1, 0, 0, ev->ts, BURST_NOCOUNT,
				      false)) {
			return -1;
		}
		break;
	default:
		break;
	}
	t->stray_wake_at = 0;
	t->state = TS_RUNNING;
	t->cpu = ev->cpu;
	t->on_since = ev->ts;
	return 0;
}

/*
 * The switch names a prev other than the task we saw switched in on this
 * CPU: the tracer lost that task's switch-out. When it left is unknown, so
 * it is credited no CPU time after its last switch-in rather than all the
 * time until the trace ends; it sleeps from then on.
 */
static void lost_switch(struct model *m, const struct sched_event *ev)
{
	int32_t cur = m->cpu_curr[ev->cpu], ti;
	struct model_task *t;

	if (cur <= 0 || cur == ev->pid)
		return;
	ti = task_lookup(m, cur);
	t = task_at(m, ti);
	if (!t || t->state != TS_RUNNING || t->cpu != ev->cpu ||
	    !t->nr_bursts)
		return;
	m->lost_switches++;
	t->bursts[t->nr_bursts - 1].demand_ns = t->consumed;
	t->blocked_at = t->on_since;
	t->state = TS_SLEEPING;
}

/* A fork names the child, gives it its parent's weight, and wakes it. */
static int on_fork(struct model *m, const struct sched_event *ev)
{
	struct sched_event w = *ev;
	int32_t p = task_lookup(m, ev->pid2);
	int32_t ti;

	ti = task_lookup(m, ev->pid);
	if (ti >= 0 && m->tasks[ti].state != TS_DEAD)
		return 0;	/* already known: the stream began after */
	ti = task_new(m, ev->pid, ev->comm[0] ? ev->comm : ev->comm2);
	if (ti < 0)
		return -1;
	m->tasks[ti].parent = p;
	m->tasks[ti].ppid = ev->pid2;
	if (p >= 0) {
		m->tasks[ti].weight = m->tasks[p].weight;
		m->tasks[ti].tgid = m->tasks[p].tgid;
	}
	/* The parent forks from task context: it is the waker. */
	w.common_pid = ev->pid2;
	w.ctx = 0;
	w.cpu2 = -1;
	w.prio = 0;
	return on_wake(m, &w, true);
}

int model_add(struct model *m, const struct sched_event *ev)
{
	int32_t ti;
	int ret = 0;

	if (m->oom)
		return -1;
	if (ev->type == SEV_COMM) {
		/* perf's synthesized names carry no meaningful time */
		if (ev->pid <= 0)
			return 0;
		ti = task_get(m, ev->pid, NULL);
		if (ti < 0)
			return m->oom = -1;
		m->saw_comm_records = true;
		memcpy(m->tasks[ti].perf_comm, ev->comm, TRACE_COMM_LEN - 1);
		return 0;
	}
	if (ev->cpu < 0 || ev->cpu >= POLICY_MAX_CPUS)
		return 0;
	if (!m->events++)
		m->first_ts = ev->ts;
	if (cpu_grow(m, ev->cpu))
		return m->oom = -1;
	if ((uint32_t)ev->cpu + 1 > m->nr_cpus)
		m->nr_cpus = (uint32_t)ev->cpu + 1;
	if (m->cpu_first[ev->cpu] == UINT64_MAX)
		m->cpu_first[ev->cpu] = ev->ts;
	if (ev->ts > m->first_ts + m->duration_ns)
		m->duration_ns = ev->ts - m->first_ts;

	switch (ev->type) {
	case SEV_SWITCH:
		lost_switch(m, ev);
		if (ev->pid > 0)
			ret = switch_out(m, ev);
		if (!ret && ev->pid2 > 0)
			ret = switch_in(m, ev);
		m->cpu_curr[ev->cpu] = ev->pid2;
		m->cpu_tick_at[ev->cpu] = 0;
		m->cpu_switch_at[ev->cpu] = ev->ts;
		break;
	case SEV_RUNTIME:
		estimate_tick_sample(m, ev);
		break;
	case SEV_WAKING:
		m->have_waking = true;
		estimate_path_sample(m, ev);
		ret = on_wake(m, ev, false);
		break;
	case SEV_WAKEUP:
		estimate_path_sample(m, ev);
		if (!m->have_waking)
			ret = on_wake(m, ev, false);
		break;
	case SEV_WAKEUP_NEW:
		ti = task_lookup(m, ev->pid);
		if (ti < 0 || m->tasks[ti].state == TS_UNKNOWN ||
		    m->tasks[ti].state == TS_SLEEPING ||
		    m->tasks[ti].state == TS_DEAD)
			ret = on_wake(m, ev, true);
		break;
	case SEV_FORK:
		ret = on_fork(m, ev);
		break;
	case SEV_EXEC:
	case SEV_EXIT:
		if (ev->pid > 0 && task_get(m, ev->pid, ev->comm) < 0)
			return m->oom = -1;
		if (ev->type == SEV_EXEC)
			break;
		ti = task_lookup(m, ev->pid);
		if (ti >= 0)
			m->tasks[ti].exited = true;
		break;
	default:
		break;
	}
	if (ret)
		m->oom = -1;
	return ret;
}

static int edge_cmp(const void *a, const void *b)
{
	const struct wake_edge *x = a, *y = b;

	if (x->burst != y->burst)
		return x->burst < y->burst ? -1 : 1;
	if (x->offset_ns != y->offset_ns)
		return x->offset_ns < y->offset_ns ? -1 : 1;
	return 0;
}

/*
 * Edges are added in the order their waker ran, so they are almost always
 * in edge_cmp() order already: then sorting them (stably: glibc's qsort is
 * a merge sort) would leave them as they are, and is skipped.
 */
static bool edges_sorted(const struct model_task *t)
{
	for (uint32_t k = 1; k < t->nr_edges; k++)
		if (edge_cmp(&t->edges[k - 1], &t->edges[k]) > 0)
			return false;
	return true;
}

static void drop_stray_edges(struct model_task *t)
{
	uint32_t n = 0;

	for (uint32_t k = 0; k < t->nr_edges; k++)
		if (!t->edges[k].stray)
			t->edges[n++] = t->edges[k];
	t->nr_edges = n;
}

/*
 * The bursts that wakeups of a task that runs ahead start, and its list of
 * their tasks (a task's edges all come before the next task's, so a wakee
 * whose ahead_waker is not yet this task is new to it): 0, or -1 out of
 * memory.
 */
static int mark_ahead(struct model *m)
{
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		struct model_task *t = &m->tasks[i];
		uint32_t cap = 0;

		if (!t->runs_ahead)
			continue;
		for (uint32_t k = 0; k < t->nr_edges; k++) {
			const struct wake_edge *we = &t->edges[k];
			struct model_task *w = &m->tasks[we->wakee];

			if (we->wakee_burst >= w->nr_bursts ||
			    w->bursts[we->wakee_burst].src != BURST_EDGE)
				continue;
			w->bursts[we->wakee_burst].flags |= BURST_AHEAD;
			if (w->ahead_waker == (int32_t)i)
				continue;
			if (model_grow(&t->ahead_wakees, &cap,
				       t->nr_ahead_wakees + 1, sizeof(uint32_t)))
				return -1;
			t->ahead_wakees[t->nr_ahead_wakees++] = we->wakee;
			w->ahead_waker = (int32_t)i;
		}
	}
	return 0;
}

int model_finish(struct model *m)
{
	uint64_t end = m->first_ts + m->duration_ns;

	if (m->oom)
		return -1;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		struct model_task *t = &m->tasks[i];
		int32_t cpu;

		if (t->state == TS_RUNNING)
			t->consumed += end - t->on_since;
		if (t->nr_bursts && (t->state == TS_RUNNING ||
				     t->state == TS_RUNNABLE))
			t->bursts[t->nr_bursts - 1].demand_ns = t->consumed;
		/* Woken but never ran before the end: nothing to serve. */
		if (t->state == TS_WOKEN && t->nr_bursts) {
			t->nr_bursts--;
			m->nr_bursts--;
		}
		if (m->saw_comm_records && t->perf_comm[0])
			memcpy(t->comm, t->perf_comm, TRACE_COMM_LEN);
		else if (m->saw_comm_records || !t->comm[0])
			snprintf(t->comm, TRACE_COMM_LEN, ":%d", (int)t->pid);
		cpu = kthread_cpu(t->comm);
		if (cpu >= 0 && !t->multi_cpu && t->first_cpu == cpu)
			t->pinned_cpu = cpu;
		else if (!t->multi_cpu && t->first_cpu >= 0 &&
			 t->kept_busy >= MODEL_PIN_EVIDENCE)
			t->pinned_cpu = t->first_cpu;
		for (uint32_t e = 0; e < t->nr_edges; e++) {
			struct wake_edge *we = &t->edges[e];

			/* An edge never outruns the work it sits in. */
			if (we->burst < t->nr_bursts &&
			    we->offset_ns > t->bursts[we->burst].demand_ns)
				we->offset_ns = t->bursts[we->burst].demand_ns;
		}
		t->runs_ahead = t->woke_awake >= MODEL_AHEAD_EVIDENCE &&
				t->woke_awake > t->woke_asleep;
		if (!t->runs_ahead)
			drop_stray_edges(t);
		else	/* they fire as the others do: the replay's budget */
			for (uint32_t k = 0; k < t->nr_edges; k++)
				m->nr_edges += t->edges[k].stray;
		if (!edges_sorted(t))
			qsort(t->edges, t->nr_edges, sizeof(*t->edges),
			      edge_cmp);
	}
	if (mark_ahead(m) || model_autogroups(m))
		return -1;
	estimate_wake_costs(m);
	estimate_tick(m);
	estimate_preempt_model(m);
	pidmap_free(&m->pid_index);
	m->finished = true;
	return 0;
}

uint64_t model_demand_task(const struct model_task *t)
{
	uint64_t sum = 0;

	for (uint32_t b = 0; b < t->nr_bursts; b++)
		sum += t->bursts[b].demand_ns;
	return sum;
}

uint64_t model_demand(const struct model *m)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < m->nr_tasks; i++)
		sum += model_demand_task(&m->tasks[i]);
	return sum;
}
