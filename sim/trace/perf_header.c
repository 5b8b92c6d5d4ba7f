// SPDX-License-Identifier: GPL-2.0
/*
 * perf.data's header sections, read before the data: the attrs (each
 * event's sample_type, and the id -> attr map when they differ) and the
 * feature sections after the data (HEADER_TRACING_DATA embeds the
 * tracepoint formats, fed to libtraceevent; HEADER_NRCPUS;
 * HEADER_OSRELEASE).
 */
#include <stdlib.h>
#include <string.h>

#include <event-parse.h>

#include "sim/trace/perf.h"

int perf_read_attrs(struct trace_reader *r, struct perf *p,
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
		attr_layout(&p->attrs[i]);
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

int perf_cmp_id(const void *a, const void *b)
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
 * libtraceevent 1.7 crashes on some malformed formats (a print fmt naming a
 * field the format lacks, found by fuzz_perf), and no check of ours can
 * foresee every one. So the formats are parsed first in a child process,
 * into a tep of its own: a crash there costs a fork, not scxsim. 0: they
 * parse (or cannot be probed: the real parse decides); -1: the child died.
 */
struct tracing_probe {
	struct trace_reader *r;
	struct perf *p;
	const unsigned char *d;
	uint64_t n;
};

/* In the child: the formats into a tep of its own. */
static int try_tracing(void *arg)
{
	struct tracing_probe *tp = arg;

	tep_free(tp->p->tep);
	tp->p->tep = tep_alloc();
	return tp->p->tep ? parse_tracing(tp->r, tp->p, tp->d, tp->n) : -1;
}

static int probe_tracing(struct trace_reader *r, struct perf *p,
			 const unsigned char *d, uint64_t n)
{
	struct tracing_probe tp = { r, p, d, n };

	if (reader_probe(try_tracing, &tp) == -2)
		return rerr(r, "perf.data: corrupt event formats in the tracing "
			       "data (libtraceevent cannot parse them)");
	return 0;
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

int perf_read_features(struct trace_reader *r, struct perf *p,
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
			rc = probe_tracing(r, p, d, fsz);
			if (!rc)
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
