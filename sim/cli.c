// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's command line: options, one pass over the trace, one replay per
 * policy, then the reports.
 *
 * The trace is read exactly once: every event goes both to the `recorded`
 * accounting (what the kernel did, as perf sched latency measures it) and
 * to the workload model; the model is then replayed under each policy. All
 * options and parameters are checked before the (possibly long) read, and
 * every problem is one line, `scxsim: WHAT: what is wrong`, exit status 2.
 * Output files are written whole or not at all (temporary file + rename).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/engine.h"
#include "sim/live_cost.h"
#include "sim/live_measure.h"
#include "sim/metrics.h"
#include "sim/model.h"
#include "sim/recorded.h"
#include "sim/report.h"
#include "sim/trace.h"

#define MAX_RUNS	16
#define MAX_SHOW	32
#define DEFAULT_TOP	6
#define DEFAULT_TICK_NS	4000000ull	/* HZ=250, as Debian's kernels */
#define PROGRESS_EVERY	(1u << 20)
/* Recorded and simulated results keep the same rows: perf's. */
#define ROW_FLAGS	METRICS_PERF_ROWS

static const char help_fmt[] =
"Usage: scxsim [options] TRACE\n"
"\n"
"Replay a recorded scheduler trace on virtual CPUs under one or more\n"
"scheduling policies and compare each task's wakeup delay with what the\n"
"trace recorded. TRACE is a trace-cmd .dat (v6/v7), a perf.data, the text\n"
"of `trace-cmd report` or `perf script`, or any of these gzip-compressed.\n"
"\n"
"  -P, --policy LIST     policies to replay, comma-separated (default\n"
"                        eevdf,lowlat); `recorded` (the trace itself) is\n"
"                        always reported, `-P recorded` only reads\n"
"  -p, --param P.K=V     set parameter K of policy P (repeatable), e.g.\n"
"                        -p lowlat.slice_ns=2ms; see --list-policies;\n"
"                        eevdf.next_buddy follows the recording kernel\n"
"                        (1 from 6.19) unless set here\n"
"  -c, --cpus N          virtual CPUs (default: as many as the trace)\n"
"  -t, --task COMM       a comm to show (repeatable); the first is the\n"
"                        latency-sensitive one the verdict is about\n"
"      --top N           also show the N comms with most wakeups (6)\n"
"      --json FILE|-     write every figure as JSON (- : stdout, no table)\n"
"      --csv FILE        one row per (policy, comm)\n"
"      --plot FILE.svg   delay distributions of the shown comms\n"
"      --seed N          tie-break seed; same input + seed = same output (1)\n"
"      --timer MODE      anchor: timer/irq wakeups keep their recorded time\n"
"                        (default); relative: they keep their sleep length\n"
"      --wake-cost NS    cost of waking an idle CPU for a task's wakeup\n"
"                        (default: the median measured in the trace, else 0)\n"
"      --timer-cost NS   the same for timer and interrupt wakeups\n"
"      --preempt-cost NS delay before a kicked busy CPU switches (default:\n"
"                        the trace's median wakeup-to-preemption, else 0)\n"
"      --tick NS         a used-up slice ends at the next tick, as in the\n"
"                        kernel (default: the tick the trace shows, else\n"
"                        4ms, HZ=250; 0: exactly)\n"
"      --host HOST       where the policy's decisions are taken: kernel (no\n"
"                        time, as a BPF port or the kernel's own scheduler)\n"
"                        or scxlive (its daemon's round trip, default for\n"
"                        every policy but eevdf, always kernel)\n"
"      --live-cost ARG   scxlive's measured costs: a file from\n"
"                        --measure-live, or KEY=DURATION (wake_idle,\n"
"                        wake_busy, round, per_msg); repeatable\n"
"      --measure-live [-o FILE] TRACE...  (alone) those costs from traces\n"
"                        recorded under scxlive, as a --live-cost file\n"
"      --timing          speed of the read and of each replay on stderr\n"
"      --list-policies   policies, their parameters and defaults\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 done, 2 bad input or option, 1 other failure.\n";

enum {
	OPT_JSON = 256, OPT_CSV, OPT_PLOT, OPT_SEED, OPT_TIMER, OPT_LIST,
	OPT_TOP, OPT_WAKE_COST, OPT_TIMER_COST, OPT_PREEMPT_COST, OPT_TIMING,
	OPT_TICK, OPT_HOST, OPT_LIVE_COST,
};

static const struct option long_opts[] = {
	{ "policy", required_argument, NULL, 'P' },
	{ "param", required_argument, NULL, 'p' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "task", required_argument, NULL, 't' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "timer", required_argument, NULL, OPT_TIMER },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "wake-cost", required_argument, NULL, OPT_WAKE_COST },
	{ "timer-cost", required_argument, NULL, OPT_TIMER_COST },
	{ "preempt-cost", required_argument, NULL, OPT_PREEMPT_COST },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "live-cost", required_argument, NULL, OPT_LIVE_COST },
	{ "list-policies", no_argument, NULL, OPT_LIST },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct sim_policy {
	const struct policy_ops *ops;
	struct policy_conf conf;
	const char *auto_param;	/* set from the trace, for the report */
};

struct cli {
	const struct policy_ops *const *extra;
	const char *policies;
	const char *params[64];
	size_t nparams;
	const char *tasks[MAX_SHOW];
	size_t ntasks;
	uint32_t cpus;
	uint64_t seed;
	bool relative;
	bool timing;
	double read_s;
	long top;
	int64_t wake_cost;	/* -1: measured */
	int64_t timer_cost;
	int64_t preempt_cost;
	uint64_t tick;
	bool tick_set;		/* --tick given: not the trace's */
	const char *host;	/* --host, NULL: scxlive but for eevdf */
	struct live_cost live;
	const char *json, *csv, *plot;
	const char *path;
	struct sim_policy pol[MAX_RUNS];
	size_t npol;
};

static void say(const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "scxsim: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Bad input or option: exit status 2. */
static int fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(what, fmt, ap);
	va_end(ap);
	return 2;
}

/* Out of memory, a file that cannot be written: not the input's fault, 1. */
static int fail_sys(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(what, fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * A reader's message: the file's fault (2) unless the readers ran out of
 * memory, which they all report in these words.
 */
static int fail_read(const char *path, const char *msg)
{
	if (!strncmp(msg, "out of memory", 13))
		return fail_sys(path, "%s", msg);
	return fail(path, "%s", msg);
}

static const struct policy_ops *find_policy(const struct cli *c,
					    const char *name)
{
	for (size_t i = 0; c->extra && c->extra[i]; i++)
		if (!strcmp(c->extra[i]->name, name))
			return c->extra[i];
	return policy_find(name);
}

/* An unsigned decimal that must be all of `s` and within [min, max]. */
static bool parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !errno && !*end && *v >= min && *v <= max;
}

/* Nanoseconds, with an optional ns/us/ms/s suffix. */
static bool parse_ns(const char *s, uint64_t *v)
{
	static const struct { const char *sfx; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 }, { "", 1 },
	};
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || end == s)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].sfx)) {
			if (*v > UINT64_MAX / units[i].mul)
				return false;
			*v *= units[i].mul;
			return true;
		}
	return false;
}

static void list_policy(const struct policy_ops *ops)
{
	printf("%-10s %s\n", ops->name, ops->desc);
	for (uint32_t i = 0; i < ops->nr_params; i++) {
		const struct policy_param *p = &ops->params[i];

		printf("    %s.%s=%" PRId64 "  (%" PRId64 "..%" PRId64 "%s%s)"
		       "  %s\n", ops->name, p->name, p->def, p->min, p->max,
		       p->unit && *p->unit ? " " : "", p->unit ? p->unit : "",
		       p->desc);
	}
}

static void list_policies(const struct cli *c)
{
	printf("recorded   the trace itself, measured as perf sched latency "
	       "does (always reported)\n");
	for (size_t i = 0; c->extra && c->extra[i]; i++)
		list_policy(c->extra[i]);
	for (size_t i = 0; policy_registry[i]; i++)
		if (!c->extra || find_policy(c, policy_registry[i]->name) ==
		    policy_registry[i])
			list_policy(policy_registry[i]);
}

static int parse_policies(struct cli *c)
{
	char *list = strdup(c->policies), *save = NULL;
	int ret = 0;

	if (!list)
		return fail_sys("-P", "out of memory");
	for (char *n = strtok_r(list, ",", &save); n && !ret;
	     n = strtok_r(NULL, ",", &save)) {
		const struct policy_ops *ops;
		bool dup = false;

		if (!strcmp(n, "recorded"))
			continue;
		ops = find_policy(c, n);
		if (!ops) {
			ret = fail("-P", "no policy named '%s' (see "
				   "--list-policies)", n);
			break;
		}
		for (size_t i = 0; i < c->npol; i++)
			dup |= c->pol[i].ops == ops;
		if (dup)
			continue;
		if (c->npol == MAX_RUNS) {
			ret = fail("-P", "at most %d policies", MAX_RUNS);
			break;
		}
		c->pol[c->npol].ops = ops;
		policy_conf_defaults(&c->pol[c->npol].conf, ops, 1, 1);
		c->npol++;
	}
	if (!ret && !strchr(c->policies, ',') && !*c->policies)
		ret = fail("-P", "empty policy list");
	free(list);
	return ret;
}

static int apply_param(struct cli *c, const char *arg)
{
	const char *dot = strchr(arg, '.');
	const struct policy_param *bad = NULL;
	struct sim_policy *sp = NULL;
	size_t len;
	int err;

	if (!dot || dot == arg || !strchr(dot, '='))
		return fail("-p", "'%s' is not POLICY.KEY=VALUE", arg);
	len = (size_t)(dot - arg);
	for (size_t i = 0; i < c->npol; i++)
		if (strlen(c->pol[i].ops->name) == len &&
		    !strncmp(c->pol[i].ops->name, arg, len))
			sp = &c->pol[i];
	if (!sp)
		return fail("-p", "'%s': policy '%.*s' is not replayed "
			    "(add it to -P)", arg, (int)len, arg);
	err = policy_conf_set(&sp->conf, sp->ops, dot + 1, &bad);
	if (err && bad)
		return fail("-p", "'%s': %s (%s: %" PRId64 "..%" PRId64
			    "%s%s)", arg, policy_strerror(err), bad->name,
			    bad->min, bad->max, bad->unit && *bad->unit ?
			    " " : "", bad->unit ? bad->unit : "");
	if (err)
		return fail("-p", "'%s': %s", arg, policy_strerror(err));
	return 0;
}

/* 0 to go on, 2 on a bad option, -1 when done (help/version/list). */
static int parse_args(struct cli *c, int argc, char **argv)
{
	uint64_t v;
	int opt;

	c->policies = "eevdf,lowlat";
	c->seed = 1;
	c->top = DEFAULT_TOP;
	c->wake_cost = -1;
	c->timer_cost = -1;
	c->preempt_cost = -1;
	c->tick = DEFAULT_TICK_NS;
	live_cost_default(&c->live);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":P:p:c:t:hV", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'P':
			c->policies = optarg;
			break;
		case 'p':
			if (c->nparams == sizeof(c->params) / sizeof(*c->params))
				return fail("-p", "too many parameters");
			c->params[c->nparams++] = optarg;
			break;
		case 'c':
			if (!parse_u64(optarg, 1, POLICY_MAX_CPUS, &v))
				return fail("--cpus", "'%s' is not a CPU count "
					    "(1..%d)", optarg, POLICY_MAX_CPUS);
			c->cpus = (uint32_t)v;
			break;
		case 't':
			if (c->ntasks == MAX_SHOW)
				return fail("--task", "at most %d", MAX_SHOW);
			if (!*optarg || strlen(optarg) >= TRACE_COMM_LEN)
				return fail("--task", "'%s' is not a comm "
					    "(1..%d characters)", optarg,
					    TRACE_COMM_LEN - 1);
			c->tasks[c->ntasks++] = optarg;
			break;
		case OPT_JSON:
			c->json = optarg;
			break;
		case OPT_CSV:
			c->csv = optarg;
			break;
		case OPT_PLOT:
			c->plot = optarg;
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, 0, UINT64_MAX, &c->seed))
				return fail("--seed", "'%s' is not an unsigned "
					    "integer", optarg);
			break;
		case OPT_TIMER:
			if (strcmp(optarg, "anchor") &&
			    strcmp(optarg, "relative"))
				return fail("--timer", "'%s': expected anchor "
					    "or relative", optarg);
			c->relative = !strcmp(optarg, "relative");
			break;
		case OPT_TOP:
			if (!parse_u64(optarg, 0, MAX_SHOW, &v))
				return fail("--top", "'%s' is not a count "
					    "(0..%d)", optarg, MAX_SHOW);
			c->top = (long)v;
			break;
		case OPT_WAKE_COST:
		case OPT_TIMER_COST:
		case OPT_PREEMPT_COST:
			if (!parse_ns(optarg, &v) || v > 1000000000ull)
				return fail(argv[optind - 1], "'%s' is not a "
					    "duration up to 1s (ns, or with "
					    "us/ms/s)", optarg);
			*(opt == OPT_WAKE_COST ? &c->wake_cost :
			  opt == OPT_TIMER_COST ? &c->timer_cost :
			  &c->preempt_cost) = (int64_t)v;
			break;
		case OPT_TICK:
			if (!parse_ns(optarg, &v) || v > 1000000000ull)
				return fail("--tick", "'%s' is not a duration "
					    "up to 1s (0: slices end exactly)",
					    optarg);
			c->tick = v;
			c->tick_set = true;
			break;
		case OPT_HOST:
			if (strcmp(optarg, "kernel") && strcmp(optarg, "scxlive"))
				return fail("--host", "'%s': expected kernel "
					    "or scxlive", optarg);
			c->host = optarg;
			break;
		case OPT_LIVE_COST: {
			char err[512];

			if (live_cost_apply(&c->live, optarg, err, sizeof(err)))
				return fail("--live-cost", "%s", err);
			break;
		}
		case OPT_TIMING:
			c->timing = true;
			break;
		case OPT_LIST:
			list_policies(c);
			return -1;
		case 'h':
			fputs(help_fmt, stdout);
			return -1;
		case 'V':
			printf("scxsim %s\n", SCX_VERSION);
			return -1;
		case ':':
			return fail(argv[optind - 1], "needs a value (see "
				    "--help)");
		default:
			return fail(optopt ? (char[]){ '-', (char)optopt, 0 } :
				    argv[optind - 1], "unknown option (see "
				    "--help)");
		}
	}
	if (optind != argc - 1)
		return fail("usage", optind >= argc ? "no TRACE given (see "
			    "--help)" : "one TRACE only (see --help)");
	c->path = argv[optind];
	if (parse_policies(c))
		return 2;
	for (size_t i = 0; i < c->nparams; i++)
		if (apply_param(c, c->params[i]))
			return 2;
	return 0;
}

/* "6.19.2-amd64" -> true: kernels from 6.19 run the NEXT_BUDDY rework. */
static bool release_has_next_buddy(const char *rel, bool *known)
{
	unsigned int major, minor;

	*known = sscanf(rel, "%u.%u", &major, &minor) == 2;
	return *known && (major > 6 || (major == 6 && minor >= 19));
}

/*
 * eevdf models two kernel generations; unless -p chose one, replay the one
 * that recorded the trace, so the comparison with `recorded` is fair.
 */
static void pick_eevdf_variant(struct cli *c, const char *release)
{
	static char why[160];
	bool known, nb = release_has_next_buddy(release, &known);

	for (size_t i = 0; i < c->npol; i++) {
		struct sim_policy *sp = &c->pol[i];

		if (strcmp(sp->ops->name, "eevdf"))
			continue;
		for (size_t k = 0; k < c->nparams; k++)
			if (!strncmp(c->params[k], "eevdf.next_buddy=", 17))
				return;
		if (!known)
			return;
		if (policy_conf_set(&sp->conf, sp->ops, nb ? "next_buddy=1" :
				    "next_buddy=0", NULL))
			return;	/* a policy without the parameter */
		snprintf(why, sizeof(why), "next_buddy=%d, its model of %s, "
			 "as the recording kernel", nb, nb ? "6.19+" :
			 "6.6-6.18");
		sp->auto_param = why;
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One pass: every event to the recorded accounting and to the model. */
static int read_trace(struct cli *c, struct trace_reader *tr, struct model *m,
		      struct recorded *rec)
{
	bool tty = isatty(2);
	double t0 = now_s();
	struct sched_event ev;
	uint64_t n = 0;
	int ret;

	while ((ret = trace_next(tr, &ev)) == 1) {
		recorded_event(rec, trace_info(tr), &ev);
		if (model_add(m, &ev))
			return fail_sys(c->path, "out of memory after %" PRIu64
				    " events", n);
		if (!(++n % PROGRESS_EVERY) && tty && now_s() - t0 > 1)
			fprintf(stderr, "\rscxsim: %s: %" PRIu64 "M events "
				"read", c->path, n >> 20);
	}
	if (tty && n >= PROGRESS_EVERY)
		fprintf(stderr, "\r\033[K");
	c->read_s = now_s() - t0;
	if (ret < 0)
		return fail_read(c->path, trace_error(tr));
	if (!trace_info(tr)->events)
		return fail(c->path, "no scheduler events in the trace");
	return 0;
}

static int replay(struct cli *c, const struct model *m, struct report *rep)
{
	struct engine_conf ec = {
		.nr_cpus = rep->sim_cpus,
		.wake_cost_ns = rep->wake_cost_ns,
		.timer_cost_ns = rep->timer_cost_ns,
		.preempt_cost_ns = rep->preempt_cost_ns,
		.tick_ns = rep->tick_ns,
		.tick_from_trace = !c->tick_set,
		.timer_relative = c->relative,
		.seed = c->seed,
	};
	char err[256];
	int ret;

	for (size_t i = 0; i < c->npol; i++) {
		struct report_run *run = &rep->runs[rep->nruns];
		struct metrics *mt = metrics_new();

		if (!mt)
			return fail_sys(c->path, "out of memory");
		if (isatty(2) && m->nr_bursts > 1000000)
			fprintf(stderr, "\rscxsim: replaying under %s...",
				c->pol[i].ops->name);
		/* eevdf models the kernel itself: it is never a daemon's */
		run->host = c->host && !strcmp(c->host, "kernel") ? "kernel" :
			    !strcmp(c->pol[i].ops->name, "eevdf") ? "kernel" :
			    "scxlive";
		ec.live = strcmp(run->host, "scxlive") ? NULL : &c->live;
		ret = engine_run(m, c->pol[i].ops, &c->pol[i].conf, &ec, mt,
				 &run->stats, err, sizeof(err));
		if (ret) {
			metrics_free(mt);
			if (ret == ENGINE_EINPUT)
				return fail(c->path, "%s", err);
			return fail_sys(c->pol[i].ops->name, "%s", err);
		}
		if (isatty(2) && m->nr_bursts > 1000000)
			fprintf(stderr, "\r\033[K");
		run->policy = c->pol[i].ops->name;
		run->simulated = true;
		run->ops = c->pol[i].ops;
		run->conf = &c->pol[i].conf;
		run->auto_param = c->pol[i].auto_param;
		run->res = metrics_finish(mt, run->policy, ROW_FLAGS);
		metrics_free(mt);
		if (!run->res)
			return fail_sys(c->path, "out of memory");
		rep->nruns++;
		if (run->stats.violations)
			fprintf(stderr, "scxsim: %s: replay under %s failed "
				"%" PRIu64 " conservation checks, first: %s\n",
				c->path, run->policy, run->stats.violations,
				run->stats.first_violation);
	}
	return 0;
}

/* The CPU time each task used in the trace, whatever perf can tell. */
static struct result *observed(const struct model *m)
{
	struct metrics *mt = metrics_new();
	struct result *res;

	if (!mt)
		return NULL;
	for (uint32_t i = 0; i < m->nr_tasks; i++) {
		metrics_comm(mt, m->tasks[i].pid, m->tasks[i].comm);
		metrics_runtime(mt, m->tasks[i].pid,
				model_demand_task(&m->tasks[i]));
	}
	res = metrics_finish(mt, "observed", 0);
	metrics_free(mt);
	return res;
}

/* --timing: what a benchmark needs, on stderr so outputs stay clean. */
static void print_timing(const struct cli *c, const struct model *m,
			 const struct report *rep)
{
	struct rusage ru;

	fprintf(stderr, "scxsim: timing: read %" PRIu64 " events in %.3fs; "
		"model %u tasks, %" PRIu64 " bursts, %" PRIu64 " wake edges\n",
		rep->events, c->read_s, m->nr_tasks, m->nr_bursts,
		m->nr_edges);
	for (size_t k = 1; k < rep->nruns; k++) {
		const struct engine_stats *st = &rep->runs[k].stats;

		fprintf(stderr, "scxsim: timing: %s: %" PRIu64 " simulated "
			"events, %" PRIu64 " policy hooks in %.3fs: %.2fM "
			"events/s\n", rep->runs[k].policy, st->events,
			st->hooks, st->seconds, st->seconds > 0 ?
			(double)st->events / st->seconds / 1e6 : 0.0);
	}
	if (!getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "scxsim: timing: peak RSS %.1f MB\n",
			(double)ru.ru_maxrss / 1024.0);
}

static int write_outputs(struct cli *c, struct report *rep)
{
	const struct {
		const char *path;
		void (*fn)(FILE *f, const struct report *rep);
	} outs[] = {
		{ c->json, report_json }, { c->csv, report_csv },
		{ c->plot, report_svg },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (outs[i].path && report_write(outs[i].path, outs[i].fn, rep,
						 err, sizeof(err)))
			return fail_sys(outs[i].path, "%s", err);
	if (!c->json || strcmp(c->json, "-"))
		report_table(stdout, rep);
	if (fflush(stdout) || ferror(stdout))
		return fail_sys("standard output", "cannot write: %s",
				strerror(errno));
	return 0;
}

int scxsim_main(int argc, char **argv,
		const struct policy_ops *const *extra_policies)
{
	struct cli c = { .extra = extra_policies };
	struct report_run runs[MAX_RUNS + 1];
	struct report rep = { .runs = runs };
	struct trace_reader *tr = NULL;
	const struct trace_info *info;
	struct recorded *rec = NULL;
	struct model *m = NULL;
	char err[512];
	int ret;

	if (argc > 1 && !strcmp(argv[1], "--measure-live"))
		return live_measure_main(argc - 1, argv + 1);
	memset(runs, 0, sizeof(runs));
	ret = parse_args(&c, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;
	tr = trace_open(c.path, err, sizeof(err));
	if (!tr)
		return fail_read(c.path, err);
	m = model_new();
	rec = recorded_new();
	ret = !m || !rec ? fail_sys(c.path, "out of memory") :
	      read_trace(&c, tr, m, rec);
	if (ret)
		goto out;
	info = trace_info(tr);
	if (model_finish(m)) {
		ret = fail_sys(c.path, "out of memory");
		goto out;
	}
	pick_eevdf_variant(&c, info->release);
	rep.path = c.path;
	rep.format = info->format ? info->format : "unknown";
	rep.kernel_release = info->release;
	rep.trace_cpus = info->cpus ? info->cpus : m->nr_cpus;
	rep.sim_cpus = c.cpus ? c.cpus : rep.trace_cpus;
	if (!rep.sim_cpus)
		rep.sim_cpus = 1;
	if (rep.sim_cpus > POLICY_MAX_CPUS) {
		ret = fail(c.path, "%u CPUs: at most %d can be replayed",
			   rep.sim_cpus, POLICY_MAX_CPUS);
		goto out;
	}
	rep.events = info->events;
	rep.lost_events = info->lost_events;
	rep.first_ts = m->first_ts;
	rep.duration_ns = m->duration_ns;
	rep.seed = c.seed;
	rep.tick_ns = c.tick_set || !m->tick_ns ? c.tick : m->tick_ns;
	rep.tick_uneven = !c.tick_set && m->tick_q_n == MODEL_TICK_Q;
	if (rep.tick_uneven) {
		rep.tick_lo_ns = m->tick_q[MODEL_TICK_Q / 10];
		rep.tick_hi_ns = m->tick_q[MODEL_TICK_Q - 1 - MODEL_TICK_Q / 10];
	}
	rep.timer_relative = c.relative;
	rep.wake_cost_ns = c.wake_cost >= 0 ? (uint64_t)c.wake_cost :
			   m->wake_cost_ns;
	rep.wake_cost_samples = c.wake_cost >= 0 ? 0 : m->wake_cost_samples;
	rep.timer_cost_ns = c.timer_cost >= 0 ? (uint64_t)c.timer_cost :
			    m->timer_cost_ns;
	rep.timer_cost_samples = c.timer_cost >= 0 ? 0 :
				 m->timer_cost_samples;
	rep.preempt_cost_ns = c.preempt_cost >= 0 ?
			      (uint64_t)c.preempt_cost : m->preempt_cost_ns;
	rep.preempt_cost_samples = c.preempt_cost >= 0 ? 0 :
				   m->preempt_cost_samples;
	rep.preempt_cost_set = c.preempt_cost >= 0;
	rep.wake_cost_set = c.wake_cost >= 0;
	rep.timer_cost_set = c.timer_cost >= 0;
	rep.live = &c.live;
	rep.observed = observed(m);
	runs[0].policy = "recorded";
	runs[0].res = recorded_finish(rec, info, ROW_FLAGS);
	if (!runs[0].res) {
		ret = fail_sys(c.path, "out of memory");
		goto out;
	}
	rep.nruns = 1;
	ret = replay(&c, m, &rep);
	if (!ret && report_choose(&rep, c.tasks, c.ntasks, (size_t)c.top))
		ret = fail_sys(c.path, "out of memory");
	if (!ret)
		ret = write_outputs(&c, &rep);
	if (!ret && c.timing)
		print_timing(&c, m, &rep);
out:
	for (size_t i = 0; i < rep.nruns; i++)
		result_free(runs[i].res);
	free(rep.show);
	if (rep.observed)
		result_free(rep.observed);
	recorded_free(rec);
	model_free(m);
	trace_close(tr);
	return ret;
}
