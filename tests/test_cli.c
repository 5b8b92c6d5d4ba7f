// SPDX-License-Identifier: GPL-2.0
/*
 * scxsim's command line, run in-process through scxsim_main() with stdout
 * and stderr captured: bad input and bad options end in exit status 2 and
 * exactly one line naming what is wrong; outputs are all-or-nothing; the
 * same input and seed give the same bytes; JSON, CSV and SVG carry the same
 * numbers; a broken policy (passed as an extra) is caught by the checks.
 */
#include <check.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli.h"
#include "tests/sim_run.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define FIXTURE		"tests/fixtures/dat/small-v7.dat"
#define PERF_FIXTURE	"tests/fixtures/perf-sched-record.data"
/* recorded without sched_stat_runtime (in the guest, under EEVDF) */
#define NO_RUNTIME_FIXTURE "tests/fixtures/vm/frameloop-hog-eevdf.dat"

static const struct policy_ops *const extras[] = { &test_lose_ops, NULL };

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");

	return f ? read_stream(f, len) : NULL;
}

/* scxsim with the broken test policy available, as every case here runs it. */
static struct sim_run run(const char *const *args)
{
	return sim_run(args, extras);
}

/* Exit 2, one line on stderr starting with "scxsim: WHAT: ". */
static void expect_error(const char *const *args, const char *what)
{
	struct sim_run r = run(args);
	char prefix[512];

	snprintf(prefix, sizeof(prefix), "scxsim: %s: ", what);
	ck_assert_msg(r.rc == 2, "%s: exit %d, stderr %s", what, r.rc, r.err);
	ck_assert_msg(r.err_lines == 1, "%s: %d lines: %s", what, r.err_lines,
		      r.err);
	ck_assert_msg(!strncmp(r.err, prefix, strlen(prefix)),
		      "expected '%s...', got %s", prefix, r.err);
	ck_assert_str_eq(r.out, "");
	sim_run_free(&r);
}

START_TEST(bad_options)
{
	const struct policy_param *p = &policy_find("eevdf")->params[0];
	char range[128], value[128];

	snprintf(range, sizeof(range), "eevdf.%s=%" PRId64, p->name,
		 p->max + 1);
	snprintf(value, sizeof(value), "eevdf.%s=many", p->name);
	expect_error((const char *[]){ "--bogus", FIXTURE, NULL }, "--bogus");
	expect_error((const char *[]){ "-c", "0", FIXTURE, NULL }, "--cpus");
	expect_error((const char *[]){ "-c", "100000", FIXTURE, NULL },
		     "--cpus");
	expect_error((const char *[]){ "--cpus=2x", FIXTURE, NULL }, "--cpus");
	expect_error((const char *[]){ "-P", "nosuch", FIXTURE, NULL }, "-P");
	expect_error((const char *[]){ "-p", "eevdf.nokey=1", FIXTURE, NULL },
		     "-p");
	expect_error((const char *[]){ "-p", range, FIXTURE, NULL }, "-p");
	expect_error((const char *[]){ "-p", value, FIXTURE, NULL }, "-p");
	expect_error((const char *[]){ "-P", "eevdf", "-p", "lowlat.x=1",
				       FIXTURE, NULL }, "-p");
	expect_error((const char *[]){ "-p", "noequals", FIXTURE, NULL }, "-p");
	expect_error((const char *[]){ "--timer", "sometimes", FIXTURE, NULL },
		     "--timer");
	expect_error((const char *[]){ "--seed", "-1", FIXTURE, NULL },
		     "--seed");
	expect_error((const char *[]){ "--json", NULL }, "--json");
	expect_error((const char *[]){ NULL }, "usage");
	expect_error((const char *[]){ FIXTURE, FIXTURE, NULL }, "usage");
}
END_TEST

START_TEST(bad_inputs)
{
	const char *empty = "/tmp/scxsim-test-empty";
	const char *text = "/tmp/scxsim-test-text";
	const char *cut = "/tmp/scxsim-test-cut.data";
	const char *missing = "/tmp/scxsim-test-no-such-file";
	size_t len;
	char *buf = slurp(PERF_FIXTURE, &len);
	FILE *f;

	ck_assert_ptr_nonnull(buf);
	f = fopen(empty, "w");
	fclose(f);
	f = fopen(text, "w");
	fputs("hello, this is not a trace\n", f);
	fclose(f);
	f = fopen(cut, "w");
	fwrite(buf, 1, len / 2, f);
	fclose(f);
	free(buf);
	expect_error((const char *[]){ missing, NULL }, missing);
	expect_error((const char *[]){ empty, NULL }, empty);
	expect_error((const char *[]){ text, NULL }, text);
	expect_error((const char *[]){ cut, NULL }, cut);
	expect_error((const char *[]){ "-P", "recorded", cut, NULL }, cut);
	expect_error((const char *[]){ "tests/fixtures/bad/"
				       "dat-v6-cut-in-cpu-data.dat", NULL },
		     "tests/fixtures/bad/dat-v6-cut-in-cpu-data.dat");
	unlink(empty);
	unlink(text);
	unlink(cut);
}
END_TEST

/* Nothing half-written: a failed run leaves an existing output alone. */
START_TEST(atomic_outputs)
{
	const char *json = "/tmp/scxsim-test-keep.json";
	FILE *f = fopen(json, "w");
	char *after;

	fputs("precious\n", f);
	fclose(f);
	expect_error((const char *[]){ "--json", json, "/nonexistent", NULL },
		     "/nonexistent");
	after = slurp(json, NULL);
	ck_assert_str_eq(after, "precious\n");
	free(after);
	unlink(json);
}
END_TEST

START_TEST(help_version_list)
{
	struct sim_run r = run((const char *[]){ "--help", NULL });

	ck_assert_int_eq(r.rc, 0);
	ck_assert_ptr_nonnull(strstr(r.out, "Usage: scxsim"));
	sim_run_free(&r);
	r = run((const char *[]){ "--version", NULL });
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "scxsim " SCX_VERSION "\n");
	sim_run_free(&r);
	r = run((const char *[]){ "--list-policies", NULL });
	ck_assert_int_eq(r.rc, 0);
	for (size_t i = 0; policy_registry[i]; i++) {
		const struct policy_ops *ops = policy_registry[i];
		char line[128];

		ck_assert_ptr_nonnull(strstr(r.out, ops->name));
		for (uint32_t k = 0; k < ops->nr_params; k++) {
			snprintf(line, sizeof(line), "%s.%s=%" PRId64, ops->name,
				 ops->params[k].name, ops->params[k].def);
			ck_assert_msg(strstr(r.out, line), "no '%s'", line);
		}
	}
	sim_run_free(&r);
}
END_TEST

START_TEST(deterministic_json)
{
	const char *a = "/tmp/scxsim-test-a.json", *b = "/tmp/scxsim-test-b.json";
	struct sim_run r;
	char *ja, *jb;

	for (int i = 0; i < 2; i++) {
		r = run((const char *[]){ "--seed", "7", "--json", i ? b : a,
					  FIXTURE, NULL });
		ck_assert_msg(r.rc == 0, "%s", r.err);
		sim_run_free(&r);
	}
	ja = slurp(a, NULL);
	jb = slurp(b, NULL);
	ck_assert_ptr_nonnull(ja);
	ck_assert_str_eq(ja, jb);
	ck_assert_ptr_nonnull(strstr(ja, "\"policy\": \"recorded\""));
	ck_assert_ptr_nonnull(strstr(ja, "\"policy\": \"eevdf\""));
	ck_assert_ptr_nonnull(strstr(ja, "\"policy\": \"lowlat\""));
	ck_assert_ptr_null(strstr(ja, "\"ok\": false"));
	free(ja);
	free(jb);
	unlink(a);
	unlink(b);
}
END_TEST

/* The section of the JSON that belongs to one policy's result. */
static const char *json_section(const char *json, const char *policy,
				const char **end)
{
	char key[64];
	const char *s, *e;

	snprintf(key, sizeof(key), "{ \"policy\": \"%s\"", policy);
	s = strstr(json, key);
	ck_assert_msg(s, "no result for %s", policy);
	e = strstr(s + 1, "{ \"policy\": ");
	*end = e ? e : s + strlen(s);
	return s;
}

/* A number after `key` in s (before `end`), or fail. */
static double attr(const char *s, const char *end, const char *key)
{
	const char *p = strstr(s, key);

	ck_assert_msg(p && p < end, "%s missing from the plot", key);
	return strtod(p + strlen(key), NULL);
}

/*
 * Read one CDF curve back from the SVG (its panel's axis mapping is in the
 * plot box's data- attributes) and check it against a quantile: just below
 * the quantile fewer than q of the wakeups are served, just above at least
 * q are. 3% either side covers the histogram's bucket (<= 1.6% wide).
 */
static void check_cdf(const char *svg, const char *comm, const char *pol,
		      double quantile_ns, double q)
{
	char key[96];
	const char *g, *end, *d;
	double x0, x1, y0, y1, lo, hi, f[2];

	snprintf(key, sizeof(key), "data-comm=\"%s\">", comm);
	g = strstr(svg, key);
	ck_assert_msg(g, "%s: no panel", comm);
	end = strstr(g, "</g>");
	ck_assert_ptr_nonnull(end);
	x0 = attr(g, end, "data-x0=\""), x1 = attr(g, end, "data-x1=\"");
	y0 = attr(g, end, "data-y0=\""), y1 = attr(g, end, "data-y1=\"");
	lo = attr(g, end, "data-lo-ns=\""), hi = attr(g, end, "data-hi-ns=\"");
	snprintf(key, sizeof(key), "data-policy=\"%s\" d=\"M", pol);
	d = strstr(g, key);
	ck_assert_msg(d && d < end, "%s/%s: no curve", pol, comm);
	if (quantile_ns * 0.97 < lo || quantile_ns * 1.03 > hi)
		return;	/* clamped to the edge: nothing to read */
	for (int side = 0; side < 2; side++) {
		double ns = quantile_ns * (side ? 1.03 : 0.97);
		double x = x0 + (x1 - x0) * (log10(ns) - log10(lo)) /
			   (log10(hi) - log10(lo));
		const char *p = d + strlen(key);
		double hx, vy, y = y0;
		char *next;

		strtod(p, &next);	/* M x, */
		y = strtod(next + 1, &next);
		while (sscanf(next, " H%lf V%lf", &hx, &vy) == 2 && hx <= x) {
			y = vy;
			next = strchr(next + 1, 'V') + 1;
			strtod(next, &next);
		}
		f[side] = (y0 - y) / (y0 - y1);
	}
	ck_assert_msg(q >= 1 || f[0] < q + 0.001, "%s/%s: CDF %.4f below "
		      "the p%.0f (%.0f ns)", pol, comm, f[0], q * 100,
		      quantile_ns);
	ck_assert_msg(f[1] > q - 0.001, "%s/%s: CDF %.4f above the p%.0f "
		      "(%.0f ns)", pol, comm, f[1], q * 100, quantile_ns);
}

START_TEST(json_csv_svg_agree)
{
	const char *json = "/tmp/scxsim-test.json", *csv = "/tmp/scxsim-test.csv";
	const char *svg = "/tmp/scxsim-test.svg";
	struct sim_run r = run((const char *[]){ "-P", "eevdf,fifo", "--json", json,
					     "--csv", csv, "--plot", svg,
					     "-t", "frameloop", FIXTURE,
					     NULL });
	char *j, *c, *g, *line, *save = NULL;
	int rows = 0, plotted = 0;

	ck_assert_msg(r.rc == 0, "%s", r.err);
	/* the table shows the same frameloop p99 for each policy */
	ck_assert_ptr_nonnull(strstr(r.out, "frameloop"));
	ck_assert_ptr_nonnull(strstr(r.out, "Verdict: for frameloop"));
	sim_run_free(&r);
	j = slurp(json, NULL), c = slurp(csv, NULL), g = slurp(svg, NULL);
	ck_assert(j && c && g);
	ck_assert_ptr_nonnull(strstr(g, "</svg>"));
	for (line = strtok_r(c, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char pol[32], comm[64], frag[512], title[64];
		unsigned long long v[9];
		const char *s, *e;
		char *comm_at;

		if (!rows++) {
			ck_assert_str_eq(line, "policy,comm,pids,count,avg_ns,"
					 "p50_ns,p90_ns,p99_ns,max_ns,"
					 "runtime_ns,completion_ns");
			continue;
		}
		ck_assert_int_eq(sscanf(line, "%31[^,],%63[^,],%llu,%llu,%llu,"
					"%llu,%llu,%llu,%llu,%llu,%llu", pol,
					comm, &v[0], &v[1], &v[2], &v[3], &v[4],
					&v[5], &v[6], &v[7], &v[8]), 11);
		s = json_section(j, pol, &e);
		snprintf(frag, sizeof(frag), "{ \"comm\": \"%s\", \"pids\": [",
			 comm);
		comm_at = strstr(s, frag);
		ck_assert_msg(comm_at && comm_at < e, "%s/%s not in JSON", pol,
			      comm);
		snprintf(frag, sizeof(frag), "\"count\": %llu, \"avg_ns\": %llu, "
			 "\"p50_ns\": %llu, \"p90_ns\": %llu, \"p99_ns\": %llu, "
			 "\"max_ns\": %llu, \"runtime_ns\": %llu, "
			 "\"completion_ns\": %llu", v[1], v[2], v[3], v[4],
			 v[5], v[6], v[7], v[8]);
		ck_assert_msg(strstr(comm_at, frag) &&
			      strstr(comm_at, frag) < strchr(comm_at, '}'),
			      "%s/%s: CSV and JSON differ", pol, comm);
		/* a plotted comm carries its four quantiles as point titles */
		snprintf(frag, sizeof(frag), "font-weight=\"bold\">%s</text>",
			 comm);
		if (strstr(g, frag) && v[1]) {
			static const char *const qn[] = {
				"p50", "p90", "p99", "max",
			};
			static const double qv[] = { 0.5, 0.9, 0.99, 1 };

			for (int q = 3; q <= 6; q++) {
				snprintf(title, sizeof(title),
					 "<title>%s %s: %llu ns</title>", pol,
					 qn[q - 3], v[q]);
				ck_assert_msg(strstr(g, title), "%s/%s: %s "
					      "not plotted", pol, comm, title);
				/* the curve crosses the level at the quantile */
				check_cdf(g, comm, pol, (double)v[q], qv[q - 3]);
			}
			plotted++;
		}
	}
	ck_assert_int_gt(rows, 3);
	ck_assert_int_gt(plotted, 2);
	free(j), free(c), free(g);
	unlink(json), unlink(csv), unlink(svg);
}
END_TEST

/*
 * The table's header says what was replayed: the recording kernel and the
 * eevdf model chosen from it, and a guest's uneven tick as uneven (its
 * median and spread), not as if it were a regular HZ.
 */
START_TEST(table_header)
{
	struct sim_run r = run((const char *[]){ FIXTURE, NULL });

	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "recorded on Linux 7.3.4"));
	ck_assert_ptr_nonnull(strstr(r.out, "eevdf replayed with "
				     "next_buddy=1"));
	ck_assert_ptr_nonnull(strstr(r.out, "uneven tick: median "));
	ck_assert_ptr_null(strstr(r.out, "on a 4.68ms tick"));
	sim_run_free(&r);
	r = run((const char *[]){ "--tick", "4ms", FIXTURE, NULL });
	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "slices end on a 4.00ms tick"));
	ck_assert_ptr_null(strstr(r.out, "uneven"));
	sim_run_free(&r);
	/* a host recording on a 6.18 kernel: regular tick, older model */
	r = run((const char *[]){ PERF_FIXTURE, NULL });
	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "recorded on Linux 6.18."));
	ck_assert_ptr_nonnull(strstr(r.out, "next_buddy=0, its model of "
				     "6.6-6.18"));
	ck_assert_ptr_null(strstr(r.out, "uneven"));
	sim_run_free(&r);
}
END_TEST

/*
 * A trace without sched_stat_runtime (perf's Runtime source): the recorded
 * runtime is the CPU time the switches show, the same in the table, JSON
 * and CSV, and the header and JSON say where it came from.
 */
START_TEST(runtime_without_stat_runtime)
{
	const char *json = "/tmp/scxsim-test-rt.json", *csv = "/tmp/scxsim-test-rt.csv";
	struct sim_run r = run((const char *[]){ "-P", "recorded", "--json", json,
					     "--csv", csv, NO_RUNTIME_FIXTURE,
					     NULL });
	const char *s, *e, *at;
	char *j, *c, *line, *save = NULL;
	unsigned long long rt, cpu, sum = 0;
	int comms = 0;

	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "recorded: as the switches show "
				     "it: the trace has no sched_stat_runtime"));
	sim_run_free(&r);
	j = slurp(json, NULL), c = slurp(csv, NULL);
	ck_assert(j && c);
	ck_assert_ptr_nonnull(strstr(j, "\"runtime_source\": \"switches\""));
	s = json_section(j, "recorded", &e);
	e = strstr(s, "\"tasks\": [");
	for (at = strstr(s, "{ \"comm\": "); at && at < e;
	     at = strstr(at + 1, "{ \"comm\": ")) {
		rt = (unsigned long long)attr(at, strchr(at, '}'),
					      "\"runtime_ns\": ");
		cpu = (unsigned long long)attr(at, strchr(at, '}'),
					       "\"trace_cpu_ns\": ");
		ck_assert_uint_eq(rt, cpu);
		sum += rt, comms++;
	}
	ck_assert_int_gt(comms, 3);
	ck_assert_uint_gt(sum, 0);
	/* the CSV's recorded rows carry the same, non-zero, figures */
	sum = 0;
	for (line = strtok_r(c, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v[9];
		char comm[64];

		if (strncmp(line, "recorded,", 9))
			continue;
		ck_assert_int_eq(sscanf(line, "recorded,%63[^,],%llu,%llu,%llu,"
					"%llu,%llu,%llu,%llu,%llu,%llu", comm,
					&v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
					&v[6], &v[7], &v[8]), 10);
		sum += v[7];
	}
	ck_assert_uint_gt(sum, 0);
	free(j), free(c);
	unlink(json), unlink(csv);
	/* a trace with the event keeps perf's figure and says so */
	r = run((const char *[]){ "-P", "recorded", "--json", json, FIXTURE,
				  NULL });
	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "recorded: sched_stat_runtime"));
	sim_run_free(&r);
	j = slurp(json, NULL);
	ck_assert_ptr_nonnull(strstr(j, "\"runtime_source\": "
				     "\"sched_stat_runtime\""));
	free(j);
	unlink(json);
}
END_TEST

/* A policy that loses tasks: the run finishes and says so. */
START_TEST(broken_policy_caught)
{
	const char *json = "/tmp/scxsim-test-lose.json";
	struct sim_run r = run((const char *[]){ "-P", "tlose", "--json", json,
					     FIXTURE, NULL });
	char *j;

	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "conservation"));
	ck_assert_ptr_nonnull(strstr(r.out, "checks: FAILED"));
	sim_run_free(&r);
	j = slurp(json, NULL);
	ck_assert_ptr_nonnull(strstr(j, "\"ok\": false"));
	free(j);
	unlink(json);
}
END_TEST

/* Write text to a fresh temporary file; returns its path (static). */
static const char *text_trace(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/scxsim-test-hostile.XXXXXX");
	ck_assert_int_ge(mkstemp(path), 0);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/*
 * Hostile timestamps end in one line and exit 2, never in a hang: a stamp
 * that goes back past the clock skew a tracer can let through, and a burst
 * so long (one wrong stamp at the end) that replaying it slice by slice
 * would take hours. A small step back is taken as no step.
 */
START_TEST(hostile_time)
{
	static const char head[] = "cpus=1\n"
		"  a-10 [000] 1.000000: sched_switch: a:10 [120] S ==> b:11 [120]\n"
		"  b-11 [000] 1.000100: sched_waking: comm=a pid=10 prio=120 target_cpu=000\n";
	char text[1024];
	const char *path;
	struct sim_run r;

	snprintf(text, sizeof(text), "%s%s", head,
		 "  b-11 [000] 0.500200: sched_switch: b:11 [120] S ==> a:10 [120]\n");
	path = text_trace(text);
	r = run((const char *[]){ "-P", "fifo", path, NULL });
	ck_assert_msg(r.rc == 2 && r.err_lines == 1, "exit %d: %s", r.rc, r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "time goes backwards at event 3"));
	sim_run_free(&r);
	unlink(path);

	snprintf(text, sizeof(text), "%s%s", head,
		 "  b-11 [000] 1.000050: sched_switch: b:11 [120] S ==> a:10 [120]\n");
	path = text_trace(text);
	r = run((const char *[]){ "-P", "fifo,eevdf", path, NULL });
	ck_assert_msg(r.rc == 0, "exit %d: %s", r.rc, r.err);
	sim_run_free(&r);
	unlink(path);

	snprintf(text, sizeof(text), "%s%s%s", head,
		 "  b-11 [000] 1.000200: sched_switch: b:11 [120] S ==> a:10 [120]\n",
		 "  a-10 [000] 100000001.000300: sched_switch: a:10 [120] S ==> b:11 [120]\n");
	path = text_trace(text);
	/* The bound is the engine's, whatever the policy: two suffice. */
	for (int i = 0; i < 2; i++) {
		static const char *const pols[] = { "fifo", "lowlat" };

		r = run((const char *[]){ "-P", pols[i], "--tick", "4ms",
					  path, NULL });
		ck_assert_msg(r.rc == 2 && r.err_lines == 1, "%s: exit %d: %s",
			      pols[i], r.rc, r.err);
		ck_assert_ptr_nonnull(strstr(r.err, "is a timestamp wrong?"));
		ck_assert_ptr_nonnull(strstr(r.err, "(a, pid 10)"));
		sim_run_free(&r);
	}
	unlink(path);
}
END_TEST

/*
 * Comms are bytes: well-formed UTF-8 comes out as it is, other bytes as
 * \u00XX, so the JSON is valid UTF-8 and "café" is not double-encoded.
 */
START_TEST(json_utf8_comms)
{
	const char *path = text_trace("cpus=1\n"
		"  caf\xc3\xa9-10 [000] 1.000000: sched_switch: caf\xc3\xa9:10 [120] S ==> b\xe9:11 [120]\n"
		"  b\xe9-11 [000] 1.000100: sched_waking: comm=caf\xc3\xa9 pid=10 prio=120 target_cpu=000\n"
		"  b\xe9-11 [000] 1.000200: sched_switch: b\xe9:11 [120] S ==> caf\xc3\xa9:10 [120]\n");
	struct sim_run r = run((const char *[]){ "-P", "fifo", "--json", "-",
					     path, NULL });

	ck_assert_msg(r.rc == 0, "%s", r.err);
	ck_assert_ptr_nonnull(strstr(r.out, "\"comm\": \"caf\xc3\xa9\""));
	ck_assert_ptr_nonnull(strstr(r.out, "\"comm\": \"b\\u00e9\""));
	ck_assert_ptr_null(strstr(r.out, "\\u00c3"));
	sim_run_free(&r);
	unlink(path);
}
END_TEST

/* An output that is a device is written in place, never renamed over. */
START_TEST(device_output_kept)
{
	struct sim_run r = run((const char *[]){ "-P", "fifo", "--json",
					     "/dev/null", FIXTURE, NULL });
	struct stat sb;

	ck_assert_msg(r.rc == 0, "%s", r.err);
	sim_run_free(&r);
	ck_assert_int_eq(stat("/dev/null", &sb), 0);
	ck_assert_msg(S_ISCHR(sb.st_mode), "/dev/null is no longer a device");
}
END_TEST

/* A file that cannot be written is not bad input: exit 1, one line. */
START_TEST(write_failure_exit1)
{
	struct sim_run r = run((const char *[]){ "-P", "fifo", "--json",
					     "/nonexistent-dir/x.json",
					     FIXTURE, NULL });

	ck_assert_msg(r.rc == 1 && r.err_lines == 1, "exit %d: %s", r.rc,
		      r.err);
	ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent-dir/x.json: "));
	sim_run_free(&r);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("scxsim");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, bad_options);
	tcase_add_test(tc, bad_inputs);
	tcase_add_test(tc, atomic_outputs);
	tcase_add_test(tc, help_version_list);
	tcase_add_test(tc, deterministic_json);
	tcase_add_test(tc, json_csv_svg_agree);
	tcase_add_test(tc, broken_policy_caught);
	tcase_add_test(tc, table_header);
	tcase_add_test(tc, runtime_without_stat_runtime);
	tcase_add_test(tc, hostile_time);
	tcase_add_test(tc, json_utf8_comms);
	tcase_add_test(tc, write_failure_exit1);
	tcase_add_test(tc, device_output_kept);
	suite_add_tcase(s, tc);
	return s;
}
