// SPDX-License-Identifier: GPL-2.0
/*
 * The explain tool's analysis of one run (see explain.h).
 *
 * Each CPU keeps the task running there and a ring of its last RING runs
 * (idle spans included, as pid 0), enough to say who ran on a CPU while a
 * watched task waited and how long another CPU idled meanwhile. Only the
 * watched comm's tasks get per-wakeup records, so memory is the CPUs' rings
 * plus one record per wakeup of that comm.
 *
 * Wakeups follow perf sched latency's rules, as `recorded` does: a wakeup
 * counts for a task that is asleep (not running, not preempted and waiting),
 * sched_wakeup only when the stream has no sched_waking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explain/explain.h"
#include "sim/model/pidmap.h"

/*
 * Runs kept per CPU: a message storm switches every few microseconds, and
 * 64 runs covered only half a millisecond of a wait many times longer, so
 * "queued behind" named too little. The walk stops at the wait's start,
 * so only the runs inside a wait are visited.
 */
#define RING		1024
#define MAX_CPUS	4096

enum { XT_UNKNOWN, XT_RUNNING, XT_RUNNABLE, XT_SLEEPING };

struct xrun {
	int32_t pid;		/* 0: idle */
	char comm[TRACE_COMM_LEN];
	uint64_t start, end;
};

struct xcpu {
	bool known;		/* a switch has said what runs here */
	int32_t curr;
	char comm[TRACE_COMM_LEN];
	uint64_t since;
	struct xrun ring[RING];
	uint32_t head, n;	/* newest closed run at head - 1 */
};

struct xtask {
	int32_t pid;		/* the trace's */
	uint32_t inc, nth;
	bool fixed_inc;		/* a replay's renamed pid: one incarnation */
	uint8_t state;
	long open;		/* its waiting wakeup in w[], -1 */
	uint64_t preempted_at;	/* XT_RUNNABLE: since when, 0: unknown */
};

struct explain {
	struct pidmap index;	/* stream pid -> tasks[] */
	struct xtask *tasks;
	uint32_t ntasks;
	struct xcpu *cpu;
	uint32_t ncpu;
	struct explain_wake *w;
	size_t nw, capw;
	struct explain_putbacks pb;
	uint64_t tick_ns;
	bool saw_waking;
	int oom;
};

static int add_task(struct explain *x, int32_t stream_pid, int32_t pid,
		    uint32_t inc, bool fixed)
{
	struct xtask *t;

	if (pidmap_get(&x->index, stream_pid) != PIDMAP_NONE)
		return 0;
	t = realloc(x->tasks, (x->ntasks + 1) * sizeof(*t));
	if (!t)
		return -1;
	x->tasks = t;
	t = &x->tasks[x->ntasks];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->inc = inc;
	t->fixed_inc = fixed;
	t->open = -1;
	return pidmap_put(&x->index, stream_pid, x->ntasks++);
}

struct explain *explain_new(const int32_t *pids, size_t npids,
			    uint32_t nr_cpus, uint64_t tick_ns)
{
	struct explain *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->tick_ns = tick_ns;
	x->ncpu = nr_cpus ? nr_cpus : 1;
	x->cpu = calloc(x->ncpu, sizeof(*x->cpu));
	if (!x->cpu || pidmap_init(&x->index)) {
		explain_free(x);
		return NULL;
	}
	for (size_t i = 0; i < npids; i++)
		if (pids[i] > 0 && add_task(x, pids[i], pids[i], 0, false)) {
			explain_free(x);
			return NULL;
		}
	return x;
}

int explain_map_pids(struct explain *x, const struct model *m,
		     const int32_t *stream_pid)
{
	struct pidmap seen;	/* trace pid -> tasks of it so far */
	struct pidmap watched = x->index;
	int ret = 0;

	if (pidmap_init(&seen))
		return -1;
	if (pidmap_init(&x->index)) {
		x->index = watched;
		pidmap_free(&seen);
		return -1;
	}
	x->ntasks = 0;
	for (uint32_t i = 0; i < m->nr_tasks && !ret; i++) {
		int32_t pid = m->tasks[i].pid;
		uint32_t inc = pidmap_get(&seen, pid);

		inc = inc == PIDMAP_NONE ? 0 : inc + 1;
		if (pid <= 0)
			continue;
		ret = pidmap_put(&seen, pid, inc);
		if (!ret && pidmap_get(&watched, pid) != PIDMAP_NONE)
			ret = add_task(x, stream_pid[i], pid, inc, true);
	}
	pidmap_free(&seen);
	pidmap_free(&watched);
	return ret;
}

static struct xcpu *cpu_at(struct explain *x, int32_t c)
{
	if (c < 0 || c >= MAX_CPUS)
		return NULL;
	if ((uint32_t)c >= x->ncpu) {
		uint32_t n = (uint32_t)c + 1;
		struct xcpu *p = realloc(x->cpu, n * sizeof(*p));

		if (!p) {
			x->oom = 1;
			return NULL;
		}
		memset(p + x->ncpu, 0, (n - x->ncpu) * sizeof(*p));
		x->cpu = p;
		x->ncpu = n;
	}
	return &x->cpu[c];
}

static struct xtask *watched(struct explain *x, int32_t pid)
{
	uint32_t i = pid > 0 ? pidmap_get(&x->index, pid) : PIDMAP_NONE;

	return i == PIDMAP_NONE ? NULL : &x->tasks[i];
}

static void copy_comm(char *dst, const char *src)
{
	snprintf(dst, TRACE_COMM_LEN, "%.*s", TRACE_COMM_LEN - 1, src);
}

/* Overlap of [a, b) with [lo, hi). */
static uint64_t overlap(uint64_t a, uint64_t b, uint64_t lo, uint64_t hi)
{
	uint64_t s = a > lo ? a : lo, e = b < hi ? b : hi;

	return e > s ? e - s : 0;
}

/* Calls fn for every run of v (the open one up to `now`) in [lo, now). */
#define FOR_RUNS(v, lo, now, r, body)					\
	do {								\
		struct xrun open_ = { (v)->curr, "", (v)->since, (now) }; \
		if ((v)->known) {					\
			const struct xrun *r = &open_;			\
			memcpy(open_.comm, (v)->comm, TRACE_COMM_LEN);	\
			body;						\
		}							\
		for (uint32_t k_ = 1; k_ <= (v)->n; k_++) {		\
			const struct xrun *r =				\
				&(v)->ring[((v)->head + RING - k_) % RING]; \
			if (r->end <= (lo))				\
				break;					\
			body;						\
		}							\
	} while (0)

static void note_behind(struct explain_wake *w, const struct xrun *r,
			uint64_t ns)
{
	uint32_t k, n = w->nbehind < EXPLAIN_BEHIND ? w->nbehind :
			EXPLAIN_BEHIND;

	for (k = 0; k < n; k++)
		if (w->behind[k].pid == r->pid) {
			w->behind[k].ns += ns;
			break;
		}
	if (k == n) {
		w->nbehind++;
		if (n == EXPLAIN_BEHIND) {
			/* keep the longest: replace the shortest if shorter */
			uint32_t lo = 0;

			for (k = 1; k < n; k++)
				if (w->behind[k].ns < w->behind[lo].ns)
					lo = k;
			if (w->behind[lo].ns >= ns)
				return;
			k = lo;
		}
		w->behind[k].pid = r->pid;
		copy_comm(w->behind[k].comm, r->comm);
		w->behind[k].ns = ns;
	}
	/* longest first */
	for (; k > 0 && w->behind[k].ns > w->behind[k - 1].ns; k--) {
		struct explain_task_ns t = w->behind[k];

		w->behind[k] = w->behind[k - 1];
		w->behind[k - 1] = t;
	}
}

/* The watched task switched in on c at ts: what it waited for. */
static void served(struct explain *x, struct explain_wake *w, int32_t c,
		   uint64_t ts)
{
	uint64_t delay = ts - w->wake_ts, place = 0;
	bool busy_only = true;

	w->run_ts = ts;
	w->run_cpu = c;
	FOR_RUNS(&x->cpu[c], w->wake_ts, ts, r, {
		uint64_t ns = overlap(r->start, r->end, w->wake_ts, ts);

		if (r->pid > 0 && ns) {
			note_behind(w, r, ns);
			busy_only &= r->pid == w->prev_pid;
		}
	});
	for (uint32_t d = 0; d < x->ncpu; d++) {
		uint64_t idle = 0;

		if (d == (uint32_t)c)
			continue;
		FOR_RUNS(&x->cpu[d], w->wake_ts, ts, r, {
			if (!r->pid)
				idle += overlap(r->start, r->end, w->wake_ts, ts);
		});
		if (idle > w->other_idle)
			w->other_idle = idle;
	}
	if (!w->nbehind)
		w->cause = CAUSE_COST;
	else if (w->nbehind == 1 && busy_only && w->prev_runnable)
		w->cause = x->tick_ns && delay >= x->tick_ns / 2 ? CAUSE_TICK :
			   CAUSE_PREEMPT;
	else
		w->cause = CAUSE_QUEUE;
	/*
	 * Waiting for other work while a CPU idled is placement; a wakeup
	 * preemption or an idle CPU's wake-up is what any placement costs.
	 */
	if (w->cause == CAUSE_QUEUE || w->cause == CAUSE_TICK)
		place = w->other_idle < delay ? w->other_idle : delay;
	w->part[CAUSE_PLACEMENT] = place;
	w->part[w->cause] = delay - place;
}

static void putback_by(struct explain_putbacks *pb, const char *comm,
		       uint64_t ns)
{
	uint32_t k;

	for (k = 0; k < pb->nby; k++)
		if (!strcmp(pb->by[k].comm, comm))
			break;
	if (k == pb->nby) {
		if (k == EXPLAIN_PUTBACK_BY) {
			pb->by_rest_ns += ns;
			return;
		}
		copy_comm(pb->by[k].comm, comm);
		pb->by[k].ns = 0;
		pb->nby++;
	}
	pb->by[k].ns += ns;
}

/* The watched task, preempted at `since`, runs again on c at ts. */
static void put_back(struct explain *x, uint64_t since, int32_t c,
		     uint64_t ts)
{
	struct explain_putbacks *pb = &x->pb;

	if (pb->n == pb->cap) {
		size_t cap = pb->cap ? pb->cap * 2 : 1024;
		uint64_t *d = realloc(pb->delay, cap * sizeof(*d));

		if (!d) {
			x->oom = 1;
			return;
		}
		pb->delay = d;
		pb->cap = cap;
	}
	pb->delay[pb->n++] = ts - since;
	pb->total_ns += ts - since;
	FOR_RUNS(&x->cpu[c], since, ts, r, {
		uint64_t ns = overlap(r->start, r->end, since, ts);

		if (r->pid > 0 && ns)
			putback_by(pb, r->comm, ns);
	});
}

static struct explain_wake *new_wake(struct explain *x);

/*
 * A task whose first sight is its switch-in: perf counts a wakeup with a
 * delay of 0 there, and the replay makes it runnable at that instant.
 */
static void first_seen(struct explain *x, struct xtask *t,
		       const struct sched_event *ev)
{
	struct explain_wake *w = new_wake(x);

	if (!w)
		return;
	w->pid = t->pid;
	w->inc = t->inc;
	w->nth = t->nth++;
	w->wake_ts = w->run_ts = ev->ts;
	w->waker_cpu = w->target = w->run_cpu = ev->cpu;
	w->first_seen = true;
	w->cause = CAUSE_COST;
	x->nw++;
}

static void on_switch(struct explain *x, const struct sched_event *ev)
{
	struct xcpu *v = cpu_at(x, ev->cpu);
	struct xtask *prev = watched(x, ev->pid), *next = watched(x, ev->pid2);

	if (!v)
		return;
	/*
	 * A waiting task seen leaving a CPU ran there without a recorded
	 * switch-in (a lost event): it started no earlier than the CPU's last
	 * switch, so it is served then, not at its next switch-in a frame or
	 * more later. perf sched latency leaves such a wakeup out.
	 */
	if (prev && prev->open >= 0) {
		struct explain_wake *w = &x->w[prev->open];
		uint64_t at = v->known && v->since > w->wake_ts ? v->since :
			      w->wake_ts;

		w->prev_pid = v->known ? v->curr : 0;
		copy_comm(w->prev_comm, v->known && v->curr ? v->comm : "idle");
		w->lost_switch_in = true;
		served(x, w, ev->cpu, at < ev->ts ? at : ev->ts);
		prev->open = -1;
	}
	if (v->known && ev->ts >= v->since) {
		struct xrun *r = &v->ring[v->head];

		r->pid = v->curr;
		copy_comm(r->comm, v->comm);
		r->start = v->since;
		r->end = ev->ts;
		v->head = (v->head + 1) % RING;
		if (v->n < RING)
			v->n++;
	}
	/* c's open run is now next's, from ts: it adds nothing below */
	v->known = true;
	v->curr = ev->pid2;
	copy_comm(v->comm, ev->pid2 ? ev->comm2 : "idle");
	v->since = ev->ts;
	if (prev) {
		prev->state = ev->prev_state == SEV_STATE_RUNNING ?
			      XT_RUNNABLE : XT_SLEEPING;
		prev->preempted_at = prev->state == XT_RUNNABLE ? ev->ts : 0;
		if ((ev->prev_state & SEV_STATE_DEAD) && !prev->fixed_inc) {
			prev->inc++;
			prev->nth = 0;
		}
	}
	if (next && next->state == XT_UNKNOWN && next->open < 0)
		first_seen(x, next, ev);
	if (next) {
		if (next->open >= 0) {
			struct explain_wake *w = &x->w[next->open];

			w->prev_pid = ev->pid;
			copy_comm(w->prev_comm, ev->pid ? ev->comm : "idle");
			w->prev_runnable = ev->pid &&
					   ev->prev_state == SEV_STATE_RUNNING;
			served(x, w, ev->cpu, ev->ts);
			next->open = -1;
		} else if (next->state == XT_RUNNABLE && next->preempted_at &&
			   ev->ts >= next->preempted_at) {
			put_back(x, next->preempted_at, ev->cpu, ev->ts);
		}
		next->preempted_at = 0;
		next->state = XT_RUNNING;
	}
}

static struct explain_wake *new_wake(struct explain *x)
{
	if (x->nw == x->capw) {
		size_t cap = x->capw ? x->capw * 2 : 1024;
		struct explain_wake *n = realloc(x->w, cap * sizeof(*n));

		if (!n) {
			x->oom = 1;
			return NULL;
		}
		x->w = n;
		x->capw = cap;
	}
	memset(&x->w[x->nw], 0, sizeof(x->w[x->nw]));
	return &x->w[x->nw];
}

static void on_wake(struct explain *x, const struct sched_event *ev)
{
	struct xtask *t = watched(x, ev->pid);
	struct xcpu *tv, *wv;
	struct explain_wake *w;

	if (!t || t->open >= 0 || t->state == XT_RUNNING ||
	    t->state == XT_RUNNABLE)
		return;
	w = new_wake(x);
	if (!w)
		return;
	tv = cpu_at(x, ev->cpu2);
	wv = cpu_at(x, ev->cpu);
	w->pid = t->pid;
	w->inc = t->inc;
	w->nth = t->nth++;
	w->wake_ts = ev->ts;
	w->waker_pid = ev->common_pid;
	if (wv && wv->known && wv->curr == ev->common_pid)
		copy_comm(w->waker_comm, wv->comm);
	w->waker_cpu = ev->cpu;
	w->target = ev->cpu2;
	w->irq = ev->ctx & (SEV_CTX_HARDIRQ | SEV_CTX_SOFTIRQ | SEV_CTX_NMI);
	w->fork = ev->type == SEV_WAKEUP_NEW;
	w->run_cpu = -1;
	if (tv && tv->known) {
		w->busy_pid = tv->curr;
		copy_comm(w->busy_comm, tv->comm);
		w->busy_ran = ev->ts - tv->since;
	}
	for (uint32_t c = 0; c < x->ncpu; c++)
		w->idle_cpus += x->cpu[c].known && !x->cpu[c].curr;
	t->open = (long)x->nw++;
	t->state = XT_SLEEPING;
}

void explain_event(struct explain *x, const struct sched_event *ev)
{
	switch (ev->type) {
	case SEV_SWITCH:
		on_switch(x, ev);
		break;
	case SEV_WAKING:
		x->saw_waking = true;
		on_wake(x, ev);
		break;
	case SEV_WAKEUP:
		if (!x->saw_waking)
			on_wake(x, ev);
		break;
	case SEV_WAKEUP_NEW:
		on_wake(x, ev);
		break;
	default:
		break;
	}
}

int explain_emit(void *ctx, const struct sched_event *ev)
{
	explain_event(ctx, ev);
	return 0;
}

int explain_repick(void *ctx, const struct sched_event *ev)
{
	struct explain *x = ctx;
	struct xtask *t = watched(x, ev->pid);
	struct explain_wake *w;

	if (!t || t->open >= 0 || !(w = new_wake(x)))
		return 0;
	w->pid = t->pid;
	w->inc = t->inc;
	w->nth = t->nth++;
	w->wake_ts = w->run_ts = ev->ts;
	w->waker_pid = ev->common_pid;
	w->waker_cpu = ev->cpu;
	w->target = w->run_cpu = ev->cpu2;
	w->irq = ev->ctx & (SEV_CTX_HARDIRQ | SEV_CTX_SOFTIRQ | SEV_CTX_NMI);
	w->stayed = true;
	w->cause = CAUSE_COST;
	x->nw++;
	t->state = XT_RUNNING;
	return 0;
}

const struct explain_putbacks *explain_putbacks(const struct explain *x)
{
	return &x->pb;
}

long explain_wakes(const struct explain *x, const struct explain_wake **w)
{
	*w = x->w;
	return x->oom ? -1 : (long)x->nw;
}

void explain_free(struct explain *x)
{
	if (!x)
		return;
	pidmap_free(&x->index);
	free(x->tasks);
	free(x->cpu);
	free(x->w);
	free(x->pb.delay);
	free(x);
}
