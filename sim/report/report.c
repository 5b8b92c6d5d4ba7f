// SPDX-License-Identifier: GPL-2.0
/*
 * Choosing what the reports show (the table is table.c's, JSON and CSV
 * export.c's), and writing a report file whole or not at all.
 *
 * Which comms matter: the ones the user named (-t), then the busiest by
 * recorded wakeups. Among them the "latency-sensitive" one, which the
 * closing verdict is about, is the user's first -t comm, or else the user
 * task that wakes at least ten times and runs the least per wakeup (a frame
 * loop, an audio thread); kernel threads are left out because nobody tunes
 * a policy for kworker. The busiest CPU-bound group is the other comm with
 * the most recorded runtime: the verdict tells what its makespan paid.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/report/report.h"

char *report_dur(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.2fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.3fs", (double)ns / 1e9);
	return buf;
}

uint64_t report_done(const struct report *rep, const struct metrics_row *r)
{
	if (!r || !r->done_ns)
		return 0;
	return r->done_ns > rep->first_ts ? r->done_ns - rep->first_ts : 1;
}

/* Kernel threads and the tracer itself: nobody tunes a policy for them. */
static bool kernel_comm(const char *c)
{
	return kthread_comm(c) || !strncmp(c, "trace-cmd", 9) ||
	       !strncmp(c, "perf", 4);
}

static bool shown(const struct report *rep, const char *comm)
{
	for (size_t i = 0; i < rep->nshow; i++)
		if (!strcmp(rep->show[i], comm))
			return true;
	return false;
}

/* Runtime of a recorded row: perf's, or what the switches show. */
static uint64_t row_cpu(const struct report *rep, const struct metrics_row *r)
{
	const struct metrics_row *o;

	if (r->runtime_ns || !rep->observed)
		return r->runtime_ns;
	o = result_comm(rep->observed, r->comm);
	return o ? o->runtime_ns : 0;
}

int report_choose(struct report *rep, const char *const *wanted,
		  size_t nwanted, size_t top)
{
	const struct result *rec = rep->runs[0].res;
	size_t cap = nwanted + top + 1;
	double best = 0;

	rep->show = calloc(cap, sizeof(*rep->show));
	if (!rep->show)
		return -1;
	rep->nshow = 0;
	for (size_t i = 0; i < nwanted; i++)
		if (!shown(rep, wanted[i]))
			rep->show[rep->nshow++] = wanted[i];
	for (size_t added = 0; added < top; added++) {
		const struct metrics_row *pick = NULL;

		for (size_t i = 0; i < rec->ncomms; i++) {
			const struct metrics_row *r = &rec->comms[i];

			if (!r->count || shown(rep, r->comm))
				continue;
			if (!pick || r->count > pick->count)
				pick = r;
		}
		if (!pick)
			break;
		rep->show[rep->nshow++] = pick->comm;
	}
	rep->focus = nwanted ? wanted[0] : NULL;
	rep->focus_chosen = nwanted > 0;
	for (size_t i = 0; !nwanted && i < rep->nshow; i++) {
		const struct metrics_row *r = result_comm(rec, rep->show[i]);
		double per;

		if (!r || r->count < 10 || kernel_comm(r->comm))
			continue;
		per = (double)row_cpu(rep, r) / (double)r->count;
		if (!rep->focus || per < best) {
			rep->focus = rep->show[i];
			best = per;
		}
	}
	rep->busy = NULL;
	for (size_t i = 0; i < rec->ncomms; i++) {
		const struct metrics_row *r = &rec->comms[i];

		if ((rep->focus && !strcmp(r->comm, rep->focus)) ||
		    kernel_comm(r->comm))
			continue;
		if (!rep->busy || row_cpu(rep, r) >
		    row_cpu(rep, result_comm(rec, rep->busy)))
			rep->busy = r->comm;
	}
	return 0;
}

/* Write to an open stream that is not ours to replace (stdout, a device). */
static int write_stream(FILE *f, void (*fn)(FILE *f, const void *arg),
			const void *arg, char *err, size_t errlen)
{
	fn(f, arg);
	if (fflush(f) || ferror(f)) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int report_write_fn(const char *path, void (*fn)(FILE *f, const void *arg),
		    const void *arg, char *err, size_t errlen)
{
	struct stat sb;
	char *tmp;
	FILE *f;
	int bad;

	if (!strcmp(path, "-"))
		return write_stream(stdout, fn, arg, err, errlen);
	/*
	 * Only a regular file is written whole or not at all (a temporary
	 * beside it, renamed over it). Anything else that exists, /dev/null
	 * or a FIFO, is written in place: renaming over it would replace the
	 * device itself with a plain file.
	 */
	if (!stat(path, &sb) && !S_ISREG(sb.st_mode)) {
		f = fopen(path, "w");
		if (!f) {
			snprintf(err, errlen, "cannot open: %s",
				 strerror(errno));
			return -1;
		}
		bad = write_stream(f, fn, arg, err, errlen);
		if (fclose(f) && !bad) {
			snprintf(err, errlen, "cannot write: %s",
				 strerror(errno));
			bad = -1;
		}
		return bad;
	}
	if (asprintf(&tmp, "%s.tmp.%ld", path, (long)getpid()) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, errlen, "cannot create: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	fn(f, arg);
	bad = ferror(f);
	if (fclose(f) || bad) {
		snprintf(err, errlen, "cannot write: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path)) {
		snprintf(err, errlen, "cannot replace: %s", strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

struct report_job {
	void (*fn)(FILE *f, const struct report *rep);
	const struct report *rep;
};

static void write_report(FILE *f, const void *arg)
{
	const struct report_job *j = arg;

	j->fn(f, j->rep);
}

int report_write(const char *path,
		 void (*fn)(FILE *f, const struct report *rep),
		 const struct report *rep, char *err, size_t errlen)
{
	struct report_job j = { fn, rep };

	return report_write_fn(path, write_report, &j, err, errlen);
}
