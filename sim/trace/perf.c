// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data reader (file mode, "PERFILE2", as `perf record` and `perf sched
 * record` write it), following tools/perf/Documentation/perf.data-file-
 * format.txt: header -> attrs (sample_type, sample_id_all) -> feature
 * sections after the data (HEADER_TRACING_DATA embeds the tracepoint formats,
 * fed to libtraceevent; HEADER_NRCPUS) -> the data section, streamed.
 *
 * perf writes one mmap buffer per CPU, so records are not globally
 * time-ordered: perf_order.c restores perf's own order before release.
 * The header sections are perf_header.c's, one record perf_record.c's.
 *
 * PERF_RECORD_COMM becomes SEV_COMM (perf names rows by these), and a
 * PERF_RECORD_FORK gives the child its parent's comm at that point in time,
 * as perf's thread__fork does. Lost records (PERF_RECORD_LOST, LOST_SAMPLES)
 * are counted in trace_info.lost_events.
 */
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "sim/trace/perf.h"

static void perf_close(struct trace_reader *r)
{
	struct perf *p = r->priv;

	if (!p)
		return;
	if (p->tep)
		tep_free(p->tep);
	free(p->attrs);
	free(p->ids);
	order_free(&p->ord);
	comm_free(&p->comms);
	free(p);
	r->priv = NULL;
}

/* Release one queued event if ordering allows; 1 if ev filled. */
static int release(struct perf *p, struct sched_event *ev)
{
	if (p->ord.none_due && !p->ord.draining)
		return 0;
	for (;;) {
		struct cpuq *from;
		const struct qev *top = order_peek(&p->ord, &from);

		if (!top || (!p->ord.draining && top->ev.ts > p->ord.release_limit)) {
			p->ord.none_due = true;
			break;
		}
		order_pop(&p->ord, from, ev);
		if (ev->type == SEV_COMM) {
			struct comm_slot *s = comm_find(&p->comms, ev->pid, true);

			if (s)
				memcpy(s->comm, ev->comm, TRACE_COMM_LEN);
			return 1;
		}
		if (ev->type == SEV_PERF_FORK) {
			struct comm_slot *parent = comm_find(&p->comms, ev->pid2, false);
			struct comm_slot *child;

			if (!parent || !parent->comm[0])
				continue;
			memcpy(ev->comm, parent->comm, TRACE_COMM_LEN);
			child = comm_find(&p->comms, ev->pid, true);
			if (child)
				memcpy(child->comm, ev->comm, TRACE_COMM_LEN);
			ev->type = SEV_COMM;
			ev->common_pid = ev->pid2;
			ev->pid2 = 0;
			return 1;
		}
		return 1;
	}
	return 0;
}

static int perf_next(struct trace_reader *r, struct sched_event *ev)
{
	struct perf *p = r->priv;

	for (;;) {
		const unsigned char *h, *b;
		uint32_t type;
		uint16_t size;

		if (release(p, ev))
			return 1;
		if (p->ord.draining)
			return 0;
		if (tin_tell(&r->in) >= p->data_end) {
			p->ord.draining = true;
			r->info.held_peak = p->ord.pending_peak;
			r->info.held_bytes = p->ord.capheap * sizeof(struct qev);
			for (uint32_t i = 0; i < p->ord.nqs; i++)
				r->info.held_bytes += p->ord.qs[i].cap *
						      sizeof(struct qev);
			if (!r->info.cpus)
				r->info.cpus = (uint32_t)p->max_cpu + 1;
			continue;
		}
		if (p->data_end - tin_tell(&r->in) < 8)
			return rerr(r, "corrupt perf.data: partial record at the end of the data");
		h = tin_get(&r->in, 8);
		if (!h)
			return rerr(r, "truncated: data section ends at byte %llu of %llu",
				    (unsigned long long)tin_tell(&r->in),
				    (unsigned long long)p->data_end);
		type = rd32(h);
		memcpy(&size, h + 6, 2);
		if (size < 8 || size - 8u > p->data_end - tin_tell(&r->in))
			return rerr(r, "corrupt perf.data: record of %u bytes at byte %llu",
				    size, (unsigned long long)tin_tell(&r->in) - 8);
		b = tin_get(&r->in, size - 8u);
		if (!b)
			return rerr(r, "truncated: data section ends at byte %llu of %llu",
				    (unsigned long long)tin_tell(&r->in),
				    (unsigned long long)p->data_end);
		if (perf_do_record(r, p, type, b, size - 8u))
			return -1;
	}
}

static const struct reader_ops perf_ops = {
	.next = perf_next,
	.close = perf_close,
};

int perf_open(struct trace_reader *r)
{
	unsigned char hdr[PERF_HEADER_SIZE];
	struct perf *p = calloc(1, sizeof(*p));
	uint64_t hsize, dsize;

	if (!p)
		return rerr(r, "out of memory");
	r->priv = p;
	r->ops = &perf_ops;
	for (unsigned int i = 0; i < ID_CACHE; i++)
		p->id_cache[i].attr = UINT32_MAX;
	if (tin_read_at(&r->in, 0, hdr, 16) != 16)
		return rerr(r, "truncated: perf.data header");
	hsize = rd64(hdr + 8);
	if (hsize == 16)
		return rerr(r, "pipe-mode perf.data (perf record -o -) is not supported");
	if (hsize != PERF_HEADER_SIZE)
		return rerr(r, "perf.data header: absurd header size %llu",
			    (unsigned long long)hsize);
	if (tin_read_at(&r->in, 0, hdr, sizeof(hdr)) != sizeof(hdr))
		return rerr(r, "truncated: perf.data header");
	p->data_off = rd64(hdr + 40);
	dsize = rd64(hdr + 48);
	if (p->data_off < PERF_HEADER_SIZE || dsize > UINT64_MAX - p->data_off)
		return rerr(r, "perf.data header: absurd data section (offset %llu, size %llu)",
			    (unsigned long long)p->data_off, (unsigned long long)dsize);
	p->data_end = p->data_off + dsize;
	if (r->in.size != UINT64_MAX && p->data_end > r->in.size)
		return rerr(r, "truncated: data section ends at byte %llu, the file at %llu",
			    (unsigned long long)p->data_end,
			    (unsigned long long)r->in.size);
	if (!dsize)
		return rerr(r, "perf.data has an empty data section (was perf record interrupted?)");
	p->tep = tep_alloc();
	if (!p->tep)
		return rerr(r, "out of memory");
	tep_set_loglevel(TEP_LOG_NONE);
	if (perf_read_attrs(r, p, hdr) || perf_read_features(r, p, hdr))
		return -1;
	if (p->ids)
		qsort(p->ids, p->nids, sizeof(*p->ids), perf_cmp_id);
	if (!p->same_type && !(p->attrs[0].sample_type & (S_IDENTIFIER | S_ID)))
		return rerr(r, "perf.data: events differ in sample_type and carry no id");
	dec_init(&p->dec, p->tep);
	r->info.has_waking = tep_find_event_by_name(p->tep, "sched",
						    "sched_waking") != NULL;
	tin_seek(&r->in, p->data_off);
	return 0;
}

