// SPDX-License-Identifier: GPL-2.0
/*
 * --tune and --sweep as users meet them, through $SCX_BUILD/scxsim: the
 * tuned file replays (scxsim -p @FILE) to exactly the figure the tuner
 * reported, never worse than the defaults and within the constraint; the
 * search gives the same winner on 1 and 2 workers; a sweep cut into shards
 * and run by GNU parallel on 2 job slots gives the same lines, and the
 * same merged table, as the whole sweep in one process; bad options and
 * files get exit 2 and one line.
 */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/suites.h"

#define SMALL	"tests/fixtures/dat/small-v7.dat"
#define PERF	"tests/fixtures/perf-sched-record.data"
#define SERVER	"traces/server.dat"

static char dir[64];

static const char *bin(void)
{
	static char path[512];
	const char *b = getenv("SCX_BUILD");

	snprintf(path, sizeof(path), "%s/scxsim", b ? b : "build");
	ck_assert_msg(access(path, X_OK) == 0, "%s is not built", path);
	return path;
}

/* Run a shell command (printf-style); its stdout in *out, the status back. */
static int sh(char **out, const char *fmt, ...)
{
	char cmd[4096], *buf = NULL;
	size_t len = 0;
	va_list ap;
	FILE *p, *m;
	int c, st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	m = open_memstream(&buf, &len);
	while ((c = fgetc(p)) != EOF)
		fputc(c, m);
	fclose(m);
	st = pclose(p);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/scx-tune-cli.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	sh(NULL, "rm -rf '%s'", dir);
}

/* A number jq finds in a JSON file (-1 when absent). */
static double jq_num(const char *file, const char *filter, const char *comm)
{
	char *out;
	double v;

	ck_assert_int_eq(sh(&out, "jq -r --arg c '%s' '%s' '%s'", comm, filter,
			    file), 0);
	v = *out && strcmp(out, "null\n") ? atof(out) : -1;
	free(out);
	return v;
}

/* "# trace T: focus F, CPU-bound B, host H" -> F and B. */
static void comms(const char *params, char *focus, char *busy)
{
	char *out;

	ck_assert_int_eq(sh(&out, "sed -n 's/^# trace .*: focus \\(.*\\), "
			    "CPU-bound \\([^,]*\\), host .*$/\\1 \\2/p' '%s'", params), 0);
	ck_assert_int_eq(sscanf(out, "%63s %63s", focus, busy), 2);
	free(out);
}

/*
 * Tune on trace with host ("" : the default, scxlive; or "--host kernel")
 * for evals configurations, then replay the winner's file and the
 * defaults on that same host. The winner does at least as well as the
 * defaults on the objective when the defaults meet the constraints, and
 * meets them (or says NOT MET) when they do not. corpus: a trace whose
 * chosen comm never waited may be refused (exit 2, one line); 1: skipped.
 */
static int tuned_replays(const char *trace, const char *host, int evals,
			 bool corpus)
{
	char params[128], j0[128], j1[128], focus[64], busy[64], *out;
	const char *p99 = ".results[] | select(.policy==\"lowlat\") | "
			  ".comms[] | select(.comm==$c) | .p99_ns";
	const char *done = ".results[] | select(.policy==\"%s\") | "
			   ".comms[] | select(.comm==$c) | .completion_ns";
	char dl[256], de[256];
	double said, def, tuned, ev, ll;
	bool none, dbad;
	int rc;

	snprintf(params, sizeof(params), "%s/lowlat.params", dir);
	snprintf(j0, sizeof(j0), "%s/defaults.json", dir);
	snprintf(j1, sizeof(j1), "%s/tuned.json", dir);
	rc = sh(&out, "%s --tune lowlat %s --evals %d -o %s %s 2>&1", bin(),
		host, evals, params, trace);
	if (corpus && rc == 2 && strstr(out, "has no wakeups to tune for")) {
		free(out);
		return 1;
	}
	ck_assert_msg(rc == 0, "%s: --tune exit %d: %s", trace, rc, out);
	ck_assert_ptr_nonnull(strstr(out, "Pareto front"));
	/* the defaults are among the points tried, and shown */
	ck_assert(strstr(out, "  d ") || strstr(out, " *d "));
	none = strstr(out, "No configuration met") != NULL;
	dbad = none || strstr(out, "(the defaults break a constraint)");
	free(out);
	/* --tune tunes the policy's decisions on the host it replays */
	ck_assert_int_eq(sh(NULL, "%s %s -p @%s --json %s %s >/dev/null",
			    bin(), host, params, j1, trace), 0);
	ck_assert_int_eq(sh(NULL, "%s %s --json %s %s >/dev/null", bin(),
			    host, j0, trace), 0);
	comms(params, focus, busy);
	ck_assert_int_eq(sh(&out, "sed -n 's/.*(\\([0-9]*\\) ns,.*/\\1/p' "
			    "'%s'", params), 0);
	said = atof(out);
	free(out);
	def = jq_num(j0, p99, focus);
	tuned = jq_num(j1, p99, focus);
	/* the file replays to exactly what the tuner said it would */
	ck_assert_msg(tuned == said, "%s: tuner said %.0f, replay %.0f",
		      trace, said, tuned);
	if (!dbad)
		ck_assert_msg(tuned <= def, "%s: tuned %.0f > defaults %.0f",
			      trace, tuned, def);
	/* NOT MET only when nothing tried met the constraints */
	ck_assert_int_eq(!sh(NULL, "grep -q 'NOT MET' %s", params), none);
	if (none || !strcmp(busy, "-"))
		return 0;
	snprintf(dl, sizeof(dl), done, "lowlat");
	snprintf(de, sizeof(de), done, "eevdf");
	ll = jq_num(j1, dl, busy);
	ev = jq_num(j1, de, busy);
	if (ev < 0)	/* it never waited under eevdf: no completion to hold */
		return 0;
	ck_assert_msg(ll <= 1.05 * ev, "%s: %s done %.0f vs eevdf %.0f",
		      trace, busy, ll, ev);
	return 0;
}

START_TEST(tuned_small)
{
	tuned_replays(SMALL, "", 120, false);
}
END_TEST

START_TEST(tuned_perf)
{
	tuned_replays(PERF, "", 120, false);
}
END_TEST

START_TEST(tuned_server)
{
	tuned_replays(SERVER, "", 120, false);
}
END_TEST

START_TEST(tuned_server_kernel)
{
	tuned_replays(SERVER, "--host kernel", 120, false);
}
END_TEST

/* "On any trace": every corpus trace, a short search each. */
START_TEST(tuned_corpus)
{
	char *list, *save = NULL;
	int tuned = 0, skipped = 0;

	ck_assert_int_eq(sh(&list, "ls tests/fixtures/corpus/*.dat "
			    "tests/fixtures/corpus/*.data.gz"), 0);
	for (char *t = strtok_r(list, "\n", &save); t;
	     t = strtok_r(NULL, "\n", &save)) {
		if (tuned_replays(t, "", 40, true))
			skipped++;
		else
			tuned++;
	}
	free(list);
	/* a refusal is for a trace with nothing to tune, not the rule */
	ck_assert_msg(tuned >= 3 * skipped && tuned >= 10,
		      "%d corpus traces tuned, %d refused", tuned, skipped);
}
END_TEST

START_TEST(same_on_any_workers)
{
	char *a, *b;

	ck_assert_int_eq(sh(NULL, "%s --tune lowlat --evals 150 --workers 1 "
			    "-o %s/w1 %s >/dev/null", bin(), dir, SERVER), 0);
	ck_assert_int_eq(sh(NULL, "%s --tune lowlat --evals 150 --workers 2 "
			    "-o %s/w2 %s >/dev/null", bin(), dir, SERVER), 0);
	ck_assert_int_eq(sh(&a, "cat %s/w1", dir), 0);
	ck_assert_int_eq(sh(&b, "cat %s/w2", dir), 0);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(fixed_and_plot)
{
	char *out;

	/* -p fixes a key: the winner keeps it; --plot draws the front */
	ck_assert_int_eq(sh(&out, "%s --tune lowlat --evals 60 -p "
			    "lowlat.slice_max=3ms -o %s/f --plot %s/f.svg %s",
			    bin(), dir, dir, SMALL), 0);
	free(out);
	ck_assert_int_eq(sh(NULL, "grep -qx 'lowlat.slice_max=3000000' %s/f",
			    dir), 0);
	ck_assert_int_eq(sh(&out, "grep -c 'class=\"front-point\"' %s/f.svg",
			    dir), 0);
	ck_assert_int_ge(atoi(out), 1);
	free(out);
	ck_assert_int_eq(sh(NULL, "grep -q 'class=\"winner\"' %s/f.svg", dir),
			 0);
}
END_TEST

static void spec(const char *name)
{
	ck_assert_int_eq(sh(NULL, "printf '%%s\\n' '# two traces' "
			    "'trace %s' 'trace %s' 'policy eevdf' "
			    "'policy lowlat' 'param lowlat.slice_max=1ms,5ms' "
			    "'param lowlat.boost=0,50,100' > %s/%s", SMALL,
			    SERVER, dir, name), 0);
}

START_TEST(sweep_shards_parallel)
{
	char *whole, *parts, *t1, *t2;

	spec("spec");
	/* one process, every job */
	ck_assert_int_eq(sh(NULL, "%s --sweep %s/spec --json %s/all.jsonl",
			    bin(), dir, dir), 0);
	ck_assert_int_eq(sh(&whole, "wc -l < %s/all.jsonl", dir), 0);
	ck_assert_int_eq(atoi(whole), 2 * (1 + 2 * 3));
	free(whole);
	/* five shards on GNU parallel's 2 job slots */
	ck_assert_int_eq(sh(NULL, "parallel --will-cite -j2 %s --sweep %s/spec "
			    "--shard {}/5 --json %s/shard-{}.jsonl ::: 0 1 2 3 4",
			    bin(), dir, dir), 0);
	ck_assert_int_eq(sh(&whole, "sort %s/all.jsonl | sed 's/\"shard\":"
			    "\"[0-9]*\\/[0-9]*\",//'", dir), 0);
	ck_assert_int_eq(sh(&parts, "cat %s/shard-*.jsonl | sort | sed "
			    "'s/\"shard\":\"[0-9]*\\/[0-9]*\",//'", dir), 0);
	ck_assert_str_eq(whole, parts);
	free(whole);
	free(parts);
	ck_assert_int_eq(sh(&t1, "jq -s -r -f sim/tune/merge.jq %s/all.jsonl",
			    dir), 0);
	ck_assert_int_eq(sh(&t2, "cat %s/shard-*.jsonl | jq -s -r -f "
			    "sim/tune/merge.jq", dir), 0);
	ck_assert_str_eq(t1, t2);
	ck_assert_ptr_nonnull(strstr(t1, "sweep: 14 of 14 jobs\n"));
	free(t1);
	free(t2);
	/* a missing shard is said */
	ck_assert_int_eq(sh(&t1, "cat %s/shard-[0-3].jsonl | jq -s -r -f "
			    "sim/tune/merge.jq | head -n1", dir), 0);
	ck_assert_ptr_nonnull(strstr(t1, "a shard is missing"));
	free(t1);
}
END_TEST

START_TEST(sweep_matches_replay)
{
	double sw, rp;
	char f[128];

	/* the sweep's eevdf job gives scxsim's own eevdf figures */
	spec("spec");
	ck_assert_int_eq(sh(NULL, "%s --sweep %s/spec --shard 0/7 --json "
			    "%s/s.jsonl", bin(), dir, dir), 0);
	ck_assert_int_eq(sh(NULL, "%s -P eevdf --json %s/r.json %s "
			    ">/dev/null", bin(), dir, SMALL), 0);
	snprintf(f, sizeof(f), "%s/s.jsonl", dir);
	sw = jq_num(f, "select(.job==0) | .focus_p99_ns", "");
	snprintf(f, sizeof(f), "%s/r.json", dir);
	rp = jq_num(f, ".results[] | select(.policy==\"eevdf\") | .comms[] | "
		    "select(.comm==\"dt-compositor\") | .p99_ns", "");
	ck_assert(sw > 0);
	ck_assert_msg(sw == rp, "sweep %.0f, replay %.0f", sw, rp);
}
END_TEST

/* Exit 2 and exactly one line naming what is wrong. */
static void refused(const char *args, const char *what)
{
	char *err;

	ck_assert_int_eq(sh(&err, "%s %s 2>&1 >/dev/null; echo rc=$?", bin(),
			    args), 0);
	ck_assert_msg(strstr(err, "rc=2\n"), "%s: %s", args, err);
	ck_assert_msg(!strncmp(err, "scxsim: ", 8) && strstr(err, what),
		      "%s: want %s, got %s", args, what, err);
	ck_assert_msg(strchr(err, '\n') == strstr(err, "rc=") - 1,
		      "%s: more than one line: %s", args, err);
	free(err);
}

START_TEST(bad_tune_options)
{
	char args[512];

	refused("--tune nosuch " SMALL, "--tune: no policy named");
	refused("--tune lowlat --within 0.5 " SMALL, "--within");
	refused("--tune lowlat --figure p42 " SMALL, "--figure");
	refused("--tune lowlat --evals 0 " SMALL, "--evals");
	refused("--tune lowlat -t nosuchcomm " SMALL, "no wakeups");
	refused("--tune lowlat --busy nosuchcomm " SMALL, "--busy");
	refused("--tune lowlat -P fifo " SMALL, "-P does not apply");
	refused("--shard 1/2 " SMALL, "--shard");
	refused("--sweep x --shard 2/2", "--shard");
	refused("--sweep /nonexistent/spec", "cannot open");
	refused("-p @/nonexistent/p " SMALL, "cannot open");
	ck_assert_int_eq(sh(NULL, "printf 'lowlat.boost=1\\nboost=2\\n' > "
			    "%s/bad.params", dir), 0);
	snprintf(args, sizeof(args), "-p @%s/bad.params " SMALL, dir);
	refused(args, "line 2");
	ck_assert_int_eq(sh(NULL, "printf 'lowlat.boost=1000\\n' > "
			    "%s/range.params", dir), 0);
	snprintf(args, sizeof(args), "-p @%s/range.params " SMALL, dir);
	refused(args, "out of range");
	/* a bad trace among several: named, and no parameter file written */
	snprintf(args, sizeof(args), "--tune lowlat -o %s/none.params "
		 SMALL " /nonexistent.dat", dir);
	refused(args, "/nonexistent.dat");
	ck_assert_int_ne(sh(NULL, "test -e %s/none.params", dir), 0);
}
END_TEST

Suite *tune_cli_suite(void)
{
	Suite *s = suite_create("tune_cli");
	TCase *tc = tcase_create("cli");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, tuned_small);
	tcase_add_test(tc, tuned_perf);
	tcase_add_test(tc, tuned_server);
	tcase_add_test(tc, tuned_server_kernel);
	tcase_add_test(tc, tuned_corpus);
	tcase_add_test(tc, same_on_any_workers);
	tcase_add_test(tc, fixed_and_plot);
	tcase_add_test(tc, sweep_shards_parallel);
	tcase_add_test(tc, sweep_matches_replay);
	tcase_add_test(tc, bad_tune_options);
	suite_add_tcase(s, tc);
	return s;
}
