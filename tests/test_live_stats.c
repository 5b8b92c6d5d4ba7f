// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive's figures without a kernel: the stats line's exact text, the
 * scx_stats protocol's replies (read back with jq, a JSON parser that is
 * not ours), and the socket server in a temporary folder, without root:
 * several requests in one write, a request split over two, a client that
 * sends garbage, one that sends an endless line, one too many clients, a
 * stale socket left by a crash, and a file that must not be replaced.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "live/stats.h"
#include "live/stats_json.h"
#include "live/stats_server.h"
#include "tests/suites.h"

/* Every figure distinct (i + 1) * 11, so a swapped pair shows. */
static int fake_read(void *ctx, struct live_stats_snap *snap)
{
	int *calls = ctx;

	snap->policy = "lowlat";
	for (int i = 0; i < LIVE_NR_STATS; i++)
		snap->v[i] = (uint64_t)(i + 1) * 11;
	if (calls)
		(*calls)++;
	return 0;
}

static int broken_read(void *ctx, struct live_stats_snap *snap)
{
	(void)ctx;
	(void)snap;
	return -1;
}

START_TEST(stats_line_text)
{
	struct live_stats_snap snap;
	char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fake_read(NULL, &snap);
	ck_assert_int_eq(live_stats_line(f, &snap), 0);
	fclose(f);
	ck_assert_str_eq(buf,
		"scxlive: queued=11 user=22 kernel=33 cancelled=44 bounced=55 "
		"congested=66 failed=77 fast=88 rescued=99 lost=110 | policy=lowlat "
		"tasks=121 enq=132 requeued=143 dispatched=154 kicks=165 "
		"bad_cpu=176 bad_id=187 held=198 evicted=209 bad_select=220 "
		"slotless=231 ran_early=242 replayed=253 dropped=264\n");
}
END_TEST

/* jq -e [FLAGS] FILTER on text: true when jq parses it and the filter holds. */
static bool jq_run(const char *text, const char *flags, const char *filter)
{
	char path[] = "/tmp/scxlive-jq-XXXXXX", cmd[1024];
	int fd = mkstemp(path), rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	snprintf(cmd, sizeof(cmd), "jq -e %s '%s' %s >/dev/null 2>&1", flags, filter, path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

static bool jq_holds(const char *text, const char *filter)
{
	return jq_run(text, "", filter);
}

static const char *answer(const char *req, stats_read_fn read, int *calls)
{
	static char out[STATS_REPLY_MAX];
	size_t n = stats_answer(req, strlen(req), read, calls, out, sizeof(out));

	ck_assert_uint_gt(n, 0);
	ck_assert_uint_eq(strlen(out), n);
	ck_assert_int_eq(out[n - 1], '\n');
	ck_assert_ptr_null(memchr(out, '\n', n - 1));	/* one line */
	return out;
}

START_TEST(protocol_replies)
{
	const char *r;
	int calls = 0;

	/* What scx_stats' client sends, with and without a target. */
	r = answer("{\"req\":\"stats\",\"args\":{\"target\":\"top\"}}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 0 and .args.resp.policy == \"lowlat\" and "
		      ".args.resp.nr_queued_to_user == 11 and "
		      ".args.resp.nr_user_dispatches == 22 and "
		      ".args.resp.nr_ran_early == 242 and "
		      ".args.resp.nr_page_faults == 286 and "
		      "(.args.resp | length) == 27"), "%s", r);
	r = answer(" { \"args\" : { } , \"req\" : \"stats\" } ", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 0 and .args.resp.nr_cpus == 275"), "%s", r);
	ck_assert_int_eq(calls, 2);

	/* Metadata: every figure described, the top struct marked. */
	r = answer("{\"req\":\"stats_meta\",\"args\":{}}", fake_read, &calls);
	ck_assert_int_eq(calls, 2);
	ck_assert_msg(jq_holds(r, ".errno == 0 and .args.resp.Metrics.top == \"true\" and "
		      ".args.resp.Metrics.name == \"Metrics\" and "
		      "(.args.resp.Metrics.fields | length) == 27 and "
		      ".args.resp.Metrics.fields.policy.datum == \"string\" and "
		      "([.args.resp.Metrics.fields[] | select(.datum == \"u64\")] "
		      "| length) == 26 and "
		      "([.args.resp.Metrics.fields[] | .desc | length > 0] | all)"), "%s", r);

	/* Members serde would skip are skipped; escapes are read. */
	r = answer("{\"x\":[1,-2.5e3,{\"y\":null}],\"req\":\"st\\u0061ts\",\"z\":true}",
		   fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 0 and .args.resp.nr_fast == 88"), "%s", r);
}
END_TEST

START_TEST(protocol_errors)
{
	char deep[200] = "{\"req\":\"stats\",\"x\":";
	const char *r;
	int calls = 0;

	r = answer("{\"req\":\"reset\"}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22 and (.args.resp | test(\"unknown command "
		      "\\\"reset\\\"\"))"), "%s", r);
	r = answer("{\"req\":\"stats\",\"args\":{\"target\":\"dom\\\"0\"}}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22 and (.args.resp | test(\"unknown stat "
		      "target\"))"), "%s", r);
	r = answer("{\"args\":{}}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22"), "%s", r);
	ck_assert_int_eq(calls, 0);

	static const char *const bad[] = {
		"", "{", "[]", "\"stats\"", "{\"req\":\"stats\"} x", "{\"req\":stats}",
		"{\"req\":\"stats\",}", "{\"req\":\"st\\qts\"}", "{\"req\":\"a\tb\"}",
		"{\"req\":\"stats\",\"n\":-}", "{\"req\":\"stats\"\"args\":{}}",
		"{\"req\":\"st\\u00\"}",
	};
	/* One jq over all the replies (one a line): a jq a case is slow. */
	static char all[sizeof(bad) / sizeof(bad[0]) * 256];

	all[0] = '\0';
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = answer(bad[i], fake_read, &calls);
		ck_assert_uint_lt(strlen(all) + strlen(r), sizeof(all));
		strcat(all, r);
	}
	ck_assert_msg(jq_run(all, "-s", "length == 12 and all(.errno == 22 and "
			       "(.args.resp | test(\"bad request\")))"), "%s", all);
	/* Nesting past the bound is refused, not recursed into. */
	for (int i = 0; i < 40; i++)
		strcat(deep, "[");
	r = answer(deep, fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22"), "%s", r);
	/* A non-ASCII name cannot match, and the reply stays valid JSON. */
	r = answer("{\"req\":\"st\xc3\xa4ts\"}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22"), "%s", r);
	r = answer("{\"req\":\"stats\\u0000\"}", fake_read, &calls);
	ck_assert_msg(jq_holds(r, ".errno == 22"), "%s", r);
	ck_assert_int_eq(calls, 0);
	/* Figures that cannot be read: an error, not zeros. */
	r = answer("{\"req\":\"stats\"}", broken_read, NULL);
	ck_assert_msg(jq_holds(r, ".errno == 22 and (.args.resp | type) == \"string\""),
		      "%s", r);
	/* Too small a buffer: nothing, never a cut line. */
	{
		char small[64];

		ck_assert_uint_eq(stats_answer("{\"req\":\"stats_meta\"}", 20, fake_read,
					       NULL, small, sizeof(small)), 0);
	}
}
END_TEST

static char tmpdir[40], sock[100];

static void setup(void)
{
	strcpy(tmpdir, "/tmp/scxlive-sock-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(sock, sizeof(sock), "%s/run/scx/root/stats", tmpdir);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static int client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void say(int fd, const char *text)
{
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* What the server has sent fd so far (it replies within the poll). */
static const char *heard(int fd)
{
	static char buf[4 * STATS_REPLY_MAX];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The server hung up (a reset when it left our bytes unread). */
static bool closed(int fd)
{
	char c;
	ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);

	return n == 0 || (n < 0 && errno == ECONNRESET);
}

START_TEST(server_serves_clients)
{
	char err[256];
	struct stats_server *srv = stats_server_open(sock, err, sizeof(err));
	int calls = 0, a, b;
	const char *r;

	ck_assert_msg(srv, "%s", err);
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), 0);
	a = client();
	b = client();
	/* Two requests in one write; then one split over two writes. */
	say(a, "{\"req\":\"stats\"}\n{\"req\":\"stats_meta\"}\n{\"req\":");
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), 2);
	r = heard(a);
	ck_assert_msg(jq_holds(r, ".errno == 0") && strstr(r, "\"Metrics\""), "%s", r);
	ck_assert_int_eq(calls, 1);
	say(a, "\"stats\"}\n");
	say(b, "not json\n");
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), 2);
	ck_assert_msg(jq_holds(heard(a), ".args.resp.nr_kicks == 165"), "a");
	ck_assert_msg(jq_holds(heard(b), ".errno == 22"), "b");
	/* A bad request does not cost the connection. */
	say(b, "{\"req\":\"stats\"}\n");
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), 1);
	ck_assert_msg(jq_holds(heard(b), ".errno == 0"), "b again");
	close(a);
	close(b);
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), 0);
	stats_server_close(srv);
	ck_assert_int_eq(access(sock, F_OK), -1);	/* removed */
}
END_TEST

START_TEST(server_drops_bad_clients)
{
	static char line[STATS_LINE_MAX + 10];
	int fds[STATS_MAX_CLIENTS + 1], endless, calls = 0;
	char err[256];
	struct stats_server *srv = stats_server_open(sock, err, sizeof(err));

	ck_assert_msg(srv, "%s", err);
	endless = client();
	memset(line, 'x', sizeof(line) - 1);
	say(endless, line);
	stats_server_poll(srv, fake_read, &calls);
	ck_assert(closed(endless));
	close(endless);

	/* One more than the server keeps: the last hears EOF at once. */
	for (int i = 0; i <= STATS_MAX_CLIENTS; i++)
		fds[i] = client();
	stats_server_poll(srv, fake_read, &calls);
	ck_assert(closed(fds[STATS_MAX_CLIENTS]));
	for (int i = 0; i < STATS_MAX_CLIENTS; i++)
		say(fds[i], "{\"req\":\"stats\"}\n");
	ck_assert_int_eq(stats_server_poll(srv, fake_read, &calls), STATS_MAX_CLIENTS);
	for (int i = 0; i <= STATS_MAX_CLIENTS; i++)
		close(fds[i]);
	stats_server_close(srv);
}
END_TEST

START_TEST(server_socket_path)
{
	char err[256], longpath[200];
	struct stats_server *srv;
	FILE *f;

	/* A socket left by a crashed run (bound, never removed) is replaced. */
	srv = stats_server_open(sock, err, sizeof(err));
	ck_assert_msg(srv, "%s", err);
	stats_server_close(srv);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		int fd = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
		ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(fd);
	}
	srv = stats_server_open(sock, err, sizeof(err));
	ck_assert_msg(srv, "%s", err);
	close(client());
	/* A second server took the path over: the first leaves it alone. */
	{
		struct stats_server *again = stats_server_open(sock, err, sizeof(err));

		ck_assert_msg(again, "%s", err);
		stats_server_close(srv);
		ck_assert_int_eq(access(sock, F_OK), 0);
		stats_server_close(again);
		ck_assert_int_eq(access(sock, F_OK), -1);
	}

	/* Another kind of file is never replaced. */
	f = fopen(sock, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_ptr_null(stats_server_open(sock, err, sizeof(err)));
	ck_assert_msg(strstr(err, "not a socket"), "%s", err);
	ck_assert_int_eq(access(sock, F_OK), 0);

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	ck_assert_ptr_null(stats_server_open(longpath, err, sizeof(err)));
	ck_assert_msg(strstr(err, "too long"), "%s", err);
}
END_TEST

Suite *live_stats_suite(void)
{
	Suite *s = suite_create("live_stats");
	TCase *tc = tcase_create("figures");

	tcase_add_test(tc, stats_line_text);
	tcase_add_test(tc, protocol_replies);
	tcase_add_test(tc, protocol_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("socket");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, server_serves_clients);
	tcase_add_test(tc, server_drops_bad_clients);
	tcase_add_test(tc, server_socket_path);
	suite_add_tcase(s, tc);
	return s;
}
