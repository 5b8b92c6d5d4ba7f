// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data reader (file mode, "PERFILE2", as `perf record` and `perf sched
 * record` write it), following tools/perf/Documentation/perf.data-file-
 * format.txt: header -> attrs (sample_type, sample_id_all) -> feature
 * sections after the data (HEADER_TRACING_DATA embeds the tracepoint formats,
 * fed to libtraceevent; HEADER_NRCPUS) -> the data section, streamed.
 *
 * perf writes one mmap buffer per CPU and flushes them in rounds, so records
 * are not globally time-ordered. We order them exactly as perf's
 * ordered_events does: queue by (time, arrival); at each FINISHED_ROUND
 * release what is older than the newest time seen at the previous round.
 * Memory is two rounds of decoded sched events, whatever the file size.
 *
 * PERF_RECORD_COMM becomes SEV_COMM (perf names rows by these), and a
 * PERF_RECORD_FORK gives the child its parent's comm at that point in time,
 * as perf's thread__fork does. Lost records (PERF_RECORD_LOST, LOST_SAMPLES)
 * are counted in trace_info.lost_events.
 */
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "sim/trace_priv.h"

#define PERF_HEADER_SIZE	104
#define PERF_TYPE_TRACEPOINT	2

#define PERF_RECORD_LOST	2
#define PERF_RECORD_COMM	3
#define PERF_RECORD_FORK	7
#define PERF_RECORD_SAMPLE	9
#define PERF_RECORD_LOST_SAMPLES 13
#define PERF_RECORD_FINISHED_ROUND 68
#define PERF_RECORD_AUXTRACE	71
#define PERF_RECORD_COMPRESSED	81
#define PERF_RECORD_COMPRESSED2	83

#define S_IP		(1ull << 0)
#define S_TID		(1ull << 1)
#define S_TIME		(1ull << 2)
#define S_ADDR		(1ull << 3)
#define S_READ		(1ull << 4)
#define S_CALLCHAIN	(1ull << 5)
#define S_ID		(1ull << 6)
#define S_CPU		(1ull << 7)
#define S_PERIOD	(1ull << 8)
#define S_STREAM_ID	(1ull << 9)
#define S_RAW		(1ull << 10)
#define S_IDENTIFIER	(1ull << 16)

#define F_TOTAL_TIME_ENABLED	(1ull << 0)
#define F_TOTAL_TIME_RUNNING	(1ull << 1)
#define F_ID			(1ull << 2)
#define F_GROUP			(1ull << 3)
#define F_LOST			(1ull << 4)

#define FEAT_TRACING_DATA	1
#define FEAT_OSRELEASE		4
#define FEAT_NRCPUS		7
#define FEAT_BITS		256

/* Internal queue type: a fork whose child inherits comm when released. */
#define SEV_PERF_FORK		0x7fff

#define MAX_ATTRS		4096
#define MAX_IDS			(1u << 20)
#define MAX_TRACING_DATA	(256u << 20)

struct attr {
	uint32_t type;
	uint64_t sample_type, read_format;
};

struct id_map {
	uint64_t id;
	uint32_t attr;
};

struct qev {
	struct sched_event ev;
	uint64_t seq;
};

struct cpuq {
	struct qev *v;
	size_t head, tail, cap;
	uint64_t last_ts;
};

#define MAX_QUEUES	4096

struct comm_slot {
	int32_t tid;
	char comm[TRACE_COMM_LEN];
};

struct perf {
	struct attr *attrs;
	uint32_t nattrs;
	bool same_type;		/* every attr has the same sample_type */
	bool sample_id_all;
	struct id_map *ids;
	size_t nids;
	uint64_t data_off, data_end;
	struct tep_handle *tep;
	struct sched_decoder dec;
	/* ordering: per-CPU FIFOs (each already in time order), merged */
	struct cpuq *qs;
	uint32_t nqs;
	size_t pending;
	struct qev *heap;	/* spill: records out of order on their CPU */
	size_t nheap, capheap;
	uint64_t seq, max_ts, next_flush, release_limit;
	bool draining;		/* end of data: release everything */
	/* comm of every tid seen in COMM records, for fork inheritance */
	struct comm_slot *comms;
	size_t ncomms, capcomms;
	int32_t max_cpu;
};

static inline uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static inline uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ------------------------------------------------------------ queue */
static bool q_less(const struct qev *a, const struct qev *b)
{
	return a->ev.ts < b->ev.ts || (a->ev.ts == b->ev.ts && a->seq < b->seq);
}

static int spill_push(struct perf *p, const struct qev *e)
{
	size_t i;

	if (p->nheap == p->capheap) {
		size_t cap = p->capheap ? p->capheap * 2 : 4096;
		struct qev *h = realloc(p->heap, cap * sizeof(*h));

		if (!h)
			return -1;
		p->heap = h;
		p->capheap = cap;
	}
	i = p->nheap++;
	p->heap[i] = *e;
	while (i) {
		size_t up = (i - 1) / 2;
		struct qev tmp;

		if (!q_less(&p->heap[i], &p->heap[up]))
			break;
		tmp = p->heap[i];
		p->heap[i] = p->heap[up];
		p->heap[up] = tmp;
		i = up;
	}
	return 0;
}

static void spill_pop(struct perf *p, struct sched_event *ev)
{
	size_t i = 0;

	*ev = p->heap[0].ev;
	p->heap[0] = p->heap[--p->nheap];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct qev tmp;

		if (l < p->nheap && q_less(&p->heap[l], &p->heap[m]))
			m = l;
		if (r < p->nheap && q_less(&p->heap[r], &p->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = p->heap[i];
		p->heap[i] = p->heap[m];
		p->heap[m] = tmp;
		i = m;
	}
}

static int spill(struct perf *p, const struct sched_event *ev)
{
	struct qev e = { .ev = *ev, .seq = p->seq++ };

	return spill_push(p, &e);
}

/*
 * Queue a record. A CPU's records arrive in time order (one ring buffer
 * each), so they go to that CPU's FIFO; the rare one that does not (or a
 * record without a sane CPU) goes to the spill heap. Releasing takes the
 * least (time, arrival) among the FIFO heads and the spill top: the same
 * order perf's ordered_events produces, at O(CPUs) instead of O(log n)
 * 128-byte swaps per record.
 */
static int q_push(struct perf *p, const struct sched_event *ev)
{
	struct cpuq *q;
	struct qev *slot;

	if (ev->ts > p->max_ts)
		p->max_ts = ev->ts;
	p->pending++;
	if (ev->cpu < 0 || ev->cpu >= MAX_QUEUES)
		return spill(p, ev);
	if ((uint32_t)ev->cpu >= p->nqs) {
		uint32_t n = (uint32_t)ev->cpu + 1;
		struct cpuq *qs = realloc(p->qs, n * sizeof(*qs));

		if (!qs)
			return -1;
		memset(qs + p->nqs, 0, (n - p->nqs) * sizeof(*qs));
		p->qs = qs;
		p->nqs = n;
	}
	q = &p->qs[ev->cpu];
	if (q->head != q->tail && ev->ts < q->last_ts)
		return spill(p, ev);
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
	slot->seq = p->seq++;
	q->last_ts = ev->ts;
	return 0;
}

/* The least pending record: its queue (NULL: the spill heap), or none. */
static const struct qev *q_peek(struct perf *p, struct cpuq **from)
{
	const struct qev *best = p->nheap ? &p->heap[0] : NULL;

	*from = NULL;
	for (uint32_t i = 0; i < p->nqs; i++) {
		struct cpuq *q = &p->qs[i];
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

static void q_pop(struct perf *p, struct cpuq *from, struct sched_event *ev)
{
	p->pending--;
	if (!from) {
		spill_pop(p, ev);
		return;
	}
	*ev = from->v[from->head++].ev;
	if (from->head == from->tail)
		from->head = from->tail = 0;
}

/* ------------------------------------------------------------ comms */
static struct comm_slot *comm_find(struct perf *p, int32_t tid, bool add)
{
	size_t lo = 0, hi = p->ncomms;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->comms[mid].tid == tid)
			return &p->comms[mid];
		if (p->comms[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!add)
		return NULL;
	if (p->ncomms == p->capcomms) {
		size_t cap = p->capcomms ? p->capcomms * 2 : 1024;
		struct comm_slot *c = realloc(p->comms, cap * sizeof(*c));

		if (!c)
			return NULL;
		p->comms = c;
		p->capcomms = cap;
	}
	memmove(&p->comms[lo + 1], &p->comms[lo],
		(p->ncomms - lo) * sizeof(*p->comms));
	p->ncomms++;
	p->comms[lo].tid = tid;
	p->comms[lo].comm[0] = '\0';
	return &p->comms[lo];
}

/* ------------------------------------------------------------ header */
static int read_attrs(struct trace_reader *r, struct perf *p,
		      const unsigned char *hdr)
{
	uint64_t attr_size = rd64(hdr + 16);
	uint64_t off = rd64(hdr + 24), size = rd64(hdr + 32);
	unsigned char *buf;
	size_t nids = 0;

	if (attr_size < 64 + 16 || attr_size > 4096)
		return rerr(r, "perf.data header: absurd attr size %llu",
			    (unsigned long long)attr_size);
	if (!size || size % attr_size || size / attr_size > MAX_ATTRS)
		return rerr(r, "perf.data header: absurd attrs section size %llu",
			    (unsigned long long)size);
	if (r->in.size != UINT64_MAX && (off > r->in.size || size > r->in.size - off))
		return rerr(r, "truncated: attrs section runs past the end of the file");
	p->nattrs = (uint32_t)(size / attr_size);
	p->attrs = calloc(p->nattrs, sizeof(*p->attrs));
	buf = malloc(size);
	if (!p->attrs || !buf) {
		free(buf);
		return rerr(r, "out of memory");
	}
	if (tin_read_at(&r->in, off, buf, size) != size) {
		free(buf);
		return rerr(r, "truncated: attrs section runs past the end of the file");
	}
	p->same_type = true;
	for (uint32_t i = 0; i < p->nattrs; i++) {
		const unsigned char *a = buf + i * attr_size;
		uint64_t ids_size = rd64(a + attr_size - 8);

		p->attrs[i].type = rd32(a);
		p->attrs[i].sample_type = rd64(a + 24);
		p->attrs[i].read_format = rd64(a + 32);
		if (i == 0)
			p->sample_id_all = (rd64(a + 40) >> 18) & 1;
		if (p->attrs[i].sample_type != p->attrs[0].sample_type)
			p->same_type = false;
		if (ids_size % 8 || ids_size / 8 > MAX_IDS - nids) {
			free(buf);
			return rerr(r, "perf.data header: absurd id list size %llu",
				    (unsigned long long)ids_size);
		}
		nids += ids_size / 8;
	}
	if (!p->same_type) {
		/* samples name their attr by id: build the map */
		p->ids = calloc(nids ? nids : 1, sizeof(*p->ids));
		if (!p->ids) {
			free(buf);
			return rerr(r, "out of memory");
		}
		for (uint32_t i = 0; i < p->nattrs; i++) {
			const unsigned char *a = buf + i * attr_size;
			uint64_t ioff = rd64(a + attr_size - 16);
			uint64_t n = rd64(a + attr_size - 8) / 8;

			for (uint64_t k = 0; k < n; k++) {
				unsigned char v[8];

				if (tin_read_at(&r->in, ioff + 8 * k, v, 8) != 8) {
					free(buf);
					return rerr(r, "truncated: attr id list runs past the end of the file");
				}
				p->ids[p->nids].id = rd64(v);
				p->ids[p->nids++].attr = i;
			}
		}
	}
	free(buf);
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	const struct id_map *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/*
 * The tracing data's building block: a u64 size, then that many bytes. The
 * bytes (with *o moved past them), or NULL if d[0..n) ends first.
 */
static const unsigned char *sized_blob(const unsigned char *d, uint64_t n,
				       uint64_t *o, uint64_t *sz)
{
	if (*o > n || 8 > n - *o)
		return NULL;
	*sz = rd64(d + *o);
	if (*sz > n - *o - 8)
		return NULL;
	*o += 8 + *sz;
	return d + *o - *sz;
}

/* HEADER_TRACING_DATA: tools/perf/util/trace-event-read.c's layout. */
static int parse_tracing(struct trace_reader *r, struct perf *p,
			 const unsigned char *d, uint64_t n)
{
	/* Each a NUL-ended name before its sized blob; they are skipped. */
	static const char *const hdrs[] = { "header_page", "header_event" };
	uint64_t o = 10, sz;
	const char *ver;
	uint32_t nsys, cnt;
	int parsed = 0;

#define NEED(k) do { if ((k) > n - o || o > n) goto trunc; } while (0)
	if (n < 10 || memcmp(d, "\027\010\104tracing", 10))
		return rerr(r, "perf.data: bad tracing data magic");
	ver = (const char *)d + o;
	o += strnlen(ver, n - o) + 1;
	NEED(6);
	if (d[o])
		return rerr(r, "big-endian perf.data is not supported");
	tep_set_file_bigendian(p->tep, TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(p->tep, TEP_LITTLE_ENDIAN);
	tep_set_long_size(p->tep, d[o + 1]);
	tep_set_page_size(p->tep, (int)rd32(d + o + 2));
	o += 6;
	for (size_t i = 0; i < sizeof(hdrs) / sizeof(*hdrs); i++) {
		size_t hl = strlen(hdrs[i]) + 1;

		NEED(hl + 8);
		if (memcmp(d + o, hdrs[i], hl))
			return rerr(r, "perf.data: tracing data has no %s", hdrs[i]);
		o += hl;
		if (!sized_blob(d, n, &o, &sz))
			goto trunc;
	}
	NEED(4);
	cnt = rd32(d + o);
	o += 4;
	for (uint32_t i = 0; i < cnt; i++)	/* ftrace formats: skip */
		if (!sized_blob(d, n, &o, &sz))
			goto trunc;
	NEED(4);
	nsys = rd32(d + o);
	o += 4;
	for (uint32_t s = 0; s < nsys; s++) {
		const char *sys = (const char *)d + o;
		size_t sl = strnlen(sys, n - o);

		NEED(sl + 1 + 4);
		o += sl + 1;
		cnt = rd32(d + o);
		o += 4;
		for (uint32_t i = 0; i < cnt; i++) {
			const unsigned char *fmt = sized_blob(d, n, &o, &sz);

			if (!fmt)
				goto trunc;
			/* only sched formats matter; others may not parse */
			if (!strcmp(sys, "sched") &&
			    tep_parse_event(p->tep, (const char *)fmt, sz,
					    sys) == TEP_ERRNO__SUCCESS)
				parsed++;
		}
	}
#undef NEED
	if (!parsed)
		return rerr(r, "perf.data has no sched tracepoint formats "
			       "(record with -e 'sched:*' or perf sched record)");
	return 0;
trunc:
	return rerr(r, "truncated: tracing data (event formats) ends early");
}

/*
 * HEADER_OSRELEASE: a perf header string (u32 length, then that many bytes,
 * NUL-padded). Only informative, so a malformed one leaves it unknown.
 */
static void read_osrelease(struct trace_reader *r, uint64_t foff,
			   uint64_t fsz)
{
	char *rel = r->info.release;
	unsigned char v[4];
	uint32_t len;
	size_t n;

	if (fsz < 5 || tin_read_at(&r->in, foff, v, 4) != 4)
		return;
	len = rd32(v);
	if (len > fsz - 4)
		return;
	n = len < sizeof(r->info.release) - 1 ? len :
	    sizeof(r->info.release) - 1;
	if (tin_read_at(&r->in, foff + 4, rel, n) != n) {
		rel[0] = 0;
		return;
	}
	rel[n] = 0;
	for (size_t i = 0; rel[i]; i++)
		if ((unsigned char)rel[i] < 0x20 || (unsigned char)rel[i] > 0x7e)
			rel[i] = 0;
}

static int read_features(struct trace_reader *r, struct perf *p,
			 const unsigned char *hdr)
{
	uint64_t feat[4], off = p->data_end;
	unsigned int idx = 0;
	bool have_tracing = false;
	uint64_t last_end = 0;
	unsigned char byte;

	memcpy(feat, hdr + 72, sizeof(feat));
	for (unsigned int bit = 0; bit < FEAT_BITS; bit++) {
		unsigned char sec[16];
		uint64_t foff, fsz;

		if (!((feat[bit / 64] >> (bit % 64)) & 1))
			continue;
		if (tin_read_at(&r->in, off + 16 * idx++, sec, 16) != 16)
			return rerr(r, "truncated: feature sections missing after the data");
		foff = rd64(sec);
		fsz = rd64(sec + 8);
		if ((r->in.size != UINT64_MAX &&
		     (foff > r->in.size || fsz > r->in.size - foff)) ||
		    fsz > UINT64_MAX - foff)
			return rerr(r, "truncated: feature section runs past the end of the file");
		if (foff + fsz > last_end)
			last_end = foff + fsz;
		if (bit != FEAT_TRACING_DATA && bit != FEAT_NRCPUS &&
		    bit != FEAT_OSRELEASE)
			continue;
		if (bit == FEAT_OSRELEASE)
			read_osrelease(r, foff, fsz);
		else if (bit == FEAT_NRCPUS && fsz >= 4) {
			unsigned char v[4];

			if (tin_read_at(&r->in, foff, v, 4) == 4)
				r->info.cpus = rd32(v);
			if (r->info.cpus > 65536)
				return rerr(r, "perf.data header: absurd CPU count %u",
					    r->info.cpus);
		} else if (bit == FEAT_TRACING_DATA) {
			unsigned char *d;
			int rc;

			if (fsz > MAX_TRACING_DATA || fsz < 10)
				return rerr(r, "perf.data header: absurd tracing data size %llu",
					    (unsigned long long)fsz);
			d = malloc(fsz);
			if (!d)
				return rerr(r, "out of memory");
			if (tin_read_at(&r->in, foff, d, fsz) != fsz) {
				free(d);
				return rerr(r, "truncated: tracing data runs past the end of the file");
			}
			rc = parse_tracing(r, p, d, fsz);
			free(d);
			if (rc)
				return rc;
			have_tracing = true;
		}
	}
	/* a file cut inside its last feature is cut, even if we need none */
	if (last_end && tin_read_at(&r->in, last_end - 1, &byte, 1) != 1)
		return rerr(r, "truncated: the file ends inside its feature sections");
	if (!have_tracing)
		return rerr(r, "perf.data has no tracepoint formats "
			       "(HEADER_TRACING_DATA): not recorded with sched tracepoints");
	return 0;
}

static void perf_close(struct trace_reader *r)
{
	struct perf *p = r->priv;

	if (!p)
		return;
	if (p->tep)
		tep_free(p->tep);
	free(p->attrs);
	free(p->ids);
	free(p->heap);
	for (uint32_t i = 0; i < p->nqs; i++)
		free(p->qs[i].v);
	free(p->qs);
	free(p->comms);
	free(p);
	r->priv = NULL;
}

/* ------------------------------------------------------------ records */
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
	struct id_map key, *hit;
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
	hit = bsearch(&key, p->ids, p->nids, sizeof(*p->ids), cmp_id);
	return hit ? &p->attrs[hit->attr] : NULL;
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
	if (q_push(p, &ev))
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

	*ts = p->max_ts;	/* untimed: keep it where it arrived */
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

static int do_record(struct trace_reader *r, struct perf *p, uint32_t type,
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
		return q_push(p, &ev) ? rerr(r, "out of memory") : 0;
	case PERF_RECORD_FORK:
		if (n < 24)
			return rerr(r, "corrupt perf.data: short FORK record");
		memset(&ev, 0, sizeof(ev));
		ev.type = SEV_PERF_FORK;
		ev.pid = (int32_t)rd32(b + 8);		/* tid */
		ev.pid2 = (int32_t)rd32(b + 12);	/* ptid */
		sample_id(p, b, n, &ev.ts, &ev.cpu);
		return q_push(p, &ev) ? rerr(r, "out of memory") : 0;
	case PERF_RECORD_LOST:
		if (n >= 16)
			r->info.lost_events += rd64(b + 8);
		return 0;
	case PERF_RECORD_LOST_SAMPLES:
		if (n >= 8)
			r->info.lost_events += rd64(b);
		return 0;
	case PERF_RECORD_FINISHED_ROUND:
		p->release_limit = p->next_flush;
		p->next_flush = p->max_ts;
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

/* Release one queued event if ordering allows; 1 if ev filled. */
static int release(struct perf *p, struct sched_event *ev)
{
	for (;;) {
		struct cpuq *from;
		const struct qev *top = q_peek(p, &from);

		if (!top || (!p->draining && top->ev.ts > p->release_limit))
			break;
		q_pop(p, from, ev);
		if (ev->type == SEV_COMM) {
			struct comm_slot *s = comm_find(p, ev->pid, true);

			if (s)
				memcpy(s->comm, ev->comm, TRACE_COMM_LEN);
			return 1;
		}
		if (ev->type == SEV_PERF_FORK) {
			struct comm_slot *parent = comm_find(p, ev->pid2, false);
			struct comm_slot *child;

			if (!parent || !parent->comm[0])
				continue;
			memcpy(ev->comm, parent->comm, TRACE_COMM_LEN);
			child = comm_find(p, ev->pid, true);
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
		if (p->draining)
			return 0;
		if (tin_tell(&r->in) >= p->data_end) {
			p->draining = true;
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
		if (do_record(r, p, type, b, size - 8u))
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
	if (read_attrs(r, p, hdr) || read_features(r, p, hdr))
		return -1;
	if (p->ids)
		qsort(p->ids, p->nids, sizeof(*p->ids), cmp_id);
	if (!p->same_type && !(p->attrs[0].sample_type & (S_IDENTIFIER | S_ID)))
		return rerr(r, "perf.data: events differ in sample_type and carry no id");
	dec_init(&p->dec, p->tep);
	r->info.has_waking = tep_find_event_by_name(p->tep, "sched",
						    "sched_waking") != NULL;
	tin_seek(&r->in, p->data_off);
	return 0;
}
