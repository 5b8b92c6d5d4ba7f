// SPDX-License-Identifier: GPL-2.0
/*
 * The reports for programs: JSON with every figure (the trace, each run's
 * parameters, checks and per-comm delays) and CSV with one row per
 * (policy, comm). Wall-clock time is kept out of both so the same input
 * and seed give the same bytes.
 */
#include <inttypes.h>
#include <string.h>

#include "sim/report/report.h"

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
void report_json_str(FILE *f, const char *s)
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

/* The scxlive host's daemon and BPF-side paths in one replay. */
static void json_daemon(FILE *f, const struct engine_stats *st)
{
	fprintf(f, ",\n      \"daemon\": { \"runs\": %" PRIu64 ", \"cpu_ns\": %"
		PRIu64 ", \"enqueues\": %" PRIu64 ", \"preempted\": %" PRIu64
		", \"bpf_fast\": %" PRIu64 ", \"bpf_kernel\": %" PRIu64
		", \"congested\": %" PRIu64 ", \"rescued\": %" PRIu64
		", \"cancelled\": %" PRIu64 " }", st->daemon_runs,
		st->daemon_ns, st->daemon_msgs, st->daemon_preempts,
		st->bpf_fast, st->bpf_kernel, st->bpf_congested,
		st->bpf_rescued, st->cancelled);
}

static void json_run(FILE *f, const struct report *rep,
		     const struct report_run *run)
{
	const struct result *res = run->res;

	fprintf(f, "    { \"policy\": ");
	report_json_str(f, run->policy);
	fprintf(f, ", \"host\": ");
	report_json_str(f, run->simulated ? (run->host ? run->host : "kernel") :
			"trace");
	fprintf(f, ",\n      \"comms\": [");
	for (size_t i = 0; i < res->ncomms; i++) {
		const struct metrics_row *r = &res->comms[i];

		fprintf(f, "%s\n        { \"comm\": ", i ? "," : "");
		report_json_str(f, r->comm);
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
		report_json_str(f, r->comm);
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
			report_json_str(f, run->ops->params[i].name);
			fprintf(f, ": %" PRId64, run->conf->param[i]);
		}
		fprintf(f, " }, \"auto_param\": ");
		if (run->auto_param)
			report_json_str(f, run->auto_param);
		else
			fprintf(f, "null");
	}
	if (run->simulated) {
		const struct engine_stats *st = &run->stats;

		fprintf(f, ",\n      \"checks\": { \"ok\": %s, \"violations\": "
			"%" PRIu64 ", \"first_violation\": ",
			st->violations ? "false" : "true", st->violations);
		report_json_str(f, st->first_violation);
		fprintf(f, ", \"wakeups\": %" PRIu64 ", \"served\": %" PRIu64
			", \"demand_ns\": %" PRIu64 ", \"served_ns\": %" PRIu64
			", \"unfinished_bursts\": %" PRIu64 ", \"rescues\": %"
			PRIu64 ", \"preemptions\": %" PRIu64
			", \"expiries\": %" PRIu64 ", \"events\": %" PRIu64
			" }", st->wakeups, st->served, st->demand_ns,
			st->served_ns, st->unfinished, st->rescues,
			st->preemptions, st->expiries, st->events);
		if (st->daemon_runs)
			json_daemon(f, st);
	}
	fprintf(f, " }");
}

void report_json(FILE *f, const struct report *rep)
{
	fprintf(f, "{ \"trace\": { \"path\": ");
	report_json_str(f, rep->path);
	fprintf(f, ", \"format\": ");
	report_json_str(f, rep->format);
	fprintf(f, ", \"kernel_release\": ");
	if (rep->kernel_release && *rep->kernel_release)
		report_json_str(f, rep->kernel_release);
	else
		fprintf(f, "null");
	fprintf(f, ", \"runtime_source\": \"%s\"",
		rep->runtime_from_switches ? "switches" : "sched_stat_runtime");
	fprintf(f, ", \"cpus\": %u, \"events\": %" PRIu64
		", \"lost_events\": %" PRIu64 ", \"duration_ns\": %" PRIu64
		" },\n  \"sim\": { \"cpus\": %u, \"seed\": %" PRIu64
		", \"timer\": \"%s\", \"tick_ns\": %" PRIu64
		", \"wake_cost_ns\": %" PRIu64
		", \"timer_cost_ns\": %" PRIu64 ", \"preempt_cost_ns\": %"
		PRIu64 ", \"preempt_model\": \"%s\" },\n"
		"  \"results\": [\n", rep->trace_cpus, rep->events,
		rep->lost_events, rep->duration_ns, rep->sim_cpus, rep->seed,
		rep->timer_relative ? "relative" : "anchor", rep->tick_ns,
		rep->wake_cost_ns, rep->timer_cost_ns, rep->preempt_cost_ns,
		rep->preempt_lazy ? "lazy" : "immediate");
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
