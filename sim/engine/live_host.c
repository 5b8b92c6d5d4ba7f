// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive host: a replay in which the policy's decisions take the time
 * scxlive's take.
 *
 * Two halves, as in scxlive itself: the daemon (live_daemon.c), and here
 * the BPF half, doing what bpf/scxlive.bpf.c and bpf/daemon.bpf.h do, path
 * for path:
 *  - per-CPU kthreads never reach the policy: their CPU's local queue, a
 *    default slice, no preemption;
 *  - a waking task for which select_cpu_dfl finds an idle CPU, while no
 *    decision waits and the shared queue is empty, runs there at once with
 *    its last slice (the daemon only hears of it);
 *  - everyone else becomes a QUEUED message and waits for a decision. The
 *    daemon, yielded in its DSQ, is then wanted: an idle CPU is kicked to
 *    run it; else the CPU of an interrupt wakeup, or of a task that was its
 *    CPU's last, is preempted for it; else it runs when a CPU next looks
 *    for work. A heartbeat preempts a CPU when work has waited 2 ms;
 *  - ops.dispatch: the starvation guard (a task 2 s in the shared queue
 *    runs here), the daemon's answers in order (up to 512: a CPU's local
 *    queue plus an idle kick of it, or the vtime-ordered shared queue plus
 *    a kick of any idle CPU; stale ones dropped; a policy's kick of the
 *    CPU carrying them out is none: it is choosing), the lone waiting task on
 *    a CPU about to idle (the fast path), the daemon when a decision waits
 *    for it (after the shared queue's head on the CPU it just left), the
 *    shared queue's head; a runnable task whose slice ended keeps its CPU
 *    with its last slice when nothing else waits; a CPU about to idle with
 *    notices unread runs the daemon; an urgent wakeup that found the
 *    daemon running, which stopped with messages unread, runs it again
 *    first on its CPU (daemon_rerun);
 *  - a full ring sends the task to the shared queue at the running frontier
 *    (congested); RUNNING/STOPPING/EXIT messages want no daemon.
 * A kick that preempts a task (a decision's, the daemon's, the heartbeat's)
 * ends its slice: it goes through ops.dispatch as a slice's end does.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/engine/live_state.h"

/* bpf_dispatch's answer when the daemon takes the CPU. */
#define TAKE_DAEMON	(-2)
/* What the CPU ran before this ops.dispatch (its prev). */
enum { PREV_GONE, PREV_QUEUED, PREV_DAEMON };

bool live_grow(struct engine *e, void **p, size_t *cap, size_t n,
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

double live_uniform(struct engine *e)
{
	return (double)(engine_rnd(e) >> 11) / 9007199254740992.0;
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
	h->cpu = -1;
	h->last_cpu = -1;
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

static uint64_t draw(struct engine *e, enum live_cost_kind k)
{
	return live_cost_draw(&e->live->cost, k, live_uniform(e));
}

static void shared_insert(struct engine *e, uint32_t ti, uint64_t vtime,
			  uint64_t slice)
{
	struct live_host *h = e->live;
	size_t i;

	if (!live_grow(e, (void **)&h->sh, &h->capsh, h->nsh, sizeof(*h->sh)))
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

/* A CPU but c runs something (a task or the daemon). */
static bool others_run(const struct engine *e, int32_t c)
{
	for (uint32_t o = 0; o < e->nr_cpus; o++)
		if ((int32_t)o != c && (e->cpu[o].curr >= 0 || e->cpu[o].daemon))
			return true;
	return false;
}

static enum live_cost_kind wake_kind(bool task, bool busy, bool local)
{
	if (local)
		return busy ? LCOST_WAKE_LOCAL_SHARED : LCOST_WAKE_LOCAL;
	return task ? (busy ? LCOST_WAKE_TASK_SHARED : LCOST_WAKE_TASK) :
		      (busy ? LCOST_WAKE_IDLE_SHARED : LCOST_WAKE_IDLE);
}

/*
 * Waking idle CPU c: for a task (task) or the daemon, as measured, apart
 * for a machine whose other CPUs idle and one where another works (an
 * emulated guest's vCPUs share a host thread: a vCPU woken while another
 * works waits for it to let go, until at the latest it idles). local: the
 * wakeup is an interrupt's on c itself, which is awake already: no IPI,
 * so its own measured costs (a vCPU that lets go first is in them).
 */
static void wake_idle(struct engine *e, int32_t c, bool task, bool local)
{
	struct live_host *h = e->live;
	bool busy = others_run(e, c);
	uint64_t d = draw(e, wake_kind(task, busy, local));

	engine_want_pick(e, c, d);
	h->wake_at[c] = e->now + d;
	/* a local one's measured time holds any letting go already */
	h->wake_shared[c] = busy && !local;
	h->local_quiet_gen[c] = local && !busy ? e->cpu[c].pick_gen : 0;
}

/*
 * CPU c starts running something: a local wakeup pending on another CPU,
 * drawn while every other CPU idled, now waits as one while another CPU
 * works (measured so: one another CPU ran during counts there), from now.
 */
void live_host_busy(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;

	for (uint32_t o = 0; o < e->nr_cpus; o++) {
		uint64_t d;

		if ((int32_t)o == c || !h->local_quiet_gen[o])
			continue;
		if (e->cpu[o].pick_pending &&
		    e->cpu[o].pick_gen == h->local_quiet_gen[o] &&
		    (d = draw(e, LCOST_WAKE_LOCAL_SHARED)) &&
		    e->now + d > h->wake_at[o]) {
			engine_want_pick(e, (int32_t)o, d);
			h->wake_at[o] = e->now + d;
		}
		h->local_quiet_gen[o] = 0;
	}
}

void live_host_idles(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;

	for (uint32_t o = 0; o < e->nr_cpus; o++) {
		uint64_t d;

		if ((int32_t)o == c || !h->wake_shared[o] ||
		    !e->cpu[o].pick_pending || others_run(e, (int32_t)o))
			continue;
		h->wake_shared[o] = false;
		d = draw(e, LCOST_WAKE_FREED);
		if (e->now + d < h->wake_at[o]) {
			engine_want_pick(e, (int32_t)o, d);
			h->wake_at[o] = e->now + d;
		}
	}
}

/* SCX_KICK_IDLE of c for a task: as long as waking an idle CPU takes. */
static void kick_idle(struct engine *e, int32_t c)
{
	if (c >= 0 && engine_is_idle(e, c) && !e->cpu[c].pick_pending)
		wake_idle(e, c, true, false);
}

static void kick_idle_any(struct engine *e)
{
	kick_idle(e, engine_pick_idle(e, -1));
}

/* SCX_KICK_PREEMPT of c: its task's slice ends, or an idle c wakes. */
static void kick_preempt(struct engine *e, int32_t c, enum live_cost_kind k)
{
	struct vcpu *v;

	if (c < 0 || (uint32_t)c >= e->nr_cpus)
		return;
	v = &e->cpu[c];
	if (v->pick_pending || v->daemon)
		return;
	/* the guest's vCPUs share a thread: slower while another works */
	if (k == LCOST_WAKE_BUSY && others_run(e, c))
		k = LCOST_WAKE_BUSY_SHARED;
	if (v->curr >= 0 || engine_is_idle(e, c))
		engine_want_pick(e, c, draw(e, k));
}

static bool claim(struct live_host *h, struct ltask *lt)
{
	if (!lt->queued)
		return false;
	lt->queued = false;
	h->nr_undecided--;
	return true;
}

static void send(struct engine *e, uint8_t kind, uint32_t ti, int32_t c,
		 uint64_t ran, bool runnable)
{
	struct live_host *h = e->live;
	struct msg *m;

	if (!live_grow(e, (void **)&h->msgs, &h->capmsg, h->nmsg, sizeof(*m)))
		return;
	m = &h->msgs[h->nmsg++];
	h->stalled = false;
	m->kind = kind;
	m->ti = ti;
	m->cpu = c;
	m->ts = e->now;
	m->ran_ns = ran;
	m->runnable = runnable;
	m->seq = h->t[ti].seq;
	m->pt = e->pt[ti];
}

/* ---------------------------------------------------- the heartbeat */

static void heartbeat_arm(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;

	h->hb_cpu = c >= 0 ? c : 0;
	engine_push(e, e->now + HEARTBEAT_NS, EV_HOST, (uint32_t)h->hb_cpu,
		    ++h->hb_gen | GEN_HEARTBEAT);
}

/* The bpf_timer: work has waited a heartbeat for the daemon, preempt. */
static void heartbeat(struct engine *e)
{
	struct live_host *h = e->live;

	if (!h->work_since)
		return;		/* re-armed when work comes again */
	/*
	 * Nothing else will ever happen and nothing ran since the last beat:
	 * the policy lost its tasks (the kernel's watchdog would eject it);
	 * stop, for the replay's end checks to say so.
	 */
	if (!engine_pending(e) && h->hb_switches == e->stats->switches)
		return;
	h->hb_switches = e->stats->switches;
	if (h->state == DS_READY && e->now - h->work_since >= HEARTBEAT_NS) {
		h->forced = true;
		kick_preempt(e, h->hb_cpu, LCOST_WAKE_BUSY);
	}
	engine_push(e, e->now + HEARTBEAT_NS, EV_HOST, (uint32_t)h->hb_cpu,
		    ++h->hb_gen | GEN_HEARTBEAT);
}

/*
 * A decision waits (daemon_wanted()); here: the CPU to preempt when no
 * idle one can run the daemon, or -1. True if an idle CPU was kicked.
 */
static bool daemon_wanted(struct engine *e, int32_t here)
{
	struct live_host *h = e->live;
	int32_t c;

	if (!h->work_since) {
		h->work_since = e->now;
		heartbeat_arm(e, here >= 0 ? here : e->waker_cpu);
	}
	if (h->state != DS_READY) {
		/* it may be past its last read: daemon_missed */
		if (here >= 0)
			h->missed = true;
		return false;
	}
	c = engine_pick_idle(e, -1);
	if (c >= 0 && !e->cpu[c].pick_pending) {
		wake_idle(e, c, false, false);
		return true;
	}
	kick_preempt(e, here, LCOST_WAKE_BUSY);
	return false;
}

/* ------------------------------------------------------ enqueues */

/* Woken from interrupt context: a timer's or the trace's irq flag. */
static bool irq_wake(const struct engine *e, uint32_t ti)
{
	const struct model_task *mt = &e->m->tasks[ti];
	const struct burst *b;

	if (e->t[ti].burst >= mt->nr_bursts)
		return false;
	b = &mt->bursts[e->t[ti].burst];
	return b->src == BURST_TIMER || (b->flags & BURST_IRQ);
}

/*
 * An interrupt's wakeup of ti that came on CPU c: it comes on the CPU the
 * task last ran on (a timer is armed where its task slept), so an idle
 * CPU it picks there is awake already.
 */
static bool irq_here(const struct engine *e, uint32_t ti, int32_t c)
{
	return irq_wake(e, ti) && c == e->pt[ti].prev_cpu;
}

/*
 * A task's wakeup of another (no timer, no interrupt, no fork) is taken
 * for WF_SYNC: pipes, sockets, epoll and a child's exit wake their
 * readers so, the IPC a scheduler trace mostly shows (a futex's or an
 * eventfd's wakeup is not, and the trace cannot tell them apart). The
 * kernel passes no SYNC for a waker that is exiting.
 */
static bool sync_wake(const struct engine *e, uint32_t ti)
{
	int32_t w = e->waker_cpu;
	const struct stask *ws;
	const struct model_task *wm;

	if (w < 0 || (uint32_t)w >= e->nr_cpus || e->cpu[w].curr < 0 ||
	    (uint32_t)e->cpu[w].curr == ti || irq_wake(e, ti) ||
	    (e->pt[ti].flags & POLICY_ENQ_NEW))
		return false;
	ws = &e->t[e->cpu[w].curr];
	wm = &e->m->tasks[e->cpu[w].curr];
	return ws->burst >= wm->nr_bursts ||
	       !(wm->bursts[ws->burst].flags & BURST_LAST_EXIT);
}

/*
 * scx_bpf_select_cpu_dfl() on a machine of one LLC without SMT: the CPU
 * for waking task ti, or -1 (no idle CPU: is_idle false). *busy: it is
 * the waker's CPU, still running the waker, which a WF_SYNC wakeup gets
 * while its local queue is empty and some CPU idles (the waker is taken
 * to sleep soon), even when that idle CPU is another: is_idle is true
 * for it all the same, so the BPF side runs the task there at once, in
 * the local queue behind the waker.
 */
static int32_t select_cpu_dfl(struct engine *e, uint32_t ti, bool *busy)
{
	int32_t prev = e->pt[ti].prev_cpu, w = e->waker_cpu;
	int32_t c = engine_pick_idle(e, prev);

	*busy = false;
	if (c < 0 || c == prev || !sync_wake(e, ti))
		return c;	/* none idle, prev idle, or no SYNC */
	if (e->cpu[w].lq_head < 0 && allowed(e, ti, w)) {
		*busy = true;
		return w;
	}
	return c;
}

/* select_cpu_dfl found CPU c (idle unless busy): run there at once if
 * nothing waits. */
static bool run_on_idle(struct engine *e, uint32_t ti, int32_t c, bool busy)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[ti];

	if (!lt->slice || h->nr_undecided || h->nsh ||
	    h->nmsg - h->msg_head >= RING_MSGS)
		return false;
	lt->seq = ++h->enq_seq;
	lt->known = true;
	send(e, M_QUEUED, ti, e->pt[ti].prev_cpu, 0, false);
	e->stats->daemon_msgs++;
	e->stats->bpf_fast++;
	lt->user_owned = true;
	engine_lq_push(e, c, ti, lt->slice);
	if (!busy)
		wake_idle(e, c, true, irq_here(e, ti, c));
	return true;
}

void live_host_ready(struct engine *e, uint32_t ti, bool woke)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[ti];
	struct stask *s = &e->t[ti];
	struct policy_task *pt = &e->pt[ti];
	int32_t here = -1;

	if (s->pin >= 0) {
		/* dispatch_in_kernel(): the local queue of its CPU */
		e->stats->bpf_kernel++;
		engine_lq_push(e, s->pin, ti, SLICE_DFL_NS);
		kick_idle(e, s->pin);
		return;
	}
	/* scxlive's messages do not say which CPU woke it. */
	pt->flags &= ~POLICY_ENQ_WAKE_CPU;
	/* A kick or its slice's end put it back: its slice is gone. */
	if (!woke)
		pt->flags = (pt->flags & ~POLICY_ENQ_PREEMPTED) |
			    POLICY_ENQ_EXPIRED;
	if (woke) {
		/* select_cpu_dfl: an idle CPU is claimed and rescheduled */
		bool busy;
		int32_t c = select_cpu_dfl(e, ti, &busy);

		if (c >= 0 && run_on_idle(e, ti, c, busy))
			return;
		if (c >= 0 && !busy)
			wake_idle(e, c, false, irq_here(e, ti, c));
		/* an interrupt's wakeup preempts the CPU it came on */
		if (irq_wake(e, ti))
			here = pt->prev_cpu;
	} else if (h->last_cpu >= 0) {
		here = h->last_cpu;	/* SCX_ENQ_LAST */
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
	h->kicked_idle = daemon_wanted(e, here);
}

/* One answer of the daemon, carried out by CPU c; true if it used a slot. */
static bool carry_out(struct engine *e, const struct dec *d, int32_t c)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[d->ti];

	/* c is choosing now: a kick of it would preempt what it picks */
	if (d->kind == D_KICK) {
		if (d->cpu != c)
			kick_preempt(e, d->cpu, LCOST_WAKE_BUSY);
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

/* The daemon may be taken: yielded in its DSQ, with work (or forced). */
static bool daemon_takeable(const struct live_host *h)
{
	return h->state == DS_READY && live_daemon_has_work(h);
}

/*
 * ops.dispatch of CPU c, whose local queue is empty, prev as given: the
 * task to run on c now (its slice in *slice), TAKE_DAEMON, or -1 (what it
 * placed on c's local queue runs next; nothing: prev's slice is refilled
 * or c idles, as the caller decides).
 */
static int32_t bpf_dispatch(struct engine *e, int32_t c, int prev,
			    uint64_t *slice)
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
	/* The fast path: nothing placed anywhere, one task waiting. */
	if (!placed && prev == PREV_GONE && !h->nsh && h->nr_undecided == 1) {
		struct ltask *lt = &h->t[h->lone_ti];

		if (lt->seq == h->lone_seq && allowed(e, h->lone_ti, c) &&
		    claim(h, lt)) {
			lt->user_owned = true;
			e->stats->bpf_fast++;
			*slice = lt->slice ? lt->slice : FALLBACK_SLICE_NS;
			return (int32_t)h->lone_ti;
		}
	}
	if ((prev != PREV_DAEMON || h->rerun) && daemon_takeable(h)) {
		h->rerun = false;
		return TAKE_DAEMON;
	}
	for (size_t i = 0; i < h->nsh; i++)
		if (allowed(e, h->sh[i].ti, c))
			return (int32_t)shared_take(h, i, slice);
	return -1;
}

/* Notices wait in the ring (the daemon may as well run than c idle). */
static bool notices_wait(const struct live_host *h)
{
	return h->nmsg > h->msg_head && h->state == DS_READY;
}

static void take_daemon(struct engine *e, int32_t c)
{
	live_daemon_run(e, c, true);
}

bool live_host_dispatch(struct engine *e, int32_t c)
{
	uint64_t slice = 0;
	int32_t ti = bpf_dispatch(e, c, PREV_GONE, &slice);

	if (ti == TAKE_DAEMON || (ti < 0 && e->cpu[c].lq_head < 0 &&
				  notices_wait(e->live))) {
		take_daemon(e, c);
		return true;
	}
	if (ti < 0)
		return false;
	engine_run_task(e, c, (uint32_t)ti, slice);
	return true;
}

/*
 * Nothing else waits (no decision to take or to carry out, nothing queued
 * here or shared): the running task keeps c with its policy's last slice.
 */
static bool refill(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;
	struct ltask *lt = &h->t[e->cpu[c].curr];

	if (e->cpu[c].lq_head >= 0 || h->nsh || h->nr_undecided ||
	    h->dec_head < h->ndec)
		return false;
	engine_set_slice(e, &e->cpu[c], lt->slice ? lt->slice :
			 FALLBACK_SLICE_NS);
	engine_schedule_check(e, c);
	return true;
}

void live_host_expire(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;
	uint64_t slice = 0;
	int32_t next = bpf_dispatch(e, c, PREV_QUEUED, &slice);
	bool last;

	if (next == -1 && refill(e, c))
		return;
	if (next == -1 && e->cpu[c].lq_head < 0 && notices_wait(h))
		next = TAKE_DAEMON;
	/* Put back: through ops.enqueue, SCX_ENQ_LAST if c has nothing. */
	last = next == -1 && e->cpu[c].lq_head < 0;
	if (next == TAKE_DAEMON) {
		h->state = DS_CLAIMED;
		e->stats->daemon_preempts++;
	}
	h->last_cpu = last ? c : -1;
	engine_put_back(e, c, POLICY_ENQ_EXPIRED);
	h->last_cpu = -1;
	if (next == TAKE_DAEMON)
		take_daemon(e, c);
	else if (next >= 0)
		engine_run_task(e, c, (uint32_t)next, slice);
	else if (last && h->kicked_idle) {
		engine_idle_set(e, c, true);	/* the kicked CPU decides it */
		live_host_idles(e, c);
	}
	else
		engine_cpu_pick(e, c);
}

void live_host_after_daemon(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;
	uint64_t slice = 0;
	int32_t next = bpf_dispatch(e, c, PREV_DAEMON, &slice);

	if (next >= 0) {
		engine_run_task(e, c, (uint32_t)next, slice);
		return;
	}
	/* refill_prev() of the daemon: it keeps c while it has work. */
	if (e->cpu[c].lq_head < 0 && !h->nsh && live_daemon_has_work(h)) {
		live_daemon_run(e, c, false);
		return;
	}
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
	live_host_busy(e, c);
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

void live_host_event(struct engine *e, int32_t c, uint32_t gen)
{
	struct live_host *h = e->live;

	if (!h)
		return;
	if (gen & GEN_HEARTBEAT) {
		if (gen == (h->hb_gen | GEN_HEARTBEAT))
			heartbeat(e);
		return;
	}
	if (gen == (h->gen & ~GEN_HEARTBEAT) && h->state == DS_RUNNING &&
	    h->cpu == c)
		live_daemon_round_end(e, c);
}
