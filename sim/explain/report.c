// SPDX-License-Identifier: GPL-2.0
/*
 * The explain tool's report (see explain.h): pair the n-th wakeup of each
 * task in the recorded and the replayed run, sum what each waited by
 * cause, and describe the pairs that differ most, each with the instant to
 * look at in both timelines (seconds since the trace's first event, where
 * every timeline starts, and the raw trace timestamp).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/explain/explain.h"
#include "sim/report/report.h"

static const char *const cause_name[CAUSE_N] = {
	[CAUSE_COST] = "cost",
	[CAUSE_PREEMPT] = "preemption",
	[CAUSE_TICK] = "tick",
	[CAUSE_QUEUE] = "queue",
	[CAUSE_PLACEMENT] = "placement",
};

static const char *const cause_desc[CAUSE_N] = {
	[CAUSE_COST] = "an idle CPU woken to run it",
	[CAUSE_PREEMPT] = "until the running task was preempted",
	[CAUSE_TICK] = "until the running task's slice ended at a tick",
	[CAUSE_QUEUE] = "queued behind other tasks",
	[CAUSE_PLACEMENT] = "queued while another CPU sat idle",
};

#define ALIGN_BAND	64		/* wakeups one run may have extra */
#define ALIGN_CAP_NS	100000000ull	/* 100 ms */

struct pair {
	const struct explain_wake *rec, *rep;
	uint64_t diff;		/* |rep - rec| */
};

static int key_cmp(const struct explain_wake *a, const struct explain_wake *b)
{
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->inc != b->inc)
		return a->inc < b->inc ? -1 : 1;
	return a->nth < b->nth ? -1 : a->nth > b->nth;
}

static int ptr_cmp(const void *a, const void *b)
{
	return key_cmp(*(const struct explain_wake *const *)a,
		       *(const struct explain_wake *const *)b);
}

static int diff_cmp(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->diff != y->diff)
		return x->diff > y->diff ? -1 : 1;
	return key_cmp(x->rec, y->rec);
}

static uint64_t delay(const struct explain_wake *w)
{
	return w->run_ts - w->wake_ts;
}

static bool same_task(const struct explain_wake *a,
		      const struct explain_wake *b)
{
	return a->pid == b->pid && a->inc == b->inc;
}

static uint64_t wake_gap(const struct explain_wake *a,
			 const struct explain_wake *b)
{
	uint64_t d = a->wake_ts > b->wake_ts ? a->wake_ts - b->wake_ts :
		     b->wake_ts - a->wake_ts;

	return d < ALIGN_CAP_NS ? d : ALIGN_CAP_NS;
}

/*
 * One task's wakeups in both runs, in n order: pair the n-th with the n-th,
 * except where one run has a wakeup the other does not (a fork the trace
 * began after, a wakeup perf ignored): an alignment within ALIGN_BAND of
 * the diagonal that minimises the summed distance of paired wakeup times
 * (each capped at ALIGN_CAP_NS), a wakeup left unpaired costing the cap.
 * Timer wakeups keep their recorded times in a replay, so such a wakeup
 * shows as the rest falling a period apart until it is skipped; wakeups
 * whose times drift apart cost the cap either way and stay n-th to n-th.
 * Pairs go to p (their count returned); *skipped counts the unpaired.
 */
static size_t align(const struct explain_wake *const *r, size_t nr,
		    const struct explain_wake *const *q, size_t nq,
		    struct pair *p, size_t *skipped)
{
	enum { W = ALIGN_BAND, NB = 2 * ALIGN_BAND + 1 };
	uint64_t prev[NB], cur[NB], best = UINT64_MAX;
	uint8_t *bt = malloc((nr + 1) * NB);
	size_t n = 0, i = nr;
	int d = -1;

	if (!bt)
		return 0;
	for (int k = 0; k < NB; k++) {
		int j = k - W;

		prev[k] = j < 0 || (size_t)j > nq ? UINT64_MAX :
			  (uint64_t)j * ALIGN_CAP_NS;
		bt[k] = 2;
	}
	for (size_t ri = 1; ri <= nr; ri++) {
		for (int k = 0; k < NB; k++) {
			long j = (long)ri + k - W;
			uint64_t c = UINT64_MAX, x;
			uint8_t op = 0;

			if (j >= 0 && (size_t)j <= nq) {
				if (j > 0 && prev[k] != UINT64_MAX)
					c = prev[k] + wake_gap(r[ri - 1],
							       q[j - 1]);
				if (k + 1 < NB && prev[k + 1] != UINT64_MAX &&
				    (x = prev[k + 1] + ALIGN_CAP_NS) < c)
					c = x, op = 1;
				if (k > 0 && cur[k - 1] != UINT64_MAX &&
				    (x = cur[k - 1] + ALIGN_CAP_NS) < c)
					c = x, op = 2;
			}
			cur[k] = c;
			bt[ri * NB + (size_t)k] = op;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	/* the end: all of q if the band reaches it, else as far as it got */
	for (int k = 0; k < NB; k++) {
		long j = (long)nr + k - W;

		if (j >= 0 && (size_t)j <= nq && prev[k] != UINT64_MAX &&
		    ((size_t)j == nq || d < 0 || prev[k] < best) &&
		    (d < 0 || (long)nr + d - W != (long)nq)) {
			best = prev[k];
			d = k;
		}
	}
	*skipped = 0;
	while (d >= 0 && (i > 0 || d > W)) {
		uint8_t op = bt[i * NB + (size_t)d];
		long j = (long)i + d - W;

		if (op == 0 && i > 0 && j > 0) {
			p[n].rec = r[i - 1];
			p[n].rep = q[j - 1];
			n++;
			i--;
		} else if (op == 1 && i > 0) {
			(*skipped)++;
			i--;
			d++;
		} else {
			(*skipped)++;
			d--;
		}
	}
	free(bt);
	/* backtracking found them last to first */
	for (size_t a = 0; a < n / 2; a++) {
		struct pair t = p[a];

		p[a] = p[n - 1 - a];
		p[n - 1 - a] = t;
	}
	return n;
}

/* Served wakeups of a run, sorted by (pid, incarnation, n). */
static const struct explain_wake **sorted(const struct explain *x, size_t *n)
{
	const struct explain_wake *w, **p;
	long nw = explain_wakes(x, &w);
	size_t k = 0;

	*n = 0;
	if (nw < 0)
		return NULL;
	p = malloc(((size_t)nw + 1) * sizeof(*p));
	if (!p)
		return NULL;
	for (long i = 0; i < nw; i++)
		if (w[i].run_ts)
			p[k++] = &w[i];
	qsort(p, k, sizeof(*p), ptr_cmp);
	*n = k;
	return p;
}

static char *dur(char *b, uint64_t ns)
{
	return report_dur(b, 16, ns);
}

static void at(FILE *f, const struct explain_wake *w, uint64_t first_ts)
{
	uint64_t rel = w->wake_ts > first_ts ? w->wake_ts - first_ts : 0;

	fprintf(f, "t=+%" PRIu64 ".%06" PRIu64 "s (ts %" PRIu64 ")",
		rel / 1000000000, rel % 1000000000 / 1000, w->wake_ts);
}

static void task_name(FILE *f, const char *comm, int32_t pid)
{
	if (!pid)
		fputs("idle", f);
	else if (comm[0])
		fprintf(f, "%s/%d", comm, (int)pid);
	else
		fprintf(f, "pid %d", (int)pid);
}

/* One run's side of a pair, in two lines. */
static void describe(FILE *f, const char *name, const struct explain_wake *w,
		     uint64_t first_ts)
{
	char a[16], b[16];

	fprintf(f, "    %-9s ", name);
	at(f, w, first_ts);
	if (w->first_seen) {
		fprintf(f, ": first seen here, switching in on CPU%d (perf "
			"counts a wait of 0)\n", (int)w->run_cpu);
		return;
	}
	if (w->stayed) {
		fprintf(f, ": woken before it had left CPU%d, it ran on "
			"(no switch, no delay)\n", (int)w->run_cpu);
		return;
	}
	fputs(w->fork ? ": forked by " : w->irq ? ": timer/irq wakeup on " :
	      ": woken by ", f);
	if (w->irq)
		fprintf(f, "CPU%d", (int)w->waker_cpu);
	else {
		task_name(f, w->waker_comm, w->waker_pid);
		fprintf(f, " on CPU%d", (int)w->waker_cpu);
	}
	fprintf(f, ", sent to CPU%d (", (int)w->target);
	if (w->busy_pid > 0) {
		fputs("running ", f);
		task_name(f, w->busy_comm, w->busy_pid);
		fprintf(f, " for %s", dur(a, w->busy_ran));
	} else {
		fputs("idle", f);
	}
	fprintf(f, "); %u CPU%s idle\n", w->idle_cpus,
		w->idle_cpus == 1 ? "" : "s");
	fprintf(f, "              ran on CPU%d after %s: ", (int)w->run_cpu,
		dur(a, delay(w)));
	switch (w->cause) {
	case CAUSE_COST:
		fputs("the idle CPU took that long to run it", f);
		break;
	case CAUSE_PREEMPT:
	case CAUSE_TICK:
		fputs(w->cause == CAUSE_PREEMPT ? "preempted " :
		      "at a tick, preempting ", f);
		task_name(f, w->prev_comm, w->prev_pid);
		break;
	default:
		fputs("queued behind ", f);
		for (uint32_t k = 0; k < w->nbehind && k < EXPLAIN_BEHIND; k++) {
			fputs(k ? ", " : "", f);
			task_name(f, w->behind[k].comm, w->behind[k].pid);
			fprintf(f, " %s", dur(a, w->behind[k].ns));
		}
		if (w->nbehind > EXPLAIN_BEHIND)
			fprintf(f, " and %u more", w->nbehind - EXPLAIN_BEHIND);
		fputs(w->prev_pid && w->prev_runnable ? ", then preempted " :
		      w->prev_pid ? ", then took the CPU when " : "", f);
		if (w->prev_pid)
			task_name(f, w->prev_comm, w->prev_pid);
		if (w->prev_pid && !w->prev_runnable)
			fputs(" blocked", f);
		break;
	}
	if (w->part[CAUSE_PLACEMENT])
		fprintf(f, "; another CPU sat idle %s meanwhile",
			dur(b, w->part[CAUSE_PLACEMENT]));
	if (w->lost_switch_in)
		fputs(" (its switch-in is missing from the trace: seen leaving "
		      "the CPU, it is taken to have run from the CPU's last "
		      "switch)", f);
	fputc('\n', f);
}

static void sum_line(FILE *f, const char *label, const char *desc,
		     uint64_t rec, uint64_t rep, uint64_t nrec, uint64_t nrep)
{
	char a[16], b[16], d[16];
	uint64_t diff = rep > rec ? rep - rec : rec - rep;

	fprintf(f, "  %-11s %10s %10s %c%-10s %6" PRIu64 " %6" PRIu64
		"  %s\n", label, dur(a, rec), dur(b, rep),
		rep >= rec ? '+' : '-', dur(d, diff), nrec, nrep, desc);
}

static void print_causes(FILE *f, const char *repname,
			 const struct pair *p, size_t n)
{
	uint64_t rec[CAUSE_N] = { 0 }, rep[CAUSE_N] = { 0 };
	uint64_t nrec[CAUSE_N] = { 0 }, nrep[CAUSE_N] = { 0 };
	uint64_t trec = 0, trep = 0;

	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < CAUSE_N; c++) {
			rec[c] += p[i].rec->part[c];
			rep[c] += p[i].rep->part[c];
		}
		nrec[p[i].rec->cause] += !p[i].rec->stayed &&
					 !p[i].rec->first_seen;
		nrep[p[i].rep->cause] += !p[i].rep->stayed &&
					 !p[i].rep->first_seen;
		nrec[CAUSE_PLACEMENT] += p[i].rec->part[CAUSE_PLACEMENT] > 0;
		nrep[CAUSE_PLACEMENT] += p[i].rep->part[CAUSE_PLACEMENT] > 0;
		trec += delay(p[i].rec);
		trep += delay(p[i].rep);
	}
	fprintf(f, "\nwhere the time went, summed over the paired wakeups "
		"(rec/rep: wakeups where it was the\nmain cause; for placement, "
		"wakeups that had some; those served without a switch in none):"
		"\n");
	fprintf(f, "  %-11s %10s %10s %-11s %6s %6s\n", "cause", "recorded",
		repname, " difference", "rec", "rep");
	for (int c = 0; c < CAUSE_N; c++)
		sum_line(f, cause_name[c], cause_desc[c], rec[c], rep[c],
			 nrec[c], nrep[c]);
	sum_line(f, "total", "", trec, trep, n, n);
}

/* The cause whose difference weighs most, and the next, in words. */
static void print_verdict(FILE *f, const char *repname, const struct pair *p,
			  size_t n)
{
	int64_t d[CAUSE_N] = { 0 }, total = 0;
	int first = -1, second = -1;
	char a[16], b[16], e[16];

	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < CAUSE_N; c++) {
			int64_t x = (int64_t)p[i].rep->part[c] -
				    (int64_t)p[i].rec->part[c];

			d[c] += x;
			total += x;
		}
	for (int c = 0; c < CAUSE_N; c++) {
		if (first < 0 || llabs(d[c]) > llabs(d[first])) {
			second = first;
			first = c;
		} else if (second < 0 || llabs(d[c]) > llabs(d[second])) {
			second = c;
		}
	}
	if (!n || first < 0)
		return;
	fprintf(f, "\nSo: %s waited %s %s than recorded over these %zu "
		"wakeups; most of it is %s (%c%s), then %s (%c%s).\n", repname,
		dur(a, (uint64_t)llabs(total)), total >= 0 ? "more" : "less",
		n, cause_name[first], d[first] >= 0 ? '+' : '-',
		dur(b, (uint64_t)llabs(d[first])), cause_name[second],
		d[second] >= 0 ? '+' : '-', dur(e, (uint64_t)llabs(d[second])));
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int by_cmp(const void *a, const void *b)
{
	const struct explain_task_ns *x = a, *y = b;

	return x->ns < y->ns ? 1 : x->ns > y->ns ? -1 :
	       strcmp(x->comm, y->comm);
}

/* One run's put-backs: how many, their median and sum, and who ran. */
static void putback_line(FILE *f, const char *name,
			 const struct explain_putbacks *pb)
{
	struct explain_task_ns by[EXPLAIN_PUTBACK_BY];
	uint64_t *d, busy = pb->by_rest_ns;
	char a[16], b[16];

	fprintf(f, "  %-9s %7" PRIu64, name, pb->n);
	if (!pb->n) {
		fprintf(f, "\n");
		return;
	}
	d = malloc(pb->n * sizeof(*d));
	if (d) {
		memcpy(d, pb->delay, pb->n * sizeof(*d));
		qsort(d, pb->n, sizeof(*d), u64_cmp);
		fprintf(f, ", p50 %s", dur(a, d[pb->n / 2]));
	}
	fprintf(f, ", total %s", dur(b, pb->total_ns));
	memcpy(by, pb->by, pb->nby * sizeof(*by));
	qsort(by, pb->nby, sizeof(*by), by_cmp);
	for (uint32_t k = 0; k < pb->nby; k++)
		busy += by[k].ns;
	for (uint32_t k = 0; k < pb->nby && k < EXPLAIN_BEHIND && busy; k++)
		fprintf(f, "%s %s %.0f%%", k ? "," : "; meanwhile its CPU ran",
			by[k].comm, 100.0 * (double)by[k].ns / (double)busy);
	fprintf(f, "\n");
	free(d);
}

static void print_putbacks(FILE *f, const struct explain_run *rec,
			   const struct explain_run *rep)
{
	const struct explain_putbacks *a = explain_putbacks(rec->x);
	const struct explain_putbacks *b = explain_putbacks(rep->x);

	if (!a->n && !b->n)
		return;
	fprintf(f, "\nput back on a CPU after being preempted (perf counts "
		"these waits too; not paired):\n");
	putback_line(f, rec->name, a);
	putback_line(f, rep->name, b);
}

void explain_print(FILE *f, const char *comm, const struct explain_run *rec,
		   const struct explain_run *rep, uint64_t first_ts,
		   size_t top, const char *dir, const char *ext)
{
	size_t nr, np, n = 0, i = 0, k = 0, nskipped = 0;
	const struct explain_wake **r = sorted(rec->x, &nr);
	const struct explain_wake **q = sorted(rep->x, &np);
	struct pair *p = malloc((nr < np ? nr : np) * sizeof(*p) + 1);

	if (!r || !q || !p) {
		fprintf(f, "explain: out of memory\n");
		goto out;
	}
	while (i < nr && k < np) {
		int c = key_cmp(r[i], q[k]);
		size_t gi = i, gk = k, got, skip;

		if (c && (r[i]->pid != q[k]->pid || r[i]->inc != q[k]->inc)) {
			if (c < 0)
				i++;
			else
				k++;
			continue;
		}
		/* one task's wakeups in both runs: r[gi..i), q[gk..k) */
		while (i < nr && same_task(r[i], r[gi]))
			i++;
		while (k < np && same_task(q[k], q[gk]))
			k++;
		got = align(r + gi, i - gi, q + gk, k - gk, p + n, &skip);
		nskipped += skip;
		for (size_t a = n; a < n + got; a++) {
			uint64_t x = delay(p[a].rec), y = delay(p[a].rep);

			p[a].diff = x > y ? x - y : y - x;
		}
		n += got;
	}
	fprintf(f, "%s: %zu wakeups served in the recorded run, %zu under %s; "
		"%zu paired (the n-th wakeup of each task in both runs)\n",
		comm, nr, np, rep->name, n);
	if (nskipped)
		fprintf(f, "%zu wakeup%s left unpaired: one run has %s the other "
			"lacks, found from the wakeup times, and the rest pair "
			"on\n", nskipped, nskipped == 1 ? "" : "s",
			nskipped == 1 ? "it" : "them");
	for (size_t j = 0, stayed = 0; j <= np; j++) {
		if (j < np) {
			stayed += q[j]->stayed;
			continue;
		}
		if (stayed)
			fprintf(f, "%zu of the %s wakeups found the task still "
				"on its CPU (woken before it had switched out):"
				" it ran on, a wakeup perf's count leaves out\n",
				stayed, rep->name);
	}
	print_causes(f, rep->name, p, n);
	print_verdict(f, rep->name, p, n);
	print_putbacks(f, rec, rep);
	qsort(p, n, sizeof(*p), diff_cmp);
	if (top > n)
		top = n;
	while (top && !p[top - 1].diff)
		top--;
	fprintf(f, "\nthe %zu largest differences (look at %s/recorded%s and "
		"%s/%s%s at the times shown%s):\n", top, dir ? dir : "DIR",
		ext, dir ? dir : "DIR", rep->name, ext,
		dir ? "" : "; --timeline DIR writes them");
	for (size_t j = 0; j < top; j++) {
		char a[16], b[16];

		fprintf(f, "\n  #%zu %s/%d wakeup %u%s: recorded %s, %s %s\n",
			j + 1, comm, (int)p[j].rec->pid, p[j].rec->nth + 1,
			p[j].rec->inc ? " (a later task of that pid)" : "",
			dur(a, delay(p[j].rec)), rep->name,
			dur(b, delay(p[j].rep)));
		describe(f, "recorded", p[j].rec, first_ts);
		describe(f, rep->name, p[j].rep, first_ts);
	}
out:
	free(r);
	free(q);
	free(p);
}
