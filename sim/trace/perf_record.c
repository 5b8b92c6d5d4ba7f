// SPDX-License-Identifier: GPL-2.0
/*
 * One perf.data record: a tracepoint SAMPLE decoded to a sched event
 * (the sample's fields walked as its attr's sample_type lays them out),
 * COMM and FORK queued for the comm table, LOST counted, FINISHED_ROUND
 * moving the release limit of the reorder queue.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/perf.h"

struct cursor {
	const unsigned char *p;
	size_t n;
	bool bad;
};

static inline uint64_t take64(struct cursor *c)
{
	uint64_t v;

	if (c->n < 8) {
		c->bad = true;
		c->n = 0;
		return 0;
	}
	v = rd64(c->p);
	c->p += 8;
	c->n -= 8;
	return v;
}

static inline void skip(struct cursor *c, uint64_t k)
{
	if (k > c->n) {
		c->bad = true;
		c->n = 0;
		return;
	}
	c->p += k;
	c->n -= k;
}

static const struct attr *sample_attr(struct perf *p, const unsigned char *b,
				      size_t n)
{
	const struct attr *a0 = &p->attrs[0];
	struct id_map key, *hit, *slot;
	size_t pos = 0;

	if (p->same_type)
		return a0;
	if (a0->sample_type & S_IDENTIFIER) {
		if (n < 8)
			return NULL;
		key.id = rd64(b);
	} else if (a0->sample_type & S_ID) {
		pos = !!(a0->sample_type & S_IP) + !!(a0->sample_type & S_TID) +
		      !!(a0->sample_type & S_TIME) + !!(a0->sample_type & S_ADDR);
		if (n < 8 * (pos + 1))
			return NULL;
		key.id = rd64(b + 8 * pos);
	} else {
		return a0;
	}
	slot = &p->id_cache[key.id % ID_CACHE];
	if (slot->attr != UINT32_MAX && slot->id == key.id)
		return &p->attrs[slot->attr];
	hit = bsearch(&key, p->ids, p->nids, sizeof(*p->ids), perf_cmp_id);
	if (!hit)
		return NULL;
	*slot = *hit;
	return &p->attrs[hit->attr];
}

void attr_layout(struct attr *a)
{
	uint64_t st = a->sample_type;
	int32_t k = 0;

	a->time_off = a->cpu_off = a->raw_off = -1;
	if (st & (S_READ | S_CALLCHAIN))
		return;
	k += 8 * (!!(st & S_IDENTIFIER) + !!(st & S_IP) + !!(st & S_TID));
	if (st & S_TIME)
		a->time_off = k;
	k += 8 * (!!(st & S_TIME) + !!(st & S_ADDR) + !!(st & S_ID) +
		  !!(st & S_STREAM_ID));
	if (st & S_CPU)
		a->cpu_off = k;
	k += 8 * (!!(st & S_CPU) + !!(st & S_PERIOD));
	a->raw_off = k;
}

/* The fields before RAW, at the attr's fixed offsets; NULL: too short. */
static const unsigned char *fixed_fields(const struct attr *a,
					 const unsigned char *b, size_t n,
					 struct sched_event *ev)
{
	if (n < (size_t)a->raw_off + 4)
		return NULL;
	if (a->time_off >= 0)
		ev->ts = rd64(b + a->time_off);
	if (a->cpu_off >= 0)
		ev->cpu = (int32_t)rd32(b + a->cpu_off);
	return b + a->raw_off;
}

static int do_sample(struct trace_reader *r, struct perf *p,
		     const unsigned char *b, size_t n)
{
	const struct attr *a = sample_attr(p, b, n);
	struct cursor c = { b, n, false };
	struct sched_event ev;
	uint64_t st, v;
	uint32_t raw_size;
	int rc;

	if (!a || a->type != PERF_TYPE_TRACEPOINT || !(a->sample_type & S_RAW))
		return 0;
	st = a->sample_type;
	memset(&ev, 0, sizeof(ev));
	if (a->raw_off >= 0) {
		c.p = fixed_fields(a, b, n, &ev);
		if (!c.p)
			return rerr(r, "corrupt perf.data: sample record too short");
		c.n = n - (size_t)a->raw_off;
		goto raw;
	}
	if (st & S_IDENTIFIER)
		take64(&c);
	if (st & S_IP)
		take64(&c);
	if (st & S_TID)
		take64(&c);
	if (st & S_TIME)
		ev.ts = take64(&c);
	if (st & S_ADDR)
		take64(&c);
	if (st & S_ID)
		take64(&c);
	if (st & S_STREAM_ID)
		take64(&c);
	if (st & S_CPU)
		ev.cpu = (int32_t)(uint32_t)take64(&c);
	if (st & S_PERIOD)
		take64(&c);
	if (st & S_READ) {
		uint64_t rf = a->read_format;
		uint64_t per = 1 + !!(rf & F_ID) + !!(rf & F_LOST);

		if (rf & F_GROUP) {
			uint64_t nr = take64(&c);

			skip(&c, 8 * (!!(rf & F_TOTAL_TIME_ENABLED) +
				      !!(rf & F_TOTAL_TIME_RUNNING)));
			if (nr > c.n / 8)
				return rerr(r, "corrupt perf.data: sample read group of %llu",
					    (unsigned long long)nr);
			skip(&c, 8 * per * nr);
		} else {
			skip(&c, 8 * (per + !!(rf & F_TOTAL_TIME_ENABLED) +
				      !!(rf & F_TOTAL_TIME_RUNNING)));
		}
	}
	if (st & S_CALLCHAIN) {
		v = take64(&c);
		if (v > c.n / 8)
			return rerr(r, "corrupt perf.data: callchain of %llu entries",
				    (unsigned long long)v);
		skip(&c, 8 * v);
	}
	if (c.bad || c.n < 4)
		return rerr(r, "corrupt perf.data: sample record too short");
raw:
	raw_size = rd32(c.p);
	if (raw_size > c.n - 4)
		return rerr(r, "corrupt perf.data: raw payload of %u bytes in a %zu-byte record",
			    raw_size, n);
	rc = dec_record(&p->dec, c.p + 4, (int)raw_size, &ev);
	if (rc < 0)
		return rerr(r, "corrupt perf.data: tracepoint payload too short for its format");
	if (!rc)
		return 0;
	if (ev.cpu > p->max_cpu)
		p->max_cpu = ev.cpu;
	if (order_push(&p->ord, &ev))
		return rerr(r, "out of memory");
	return 0;
}

/* sample_id trailer of a non-sample record: time and cpu. */
static void sample_id(struct perf *p, const unsigned char *b, size_t n,
		      uint64_t *ts, int32_t *cpu)
{
	uint64_t st = p->attrs[0].sample_type;
	size_t k = !!(st & S_TID) + !!(st & S_TIME) + !!(st & S_ID) +
		   !!(st & S_STREAM_ID) + !!(st & S_CPU) + !!(st & S_IDENTIFIER);
	const unsigned char *q;

	*ts = p->ord.max_ts;	/* untimed: keep it where it arrived */
	*cpu = 0;
	if (!p->sample_id_all || n < 8 * k)
		return;
	q = b + n - 8 * k;
	if (st & S_TID)
		q += 8;
	if (st & S_TIME) {
		*ts = rd64(q);
		q += 8;
	}
	if (st & S_ID)
		q += 8;
	if (st & S_STREAM_ID)
		q += 8;
	if (st & S_CPU)
		*cpu = (int32_t)rd32(q);
}

int perf_do_record(struct trace_reader *r, struct perf *p, uint32_t type,
		     const unsigned char *b, size_t n)
{
	struct sched_event ev;

	switch (type) {
	case PERF_RECORD_SAMPLE:
		return do_sample(r, p, b, n);
	case PERF_RECORD_COMM:
		if (n < 8)
			return rerr(r, "corrupt perf.data: short COMM record");
		memset(&ev, 0, sizeof(ev));
		ev.type = SEV_COMM;
		ev.common_pid = (int32_t)rd32(b);
		ev.pid = (int32_t)rd32(b + 4);
		{
			size_t len = strnlen((const char *)b + 8, n - 8);

			if (len > TRACE_COMM_LEN - 1)
				len = TRACE_COMM_LEN - 1;
			memcpy(ev.comm, b + 8, len);
		}
		sample_id(p, b, n, &ev.ts, &ev.cpu);
		return order_push(&p->ord, &ev) ? rerr(r, "out of memory") : 0;
	case PERF_RECORD_FORK:
		if (n < 24)
			return rerr(r, "corrupt perf.data: short FORK record");
		memset(&ev, 0, sizeof(ev));
		ev.type = SEV_PERF_FORK;
		ev.pid = (int32_t)rd32(b + 8);		/* tid */
		ev.pid2 = (int32_t)rd32(b + 12);	/* ptid */
		sample_id(p, b, n, &ev.ts, &ev.cpu);
		return order_push(&p->ord, &ev) ? rerr(r, "out of memory") : 0;
	case PERF_RECORD_LOST:
		if (n >= 16)
			r->info.lost_events += rd64(b + 8);
		return 0;
	case PERF_RECORD_LOST_SAMPLES:
		if (n >= 8)
			r->info.lost_events += rd64(b);
		return 0;
	case PERF_RECORD_FINISHED_ROUND:
		p->ord.release_limit = p->ord.next_flush;
		p->ord.next_flush = p->ord.max_ts;
		p->ord.none_due = false;
		return 0;
	case PERF_RECORD_COMPRESSED:
	case PERF_RECORD_COMPRESSED2:
		return rerr(r, "compressed perf.data (perf record -z) is not supported");
	case PERF_RECORD_AUXTRACE:
		/* its payload follows the record */
		if (n < 8)
			return rerr(r, "corrupt perf.data: short AUXTRACE record");
		if (rd64(b) > p->data_end - tin_tell(&r->in))
			return rerr(r, "corrupt perf.data: AUXTRACE payload past the data");
		tin_seek(&r->in, tin_tell(&r->in) + rd64(b));
		return 0;
	default:
		return 0;
	}
}
