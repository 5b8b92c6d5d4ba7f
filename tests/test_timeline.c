// SPDX-License-Identifier: GPL-2.0
/*
 * Timelines (scxsim --timeline): a replay written as a Perfetto trace and
 * read back by scxsim's own reader must give that replay's figures, every
 * comm's count, p50, p99 and max, on every trace traces/ ships (whatever it
 * holds when the test runs; then the corpus in tests/fixtures/corpus) and
 * under every registered policy, with no switch Perfetto would flag; so must the
 * trace's own schedule written as recorded.pftrace. Watching a replay must
 * not change it. A decoder that is not ours, `protoc --decode_raw`, must
 * parse each file and find as many sched_switch and sched_waking records as
 * our reader does. And the command line: the files appear together, a bad
 * DIR is one line and exit status 2.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/engine/engine.h"
#include "sim/model/model.h"
#include "sim/report/recorded.h"
#include "sim/engine/replay_events.h"
#include "sim/trace/timeline.h"
#include "sim/timeline_set.h"
#include "sim/trace/trace.h"
#include "tests/sim_run.h"
#include "tests/suites.h"
#include "tests/test_engine.h"

#define SMALL	"tests/fixtures/dat/small-v7.dat"

struct counts {
	uint64_t switches, wakings, events;
	/* switches whose prev is not the CPU's last next: Perfetto's
	 * mismatched_sched_switch_tids, an error in its UI */
	uint64_t mismatched;
};

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/scxsim-timeline.XXXXXX";
	char *d = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(d);
	return strdup(d);
}

static void rmdir_all(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Read path with scxsim's readers as `-P recorded` does. */
static struct result *read_back(const char *path, struct counts *n)
{
	char err[256];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	struct recorded *rc = recorded_new();
	struct sched_event ev;
	struct result *res;
	int k;

	ck_assert_msg(r, "%s: %s", path, err);
	int32_t last[64];

	ck_assert_str_eq(trace_info(r)->format, "perfetto");
	memset(n, 0, sizeof(*n));
	memset(last, 0xff, sizeof(last));
	while ((k = trace_next(r, &ev)) > 0) {
		recorded_event(rc, trace_info(r), &ev);
		if (ev.type == SEV_SWITCH && ev.cpu >= 0 && ev.cpu < 64) {
			n->mismatched += last[ev.cpu] >= 0 &&
					 last[ev.cpu] != ev.pid;
			last[ev.cpu] = ev.pid2;
		}
		n->events++;
		n->switches += ev.type == SEV_SWITCH;
		n->wakings += ev.type == SEV_WAKING;
	}
	ck_assert_msg(k == 0, "%s: %s", path, trace_error(r));
	res = recorded_finish(rc, trace_info(r), METRICS_PERF_ROWS);
	ck_assert_ptr_nonnull(res);
	recorded_free(rc);
	trace_close(r);
	return res;
}

/* Every comm row of a with the same count, p50, p99 and max in b. */
static void same_rows(const struct result *a, const struct result *b,
		      const char *what)
{
	ck_assert_msg(a->ncomms == b->ncomms, "%s: %zu comm rows, read back "
		      "%zu", what, a->ncomms, b->ncomms);
	for (size_t i = 0; i < a->ncomms; i++) {
		const struct metrics_row *x = &a->comms[i];
		const struct metrics_row *y = result_comm(b, x->comm);

		ck_assert_msg(y, "%s: comm %s not read back", what, x->comm);
		ck_assert_msg(x->count == y->count && x->p50_ns == y->p50_ns &&
			      x->p99_ns == y->p99_ns && x->max_ns == y->max_ns,
			      "%s: %s count/p50/p99/max %llu/%llu/%llu/%llu, "
			      "read back %llu/%llu/%llu/%llu", what, x->comm,
			      (unsigned long long)x->count,
			      (unsigned long long)x->p50_ns,
			      (unsigned long long)x->p99_ns,
			      (unsigned long long)x->max_ns,
			      (unsigned long long)y->count,
			      (unsigned long long)y->p50_ns,
			      (unsigned long long)y->p99_ns,
			      (unsigned long long)y->max_ns);
	}
}

/* protoc --decode_raw parses the file; its counts of records match ours. */
static void protoc_agrees(const char *path, const struct counts *n)
{
	char cmd[1024], line[256];
	uint64_t sw = 0, wk = 0, ev = 0;
	bool bundle = false;	/* inside a packet's ftrace_events (1) */
	bool ok = false;
	FILE *f;

	/* packet > ftrace_events > event > payload: 6 spaces deep */
	snprintf(cmd, sizeof(cmd), "protoc --decode_raw < '%s' 2>&1 && "
		 "echo PROTOC-OK", path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f)) {
		ok |= !strcmp(line, "PROTOC-OK\n");
		if (!strncmp(line, "  ", 2) && line[2] != ' ')
			bundle = !strcmp(line, "  1 {\n");
		if (!bundle)
			continue;
		sw += !strcmp(line, "      4 {\n");
		wk += !strcmp(line, "      20 {\n");
		ev += !strcmp(line, "    2 {\n");
	}
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_msg(ok, "protoc --decode_raw failed on %s (is "
		      "protobuf-compiler installed? make deps)", path);
	ck_assert_uint_eq(sw, n->switches);
	ck_assert_uint_eq(wk, n->wakings);
	ck_assert_uint_eq(ev, n->events);
}

static struct engine_conf conf_of(const struct model *m)
{
	return (struct engine_conf){
		.wake_cost_ns = m->wake_cost_ns,
		.timer_cost_ns = m->timer_cost_ns,
		.preempt_cost_ns = m->preempt_cost_ns,
		.tick_ns = m->tick_ns ? m->tick_ns : 4 * MS,
		.tick_from_trace = true,
		.seed = 1,
	};
}

/* Replay m under ops into dir/NAME.pftrace; the result of the replay. */
static struct result *replay_to(const struct model *m,
				const struct policy_ops *ops, const char *dir,
				bool unwatched_too)
{
	struct timeline_set ts = { .dir = dir };
	struct engine_conf ec = conf_of(m), plain = ec;
	struct policy_conf pc;
	struct engine_stats st, st2;
	struct metrics *mt = metrics_new(), *mt2 = metrics_new();
	struct replay_events *re;
	struct timeline *tl;
	struct result *res, *res2;
	char err[256];

	policy_conf_defaults(&pc, ops, m->nr_cpus, m->nr_tasks);
	tl = timeline_set_open(&ts, ops->name, m->nr_cpus, "", true, err,
			       sizeof(err));
	ck_assert_msg(tl, "%s", err);
	re = replay_events_new(m, m->nr_cpus, timeline_emit, tl);
	ck_assert_ptr_nonnull(re);
	ec.sink = replay_events_sink(re);
	ck_assert_int_eq(engine_run(m, ops, &pc, &ec, mt, &st, err,
				    sizeof(err)), 0);
	ck_assert_int_eq(replay_events_finish(re), 0);
	replay_events_free(re);
	ck_assert_msg(!timeline_set_commit(&ts, err, sizeof(err)), "%s", err);
	res = metrics_finish(mt, ops->name, METRICS_PERF_ROWS);
	metrics_free(mt);
	ck_assert_uint_eq(st.violations, 0);
	if (!unwatched_too) {
		metrics_free(mt2);
		return res;
	}
	/* watched or not, the same replay */
	ck_assert_int_eq(engine_run(m, ops, &pc, &plain, mt2, &st2, err,
				    sizeof(err)), 0);
	res2 = metrics_finish(mt2, ops->name, METRICS_PERF_ROWS);
	same_rows(res, res2, "replay with and without a sink");
	ck_assert_uint_eq(st.switches, st2.switches);
	result_free(res2);
	metrics_free(mt2);
	return res;
}

/*
 * The shipped traces, then the corpus of unseen workloads if present;
 * returns how many are shipped (those get every policy, the corpus the
 * two default ones, to keep the suite quick).
 */
static size_t traces(glob_t *g)
{
	size_t shipped;

	ck_assert_int_eq(glob("traces/*.dat", 0, NULL, g), 0);
	shipped = g->gl_pathc;
	ck_assert_uint_ge(shipped, 1);
	glob("tests/fixtures/corpus/*.dat", GLOB_APPEND, NULL, g);
	return shipped;
}

/*
 * Tasks running when the trace began switch out first, one per CPU at the
 * first instant; beyond one per CPU (a trace whose CPU buffers began at
 * different times) each extra one is a switch Perfetto calls mismatched.
 */
static uint64_t extra_running(const struct model *m)
{
	uint64_t k = 0;

	for (uint32_t i = 0; i < m->nr_tasks; i++)
		k += m->tasks[i].nr_bursts &&
		     m->tasks[i].bursts[0].src == BURST_INITIAL &&
		     (m->tasks[i].bursts[0].flags & BURST_NOCOUNT);
	return k > m->nr_cpus ? k - m->nr_cpus : 0;
}

START_TEST(replays_read_back)
{
	glob_t g;
	size_t shipped = traces(&g);

	for (size_t t = 0; t < g.gl_pathc; t++) {
		struct model *m = tm_read(g.gl_pathv[t]);
		char *dir = tmpdir();

		for (size_t i = 0; policy_registry[i]; i++) {
			const struct policy_ops *ops = policy_registry[i];
			struct result *res, *back;
			char path[512], what[600];
			struct counts n;

			if (t >= shipped && strcmp(ops->name, "eevdf") &&
			    strcmp(ops->name, "lowlat"))
				continue;
			res = replay_to(m, ops, dir, t < shipped);

			snprintf(path, sizeof(path), "%s/%s%s", dir, ops->name,
				 TIMELINE_EXT);
			back = read_back(path, &n);
			snprintf(what, sizeof(what), "%s under %s",
				 g.gl_pathv[t], ops->name);
			same_rows(res, back, what);
			same_rows(back, res, what);
			ck_assert_uint_eq(back->total.count, res->total.count);
			ck_assert_msg(n.mismatched == extra_running(m), "%s: "
				      "%llu switches whose prev is not the CPU's "
				      "last next, %llu expected", what,
				      (unsigned long long)n.mismatched,
				      (unsigned long long)extra_running(m));
			protoc_agrees(path, &n);
			result_free(res);
			result_free(back);
		}
		model_free(m);
		rmdir_all(dir);
		free(dir);
	}
	globfree(&g);
}
END_TEST

/* The trace's own schedule, written as it is read, reads back the same. */
START_TEST(recorded_reads_back)
{
	glob_t g;

	traces(&g);
	for (size_t t = 0; t < g.gl_pathc; t++) {
		char *dir = tmpdir(), path[512], err[256];
		struct timeline_set ts = { .dir = dir };
		struct trace_reader *r = trace_open(g.gl_pathv[t], err,
						    sizeof(err));
		struct recorded *rc = recorded_new();
		struct result *orig, *back;
		struct timeline *tl;
		struct sched_event ev;
		struct counts n;

		ck_assert_msg(r, "%s", err);
		tl = timeline_set_open(&ts, "recorded", trace_info(r)->cpus,
				       trace_info(r)->release,
				       trace_info(r)->has_waking, err,
				       sizeof(err));
		ck_assert_msg(tl, "%s", err);
		while (trace_next(r, &ev) > 0) {
			recorded_event(rc, trace_info(r), &ev);
			ck_assert_int_eq(timeline_event(tl, &ev), 0);
		}
		orig = recorded_finish(rc, trace_info(r), METRICS_PERF_ROWS);
		ck_assert_msg(!timeline_set_commit(&ts, err, sizeof(err)),
			      "%s", err);
		snprintf(path, sizeof(path), "%s/recorded%s", dir,
			 TIMELINE_EXT);
		back = read_back(path, &n);
		same_rows(orig, back, g.gl_pathv[t]);
		same_rows(back, orig, g.gl_pathv[t]);
		protoc_agrees(path, &n);
		result_free(orig);
		result_free(back);
		recorded_free(rc);
		trace_close(r);
		rmdir_all(dir);
		free(dir);
	}
	globfree(&g);
}
END_TEST

/* scxsim's status, with what it wrote on stderr copied to err. */
static int scxsim(const char *const *args, char *err, size_t errlen)
{
	struct sim_run r = sim_run(args, NULL);
	int rc = r.rc;

	snprintf(err, errlen, "%s", r.err);
	sim_run_free(&r);
	return rc;
}

START_TEST(cli_writes_all_or_nothing)
{
	char *dir = tmpdir(), err[4096], path[512], file[512];
	const char *ok[] = { "-P", "eevdf,lowlat", "--timeline", dir,
			     "--json", "/dev/null", SMALL, NULL };
	const char *bad_trace[] = { "--timeline", dir, "tests/suites.h", NULL };
	const char *names[] = { "recorded", "eevdf", "lowlat" };
	struct stat st;
	FILE *f;

	ck_assert_int_eq(scxsim(ok, err, sizeof(err)), 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s%s", dir, names[i],
			 TIMELINE_EXT);
		ck_assert_msg(!stat(path, &st) && st.st_size > 0, "%s", path);
		ck_assert_int_eq(unlink(path), 0);
	}
	/* a bad trace: nothing written, nothing left behind */
	ck_assert_int_eq(scxsim(bad_trace, err, sizeof(err)), 2);
	snprintf(path, sizeof(path), "rmdir '%s' 2>/dev/null", dir);
	ck_assert_msg(system(path) == 0, "files left in %s", dir);
	/* DIR missing, or a file: one line, status 2 */
	{
		const char *missing[] = { "--timeline", dir, SMALL, NULL };

		ck_assert_int_eq(scxsim(missing, err, sizeof(err)), 2);
		ck_assert_int_eq(text_lines(err), 1);
		ck_assert_ptr_nonnull(strstr(err, dir));
	}
	snprintf(file, sizeof(file), "%s", dir);
	f = fopen(file, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	{
		const char *notdir[] = { "--timeline", file, SMALL, NULL };

		ck_assert_int_eq(scxsim(notdir, err, sizeof(err)), 2);
		ck_assert_int_eq(text_lines(err), 1);
		ck_assert_ptr_nonnull(strstr(err, "not a directory"));
	}
	unlink(file);
	free(dir);
}
END_TEST

/* Corrupt or foreign protobuf: one line, never a crash or a result. */
START_TEST(bad_perfetto_input)
{
	static const unsigned char cases[][12] = {
		{ 0x0a, 0x05, 0x08, 0x01, 0x10 },		/* cut packet */
		{ 0x0a, 0x03, 0x0a, 0x7f, 0x08 },		/* bundle too long */
		{ 0x0a, 0x02, 0x08, 0x01, 0x12, 0x00 },		/* not a packet */
	};
	static const size_t len[] = { 5, 5, 6 };

	for (size_t i = 0; i < sizeof(len) / sizeof(len[0]); i++) {
		char path[] = "/tmp/scxsim-badpf.XXXXXX", err[1024];
		int fd = mkstemp(path);
		const char *args[] = { "-P", "recorded", path, NULL };

		ck_assert(fd >= 0);
		ck_assert_int_eq(write(fd, cases[i], len[i]), (ssize_t)len[i]);
		close(fd);
		ck_assert_int_eq(scxsim(args, err, sizeof(err)), 2);
		ck_assert_msg(text_lines(err) == 1, "case %zu: %s", i, err);
		unlink(path);
	}
}
END_TEST

Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("timeline");

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, replays_read_back);
	tcase_add_test(tc, recorded_reads_back);
	tcase_add_test(tc, cli_writes_all_or_nothing);
	tcase_add_test(tc, bad_perfetto_input);
	suite_add_tcase(s, tc);
	return s;
}
