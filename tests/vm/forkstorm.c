// SPDX-License-Identifier: GPL-2.0
/*
 * forkstorm: more live tasks than scxlive's task map holds, then pid reuse
 * at a high rate, for the VM's stress scenarios.
 *
 * Live tasks (-t THREADS): threads are made with raw clone() and stacks
 * carved from one mapping (under an emulated CPU, pthread_create's
 * per-thread mmap and mprotect double the cost). Each sleeps on its
 * batch's futex. A round wakes the batches one after another, BATCH threads
 * at a time, each batch running before the next wakes, so every thread is
 * queued to the scheduler once per round: more distinct tasks than scxlive
 * has slots (8192) while the runnable backlog stays bounded. (A drain of
 * all of them at once would outlast the kernel's 5 s watchdog on a slow
 * emulated CPU under any policy: a test of the CPU, not the scheduler.)
 * Making 8000+ threads takes most of a minute in the VM, so -s keeps the
 * pool: "ready" is printed once all exist (with the kernel's own count,
 * /proc/self/status Threads:), SIGUSR1 runs a round, SIGTERM ends them
 * all and exits. Without -s, one round and exit.
 *
 * Reuse (-d SECS): children are forked as fast as the system allows for
 * SECS seconds (or FORKS children), each exiting at once, at most PAR
 * alive at a time; with a small kernel.pid_max (the scenario lowers it)
 * pids come round again within the phase. It reports how many children
 * got a pid an earlier child had, so the scenario can check reuse happened.
 *
 * Exit 0 when every thread and child was made, woke and finished cleanly.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PID_SPACE	(1 << 22)	/* the kernel's PID_MAX_LIMIT */
#define STACK_SIZE	(16 * 1024)
#define MAX_BATCHES	1024

static atomic_int gen[MAX_BATCHES];	/* bumped to wake a batch */
static atomic_long woke;		/* wakeups seen, all rounds */
static atomic_int quit;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = ms % 1000 * 1000000 };

	nanosleep(&ts, NULL);
}

static void futex_wait(atomic_int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake_all(atomic_int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* A raw thread: once per bump of its batch's word, count and sleep again. */
static int sleeper(void *arg)
{
	atomic_int *w = arg;
	int seen = atomic_load(w);

	while (!atomic_load(&quit)) {
		int now = atomic_load(w);

		if (now == seen) {
			futex_wait(w, seen);
			continue;
		}
		seen = now;
		if (!atomic_load(&quit))
			atomic_fetch_add(&woke, 1);
	}
	return 0;	/* glibc's clone() ends the thread (SYS_exit) */
}

static long threads_now(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %ld", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
}

struct pool {
	long nr, batch, nr_batches, made;
	char *stacks;
};

/* Make the threads. 0, or an errno. */
static int pool_make(struct pool *pl)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM;

	pl->nr_batches = (pl->nr + pl->batch - 1) / pl->batch;
	if (pl->nr_batches > MAX_BATCHES)
		return E2BIG;
	pl->stacks = mmap(NULL, (size_t)pl->nr * STACK_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (pl->stacks == MAP_FAILED)
		return errno;
	for (; pl->made < pl->nr; pl->made++) {
		char *top = pl->stacks + (size_t)(pl->made + 1) * STACK_SIZE;

		if (clone(sleeper, top, flags, &gen[pl->made / pl->batch]) < 0)
			return errno;
	}
	return 0;
}

/* Wake every thread once, batch by batch. 0, or ETIMEDOUT after SECS. */
static int pool_round(struct pool *pl, double secs)
{
	long base = atomic_load(&woke);
	double end = now_s() + secs;

	for (long b = 0; b < pl->nr_batches; b++) {
		long want = base + (b + 1 == pl->nr_batches ? pl->made : (b + 1) * pl->batch);

		atomic_fetch_add(&gen[b], 1);
		futex_wake_all(&gen[b]);
		while (atomic_load(&woke) < want) {
			if (now_s() > end)
				return ETIMEDOUT;
			nap_ms(1);
		}
	}
	return 0;
}

/* Tell every thread to go; 0 once the kernel counts only this one. */
static int pool_end(struct pool *pl)
{
	double end = now_s() + 60;

	atomic_store(&quit, 1);
	for (long b = 0; b < pl->nr_batches; b++) {
		atomic_fetch_add(&gen[b], 1);
		futex_wake_all(&gen[b]);
	}
	while (threads_now() > 1) {
		if (now_s() > end)
			return ETIMEDOUT;
		nap_ms(2);
	}
	if (pl->stacks && pl->stacks != MAP_FAILED)
		munmap(pl->stacks, (size_t)pl->nr * STACK_SIZE);
	return 0;
}

static int phase_live(long nr, long batch, int serve)
{
	struct pool pl = { .nr = nr, .batch = batch };
	sigset_t set;
	double t0 = now_s(), t1;
	int err, sig, rounds = 0, bad = 0;
	long alive;

	/* The threads inherit this mask: signals reach only sigwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	err = pool_make(&pl);
	alive = threads_now() - 1;
	printf("forkstorm: ready: %ld threads alive at once (the kernel counts %ld; "
	       "made in %.2f s)%s%s\n", pl.made, alive, now_s() - t0,
	       err ? "; clone: " : "", err ? strerror(err) : "");
	bad = err || alive != nr;
	while (!bad) {
		if (serve && (sigwait(&set, &sig) || sig != SIGUSR1))
			break;
		t1 = now_s();
		err = pool_round(&pl, 120);
		printf("forkstorm: round %d: %ld threads woken %ld at a time in %.2f s%s%s\n",
		       ++rounds, pl.made, batch, now_s() - t1, err ? "; " : "",
		       err ? strerror(err) : "");
		bad = err != 0;
		if (!serve)
			break;
	}
	err = pool_end(&pl);
	printf("forkstorm: done: %d rounds%s\n", rounds, err ? ", threads left" : "");
	return bad || err ? 1 : 0;
}

/* Reap one child; 1 if it did not exit cleanly, -1 when none is left. */
static int reap_one(void)
{
	int st;
	pid_t pid;

	while ((pid = wait(&st)) < 0 && errno == EINTR)
		;
	if (pid < 0)
		return -1;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : 1;
}

static int phase_reuse(long nr, long par, double secs)
{
	unsigned char *seen = calloc(PID_SPACE / 8, 1);
	long forks = 0, alive = 0, reused = 0, failed = 0;
	pid_t max_pid = 0;
	double t0 = now_s(), end = t0 + secs, dt;

	if (!seen) {
		perror("forkstorm: reuse");
		return 1;
	}
	while (forks < nr && now_s() < end) {
		pid_t pid;

		if (alive == par) {
			failed += reap_one() > 0;
			alive--;
		}
		pid = fork();
		if (pid < 0) {
			perror("forkstorm: fork");
			failed++;
			break;
		}
		if (pid == 0)
			_exit(0);
		forks++;
		alive++;
		if (pid < PID_SPACE) {
			reused += (seen[pid / 8] >> (pid % 8)) & 1;
			seen[pid / 8] |= (unsigned char)(1u << (pid % 8));
		}
		if (pid > max_pid)
			max_pid = pid;
	}
	while (alive-- > 0)
		failed += reap_one() != 0;
	dt = now_s() - t0;
	printf("forkstorm: reuse: %ld forks in %.2f s (%.0f/s), %ld got a pid "
	       "used before, max pid %d, %ld failed\n", forks, dt,
	       dt > 0 ? forks / dt : 0.0, reused, (int)max_pid, failed);
	free(seen);
	return failed || !forks ? 1 : 0;
}

static long arg_long(const char *opt, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < 0 || v > 1000000) {
		fprintf(stderr, "forkstorm: %s: '%s' is not a count\n", opt, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	long threads = 9000, batch = 500, forks = 1000000, par = 32, secs = 5;
	int c, ret = 0, serve = 0;

	while ((c = getopt(argc, argv, "t:b:f:p:d:sh")) != -1) {
		switch (c) {
		case 's':
			serve = 1;
			break;
		case 't':
			threads = arg_long("-t", optarg);
			break;
		case 'b':
			batch = arg_long("-b", optarg);
			break;
		case 'f':
			forks = arg_long("-f", optarg);
			break;
		case 'p':
			par = arg_long("-p", optarg);
			break;
		case 'd':
			secs = arg_long("-d", optarg);
			break;
		default:
			fprintf(stderr, "usage: forkstorm [-t THREADS [-b BATCH] [-s]] "
				"[-f FORKS] [-p PAR] [-d SECS]\n");
			return c == 'h' ? 0 : 2;
		}
	}
	par = par < 1 ? 1 : par;
	batch = batch < 1 ? 1 : batch;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (threads)
		ret |= phase_live(threads, batch, serve);
	if (forks && secs)
		ret |= phase_reuse(forks, par, (double)secs);
	return ret;
}
