// SPDX-License-Identifier: GPL-2.0
/*
 * The recording kernel's release, from every reader, and what scxsim does
 * with it: eevdf has two variants (next_buddy 0 for 6.6-6.18, 1 for 6.19+)
 * and a replay must model the kernel that produced the trace, unless the
 * user chose with -p. The fixtures were recorded on a 6.18 host (perf.data)
 * and in a 7.3.4 guest (.dat), so both choices are exercised on real files.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/trace/trace.h"
#include "tests/suites.h"

/* The release trace_info reports once the whole trace has been read. */
static void read_release(const char *path, char *out, size_t len)
{
	struct sched_event ev;
	struct trace_reader *r;
	char err[256];
	int rc;

	r = trace_open(path, err, sizeof(err));
	ck_assert_msg(r, "%s: %s", path, err);
	while ((rc = trace_next(r, &ev)) == 1)
		;
	ck_assert_msg(rc == 0, "%s: %s", path, trace_error(r));
	snprintf(out, len, "%s", trace_info(r)->release);
	trace_close(r);
}

START_TEST(readers_report_release)
{
	static const struct { const char *path, *prefix; } cases[] = {
		{ "tests/fixtures/perf-sched-record.data", "6.18." },
		{ "tests/fixtures/perf-sched-all.data.gz", "6.18." },
		{ "tests/fixtures/accuracy/host-game_build.data.gz", "6.18." },
		{ "tests/fixtures/dat/small-v6.dat", "7.3.4" },
		{ "tests/fixtures/dat/small-v7.dat", "7.3.4" },
		{ "traces/game_build_guest.dat", "7.3.4" },
		{ "traces/game_build.dat", "6.18." },	/* ftrace + extract */
		/* perf script without --header: the text does not say */
		{ "tests/fixtures/perf-sched-record.script.gz", "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rel[64];

		read_release(cases[i].path, rel, sizeof(rel));
		if (!*cases[i].prefix)
			ck_assert_msg(!*rel, "%s: release '%s', expected none",
				      cases[i].path, rel);
		else
			ck_assert_msg(!strncmp(rel, cases[i].prefix,
					       strlen(cases[i].prefix)) &&
				      !strchr(rel, ' '),
				      "%s: release '%s', expected %s...",
				      cases[i].path, rel, cases[i].prefix);
	}
}
END_TEST

/* perf script --header carries perf's header, release included. */
START_TEST(text_header_release)
{
	char path[] = "/tmp/scxsim-release-XXXXXX";
	int fd = mkstemp(path);
	char rel[64];
	FILE *f;

	ck_assert(fd >= 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "# ========\n# captured on    : Thu Nov 26 01:00:00 2026\n"
		"# os release : 6.19.1-amd64\n# ========\n#\n"
		"   a   100 [000]  1.000000: sched:sched_waking: comm=b pid=200 "
		"prio=120 target_cpu=000\n");
	fclose(f);
	read_release(path, rel, sizeof(rel));
	unlink(path);
	ck_assert_str_eq(rel, "6.19.1-amd64");
}
END_TEST

/* scxsim -P eevdf --json - ARGS... : the JSON, asserting a clean run. */
static char *sim_json(const char *const *args)
{
	char out[] = "/tmp/scxsim-release-out.XXXXXX";
	char *argv[16] = { "scxsim", "-P", "eevdf", "--json", "-" };
	int fo = mkstemp(out), so, argc = 5, rc;
	char *buf;
	long n;
	FILE *f;

	ck_assert(fo >= 0);
	for (; *args && argc < 15; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	fflush(stdout);
	so = dup(1);
	dup2(fo, 1);
	rc = scxsim_main(argc, argv, NULL);
	fflush(stdout);
	dup2(so, 1);
	close(so);
	close(fo);
	ck_assert_int_eq(rc, 0);
	f = fopen(out, "r");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	unlink(out);
	return buf;
}

/* The eevdf result without its params line: what the replay produced. */
static char *eevdf_figures(const char *json)
{
	const char *s = strstr(json, "{ \"policy\": \"eevdf\"");
	const char *p;
	char *out;

	ck_assert_ptr_nonnull(s);
	p = strstr(s, "\"params\"");
	ck_assert_ptr_nonnull(p);
	out = strndup(s, (size_t)(p - s));
	ck_assert_ptr_nonnull(out);
	return out;
}

START_TEST(release_picks_eevdf_variant)
{
	const char *dat = "tests/fixtures/dat/small-v7.dat";
	char *autoj = sim_json((const char *[]){ dat, NULL });
	char *one = sim_json((const char *[]){ "-p", "eevdf.next_buddy=1", dat,
					       NULL });
	char *zero = sim_json((const char *[]){ "-p", "eevdf.next_buddy=0",
						dat, NULL });
	char *perf = sim_json((const char *[]){
		"tests/fixtures/perf-sched-record.data", NULL });
	char *fa, *f1, *f0;

	ck_assert_ptr_nonnull(strstr(autoj, "\"kernel_release\": \"7.3.4"));
	ck_assert_ptr_nonnull(strstr(autoj, "\"next_buddy\": 1,"));
	ck_assert_ptr_nonnull(strstr(autoj, "\"auto_param\": \"next_buddy=1"));
	/* an explicit -p wins, and is not reported as automatic */
	ck_assert_ptr_nonnull(strstr(zero, "\"next_buddy\": 0,"));
	ck_assert_ptr_nonnull(strstr(zero, "\"auto_param\": null"));
	ck_assert_ptr_nonnull(strstr(one, "\"auto_param\": null"));
	/* the automatic choice replays exactly what -p next_buddy=1 does */
	fa = eevdf_figures(autoj), f1 = eevdf_figures(one);
	f0 = eevdf_figures(zero);
	ck_assert_str_eq(fa, f1);
	ck_assert_msg(strcmp(fa, f0), "next_buddy changed nothing on %s", dat);
	/* a 6.18 recording keeps the pre-6.19 model */
	ck_assert_ptr_nonnull(strstr(perf, "\"kernel_release\": \"6.18."));
	ck_assert_ptr_nonnull(strstr(perf, "\"next_buddy\": 0,"));
	ck_assert_ptr_nonnull(strstr(perf, "\"auto_param\": \"next_buddy=0"));
	free(fa), free(f1), free(f0);
	free(autoj), free(one), free(zero), free(perf);
}
END_TEST

/* No release (text): the default model, and the JSON says unknown. */
START_TEST(unknown_release_keeps_default)
{
	char *j = sim_json((const char *[]){
		"tests/fixtures/perf-sched-record.script.gz", NULL });

	ck_assert_ptr_nonnull(strstr(j, "\"kernel_release\": null"));
	ck_assert_ptr_nonnull(strstr(j, "\"next_buddy\": 0,"));
	ck_assert_ptr_nonnull(strstr(j, "\"auto_param\": null"));
	free(j);
}
END_TEST

Suite *release_suite(void)
{
	Suite *s = suite_create("release");
	TCase *tc = tcase_create("kernel_release");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, readers_report_release);
	tcase_add_test(tc, text_header_release);
	tcase_add_test(tc, release_picks_eevdf_variant);
	tcase_add_test(tc, unknown_release_keeps_default);
	suite_add_tcase(s, tc);
	return s;
}
