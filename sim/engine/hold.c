// SPDX-License-Identifier: GPL-2.0
/*
 * Wake edges that wait for their wakee to sleep, and the burst an edge wakes.
 *
 * The trace only shows a wakeup when its wakee was asleep: every recorded
 * edge found its wakee done with the burst before. A waker that runs ahead
 * of its wakee in a replay would fire the next edge while the wakee still
 * runs or waits, and the two bursts would merge into one (no switch, no
 * wakeup perf counts). Often the waker could not have run ahead at all:
 * in a ping-pong the wakee's reply reached the waker while the waker sat
 * preempted, so the trace has no wakeup for it, and the waker's next
 * message needs that reply; a futex waker's next wake needs a waiter. So
 * a waker that reaches an edge before its wakee has finished the burst
 * before it stops there, off CPU, and resumes when the wakee ends that
 * burst; the edge fires when it runs again. The resumption's delay is
 * measured only where the recording had the waker preempted on its way
 * to that edge: perf counted a wait there, and nowhere else. A waker never waits for a
 * wakee that sleeps (its wakeup may be the waker's to give) nor along a
 * chain of holds back to itself, so every hold ends.
 */
#include <string.h>

#include "sim/engine/state.h"

/* Longest chain of holds followed to rule out a cycle (none is longer). */
#define HOLD_CHAIN_MAX	64
/* How far past its burst an edge whose burst was woken already looks. */
#define EDGE_AHEAD_MAX	64

/* Burst b of a task: started by an edge, not running ahead, not woken yet. */
static bool edge_burst_open(const struct engine *e, const struct model_task *mt,
			    const struct stask *s, uint32_t b)
{
	return mt->bursts[b].src == BURST_EDGE &&
	       !(mt->bursts[b].flags & BURST_AHEAD) &&
	       !e->arrived[s->arrived_base + b];
}

/*
 * The burst of its wakee that ti's edge we wakes. Its own, except:
 *  - a wakee that many tasks of one program wake (MANY_WAKERS: a socket or
 *    pipe many senders write to, as hackbench's receivers; a kthread many
 *    tasks call into) waits on no one of them in particular: asleep on a
 *    burst another task of ti's program was to start, it is woken by ti's
 *    edge now, the first message in, and that task's edge pays back the
 *    burst ti's would have started;
 *  - an edge whose burst was woken already (paid back so) wakes the next
 *    burst not yet woken, so no burst is left without its wakeup.
 */
uint32_t engine_edge_target(const struct engine *e, uint32_t ti,
			    const struct wake_edge *we)
{
	const struct model_task *mt = &e->m->tasks[we->wakee];
	const struct stask *s = &e->t[we->wakee];
	uint32_t k = we->wakee_burst, other;

	/* scxlive: wakers run on and their data joins the wakee's work */
	if (e->live || k >= mt->nr_bursts || mt->bursts[k].src != BURST_EDGE ||
	    (mt->bursts[k].flags & BURST_AHEAD))
		return k;
	if (s->state == S_SLEEP && s->burst < k &&
	    e->nr_wakers[we->wakee] >= MANY_WAKERS &&
	    edge_burst_open(e, mt, s, s->burst)) {
		other = e->burst_waker[s->arrived_base + s->burst];
		if (other != UINT32_MAX &&
		    !strcmp(e->m->tasks[ti].comm, e->m->tasks[other].comm))
			return s->burst;
	}
	if (e->arrived[s->arrived_base + k]) {
		uint32_t from = s->burst + (s->state != S_SLEEP);

		if (from <= k)
			from = k + 1;
		for (uint32_t f = from; f < mt->nr_bursts &&
		     f < from + EDGE_AHEAD_MAX; f++)
			if (edge_burst_open(e, mt, s, f))
				return f;
	}
	return k;
}

/*
 * Must ti, at edge we, wait? Only for a wakee that is runnable, running
 * or held itself, short of the burst the edge starts: one asleep on an
 * earlier burst may be waiting for ti, and a chain of holds that leads
 * back to ti would never end.
 */
bool engine_hold_needed(const struct engine *e, uint32_t ti,
			const struct wake_edge *we)
{
	const struct model_task *mt = &e->m->tasks[we->wakee];
	const struct stask *w = &e->t[we->wakee];
	uint32_t next = we->wakee, k;

	/*
	 * On the scxlive host a wakee waits a round trip for the daemon, so
	 * its wakers reach it before it has run far more often than in the
	 * recording, and they run on: their data joins the wakee's work
	 * (engine_merge_next()), as a message storm's receivers read many
	 * messages a wakeup there (measured: 252 wakeups under fifo live
	 * against 7,750 under EEVDF). A waker that needed the wakee's reply
	 * first, which the recording hid, runs ahead here (see README).
	 */
	if (e->live || e->m->tasks[ti].runs_ahead)
		return false;
	if (!we->wakee_burst || we->wakee_burst >= mt->nr_bursts ||
	    w->state == S_DONE || w->state == S_SLEEP)
		return false;
	/* the burst it will wake, which may not be its own (above) */
	k = engine_edge_target(e, ti, we);
	if (w->burst >= k)
		return false;
	for (uint32_t hop = 0; e->t[next].state == S_HELD; hop++) {
		const struct stask *h = &e->t[next];

		next = e->m->tasks[next].edges[h->edge].wakee;
		if (next == ti || hop >= HOLD_CHAIN_MAX)
			return false;
	}
	return true;
}

/* ti, just stopped at edge we, waits for we->wakee. */
void engine_hold(struct engine *e, uint32_t ti, const struct wake_edge *we)
{
	struct stask *s = &e->t[ti], *w = &e->t[we->wakee];

	s->state = S_HELD;
	s->hold_next = w->holders;
	w->holders = (int32_t)ti;
	e->stats->holds++;
}

/* wakee moved on to a new burst: resume those it no longer holds up. */
void engine_release_holders(struct engine *e, uint32_t wakee)
{
	int32_t *link = &e->t[wakee].holders;

	while (*link >= 0) {
		uint32_t ti = (uint32_t)*link;
		struct stask *s = &e->t[ti];
		const struct model_task *mt = &e->m->tasks[ti];

		if (engine_hold_needed(e, ti, &mt->edges[s->edge])) {
			link = &s->hold_next;
			continue;
		}
		*link = s->hold_next;
		s->hold_next = -1;
		s->state = S_QUEUED;
		s->count_next = mt->edges[s->edge].waker_preempted;
		engine_wake_enqueue(e, ti, POLICY_ENQ_WAKEUP, false, false);
	}
}

/*
 * ti, running on c, ends its burst now and its next burst's wakeup came
 * while it ran or waited (on the scxlive host, see engine_hold_needed()):
 * the data was there before it read again, so it reads on, one burst,
 * as the kernel never wakes a task that is not asleep. True if it went
 * on with the next burst on c.
 */
bool engine_merge_next(struct engine *e, int32_t c, uint32_t ti)
{
	const struct model_task *mt = &e->m->tasks[ti];
	struct stask *s = &e->t[ti];
	struct vcpu *v = &e->cpu[c];
	uint32_t next = s->burst + 1;
	uint64_t ran = e->now - v->since;

	if (!e->live || next >= mt->nr_bursts ||
	    mt->bursts[next].src != BURST_EDGE ||
	    !e->arrived[s->arrived_base + next])
		return false;
	e->stats->served_ns += ran;
	e->stats->busy_ns += ran;
	s->runtime += ran;
	e->pt[ti].sum_exec_ns += ran;
	v->since = e->now;
	s->burst = next;
	s->consumed = 0;
	e->stats->merges++;
	engine_release_holders(e, ti);
	engine_schedule_check(e, c);
	return true;
}
