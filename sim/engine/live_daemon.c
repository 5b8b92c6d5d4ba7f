// SPDX-License-Identifier: GPL-2.0
/*
 * The scxlive host's daemon: what live/main.c and live/dispatch.c do, as a
 * task of the replay.
 *
 * The daemon never sleeps. Between runs it yields and waits, runnable, in
 * a DSQ of its own, until a CPU's ops.dispatch takes it (live_host.c says
 * when: a decision waits, or the CPU would idle with notices unread). A
 * run handles every message the ring holds as live/dispatch.c does
 * (QUEUED: select_cpu, enqueue; RUNNING of a task it still holds: answer
 * first; then dispatch(POLICY_CPU_ANY) until the policy has nothing, then
 * the kicks enqueue asked for) and takes a drawn round cost, when it was
 * switched in, plus a measured cost per message; its answers land when
 * the run ends, and the CPU's ops.dispatch that follows its yield carries
 * them out.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/engine/live_state.h"

static void hook_log(struct engine *e, const struct live_hook_rec *r)
{
	if (e->conf.hook_log)
		e->conf.hook_log(e->conf.hook_ctx, r);
}

/*
 * A decision waits, unless the daemon's last run had no message to read
 * and answered nothing: then the policy holds the waiting tasks back (or
 * lost them), and the real daemon would spin until a message comes or
 * the kernel's watchdog ejects it; the replay waits for the message.
 */
bool live_daemon_has_work(const struct live_host *h)
{
	return h->forced || (h->nr_undecided && !h->stalled);
}

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
		if (!live_grow(e, (void **)&h->out, &h->capout, h->nout, sizeof(*d)))
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
		if (!live_grow(e, (void **)&h->out, &h->capout, h->nout,
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
		/* Run by the fast path before the policy answered: answer
		 * (its hooks in order; the kernel drops it as stale). */
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

/* Every message the ring holds, handled now; the answers land at the end. */
void live_daemon_run(struct engine *e, int32_t c, bool switched)
{
	struct live_host *h = e->live;
	struct vcpu *v = &e->cpu[c];
	uint64_t cost = 0, n = h->nmsg - h->msg_head;
	bool shared = false;

	if (switched) {
		for (uint32_t o = 0; o < e->nr_cpus; o++)
			shared |= (int32_t)o != c && e->cpu[o].curr >= 0;
		cost = live_cost_draw(&h->cost, shared ? LCOST_ROUND_SHARED :
				      LCOST_ROUND, live_uniform(e));
		h->run_start = e->now;
		e->stats->daemon_runs++;
		live_host_busy(e, c);
		/* ops.running of the daemon: the heartbeat's force is spent */
		h->forced = false;
	}
	cost += h->cost.per_msg_ns * n;
	if (!cost)
		cost = 1;
	v->daemon = true;
	engine_idle_set(e, c, false);
	h->state = DS_RUNNING;
	h->cpu = c;
	h->piece_start = e->now;
	memcpy(h->idle, e->idle, sizeof(h->idle));
	for (size_t i = h->msg_head; i < h->nmsg; i++)
		handle(e, &h->msgs[i], e->now);
	h->msg_head = h->nmsg = 0;
	flush(e, e->now + cost, true);
	h->stalled = !n && !h->nout && !h->forced;
	engine_push(e, e->now + cost, EV_HOST, (uint32_t)c, ++h->gen &
		    ~GEN_HEARTBEAT);
}

void live_daemon_round_end(struct engine *e, int32_t c)
{
	struct live_host *h = e->live;

	for (size_t i = 0; i < h->nout; i++) {
		if (!live_grow(e, (void **)&h->decs, &h->capdec, h->ndec,
			       sizeof(*h->decs)))
			return;
		h->decs[h->ndec++] = h->out[i];
	}
	h->nout = 0;
	h->state = DS_READY;
	e->cpu[c].daemon = false;
	e->stats->daemon_ns += e->now - h->piece_start;
	e->stats->busy_ns += e->now - h->piece_start;
	live_host_after_daemon(e, c);
	if (h->state == DS_RUNNING)
		return;		/* kept its CPU: more work came */
	/* ops.stopping of the daemon */
	if (h->missed) {
		h->missed = false;
		h->rerun = h->nmsg > h->msg_head;
	}
	if (!live_daemon_has_work(h))
		h->work_since = 0;
	else if (!h->work_since)
		h->work_since = e->now;
}
