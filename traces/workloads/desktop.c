// SPDX-License-Identifier: GPL-2.0
/*
 * desktop: a mostly idle interactive session. A few "dt-client" threads
 * sleep for irregular (exponential) intervals, wake on a timer, do a short
 * burst of work, and then post a damage message to the "dt-compositor"
 * thread, which wakes and does a short burst of its own. Now and then a
 * client does a heavier burst (opening a file, rendering a page).
 *
 * The point for a scheduler: the CPUs are idle most of the time, so the
 * interesting figures are the wakeup latencies of tasks that run briefly
 * and rarely, and the timer-wake (interrupt) vs task-wake (client ->
 * compositor) mix.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

static const char help_fmt[] =
"Usage: %s [options]\n"
"A mostly idle desktop: clients wake irregularly for short bursts and\n"
"post to a compositor.\n"
"\n"
"  -d, --duration TIME  how long to run (default 5s; bare number = seconds)\n"
"  -t, --tasks N        client threads (default 3)\n"
"  -i, --interval TIME  mean sleep between bursts (default 80ms; bare = ms)\n"
"  -b, --burst TIME     longest ordinary burst (default 2ms; bare = us)\n"
"  -H, --heavy TIME     heavy burst, 5%% of wakeups (default 20ms; bare = ms)\n"
"  -s, --seed N         random seed (default 1)\n"
"  -h, --help           this text\n";

static struct {
	uint64_t duration, interval, burst, heavy, end;
	long tasks, seed;
	int post[2];		/* clients -> compositor */
} cfg = {
	.duration = 5 * NSEC_PER_SEC,
	.interval = 80 * NSEC_PER_MSEC,
	.burst = 2 * NSEC_PER_MSEC,
	.heavy = 20 * NSEC_PER_MSEC,
	.tasks = 3,
	.seed = 1,
};

struct client {
	pthread_t thread;
	long idx;
	uint64_t wakes, heavies;
};

static void *client_main(void *arg)
{
	struct client *cl = arg;
	struct wl_rng rng;

	prctl(PR_SET_NAME, "dt-client");
	wl_rng_seed(&rng, (uint64_t)cfg.seed * 7919 + (uint64_t)cl->idx);
	for (;;) {
		uint64_t wake = wl_now_ns() + wl_rng_exp(&rng, cfg.interval);
		char damage = 'd';

		if (wake >= cfg.end)
			break;
		wl_sleep_until(wake);
		if (wl_rng_range(&rng, 0, 99) < 5) {
			wl_burn(wl_rng_range(&rng, cfg.heavy / 2, cfg.heavy));
			cl->heavies++;
		} else {
			wl_burn(wl_rng_range(&rng, cfg.burst / 20, cfg.burst));
		}
		cl->wakes++;
		if (write(cfg.post[1], &damage, 1) != 1)
			wl_die("post to compositor");
	}
	return NULL;
}

static void *compositor_main(void *arg)
{
	uint64_t *frames = arg;
	char buf[64];
	ssize_t n;

	prctl(PR_SET_NAME, "dt-compositor");
	for (;;) {
		n = read(cfg.post[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			wl_die("compositor read");
		if (n == 0)
			return NULL;	/* every client is gone */
		/* One composite per batch of damage, as a real one would. */
		wl_burn(300 * NSEC_PER_USEC);
		(*frames)++;
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "tasks", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "burst", required_argument, NULL, 'b' },
		{ "heavy", required_argument, NULL, 'H' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t wakes = 0, heavies = 0, frames = 0;
	struct client *clients;
	pthread_t comp;
	int c;

	wl_prog = "desktop";
	wl_calibrate();
	while ((c = wl_getopt(argc, argv, "d:t:i:b:H:s:h", opts, help_fmt)) != -1) {
		switch (c) {
		case 'd':
			cfg.duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		case 't':
			cfg.tasks = wl_parse_long("--tasks", optarg, 1, 1024);
			break;
		case 'i':
			cfg.interval = wl_parse_time("--interval", optarg, NSEC_PER_MSEC);
			break;
		case 'b':
			cfg.burst = wl_parse_time("--burst", optarg, NSEC_PER_USEC);
			break;
		case 'H':
			cfg.heavy = wl_parse_time("--heavy", optarg, NSEC_PER_MSEC);
			break;
		case 's':
			cfg.seed = wl_parse_long("--seed", optarg, 0, 1L << 30);
			break;
		}
	}

	if (pipe(cfg.post))
		wl_die("pipe");
	cfg.end = wl_now_ns() + cfg.duration;
	clients = calloc((size_t)cfg.tasks, sizeof(*clients));
	if (!clients)
		wl_die("out of memory");
	if (pthread_create(&comp, NULL, compositor_main, &frames))
		wl_die("pthread_create");
	for (long i = 0; i < cfg.tasks; i++) {
		clients[i].idx = i;
		if (pthread_create(&clients[i].thread, NULL, client_main, &clients[i]))
			wl_die("pthread_create");
	}
	for (long i = 0; i < cfg.tasks; i++) {
		pthread_join(clients[i].thread, NULL);
		wakes += clients[i].wakes;
		heavies += clients[i].heavies;
	}
	close(cfg.post[1]);
	pthread_join(comp, NULL);
	printf("desktop: %ld clients, %llu bursts (%llu heavy), %llu composites\n",
	       cfg.tasks, (unsigned long long)wakes, (unsigned long long)heavies,
	       (unsigned long long)frames);
	free(clients);
	return 0;
}
