// SPDX-License-Identifier: GPL-2.0
/*
 * forker: a stream of short-lived children, like a shell script or a build
 * driver spawning tools. Exercises the fork -> wakeup_new -> exit path of a
 * policy (POLICY_ENQ_NEW, exit_task) and the trace readers' pid reuse.
 * Each child does a little work and exits; with --exec it first re-executes
 * this binary, so the trace also carries sched_process_exec and a comm
 * change.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

static const char help_fmt[] =
"Usage: %s [options]\n"
"Fork short-lived children at a steady rate.\n"
"\n"
"  -d, --duration TIME  how long to run (default 5s; bare number = seconds)\n"
"  -r, --rate N         forks per second (default 200; 0 = as fast as possible)\n"
"  -w, --work TIME      CPU time each child burns (default 200us;\n"
"                       bare number = microseconds)\n"
"  -e, --exec           children exec this program before working\n"
"  -h, --help           this text\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "rate", required_argument, NULL, 'r' },
		{ "work", required_argument, NULL, 'w' },
		{ "exec", no_argument, NULL, 'e' },
		{ "child", required_argument, NULL, 'C' },	/* internal */
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t duration = 5 * NSEC_PER_SEC, work = 200 * NSEC_PER_USEC;
	uint64_t start, next, end, forks = 0;
	char self[4096];
	ssize_t len;
	struct wl_lat life = { 0 };
	bool do_exec = false;
	long rate = 200;
	int c, failed = 0;

	wl_prog = "forker";
	while ((c = wl_getopt(argc, argv, "d:r:w:eh", opts, help_fmt)) != -1) {
		switch (c) {
		case 'd':
			duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		case 'r':
			rate = wl_parse_long("--rate", optarg, 0, 100000);
			break;
		case 'w':
			work = wl_parse_time("--work", optarg, NSEC_PER_USEC);
			break;
		case 'e':
			do_exec = true;
			break;
		case 'C': {
			/* An exec'd child ("NS:ITERS_PER_US"): burn and leave,
			 * with the parent's calibration rather than its own. */
			unsigned long long ns, ipu;

			if (sscanf(optarg, "%llu:%llu", &ns, &ipu) != 2)
				wl_usage_error("--child: '%s' is not NS:ITERS", optarg);
			wl_set_calibration(ipu);
			wl_burn(ns);
			return 0;
		}
		}
	}
	wl_calibrate();

	/* The child execs the resolved path, so its comm stays "forker". */
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (do_exec && len < 0)
		wl_die("readlink /proc/self/exe");
	self[len < 0 ? 0 : len] = 0;

	start = wl_now_ns();
	end = start + duration;
	next = start;
	while (wl_now_ns() < end) {
		uint64_t t0 = wl_now_ns();
		pid_t pid;
		int st;

		pid = fork();
		if (pid < 0)
			wl_die("fork");
		if (pid == 0) {
			if (do_exec) {
				char arg[48];

				snprintf(arg, sizeof(arg), "%llu:%llu",
					 (unsigned long long)work,
					 (unsigned long long)wl_calibrate());
				execl(self, "forker", "--child", arg,
				      (char *)NULL);
				wl_die("exec %s", self);
			}
			wl_burn(work);
			_exit(0);
		}
		if (waitpid(pid, &st, 0) < 0)
			wl_die("waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
		wl_lat_add(&life, wl_now_ns() - t0);
		forks++;
		if (rate) {
			next += NSEC_PER_SEC / (uint64_t)rate;
			wl_sleep_until(next);
		}
	}
	printf("forker: %llu children (%d failed) in %.2f s; ",
	       (unsigned long long)forks, failed, (wl_now_ns() - start) / 1e9);
	wl_lat_print(&life, "fork_to_reap");
	wl_lat_free(&life);
	return failed ? 1 : 0;
}
