// SPDX-License-Identifier: GPL-2.0
/*
 * msgstorm: hackbench's messaging pattern. G groups, each of F senders and
 * F receivers (processes); every sender writes L small messages to every
 * receiver of its group over a socketpair (or a pipe with --pipe). The
 * result is a storm of short bursts and task-to-task wakeups, the opposite
 * of a frame loop: throughput-bound, and a classic victim of a policy that
 * preempts too eagerly or too little.
 *
 * One "round" is one hackbench run; with --duration rounds repeat until the
 * time is up, so a recording can last as long as it needs to.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

#define MSG_SIZE	100	/* hackbench's datasize */

static const char help_fmt[] =
"Usage: %s [options]\n"
"hackbench-like messaging: groups of sender/receiver processes.\n"
"\n"
"  -g, --groups N       groups (default 2)\n"
"  -f, --fds N          senders and receivers per group (default 10)\n"
"  -l, --loops N        messages per sender per receiver per round (default 50)\n"
"  -d, --duration TIME  repeat rounds until TIME has passed (default: one round;\n"
"                       bare number = seconds)\n"
"  -p, --pipe           use pipes instead of socketpairs\n"
"  -h, --help           this text\n";

static struct {
	long groups, fds, loops;
	bool pipe;
} cfg = { 2, 10, 50, false };

static void receiver(int fd, long expect)
{
	char buf[MSG_SIZE];
	long bytes = expect * MSG_SIZE;

	while (bytes > 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			wl_die("receiver read (%ld bytes short)", bytes);
		bytes -= n;
	}
	_exit(0);
}

static void sender(const int *out)
{
	char msg[MSG_SIZE];

	memset(msg, 'x', sizeof(msg));
	for (long l = 0; l < cfg.loops; l++)
		for (long r = 0; r < cfg.fds; r++)
			wl_write_all(out[r], msg, sizeof(msg), "sender");
	_exit(0);
}

static pid_t spawn(void)
{
	pid_t pid = fork();

	if (pid < 0)
		wl_die("fork");
	return pid;
}

/* One hackbench round; returns the number of children that failed. */
static int round_once(void)
{
	int *out = calloc((size_t)cfg.fds, sizeof(*out));

	if (!out)
		wl_die("out of memory");
	for (long g = 0; g < cfg.groups; g++) {
		for (long r = 0; r < cfg.fds; r++) {
			int fds[2];

			if (cfg.pipe ? pipe(fds) :
			    socketpair(AF_UNIX, SOCK_STREAM, 0, fds))
				wl_die("%s", cfg.pipe ? "pipe" : "socketpair");
			/* hackbench: receiver reads fds[0], senders write fds[1] */
			if (spawn() == 0) {
				close(fds[1]);
				receiver(fds[0], cfg.fds * cfg.loops);
			}
			close(fds[0]);
			out[r] = fds[1];
		}
		for (long s = 0; s < cfg.fds; s++)
			if (spawn() == 0)
				sender(out);
		for (long r = 0; r < cfg.fds; r++)
			close(out[r]);
	}
	free(out);
	return wl_reap(cfg.groups * cfg.fds * 2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "groups", required_argument, NULL, 'g' },
		{ "fds", required_argument, NULL, 'f' },
		{ "loops", required_argument, NULL, 'l' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pipe", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t duration = 0, start, end;
	struct wl_lat rounds = { 0 };
	int c, failed = 0;

	wl_prog = "msgstorm";
	while ((c = wl_getopt(argc, argv, "g:f:l:d:ph", opts, help_fmt)) != -1) {
		switch (c) {
		case 'g':
			cfg.groups = wl_parse_long("--groups", optarg, 1, 1000);
			break;
		case 'f':
			cfg.fds = wl_parse_long("--fds", optarg, 1, 1000);
			break;
		case 'l':
			cfg.loops = wl_parse_long("--loops", optarg, 1, 10000000);
			break;
		case 'd':
			duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		case 'p':
			cfg.pipe = true;
			break;
		}
	}

	start = wl_now_ns();
	end = start + duration;
	do {
		uint64_t t0 = wl_now_ns();

		failed += round_once();
		wl_lat_add(&rounds, wl_now_ns() - t0);
	} while (wl_now_ns() < end);
	printf("msgstorm: %ld groups x %ld fds x %ld loops over %s, %.2f s; ",
	       cfg.groups, cfg.fds, cfg.loops, cfg.pipe ? "pipes" : "sockets",
	       (wl_now_ns() - start) / 1e9);
	wl_lat_print(&rounds, "round_time");
	wl_lat_free(&rounds);
	return failed ? 1 : 0;
}
