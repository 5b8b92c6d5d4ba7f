// SPDX-License-Identifier: GPL-2.0
/*
 * check_budgets: the policy regression test. For each budget file it
 * replays traces/<trace>.dat in-process through scxsim_main() (the very
 * code path of the scxsim command, plus the broken `inverted` policy that
 * only tests can name), reads the --json result back, and checks every
 * budget line against it.
 *
 * Output: one line per budget for people (trace, policy, comm, figure,
 * measured, budget, PASS/FAIL) and TAP lines for tests/summary. A budget
 * whose comm or policy is missing from the replay FAILS: a renamed task
 * must not turn a regression test into a silent pass. Each `must-fail`
 * variant is replayed in its policy's place and must FAIL at least one of
 * that policy's budgets, or the budgets are too loose to catch anything.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/policy/budget.h"
#include "tests/policy/inverted.h"
#include "tests/policy/json.h"
#include "tests/policy/replay.h"

static const char help_fmt[] =
"Usage: %s [--traces DIR] [--tap FILE] [--invalid BAD]... [-v] BUDGET...\n"
"Replay DIR/TRACE.dat (default DIR: traces) for each TRACE.budget and check\n"
"its budgets; write TAP lines to FILE as well. Each --invalid BAD budget\n"
"file must be rejected by the reader (a test of the reader itself).\n"
"Exit status: 0 all budgets met, 1 some failed, 2 bad budget file or trace.\n";

static const struct policy_ops *const extra_policies[] = {
	&policy_inverted_ops, NULL,
};

static FILE *tap;
static int tap_n;
static bool verbose;

static void tap_line(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void tap_line(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!tap)
		return;
	fprintf(tap, "%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vfprintf(tap, fmt, ap);
	va_end(ap);
	fputc('\n', tap);
	fflush(tap);
}

/* Add name to the comma list unless it is there or is `recorded`. */
static void want_policy(char *list, size_t len, const char *name)
{
	char pad[BUDGET_NAME_LEN + 2];
	char look[1024];

	if (!strcmp(name, "recorded"))
		return;
	snprintf(pad, sizeof(pad), ",%s,", name);
	snprintf(look, sizeof(look), ",%s,", list);
	if (strstr(look, pad))
		return;
	if (list[0])
		strncat(list, ",", len - strlen(list) - 1);
	strncat(list, name, len - strlen(list) - 1);
}

/*
 * Check one line with `policy` standing in for the line's own. Prints the
 * people's line (prefixed for a variant); returns true on PASS.
 */
static bool check_line(const struct budget_file *bf, const struct json *doc,
		       const struct budget_line *bl, const char *policy,
		       const char *prefix, char *desc, size_t desclen)
{
	char val[32], lim[32], budget[96];
	const char *why = NULL;
	double v = 0, ref = 0, limit = bl->limit;
	bool have = replay_figure(doc, policy, bl->comm, bl->figure, &v, &why);
	bool ok;

	if (have && bl->ref[0] &&
	    !replay_figure(doc, bl->ref, bl->comm, bl->figure, &ref, &why))
		have = false;
	if (bl->ref[0])
		limit = bl->limit * ref;
	budget_fmt(val, sizeof(val), v, bl->is_time);
	budget_fmt(lim, sizeof(lim), limit, bl->is_time);
	if (bl->ref[0])
		snprintf(budget, sizeof(budget), "%s %g x %s (%s)",
			 budget_op_str(bl->op), bl->limit, bl->ref, lim);
	else
		snprintf(budget, sizeof(budget), "%s %s", budget_op_str(bl->op), lim);
	ok = have && budget_holds(bl->op, v, limit);
	snprintf(desc, desclen, "%s: %s %s %s %s %s", bf->trace, policy,
		 bl->comm, bl->figure, have ? val : "-", budget);
	printf("%s%-12s %-10s %-14s %-14s %12s  %-32s %s%s%s\n", prefix,
	       bf->trace, policy, bl->comm, bl->figure, have ? val : "-",
	       budget, ok ? "PASS" : "FAIL", have ? "" : ": ", have ? "" : why);
	return ok;
}

/*
 * A file the reader must refuse, with a message that names the file (and
 * the line, when one line is at fault). 0 when it does.
 */
static int check_invalid(const char *path)
{
	struct budget_file bf;
	char err[512];
	bool refused = budget_read(path, &bf, err, sizeof(err)) != 0;
	bool named = refused && !strncmp(err, path, strlen(path));

	if (!refused)
		budget_free(&bf);
	printf("%-60s %s%s%s\n", path, refused && named ? "rejected: " : "FAIL: ",
	       refused ? err : "accepted", refused && !named ?
	       " (message does not name the file)" : "");
	tap_line(refused && named, "bad budget %s is rejected (%s)", path,
		 refused ? err : "accepted");
	return !(refused && named);
}

/* 0 all passed, 1 some failed, 2 could not check. */
static int check_file(const char *path, const char *dir)
{
	char err[512], trace[512], policies[1024] = "", desc[256];
	struct budget_file bf;
	struct json *doc;
	int failed = 0;

	if (budget_read(path, &bf, err, sizeof(err))) {
		fprintf(stderr, "check_budgets: %s\n", err);
		tap_line(false, "%s: budget file does not parse", path);
		return 2;
	}
	snprintf(trace, sizeof(trace), "%s/%s.dat", dir, bf.trace);
	if (access(trace, R_OK)) {
		fprintf(stderr, "check_budgets: %s: %s (named by %s)\n", trace,
			strerror(errno), path);
		tap_line(false, "%s: trace %s missing", bf.trace, trace);
		budget_free(&bf);
		return 2;
	}
	for (size_t i = 0; i < bf.nlines; i++) {
		want_policy(policies, sizeof(policies), bf.lines[i].policy);
		if (bf.lines[i].ref[0])
			want_policy(policies, sizeof(policies), bf.lines[i].ref);
	}
	for (size_t i = 0; i < bf.nvariants; i++)
		want_policy(policies, sizeof(policies), bf.variants[i].name);
	if (!policies[0])
		strcpy(policies, "recorded");

	doc = replay(trace, policies, extra_policies, verbose);
	if (!doc) {
		tap_line(false, "%s: replay under %s", bf.trace, policies);
		budget_free(&bf);
		return 2;
	}
	/* A budget met by a replay that broke the engine's own invariants
	 * (work conservation, every burst served) would mean nothing. */
	for (const struct json *r = json_get(doc, "results") ?
	     json_get(doc, "results")->child : NULL; r; r = r->next) {
		const struct json *chk = json_get(r, "checks"),
				  *ok = json_get(chk, "ok"),
				  *p = json_get(r, "policy"), *why;

		if (!chk || !p || p->type != JSON_STR)
			continue;
		why = json_get(chk, "first_violation");
		printf("%-12s %-10s replay checks: %s%s%s\n", bf.trace, p->str,
		       ok && ok->num ? "ok" : "FAILED",
		       ok && ok->num ? "" : ": ",
		       ok && ok->num ? "" : why && why->str ? why->str : "?");
		tap_line(ok && ok->type == JSON_BOOL && ok->num,
			 "%s: %s replay passes the engine's checks", bf.trace, p->str);
		failed += !(ok && ok->num);
	}
	for (size_t i = 0; i < bf.nlines; i++) {
		bool ok = check_line(&bf, doc, &bf.lines[i], bf.lines[i].policy,
				     "", desc, sizeof(desc));

		tap_line(ok, "%s", desc);
		failed += !ok;
	}
	for (size_t k = 0; k < bf.nvariants; k++) {
		const struct budget_variant *var = &bf.variants[k];
		size_t fails = 0, tried = 0;

		for (size_t i = 0; i < bf.nlines; i++) {
			if (strcmp(bf.lines[i].policy, var->as))
				continue;
			tried++;
			fails += !check_line(&bf, doc, &bf.lines[i], var->name,
					     "  broken: ", desc, sizeof(desc));
		}
		printf("broken variant '%s' in place of %s fails %zu of %zu "
		       "budgets of %s (it must fail at least one)\n",
		       var->name, var->as, fails, tried, bf.trace);
		tap_line(fails > 0, "broken variant '%s' fails %zu budgets of %s",
			 var->name, fails, bf.trace);
		failed += fails == 0;
	}
	json_free(doc);
	budget_free(&bf);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "traces", required_argument, NULL, 'T' },
		{ "tap", required_argument, NULL, 'o' },
		{ "invalid", required_argument, NULL, 'x' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *dir = "traces", *tap_path = NULL, *invalid[64];
	int c, worst = 0, ninvalid = 0, first;

	while ((c = getopt_long(argc, argv, "T:o:x:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'T':
			dir = optarg;
			break;
		case 'o':
			tap_path = optarg;
			break;
		case 'x':
			if (ninvalid == 64) {
				fprintf(stderr, "check_budgets: too many --invalid files\n");
				return 2;
			}
			invalid[ninvalid++] = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			printf(help_fmt, argv[0]);
			return 0;
		default:
			fprintf(stderr, help_fmt, argv[0]);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "check_budgets: no budget files given (see --help)\n");
		return 2;
	}
	if (tap_path && !(tap = fopen(tap_path, "w"))) {
		fprintf(stderr, "check_budgets: %s: %s\n", tap_path, strerror(errno));
		return 2;
	}
	for (int i = 0; i < ninvalid; i++)
		if (check_invalid(invalid[i]))
			worst = worst > 1 ? worst : 1;
	printf("%-12s %-10s %-14s %-14s %12s  %-32s %s\n", "trace",
	       "policy", "comm", "figure", "measured", "budget", "result");
	/* scxsim_main() resets optind: remember where the files start. */
	first = optind;
	for (int i = first; i < argc; i++) {
		int rc = check_file(argv[i], dir);

		if (rc > worst)
			worst = rc;
	}
	if (tap) {
		fprintf(tap, "1..%d\n", tap_n);
		fclose(tap);
	}
	return worst;
}
