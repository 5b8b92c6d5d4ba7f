// SPDX-License-Identifier: GPL-2.0
/*
 * trace-cmd .dat reader (file versions 6 and 7) through libtracecmd, which
 * owns the page/ring-buffer decoding and merges the per-CPU streams in time
 * order; records go through the shared raw-payload decoder with cached
 * field handles. Dropped events show up as a record's missed_events.
 *
 * We read the v7 header ourselves first to name an unsupported compression
 * (Debian's libtracecmd reads zstd but not zlib) instead of reporting a
 * generic open failure. libtracecmd wants a seekable descriptor, so a
 * gzip-compressed .dat is inflated once into an unlinked temporary file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "sim/trace_priv.h"

/* Exported by libtracecmd but declared only in its private header. */
int tracecmd_cpus(struct tracecmd_input *handle);
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);
bool tracecmd_compress_is_supported(const char *name, const char *version);

struct dat {
	struct tracecmd_input *h;
	struct sched_decoder dec;
};

static void dat_close(struct trace_reader *r)
{
	struct dat *d = r->priv;

	if (!d)
		return;
	if (d->h)
		tracecmd_close(d->h);
	free(d);
	r->priv = NULL;
}

static int dat_next(struct trace_reader *r, struct sched_event *ev)
{
	struct dat *d = r->priv;

	for (;;) {
		struct tep_record *rec;
		int cpu, rc;

		rec = tracecmd_read_next_data(d->h, &cpu);
		if (!rec)
			return 0;
		if (rec->missed_events > 0)
			r->info.lost_events += (uint64_t)rec->missed_events;
		else if (rec->missed_events < 0)
			r->info.lost_events++;	/* dropped, count unknown */
		memset(ev, 0, sizeof(*ev));
		rc = dec_record(&d->dec, rec->data, rec->size, ev);
		ev->ts = rec->ts;
		ev->cpu = rec->cpu;
		tracecmd_free_record(rec);
		if (rc < 0)
			return rerr(r, "corrupt .dat: event payload too short for its format");
		if (rc > 0)
			return 1;
	}
}

static const struct reader_ops dat_ops = {
	.next = dat_next,
	.close = dat_close,
};

/* A descriptor libtracecmd can seek: the file itself or inflated gzip. */
static int seekable_fd(struct trace_reader *r)
{
	FILE *tmp;
	char *buf;
	uint64_t off = 0;
	size_t n;
	int fd;

	if (!r->in.gz)
		return dup(r->in.fd);
	tmp = tmpfile();
	buf = malloc(1u << 16);
	if (!tmp || !buf) {
		if (tmp)
			fclose(tmp);
		free(buf);
		return -1;
	}
	while ((n = tin_read_at(&r->in, off, buf, 1u << 16)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n)
			break;
		off += n;
	}
	free(buf);
	if (r->in.io_error) {
		fclose(tmp);
		errno = EIO;
		return -1;
	}
	fflush(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
}

/* Sequential little reader over a descriptor, for check_v6. */
struct scan {
	int fd;
	uint64_t off, size;
	bool bad;
};

static void scan_read(struct scan *s, void *dst, size_t n)
{
	if (s->bad || n > s->size - s->off ||
	    pread(s->fd, dst, n, (off_t)s->off) != (ssize_t)n) {
		s->bad = true;
		memset(dst, 0, n);
		return;
	}
	s->off += n;
}

static void scan_skip(struct scan *s, uint64_t n)
{
	if (s->bad || n > s->size - s->off)
		s->bad = true;
	else
		s->off += n;
}

static uint64_t scan_u(struct scan *s, size_t n)
{
	uint64_t v = 0;

	scan_read(s, &v, n);
	return v;
}

static void scan_string(struct scan *s)
{
	char c = 1;

	for (int i = 0; c && i < 4096; i++)
		scan_read(s, &c, 1);
	if (c)
		s->bad = true;
}

/*
 * Walk a v6 file's headers up to the per-CPU data table and check every
 * CPU's data lies inside the file: libtracecmd 1.3 crashes on truncated
 * v6 files instead of failing, so it must never see one.
 */
static int check_v6(struct trace_reader *r, int fd)
{
	struct scan s = { .fd = fd };
	char tag[12];
	uint64_t cpus, n;
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0)
		return rerr(r, "cannot size the .dat file");
	s.size = (uint64_t)end;
	scan_skip(&s, 10);
	scan_string(&s);		/* "6" */
	scan_skip(&s, 6);		/* endian, long size, page size */
	scan_skip(&s, 12);		/* "header_page" */
	scan_skip(&s, scan_u(&s, 8));
	scan_skip(&s, 13);		/* "header_event" */
	scan_skip(&s, scan_u(&s, 8));
	n = scan_u(&s, 4);		/* ftrace formats */
	for (uint64_t i = 0; i < n && !s.bad; i++)
		scan_skip(&s, scan_u(&s, 8));
	n = scan_u(&s, 4);		/* event systems */
	for (uint64_t i = 0; i < n && !s.bad; i++) {
		uint64_t k;

		scan_string(&s);
		k = scan_u(&s, 4);
		for (uint64_t j = 0; j < k && !s.bad; j++)
			scan_skip(&s, scan_u(&s, 8));
	}
	scan_skip(&s, scan_u(&s, 4));	/* kallsyms */
	scan_skip(&s, scan_u(&s, 4));	/* printk formats */
	scan_skip(&s, scan_u(&s, 8));	/* saved cmdlines */
	cpus = scan_u(&s, 4);
	if (s.bad)
		return rerr(r, "truncated: trace-cmd-v6 headers end early");
	if (cpus > 65536)
		return rerr(r, "trace-cmd-v6 header: absurd CPU count %llu",
			    (unsigned long long)cpus);
	scan_read(&s, tag, 10);
	if (!s.bad && !memcmp(tag, "options  ", 10)) {
		for (int i = 0; i < 1000 && !s.bad; i++) {
			uint64_t id = scan_u(&s, 2);

			if (!id)
				break;
			scan_skip(&s, scan_u(&s, 4));
		}
		scan_read(&s, tag, 10);
	}
	if (s.bad)
		return rerr(r, "truncated: trace-cmd-v6 options end early");
	if (!memcmp(tag, "latency  ", 10))
		return rerr(r, "trace-cmd latency-format .dat has no per-CPU sched events");
	if (memcmp(tag, "flyrecord", 10))
		return rerr(r, "corrupt trace-cmd-v6 file: no flyrecord section");
	for (uint64_t c = 0; c < cpus; c++) {
		uint64_t off = scan_u(&s, 8), size = scan_u(&s, 8);

		if (s.bad)
			return rerr(r, "truncated: trace-cmd-v6 CPU table ends early");
		if (off > s.size || size > s.size - off)
			return rerr(r, "truncated: CPU %llu data ends at byte %llu, the file at %llu",
				    (unsigned long long)c,
				    (unsigned long long)(off + size),
				    (unsigned long long)s.size);
	}
	return 0;
}

int dat_open(struct trace_reader *r, const unsigned char *head, size_t n)
{
	const char *ver = (const char *)head + 10;
	size_t vl = strnlen(ver, n - 10);
	struct dat *d;
	int fd;

	r->ops = &dat_ops;
	if (vl == n - 10)
		return rerr(r, "truncated: trace-cmd header");
	if (!strcmp(ver, "6")) {
		r->info.format = "trace-cmd-v6";
	} else if (!strcmp(ver, "7")) {
		/* endian(1) long_size(1) page_size(4), then "name\0version\0" */
		size_t o = 10 + vl + 1 + 6;
		const char *name = (const char *)head + o, *cver;

		r->info.format = "trace-cmd-v7";
		if (o >= n || strnlen(name, n - o) == n - o)
			return rerr(r, "truncated: trace-cmd v7 header");
		cver = name + strlen(name) + 1;
		if ((size_t)((const unsigned char *)cver - head) >= n ||
		    strnlen(cver, n - (size_t)((const unsigned char *)cver - head)) ==
		    n - (size_t)((const unsigned char *)cver - head))
			return rerr(r, "truncated: trace-cmd v7 header");
		if (strcmp(name, "none") && !tracecmd_compress_is_supported(name, cver))
			return rerr(r, "unsupported compression %s (this libtracecmd "
				       "cannot read it; re-record with zstd or v6)", name);
	} else {
		return rerr(r, "unsupported trace-cmd file version '%.8s'", ver);
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return rerr(r, "out of memory");
	r->priv = d;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	fd = seekable_fd(r);
	if (fd < 0)
		return rerr(r, r->in.io_error ? "truncated or corrupt gzip stream"
					      : "cannot prepare the .dat for reading");
	if (!strcmp(r->info.format, "trace-cmd-v6") && check_v6(r, fd)) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	d->h = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!d->h) {
		close(fd);
		return rerr(r, "corrupt or truncated %s file (libtracecmd cannot open it)",
			    r->info.format);
	}
	r->info.cpus = (uint32_t)tracecmd_cpus(d->h);
	dec_init(&d->dec, tracecmd_get_tep(d->h));
	return 0;
}
