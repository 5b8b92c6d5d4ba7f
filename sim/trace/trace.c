// SPDX-License-Identifier: GPL-2.0
/*
 * trace_open: detect the format from the content (after gzip, which the
 * byte source undoes transparently) and hand over to its reader. The
 * stream wrapper keeps trace_info's counters and turns "ended without a
 * single scheduler event" into an error, so a wrong file never yields an
 * empty but successful result.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/trace/reader.h"

#define DAT_MAGIC	"\027\010\104tracing"

/* Mostly printable ASCII/UTF-8 lines: worth trying the text reader. */
static bool looks_like_text(const unsigned char *p, size_t n)
{
	size_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (c == '\n' || c == '\t' || c == '\r' || c >= 0x20)
			continue;
		bad++;
	}
	return n && bad == 0;
}

struct trace_reader *trace_open(const char *path, char *err, size_t errlen)
{
	struct trace_reader *r = calloc(1, sizeof(*r));
	unsigned char head[512];
	size_t n;
	int rc;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->in.fd = -1;
	r->path = strdup(path);
	if (!r->path || tin_open(&r->in, path, err, errlen)) {
		if (!r->path)
			snprintf(err, errlen, "out of memory");
		free(r->path);
		free(r);
		return NULL;
	}
	r->info.path = r->path;
	r->info.gzip = r->in.gz != NULL;
	n = tin_read_at(&r->in, 0, head, sizeof(head));
	if (!n) {
		rc = rerr(r, r->info.gzip ? "empty or corrupt gzip stream"
					  : "empty file");
	} else if (n >= 8 && !memcmp(head, "PERFILE2", 8)) {
		r->info.format = "perf.data";
		rc = perf_open(r);
	} else if (n >= 8 && !memcmp(head, "PERFFILE", 8)) {
		rc = rerr(r, "perf.data version 1 (PERFFILE) is not supported");
	} else if (n >= 10 && !memcmp(head, DAT_MAGIC, 10)) {
		rc = dat_open(r, head, n);
	} else if (!looks_like_text(head, n) && perfetto_probe(head, n)) {
		rc = perfetto_open(r);
	} else if (looks_like_text(head, n)) {
		rc = text_open(r);
	} else {
		rc = rerr(r, "not a trace: unknown format (expected perf.data, "
			     "trace-cmd .dat, or trace-cmd report / perf script text)");
	}
	if (rc) {
		snprintf(err, errlen, "%s", r->err);
		trace_close(r);
		return NULL;
	}
	return r;
}

int trace_next(struct trace_reader *r, struct sched_event *ev)
{
	int rc;

	if (r->failed)
		return -1;
	rc = r->ops->next(r, ev);
	if (rc > 0 && r->info.events && ev->ts < r->info.last_ts) {
		/*
		 * Every reader hands events over in time order, so an earlier
		 * stamp means a corrupt record or an unsorted file. Up to
		 * TRACE_SKEW_NS is the disagreement between per-CPU clocks
		 * that a tracer can let through: taken at the time already
		 * reached, so every later step sees time move forward. More
		 * is refused: nothing downstream can tell which stamp lies.
		 */
		if (r->info.last_ts - ev->ts > TRACE_SKEW_NS) {
			rerr(r, "time goes backwards at event %" PRIu64
			     ": %" PRIu64 ".%09" PRIu64 " s after %" PRIu64
			     ".%09" PRIu64 " s (the trace is corrupt or "
			     "unsorted)", r->info.events + 1,
			     ev->ts / 1000000000u, ev->ts % 1000000000u,
			     r->info.last_ts / 1000000000u,
			     r->info.last_ts % 1000000000u);
			r->failed = true;
			return -1;
		}
		ev->ts = r->info.last_ts;
		r->info.skewed_events++;
	}
	if (rc > 0) {
		if (!r->info.events++)
			r->info.first_ts = ev->ts;
		if (ev->ts > r->info.last_ts)
			r->info.last_ts = ev->ts;
		return 1;
	}
	if (rc == 0 && !r->info.events) {
		rerr(r, "no scheduler events (sched_switch, sched_waking, ...) "
			"in this %s", r->info.format ? r->info.format : "trace");
		rc = -1;
	}
	if (rc < 0)
		r->failed = true;
	return rc;
}

const struct trace_info *trace_info(const struct trace_reader *r)
{
	return &r->info;
}

const char *trace_error(const struct trace_reader *r)
{
	return r->err[0] ? r->err : "no error";
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->ops && r->ops->close)
		r->ops->close(r);
	tin_close(&r->in);
	free(r->path);
	free(r);
}
