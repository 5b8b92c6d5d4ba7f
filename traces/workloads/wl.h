/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every workload shares: option values with units, a monotonic clock,
 * CPU burning by a calibrated amount of work (so a burst is the same amount
 * of work whether or not the scheduler preempts it), a tiny seeded PRNG, and
 * the latency summary the workloads print at exit.
 *
 * The workloads are static binaries that run inside a bare busybox guest, so
 * they depend on libc only and report errors as one line on stderr.
 */
#ifndef SCX_WL_H
#define SCX_WL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_USEC	1000ull
#define NSEC_PER_MSEC	1000000ull
#define NSEC_PER_SEC	1000000000ull

/* Set by each program to its name, for error messages. */
extern const char *wl_prog;

uint64_t wl_now_ns(void);
/*
 * Measure the burn loop's speed (iterations per us) once; call it early in
 * main() so forked children and threads inherit the figure.
 */
uint64_t wl_calibrate(void);
/* Adopt a figure measured elsewhere (a parent that exec'd us). */
void wl_set_calibration(uint64_t iters_per_us);
/* Burn about `ns` of CPU time (at the calibrated, undisturbed speed). */
void wl_burn(uint64_t ns);
/*
 * Set by SIGINT/SIGTERM once wl_stop_on_signals() ran, so a workload that
 * runs "until stopped" still ends cleanly and prints its figures.
 */
extern volatile sig_atomic_t wl_stop;
void wl_stop_on_signals(void);
/* Sleep until the absolute monotonic time `when_ns` (or until wl_stop). */
void wl_sleep_until(uint64_t when_ns);
void wl_sleep_ns(uint64_t ns);

/*
 * Parse a time like "5", "5s", "250ms", "300us", "10ns"; a bare number is in
 * `bare_unit_ns`. Exits with status 2 and a message naming `opt` if bad.
 */
uint64_t wl_parse_time(const char *opt, const char *arg, uint64_t bare_unit_ns);
/* Parse an integer in [min, max]; exits with status 2 if bad. */
long wl_parse_long(const char *opt, const char *arg, long min, long max);
/*
 * getopt_long() with what every workload does around it: -h/--help prints
 * help_fmt (formatted with argv[0]) and exits 0, an unknown option or a
 * missing argument is a usage error, and at the end of the options a
 * leftover argument is one too. Returns the next option's value, or -1.
 */
struct option;
int wl_getopt(int argc, char **argv, const char *optstring,
	      const struct option *opts, const char *help_fmt);
/* Print "PROG: MSG" and exit 2 (bad usage) . */
void wl_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Print "PROG: MSG: strerror(errno)" and exit 1 (runtime failure). */
void wl_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* write() all of buf, retrying after EINTR; dies with "WHAT write". */
void wl_write_all(int fd, const void *buf, size_t len, const char *what);
/* Reap n children; returns how many did not exit with status 0. */
int wl_reap(long n);

/* xorshift64*: deterministic per seed, good enough for workload jitter. */
struct wl_rng {
	uint64_t s;
};
void wl_rng_seed(struct wl_rng *r, uint64_t seed);
uint64_t wl_rng_next(struct wl_rng *r);
/* Uniform in [lo, hi]. */
uint64_t wl_rng_range(struct wl_rng *r, uint64_t lo, uint64_t hi);
/* Exponentially distributed with the given mean (for arrivals/sleeps). */
uint64_t wl_rng_exp(struct wl_rng *r, uint64_t mean);

/* A growable sample of latencies in ns. */
struct wl_lat {
	uint64_t *v;
	size_t n, cap;
};
void wl_lat_add(struct wl_lat *l, uint64_t ns);
/*
 * Print "LABEL: n=.. p50=..us p90=..us p99=..us max=..us" (sorts in place).
 * Prints n=0 and no percentiles for an empty sample.
 */
void wl_lat_print(struct wl_lat *l, const char *label);
void wl_lat_free(struct wl_lat *l);

#endif /* SCX_WL_H */
