// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's options: every value is checked here, before the (possibly long)
 * read of the trace, and every problem is one line, `scxsim: WHAT: what is
 * wrong`, exit status 2. -P and -p are resolved against the registry (and
 * a test's extra policies) so a bad policy or parameter is refused at once.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/options.h"
#include "sim/timeline_set.h"
#include "sim/trace/trace.h"
#include "sim/tune/paramfile.h"
#include "sim/tune/tune.h"

static const char help_fmt[] =
"Usage: scxsim [options] TRACE\n"
"       scxsim --tune POLICY [options] TRACE...\n"
"       scxsim --sweep SPEC [--shard I/N] [--json FILE] [options]\n"
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
"      --timeline DIR    write DIR/recorded.pftrace (the trace's schedule)\n"
"                        and DIR/POLICY.pftrace per replay: Perfetto traces\n"
"                        for ui.perfetto.dev, which scxsim also reads\n"
"      --explain COMM    why the replay's wakeup delays of COMM differ from\n"
"                        the recorded ones, wakeup by wakeup, instead of\n"
"                        the table; -P names the one policy (eevdf)\n"
"      --seed N          tie-break seed; same input + seed = same output (1)\n"
"      --timer MODE      anchor: timer/irq wakeups keep their recorded time\n"
"                        (default); relative: they keep their sleep length\n"
"      --wake-cost NS    cost of waking an idle CPU for a task's wakeup\n"
"                        (default: the median measured in the trace, else 0)\n"
"      --timer-cost NS   the same for timer and interrupt wakeups\n"
"      --preempt-cost NS delay before a kicked busy CPU switches (default:\n"
"                        the trace's median wakeup-to-preemption, else 0)\n"
"      --preempt-model M how the recording kernel preempts for a wakeup\n"
"                        from another CPU, for eevdf: none, voluntary or\n"
"                        full (by IPI, at once) or lazy (at that CPU's next\n"
"                        tick); default: lazy when the trace's remote\n"
"                        wakeup-to-preemption median is a quarter tick or\n"
"                        more\n"
"      --tick NS         a used-up slice ends at the next tick, as in the\n"
"                        kernel (default: the tick the trace shows, else\n"
"                        4ms, HZ=250; 0: exactly)\n"
"      --host HOST       where the policy's decisions are taken: kernel (no\n"
"                        time, as a BPF port or the kernel's own scheduler)\n"
"                        or scxlive (its daemon's round trip, default for\n"
"                        every policy but eevdf, always kernel)\n"
"      --live-cost ARG   scxlive's measured costs: a file from\n"
"                        --measure-live, or KEY=DURATION (wake_idle,\n"
"                        wake_idle_shared, wake_busy, wake_busy_shared,\n"
"                        round, round_shared, wake_task, wake_task_shared,\n"
"                        wake_freed, wake_local, wake_local_shared,\n"
"                        per_msg), or\n"
"                        scale=F|auto (every cost times F, or times the\n"
"                        trace's kernel wakeup path over the costs');\n"
"                        repeatable\n"
"      --measure-live [-o FILE] TRACE...  (alone) those costs from traces\n"
"                        recorded under scxlive, as a --live-cost file\n"
"      --workers N       replay threads: the policies (--tune: the\n"
"                        configurations) run side by side (default: the\n"
"                        online CPUs; the figures are the same on any N)\n"
"      --timing          speed of the read and of each replay on stderr\n"
"      --list-policies   policies, their parameters and defaults\n"
"\n"
"Tuning (--tune POLICY): search POLICY's parameters, within the ranges\n"
"--list-policies shows, for the lowest figure of the latency-sensitive comm\n"
"(the first -t, or the verdict's pick) over every TRACE; -p P.K=V fixes K.\n"
"Prints the Pareto front (latency against the CPU-bound comm's completion)\n"
"and writes the winner as POLICY.KEY=VALUE lines, read back by -p @FILE.\n"
"  -o, --output FILE     the winner's parameter file (default POLICY.params)\n"
"      --figure F        p99 (default), p90, p50, avg or max\n"
"      --busy COMM       the CPU-bound comm (default: the verdict's)\n"
"      --within R        its completion at most R x eevdf's (1.05; 0: any)\n"
"      --no-bound        allow waits past the policy's starvation bound\n"
"      --evals N         configurations to ask for (default 600)\n"
"      --plot FILE.svg   the front as a scatter\n"
"Sweeps (--sweep SPEC): every trace x policy x parameter point of SPEC\n"
"(see README), as JSON lines (--json, default stdout); --shard I/N runs\n"
"only jobs j with j mod N = I, for a fleet; sim/tune/merge.jq joins them.\n"
"  -p @FILE              every line of FILE as a -p (# comments)\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"\n"
"Exit status: 0 done, 2 bad input or option, 1 other failure.\n";

enum {
	OPT_JSON = 256, OPT_CSV, OPT_PLOT, OPT_SEED, OPT_TIMER, OPT_LIST,
	OPT_TOP, OPT_WAKE_COST, OPT_TIMER_COST, OPT_PREEMPT_COST, OPT_PREEMPT_MODEL,
	OPT_TIMING,
	OPT_TICK, OPT_HOST, OPT_LIVE_COST, OPT_TIMELINE, OPT_EXPLAIN, OPT_TUNE,
	OPT_SWEEP, OPT_SHARD, OPT_FIGURE, OPT_BUSY, OPT_WITHIN, OPT_NO_BOUND,
	OPT_EVALS, OPT_WORKERS,
};

static const struct option long_opts[] = {
	{ "policy", required_argument, NULL, 'P' },
	{ "param", required_argument, NULL, 'p' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "task", required_argument, NULL, 't' },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "csv", required_argument, NULL, OPT_CSV },
	{ "plot", required_argument, NULL, OPT_PLOT },
	{ "timeline", required_argument, NULL, OPT_TIMELINE },
	{ "explain", required_argument, NULL, OPT_EXPLAIN },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "timer", required_argument, NULL, OPT_TIMER },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "wake-cost", required_argument, NULL, OPT_WAKE_COST },
	{ "timer-cost", required_argument, NULL, OPT_TIMER_COST },
	{ "preempt-cost", required_argument, NULL, OPT_PREEMPT_COST },
	{ "preempt-model", required_argument, NULL, OPT_PREEMPT_MODEL },
	{ "tick", required_argument, NULL, OPT_TICK },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "live-cost", required_argument, NULL, OPT_LIVE_COST },
	{ "list-policies", no_argument, NULL, OPT_LIST },
	{ "timing", no_argument, NULL, OPT_TIMING },
	{ "tune", required_argument, NULL, OPT_TUNE },
	{ "sweep", required_argument, NULL, OPT_SWEEP },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "output", required_argument, NULL, 'o' },
	{ "figure", required_argument, NULL, OPT_FIGURE },
	{ "busy", required_argument, NULL, OPT_BUSY },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "no-bound", no_argument, NULL, OPT_NO_BOUND },
	{ "evals", required_argument, NULL, OPT_EVALS },
	{ "workers", required_argument, NULL, OPT_WORKERS },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void say(const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "scxsim: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(what, fmt, ap);
	va_end(ap);
	return 2;
}

int cli_fail_sys(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(what, fmt, ap);
	va_end(ap);
	return 1;
}

int cli_fail_read(const char *path, const char *msg)
{
	if (!strncmp(msg, "out of memory", 13))
		return cli_fail_sys(path, "%s", msg);
	return cli_fail(path, "%s", msg);
}

int cli_fail_status(const char *what, int status, const char *msg)
{
	return status == 1 ? cli_fail_sys(what, "%s", msg) :
	       cli_fail_read(what, msg);
}

const struct policy_ops *cli_find_policy(const struct cli *c,
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

/* Nanoseconds, with an optional ns/us/ms/s suffix (the policies' syntax). */
static bool parse_ns(const char *s, uint64_t *v)
{
	return policy_parse_duration(s, 1, v) == POLICY_OK;
}

static void list_policy(const struct policy_ops *ops)
{
	char line[512];

	for (uint32_t i = 0; i <= ops->nr_params; i++) {
		policy_list_line(ops, i, ".", line, sizeof(line));
		puts(line);
	}
}

static void list_policies(const struct cli *c)
{
	printf("recorded   the trace itself, measured as perf sched latency "
	       "does (always reported)\n");
	for (size_t i = 0; c->extra && c->extra[i]; i++)
		list_policy(c->extra[i]);
	for (size_t i = 0; policy_registry[i]; i++)
		if (!c->extra || cli_find_policy(c, policy_registry[i]->name) ==
		    policy_registry[i])
			list_policy(policy_registry[i]);
}

static int parse_policies(struct cli *c)
{
	char *list = strdup(c->policies), *save = NULL;
	int ret = 0;

	if (!list)
		return cli_fail_sys("-P", "out of memory");
	for (char *n = strtok_r(list, ",", &save); n && !ret;
	     n = strtok_r(NULL, ",", &save)) {
		const struct policy_ops *ops;
		bool dup = false;

		if (!strcmp(n, "recorded"))
			continue;
		ops = cli_find_policy(c, n);
		if (!ops) {
			ret = cli_fail("-P", "no policy named '%s' (see "
				   "--list-policies)", n);
			break;
		}
		if (policy_check(ops)) {
			ret = cli_fail("-P", "policy '%s': %s", n,
				   policy_strerror(policy_check(ops)));
			break;
		}
		for (size_t i = 0; i < c->npol; i++)
			dup |= c->pol[i].ops == ops;
		if (dup)
			continue;
		if (c->npol == MAX_RUNS) {
			ret = cli_fail("-P", "at most %d policies", MAX_RUNS);
			break;
		}
		c->pol[c->npol].ops = ops;
		policy_conf_defaults(&c->pol[c->npol].conf, ops, 1, 1);
		c->npol++;
	}
	if (!ret && !strchr(c->policies, ',') && !*c->policies)
		ret = cli_fail("-P", "empty policy list");
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
		return cli_fail("-p", "'%s' is not POLICY.KEY=VALUE", arg);
	len = (size_t)(dot - arg);
	for (size_t i = 0; i < c->npol; i++)
		if (strlen(c->pol[i].ops->name) == len &&
		    !strncmp(c->pol[i].ops->name, arg, len))
			sp = &c->pol[i];
	if (!sp)
		return cli_fail("-p", "'%s': policy '%.*s' is not replayed "
			    "(add it to -P)", arg, (int)len, arg);
	err = policy_conf_set(&sp->conf, sp->ops, dot + 1, &bad);
	if (err && bad)
		return cli_fail("-p", "'%s': %s (%s: %" PRId64 "..%" PRId64
			    "%s%s)", arg, policy_strerror(err), bad->name,
			    bad->min, bad->max, bad->unit && *bad->unit ?
			    " " : "", bad->unit ? bad->unit : "");
	if (err)
		return cli_fail("-p", "'%s': %s", arg, policy_strerror(err));
	return 0;
}

/* -p @FILE: every setting of the file, as if given one by one. */
static int param_file(struct cli *c, const char *path)
{
	char err[256], **kv;
	size_t n = 0;

	if (c->nfiles == sizeof(c->files) / sizeof(*c->files))
		return cli_fail("-p", "at most %zu parameter files",
				sizeof(c->files) / sizeof(*c->files));
	kv = paramfile_load(path, &n, err, sizeof(err));
	if (!kv)
		return cli_fail_read(path, err);
	c->files[c->nfiles++] = kv;
	for (size_t i = 0; i < n; i++) {
		if (c->nparams == sizeof(c->params) / sizeof(*c->params))
			return cli_fail("-p", "too many parameters");
		c->params[c->nparams++] = kv[i];
	}
	return 0;
}

/* --tune's and --sweep's values. 0, 1 (not one of them), or 2 (bad). */
static int parse_tune_opt(struct cli *c, int opt)
{
	enum tune_figure fig;
	uint64_t v;
	char *end;
	unsigned int i, n;
	int len;

	switch (opt) {
	case OPT_SHARD:
		if (sscanf(optarg, "%u/%u%n", &i, &n, &len) != 2 ||
		    optarg[len] || !n || i >= n)
			return cli_fail("--shard", "'%s' is not I/N with 0 <= "
					"I < N", optarg);
		c->shard = i;
		c->nshards = n;
		return 0;
	case OPT_FIGURE:
		if (tune_figure_parse(optarg, &fig))
			return cli_fail("--figure", "'%s': expected p99, p90, "
					"p50, avg or max", optarg);
		c->figure = (int)fig;
		return 0;
	case OPT_BUSY:
		if (!*optarg || strlen(optarg) >= TRACE_COMM_LEN)
			return cli_fail("--busy", "'%s' is not a comm", optarg);
		c->busy = optarg;
		return 0;
	case OPT_WITHIN:
		c->within = strtod(optarg, &end);
		if (end == optarg || *end || !(c->within == 0 ||
		    (c->within >= 1 && c->within <= 100)))
			return cli_fail("--within", "'%s' is not a ratio "
					"(1..100, or 0 for none)", optarg);
		return 0;
	case OPT_EVALS:
	case OPT_WORKERS:
		if (!parse_u64(optarg, 1, opt == OPT_EVALS ? 100000 : 64, &v))
			return cli_fail(opt == OPT_EVALS ? "--evals" :
					"--workers", "'%s' is not a count "
					"(1..%d)", optarg,
					opt == OPT_EVALS ? 100000 : 64);
		*(opt == OPT_EVALS ? &c->evals : &c->workers) = (uint32_t)v;
		return 0;
	}
	return 1;
}

/*
 * The options whose value needs checking, and anything getopt did not
 * know; parse_args keeps the ones that only store or act. 0, or 2 (failed).
 */
static int parse_value_opt(struct cli *c, int opt, const char *name)
{
	uint64_t v;

	switch (opt) {
	case 'c':
		if (!parse_u64(optarg, 1, POLICY_MAX_CPUS, &v))
			return cli_fail("--cpus", "'%s' is not a CPU count "
				    "(1..%d)", optarg, POLICY_MAX_CPUS);
		c->cpus = (uint32_t)v;
		break;
	case 't':
		if (c->ntasks == MAX_SHOW)
			return cli_fail("--task", "at most %d", MAX_SHOW);
		if (!*optarg || strlen(optarg) >= TRACE_COMM_LEN)
			return cli_fail("--task", "'%s' is not a comm "
				    "(1..%d characters)", optarg,
				    TRACE_COMM_LEN - 1);
		c->tasks[c->ntasks++] = optarg;
		break;
	case OPT_EXPLAIN:
		if (!*optarg || strlen(optarg) >= TRACE_COMM_LEN)
			return cli_fail("--explain", "'%s' is not a comm "
				    "(1..%d characters)", optarg,
				    TRACE_COMM_LEN - 1);
		c->explain = optarg;
		break;
	case OPT_SEED:
		if (!parse_u64(optarg, 0, UINT64_MAX, &c->seed))
			return cli_fail("--seed", "'%s' is not an unsigned "
				    "integer", optarg);
		break;
	case OPT_TIMER:
		if (strcmp(optarg, "anchor") &&
		    strcmp(optarg, "relative"))
			return cli_fail("--timer", "'%s': expected anchor "
				    "or relative", optarg);
		c->relative = !strcmp(optarg, "relative");
		break;
	case OPT_TOP:
		if (!parse_u64(optarg, 0, MAX_SHOW, &v))
			return cli_fail("--top", "'%s' is not a count "
				    "(0..%d)", optarg, MAX_SHOW);
		c->top = (long)v;
		break;
	case OPT_WAKE_COST:
	case OPT_TIMER_COST:
	case OPT_PREEMPT_COST:
		if (!parse_ns(optarg, &v) || v > 1000000000ull)
			return cli_fail(name, "'%s' is not a "
				    "duration up to 1s (ns, or with "
				    "us/ms/s)", optarg);
		*(opt == OPT_WAKE_COST ? &c->wake_cost :
		  opt == OPT_TIMER_COST ? &c->timer_cost :
		  &c->preempt_cost) = (int64_t)v;
		break;
	case OPT_PREEMPT_MODEL: {
		static const char *const names[] = {
			[PREEMPT_MODEL_NONE] = "none",
			[PREEMPT_MODEL_VOLUNTARY] = "voluntary",
			[PREEMPT_MODEL_FULL] = "full",
			[PREEMPT_MODEL_LAZY] = "lazy",
		};

		c->preempt_model = -1;
		for (int k = 0; k < 4; k++)
			if (!strcmp(optarg, names[k]))
				c->preempt_model = k;
		if (c->preempt_model < 0)
			return cli_fail("--preempt-model", "'%s' is not none, "
					"voluntary, full or lazy", optarg);
		break;
	}
	case OPT_TICK:
		if (!parse_ns(optarg, &v) || v > 1000000000ull)
			return cli_fail("--tick", "'%s' is not a duration "
				    "up to 1s (0: slices end exactly)",
				    optarg);
		c->tick = v;
		c->tick_set = true;
		break;
	case OPT_HOST:
		if (strcmp(optarg, "kernel") && strcmp(optarg, "scxlive"))
			return cli_fail("--host", "'%s': expected kernel or "
					"scxlive", optarg);
		c->host = optarg;
		break;
	case OPT_LIVE_COST: {
		char err[512];

		if (live_cost_apply(&c->live, optarg, err, sizeof(err)))
			return cli_fail("--live-cost", "%s", err);
		break;
	}
	default: {
		int r = parse_tune_opt(c, opt);

		if (r != 1)
			return r;
		return cli_fail(optopt ? (char[]){ '-', (char)optopt, 0 } : name,
			    "unknown option (see --help)");
	}
	}
	return 0;
}

/*
 * What the mode allows: one TRACE, or several with --tune (which replays
 * eevdf for its baseline and the tuned policy, nothing else), or none with
 * --sweep (its traces are in the spec).
 */
static int mode_args(struct cli *c, int argc, char **argv)
{
	static char tuned[64];

	if (c->tune && c->sweep)
		return cli_fail("--tune", "and --sweep are separate runs");
	if (c->nshards > 1 && !c->sweep)
		return cli_fail("--shard", "only with --sweep");
	if (c->sweep) {
		if (c->nparams)
			return cli_fail("-p", "does not apply to --sweep: "
					"give values in the spec");
		if (optind != argc)
			return cli_fail("--sweep", "takes its traces from the "
					"spec, not the command line");
		return 0;
	}
	if (optind >= argc)
		return cli_fail("usage", "no TRACE given (see --help)");
	if (!c->tune && optind != argc - 1)
		return cli_fail("usage", "one TRACE only (see --help)");
	c->path = argv[optind];
	c->paths = argv + optind;
	c->npaths = (size_t)(argc - optind);
	if (!c->workers) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		c->workers = n < 1 ? 1 : n > 64 ? 64 : (uint32_t)n;
	}
	if (!c->tune)
		return 0;
	if (strcmp(c->policies, "eevdf,lowlat"))
		return cli_fail("--tune", "-P does not apply: the tuned "
				"policy is --tune's, the baseline eevdf");
	if (!cli_find_policy(c, c->tune))
		return cli_fail("--tune", "no policy named '%s' (see "
				"--list-policies)", c->tune);
	snprintf(tuned, sizeof(tuned), "eevdf,%s", c->tune);
	c->policies = tuned;
	return 0;
}

/*
 * --timeline DIR must be a directory scxsim can write, checked before the
 * read; --explain replays one policy (eevdf unless -P says) and prints to
 * stdout, so not beside --json - or the --tune and --sweep runs.
 */
static int timeline_explain_args(struct cli *c)
{
	char err[256];

	if ((c->timeline_dir || c->explain) && (c->tune || c->sweep))
		return cli_fail(c->tune ? "--tune" : "--sweep", "writes no "
				"timelines and explains nothing: run those "
				"on their own");
	if (c->timeline_dir &&
	    timeline_dir_check(c->timeline_dir, err, sizeof(err)))
		return cli_fail(c->timeline_dir, "%s", err);
	if (!c->explain)
		return 0;
	if (c->json && !strcmp(c->json, "-"))
		return cli_fail("--explain", "prints to stdout: give --json a "
				"file");
	if (!c->policies_set)
		c->policies = "eevdf";
	return 0;
}

void cli_free(struct cli *c)
{
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	c->nfiles = 0;
}

/* 0 to go on, 2 on a bad option, -1 when done (help/version/list). */
int cli_parse_args(struct cli *c, int argc, char **argv)
{
	int opt;

	c->policies = "eevdf,lowlat";
	c->seed = 1;
	c->top = DEFAULT_TOP;
	c->wake_cost = -1;
	c->timer_cost = -1;
	c->preempt_cost = -1;
	c->preempt_model = -1;
	c->tick = DEFAULT_TICK_NS;
	live_cost_default(&c->live);
	c->within = 1.05;
	c->evals = 600;
	c->nshards = 1;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":P:p:c:t:o:hV", long_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'P':
			c->policies = optarg;
			c->policies_set = true;
			break;
		case 'p':
			if (optarg[0] == '@') {
				if (param_file(c, optarg + 1))
					return 2;
				break;
			}
			if (c->nparams == sizeof(c->params) / sizeof(*c->params))
				return cli_fail("-p", "too many parameters");
			c->params[c->nparams++] = optarg;
			break;
		case 'o':
			c->out = optarg;
			break;
		case OPT_TUNE:
			c->tune = optarg;
			break;
		case OPT_SWEEP:
			c->sweep = optarg;
			break;
		case OPT_NO_BOUND:
			c->no_bound = true;
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
		case OPT_TIMELINE:
			c->timeline_dir = optarg;
			break;
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
			return cli_fail(argv[optind - 1], "needs a value (see "
				    "--help)");
		default:
			if (parse_value_opt(c, opt, argv[optind - 1]))
				return 2;
		}
	}
	if (mode_args(c, argc, argv) || timeline_explain_args(c))
		return 2;
	if (parse_policies(c))
		return 2;
	if (c->explain && c->npol != 1)
		return cli_fail("--explain", "compares the trace with one "
				"policy: name it with -P (default eevdf)");
	for (size_t i = 0; i < c->nparams; i++)
		if (apply_param(c, c->params[i]))
			return 2;
	c->so = (struct session_opts){
		.cpus = c->cpus, .seed = c->seed, .relative = c->relative,
		.wake_cost = c->wake_cost, .timer_cost = c->timer_cost,
		.preempt_cost = c->preempt_cost,
		.preempt_model = c->preempt_model, .tick = c->tick,
		.tick_set = c->tick_set,
	};
	return 0;
}
