// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive: load bpf/scxlive.bpf.c as the system's sched_ext scheduler and
 * take its decisions here, with a policy from policy/.
 *
 * Lifecycle (the kernel's scx_simple.c, plus the rings): check the
 * environment -> open -> set rodata -> load -> attach the struct_ops map ->
 * serve the rings until a signal or the kernel ends us -> detach -> report
 * why (kind, reason, message) -> start over if the kernel asked for a
 * restart (CPU hotplug). The numbers that steps depend on (ops flags, exit
 * kinds, the restart action, the hotplug sequence) are read from the
 * running kernel by live/kernel.c, the job upstream's compat.h and
 * user_exit_info.h helpers do; bpftool 7.5's skeleton would attach the
 * struct_ops map through a libbpf >= 1.5 field, so it is attached here
 * with bpf_map__attach_struct_ops().
 *
 * The daemon is a scheduler's critical path: every queued task waits for it.
 * It locks its memory so it cannot page-fault into a stall, never sleeps
 * between rounds but yields, and BPF gives it a CPU the moment work waits
 * for it (bpf/daemon.bpf.h; with --partial, or on a kernel without
 * SCX_OPS_ENQ_LAST, it sleeps in epoll_wait on the "queued" ring instead),
 * and does no allocation or syscall per task (live/dispatch.c). Messages
 * are pulled from the libbpf
 * ring buffer a batch at a time into a small array that the dispatch loop's
 * pop() reads, because libbpf 1.4 only consumes through a callback. The
 * stats socket (live/stats_server.c) is polled a few times a second from
 * the same loop (at least every 500 ms when the daemon idles: BPF's
 * heartbeat runs it) and never blocks it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "live/args.h"
#include "live/dispatch.h"
#include "live/kernel.h"
#include "live/latency.h"
#include "live/stats.h"
#include "live/stats_server.h"

/* The skeleton spells the BPF side's globals in vmlinux.h's type names. */
typedef __u64 u64;
typedef __u32 u32;
typedef __s32 s32;
#include "bpf/scxlive.skel.h"

#define LIVE_MAX_TASKS		8192
#define BATCH			64
#define STATS_POLL_NS		50000000ULL	/* stats socket: 20 polls/s */

static volatile sig_atomic_t exiting;
static bool verbose;
static struct kernel_scx kernel;	/* this kernel's sched_ext numbers */

struct batch {
	struct ring_buffer *rb;
	struct user_ring_buffer *urb;
	volatile u64 *nr_pushed;	/* in BPF .bss: lets it see answers wait */
	uint32_t n, next;
	struct scxl_msg msgs[BATCH];
};

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	if (level == LIBBPF_INFO && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* libbpf callback: copy one record; a negative return pauses consuming. */
static int on_msg(void *ctx, void *data, size_t size)
{
	struct batch *b = ctx;

	if (size >= sizeof(b->msgs[0]))
		memcpy(&b->msgs[b->n++], data, sizeof(b->msgs[0]));
	return b->n == BATCH ? -E2BIG : 0;
}

static int ring_pop(void *ctx, struct scxl_msg *m)
{
	struct batch *b = ctx;

	if (b->next == b->n) {
		b->n = b->next = 0;
		ring_buffer__consume(b->rb);
		if (!b->n)
			return 0;
	}
	*m = b->msgs[b->next++];
	return 1;
}

static int ring_push(void *ctx, const struct scxl_decision *d)
{
	struct batch *b = ctx;
	void *slot = user_ring_buffer__reserve(b->urb, sizeof(*d));

	if (!slot)
		return -ENOSPC;
	memcpy(slot, d, sizeof(*d));
	user_ring_buffer__submit(b->urb, slot);
	(*b->nr_pushed)++;
	return 0;
}

static uint64_t mono_ns(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void read_stats(struct scxlive *skel, uint64_t out[SCXL_NR_STATS])
{
	int nr_cpus = libbpf_num_possible_cpus();
	uint64_t vals[nr_cpus > 0 ? nr_cpus : 1];
	int fd = bpf_map__fd(skel->maps.stats);

	for (uint32_t i = 0; i < SCXL_NR_STATS; i++) {
		out[i] = 0;
		if (nr_cpus <= 0 || bpf_map_lookup_elem(fd, &i, vals))
			continue;
		for (int c = 0; c < nr_cpus; c++)
			out[i] += vals[c];
	}
}

/* One attachment's state, as the stats readers see it. */
struct attachment {
	struct scxlive *skel;
	struct live_sched *s;
	uint64_t faults0;		/* page faults before attach */
};

static int snapshot(void *ctx, struct live_stats_snap *snap)
{
	const struct attachment *at = ctx;
	uint64_t k[SCXL_NR_STATS];

	read_stats(at->skel, k);
	live_stats_fill(snap, k, at->s, (uint32_t)libbpf_num_possible_cpus(),
			live_page_faults() - at->faults0);
	return 0;
}

static void print_stats(struct attachment *at)
{
	struct live_stats_snap snap;

	snapshot(at, &snap);
	live_stats_line(stdout, &snap);
	fflush(stdout);
}

/* One policy a line (its name first), then its -p lines. */
static void list_policies(void)
{
	for (size_t i = 0; policy_registry[i]; i++) {
		const struct policy_ops *ops = policy_registry[i];
		char line[512];

		for (uint32_t p = 0; p <= ops->nr_params; p++) {
			policy_list_line(ops, p, NULL, line, sizeof(line));
			puts(line);
		}
	}
}

/* Refuse politely, in one line, what cannot work here. 0 or exit status. */
static int check_environment(void)
{
	static const char *const kfuncs[] = {
		"scx_bpf_dsq_insert", "scx_bpf_dsq_insert_vtime",
		"scx_bpf_dsq_move_to_local", "scx_bpf_select_cpu_dfl",
		"scx_bpf_dispatch_nr_slots", NULL,
	};
	const char *missing;
	char state[32] = "";
	struct btf *btf;
	FILE *f;
	int err;

	if (geteuid() != 0) {
		fprintf(stderr, "scxlive: must run as root (loading a sched_ext "
			"scheduler needs CAP_SYS_ADMIN and CAP_BPF)\n");
		return 2;
	}
	if (access(SCX_SYSFS, F_OK)) {
		fprintf(stderr, "scxlive: this kernel has no sched_ext (%s missing; "
			"needs CONFIG_SCHED_CLASS_EXT=y)\n", SCX_SYSFS);
		return 2;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		fprintf(stderr, "scxlive: cannot read the kernel's BTF "
			"(/sys/kernel/btf/vmlinux): %s\n", strerror(errno));
		return 2;
	}
	err = kernel_scx_read(btf, kfuncs, &kernel, &missing);
	btf__free(btf);
	if (err) {
		fprintf(stderr, "scxlive: this kernel's sched_ext is too old (no %s%s; "
			"needs the 6.13+ names)\n", strncmp(missing, "SCX_", 4) ?
			"kfunc " : "", missing);
		return 2;
	}
	f = fopen(SCX_SYSFS "/state", "r");
	if (f) {
		if (fgets(state, sizeof(state), f) && !strncmp(state, "enabled", 7)) {
			fprintf(stderr, "scxlive: another sched_ext scheduler is "
				"attached (%s/state is enabled)\n", SCX_SYSFS);
			fclose(f);
			return 2;
		}
		fclose(f);
	}
	return 0;
}

/* A sched_ext daemon needs ENQ_LAST to yield without spinning. */
static bool daemon_yields(const struct live_args *a)
{
	return !a->partial && kernel.enq_last;
}

/* open -> set rodata and ops -> load. NULL (and a message) on failure. */
static struct scxlive *sched_load(const struct live_args *a)
{
	struct scxlive *skel = scxlive__open();
	int err;

	if (!skel) {
		fprintf(stderr, "scxlive: opening the BPF object failed: %s\n",
			strerror(errno));
		return NULL;
	}
	skel->rodata->usersched_tgid = getpid();
	skel->rodata->notify_running = a->ops->running || a->ops->stopping;
	/* A CPU coming or going before attach: the kernel asks for a restart. */
	skel->struct_ops.scxlive_ops->hotplug_seq = kernel_hotplug_seq();
	if (a->partial)
		skel->struct_ops.scxlive_ops->flags |= kernel.switch_partial;
	/*
	 * A sched_ext daemon yields between rounds and BPF runs it when work
	 * arrives (bpf/daemon.bpf.h); with --partial it is not one, and sleeps.
	 */
	skel->rodata->daemon_yields = daemon_yields(a);
	if (daemon_yields(a))
		skel->struct_ops.scxlive_ops->flags |= kernel.enq_last;
	bpf_map__set_max_entries(skel->maps.queued, a->ring_kib * 1024);
	err = scxlive__load(skel);
	if (err) {
		fprintf(stderr, "scxlive: loading the BPF program failed: %s%s\n",
			strerror(-err), verbose ? "" : " (-v shows the verifier log)");
		scxlive__destroy(skel);
		return NULL;
	}
	return skel;
}

/* The ring buffers, as the dispatch loop's pop/push. 0 or -1. */
static int rings_open(struct batch *b, struct scxlive *skel, struct live_ring *ring)
{
	b->rb = ring_buffer__new(bpf_map__fd(skel->maps.queued), on_msg, b, NULL);
	b->urb = user_ring_buffer__new(bpf_map__fd(skel->maps.decisions), NULL);
	if (!b->rb || !b->urb) {
		fprintf(stderr, "scxlive: mapping the ring buffers failed: %s\n",
			strerror(errno));
		return -1;
	}
	b->nr_pushed = &skel->bss->nr_pushed;
	*ring = (struct live_ring){
		.ctx = b, .pop = ring_pop, .push = ring_push, .now = mono_ns,
		.stamp = mono_ns,
		.idle = (const volatile uint64_t *)skel->bss->idle_mask,
	};
	return 0;
}

/* ops.exit stores kind last, so an acquire load of it sees the rest. */
static int exit_kind(const struct scxlive *skel)
{
	return __atomic_load_n(&skel->bss->exit_info.kind, __ATOMIC_ACQUIRE);
}

/* Serve the rings (and the stats) until a signal or the kernel ends us. */
static void serve(const struct live_args *a, struct attachment *at,
		  struct batch *b, const struct live_ring *ring,
		  struct stats_server *srv)
{
	int epfd = ring_buffer__epoll_fd(b->rb);
	uint64_t now = mono_ns(NULL);
	uint64_t next_stats = now + a->stats_ms * 1000000ULL, next_poll = now;
	struct epoll_event ev;

	while (!exiting && !exit_kind(at->skel)) {
		int timeout = at->s->nr_pending ? 1 : 100;

		live_sched_run(at->s, ring);
		if (daemon_yields(a))
			sched_yield();
		else if (epoll_wait(epfd, &ev, 1, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "scxlive: epoll_wait: %s\n", strerror(errno));
			break;
		}
		now = mono_ns(NULL);
		if (a->stats_ms && now >= next_stats) {
			print_stats(at);
			next_stats += a->stats_ms * 1000000ULL;
		}
		if (srv && now >= next_poll) {
			stats_server_poll(srv, snapshot, at);
			next_poll = now + STATS_POLL_NS;
		}
	}
}

/* Where interrupt wakeups waited (BPF measures, the loader reports). */
static void print_irq_wakes(const struct scxlive *skel)
{
	u64 n = skel->bss->irq_wakes;

	if (!n)
		return;
	printf("scxlive: %llu interrupt wakeups: decided after avg %llu "
	       "max %llu us, ran after avg %llu max %llu us "
	       "(of %llu wakeups; %llu from hard interrupts)\n",
	       (unsigned long long)n,
	       (unsigned long long)(skel->bss->irq_decide_sum / n / 1000),
	       (unsigned long long)(skel->bss->irq_decide_max / 1000),
	       (unsigned long long)(skel->bss->irq_run_sum / n / 1000),
	       (unsigned long long)(skel->bss->irq_run_max / 1000),
	       (unsigned long long)skel->bss->nr_wakes,
	       (unsigned long long)skel->bss->hardirq_wakes);
}

/*
 * Say why the scheduler ended; the exit status for it, or -1 when the
 * kernel asks to be started again (and no signal asked us to stop).
 */
static int report_exit(const struct scxlive *skel)
{
	const struct scxl_exit *ei = &skel->bss->exit_info;
	int kind = exit_kind(skel);

	fprintf(stderr, "scxlive: exit kind=%s(%d) code=%#llx reason=\"%s\" "
		"message=\"%s\"\n", kernel_exit_kind_name(&kernel, kind), kind,
		(unsigned long long)ei->exit_code, ei->reason, ei->msg);
	if (!exiting && kernel_ecode_restart(ei->exit_code, kernel.ecode_restart))
		return -1;
	/* Detached by us (SIGINT/SIGTERM) is clean; anything else ejected us. */
	return !kind || (uint64_t)kind == kernel.exit_unreg ? 0 : 1;
}

/*
 * One attachment, from open to detach. Returns the exit status for this
 * attachment, or -1 when the kernel asks to be started again.
 */
static int run_once(const struct live_args *a, const struct policy_conf *conf,
		    struct stats_server *srv)
{
	struct attachment at = { .skel = NULL };
	struct bpf_link *link = NULL;
	struct batch *b = NULL;
	struct live_ring ring;
	int err, ret = 2;

	at.s = calloc(1, sizeof(*at.s));
	b = calloc(1, sizeof(*b));
	if (!at.s || !b) {
		fprintf(stderr, "scxlive: out of memory\n");
		goto cleanup;
	}
	err = live_sched_init(at.s, a->ops, conf);
	if (err) {
		fprintf(stderr, "scxlive: policy %s: cannot initialise for %u CPUs, "
			"%u tasks: %s\n", a->ops->name, conf->nr_cpus,
			conf->max_tasks, strerror(-err));
		goto cleanup;
	}
	at.skel = sched_load(a);
	if (!at.skel || rings_open(b, at.skel, &ring))
		goto cleanup;
	at.faults0 = live_page_faults();
	link = bpf_map__attach_struct_ops(at.skel->maps.scxlive_ops);
	if (!link) {
		fprintf(stderr, "scxlive: attaching the scheduler failed: %s\n",
			strerror(errno));
		goto cleanup;
	}
	fprintf(stderr, "scxlive: attached, policy %s, %u CPUs%s\n", a->ops->name,
		conf->nr_cpus, a->partial ? ", SCHED_EXT tasks only" : "");

	serve(a, &at, b, &ring, srv);
	bpf_link__destroy(link);
	link = NULL;
	print_stats(&at);
	live_lat_print(stdout, &at.skel->bss->lat);
	print_irq_wakes(at.skel);
	ret = report_exit(at.skel);
cleanup:
	bpf_link__destroy(link);
	if (b) {
		ring_buffer__free(b->rb);
		user_ring_buffer__free(b->urb);
	}
	scxlive__destroy(at.skel);
	if (at.s)
		live_sched_free(at.s);
	free(at.s);
	free(b);
	return ret;
}

/* The stats socket, or NULL (with a warning) when it cannot be had. */
static struct stats_server *stats_socket(const struct live_args *a)
{
	struct stats_server *srv;
	char err[256];

	if (!a->stats_socket || !*a->stats_socket)
		return NULL;
	srv = stats_server_open(a->stats_socket, err, sizeof(err));
	if (!srv)
		fprintf(stderr, "scxlive: warning: %s (no stats socket)\n", err);
	return srv;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	static struct live_args a;	/* holds -p @FILE's text: not on the stack */
	struct stats_server *srv;
	struct policy_conf conf;
	char err[256];
	int nr_cpus, ret;

	if (live_args_parse(&a, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "scxlive: %s\n", err);
		return 2;
	}
	if (a.help) {
		printf(live_help_fmt, "scxlive");
		return 0;
	}
	if (a.version) {
		printf("scxlive %s\n", SCX_VERSION);
		return 0;
	}
	if (a.list_policies) {
		list_policies();
		return 0;
	}
	verbose = a.verbose;
	libbpf_set_print(libbpf_print);

	ret = check_environment();
	if (ret)
		return ret;
	nr_cpus = libbpf_num_possible_cpus();
	if (nr_cpus <= 0 || nr_cpus > POLICY_MAX_CPUS) {
		fprintf(stderr, "scxlive: %d possible CPUs; supported 1..%d\n",
			nr_cpus, POLICY_MAX_CPUS);
		return 2;
	}
	policy_conf_defaults(&conf, a.ops, (uint32_t)nr_cpus, LIVE_MAX_TASKS);
	if (live_args_conf(&a, &conf, err, sizeof(err))) {
		fprintf(stderr, "scxlive: %s\n", err);
		return 2;
	}
	srv = stats_socket(&a);
	/* A page fault in the daemon stalls every task waiting on it. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "scxlive: warning: mlockall: %s\n", strerror(errno));

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while ((ret = run_once(&a, &conf, srv)) < 0)
		fprintf(stderr, "scxlive: the kernel asked for a restart\n");
	stats_server_close(srv);
	return ret;
}
