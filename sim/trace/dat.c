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
#include <zstd.h>

#include "sim/trace/reader.h"

/* Exported by libtracecmd but declared only in its private header. */
int tracecmd_cpus(struct tracecmd_input *handle);
struct tep_record *tracecmd_read_next_data(struct tracecmd_input *handle,
					   int *rec_cpu);
bool tracecmd_compress_is_supported(const char *name, const char *version);
/* The UNAME option: "sysname nodename release version machine" or NULL. */
const char *tracecmd_get_uname(struct tracecmd_input *handle);

/*
 * libtracecmd reports problems by printing them (weak functions meant to
 * be overridden); we report through trace_error() in one line instead.
 */
void tracecmd_warning(const char *fmt, ...);
void tracecmd_critical(const char *fmt, ...);
void tracecmd_info(const char *fmt, ...);

void tracecmd_warning(const char *fmt, ...)
{
	(void)fmt;
}

void tracecmd_critical(const char *fmt, ...)
{
	(void)fmt;
}

void tracecmd_info(const char *fmt, ...)
{
	(void)fmt;
}

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
 * Every ring-buffer page of a CPU's data must say it holds no more than
 * there is of it: libtraceevent's kbuffer trusts the commit field (low 27
 * bits) and reads that far, plus a long of lost events when the page says
 * it stored their count (bits 31 and 30), whatever the page size or the
 * data's end. h is a page's header, avail the bytes from it to the end of
 * its page or of the CPU's data, whichever comes first.
 */
#define PAGE_MISSED_EVENTS	(1ull << 31)
#define PAGE_MISSED_STORED	(1ull << 30)

static bool commit_ok(const unsigned char *h, uint64_t avail,
		      unsigned int long_size)
{
	unsigned int start = long_size == 8 ? 16 : 12;
	uint64_t commit = 0, need;

	memcpy(&commit, h + 8, long_size == 8 ? 8 : 4);
	need = start + (commit & ((1u << 27) - 1));
	if ((commit & PAGE_MISSED_EVENTS) && (commit & PAGE_MISSED_STORED))
		need += long_size;
	return need <= avail;
}

static uint64_t page_avail(uint64_t p, uint64_t size, uint32_t page_size)
{
	return size - p < page_size ? size - p : page_size;
}

static bool page_size_ok(uint32_t page_size)
{
	return page_size >= 64 && page_size <= (1u << 24);
}

/* The uncompressed pages of one CPU, in the file at off. */
static bool pages_ok(int fd, uint64_t off, uint64_t size, uint32_t page_size,
		     unsigned int long_size)
{
	unsigned int start = long_size == 8 ? 16 : 12;

	if (!page_size_ok(page_size))
		return false;
	for (uint64_t p = 0; p + start <= size; p += page_size) {
		unsigned char h[16];

		if (pread(fd, h, start, (off_t)(off + p)) != (ssize_t)start ||
		    !commit_ok(h, page_avail(p, size, page_size), long_size))
			return false;
	}
	return true;
}

/* The pages of one inflated chunk, in memory. */
static bool chunk_pages_ok(const unsigned char *buf, uint64_t size,
			   uint32_t page_size, unsigned int long_size)
{
	unsigned int start = long_size == 8 ? 16 : 12;

	for (uint64_t p = 0; p + start <= size; p += page_size)
		if (!commit_ok(buf + p, page_avail(p, size, page_size),
			       long_size))
			return false;
	return true;
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
	unsigned int long_size;
	uint32_t page_size;
	off_t end = lseek(fd, 0, SEEK_END);

	if (end < 0)
		return rerr(r, "cannot size the .dat file");
	s.size = (uint64_t)end;
	scan_skip(&s, 10);
	scan_string(&s);		/* "6" */
	scan_skip(&s, 1);		/* endian */
	long_size = (unsigned int)scan_u(&s, 1);
	page_size = (uint32_t)scan_u(&s, 4);
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
		if (!pages_ok(fd, off, size, page_size, long_size))
			return rerr(r, "corrupt trace-cmd-v6 file: a CPU %llu page overflows",
				    (unsigned long long)c);
	}
	return 0;
}

#define V7_MAX_UNCOMPRESSED	(256u << 20)
#define V7_OPT_DONE		0
#define V7_OPT_BUFFER		3
#define V7_OPT_SECTION_FIRST	16	/* HEADER_INFO .. CMDLINES point at sections */
#define V7_OPT_SECTION_LAST	21

/* A section header at off and its (compressed) content inside the file. */
static bool v7_section_ok(struct scan *s, uint64_t off)
{
	struct scan h = *s;
	uint16_t flags;
	uint64_t size;

	h.off = off;
	if (off > s->size)
		return false;
	scan_u(&h, 2);				/* id */
	flags = (uint16_t)scan_u(&h, 2);
	scan_u(&h, 4);				/* description string id */
	size = scan_u(&h, 8);
	if (h.bad || size > h.size - h.off)
		return false;
	if (flags & 1) {
		uint64_t csize = scan_u(&h, 4), usize = scan_u(&h, 4);

		if (h.bad || csize + 8 > size || usize > V7_MAX_UNCOMPRESSED)
			return false;
	}
	return true;
}

/*
 * A CPU's compressed flyrecord data: u32 chunk count, then the chunks;
 * the BUFFER option's size counts the chunks, not the count before them.
 * Each chunk is inflated here and its pages checked as uncompressed ones
 * are: libtracecmd hands them to kbuffer as they come out of zstd.
 */
static bool v7_chunks_ok(struct scan *s, uint64_t off, uint64_t size,
			 uint32_t page_size, unsigned int long_size)
{
	unsigned char *cbuf = NULL, *ubuf = NULL;
	size_t ccap = 0, ucap = 0;
	struct scan c = *s;
	uint64_t count;
	bool ok = true;

	if (!size)
		return true;
	if (off > s->size || size + 4 > s->size - off || !page_size_ok(page_size))
		return false;
	c.off = off;
	c.size = off + 4 + size;
	count = scan_u(&c, 4);
	if (c.bad || count > size / 8)
		return false;
	for (uint64_t i = 0; ok && i < count; i++) {
		uint64_t csize = scan_u(&c, 4), usize = scan_u(&c, 4);

		ok = !c.bad && usize <= V7_MAX_UNCOMPRESSED && csize <= c.size - c.off;
		if (ok && (csize > ccap || usize > ucap)) {
			free(cbuf);
			free(ubuf);
			ccap = csize > ccap ? csize : ccap;
			ucap = usize > ucap ? usize : ucap;
			cbuf = malloc(ccap ? ccap : 1);
			ubuf = malloc(ucap ? ucap : 1);
			ok = cbuf && ubuf;
		}
		if (!ok)
			break;
		scan_read(&c, cbuf, csize);
		ok = !c.bad && ZSTD_decompress(ubuf, usize, cbuf, csize) == usize &&
		     chunk_pages_ok(ubuf, usize, page_size, long_size);
	}
	free(cbuf);
	free(ubuf);
	return ok && !c.bad;
}

/*
 * Walk a v7 file's option sections and check every section, every CPU's
 * trace data and every compressed chunk they point at lies inside the file
 * with sane sizes: libtracecmd trusts these numbers (a bad chunk count
 * makes it calloc gigabytes, a cut file reads as a shorter trace).
 */
/*
 * The options section at s->off, inflated when its flag says so: its bytes
 * (the caller frees them) and *size, or NULL with r->err set.
 */
static unsigned char *v7_options(struct trace_reader *r, struct scan *s,
				 bool compressed, uint64_t *size)
{
	unsigned char *buf, *u;
	uint32_t csize, usize;
	uint16_t flags;

	scan_u(s, 2);
	flags = (uint16_t)scan_u(s, 2);
	scan_u(s, 4);
	*size = scan_u(s, 8);
	if (s->bad || *size > s->size - s->off || *size > V7_MAX_UNCOMPRESSED) {
		rerr(r, "truncated: trace-cmd-v7 options section runs past the end of the file");
		return NULL;
	}
	buf = malloc(*size ? *size : 1);
	if (!buf) {
		rerr(r, "out of memory");
		return NULL;
	}
	scan_read(s, buf, *size);
	if (!(flags & 1))
		return buf;
	if (*size < 8 || !compressed) {
		free(buf);
		rerr(r, "corrupt trace-cmd-v7 options section");
		return NULL;
	}
	memcpy(&csize, buf, 4);
	memcpy(&usize, buf + 4, 4);
	u = usize <= V7_MAX_UNCOMPRESSED ? malloc(usize ? usize : 1) : NULL;
	if (!u || csize > *size - 8 ||
	    ZSTD_decompress(u, usize, buf + 8, csize) != usize) {
		free(u);
		free(buf);
		rerr(r, "corrupt trace-cmd-v7 options section (cannot inflate it)");
		return NULL;
	}
	free(buf);
	*size = usize;
	return u;
}

/*
 * A BUFFER option (p[0..osize)): every CPU's data lies inside the file and
 * its pages or compressed chunks are sane. 0, or -1 with r->err set.
 */
static int v7_buffer_ok(struct trace_reader *r, struct scan *s,
			const unsigned char *p, uint32_t osize, bool compressed,
			unsigned int long_size)
{
	const unsigned char *e = p + osize;
	uint32_t ncpu, page_size;

	p += 8;
	for (int str = 0; str < 2 && p < e; str++)
		p += strnlen((const char *)p, (size_t)(e - p)) + 1;
	if (p + 8 > e)
		return rerr(r, "corrupt trace-cmd-v7 BUFFER option");
	memcpy(&page_size, p, 4);
	memcpy(&ncpu, p + 4, 4);
	p += 8;
	if (ncpu > (uint64_t)(e - p) / 20)
		return rerr(r, "corrupt trace-cmd-v7 BUFFER option: %u CPUs", ncpu);
	for (uint32_t c = 0; c < ncpu; c++, p += 20) {
		uint64_t coff, csz;

		memcpy(&coff, p + 4, 8);
		memcpy(&csz, p + 12, 8);
		if (coff > s->size || csz > s->size - coff)
			return rerr(r, "truncated: CPU %u data ends at byte %llu, the file at %llu",
				    c, (unsigned long long)(coff + csz),
				    (unsigned long long)s->size);
		if (compressed ? !v7_chunks_ok(s, coff, csz, page_size, long_size)
			       : !pages_ok(s->fd, coff, csz, page_size, long_size))
			return rerr(r, "corrupt trace-cmd-v7 file: bad data for CPU %u", c);
	}
	return 0;
}

static int check_v7(struct trace_reader *r, int fd, uint64_t opt_off,
		    bool compressed, unsigned int long_size)
{
	struct scan s = { .fd = fd };
	off_t end = lseek(fd, 0, SEEK_END);
	int nsections = 0, nbuffers = 0;

	if (end < 0)
		return rerr(r, "cannot size the .dat file");
	s.size = (uint64_t)end;
	while (opt_off) {
		unsigned char *data;
		uint64_t size, o = 0;
		bool done = false;

		if (++nsections > 64 || opt_off > s.size)
			return rerr(r, "corrupt trace-cmd-v7 file: options chain points outside the file");
		s.off = opt_off;
		data = v7_options(r, &s, compressed, &size);
		if (!data)
			return -1;
		opt_off = 0;
		while (!done && o + 6 <= size) {
			uint16_t id;
			uint32_t osize;
			uint64_t v;

			memcpy(&id, data + o, 2);
			memcpy(&osize, data + o + 2, 4);
			o += 6;
			if (osize > size - o)
				break;
			if (id == V7_OPT_DONE && osize >= 8) {
				memcpy(&opt_off, data + o, 8);
				done = true;
			} else if (id >= V7_OPT_SECTION_FIRST && id <= V7_OPT_SECTION_LAST &&
				   osize >= 8) {
				memcpy(&v, data + o, 8);
				if (!v7_section_ok(&s, v)) {
					free(data);
					return rerr(r, "truncated: a trace-cmd-v7 header section lies outside the file");
				}
			} else if (id == V7_OPT_BUFFER && osize >= 8) {
				nbuffers++;
				if (v7_buffer_ok(r, &s, data + o, osize, compressed,
						 long_size)) {
					free(data);
					return -1;
				}
			}
			o += osize;
		}
		free(data);
		if (!done)
			return rerr(r, "corrupt trace-cmd-v7 options section (no DONE option)");
	}
	if (!nbuffers)
		return rerr(r, "trace-cmd-v7 file without trace data (no BUFFER option)");
	return 0;
}

/*
 * libtracecmd 1.3 crashes in its own error path when an open fails
 * (tracecmd_close on a half-built handle), and our header checks cannot
 * foresee every reason it may fail. So the open is tried first in a child
 * process: a crash there costs a fork, not scxsim. 0: opens; -1: does not.
 */
static int try_open(void *arg)
{
	return tracecmd_open_fd(*(int *)arg, TRACECMD_FL_LOAD_NO_PLUGINS) ? 0 : -1;
}

static int probe_open(struct trace_reader *r, int fd)
{
	int rc = reader_probe(try_open, &fd);

	lseek(fd, 0, SEEK_SET);
	if (!rc)
		return 0;
	return rerr(r, "corrupt or truncated %s file (libtracecmd cannot open it)",
		    r->info.format);
}

/* The release is uname's third word (trace-cmd records `uname -a`'s parts). */
static void set_release(struct trace_reader *r, const char *uname)
{
	const char *p = uname;
	size_t n;

	for (int word = 0; p && word < 2; word++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return;
	n = strcspn(p, " \n");
	if (n >= sizeof(r->info.release))
		n = sizeof(r->info.release) - 1;
	memcpy(r->info.release, p, n);
	r->info.release[n] = 0;
}

int dat_open(struct trace_reader *r, const unsigned char *head, size_t n)
{
	const char *ver = (const char *)head + 10;
	size_t vl = strnlen(ver, n - 10);
	uint64_t opt_off = 0;
	bool compressed = false;
	struct dat *d;
	int fd;

	r->ops = &dat_ops;
	if (vl == n - 10)
		return rerr(r, "truncated: trace-cmd header");
	if (10 + vl + 1 < n && head[10 + vl + 1])
		return rerr(r, "big-endian trace-cmd files are not supported");
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
		o = (size_t)((const unsigned char *)cver - head) + strlen(cver) + 1;
		if (o + 8 > n)
			return rerr(r, "truncated: trace-cmd v7 header");
		memcpy(&opt_off, head + o, 8);
		compressed = strcmp(name, "none") != 0;
	} else {
		return rerr(r, "unsupported trace-cmd file version '%.8s'", ver);
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return rerr(r, "out of memory");
	r->priv = d;
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);
	fd = seekable_fd(r);
	if (fd < 0)
		return rerr(r, r->in.io_error ? "truncated or corrupt gzip stream"
					      : "cannot prepare the .dat for reading");
	if (!strcmp(r->info.format, "trace-cmd-v6") ? check_v6(r, fd)
						    : check_v7(r, fd, opt_off, compressed,
								head[10 + vl + 2])) {
		close(fd);
		return -1;
	}
	lseek(fd, 0, SEEK_SET);
	if (probe_open(r, fd)) {
		close(fd);
		return -1;
	}
	d->h = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!d->h) {
		close(fd);
		return rerr(r, "corrupt or truncated %s file (libtracecmd cannot open it)",
			    r->info.format);
	}
	r->info.cpus = (uint32_t)tracecmd_cpus(d->h);
	set_release(r, tracecmd_get_uname(d->h));
	dec_init(&d->dec, tracecmd_get_tep(d->h));
	return 0;
}
