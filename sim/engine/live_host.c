// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive host: a replay in which the policy's decisions take the time
 * scxlive's take.
 *
 * Two halves, as in scxlive itself. The BPF half does here what
 * bpf/scxlive.bpf.c does, path for path:
 *  - per-CPU kthreads never reach the policy: their CPU's local queue, a
 *    default slice, no preemption;
 *  - everyone else becomes a QUEUED message and wakes the daemon; a wakeup
 *    also claims an idle CPU (select_cpu_dfl), which then runs ops.dispatch;
 *  - ops.dispatch: the starvation guard (a task 2 s in the shared queue runs
 *    here), then the daemon's answers in order (up to 32: a CPU's local
 *    queue plus an idle kick of it, or the vtime-ordered shared queue plus a
 *    kick of any idle CPU; stale ones dropped), then the shared queue's
 *    head, and when nothing was placed and exactly one task awaits the
 *    daemon, that task at once with its last slice (the fast path);
 *  - a full ring sends the task to the shared queue at the running frontier
 *    (congested); RUNNING/STOPPING/EXIT messages never wake the daemon.
 * The daemon half is a task. Woken, it goes where select_cpu_dfl puts it
 * (its previous CPU if idle, any idle CPU, else its previous one, whose task
 * it preempts: that task is put back with its slice gone and waits for the
 * daemon too), after a wakeup drawn from the measured distribution for an
 * idle or a busy CPU. A run handles every message as live/dispatch.c does
 * (QUEUED: select_cpu, enqueue; RUNNING of a task it still holds: answer
 * first; then dispatch(POLICY_CPU_ANY) until the policy has nothing, then
 * the kicks enqueue asked for) and takes a drawn round cost plus a
 * measured cost per message; its answers land when the run ends. Messages
 * that came meanwhile make it run again at once; else it sleeps, and its
 * CPU runs ops.dispatch (or its local queue, kicking an idle CPU to carry
 * the answers out, as scxlive_stopping does). */
#include <stdlib.h>
#include <string.h>

#include "sim/engine/state.h"
#include "sim/engine/live_host.h"

#define FALLBACK_SLICE_NS	5000000ull	/* fallback_slice_ns */
#define STARVE_NS		2000000000ull	/* starve_ns */
#define DISPATCH_SLOTS		32		/* SCX_DSQ_DISPATCH_MAX_BATCH */
#define RING_MSGS		((1u << 20) / 168)	/* "queued": 1 MiB of 168 B */

enum { M_QUEUED, M_RUNNING, M_STOPPING, M_EXIT };
enum { D_DISPATCH, D_KICK };
enum { DS_SLEEP, DS_WAKING, DS_RUNNING };

struct msg {
	uint8_t kind;
	bool runnable;
	int32_t cpu;
	uint32_t ti;
	uint64_t ts, ran_ns, seq;
	struct policy_task pt;		/* the task as the message saw it */
};

struct dec {
	uint8_t kind;
	int32_t cpu;
	uint32_t ti;
	uint64_t seq, slice, vtime;
};

struct ltask {
	uint64_t seq;		/* latest enqueue number */
	uint64_t held_seq;	/* ... the policy holds it for */
	uint64_t slice, vtime;	/* of its latest decision */
	uint64_t since;		/* in the shared queue since */
	bool queued;		/* waiting for a decision (BPF side) */
	bool held;		/* queued in the policy (daemon side) */
	bool user_owned;	/* on a CPU because the daemon said so */
	bool known;		/* the daemon has heard of it */
};

struct shared {
	uint32_t ti;
	uint64_t vtime, slice, since, order;
};

struct live_host {
	struct live_cost cost;
	bool notify;		/* the policy has running/stopping hooks */
	struct ltask *t;
	struct msg *msgs;
	size_t nmsg, capmsg, msg_head;
	struct dec *decs, *out;
	size_t ndec, capdec, dec_head, nout, capout;
	struct shared *sh;
	size_t nsh, capsh;
	uint64_t enq_seq, nr_undecided, lone_seq, vtime_run, last_scan;
	uint64_t sh_order;
	uint32_t lone_ti;
	uint64_t kick_mask[POLICY_MASK_WORDS];
	uint64_t idle[POLICY_MASK_WORDS];	/* the daemon's snapshot */
	int state;
	int32_t cpu, prev_cpu;
	uint32_t gen;
	uint64_t run_start;
	bool first_round;
};

static bool grow(struct engine *e, void **p, size_t *cap, size_t n,
		 size_t size)
{
	void *np;
	size_t nc;

	if (n < *cap)
		return true;
	nc = *cap ? 2 * *cap : 64;
	np = realloc(*p, nc * size);
	if (!np) {
		e->oom = 1;
		return false;
	}
	*p = np;
	*cap = nc;
	return true;
}

int live_host_new(struct engine *e, const struct live_cost *cost)
{
	struct live_host *h = calloc(1, sizeof(*h));

	if (!h)
		return -1;
	h->t = calloc(e->m->nr_tasks + 1, sizeof(*h->t));
	if (!h->t) {
		free(h);
		return -1;
	}
	h->cost = *cost;
	h->notify = e->ops->running || e->ops->stopping;
	e->live = h;
	return 0;
}

void live_host_free(struct engine *e)
{
	struct live_host *h = e->live;

	if (!h)
		return;
	free(h->t);
	free(h->msgs);
	free(h->decs);
	free(h->out);
	free(h->sh);
	free(h);
	e->live = NULL;
}

static double uniform(struct engine *e)
{
	return (double)(engine_rnd(e) >> 11) / 9007199254740992.0;
}

static void hook_log(struct engine *e, const struct live_hook_rec *r)
{
	if (e->conf.hook_log)
		e->conf.hook_log(e->conf.hook_ctx, r);
}

/* ------------------------------------------------------ BPF side */

static void shared_insert(struct engine *e, uint32_t ti, uint64_t vtime,
			  uint64_t slice)
{
	struct live_host *h = e->live;
	size_t i;

	if (!grow(e, (void **)&h->sh, &h->capsh, h->nsh, sizeof(*h->sh)))
		return;
	/* vtime order (as the DSQ's rbtree: wrap-safe), FIFO among equals */
	for (i = h->nsh; i > 0 && (int64_t)(h->sh[i - 1].vtime - vtime) > 0; i--)
		h->sh[i] = h->sh[i - 1];
	h->sh[i] = (struct shared){ ti, vtime, slice, e->now, h->sh_order++ };
	h->nsh++;
}

static uint32_t shared_take(struct live_host *h, size_t i, uint64_t *slice)
{
	uint32_t ti = h->sh[i].ti;

	*slice = h->sh[i].slice;
	memmove(&h->sh[i], &h->sh[i + 1], (h->nsh - i - 1) * sizeof(*h->sh));
	h->nsh--;
	return ti;
}

/* Waking an idle CPU under sched_ext, to its ops.dispatch: as measured. */
static uint64_t idle_wake_cost(struct engine *e)
{
	return live_cost_draw(&e->live->cost, LCOST_WAKE_TASK, uniform(e));
}

static void kick_idle(struct engine *e, int32_t c)
{
	if (c >= 0 && engine_is_idle(e, c) && !e->cpu[c].pick_pending)
		engine_want_pick(e, c, idle_wake_cost(e));
}

static void kick_idle_any(struct engine *e)
{
	kick_idle(e, engine_pick_idle(e, -1));
}

static bool claim(struct live_host *h, struct ltask *lt)
{
	if (!lt->queued)
		return false;
	lt->queued = false;
	h->nr_undecided--;
	return true;
}

static bool allowed(const struct engine *e, uint32_t ti, int32_t c)
{
	return c >= 0 && (uint32_t)c < e->nr_cpus &&
	       (e->t[ti].pin < 0 || e->t[ti].pin == c);
}

static void send(struct engine *e, uint8_t kind, uint32_t ti, int32_t c,
		 uint64_t ran, bool runnable)
{
	struct live_host *h = e->live;
	struct msg *m;

	if (!grow(e, (void **)&h->msgs, &h->capmsg, h->nmsg, sizeof(*m)))
		return;
	m = &h->msgs[h->nmsg++];
	m->kind = kind;
	m->ti = ti;
	m->cpu = c;
	m->ts = e->now;
	m->ran_ns = ran;
	m->runnable = runnable;
	m->seq = h->t[ti].seq;
	m->pt = e->pt[ti];
}

static void wake_daemon(struct engine *e);

void live_host_ready(struct engine *e, uint32_t ti, bool woke)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[ti];
	struct stask *s = &e->t[ti];
	struct policy_task *pt = &e->pt[ti];

	if (s->pin >= 0) {
		/* dispatch_in_kernel(): the local queue of its CPU */
		e->stats->bpf_kernel++;
		engine_lq_push(e, s->pin, ti, SLICE_DFL_NS);
		kick_idle(e, s->pin);
		return;
	}
	/* scxlive's messages do not say which CPU woke it. */
	pt->flags &= ~POLICY_ENQ_WAKE_CPU;
	/* A kick or the daemon took its CPU: its slice was zeroed. */
	if (!woke)
		pt->flags = (pt->flags & ~POLICY_ENQ_PREEMPTED) |
			    POLICY_ENQ_EXPIRED;
	if (woke) {
		/* select_cpu_dfl: an idle CPU is claimed and rescheduled */
		int32_t c = engine_pick_idle(e, pt->prev_cpu);

		if (c >= 0)
			engine_want_pick(e, c, idle_wake_cost(e));
	}
	if (h->nmsg - h->msg_head >= RING_MSGS) {
		e->stats->bpf_congested++;
		shared_insert(e, ti, h->vtime_run, FALLBACK_SLICE_NS);
		kick_idle_any(e);
		return;
	}
	lt->seq = ++h->enq_seq;
	if (!lt->queued) {
		lt->queued = true;
		h->nr_undecided++;
	}
	h->lone_ti = ti;
	h->lone_seq = lt->seq;
	lt->known = true;
	send(e, M_QUEUED, ti, pt->prev_cpu, 0, false);
	e->stats->daemon_msgs++;
	wake_daemon(e);
}

/* One answer of the daemon, carried out by CPU c; true if it used a slot. */
static bool carry_out(struct engine *e, const struct dec *d, int32_t c)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[d->ti];

	if (d->kind == D_KICK) {
		engine_kick(e, d->cpu, e->conf.preempt_cost_ns);
		return false;
	}
	if (lt->seq != d->seq || !claim(h, lt)) {
		e->stats->cancelled++;
		return false;
	}
	lt->user_owned = true;
	lt->slice = d->slice ? d->slice : FALLBACK_SLICE_NS;
	lt->vtime = d->vtime;
	if (d->cpu != POLICY_CPU_ANY && allowed(e, d->ti, d->cpu)) {
		engine_lq_push(e, d->cpu, d->ti, lt->slice);
		if (d->cpu != c)
			kick_idle(e, d->cpu);
	} else {
		shared_insert(e, d->ti, d->vtime, lt->slice);
		kick_idle_any(e);
	}
	return true;
}

static int32_t rescue_starved(struct engine *e, int32_t c, uint64_t *slice)
{
	struct live_host *h = e->live;

	if (e->now - h->last_scan < STARVE_NS / 8)
		return -1;
	h->last_scan = e->now;
	for (size_t i = 0; i < h->nsh; i++)
		if (e->now - h->sh[i].since >= STARVE_NS &&
		    allowed(e, h->sh[i].ti, c)) {
			e->stats->bpf_rescued++;
			return (int32_t)shared_take(h, i, slice);
		}
	return -1;
}

/*
 * ops.dispatch of CPU c, whose local queue is empty: the task to run on c
 * now (its slice in *slice), or -1 (what it placed on c's local queue runs
 * next; nothing: c idles).
 */
static int32_t bpf_dispatch(struct engine *e, int32_t c, uint64_t *slice)
{
	struct live_host *h = e->live;
	uint32_t placed = 0;
	int32_t ti;

	ti = rescue_starved(e, c, slice);
	if (ti >= 0)
		return ti;
	while (h->dec_head < h->ndec && placed < DISPATCH_SLOTS)
		placed += carry_out(e, &h->decs[h->dec_head++], c);
	if (h->dec_head == h->ndec)
		h->dec_head = h->ndec = 0;
	for (size_t i = 0; i < h->nsh; i++)
		if (allowed(e, h->sh[i].ti, c))
			return (int32_t)shared_take(h, i, slice);
	/* The fast path: nothing placed anywhere, one task waiting. */
	if (!placed && e->cpu[c].lq_head < 0 && h->nr_undecided == 1) {
		struct ltask *lt = &h->t[h->lone_ti];

		if (lt->seq == h->lone_seq && allowed(e, h->lone_ti, c) &&
		    claim(h, lt)) {
			lt->user_owned = true;
			e->stats->bpf_fast++;
			*slice = lt->slice ? lt->slice : FALLBACK_SLICE_NS;
			return (int32_t)h->lone_ti;
		}
	}
	return -1;
}

bool live_host_dispatch(struct engine *e, int32_t c)
{
	uint64_t slice = 0;
	int32_t ti = bpf_dispatch(e, c, &slice);

	if (ti < 0)
		return false;
	engine_run_task(e, c, (uint32_t)ti, slice);
	return true;
}

void live_host_expire(struct engine *e, int32_t c)
{
	uint64_t slice = 0;
	int32_t next = bpf_dispatch(e, c, &slice);

	if (next < 0 && e->cpu[c].lq_head < 0) {
		engine_set_slice(e, &e->cpu[c], SLICE_DFL_NS);
		engine_schedule_check(e, c);
		return;
	}
	engine_put_back(e, c, POLICY_ENQ_EXPIRED);
	if (next >= 0)
		engine_run_task(e, c, (uint32_t)next, slice);
	else
		engine_cpu_pick(e, c);
}

void live_host_running(struct engine *e, uint32_t ti, int32_t c)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[ti];

	if (lt->user_owned && (int64_t)(lt->vtime - h->vtime_run) > 0)
		h->vtime_run = lt->vtime;
	if (h->notify && lt->user_owned)
		send(e, M_RUNNING, ti, c, 0, false);
}

void live_host_stopping(struct engine *e, uint32_t ti, int32_t c,
			uint64_t ran_ns, bool runnable)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[ti];

	if (h->notify && lt->user_owned)
		send(e, M_STOPPING, ti, c, ran_ns, runnable);
	lt->user_owned = false;
}

void live_host_exit(struct engine *e, uint32_t ti)
{
	if (e->live->t[ti].known)
		send(e, M_EXIT, ti, -1, 0, false);
}

/* ------------------------------------------------------ the daemon */

static void log_task(struct engine *e, enum live_hook hook, uint64_t now,
		     const struct policy_task *pt, int32_t cpu, int32_t answer)
{
	struct live_hook_rec r;

	/* a record is a few hundred bytes: none is made unless logged */
	if (!e->conf.hook_log)
		return;
	r = (struct live_hook_rec){ .hook = hook, .now = now, .cpu = cpu,
				    .answer = answer };
	memcpy(r.idle, e->live->idle, sizeof(r.idle));
	if (pt)
		r.task = *pt;
	hook_log(e, &r);
}

static void daemon_env(struct engine *e, struct policy_env *env, uint64_t now)
{
	env->now = now;
	env->nr_cpus = e->nr_cpus;
	env->idle = e->live->idle;
}

/*
 * dispatch(POLICY_CPU_ANY) until the policy has nothing, then the kicks.
 * final: the round's own flush (else one a RUNNING message forced).
 */
static void flush(struct engine *e, uint64_t now, bool final)
{
	struct live_host *h = e->live;
	struct policy_env env;
	struct policy_dispatch out;
	uint32_t limit = e->m->nr_tasks + 64;

	daemon_env(e, &env, now);
	log_task(e, LH_FLUSH, now, NULL, -1, final);
	for (;;) {
		struct ltask *lt;
		struct dec *d;
		bool dispatched;

		memset(&out, 0, sizeof(out));
		dispatched = e->ops->dispatch(e->st, &env, POLICY_CPU_ANY, &out);
		e->stats->hooks++;
		if (e->conf.hook_log) {
			struct live_hook_rec r = { .hook = LH_DISPATCH,
				.now = now, .dispatched = dispatched,
				.out = out };

			memcpy(r.idle, h->idle, sizeof(r.idle));
			hook_log(e, &r);
		}
		if (!dispatched || !limit--)
			break;
		if (out.id >= e->m->nr_tasks || !h->t[out.id].held) {
			e->stats->bad_dispatch++;
			continue;
		}
		lt = &h->t[out.id];
		lt->held = false;
		if (!grow(e, (void **)&h->out, &h->capout, h->nout, sizeof(*d)))
			return;
		d = &h->out[h->nout++];
		*d = (struct dec){ D_DISPATCH, out.cpu, out.id, lt->held_seq,
				   out.slice_ns, out.vtime };
		if (d->cpu != POLICY_CPU_ANY && !allowed(e, d->ti, d->cpu))
			d->cpu = POLICY_CPU_ANY;
	}
	for (uint32_t c = 0; c < e->nr_cpus; c++) {
		if (!policy_cpu_test(h->kick_mask, (int32_t)c))
			continue;
		h->kick_mask[c / 64] &= ~(1ull << (c % 64));
		if (!grow(e, (void **)&h->out, &h->capout, h->nout,
			  sizeof(*h->out)))
			return;
		h->out[h->nout++] = (struct dec){ .kind = D_KICK,
						  .cpu = (int32_t)c };
	}
}

static void queued(struct engine *e, struct msg *m)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[m->ti];
	struct policy_env env;
	int32_t kick;

	if (lt->held) {		/* the policy's entry stands for it */
		lt->held_seq = m->seq;
		return;
	}
	daemon_env(e, &env, m->ts);
	if ((m->pt.flags & (POLICY_ENQ_WAKEUP | POLICY_ENQ_NEW)) &&
	    e->ops->select_cpu) {
		int32_t cpu = e->ops->select_cpu(e->st, &env, &m->pt,
						 m->pt.prev_cpu);

		e->stats->hooks++;
		log_task(e, LH_SELECT, m->ts, &m->pt, m->pt.prev_cpu, cpu);
	}
	kick = e->ops->enqueue(e->st, &env, &m->pt);
	e->stats->hooks++;
	log_task(e, LH_ENQUEUE, m->ts, &m->pt, -1, kick);
	lt->held = true;
	lt->held_seq = m->seq;
	/* An idle CPU is kicked by the BPF side when the task lands. */
	if (kick >= 0 && (uint32_t)kick < e->nr_cpus &&
	    !policy_cpu_test(h->idle, kick))
		h->kick_mask[kick / 64] |= 1ull << (kick % 64);
}

static void handle(struct engine *e, struct msg *m, uint64_t now)
{
	struct live_host *h = e->live;
	struct policy_env env;

	daemon_env(e, &env, m->ts);
	switch (m->kind) {
	case M_QUEUED:
		queued(e, m);
		return;
	case M_RUNNING:
		/* Run by the fast path before the policy answered: answer. */
		if (h->t[m->ti].held)
			flush(e, now, false);
		if (e->ops->running)
			e->ops->running(e->st, &env, &m->pt, m->cpu);
		log_task(e, LH_RUNNING, m->ts, &m->pt, m->cpu, 0);
		break;
	case M_STOPPING:
		if (e->ops->stopping)
			e->ops->stopping(e->st, &env, &m->pt, m->cpu,
					 m->ran_ns, m->runnable);
		if (e->conf.hook_log) {
			struct live_hook_rec r = { .hook = LH_STOPPING,
				.now = m->ts, .cpu = m->cpu, .task = m->pt,
				.ran_ns = m->ran_ns, .runnable = m->runnable };

			memcpy(r.idle, h->idle, sizeof(r.idle));
			hook_log(e, &r);
		}
		break;
	case M_EXIT:
		if (e->ops->exit_task)
			e->ops->exit_task(e->st, &env, &m->pt);
		log_task(e, LH_EXIT, m->ts, &m->pt, -1, 0);
		h->t[m->ti].held = false;
		h->t[m->ti].known = false;
		break;
	}
	e->stats->hooks++;
}

/* Handle what the ring holds; the answers land when the round ends. */
static void start_round(struct engine *e)
{
	struct live_host *h = e->live;
	uint64_t nq = 0, cost = 0;
	bool shared = false;

	for (size_t i = h->msg_head; i < h->nmsg; i++)
		nq += h->msgs[i].kind == M_QUEUED;
	for (uint32_t c = 0; c < e->nr_cpus; c++)
		shared |= (int32_t)c != h->cpu && e->cpu[c].curr >= 0;
	if (h->first_round)
		cost = live_cost_draw(&h->cost, shared ? LCOST_ROUND_SHARED :
				      LCOST_ROUND, uniform(e));
	cost += h->cost.per_msg_ns * nq;
	if (!cost)
		cost = 1;
	h->first_round = false;
	memcpy(h->idle, e->idle, sizeof(h->idle));
	for (size_t i = h->msg_head; i < h->nmsg; i++)
		handle(e, &h->msgs[i], e->now);
	h->msg_head = h->nmsg = 0;
	flush(e, e->now + cost, true);
	engine_push(e, e->now + cost, EV_HOST, (uint32_t)h->cpu, ++h->gen);
}

static void wake_daemon(struct engine *e)
{
	struct live_host *h = e->live;
	int32_t c = engine_pick_idle(e, h->prev_cpu);
	bool idle = c >= 0;

	if (h->state != DS_SLEEP)
		return;
	if (!idle) {
		c = h->prev_cpu;
		/*
		 * Its CPU may be one a wakeup just claimed from idle: the
		 * daemon heads that CPU's local queue, so it runs first,
		 * when the CPU comes out of idle.
		 */
		idle = e->cpu[c].curr < 0 && !e->cpu[c].daemon;
		if (idle && e->cpu[c].pick_pending) {
			e->cpu[c].pick_pending = false;
			e->cpu[c].pick_gen++;
		}
	}
	if (idle)
		engine_idle_set(e, c, false);	/* claimed for the daemon */
	h->state = DS_WAKING;
	h->cpu = c;
	engine_push(e, e->now + live_cost_draw(&h->cost, idle ?
		    LCOST_WAKE_IDLE : LCOST_WAKE_BUSY, uniform(e)),
		    EV_HOST, (uint32_t)c, ++h->gen);
}

static void arrive(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;
	struct vcpu *v = &e->cpu[c];

	if (v->pick_pending) {
		v->pick_pending = false;
		v->pick_gen++;
	}
	if (v->curr >= 0) {
		e->stats->daemon_preempts++;
		e->stats->preemptions++;
		engine_put_back(e, c, POLICY_ENQ_PREEMPTED);
	}
	v->daemon = true;
	engine_idle_set(e, c, false);
	h->state = DS_RUNNING;
	h->run_start = e->now;
	h->first_round = true;
	e->stats->daemon_runs++;
	start_round(e);
}

static void round_end(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;
	struct vcpu *v = &e->cpu[c];

	for (size_t i = 0; i < h->nout; i++) {
		if (!grow(e, (void **)&h->decs, &h->capdec, h->ndec,
			  sizeof(*h->decs)))
			return;
		h->decs[h->ndec++] = h->out[i];
	}
	h->nout = 0;
	if (h->nmsg > h->msg_head) {
		start_round(e);
		return;
	}
	v->daemon = false;
	h->prev_cpu = c;
	h->state = DS_SLEEP;
	e->stats->daemon_ns += e->now - h->run_start;
	e->stats->busy_ns += e->now - h->run_start;
	/* Its CPU runs its local queue without ops.dispatch: get the
	 * answers carried out elsewhere, as scxlive_stopping does. */
	if (h->dec_head < h->ndec && v->lq_head >= 0)
		kick_idle_any(e);
	engine_cpu_pick(e, c);
}

bool live_host_daemon_first(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;

	if (h->state != DS_WAKING || h->cpu != c)
		return false;
	arrive(e, c);
	return true;
}

void live_host_event(struct engine *e, int32_t c, uint32_t gen)
{
	struct live_host *h = e->live;

	if (!h || gen != h->gen)
		return;
	if (h->state == DS_WAKING)
		arrive(e, c);
	else if (h->state == DS_RUNNING)
		round_end(e, c);
}
