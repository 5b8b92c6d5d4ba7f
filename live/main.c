// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive: load bpf/scxlive.bpf.c as the system's sched_ext scheduler and
 * take its decisions here, with a policy from policy/.
 *
 * Lifecycle (the kernel's scx_simple.c, plus the rings): check the
 * environment -> open -> set rodata -> load -> attach the struct_ops map ->
 * serve the rings until a signal or the kernel ends us -> detach -> report
 * why (kind, reason, message) -> start over if the kernel asked for a
 * restart (CPU hotplug).
 *
 * The daemon is a scheduler's critical path: every queued task waits for it.
 * It locks its memory so it cannot page-fault into a stall, sleeps only in
 * epoll_wait on the "queued" ring (BPF wakes it), and does no allocation or
 * syscall per task (live/dispatch.c). Messages are pulled from the libbpf
 * ring buffer a batch at a time into a small array that the dispatch loop's
 * pop() reads, because libbpf 1.4 only consumes through a callback.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "live/args.h"
#include "live/dispatch.h"

/* The skeleton spells the BPF side's globals in vmlinux.h's type names. */
typedef __u64 u64;
typedef __u32 u32;
typedef __s32 s32;
#include "bpf/scxlive.skel.h"

#define LIVE_MAX_TASKS		8192
#define BATCH			64
#define SCX_SYSFS		"/sys/kernel/sched_ext"
#define SCX_OPS_SWITCH_PARTIAL_FLAG	8ULL	/* enum scx_ops_flags */

static volatile sig_atomic_t exiting;
static bool verbose;

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

static const char *exit_kind_name(int kind)
{
	switch (kind) {
	case 0:		return "NONE";
	case 1:		return "DONE";
	case 64:	return "UNREG";
	case 65:	return "UNREG_BPF";
	case 66:	return "UNREG_KERN";
	case 67:	return "SYSRQ";
	case 1024:	return "ERROR";
	case 1025:	return "ERROR_BPF";
	case 1026:	return "ERROR_STALL";
	default:	return "UNKNOWN";
	}
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

static void print_stats(struct scxlive *skel, const struct live_sched *s)
{
	uint64_t k[SCXL_NR_STATS];

	read_stats(skel, k);
	printf("scxlive: queued=%llu user=%llu kernel=%llu cancelled=%llu "
	       "bounced=%llu congested=%llu failed=%llu fast=%llu rescued=%llu "
	       "lost=%llu "
	       "| policy=%s tasks=%u "
	       "enq=%llu requeued=%llu dispatched=%llu kicks=%llu bad_cpu=%llu "
	       "bad_id=%llu held=%llu evicted=%llu bad_select=%llu "
	       "slotless=%llu ran_early=%llu replayed=%llu dropped=%llu\n",
	       (unsigned long long)k[SCXL_STAT_QUEUED],
	       (unsigned long long)k[SCXL_STAT_USER_DISPATCH],
	       (unsigned long long)k[SCXL_STAT_KERN_DISPATCH],
	       (unsigned long long)k[SCXL_STAT_CANCELLED],
	       (unsigned long long)k[SCXL_STAT_BOUNCED],
	       (unsigned long long)k[SCXL_STAT_CONGESTED],
	       (unsigned long long)k[SCXL_STAT_FAILED],
	       (unsigned long long)k[SCXL_STAT_FAST],
	       (unsigned long long)k[SCXL_STAT_RESCUED],
	       (unsigned long long)k[SCXL_STAT_LOST],
	       s->ops->name, s->map.nr_used,
	       (unsigned long long)s->st.enqueues,
	       (unsigned long long)s->st.requeued,
	       (unsigned long long)s->st.dispatched,
	       (unsigned long long)s->st.kicks,
	       (unsigned long long)s->st.bad_cpu,
	       (unsigned long long)s->st.bad_id,
	       (unsigned long long)s->st.congested,
	       (unsigned long long)s->st.evicted,
	       (unsigned long long)s->st.bad_select,
	       (unsigned long long)s->st.slotless,
	       (unsigned long long)s->st.ran_early,
	       (unsigned long long)s->st.replayed,
	       (unsigned long long)s->st.dropped);
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
	struct btf *btf;
	const char *missing = NULL;
	static const char *const kfuncs[] = {
		"scx_bpf_dsq_insert", "scx_bpf_dsq_insert_vtime",
		"scx_bpf_dsq_move_to_local", "scx_bpf_select_cpu_dfl",
		"scx_bpf_dispatch_nr_slots",
	};
	char state[32] = "";
	FILE *f;

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
	for (size_t i = 0; i < sizeof(kfuncs) / sizeof(kfuncs[0]) && !missing; i++)
		if (btf__find_by_name_kind(btf, kfuncs[i], BTF_KIND_FUNC) < 0)
			missing = kfuncs[i];
	btf__free(btf);
	if (missing) {
		fprintf(stderr, "scxlive: this kernel's sched_ext is too old (no kfunc "
			"%s; needs the 6.13+ names)\n", missing);
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

static uint64_t read_hotplug_seq(void)
{
	unsigned long long seq = 0;
	FILE *f = fopen(SCX_SYSFS "/hotplug_seq", "r");

	if (f) {
		if (fscanf(f, "%llu", &seq) != 1)
			seq = 0;
		fclose(f);
	}
	return seq;
}

/*
 * One attachment, from open to detach. Returns the exit status for this
 * attachment, or -1 when the kernel asks to be started again.
 */
static int run_once(const struct live_args *a, const struct policy_conf *conf)
{
	struct batch *b = NULL;
	struct live_sched *s = NULL;
	struct scxlive *skel = NULL;
	struct bpf_link *link = NULL;
	struct epoll_event ev;
	struct live_ring ring;
	uint64_t next_stats = 0;
	int epfd, ret = 2, err, kind;

	s = calloc(1, sizeof(*s));
	b = calloc(1, sizeof(*b));
	if (!s || !b) {
		fprintf(stderr, "scxlive: out of memory\n");
		goto cleanup;
	}
	err = live_sched_init(s, a->ops, conf);
	if (err) {
		fprintf(stderr, "scxlive: policy %s: cannot initialise for %u CPUs, "
			"%u tasks: %s\n", a->ops->name, conf->nr_cpus,
			conf->max_tasks, strerror(-err));
		goto cleanup;
	}

	skel = scxlive__open();
	if (!skel) {
		fprintf(stderr, "scxlive: opening the BPF object failed: %s\n",
			strerror(errno));
		goto cleanup;
	}
	skel->rodata->usersched_tgid = getpid();
	skel->rodata->notify_running = a->ops->running || a->ops->stopping;
	skel->struct_ops.scxlive_ops->hotplug_seq = read_hotplug_seq();
	if (a->partial)
		skel->struct_ops.scxlive_ops->flags |= SCX_OPS_SWITCH_PARTIAL_FLAG;
	bpf_map__set_max_entries(skel->maps.queued, a->ring_kib * 1024);

	err = scxlive__load(skel);
	if (err) {
		fprintf(stderr, "scxlive: loading the BPF program failed: %s%s\n",
			strerror(-err), verbose ? "" : " (-v shows the verifier log)");
		goto cleanup;
	}
	b->rb = ring_buffer__new(bpf_map__fd(skel->maps.queued), on_msg, b, NULL);
	b->urb = user_ring_buffer__new(bpf_map__fd(skel->maps.decisions), NULL);
	if (!b->rb || !b->urb) {
		fprintf(stderr, "scxlive: mapping the ring buffers failed: %s\n",
			strerror(errno));
		goto cleanup;
	}
	b->nr_pushed = &skel->bss->nr_pushed;
	ring = (struct live_ring){
		.ctx = b, .pop = ring_pop, .push = ring_push, .now = mono_ns,
		.idle = (const volatile uint64_t *)skel->bss->idle_mask,
	};
	epfd = ring_buffer__epoll_fd(b->rb);

	link = bpf_map__attach_struct_ops(skel->maps.scxlive_ops);
	if (!link) {
		fprintf(stderr, "scxlive: attaching the scheduler failed: %s\n",
			strerror(errno));
		goto cleanup;
	}
	fprintf(stderr, "scxlive: attached, policy %s, %u CPUs%s\n", a->ops->name,
		conf->nr_cpus, a->partial ? ", SCHED_EXT tasks only" : "");

	next_stats = mono_ns(NULL) + a->stats_ms * 1000000ULL;
	while (!exiting && !skel->bss->exit_info.kind) {
		int timeout = s->nr_pending ? 1 : 100;

		live_sched_run(s, &ring);
		if (epoll_wait(epfd, &ev, 1, timeout) < 0 && errno != EINTR) {
			fprintf(stderr, "scxlive: epoll_wait: %s\n", strerror(errno));
			break;
		}
		if (a->stats_ms && mono_ns(NULL) >= next_stats) {
			print_stats(skel, s);
			next_stats += a->stats_ms * 1000000ULL;
		}
	}

	bpf_link__destroy(link);
	link = NULL;
	print_stats(skel, s);
	if (skel->bss->irq_wakes) {
		u64 n = skel->bss->irq_wakes;

		printf("scxlive: %llu interrupt wakeups: decided after avg %llu "
		       "max %llu us, ran after avg %llu max %llu us "
		       "(of %llu wakeups)\n",
		       (unsigned long long)n,
		       (unsigned long long)(skel->bss->irq_decide_sum / n / 1000),
		       (unsigned long long)(skel->bss->irq_decide_max / 1000),
		       (unsigned long long)(skel->bss->irq_run_sum / n / 1000),
		       (unsigned long long)(skel->bss->irq_run_max / 1000),
		       (unsigned long long)skel->bss->nr_wakes);
	}
	kind = skel->bss->exit_info.kind;
	fprintf(stderr, "scxlive: exit kind=%s(%d) code=%#llx reason=\"%s\" "
		"message=\"%s\"\n", exit_kind_name(kind), kind,
		(unsigned long long)skel->bss->exit_info.exit_code,
		skel->bss->exit_info.reason, skel->bss->exit_info.msg);
	if (!exiting && (skel->bss->exit_info.exit_code & SCXL_ECODE_ACT_RESTART))
		ret = -1;
	else if (kind == SCXL_EXIT_UNREG || kind == SCXL_EXIT_NONE)
		ret = 0;
	else
		ret = 1;
cleanup:
	bpf_link__destroy(link);
	if (b) {
		ring_buffer__free(b->rb);
		user_ring_buffer__free(b->urb);
	}
	scxlive__destroy(skel);
	if (s)
		live_sched_free(s);
	free(s);
	free(b);
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct policy_conf conf;
	struct live_args a;
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
	/* A page fault in the daemon stalls every task waiting on it. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		fprintf(stderr, "scxlive: warning: mlockall: %s\n", strerror(errno));

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	while ((ret = run_once(&a, &conf)) < 0)
		fprintf(stderr, "scxlive: the kernel asked for a restart\n");
	return ret;
}
