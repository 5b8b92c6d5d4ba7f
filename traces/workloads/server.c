// SPDX-License-Identifier: GPL-2.0
/*
 * server: a dispatcher thread hands many short requests to a pool of worker
 * threads, the shape of an RPC or web server. Requests arrive as a Poisson
 * stream (the dispatcher sleeps on a timer until the next arrival), each
 * asks for 50-500 us of CPU, and a worker is woken through its own pipe when
 * the dispatcher gives it one. So nearly every worker wakeup is a
 * task-to-task wake edge (dispatcher -> worker), and every completion wakes
 * the dispatcher back: the chain a policy must keep short for good request
 * latency.
 *
 * Threads are named "srv-dispatch" and "srv-worker" so a trace groups them
 * by role.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

static const char help_fmt[] =
"Usage: %s [options]\n"
"A dispatcher handing short requests to worker threads.\n"
"\n"
"  -d, --duration TIME  how long to generate requests (default 5s;\n"
"                       bare number = seconds)\n"
"  -w, --workers N      worker threads (default 4)\n"
"  -r, --rate N         mean requests per second, Poisson (default 2000)\n"
"  -m, --min TIME       least work per request (default 50us; bare = us)\n"
"  -M, --max TIME       most work per request (default 500us; bare = us)\n"
"  -s, --seed N         random seed (default 1)\n"
"  -h, --help           this text\n"
"\n"
"At exit prints request latency (arrival -> completion) p50/p90/p99/max.\n";

struct request {
	uint64_t arrival;
	uint64_t work;
	int32_t worker;
};

struct worker {
	pthread_t thread;
	int in[2];		/* dispatcher -> worker */
	int done_fd;		/* worker -> dispatcher (shared) */
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct request rq;
	ssize_t n;

	prctl(PR_SET_NAME, "srv-worker");
	for (;;) {
		n = read(w->in[0], &rq, sizeof(rq));
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return NULL;	/* dispatcher closed: shut down */
		if (n != sizeof(rq))
			wl_die("worker read");
		wl_burn(rq.work);
		wl_write_all(w->done_fd, &rq, sizeof(rq), "completion");
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "workers", required_argument, NULL, 'w' },
		{ "rate", required_argument, NULL, 'r' },
		{ "min", required_argument, NULL, 'm' },
		{ "max", required_argument, NULL, 'M' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t duration = 5 * NSEC_PER_SEC, wmin = 50 * NSEC_PER_USEC;
	uint64_t wmax = 500 * NSEC_PER_USEC, start, end, next, served = 0;
	long nworkers = 4, rate = 2000, seed = 1;
	struct request *queue;
	size_t qhead = 0, qlen = 0, qcap = 65536;
	struct wl_lat lat = { 0 };
	struct worker *workers;
	int *idle, nidle, done[2], c;
	uint64_t inflight = 0;
	struct wl_rng rng;

	wl_prog = "server";
	wl_calibrate();
	while ((c = wl_getopt(argc, argv, "d:w:r:m:M:s:h", opts, help_fmt)) != -1) {
		switch (c) {
		case 'd':
			duration = wl_parse_time("--duration", optarg, NSEC_PER_SEC);
			break;
		case 'w':
			nworkers = wl_parse_long("--workers", optarg, 1, 1024);
			break;
		case 'r':
			rate = wl_parse_long("--rate", optarg, 1, 1000000);
			break;
		case 'm':
			wmin = wl_parse_time("--min", optarg, NSEC_PER_USEC);
			break;
		case 'M':
			wmax = wl_parse_time("--max", optarg, NSEC_PER_USEC);
			break;
		case 's':
			seed = wl_parse_long("--seed", optarg, 0, 1L << 30);
			break;
		}
	}
	if (wmax < wmin)
		wl_usage_error("--max is below --min");

	prctl(PR_SET_NAME, "srv-dispatch");
	wl_rng_seed(&rng, (uint64_t)seed);
	queue = calloc(qcap, sizeof(*queue));
	workers = calloc((size_t)nworkers, sizeof(*workers));
	idle = calloc((size_t)nworkers, sizeof(*idle));
	if (!queue || !workers || !idle)
		wl_die("out of memory");
	if (pipe(done))
		wl_die("pipe");
	for (long i = 0; i < nworkers; i++) {
		if (pipe(workers[i].in))
			wl_die("pipe");
		workers[i].done_fd = done[1];
		if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]))
			wl_die("pthread_create");
		idle[i] = (int)i;
	}
	nidle = (int)nworkers;

	start = wl_now_ns();
	end = start + duration;
	next = start + wl_rng_exp(&rng, NSEC_PER_SEC / (uint64_t)rate);
	while (next < end || inflight || qlen) {
		uint64_t now = wl_now_ns();
		struct pollfd pfd = { .fd = done[0], .events = POLLIN };
		struct timespec to = { 0 }, *top = NULL;

		while (next < end && next <= now) {
			if (qlen == qcap)
				wl_usage_error("request queue overflow: --rate too high");
			queue[(qhead + qlen++) % qcap] = (struct request){
				.arrival = next,
				.work = wl_rng_range(&rng, wmin, wmax),
			};
			next += wl_rng_exp(&rng, NSEC_PER_SEC / (uint64_t)rate);
		}
		while (qlen && nidle) {
			struct request rq = queue[qhead];

			qhead = (qhead + 1) % qcap;
			qlen--;
			rq.worker = idle[--nidle];
			wl_write_all(workers[rq.worker].in[1], &rq, sizeof(rq), "request");
			inflight++;
		}
		if (next < end) {
			uint64_t wait = next > now ? next - now : 0;

			to.tv_sec = (time_t)(wait / NSEC_PER_SEC);
			to.tv_nsec = (long)(wait % NSEC_PER_SEC);
			top = &to;
		}
		if (ppoll(&pfd, 1, top, NULL) < 0 && errno != EINTR)
			wl_die("ppoll");
		if (pfd.revents & POLLIN) {
			struct request rq;

			if (read(done[0], &rq, sizeof(rq)) != sizeof(rq))
				wl_die("completion read");
			wl_lat_add(&lat, wl_now_ns() - rq.arrival);
			idle[nidle++] = rq.worker;
			inflight--;
			served++;
		}
	}
	for (long i = 0; i < nworkers; i++) {
		close(workers[i].in[1]);
		pthread_join(workers[i].thread, NULL);
	}
	printf("server: %llu requests, %ld workers, %.2f s; ",
	       (unsigned long long)served, nworkers, (wl_now_ns() - start) / 1e9);
	wl_lat_print(&lat, "request_latency");
	wl_lat_free(&lat);
	free(queue);
	free(workers);
	free(idle);
	return 0;
}
