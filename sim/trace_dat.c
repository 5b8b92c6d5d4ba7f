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
	fflush(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	if (fd >= 0)
		lseek(fd, 0, SEEK_SET);
	return fd;
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
		return rerr(r, "cannot prepare the .dat for reading");
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
