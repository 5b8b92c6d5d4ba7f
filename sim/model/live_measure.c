// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive round trip, measured from a trace recorded under scxlive.
 *
 * Everything is read off sched_switch and sched_waking. A task needs the
 * daemon when it becomes runnable outside the BPF side's own paths: woken
 * (sched_waking, sched_wakeup_new) or put back while still runnable (a
 * switch-out in state R); per-CPU kernel threads ("name/N...") never do,
 * nor does the daemon itself. That wait then has three legs:
 *   A  enqueue -> the daemon's next switch-in (its wakeup, or its ongoing
 *      run ending and the next one starting),
 *   B  the daemon running (the run that decided it),
 *   C  the daemon's switch-out -> the task's switch-in (the decision
 *      landing: on the daemon's own CPU at once, elsewhere after a kick or
 *      the next reschedule);
 * or none, when the task ran before the daemon did: a BPF path (the idle
 * CPU fast path, the congested fallback, the starvation rescue).
 *
 * The costs the host model draws from: the daemon's wakeup (sched_waking
 * of it -> its switch-in), apart for an idle and a busy target CPU; and its
 * CPU time per run against the messages that run had to handle (enqueues
 * waiting when it started), fitted as round + per_msg * n over the median
 * run time at each n (medians, because a run that the vCPU's host thread
 * lost for 20 ms also collects more messages: a plain least-squares slope
 * would read that stall as per-message work).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/model/live_measure.h"
#include "sim/model/pidmap.h"

#define LM_CPUS		256
#define LM_FIT_N	32

struct lm_task {
	uint64_t enq_at;	/* waiting for the daemon since, 0: not */
	uint64_t din;		/* the daemon's switch-in after it, 0: none yet */
	uint64_t dout;		/* ... and its switch-out */
	bool idle_wake;		/* woken onto an idle CPU */
};

struct samples {
	uint64_t *v;
	size_t n, cap;
};

enum { LEG_A, LEG_B, LEG_C, LEG_TOTAL, LEG_FAST, NR_LEGS };

struct live_measure {
	struct pidmap pids;
	struct lm_task *tasks;
	uint32_t nr_tasks, cap_tasks;
	int32_t curr[LM_CPUS];
	uint64_t busy_ns[LM_CPUS];	/* CPU time of tasks but the daemon */
	uint64_t busy_at[LM_CPUS];	/* ... counted up to then */
	uint64_t run_busy0;		/* others' busy_ns when it began */
	uint32_t ncpus;			/* highest CPU seen + 1 */
	int32_t daemon;			/* its pid in this trace, 0: not seen */
	uint64_t wake_at;		/* the daemon's pending wakeup */
	bool wake_idle;
	uint64_t on_at;			/* its running run's start, 0: off */
	int32_t run_cpu;		/* ... on this CPU */
	uint32_t msgs;			/* enqueues since its last switch-in */
	uint32_t run_msgs;		/* ... handled by the running run */

	uint64_t first_ts, last_ts;
	uint64_t daemon_ns, span_ns;	/* over all traces, CPU-weighted */
	uint64_t runs, traces, run_msgs_sum;
	struct samples wake[2];		/* [0] idle target, [1] busy */
	struct samples run;
	/* runs by messages handled, [0] other CPUs idle, [1] one busy */
	struct samples run_n[2][LM_FIT_N + 1];
	struct samples wake_task;	/* idle-CPU wakeups the BPF side served */
	struct samples legs[NR_LEGS];
	int oom;
};

static void add(struct live_measure *lm, struct samples *s, uint64_t v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		uint64_t *nv = realloc(s->v, cap * sizeof(*nv));

		if (!nv) {
			lm->oom = 1;
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

struct live_measure *live_measure_new(void)
{
	struct live_measure *lm = calloc(1, sizeof(*lm));

	if (!lm || pidmap_init(&lm->pids)) {
		free(lm);
		return NULL;
	}
	return lm;
}

static void free_samples(struct samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

void live_measure_free(struct live_measure *lm)
{
	if (!lm)
		return;
	pidmap_free(&lm->pids);
	free(lm->tasks);
	for (int i = 0; i < 2; i++)
		free_samples(&lm->wake[i]);
	free_samples(&lm->run);
	for (int i = 0; i <= LM_FIT_N; i++)
		for (int k = 0; k < 2; k++)
			free_samples(&lm->run_n[k][i]);
	free_samples(&lm->wake_task);
	for (int i = 0; i < NR_LEGS; i++)
		free_samples(&lm->legs[i]);
	free(lm);
}

static struct lm_task *task(struct live_measure *lm, int32_t pid)
{
	uint32_t i = pidmap_get(&lm->pids, pid);

	if (i != PIDMAP_NONE)
		return &lm->tasks[i];
	if (lm->nr_tasks == lm->cap_tasks) {
		uint32_t cap = lm->cap_tasks ? 2 * lm->cap_tasks : 256;
		struct lm_task *nt = realloc(lm->tasks, cap * sizeof(*nt));

		if (!nt) {
			lm->oom = 1;
			return NULL;
		}
		lm->tasks = nt;
		lm->cap_tasks = cap;
	}
	if (pidmap_put(&lm->pids, pid, lm->nr_tasks)) {
		lm->oom = 1;
		return NULL;
	}
	memset(&lm->tasks[lm->nr_tasks], 0, sizeof(lm->tasks[0]));
	return &lm->tasks[lm->nr_tasks++];
}

static bool is_daemon_comm(const char *comm)
{
	return !strncmp(comm, "scxlive", 7);
}

/* "ksoftirqd/1", "kworker/0:2", "migration/1": bound to one CPU. */
static bool is_percpu_comm(const char *comm)
{
	const char *s = strchr(comm, '/');

	return s && s[1] >= '0' && s[1] <= '9';
}

/* pid becomes runnable and needs the daemon's decision. */
static void enqueued(struct live_measure *lm, int32_t pid, const char *comm,
		     uint64_t ts, bool idle_wake)
{
	struct lm_task *t;

	if (pid <= 0 || pid == lm->daemon || is_percpu_comm(comm))
		return;
	t = task(lm, pid);
	if (!t)
		return;
	t->enq_at = ts;
	t->din = t->dout = 0;
	t->idle_wake = idle_wake;
	lm->msgs++;
}

static void switched_in(struct live_measure *lm, int32_t pid, uint64_t ts)
{
	uint32_t i = pidmap_get(&lm->pids, pid);
	struct lm_task *t;

	if (i == PIDMAP_NONE || !lm->tasks[i].enq_at)
		return;
	t = &lm->tasks[i];
	if (!t->din || t->din > ts) {
		add(lm, &lm->legs[LEG_FAST], ts - t->enq_at);
		if (t->idle_wake)
			add(lm, &lm->wake_task, ts - t->enq_at);
	} else {
		add(lm, &lm->legs[LEG_A], t->din - t->enq_at);
		if (t->dout) {
			add(lm, &lm->legs[LEG_B], t->dout - t->din);
			add(lm, &lm->legs[LEG_C], ts - t->dout);
		}
		add(lm, &lm->legs[LEG_TOTAL], ts - t->enq_at);
	}
	t->enq_at = 0;
}

/* The daemon got a CPU: every task still waiting has its A leg. */
/* Busy time of every CPU but `cpu` up to ts (a task but the daemon ran). */
static uint64_t others_busy(struct live_measure *lm, int32_t cpu, uint64_t ts)
{
	uint64_t sum = 0;

	for (uint32_t c = 0; c < lm->ncpus; c++) {
		if ((int32_t)c == cpu)
			continue;
		sum += lm->busy_ns[c];
		if (lm->curr[c] > 0 && lm->curr[c] != lm->daemon &&
		    ts > lm->busy_at[c])
			sum += ts - lm->busy_at[c];
	}
	return sum;
}

static void daemon_in(struct live_measure *lm, uint64_t ts, int32_t cpu)
{
	lm->run_cpu = cpu;
	lm->run_busy0 = others_busy(lm, cpu, ts);
	if (lm->wake_at) {
		add(lm, &lm->wake[lm->wake_idle ? 0 : 1], ts - lm->wake_at);
		lm->wake_at = 0;
	}
	for (uint32_t i = 0; i < lm->nr_tasks; i++)
		if (lm->tasks[i].enq_at && !lm->tasks[i].din)
			lm->tasks[i].din = ts;
	lm->on_at = ts;
	lm->run_msgs = lm->msgs;
	lm->msgs = 0;
}

static void daemon_out(struct live_measure *lm, uint64_t ts)
{
	uint64_t ran = ts - lm->on_at;
	/*
	 * Fitted against the messages waiting when it started only: those
	 * that came while it ran are more the longer it ran, whatever it
	 * cost to handle them.
	 */
	uint32_t n = lm->run_msgs;
	/* Shared: another CPU was busy for most of the run. */
	uint64_t busy = others_busy(lm, lm->run_cpu, ts) - lm->run_busy0;
	bool shared = lm->ncpus > 1 && 2 * busy > ran * (lm->ncpus - 1);

	add(lm, &lm->run, ran);
	add(lm, &lm->run_n[shared][n < LM_FIT_N ? n : LM_FIT_N], ran);
	lm->daemon_ns += ran;
	lm->runs++;
	lm->run_msgs_sum += n + lm->msgs;
	lm->msgs = 0;
	for (uint32_t i = 0; i < lm->nr_tasks; i++)
		if (lm->tasks[i].enq_at && lm->tasks[i].din &&
		    !lm->tasks[i].dout)
			lm->tasks[i].dout = ts;
	lm->on_at = 0;
}

static void on_switch(struct live_measure *lm, const struct sched_event *ev)
{
	int32_t cpu = ev->cpu;

	if (!lm->daemon && is_daemon_comm(ev->comm2))
		lm->daemon = ev->pid2;
	if (!lm->daemon && is_daemon_comm(ev->comm))
		lm->daemon = ev->pid;
	if (cpu >= 0 && cpu < LM_CPUS) {
		if (lm->curr[cpu] > 0 && lm->curr[cpu] != lm->daemon &&
		    ev->ts > lm->busy_at[cpu])
			lm->busy_ns[cpu] += ev->ts - lm->busy_at[cpu];
		lm->busy_at[cpu] = ev->ts;
		lm->curr[cpu] = ev->pid2;
		if ((uint32_t)cpu >= lm->ncpus)
			lm->ncpus = (uint32_t)cpu + 1;
	}
	if (ev->pid == lm->daemon && lm->on_at)
		daemon_out(lm, ev->ts);
	else if (ev->pid > 0 && ev->prev_state == SEV_STATE_RUNNING)
		enqueued(lm, ev->pid, ev->comm, ev->ts, false);
	if (ev->pid2 == lm->daemon)
		daemon_in(lm, ev->ts, cpu);
	else
		switched_in(lm, ev->pid2, ev->ts);
}

int live_measure_event(struct live_measure *lm, const struct sched_event *ev)
{
	if (!lm->first_ts)
		lm->first_ts = ev->ts;
	lm->last_ts = ev->ts;
	switch (ev->type) {
	case SEV_SWITCH:
		on_switch(lm, ev);
		break;
	case SEV_WAKING:
	case SEV_WAKEUP_NEW:
		if (!lm->daemon && is_daemon_comm(ev->comm))
			lm->daemon = ev->pid;
		if (ev->pid == lm->daemon) {
			if (!lm->wake_at && !lm->on_at) {
				lm->wake_at = ev->ts;
				lm->wake_idle = ev->cpu2 >= 0 &&
						ev->cpu2 < LM_CPUS &&
						!lm->curr[ev->cpu2];
			}
		} else {
			enqueued(lm, ev->pid, ev->comm, ev->ts,
				 ev->cpu2 >= 0 && ev->cpu2 < LM_CPUS &&
				 !lm->curr[ev->cpu2]);
		}
		break;
	default:
		break;
	}
	return lm->oom ? -1 : 0;
}

void live_measure_trace_end(struct live_measure *lm, uint32_t cpus)
{
	if (lm->daemon) {
		lm->span_ns += (lm->last_ts - lm->first_ts) * (cpus ? cpus : 1);
		lm->traces++;
	}
	/* The next trace has its own pids and CPUs. */
	pidmap_free(&lm->pids);
	if (pidmap_init(&lm->pids))
		lm->oom = 1;
	lm->nr_tasks = 0;
	memset(lm->curr, 0, sizeof(lm->curr));
	memset(lm->busy_ns, 0, sizeof(lm->busy_ns));
	memset(lm->busy_at, 0, sizeof(lm->busy_at));
	lm->ncpus = 0;
	lm->daemon = 0;
	lm->wake_at = lm->on_at = 0;
	lm->msgs = 0;
	lm->first_ts = lm->last_ts = 0;
}

/*
 * Weighted least squares over the median run time at each n >= 1 (n seen
 * in 20 runs at least), at most the median run with one message: a slope
 * steeper than that is noise.
 */
static uint64_t fit_per_msg(struct live_measure *lm)
{
	double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, b, one = 0;

	for (int i = 0; i < 2 * LM_FIT_N; i++) {
		int n = i % LM_FIT_N;
		struct samples *s = &lm->run_n[i / LM_FIT_N][n];
		uint64_t q[LIVE_COST_Q];
		double w, y;

		/* per kind: the two kinds differ by their round, not per msg */
		if (!n || s->n < 20)
			continue;
		live_cost_quantiles(s->v, s->n, q);
		y = (double)(q[LIVE_COST_Q / 2 - 1] + q[LIVE_COST_Q / 2]) / 2;
		if (n == 1 && (!one || y < one))
			one = y;
		w = (double)s->n;
		sw += w;
		sx += w * n;
		sy += w * y;
		sxx += w * n * n;
		sxy += w * n * y;
	}
	if (sw <= 0 || sw * sxx - sx * sx <= 0)
		return 0;
	b = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
	if (one > 0 && b > one)
		b = one;
	return b > 0 ? (uint64_t)b : 0;
}

static size_t leg_line(char *buf, size_t len, const char *name,
		       struct samples *s)
{
	uint64_t q[LIVE_COST_Q];

	if (!s->n)
		return (size_t)snprintf(buf, len, "#   %-34s none\n", name);
	live_cost_quantiles(s->v, s->n, q);
	return (size_t)snprintf(buf, len, "#   %-34s n=%-6zu p50 %6.0f us, "
		"p90 %7.0f us, p99 %7.0f us (bins: first %.0f, last %.0f us)\n",
		name, s->n, (double)s->v[s->n / 2] / 1e3,
		(double)s->v[s->n * 9 / 10] / 1e3,
		(double)s->v[s->n * 99 / 100] / 1e3,
		(double)q[0] / 1e3, (double)q[LIVE_COST_Q - 1] / 1e3);
}

int live_measure_finish(struct live_measure *lm, struct live_cost *c,
			char *report, size_t len)
{
	static const char *const legs[NR_LEGS] = {
		"A enqueue -> daemon running", "B daemon running -> done",
		"C daemon done -> task running", "A+B+C via the daemon",
		"BPF paths (ran before the daemon)",
	};
	struct samples round[2] = { { 0 } };
	uint64_t per_msg;
	size_t off = 0, dec;

	if (!lm->runs || (!lm->wake[0].n && !lm->wake[1].n)) {
		snprintf(report, len, "no trace shows scxlive's daemon (a task "
			 "named scxlive...) running and being woken");
		return -1;
	}
	per_msg = fit_per_msg(lm);
	for (int k = 0; k < 2; k++)
		for (int n = 0; n <= LM_FIT_N; n++)
			for (size_t i = 0; i < lm->run_n[k][n].n; i++) {
				uint64_t v = lm->run_n[k][n].v[i];
				uint64_t w = per_msg * (uint64_t)n;

				add(lm, &round[k], v > w ? v - w : 0);
			}
	if (lm->oom) {
		free_samples(&round[0]);
		free_samples(&round[1]);
		snprintf(report, len, "out of memory");
		return -1;
	}
	/* A kind never seen borrows the other's figures. */
	for (int k = 0; k < 2; k++) {
		struct samples *s = round[k].n ? &round[k] : &round[!k];

		live_cost_quantiles(s->v, s->n, c->q[k ? LCOST_ROUND_SHARED :
						      LCOST_ROUND]);
	}
	if (lm->wake_task.n)
		live_cost_quantiles(lm->wake_task.v, lm->wake_task.n,
				    c->q[LCOST_WAKE_TASK]);
	else
		memcpy(c->q[LCOST_WAKE_TASK], c->q[LCOST_WAKE_IDLE],
		       sizeof(c->q[0]));
	/* A target kind never seen borrows the other's figures. */
	for (int k = 0; k < 2; k++) {
		struct samples *s = lm->wake[k].n ? &lm->wake[k] : &lm->wake[!k];

		live_cost_quantiles(s->v, s->n, c->q[k ? LCOST_WAKE_BUSY :
						      LCOST_WAKE_IDLE]);
	}
	c->per_msg_ns = per_msg;
	dec = lm->legs[LEG_TOTAL].n + lm->legs[LEG_FAST].n;
	off += (size_t)snprintf(report + off, len - off,
		"# %llu trace(s): the daemon ran %llu times, %.2f%% of the CPUs' "
		"time, handling %.1f messages a run\n"
		"# waits: %zu via the daemon, %zu (%.0f%%) by the BPF side's own "
		"paths\n", (unsigned long long)lm->traces,
		(unsigned long long)lm->runs, lm->span_ns ? 100.0 *
		(double)lm->daemon_ns / (double)lm->span_ns : 0.0,
		(double)lm->run_msgs_sum / (double)lm->runs, lm->legs[LEG_TOTAL].n,
		lm->legs[LEG_FAST].n, dec ? 100.0 * (double)lm->legs[LEG_FAST].n /
		(double)dec : 0.0);
	for (int i = 0; i < NR_LEGS && off < len; i++)
		off += leg_line(report + off, len - off, legs[i], &lm->legs[i]);
	if (off < len)
		off += leg_line(report + off, len - off,
				"daemon wakeup, idle CPU", &lm->wake[0]);
	if (off < len)
		off += leg_line(report + off, len - off,
				"daemon wakeup, busy CPU", &lm->wake[1]);
	if (off < len)
		off += leg_line(report + off, len - off, "daemon run",
				&lm->run);
	for (int k = 0; k < 2 && off < len; k++)
		off += leg_line(report + off, len - off, k ?
				"  its round, another CPU busy" :
				"  its round, other CPUs idle", &round[k]);
	if (off < len)
		off += leg_line(report + off, len - off,
				"task wakeup onto an idle CPU, BPF",
				&lm->wake_task);
	free_samples(&round[0]);
	free_samples(&round[1]);
	if (off < len)
		snprintf(report + off, len - off, "# fit: a run costs round_ns "
			 "+ %llu ns per message it handles\n",
			 (unsigned long long)per_msg);
	return 0;
}
