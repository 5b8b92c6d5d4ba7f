// SPDX-License-Identifier: GPL-2.0
/*
 * perf writes one mmap buffer per CPU and flushes them in rounds, so records
 * are not globally time-ordered. We order them exactly as perf's
 * ordered_events does: queue by (time, arrival); at each FINISHED_ROUND
 * (perf_record.c) release what is older than the newest time seen at the
 * previous round. Memory is two rounds of decoded sched events, whatever
 * the file size.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/perf.h"

static bool q_less(const struct qev *a, const struct qev *b)
{
	return a->ev.ts < b->ev.ts || (a->ev.ts == b->ev.ts && a->seq < b->seq);
}

static int spill_push(struct perf_order *o, const struct qev *e)
{
	size_t i;

	if (o->nheap == o->capheap) {
		size_t cap = o->capheap ? o->capheap * 2 : 4096;
		struct qev *h = realloc(o->heap, cap * sizeof(*h));

		if (!h)
			return -1;
		o->heap = h;
		o->capheap = cap;
	}
	i = o->nheap++;
	o->heap[i] = *e;
	while (i) {
		size_t up = (i - 1) / 2;
		struct qev tmp;

		if (!q_less(&o->heap[i], &o->heap[up]))
			break;
		tmp = o->heap[i];
		o->heap[i] = o->heap[up];
		o->heap[up] = tmp;
		i = up;
	}
	return 0;
}

static void spill_pop(struct perf_order *o, struct sched_event *ev)
{
	size_t i = 0;

	*ev = o->heap[0].ev;
	o->heap[0] = o->heap[--o->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct qev tmp;

		if (l < o->nheap && q_less(&o->heap[l], &o->heap[m]))
			m = l;
		if (r < o->nheap && q_less(&o->heap[r], &o->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = o->heap[i];
		o->heap[i] = o->heap[m];
		o->heap[m] = tmp;
		i = m;
	}
}

static int spill(struct perf_order *o, const struct sched_event *ev)
{
	struct qev e = { .ev = *ev, .seq = o->seq++ };

	return spill_push(o, &e);
}

/*
 * Queue a record. A CPU's records arrive in time order (one ring buffer
 * each), so they go to that CPU's FIFO; the rare one that does not (or a
 * record without a sane CPU) goes to the spill heap. Releasing takes the
 * least (time, arrival) among the FIFO heads and the spill top: the same
 * order perf's ordered_events produces, at O(CPUs) instead of O(log n)
 * 128-byte swaps per record.
 */
int order_push(struct perf_order *o, const struct sched_event *ev)
{
	struct cpuq *q;
	struct qev *slot;

	if (ev->ts > o->max_ts)
		o->max_ts = ev->ts;
	if (ev->ts <= o->release_limit)
		o->none_due = false;
	if (++o->pending > o->pending_peak)
		o->pending_peak = o->pending;
	if (ev->cpu < 0 || ev->cpu >= MAX_QUEUES)
		return spill(o, ev);
	if ((uint32_t)ev->cpu >= o->nqs) {
		uint32_t n = (uint32_t)ev->cpu + 1;
		struct cpuq *qs = realloc(o->qs, n * sizeof(*qs));

		if (!qs)
			return -1;
		memset(qs + o->nqs, 0, (n - o->nqs) * sizeof(*qs));
		o->qs = qs;
		o->nqs = n;
	}
	q = &o->qs[ev->cpu];
	if (q->head != q->tail && ev->ts < q->last_ts)
		return spill(o, ev);
	if (q->tail == q->cap) {
		if (q->head > q->cap / 2) {
			memmove(q->v, q->v + q->head, (q->tail - q->head) * sizeof(*q->v));
			q->tail -= q->head;
			q->head = 0;
		} else {
			size_t cap = q->cap ? q->cap * 2 : 1024;
			struct qev *v = realloc(q->v, cap * sizeof(*v));

			if (!v)
				return -1;
			q->v = v;
			q->cap = cap;
		}
	}
	slot = &q->v[q->tail++];
	slot->ev = *ev;
	slot->seq = o->seq++;
	q->last_ts = ev->ts;
	return 0;
}

/* The least pending record: its queue (NULL: the spill heap), or none. */
const struct qev *order_peek(struct perf_order *o, struct cpuq **from)
{
	const struct qev *best = o->nheap ? &o->heap[0] : NULL;

	*from = NULL;
	for (uint32_t i = 0; i < o->nqs; i++) {
		struct cpuq *q = &o->qs[i];
		const struct qev *h;

		if (q->head == q->tail)
			continue;
		h = &q->v[q->head];
		if (!best || q_less(h, best)) {
			best = h;
			*from = q;
		}
	}
	return best;
}

void order_pop(struct perf_order *o, struct cpuq *from, struct sched_event *ev)
{
	o->pending--;
	if (!from) {
		spill_pop(o, ev);
		return;
	}
	*ev = from->v[from->head++].ev;
	if (from->head == from->tail)
		from->head = from->tail = 0;
}

void order_free(struct perf_order *o)
{
	free(o->heap);
	for (uint32_t i = 0; i < o->nqs; i++)
		free(o->qs[i].v);
	free(o->qs);
}
