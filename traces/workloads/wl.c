// SPDX-License-Identifier: GPL-2.0
/*
 * Shared helpers of the workloads (see wl.h). A burst is a fixed count of
 * loop iterations, not a stretch of wall time: a burst is "this much work",
 * and a preempted burst must not end early, or the trace would show the
 * scheduler's effect leaking into the demand it is supposed to serve.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include "traces/workloads/wl.h"

const char *wl_prog = "workload";

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t wl_now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* One unit of burn work; the result feeds a volatile so it is not elided. */
static uint64_t spin(uint64_t iters)
{
	volatile uint64_t sink = 0;

	for (uint64_t i = 0; i < iters; i++)
		sink += i * 2654435761u;
	return sink;
}

/*
 * Iterations of spin() per microsecond, measured once: the median of seven
 * trials of at least 2 ms each. The median, not the fastest, because on an
 * emulated or shared CPU (the qemu/TCG guest the shipped traces come from)
 * work runs several times slower under load than in a quiet moment, and a
 * burst should last in the trace about what the option says when the
 * workload starts under the load it will run in. Burning by iteration count rather
 * than by polling the thread CPU clock matters for tracing: every read of
 * CLOCK_THREAD_CPUTIME_ID runs the kernel's update_curr() and emits a
 * sched_stat_runtime record, which would flood a trace with noise.
 */
static uint64_t cached;

void wl_set_calibration(uint64_t iters_per_us)
{
	cached = iters_per_us ? iters_per_us : 1;
}

uint64_t wl_calibrate(void)
{
	uint64_t n = 1000, dt[7], t0;

	if (cached)
		return cached;
	/* Grow the trial until it is long enough to time well. */
	for (;;) {
		t0 = wl_now_ns();
		spin(n);
		if (wl_now_ns() - t0 >= 2 * NSEC_PER_MSEC || n >= (1ull << 40))
			break;
		n *= 2;
	}
	for (int trial = 0; trial < 7; trial++) {
		t0 = wl_now_ns();
		spin(n);
		dt[trial] = wl_now_ns() - t0;
		for (int i = trial; i > 0 && dt[i] < dt[i - 1]; i--) {
			uint64_t x = dt[i];

			dt[i] = dt[i - 1];
			dt[i - 1] = x;
		}
	}
	cached = dt[3] ? (n * NSEC_PER_USEC + dt[3] - 1) / dt[3] : 1;
	if (!cached)
		cached = 1;
	return cached;
}

void wl_burn(uint64_t ns)
{
	spin(ns * wl_calibrate() / NSEC_PER_USEC);
}

static struct timespec to_ts(uint64_t ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(ns / NSEC_PER_SEC),
		.tv_nsec = (long)(ns % NSEC_PER_SEC),
	};
	return ts;
}

volatile sig_atomic_t wl_stop;

static void on_stop(int sig)
{
	(void)sig;
	wl_stop = 1;
}

void wl_stop_on_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	/* No SA_RESTART: a sleeping loop must notice the stop at once. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void wl_sleep_until(uint64_t when_ns)
{
	struct timespec ts = to_ts(when_ns);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR &&
	       !wl_stop)
		;
}

void wl_sleep_ns(uint64_t ns)
{
	wl_sleep_until(wl_now_ns() + ns);
}

void wl_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", wl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	exit(2);
}

void wl_die(const char *fmt, ...)
{
	int err = errno;
	va_list ap;

	fprintf(stderr, "%s: ", wl_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(err));
	exit(1);
}

int wl_getopt(int argc, char **argv, const char *optstring,
	      const struct option *opts, const char *help_fmt)
{
	int c = getopt_long(argc, argv, optstring, opts, NULL);

	if (c == 'h') {
		printf(help_fmt, argv[0]);
		exit(0);
	}
	/* getopt_long() already said which option; this adds the hint. */
	if (c == '?')
		wl_usage_error("unknown option");
	if (c == -1 && optind < argc)
		wl_usage_error("unexpected argument '%s'", argv[optind]);
	return c;
}

void wl_write_all(int fd, const void *buf, size_t len, const char *what)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			wl_die("%s write", what);
		p += n;
		len -= (size_t)n;
	}
}

int wl_reap(long n)
{
	int failed = 0;

	for (long i = 0; i < n; i++) {
		int st;

		if (wait(&st) < 0)
			wl_die("wait");
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			failed++;
	}
	return failed;
}

uint64_t wl_parse_time(const char *opt, const char *arg, uint64_t bare_unit_ns)
{
	static const struct {
		const char *suffix;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 }, { "us", NSEC_PER_USEC }, { "ms", NSEC_PER_MSEC },
		{ "s", NSEC_PER_SEC },
	};
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (end == arg || errno || v < 0 || !isfinite(v))
		wl_usage_error("%s: '%s' is not a time (e.g. 5s, 250ms, 300us)", opt, arg);
	if (*end == '\0')
		return (uint64_t)(v * (double)bare_unit_ns);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(end, units[i].suffix))
			return (uint64_t)(v * (double)units[i].ns);
	wl_usage_error("%s: '%s' has an unknown unit (use ns, us, ms or s)", opt, arg);
}

long wl_parse_long(const char *opt, const char *arg, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end || errno)
		wl_usage_error("%s: '%s' is not an integer", opt, arg);
	if (v < min || v > max)
		wl_usage_error("%s: %ld is outside [%ld, %ld]", opt, v, min, max);
	return v;
}

void wl_rng_seed(struct wl_rng *r, uint64_t seed)
{
	/* splitmix64 step, so small seeds still give well-mixed state */
	uint64_t z = seed + 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	r->s = (z ^ (z >> 31)) | 1;
}

uint64_t wl_rng_next(struct wl_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dull;
}

uint64_t wl_rng_range(struct wl_rng *r, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + wl_rng_next(r) % (hi - lo + 1);
}

uint64_t wl_rng_exp(struct wl_rng *r, uint64_t mean)
{
	/* 53 random bits -> (0, 1], so log() never sees 0 */
	double u = ((double)(wl_rng_next(r) >> 11) + 1.0) / 9007199254740992.0;

	return (uint64_t)(-log(u) * (double)mean);
}

void wl_lat_add(struct wl_lat *l, uint64_t ns)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		uint64_t *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			wl_die("out of memory for %zu samples", cap);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted sample. */
static uint64_t pct(const struct wl_lat *l, unsigned int p)
{
	size_t rank = (l->n * p + 99) / 100;

	return l->v[rank ? rank - 1 : 0];
}

void wl_lat_print(struct wl_lat *l, const char *label)
{
	if (!l->n) {
		printf("%s: n=0\n", label);
		return;
	}
	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	printf("%s: n=%zu p50=%.1fus p90=%.1fus p99=%.1fus max=%.1fus\n",
	       label, l->n, pct(l, 50) / 1e3, pct(l, 90) / 1e3, pct(l, 99) / 1e3,
	       l->v[l->n - 1] / 1e3);
}

void wl_lat_free(struct wl_lat *l)
{
	free(l->v);
	*l = (struct wl_lat){ 0 };
}
