// SPDX-License-Identifier: GPL-2.0
/*
 * The table for people: what was read and how it is replayed, a legend,
 * one row per (comm, policy), the replays' checks, then the verdict on the
 * latency-sensitive comm and the busiest CPU-bound one (report_choose()
 * picked them). Every figure is one the JSON carries too.
 */
#include <inttypes.h>
#include <string.h>

#include "sim/report/report.h"

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

/* Where a cost came from; an idle wakeup's is drawn from its spread. */
static const char *cost_source(uint32_t samples, bool set, bool drawn)
{
	static char buf[80];

	if (set)
		return "set by option";
	if (!samples)
		return "default: too few idle wakeups in the trace";
	snprintf(buf, sizeof(buf), drawn ? "median; each wakeup draws from "
		 "the spread of %u in the trace" : "median of %u in the trace",
		 samples);
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

/*
 * The costs' machine against the trace's: the kernel's wakeup path
 * (sched_waking -> sched_wakeup on one CPU) takes 1-3 us on real CPUs and
 * 10-200 us in a TCG guest, and within a guest it moves 20x with the
 * workload, so it can tell the two apart but not rescale one guest run
 * to another: the costs stay as measured unless asked (scale=F, auto).
 */
static void machine_line(FILE *f, const struct report *rep)
{
	const struct live_cost *lc = rep->live;
	char a[16], b[16];

	if (lc->scale != 1.0)
		fprintf(f, "    costs scaled by %.3g (--live-cost scale=...)\n",
			lc->scale);
	if (!lc->kernel_path_ns || !rep->kernel_path_ns)
		return;
	report_dur(a, sizeof(a), rep->kernel_path_ns);
	report_dur(b, sizeof(b), lc->kernel_path_ns);
	if (lc->scale == 1.0 && rep->kernel_path_ns * 10 < lc->kernel_path_ns)
		fprintf(f, "    warning: this trace's kernel runs its wakeup "
			"path in %s, %.0fx faster than the machine\n    the "
			"costs were measured on (%s): another machine, whose "
			"daemon costs less; measure\n    its own (make "
			"live-costs, scxsim --measure-live) or scale these "
			"(--live-cost scale=auto)\n", a,
			(double)lc->kernel_path_ns / (double)rep->kernel_path_ns,
			b);
	else
		fprintf(f, "    machine: this trace's kernel wakeup path %s, the "
			"costs' %s\n", a, b);
}

/* How eevdf's wakeup preemptions from another CPU are served, and why. */
static void preempt_line(FILE *f, const struct report *rep)
{
	char r[32], l[32];

	fprintf(f, "  preemption model (eevdf): %s", rep->preempt_lazy ?
		"lazy, a wakeup from another CPU preempts at that CPU's next tick" :
		"a wakeup from another CPU preempts at once (IPI)");
	if (rep->preempt_model_set) {
		fprintf(f, " (--preempt-model)\n");
		return;
	}
	if (!rep->preempt_remote_samples) {
		fprintf(f, " (too few remote preemptions in the trace to tell)\n");
		return;
	}
	report_dur(r, sizeof(r), rep->preempt_remote_ns);
	if (rep->preempt_local_samples)
		report_dur(l, sizeof(l), rep->preempt_local_ns);
	fprintf(f, ",\n                  as the trace shows: remote preemptions "
		"took %s (median of %u)%s%s\n", r, rep->preempt_remote_samples,
		rep->preempt_local_samples ? ", from the CPU itself " : "",
		rep->preempt_local_samples ? l : "");
}

/* Which host each replay is for, and what the scxlive host costs. */
static void hosts_line(FILE *f, const struct report *rep)
{
	const struct live_cost *lc = rep->live;
	char a[16], b[16], c[16], d[16], e[16], g[16];
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
	fprintf(f, "    scxlive: each decision waits for its daemon, a task that "
		"yields between runs and gets a CPU\n    when work waits: an "
		"idle one kicked in %s (%s while another CPU works), a busy\n"
		"    one preempted in %s; a run costs %s + %s a message (%s "
		"while another CPU works):\n    medians of the distributions "
		"drawn from, %s\n",
		report_dur(b, sizeof(b), live_cost_median(lc, LCOST_WAKE_IDLE)),
		report_dur(g, sizeof(g),
			   live_cost_median(lc, LCOST_WAKE_IDLE_SHARED)),
		report_dur(a, sizeof(a), live_cost_median(lc, LCOST_WAKE_BUSY)),
		report_dur(c, sizeof(c), live_cost_median(lc, LCOST_ROUND)),
		report_dur(d, sizeof(d), lc->per_msg_ns),
		report_dur(e, sizeof(e), live_cost_median(lc, LCOST_ROUND_SHARED)),
		lc->source);
	machine_line(f, rep);
	fputc('\n', f);
}

static void table_setup(FILE *f, const struct report *rep)
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
		cost_source(rep->wake_cost_samples, rep->wake_cost_set, true));
	fprintf(f, "                  %s for a timer's (%s);\n",
		report_dur(b, sizeof(b), rep->timer_cost_ns),
		cost_source(rep->timer_cost_samples, rep->timer_cost_set,
			    true));
	fprintf(f, "                  preempting a busy CPU takes %s (%s)\n",
		report_dur(b, sizeof(b), rep->preempt_cost_ns),
		rep->preempt_cost_samples || rep->preempt_cost_set ?
		cost_source(rep->preempt_cost_samples,
			    rep->preempt_cost_set, false) :
		"none measured in the trace");
	preempt_line(f, rep);
	hosts_line(f, rep);
}

/* The scxlive host's share of one replay: its daemon and BPF paths. */
static void live_line(FILE *f, const struct report *rep,
		      const struct engine_stats *st)
{
	double share = rep->sim_cpus && rep->duration_ns ? 100.0 *
		(double)st->daemon_ns / ((double)rep->sim_cpus *
		(double)rep->duration_ns) : 0.0;

	if (!st->daemon_runs)
		return;
	fprintf(f, "%-10s on scxlive: the daemon ran %" PRIu64 " times (%.1f%% "
		"of the CPUs), %" PRIu64 " of %" PRIu64 " enqueues were run by "
		"the BPF fast path, %" PRIu64 " kthreads dispatched in BPF\n", "",
		st->daemon_runs, share, st->bpf_fast, st->daemon_msgs,
		st->bpf_kernel);
	/* Measured where scxlive ran: another machine's daemon differs. */
	if (share > 25.0)
		fprintf(f, "%-10s warning: a daemon that busy suggests the costs "
			"are not this machine's: measure them (scxsim "
			"--measure-live, make live-costs)\n", "");
}

void report_table(FILE *f, const struct report *rep)
{
	table_setup(f, rep);
	fprintf(f, "policy = recorded: what the kernel did in the trace; "
		"any other: the trace's work replayed under that policy\n"
		"count = wakeups served (and preempted tasks put back on "
		"a CPU), as perf sched latency counts them\n"
		"p50/p99/max = wakeup delay: from becoming runnable to "
		"running on a CPU (half / 99%% of them wait less)\n"
		"runtime = CPU time used (recorded: %s)\n"
		"makespan = when the comm's last task finished, from the "
		"trace start (recorded: exited;\n"
		"           replayed: ended its last burst; -: none "
		"finished)\n\n",
		rep->runtime_from_switches ?
		"as the switches show it: the trace has no sched_stat_runtime" :
		"sched_stat_runtime, as perf sched latency's Runtime");
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
		live_line(f, rep, st);
	}
	if (rep->nruns > 1)
		fputc('\n', f);
	verdict(f, rep);
}
