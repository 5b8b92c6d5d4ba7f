// SPDX-License-Identifier: GPL-2.0
/*
 * The table, JSON and CSV reports, and choosing what they show.
 *
 * Which comms matter: the ones the user named (-t), then the busiest by
 * recorded wakeups. Among them the "latency-sensitive" one, which the
 * closing verdict is about, is the user's first -t comm, or else the user
 * task that wakes at least ten times and runs the least per wakeup (a frame
 * loop, an audio thread); kernel threads are left out because nobody tunes
 * a policy for kworker. The busiest CPU-bound group is the other comm with
 * the most recorded runtime: the verdict tells what its makespan paid.
 *
 * JSON follows DESIGN.md's shape exactly; the extra fields (completion_ns,
 * utilisation, the engine's checks) are additions, never renames. Wall-clock
 * time is kept out of it so the same input and seed give the same bytes.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/report.h"

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
	static const char *const kthreads[] = {
		"rcu_", "kthreadd", "swapper", "kworker", "ksoftirqd",
		"kdamond", "kcompactd", "kswapd", "khugepaged", "migration",
		"cpuhp", "idle_inject", "watchdog", "trace-cmd", "perf", NULL,
	};

	if (strchr(c, '/'))
		return true;
	for (int i = 0; kthreads[i]; i++)
		if (!strncmp(c, kthreads[i], strlen(kthreads[i])))
			return true;
	return false;
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

/* ---------------------------------------------------------------- table */

static void table_row(FILE *f, const struct report *rep, const char *label,
		      const char *policy, const struct metrics_row *r)
{
	char a[16], b[16], c[16], d[16], e[16];

	if (!r) {
		fprintf(f, "%-16s %-10s %8s\n", label, policy, "-");
		return;
	}
	fprintf(f, "%-16s %-10s %8" PRIu64 " %9s %9s %9s %10s %10s\n", label,
		policy, r->count, report_dur(a, sizeof(a), r->p50_ns),
		report_dur(b, sizeof(b), r->p99_ns),
		report_dur(c, sizeof(c), r->max_ns),
		report_dur(d, sizeof(d), r->runtime_ns),
		report_done(rep, r) ?
		report_dur(e, sizeof(e), report_done(rep, r)) : "-");
}

static const char *cost_source(uint32_t samples, bool set)
{
	static char buf[64];

	if (set)
		return "set by option";
	if (!samples)
		return "default: too few idle wakeups in the trace";
	snprintf(buf, sizeof(buf), "median of %u in the trace", samples);
	return buf;
}

static void verdict(FILE *f, const struct report *rep)
{
	const struct report_run *best = NULL, *ref = NULL;
	const struct metrics_row *fr, *rec = NULL;
	char a[16], b[16], c[16], d[16];

	if (rep->focus)
		rec = result_comm(rep->runs[0].res, rep->focus);
	for (size_t i = 1; i < rep->nruns; i++) {
		const struct report_run *run = &rep->runs[i];

		fr = rep->focus ? result_comm(run->res, rep->focus) : NULL;
		if (!fr || !fr->count)
			continue;
		if (!best || fr->p99_ns <
		    result_comm(best->res, rep->focus)->p99_ns)
			best = run;
		if (!strcmp(run->policy, "eevdf"))
			ref = run;
	}
	if (rep->nruns < 2) {
		fprintf(f, "Verdict: only the recorded trace was read; replay "
			"a policy (-P) to compare.\n");
		return;
	}
	if (!best && rep->focus) {
		fprintf(f, "Verdict: %s had no wakeups to compare in this "
			"trace; name another with -t COMM.\n", rep->focus);
		return;
	}
	if (!best) {
		fprintf(f, "Verdict: no latency-sensitive comm had wakeups to "
			"compare; name one with -t COMM.\n");
		return;
	}
	fr = result_comm(best->res, rep->focus);
	fprintf(f, "Verdict: for %s (the latency-sensitive comm: %s), %s "
		"on the %s host gave the best p99 wakeup delay, %s (the trace "
		"recorded %s)",
		rep->focus, rep->focus_chosen ? "named with -t" :
		"it wakes often and runs briefly; pick another with -t",
		best->policy, best->host ? best->host : "kernel",
		report_dur(a, sizeof(a), fr->p99_ns),
		rec && rec->count ? report_dur(b, sizeof(b), rec->p99_ns) :
		"none");
	if (!rep->busy) {
		fprintf(f, ".\n");
		return;
	}
	if (!ref || ref == best) {
		uint64_t mine = report_done(rep,
				result_comm(best->res, rep->busy));
		uint64_t theirs = report_done(rep,
				  result_comm(rep->runs[0].res, rep->busy));

		fprintf(f, ".\nThroughput: the busiest CPU-bound comm, %s, "
			"finished its last task at %s under it (%s in the "
			"trace).\n", rep->busy,
			mine ? report_dur(c, sizeof(c), mine) : "-",
			theirs ? report_dur(d, sizeof(d), theirs) :
			"still running at its end");
		return;
	} else {
		uint64_t mine = report_done(rep,
				result_comm(best->res, rep->busy));
		uint64_t base = report_done(rep,
				result_comm(ref->res, rep->busy));

		fprintf(f, ".\nThroughput: the busiest CPU-bound comm, %s, "
			"finished its last task at %s under %s vs %s under "
			"eevdf", rep->busy,
			mine ? report_dur(c, sizeof(c), mine) : "-",
			best->policy, base ? report_dur(d, sizeof(d), base) :
			"-");
		if (mine && base)
			fprintf(f, " (%+.1f%%: %s)", 100.0 * ((double)mine -
				(double)base) / (double)base, mine > base ?
				"the cost of the better latency" :
				"faster, no cost");
		fprintf(f, ".\n");
	}
}

/* Which host each replay is for, and what the scxlive host costs. */
static void hosts_line(FILE *f, const struct report *rep)
{
	const struct live_cost *lc = rep->live;
	char a[16], b[16], c[16], d[16], e[16];
	bool live = false;

	for (int pass = 0; pass < 2; pass++) {
		bool first = true;

		fprintf(f, pass ? "; on scxlive:" : "  hosts: on the kernel "
			"(decisions take no time):");
		for (size_t k = 1; k < rep->nruns; k++) {
			bool is_live = rep->runs[k].host &&
				       !strcmp(rep->runs[k].host, "scxlive");

			if (is_live != (pass == 1))
				continue;
			fprintf(f, "%s %s", first ? "" : ",", rep->runs[k].policy);
			first = false;
			live |= is_live;
		}
		if (first)
			fprintf(f, " none");
	}
	fputc('\n', f);
	if (!live || !lc) {
		fputc('\n', f);
		return;
	}
	fprintf(f, "    scxlive: each decision waits for its daemon, a task "
		"woken in %s (busy CPU, which it preempts) or %s (idle) and "
		"running\n    %s a message + %s (%s while another CPU works): "
		"medians of the distributions drawn from,\n    %s\n\n",
		report_dur(a, sizeof(a), live_cost_median(lc, LCOST_WAKE_BUSY)),
		report_dur(b, sizeof(b), live_cost_median(lc, LCOST_WAKE_IDLE)),
		report_dur(d, sizeof(d), lc->per_msg_ns),
		report_dur(c, sizeof(c), live_cost_median(lc, LCOST_ROUND)),
		report_dur(e, sizeof(e), live_cost_median(lc, LCOST_ROUND_SHARED)),
		lc->source);
}

void report_table(FILE *f, const struct report *rep)
{
	char a[16], b[16];

	fprintf(f, "%s: %s, %u CPUs, %" PRIu64 " events over %s",
		rep->path, rep->format, rep->trace_cpus, rep->events,
		report_dur(a, sizeof(a), rep->duration_ns));
	if (rep->lost_events)
		fprintf(f, " (%" PRIu64 " LOST: figures undercount)",
			rep->lost_events);
	fprintf(f, "\nrecorded on Linux %s", rep->kernel_release &&
		*rep->kernel_release ? rep->kernel_release :
		"(release unknown: the trace does not say)");
	for (size_t k = 1; k < rep->nruns; k++)
		if (rep->runs[k].auto_param)
			fprintf(f, "; %s replayed with %s", rep->runs[k].policy,
				rep->runs[k].auto_param);
	fprintf(f, "\nreplayed on %u CPUs, seed %" PRIu64 "; timer wakeups %s"
		"\n", rep->sim_cpus, rep->seed, rep->timer_relative ?
		"keep their recorded sleep length (--timer relative)" :
		"fire at their recorded times (--timer anchor)");
	if (rep->tick_uneven) {
		char lo[16], hi[16];

		fprintf(f, "  slices end on the trace's uneven tick: median %s, "
			"80%% between %s and %s (as an emulated guest delivers it)\n",
			report_dur(b, sizeof(b), rep->tick_ns),
			report_dur(lo, sizeof(lo), rep->tick_lo_ns),
			report_dur(hi, sizeof(hi), rep->tick_hi_ns));
	} else if (rep->tick_ns) {
		fprintf(f, "  slices end on a %s tick\n",
			report_dur(b, sizeof(b), rep->tick_ns));
	} else {
		fprintf(f, "  slices end exactly (no tick)\n");
	}
	fprintf(f, "  modelled costs: waking an idle CPU takes %s for a "
		"task's wakeup (%s),\n",
		report_dur(b, sizeof(b), rep->wake_cost_ns),
		cost_source(rep->wake_cost_samples, rep->wake_cost_set));
	fprintf(f, "                  %s for a timer's (%s);\n",
		report_dur(b, sizeof(b), rep->timer_cost_ns),
		cost_source(rep->timer_cost_samples, rep->timer_cost_set));
	fprintf(f, "                  preempting a busy CPU takes %s (%s)",
		report_dur(b, sizeof(b), rep->preempt_cost_ns),
		rep->preempt_cost_samples || rep->preempt_cost_set ?
		cost_source(rep->preempt_cost_samples,
			    rep->preempt_cost_set) :
		"none measured in the trace");
	fputc('\n', f);
	hosts_line(f, rep);
	fprintf(f, "policy = recorded: what the kernel did in the trace; "
		"any other: the trace's work replayed under that policy\n"
		"count = wakeups served (and preempted tasks put back on "
		"a CPU), as perf sched latency counts them\n"
		"p50/p99/max = wakeup delay: from becoming runnable to "
		"running on a CPU (half / 99%% of them wait less)\n"
		"runtime = CPU time used; makespan = when the comm's last "
		"task finished, from the trace\n"
		"           start (recorded: exited; replayed: ended its "
		"last burst; -: none finished)\n\n");
	fprintf(f, "%-16s %-10s %8s %9s %9s %9s %10s %10s\n", "comm", "policy",
		"count", "p50", "p99", "max", "runtime", "makespan");
	for (size_t i = 0; i < rep->nshow; i++)
		for (size_t k = 0; k < rep->nruns; k++)
			table_row(f, rep, k ? "" : rep->show[i],
				  rep->runs[k].policy,
				  result_comm(rep->runs[k].res, rep->show[i]));
	for (size_t k = 0; k < rep->nruns; k++)
		table_row(f, rep, k ? "" : "(all tasks)", rep->runs[k].policy,
			  &rep->runs[k].res->total);
	fputc('\n', f);
	if (rep->nruns > 1)
		fprintf(f, "Replays (checks: no task on two CPUs or run "
			"before it woke, every wakeup and all CPU time "
			"served):\n");
	for (size_t k = 1; k < rep->nruns; k++) {
		const struct engine_stats *st = &rep->runs[k].stats;

		fprintf(f, "%-10s CPU busy %.1f%%, %" PRIu64 " preemptions, "
			"%" PRIu64 " slice expiries; checks: %s%s\n",
			rep->runs[k].policy, 100.0 * rep->runs[k].res->cpu_util,
			st->preemptions, st->expiries,
			st->violations ? "FAILED: " : "ok",
			st->violations ? st->first_violation : "");
		if (st->daemon_runs)
			fprintf(f, "%-10s on scxlive: the daemon ran %" PRIu64
				" times (%.1f%% of the CPUs), %" PRIu64 " of %"
				PRIu64 " enqueues were run by the BPF fast path, %"
				PRIu64 " kthreads dispatched in BPF\n", "",
				st->daemon_runs, rep->sim_cpus && st->end_ns ?
				100.0 * (double)st->daemon_ns /
				((double)rep->sim_cpus * (double)rep->duration_ns) :
				0.0, st->bpf_fast, st->daemon_msgs, st->bpf_kernel);
	}
	if (rep->nruns > 1)
		fputc('\n', f);
	verdict(f, rep);
}

/* ---------------------------------------------------------------- JSON */

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs,
 * no surrogates, at most U+10FFFF), or 0 when s does not start one.
 */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp, min;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Comms are bytes. Well-formed UTF-8 is written as it is, so "café" reads
 * back as "café"; any other byte above 0x7f becomes \u00XX (its Latin-1
 * reading), which keeps the output valid JSON without guessing.
 */
static void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n;

		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else if (*p < 0x80) {
			fputc(*p++, f);
		} else if ((n = utf8_len(p))) {
			fwrite(p, 1, n, f);
			p += n;
		} else {
			fprintf(f, "\\u%04x", *p++);
		}
	}
	fputc('"', f);
}

static void json_figures(FILE *f, const struct report *rep,
			 const struct metrics_row *r)
{
	fprintf(f, "\"count\": %" PRIu64 ", \"avg_ns\": %" PRIu64
		", \"p50_ns\": %" PRIu64 ", \"p90_ns\": %" PRIu64
		", \"p99_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64
		", \"runtime_ns\": %" PRIu64 ", \"completion_ns\": %" PRIu64,
		r->count, r->avg_ns, r->p50_ns, r->p90_ns, r->p99_ns,
		r->max_ns, r->runtime_ns, report_done(rep, r));
}

static void json_run(FILE *f, const struct report *rep,
		     const struct report_run *run)
{
	const struct result *res = run->res;

	fprintf(f, "    { \"policy\": ");
	json_str(f, run->policy);
	fprintf(f, ", \"host\": ");
	json_str(f, run->simulated ? (run->host ? run->host : "kernel") :
		 "trace");
	fprintf(f, ",\n      \"comms\": [");
	for (size_t i = 0; i < res->ncomms; i++) {
		const struct metrics_row *r = &res->comms[i];

		fprintf(f, "%s\n        { \"comm\": ", i ? "," : "");
		json_str(f, r->comm);
		fprintf(f, ", \"pids\": [");
		for (size_t p = 0; p < r->npids; p++)
			fprintf(f, "%s%d", p ? ", " : "", r->pids[p]);
		fprintf(f, "], ");
		json_figures(f, rep, r);
		/* perf's runtime needs sched_stat_runtime; this needs not */
		if (!run->simulated && rep->observed) {
			const struct metrics_row *o =
				result_comm(rep->observed, r->comm);

			fprintf(f, ", \"trace_cpu_ns\": %" PRIu64,
				o ? o->runtime_ns : 0);
		}
		fprintf(f, " }");
	}
	fprintf(f, " ],\n      \"tasks\": [");
	for (size_t i = 0; i < res->ntasks; i++) {
		const struct metrics_row *r = &res->tasks[i];

		fprintf(f, "%s\n        { \"pid\": %d, \"comm\": ",
			i ? "," : "", r->pid);
		json_str(f, r->comm);
		fprintf(f, ", ");
		json_figures(f, rep, r);
		fprintf(f, " }");
	}
	fprintf(f, " ],\n      \"total\": { ");
	json_figures(f, rep, &res->total);
	fprintf(f, " },\n      \"utilisation\": ");
	if (res->cpu_util >= 0)
		fprintf(f, "%.6f", res->cpu_util);
	else
		fprintf(f, "null");
	fprintf(f, ", \"span_ns\": %" PRIu64, res->span_ns);
	if (run->ops && run->conf) {
		fprintf(f, ",\n      \"params\": {");
		for (uint32_t i = 0; i < run->ops->nr_params; i++) {
			fprintf(f, "%s ", i ? "," : "");
			json_str(f, run->ops->params[i].name);
			fprintf(f, ": %" PRId64, run->conf->param[i]);
		}
		fprintf(f, " }, \"auto_param\": ");
		if (run->auto_param)
			json_str(f, run->auto_param);
		else
			fprintf(f, "null");
	}
	if (run->simulated) {
		const struct engine_stats *st = &run->stats;

		fprintf(f, ",\n      \"checks\": { \"ok\": %s, \"violations\": "
			"%" PRIu64 ", \"first_violation\": ",
			st->violations ? "false" : "true", st->violations);
		json_str(f, st->first_violation);
		fprintf(f, ", \"wakeups\": %" PRIu64 ", \"served\": %" PRIu64
			", \"demand_ns\": %" PRIu64 ", \"served_ns\": %" PRIu64
			", \"unfinished_bursts\": %" PRIu64 ", \"rescues\": %"
			PRIu64 ", \"preemptions\": %" PRIu64
			", \"expiries\": %" PRIu64 ", \"events\": %" PRIu64
			" }", st->wakeups, st->served, st->demand_ns,
			st->served_ns, st->unfinished, st->rescues,
			st->preemptions, st->expiries, st->events);
		if (st->daemon_runs)
			fprintf(f, ",\n      \"daemon\": { \"runs\": %" PRIu64
				", \"cpu_ns\": %" PRIu64 ", \"enqueues\": %"
				PRIu64 ", \"preempted\": %" PRIu64
				", \"bpf_fast\": %" PRIu64 ", \"bpf_kernel\": %"
				PRIu64 ", \"congested\": %" PRIu64
				", \"rescued\": %" PRIu64 ", \"cancelled\": %"
				PRIu64 " }", st->daemon_runs, st->daemon_ns,
				st->daemon_msgs, st->daemon_preempts,
				st->bpf_fast, st->bpf_kernel, st->bpf_congested,
				st->bpf_rescued, st->cancelled);
	}
	fprintf(f, " }");
}

void report_json(FILE *f, const struct report *rep)
{
	fprintf(f, "{ \"trace\": { \"path\": ");
	json_str(f, rep->path);
	fprintf(f, ", \"format\": ");
	json_str(f, rep->format);
	fprintf(f, ", \"kernel_release\": ");
	if (rep->kernel_release && *rep->kernel_release)
		json_str(f, rep->kernel_release);
	else
		fprintf(f, "null");
	fprintf(f, ", \"cpus\": %u, \"events\": %" PRIu64
		", \"lost_events\": %" PRIu64 ", \"duration_ns\": %" PRIu64
		" },\n  \"sim\": { \"cpus\": %u, \"seed\": %" PRIu64
		", \"timer\": \"%s\", \"tick_ns\": %" PRIu64
		", \"wake_cost_ns\": %" PRIu64
		", \"timer_cost_ns\": %" PRIu64 ", \"preempt_cost_ns\": %"
		PRIu64 " },\n"
		"  \"results\": [\n", rep->trace_cpus, rep->events,
		rep->lost_events, rep->duration_ns, rep->sim_cpus, rep->seed,
		rep->timer_relative ? "relative" : "anchor", rep->tick_ns,
		rep->wake_cost_ns, rep->timer_cost_ns, rep->preempt_cost_ns);
	for (size_t k = 0; k < rep->nruns; k++) {
		json_run(f, rep, &rep->runs[k]);
		fprintf(f, "%s\n", k + 1 < rep->nruns ? "," : "");
	}
	fprintf(f, "  ] }\n");
}

/* ---------------------------------------------------------------- CSV */

static void csv_comm(FILE *f, const char *s)
{
	bool quote = strpbrk(s, ",\"\n") != NULL;

	if (!quote) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void report_csv(FILE *f, const struct report *rep)
{
	fprintf(f, "policy,comm,pids,count,avg_ns,p50_ns,p90_ns,p99_ns,"
		"max_ns,runtime_ns,completion_ns\n");
	for (size_t k = 0; k < rep->nruns; k++) {
		const struct result *res = rep->runs[k].res;

		for (size_t i = 0; i < res->ncomms; i++) {
			const struct metrics_row *r = &res->comms[i];

			fprintf(f, "%s,", rep->runs[k].policy);
			csv_comm(f, r->comm);
			fprintf(f, ",%zu,%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
				",%" PRIu64 "\n", r->npids, r->count,
				r->avg_ns, r->p50_ns, r->p90_ns, r->p99_ns,
				r->max_ns, r->runtime_ns, report_done(rep, r));
		}
	}
}

/* ---------------------------------------------------------------- files */

int report_write(const char *path,
		 void (*fn)(FILE *f, const struct report *rep),
		 const struct report *rep, char *err, size_t errlen)
{
	char *tmp;
	FILE *f;
	int bad;

	if (!strcmp(path, "-")) {
		fn(stdout, rep);
		if (fflush(stdout) || ferror(stdout)) {
			snprintf(err, errlen, "cannot write: %s",
				 strerror(errno));
			return -1;
		}
		return 0;
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
	fn(f, rep);
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
