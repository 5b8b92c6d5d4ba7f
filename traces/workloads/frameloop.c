// SPDX-License-Identifier: GPL-2.0
/*
 * frameloop: a game-like frame loop, the latency-sensitive half of the
 * "game while a kernel builds" story.
 *
 * Every frame has an intended start on a fixed grid (absolute
 * clock_nanosleep(TIMER_ABSTIME), as games and audio loops do, so a late
 * frame does not shift the grid). The wakeup comes from the timer interrupt;
 * how late the thread actually runs after that instant is the wake latency
 * the scheduler is responsible for, and is what we measure and print. Each
 * frame then burns a fixed amount of CPU time ("render"). A frame whose work
 * overruns the next deadline is counted as missed and the loop re-aligns to
 * the grid instead of bursting to catch up.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "traces/workloads/wl.h"

static const char help_fmt[] =
"Usage: %s [options]\n"
"A 60 Hz game-like frame loop that measures its own wake latency.\n"
"\n"
"  -d, --duration TIME  how long to run (default 5s; bare number = seconds;\n"
"                       0 = until SIGINT or SIGTERM)\n"
"  -r, --rate HZ        frames per second (default 60)\n"
"  -w, --work TIME      CPU time of render work per frame (default 3ms;\n"
"                       bare number = microseconds)\n"
"  -q, --quiet          print only the summary line\n"
"  -h, --help           this text\n"
"\n"
"At exit prints: wake latency (actual wake - intended frame start)\n"
"p50/p90/p99/max, and the number of missed frames.\n";

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "rate", required_argument, NULL, 'r' },
		{ "work", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t duration = 5 * NSEC_PER_SEC, work = 3 * NSEC_PER_MSEC;
	uint64_t period, start, next, end, frames = 0, missed = 0;
	struct wl_lat lat = { 0 };
	long rate = 60;
	bool quiet = false;
	int c;

	wl_prog = "frameloop";
	wl_calibrate();
	while ((c = wl_getopt(argc, argv, "d:r:w:qh", opts, help_fmt)) != -1) {
		switch (c) {
		case 'd':
			duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		case 'r':
			rate = wl_parse_long("--rate", optarg, 1, 10000);
			break;
		case 'w':
			work = wl_parse_time("--work", optarg, NSEC_PER_USEC);
			break;
		case 'q':
			quiet = true;
			break;
		}
	}
	period = NSEC_PER_SEC / (uint64_t)rate;
	if (work >= period)
		wl_usage_error("--work must be shorter than a frame (%.1f ms)",
			       period / 1e6);

	start = wl_now_ns();
	end = duration ? start + duration : UINT64_MAX;
	next = start + period;
	wl_stop_on_signals();
	while (next < end && !wl_stop) {
		uint64_t woke;

		wl_sleep_until(next);
		if (wl_stop)
			break;
		woke = wl_now_ns();
		wl_lat_add(&lat, woke - next);
		wl_burn(work);
		frames++;
		next += period;
		if (wl_now_ns() > next) {
			/* Re-align to the grid: a late game drops frames. */
			uint64_t late = wl_now_ns() - next;

			missed += late / period + 1;
			next += (late / period + 1) * period;
		}
	}
	if (!quiet)
		printf("frameloop: %llu frames at %ld Hz, %.1f ms work each\n",
		       (unsigned long long)frames, rate, work / 1e6);
	printf("frameloop: missed=%llu ", (unsigned long long)missed);
	wl_lat_print(&lat, "wake_latency");
	wl_lat_free(&lat);
	return 0;
}
