// SPDX-License-Identifier: GPL-2.0
/*
 * hog: N processes that burn CPU for a duration and never sleep. The
 * background pressure against which a policy must still serve interactive
 * tasks; processes rather than threads so each shows up as its own task with
 * its own comm in a trace, as separate batch jobs would.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

static const char help_fmt[] =
"Usage: %s [options]\n"
"Run N CPU burners (processes) for a duration.\n"
"\n"
"  -n, --tasks N        number of burners (default: online CPUs)\n"
"  -d, --duration TIME  how long to burn (default 5s; bare number = seconds)\n"
"  -h, --help           this text\n";

static void burn_until(uint64_t end)
{
	while (wl_now_ns() < end)
		wl_burn(NSEC_PER_MSEC);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tasks", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t duration = 5 * NSEC_PER_SEC, end;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	int c, failed;

	wl_prog = "hog";
	wl_calibrate();
	while ((c = wl_getopt(argc, argv, "n:d:h", opts, help_fmt)) != -1) {
		switch (c) {
		case 'n':
			n = wl_parse_long("--tasks", optarg, 1, 4096);
			break;
		case 'd':
			duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		}
	}
	if (n < 1)
		n = 1;

	end = wl_now_ns() + duration;
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			wl_die("fork of burner %ld", i);
		if (pid == 0) {
			burn_until(end);
			_exit(0);
		}
	}
	failed = wl_reap(n);
	printf("hog: %ld burners ran %.2f s\n", n, duration / 1e9);
	return failed ? 1 : 0;
}
