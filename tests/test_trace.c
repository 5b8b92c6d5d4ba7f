// SPDX-License-Identifier: GPL-2.0
/*
 * Trace reader tests on real fixtures (tests/fixtures/): perf.data recorded
 * on the build host, trace-cmd .dat v6/v7 recorded in the qemu guest, and
 * the text the tools themselves print for those files. Expected figures
 * come from the tools, not from our readers: event counts are what
 * `perf script` printed for the same file (see fixtures/README) or are
 * counted here in the saved `trace-cmd report` text by plain substring
 * search; the binary and text forms of one trace must give the same
 * stream, as must gzip and plain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <check.h>

#include "sim/trace/trace.h"
#include "tests/suites.h"

#define FX		"tests/fixtures/"
#define PERF_REC	FX "perf-sched-record.data"
#define PERF_SCRIPT	FX "perf-sched-record.script.gz"
#define DAT6		FX "dat/small-v6.dat"
#define DAT7		FX "dat/small-v7.dat"

/* The whole stream of a trace (fails the test on any error). */
struct stream {
	struct sched_event *ev;
	size_t n;
	struct trace_info info;
	char format[32];
};

static void stream_read(const char *path, struct stream *s)
{
	char err[256];
	struct trace_reader *r = trace_open(path, err, sizeof(err));
	size_t cap = 8192;
	int rc;

	ck_assert_msg(r != NULL, "%s: %s", path, err);
	memset(s, 0, sizeof(*s));
	s->ev = malloc(cap * sizeof(*s->ev));
	ck_assert_ptr_nonnull(s->ev);
	for (;;) {
		if (s->n == cap) {
			cap *= 2;
			s->ev = realloc(s->ev, cap * sizeof(*s->ev));
			ck_assert_ptr_nonnull(s->ev);
		}
		rc = trace_next(r, &s->ev[s->n]);
		if (rc <= 0)
			break;
		s->n++;
	}
	ck_assert_msg(rc == 0, "%s: %s", path, trace_error(r));
	s->info = *trace_info(r);
	snprintf(s->format, sizeof(s->format), "%s", s->info.format);
	s->info.format = s->format;
	s->info.path = NULL;
	trace_close(r);
}

static size_t count_type(const struct stream *s, uint16_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n; i++)
		n += s->ev[i].type == type;
	return n;
}

/* Copy of path, gzip-compressed, in a temp file (caller unlinks). */
static void gzip_copy(const char *path, char *out, size_t outlen)
{
	char buf[65536];
	FILE *in = fopen(path, "rb");
	int fd;
	gzFile gz;
	size_t n;

	snprintf(out, outlen, "/tmp/scx-trace-gz-XXXXXX");
	fd = mkstemp(out);
	ck_assert_int_ge(fd, 0);
	ck_assert_ptr_nonnull(in);
	gz = gzdopen(fd, "wb6");
	ck_assert_ptr_nonnull(gz);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		ck_assert_int_eq(gzwrite(gz, buf, (unsigned int)n), (int)n);
	fclose(in);
	ck_assert_int_eq(gzclose(gz), Z_OK);
}

/* Text keeps microseconds: compare what both forms can express. */
static void assert_same_stream(const struct stream *a, const struct stream *b,
			       bool usec, bool skip_comm_records)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (skip_comm_records && i < a->n && a->ev[i].type == SEV_COMM)
			i++;
		if (i == a->n || j == b->n)
			break;
		const struct sched_event *x = &a->ev[i], *y = &b->ev[j];
		/* perf script truncates to us, trace-cmd report rounds */
		uint64_t tx = x->ts, ty = y->ts;

		if (usec && (tx / 1000 == ty / 1000 || (tx + 500) / 1000 == ty / 1000))
			tx = ty;

		ck_assert_msg(x->type == y->type && tx == ty && x->cpu == y->cpu &&
			      x->pid == y->pid && x->pid2 == y->pid2 &&
			      x->prev_state == y->prev_state &&
			      x->runtime == y->runtime && x->cpu2 == y->cpu2 &&
			      !strcmp(x->comm, y->comm) && !strcmp(x->comm2, y->comm2),
			      "event %zu/%zu differs: type %d/%d ts %llu/%llu pid %d/%d "
			      "pid2 %d/%d state %u/%u comm '%s'/'%s' comm2 '%s'/'%s'",
			      i, j, x->type, y->type, (unsigned long long)tx,
			      (unsigned long long)ty, x->pid, y->pid, x->pid2, y->pid2,
			      x->prev_state, y->prev_state, x->comm, y->comm,
			      x->comm2, y->comm2);
		i++;
		j++;
	}
	ck_assert_msg(i == a->n && j == b->n, "streams differ in length: %zu/%zu vs %zu/%zu",
		      i, a->n, j, b->n);
}

/* ------------------------------------------------------------ perf.data */

START_TEST(test_perf_counts)
{
	struct stream s;
	uint64_t last = 0;

	stream_read(PERF_REC, &s);
	ck_assert_str_eq(s.info.format, "perf.data");
	ck_assert(!s.info.gzip);
	ck_assert_uint_eq(s.info.cpus, 2);
	ck_assert_uint_eq(s.info.lost_events, 0);
	ck_assert(s.info.has_waking);
	/* `perf script -i perf-sched-record.data | grep -c sched:EVENT:` */
	ck_assert_uint_eq(count_type(&s, SEV_SWITCH), 1674);
	ck_assert_uint_eq(count_type(&s, SEV_WAKING), 853);
	ck_assert_uint_eq(count_type(&s, SEV_WAKEUP), 0);
	ck_assert_uint_eq(count_type(&s, SEV_WAKEUP_NEW), 46);
	ck_assert_uint_eq(count_type(&s, SEV_FORK), 46);
	ck_assert_uint_eq(count_type(&s, SEV_MIGRATE), 41);
	ck_assert_uint_eq(count_type(&s, SEV_RUNTIME), 2048);
	ck_assert_uint_eq(s.n - count_type(&s, SEV_COMM), 4708);
	ck_assert_uint_gt(count_type(&s, SEV_COMM), 0);
	ck_assert_uint_eq(s.info.events, s.n);
	/* merged from per-CPU buffers into one time order */
	for (size_t i = 0; i < s.n; i++) {
		ck_assert_msg(s.ev[i].ts >= last, "event %zu goes back in time", i);
		last = s.ev[i].ts;
	}
	ck_assert_uint_eq(s.info.first_ts, s.ev[0].ts);
	ck_assert_uint_eq(s.info.last_ts, s.ev[s.n - 1].ts);
	free(s.ev);
}
END_TEST

START_TEST(test_perf_fields)
{
	struct stream s;
	const struct sched_event *sw = NULL, *rt = NULL, *wk = NULL, *mg = NULL;

	stream_read(PERF_REC, &s);
	for (size_t i = 0; i < s.n; i++) {
		const struct sched_event *e = &s.ev[i];

		if (!sw && e->type == SEV_SWITCH)
			sw = e;
		if (!rt && e->type == SEV_RUNTIME)
			rt = e;
		if (!wk && e->type == SEV_WAKING)
			wk = e;
		if (!mg && e->type == SEV_MIGRATE)
			mg = e;
	}
	ck_assert(sw && rt && wk && mg);
	/* perf script --ns: perf 24748 [000] 753.939365270: sched:sched_switch:
	 * perf:24748 [120] D ==> migration/0:18 [0] */
	ck_assert_uint_eq(sw->ts, 753939365270ull);
	ck_assert_int_eq(sw->cpu, 0);
	ck_assert_int_eq(sw->pid, 24748);
	ck_assert_str_eq(sw->comm, "perf");
	ck_assert_int_eq(sw->prio, 120);
	ck_assert_uint_eq(sw->prev_state, 2);	/* D */
	ck_assert_int_eq(sw->pid2, 18);
	ck_assert_str_eq(sw->comm2, "migration/0");
	ck_assert_int_eq(sw->prio2, 0);
	ck_assert_int_eq(sw->common_pid, 24748);
	/* comm=perf pid=24748 runtime=73569 [ns] at 753.939345 */
	ck_assert_int_eq(rt->pid, 24748);
	ck_assert_uint_eq(rt->runtime, 73569);
	ck_assert_uint_eq(rt->ts / 1000, 753939345);
	/* comm=migration/0 pid=18 prio=0 target_cpu=000 */
	ck_assert_int_eq(wk->pid, 18);
	ck_assert_str_eq(wk->comm, "migration/0");
	ck_assert_int_eq(wk->cpu2, 0);
	/* comm=perf pid=24748 prio=120 orig_cpu=0 dest_cpu=1 */
	ck_assert_int_eq(mg->pid, 24748);
	ck_assert_int_eq(mg->cpu3, 0);
	ck_assert_int_eq(mg->cpu2, 1);
	free(s.ev);
}
END_TEST

START_TEST(test_perf_irq_context)
{
	struct stream s;
	size_t hard = 0, soft = 0, task = 0;

	stream_read(PERF_REC, &s);
	for (size_t i = 0; i < s.n; i++) {
		if (s.ev[i].type != SEV_WAKING)
			continue;
		if (s.ev[i].ctx & SEV_CTX_HARDIRQ)
			hard++;
		else if (s.ev[i].ctx & SEV_CTX_SOFTIRQ)
			soft++;
		else
			task++;
	}
	/* timer wakeups (sleep 0.01) fire in hardirq; pipes wake from tasks */
	ck_assert_uint_gt(hard, 0);
	ck_assert_uint_gt(task, hard);
	ck_assert_uint_eq(hard + soft + task, 853);
	free(s.ev);
}
END_TEST

START_TEST(test_perf_gzip_equals_plain)
{
	struct stream a, b;
	char gz[64];

	gzip_copy(PERF_REC, gz, sizeof(gz));
	stream_read(PERF_REC, &a);
	stream_read(gz, &b);
	unlink(gz);
	ck_assert(b.info.gzip);
	ck_assert_str_eq(b.info.format, "perf.data");
	ck_assert_uint_eq(a.n, b.n);
	ck_assert(!memcmp(a.ev, b.ev, a.n * sizeof(*a.ev)));
	free(a.ev);
	free(b.ev);
}
END_TEST

START_TEST(test_perf_vs_script)
{
	struct stream bin, txt;

	stream_read(PERF_REC, &bin);
	stream_read(PERF_SCRIPT, &txt);
	ck_assert_str_eq(txt.info.format, "perf-script");
	ck_assert(txt.info.gzip);
	assert_same_stream(&bin, &txt, true, true);
	free(bin.ev);
	free(txt.ev);
}
END_TEST

/* ------------------------------------------------------------ .dat */

/* Lines of the saved report that name EVENT ("  sched_switch:"). */
static size_t report_count(const char *path, const char *event)
{
	char line[4096], pat[64];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	ck_assert_msg(f != NULL, "%s is missing", path);
	snprintf(pat, sizeof(pat), " %s:", event);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, pat) != NULL;
	fclose(f);
	return n;
}

static void check_dat(const char *dat, const char *format)
{
	static const struct { const char *name; uint16_t type; } ev[] = {
		{ "sched_switch", SEV_SWITCH }, { "sched_waking", SEV_WAKING },
		{ "sched_wakeup", SEV_WAKEUP }, { "sched_wakeup_new", SEV_WAKEUP_NEW },
		{ "sched_process_fork", SEV_FORK }, { "sched_process_exit", SEV_EXIT },
		{ "sched_process_exec", SEV_EXEC }, { "sched_migrate_task", SEV_MIGRATE },
	};
	char report[256], report_n[260], gz[64];
	struct stream bin, txt, txt_n, zbin;
	size_t hard = 0;

	snprintf(report, sizeof(report), "%.*s.report", (int)strlen(dat) - 4, dat);
	snprintf(report_n, sizeof(report_n), "%s-N", report);
	ck_assert_msg(access(dat, R_OK) == 0,
		      "%s missing: the traces engineer records it in the guest", dat);
	stream_read(dat, &bin);
	ck_assert_str_eq(bin.info.format, format);
	ck_assert_uint_eq(bin.info.cpus, 2);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		ck_assert_msg(count_type(&bin, ev[i].type) ==
			      report_count(report, ev[i].name),
			      "%s: %zu %s events, the report has %zu", dat,
			      count_type(&bin, ev[i].type), ev[i].name,
			      report_count(report, ev[i].name));
	for (size_t i = 0; i < bin.n; i++)
		hard += bin.ev[i].type == SEV_WAKING &&
			(bin.ev[i].ctx & SEV_CTX_HARDIRQ);
	ck_assert_uint_gt(hard, 0);
	/* the plugin text, the -N text and the binary agree */
	stream_read(report, &txt);
	stream_read(report_n, &txt_n);
	ck_assert_str_eq(txt.info.format, "trace-cmd-report");
	assert_same_stream(&bin, &txt, true, false);
	assert_same_stream(&bin, &txt_n, true, false);
	gzip_copy(dat, gz, sizeof(gz));
	stream_read(gz, &zbin);
	unlink(gz);
	ck_assert(zbin.info.gzip);
	ck_assert_uint_eq(zbin.n, bin.n);
	ck_assert(!memcmp(zbin.ev, bin.ev, bin.n * sizeof(*bin.ev)));
	free(bin.ev);
	free(txt.ev);
	free(txt_n.ev);
	free(zbin.ev);
}

START_TEST(test_dat_v6)
{
	check_dat(DAT6, "trace-cmd-v6");
}
END_TEST

START_TEST(test_dat_v7)
{
	check_dat(DAT7, "trace-cmd-v7");
}
END_TEST

/* ------------------------------------------------------------ states */

START_TEST(test_prev_state_text_styles)
{
	/* plugin "R" and raw "R+" are both preempted; D stays D */
	static const char trace[] =
		"cpus=2\n"
		"  a-10  [001]  1.000001: sched_switch: prev_comm=a b prev_pid=10 "
		"prev_prio=120 prev_state=R+ ==> next_comm=c:d next_pid=11 next_prio=120\n"
		"  c:d-11  [001]  1.000002: sched_switch: c:d:11 [120] D ==> a b:10 [120]\n"
		"  a b-10  [001]  1.000003: sched_switch: a b:10 [120] R ==> swapper/1:0 [120]\n"
		"CPU:0 [LOST 17 EVENTS]\n"
		"  x-1  [000]  1.000004: sched_switch: prev_comm=x prev_pid=1 "
		"prev_prio=120 prev_state=X ==> next_comm=y next_pid=2 next_prio=120\n"
		"CPU:1 [LOST EVENTS]\n";
	char path[] = "/tmp/scx-trace-txt-XXXXXX";
	int fd = mkstemp(path);
	struct stream s;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, trace, sizeof(trace) - 1), (ssize_t)sizeof(trace) - 1);
	close(fd);
	stream_read(path, &s);
	unlink(path);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.ev[0].prev_state, SEV_STATE_RUNNING);
	ck_assert_str_eq(s.ev[0].comm, "a b");
	ck_assert_str_eq(s.ev[0].comm2, "c:d");
	ck_assert_int_eq(s.ev[0].pid2, 11);
	ck_assert_uint_eq(s.ev[1].prev_state, 2);
	ck_assert_str_eq(s.ev[1].comm, "c:d");
	ck_assert_str_eq(s.ev[1].comm2, "a b");
	ck_assert_int_eq(s.ev[1].pid2, 10);
	ck_assert_uint_eq(s.ev[2].prev_state, SEV_STATE_RUNNING);
	ck_assert(s.ev[3].prev_state & SEV_STATE_DEAD);
	ck_assert_uint_eq(s.ev[3].ts, 1000004000ull);
	ck_assert_uint_eq(s.info.cpus, 2);
	ck_assert_uint_eq(s.info.lost_events, 18);
	free(s.ev);
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("readers");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_perf_counts);
	tcase_add_test(tc, test_perf_fields);
	tcase_add_test(tc, test_perf_irq_context);
	tcase_add_test(tc, test_perf_gzip_equals_plain);
	tcase_add_test(tc, test_perf_vs_script);
	tcase_add_test(tc, test_dat_v6);
	tcase_add_test(tc, test_dat_v7);
	tcase_add_test(tc, test_prev_state_text_styles);
	suite_add_tcase(s, tc);
	return s;
}
