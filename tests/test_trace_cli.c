// SPDX-License-Identifier: GPL-2.0
/*
 * The readers as users meet them, through $SCX_BUILD/scxsim: bad input
 * exits with status 2 and one stderr line naming the file and the problem;
 * a good perf.data gives the `recorded` figures perf sched latency printed
 * for it (checked on one comm of the saved output); every input that once
 * crashed a reader gets an answer from the binary itself, whose memory
 * layout is a user's (an out-of-bounds read may land on mapped memory in
 * the test process and pass there).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "tests/suites.h"
#include "tests/test_engine.h"

#define FX	"tests/fixtures/"

struct out {
	int status;
	char text[1 << 16];
	size_t len;
};

/* Run scxsim ARGS...; collect stdout (to_stderr: stderr) and the status. */
static void scxsim(struct out *o, bool want_stderr, const char *const *args)
{
	const char *build = getenv("SCX_BUILD");
	char bin[512];
	const char *argv[16];
	int p[2], st;
	pid_t pid;
	ssize_t k;
	int n = 0;

	snprintf(bin, sizeof(bin), "%s/scxsim", build ? build : "build");
	ck_assert_msg(access(bin, X_OK) == 0, "%s is not built", bin);
	argv[n++] = bin;
	for (; *args && n < 15; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(p[1], want_stderr ? 2 : 1);
		if (want_stderr)
			freopen("/dev/null", "w", stdout);
		else
			freopen("/dev/null", "w", stderr);
		close(p[0]);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	o->len = 0;
	while ((k = read(p[0], o->text + o->len, sizeof(o->text) - 1 - o->len)) > 0)
		o->len += (size_t)k;
	o->text[o->len] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	o->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void expect_exit2(const char *path, const char *needle)
{
	static struct out o;
	const char *args[] = { "-P", "recorded", path, NULL };
	char prefix[512];

	scxsim(&o, true, args);
	ck_assert_msg(o.status == 2, "%s: exit %d, stderr: %s", path, o.status, o.text);
	snprintf(prefix, sizeof(prefix), "scxsim: %s: ", path);
	ck_assert_msg(!strncmp(o.text, prefix, strlen(prefix)),
		      "stderr does not name the file: %s", o.text);
	ck_assert_msg(strchr(o.text, '\n') == o.text + o.len - 1,
		      "not one line: %s", o.text);
	ck_assert_msg(strstr(o.text, needle), "'%s' lacks '%s'", o.text, needle);
}

START_TEST(test_cli_bad_input_exit_2)
{
	char empty[] = "/tmp/scx-cli-XXXXXX", cut[] = "/tmp/scx-cli-cut-XXXXXX";
	char buf[4096];
	FILE *in;
	int fd;

	fd = mkstemp(empty);
	ck_assert_int_ge(fd, 0);
	close(fd);
	expect_exit2(empty, "empty file");
	unlink(empty);
	fd = mkstemp(cut);
	in = fopen(FX "perf-sched-record.data", "rb");
	ck_assert_ptr_nonnull(in);
	ck_assert_uint_eq(fread(buf, 1, sizeof(buf), in), sizeof(buf));
	fclose(in);
	ck_assert_int_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	close(fd);
	expect_exit2(cut, "truncated");
	unlink(cut);
	expect_exit2("tests/main.c", "not a trace");
	expect_exit2("/nonexistent.dat", "cannot open");
	expect_exit2(FX "bad/dat-v6-cut-in-cpu-data.dat", "truncated");
	expect_exit2(FX "bad/dat-v7-huge-chunk-count.dat", "corrupt");
}
END_TEST

START_TEST(test_cli_fuzz_regressions)
{
	static struct out o;
	const char *const *bad = tm_bad_fixtures();

	ck_assert_ptr_nonnull(bad[0]);
	for (; *bad; bad++) {
		const char *args[] = { "-P", "eevdf,lowlat,fifo,vruntime",
				       "--json", "/dev/null", *bad, NULL };

		scxsim(&o, true, args);
		ck_assert_msg(o.status <= 2, "%s: exit %d, stderr: %s", *bad,
			      o.status, o.text);
	}
}
END_TEST

START_TEST(test_cli_recorded_matches_perf)
{
	static struct out o;
	const char *args[] = { "-P", "recorded", "--json", "-",
			       FX "perf-sched-record.data", NULL };
	const char *row;

	scxsim(&o, false, args);
	ck_assert_int_eq(o.status, 0);
	/* perf sched latency: sched-pipe:(2) | 84.543 ms | 661 | avg: 0.116 ms */
	row = strstr(o.text, "\"comm\": \"sched-pipe\"");
	ck_assert_ptr_nonnull(row);
	ck_assert_ptr_nonnull(strstr(row, "\"count\": 661,"));
	ck_assert(strstr(row, "\"count\"") < strstr(row, "}"));
	ck_assert_ptr_nonnull(strstr(o.text, "\"format\": \"perf.data\""));
}
END_TEST

Suite *trace_cli_suite(void)
{
	Suite *s = suite_create("trace_cli");
	TCase *tc = tcase_create("scxsim");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_cli_bad_input_exit_2);
	tcase_add_test(tc, test_cli_recorded_matches_perf);
	tcase_add_test(tc, test_cli_fuzz_regressions);
	suite_add_tcase(s, tc);
	return s;
}
