// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive round trip, measured from a trace recorded under scxlive.
 *
 * Everything is read off sched_switch and sched_waking. scxlive's daemon
 * never sleeps: it yields between runs and waits, runnable, in a DSQ of its
 * own, so the trace shows it switched out in state R and switched in again
 * with no wakeup. What brought it in is the switch itself:
 *  - from the idle task: an idle CPU was kicked for it (work arrived, and
 *    the BPF side found an idle CPU);
 *  - from a task still runnable: that task was preempted for it (an
 *    interrupt wakeup, a CPU's last task, the heartbeat) or its slice ended
 *    with work waiting;
 *  - from a task that blocked: the CPU looked for work and found the
 *    daemon's (a decision waits, or notices wait and the CPU would idle).
 * A task needs the daemon when it becomes runnable: woken (sched_waking,
 * sched_wakeup_new) or put back while still runnable (a switch-out in
 * state R); per-CPU kernel threads ("name/N...") never do, nor does the
 * daemon itself. Its wait then has three legs:
 *   A  enqueue -> the daemon's next switch-in,
 *   B  the daemon running (the run that decided it),
 *   C  the daemon's switch-out -> the task's switch-in (the decision
 *      landing: on the daemon's own CPU at once, elsewhere when that CPU
 *      next looks for work or is kicked idle);
 * or none, when the task ran before the daemon did: a BPF path (a waking
 * task sent straight to an idle CPU, the fast path, congested, rescued).
 *
 * The costs the host model draws from:
 *  - the kick of an idle CPU: earliest work waiting since the daemon last
 *    left a CPU -> its switch-in from idle;
 *  - the preemption of a busy CPU: an interrupt-context wakeup on that CPU
 *    (the BPF side preempts the CPU the interrupt came on) -> the daemon's
 *    switch-in there, preempting;
 *  - its CPU time per run against the messages that run had to handle
 *    (every QUEUED, RUNNING, STOPPING and EXIT record the BPF side sent
 *    since the run before began), fitted as round + per_msg * n over the
 *    median run time at each n (medians, because a run that the vCPU's host
 *    thread lost for 20 ms also collects more messages: a least-squares
 *    slope would read that stall as per-message work);
 *  - a task's wakeup onto an idle CPU the BPF side served alone, apart
 *    for one by an interrupt on that idle CPU itself (its waking CPU is its
 *    target: a timer's, on the CPU the task slept on), which needs no IPI,
 *    so no other vCPU of an emulated guest has to let go first.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/model/live_measure.h"
#include "sim/model/pidmap.h"

#define LM_CPUS		256
#define LM_FIT_N	64

struct lm_task {
	uint64_t enq_at;	/* waiting for the daemon since, 0: not */
	uint64_t din;		/* the daemon's switch-in after it, 0: none yet */
	uint64_t dout;		/* ... and its switch-out */
	bool idle_wake;		/* woken onto an idle CPU */
	bool shared;		/* ... while another CPU was busy */
	bool local;		/* ... by an interrupt on that CPU itself */
	int32_t target;		/* ... that one (select_cpu's), or -1 */
	int32_t dcpu;		/* where the daemon ran at din */
};

struct samples {
	uint64_t *v;
	size_t n, cap;
};

enum { LEG_A, LEG_B, LEG_C, LEG_TOTAL, LEG_FAST, NR_LEGS };
/* What brought the daemon onto its CPU (the switch that did). */
enum { TRIG_IDLE, TRIG_PREEMPT, TRIG_BLOCK, NR_TRIG };

struct live_measure {
	struct pidmap pids;
	struct lm_task *tasks;
	uint32_t nr_tasks, cap_tasks;
	int32_t curr[LM_CPUS];
	uint64_t busy_ns[LM_CPUS];	/* CPU time of tasks but the daemon */
	uint64_t busy_at[LM_CPUS];	/* ... counted up to then */
	uint64_t irq_enq[LM_CPUS];	/* latest interrupt wakeup there */
	uint64_t idle_since[LM_CPUS];	/* went idle then, 0: busy */
	uint64_t run_busy0;		/* others' busy_ns when it began */
	uint32_t ncpus;			/* highest CPU seen + 1 */
	int32_t daemon;			/* its pid in this trace, 0: not seen */
	uint64_t on_at;			/* its running run's start, 0: off */
	uint64_t off_at;		/* its latest switch-out */
	int32_t run_cpu;		/* ... on this CPU */
	int run_trig;
	uint32_t msgs;			/* messages since its last switch-in */
	uint32_t run_msgs;		/* ... handled by the running run */

	uint64_t first_ts, last_ts;
	uint64_t daemon_ns, span_ns;	/* over all traces, CPU-weighted */
	uint64_t runs, traces, run_msgs_sum, msgs_sum;
	uint64_t trig_runs[NR_TRIG], trig_ns[NR_TRIG];
	/* [0] idle CPU kicked, [1] preempted, [2] idle while another busy,
	 * [3] preempted while another busy */
	struct samples wake[4];
	struct samples run;
	/* runs by messages handled, [0] other CPUs idle, [1] one busy */
	struct samples run_n[2][LM_FIT_N + 1];
	/* idle-CPU wakeups the BPF side served, [1] while another was busy */
	struct samples wake_task[2];
	/* ... those by an interrupt on that CPU itself, [1] another busy */
	struct samples wake_local[2];
	/*
	 * [0] wake[2] and [1] wake_task[1] cut short: the busy CPUs idled
	 * first, this long after the wakeup (censored: the shared wakeup
	 * would have taken longer); freed: from their idling to the run.
	 */
	struct samples cut[2];
	struct samples freed;
	struct samples legs[NR_LEGS];
	/* the kernel's wakeup path: sched_waking -> sched_wakeup, one CPU */
	int32_t path_pid[LM_CPUS];
	uint64_t path_at[LM_CPUS];
	struct samples path;
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
	for (int i = 0; i < 4; i++)
		free_samples(&lm->wake[i]);
	free_samples(&lm->run);
	for (int i = 0; i <= LM_FIT_N; i++)
		for (int k = 0; k < 2; k++)
			free_samples(&lm->run_n[k][i]);
	free_samples(&lm->path);
	free_samples(&lm->wake_task[0]);
	free_samples(&lm->wake_task[1]);
	free_samples(&lm->wake_local[0]);
	free_samples(&lm->wake_local[1]);
	free_samples(&lm->cut[0]);
	free_samples(&lm->cut[1]);
	free_samples(&lm->freed);
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

/* A task the daemon hears about (its messages count). */
static bool via_daemon(const struct live_measure *lm, int32_t pid,
		       const char *comm)
{
	return pid > 0 && pid != lm->daemon && !is_percpu_comm(comm);
}

/* pid becomes runnable and needs the daemon's decision. */
static void enqueued(struct live_measure *lm, int32_t pid, const char *comm,
		     uint64_t ts, int32_t target, bool shared, bool local)
{
	bool idle_wake = target >= 0;
	struct lm_task *t;

	if (!via_daemon(lm, pid, comm))
		return;
	t = task(lm, pid);
	if (!t)
		return;
	t->enq_at = ts;
	t->din = t->dout = 0;
	t->idle_wake = idle_wake;
	t->shared = shared;
	t->local = local;
	t->target = target;
	lm->msgs++;
}

/* Another CPU than cpu runs something (the daemon counts). */
static bool others_run(const struct live_measure *lm, int32_t cpu)
{
	for (uint32_t c = 0; c < lm->ncpus; c++)
		if ((int32_t)c != cpu && lm->curr[c] > 0)
			return true;
	return false;
}

/*
 * Another CPU than cpu ran something at some time since start (to now):
 * in an emulated guest whose vCPUs share one host thread, a wakeup on cpu
 * then waits for that one to let go, as when it was busy at the wakeup.
 */
static bool others_ran(const struct live_measure *lm, int32_t cpu,
		       uint64_t start)
{
	for (uint32_t c = 0; c < lm->ncpus; c++)
		if ((int32_t)c != cpu &&
		    (lm->curr[c] > 0 || lm->idle_since[c] > start))
			return true;
	return false;
}

/*
 * A wakeup of idle CPU cpu from start to its switch-in at end, another CPU
 * busy at start (busy): WS_SHARED while another CPU stayed busy to the
 * end; else WS_FREED when all the others idled on the way (*d from then,
 * *cut from start to then), WS_QUIET when none was busy.
 */
enum { WS_QUIET, WS_SHARED, WS_FREED };
static int wake_sample(const struct live_measure *lm, int32_t cpu,
		       uint64_t start, uint64_t end, bool busy, uint64_t *d,
		       uint64_t *cut)
{
	uint64_t freed = 0;

	*d = end - start;
	*cut = 0;
	if (!busy)
		return WS_QUIET;
	for (uint32_t c = 0; c < lm->ncpus; c++) {
		if ((int32_t)c == cpu)
			continue;
		if (lm->curr[c] > 0 || !lm->idle_since[c])
			return WS_SHARED;
		if (lm->idle_since[c] > freed)
			freed = lm->idle_since[c];
	}
	if (freed <= start || freed > end)
		return WS_QUIET;
	*d = end - freed;
	*cut = freed - start;
	return WS_FREED;
}

/*
 * A wakeup's sample: quiet or shared; one cut short goes to cuts (the
 * shared kind's censored ones) and, from the idling on, to freed and to
 * quiet as well: from then it was a quiet machine's wakeup (leaving them
 * out of quiet kept mostly a quiet guest's slow wakeups from idle, whose
 * tail follows the host's load: the server's dispatcher p99 came out 2-3x
 * live in two boots, against 1.0-1.6x with them).
 */
static void wake_add(struct live_measure *lm, int kind, uint64_t d,
		     uint64_t cut, struct samples *quiet,
		     struct samples *shared, struct samples *cuts)
{
	if (kind == WS_FREED) {
		add(lm, cuts, cut);
		add(lm, &lm->freed, d);
		add(lm, quiet, d);
	} else {
		add(lm, kind == WS_SHARED ? shared : quiet, d);
	}
}

static void switched_in(struct live_measure *lm, int32_t pid, int32_t cpu,
			uint64_t ts, bool from_idle)
{
	uint32_t i = pidmap_get(&lm->pids, pid);
	struct lm_task *t;

	if (i == PIDMAP_NONE || !lm->tasks[i].enq_at)
		return;
	t = &lm->tasks[i];
	/*
	 * Run on the idle CPU its wakeup found, which stayed idle, while the
	 * daemon ran elsewhere: the BPF side's run_on_idle() placed it there
	 * (the daemon ran for the notices; in a guest whose vCPUs share a
	 * thread the woken CPU runs once the daemon's lets go), not a decision.
	 */
	if (t->din && t->idle_wake && t->target == cpu && t->dcpu != cpu &&
	    from_idle)
		t->din = 0;
	if (!t->din || t->din > ts) {
		add(lm, &lm->legs[LEG_FAST], ts - t->enq_at);
		if (t->idle_wake && t->local) {
			/*
			 * Its CPU was awake: no other vCPU had to let go. Only
			 * when that CPU went from idle to it: after another
			 * task (one the same interrupt woke first), the wait
			 * was that task's run, which a replay queues itself.
			 */
			if (from_idle && t->target == cpu)
				add(lm, &lm->wake_local[t->shared ||
					others_ran(lm, cpu, t->enq_at)],
				    ts - t->enq_at);
		} else if (t->idle_wake) {
			uint64_t d, cut;
			int k = wake_sample(lm, cpu, t->enq_at, ts, t->shared,
					    &d, &cut);

			wake_add(lm, k, d, cut, &lm->wake_task[0],
				 &lm->wake_task[1], &lm->cut[1]);
		}
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

/*
 * The daemon got CPU cpu, from prev (its state prev_state): every task
 * still waiting has its A leg; a kick's latency is a sample of its kind.
 */
static void daemon_in(struct live_measure *lm, uint64_t ts, int32_t cpu,
		      int32_t prev, uint32_t prev_state)
{
	uint64_t first = 0;

	lm->run_cpu = cpu;
	lm->run_busy0 = others_busy(lm, cpu, ts);
	lm->run_trig = prev <= 0 ? TRIG_IDLE :
		       prev_state == SEV_STATE_RUNNING ? TRIG_PREEMPT :
		       TRIG_BLOCK;
	for (uint32_t i = 0; i < lm->nr_tasks; i++) {
		struct lm_task *t = &lm->tasks[i];

		if (!t->enq_at || t->din)
			continue;
		t->din = ts;
		t->dcpu = cpu;
		if (t->enq_at >= lm->off_at && (!first || t->enq_at < first))
			first = t->enq_at;
	}
	if (lm->run_trig == TRIG_IDLE && first) {
		uint64_t d, cut;
		int k = wake_sample(lm, cpu, first, ts, others_run(lm, cpu),
				    &d, &cut);

		wake_add(lm, k, d, cut, &lm->wake[0], &lm->wake[2],
			 &lm->cut[0]);
	}
	if (lm->run_trig == TRIG_PREEMPT && cpu >= 0 && cpu < LM_CPUS &&
	    lm->irq_enq[cpu] >= lm->off_at && lm->irq_enq[cpu])
		add(lm, &lm->wake[others_run(lm, cpu) ? 3 : 1],
		    ts - lm->irq_enq[cpu]);
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
	lm->trig_runs[lm->run_trig]++;
	lm->trig_ns[lm->run_trig] += ran;
	lm->run_msgs_sum += n;
	for (uint32_t i = 0; i < lm->nr_tasks; i++)
		if (lm->tasks[i].enq_at && lm->tasks[i].din &&
		    !lm->tasks[i].dout)
			lm->tasks[i].dout = ts;
	lm->on_at = 0;
	lm->off_at = ts;
}

static void account_cpu(struct live_measure *lm, const struct sched_event *ev)
{
	int32_t cpu = ev->cpu;

	if (cpu < 0 || cpu >= LM_CPUS)
		return;
	if (lm->curr[cpu] > 0 && lm->curr[cpu] != lm->daemon &&
	    ev->ts > lm->busy_at[cpu])
		lm->busy_ns[cpu] += ev->ts - lm->busy_at[cpu];
	lm->busy_at[cpu] = ev->ts;
	lm->curr[cpu] = ev->pid2;
	lm->idle_since[cpu] = ev->pid2 > 0 ? 0 : ev->ts;
	if ((uint32_t)cpu >= lm->ncpus)
		lm->ncpus = (uint32_t)cpu + 1;
}

static void on_switch(struct live_measure *lm, const struct sched_event *ev)
{
	if (!lm->daemon && is_daemon_comm(ev->comm2))
		lm->daemon = ev->pid2;
	if (!lm->daemon && is_daemon_comm(ev->comm))
		lm->daemon = ev->pid;
	account_cpu(lm, ev);
	/* STOPPING and RUNNING notices, whoever the daemon is. */
	lm->msgs += via_daemon(lm, ev->pid, ev->comm);
	lm->msgs += via_daemon(lm, ev->pid2, ev->comm2);
	lm->msgs_sum += via_daemon(lm, ev->pid, ev->comm) +
			via_daemon(lm, ev->pid2, ev->comm2);
	if (ev->pid == lm->daemon && lm->on_at)
		daemon_out(lm, ev->ts);
	else if (ev->pid > 0 && ev->prev_state == SEV_STATE_RUNNING)
		enqueued(lm, ev->pid, ev->comm, ev->ts, -1, false, false);
	if (ev->pid2 == lm->daemon && lm->daemon)
		daemon_in(lm, ev->ts, ev->cpu, ev->pid, ev->prev_state);
	else
		switched_in(lm, ev->pid2, ev->cpu, ev->ts, ev->pid <= 0);
}

static void on_wake(struct live_measure *lm, const struct sched_event *ev)
{
	bool idle = ev->cpu2 >= 0 && ev->cpu2 < LM_CPUS && !lm->curr[ev->cpu2];
	bool shared = idle && others_run(lm, ev->cpu2);
	/* an interrupt on the idle CPU itself (the waker's CPU is the target) */
	bool local = idle && ev->cpu == ev->cpu2;

	if (!lm->daemon && is_daemon_comm(ev->comm))
		lm->daemon = ev->pid;
	if (ev->pid == lm->daemon || !via_daemon(lm, ev->pid, ev->comm))
		return;
	lm->msgs_sum++;
	enqueued(lm, ev->pid, ev->comm, ev->ts, idle ? ev->cpu2 : -1, shared,
		 local);
	if ((ev->ctx & (SEV_CTX_HARDIRQ | SEV_CTX_SOFTIRQ)) && ev->cpu >= 0 &&
	    ev->cpu < LM_CPUS)
		lm->irq_enq[ev->cpu] = ev->ts;
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
		if (ev->cpu >= 0 && ev->cpu < LM_CPUS) {
			lm->path_pid[ev->cpu] = ev->pid;
			lm->path_at[ev->cpu] = ev->ts;
		}
		on_wake(lm, ev);
		break;
	case SEV_WAKEUP_NEW:
		on_wake(lm, ev);
		break;
	case SEV_EXIT:
		lm->msgs += via_daemon(lm, ev->pid, ev->comm);
		break;
	case SEV_WAKEUP:
		if (ev->cpu >= 0 && ev->cpu < LM_CPUS && ev->pid > 0 &&
		    lm->path_pid[ev->cpu] == ev->pid &&
		    ev->ts >= lm->path_at[ev->cpu])
			add(lm, &lm->path, ev->ts - lm->path_at[ev->cpu]);
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
	memset(lm->irq_enq, 0, sizeof(lm->irq_enq));
	memset(lm->idle_since, 0, sizeof(lm->idle_since));
	memset(lm->path_pid, 0, sizeof(lm->path_pid));
	lm->ncpus = 0;
	lm->daemon = 0;
	lm->on_at = lm->off_at = 0;
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

/* Quantiles of the first kind with samples (else c's stay). */
static void set_q(struct live_cost *c, enum live_cost_kind k,
		  struct samples *a, struct samples *b, struct samples *d)
{
	struct samples *s = a->n ? a : b->n ? b : d;

	if (s && s->n)
		live_cost_quantiles(s->v, s->n, c->q[k]);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A shared wakeup's quantiles from its samples s and those cut short
 * (cut: the busy CPUs idled first, so it would have taken longer), by
 * Kaplan-Meier: leaving the cut ones out would keep only the wakeups
 * quick enough to beat the other CPU's idling. A bin past the last
 * estimate takes the longest time seen.
 */
static void set_q_cut(struct live_cost *c, enum live_cost_kind k,
		      struct samples *s, struct samples *cut,
		      struct samples *fallback)
{
	size_t i = 0, j = 0, at_risk;
	double surv = 1.0;
	uint64_t longest = 0;
	int b = 0;

	if (!s->n) {
		/* every one cut short: it never beats the idling */
		set_q(c, k, fallback, fallback, NULL);
		for (i = 0; i < cut->n; i++)
			if (cut->v[i] > longest)
				longest = cut->v[i];
		for (b = 0; longest && b < LIVE_COST_Q; b++)
			c->q[k][b] = longest;
		return;
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	if (cut->n)
		qsort(cut->v, cut->n, sizeof(*cut->v), cmp_u64);
	at_risk = s->n + cut->n;
	longest = s->v[s->n - 1];
	if (cut->n && cut->v[cut->n - 1] > longest)
		longest = cut->v[cut->n - 1];
	while (i < s->n && b < LIVE_COST_Q) {
		uint64_t t = s->v[i];
		size_t died = 0;

		/* a cut at t still stood at risk at t */
		while (j < cut->n && cut->v[j] < t) {
			j++;
			at_risk--;
		}
		while (i < s->n && s->v[i] == t) {
			i++;
			died++;
		}
		surv *= 1.0 - (double)died / (double)at_risk;
		at_risk -= died;
		while (b < LIVE_COST_Q &&
		       1.0 - surv >= (2.0 * b + 1) / (2.0 * LIVE_COST_Q))
			c->q[k][b++] = t;
	}
	for (; b < LIVE_COST_Q; b++)
		c->q[k][b] = longest;
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

/* The daemon's runs by what brought them, and its share of the CPUs. */
static size_t share_lines(struct live_measure *lm, char *buf, size_t len)
{
	static const char *const trig[NR_TRIG] = {
		"kicked onto an idle CPU", "preempting a task",
		"taking a CPU a task left",
	};
	double span = (double)lm->span_ns;
	size_t dec = lm->legs[LEG_TOTAL].n + lm->legs[LEG_FAST].n, off;

	off = (size_t)snprintf(buf, len,
		"# %llu trace(s): the daemon ran %llu times, %.2f%% of the CPUs' "
		"time; %.1f messages a run (%llu in all)\n"
		"# waits: %zu via the daemon, %zu (%.0f%%) by the BPF side's own "
		"paths\n", (unsigned long long)lm->traces,
		(unsigned long long)lm->runs,
		span > 0 ? 100.0 * (double)lm->daemon_ns / span : 0.0,
		(double)lm->run_msgs_sum / (double)lm->runs,
		(unsigned long long)lm->msgs_sum, lm->legs[LEG_TOTAL].n,
		lm->legs[LEG_FAST].n, dec ? 100.0 *
		(double)lm->legs[LEG_FAST].n / (double)dec : 0.0);
	for (int k = 0; k < NR_TRIG && off < len; k++)
		off += (size_t)snprintf(buf + off, len - off,
			"#   runs %-27s %6llu (%4.1f%%), %.2f%% of the CPUs\n",
			trig[k], (unsigned long long)lm->trig_runs[k],
			100.0 * (double)lm->trig_runs[k] / (double)lm->runs,
			span > 0 ? 100.0 * (double)lm->trig_ns[k] / span : 0.0);
	return off < len ? off : len;
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
	size_t off = 0;

	if (!lm->runs || (!lm->wake[0].n && !lm->wake[1].n && !lm->wake[2].n &&
			  !lm->wake[3].n)) {
		snprintf(report, len, "no trace shows scxlive's daemon (a task "
			 "named scxlive...) running after work waited for it");
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
	/* A kind never seen borrows its nearest kind's figures. */
	set_q(c, LCOST_ROUND, &round[0], &round[1], NULL);
	set_q(c, LCOST_ROUND_SHARED, &round[1], &round[0], NULL);
	set_q(c, LCOST_WAKE_IDLE, &lm->wake[0], &lm->wake[2], &lm->wake[1]);
	set_q_cut(c, LCOST_WAKE_IDLE_SHARED, &lm->wake[2], &lm->cut[0],
		  &lm->wake[0]);
	set_q(c, LCOST_WAKE_BUSY, &lm->wake[1], &lm->wake[3], &lm->wake[2]);
	set_q(c, LCOST_WAKE_BUSY_SHARED, &lm->wake[3], &lm->wake[1],
	      &lm->wake[2]);
	set_q(c, LCOST_WAKE_TASK, &lm->wake_task[0], &lm->wake_task[1],
	      &lm->wake[0]);
	set_q_cut(c, LCOST_WAKE_TASK_SHARED, &lm->wake_task[1], &lm->cut[1],
		  &lm->wake_task[0]);
	set_q(c, LCOST_WAKE_FREED, &lm->freed, &lm->wake_task[0], NULL);
	set_q(c, LCOST_WAKE_LOCAL, &lm->wake_local[0], &lm->wake_local[1],
	      &lm->wake_task[0]);
	set_q(c, LCOST_WAKE_LOCAL_SHARED, &lm->wake_local[1],
	      &lm->wake_local[0], &lm->wake_task[1]);
	c->per_msg_ns = per_msg;
	c->kernel_path_ns = 0;
	if (lm->path.n >= 5) {
		uint64_t q[LIVE_COST_Q];

		live_cost_quantiles(lm->path.v, lm->path.n, q);
		c->kernel_path_ns = lm->path.v[lm->path.n / 2];
	}
	off = share_lines(lm, report, len);
	for (int i = 0; i < NR_LEGS && off < len; i++)
		off += leg_line(report + off, len - off, legs[i], &lm->legs[i]);
	const struct {
		const char *name;
		struct samples *s;
	} lines[] = {
		{ "daemon kicked onto an idle CPU", &lm->wake[0] },
		{ "  ... while another CPU was busy", &lm->wake[2] },
		{ "daemon preempting (irq wakeup)", &lm->wake[1] },
		{ "  ... while another CPU was busy", &lm->wake[3] },
		{ "daemon run", &lm->run },
		{ "  its round, other CPUs idle", &round[0] },
		{ "  its round, another CPU busy", &round[1] },
		{ "task wakeup onto an idle CPU, BPF", &lm->wake_task[0] },
		{ "  ... while another CPU was busy", &lm->wake_task[1] },
		{ "  ... until it idled (cut short)", &lm->cut[1] },
		{ "either, from the busy CPU's idling", &lm->freed },
		{ "task wakeup by an irq on its idle CPU", &lm->wake_local[0] },
		{ "  ... while another CPU was busy", &lm->wake_local[1] },
		{ "kernel wakeup path (machine speed)", &lm->path },
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]) && off < len; i++)
		off += leg_line(report + off, len - off, lines[i].name, lines[i].s);
	free_samples(&round[0]);
	free_samples(&round[1]);
	if (off < len)
		snprintf(report + off, len - off, "# fit: a run costs round_ns "
			 "+ %llu ns per message it handles\n",
			 (unsigned long long)per_msg);
	return 0;
}
