// SPDX-License-Identifier: GPL-2.0
/*
 * scxlive's user-space half without a kernel: the dispatch loop against a
 * fake pair of rings (a message queue in, a bounded decision queue out), and
 * the command-line parser.
 *
 * The fake "kernel" is only arrays; what is checked is what the daemon does
 * with them: hook order, the sequence numbers decisions carry (the BPF side
 * cancels on mismatch), holding decisions when the ring is full, and turning
 * a policy's impossible answer into one the kernel can carry out.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live/args.h"
#include "tests/suites.h"
#include "tests/test_live.h"

/* fifo answers in arrival order; each decision names its pid and seq. */
START_TEST(fifo_order_and_seq)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;

	sched_init(&s, "fifo", 64);
	for (int i = 0; i < 5; i++)
		fr_queue(r, 100 + i, 7 + i, SCXL_ENQ_WAKEUP);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 5);
	ck_assert_uint_eq(r->nr_out, 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(r->out[i].kind, SCXL_DEC_DISPATCH);
		ck_assert_int_eq(r->out[i].pid, 100 + i);
		ck_assert_uint_eq(r->out[i].seq, 7 + i);
		ck_assert(r->out[i].cpu == SCXL_CPU_ANY ||
			  (r->out[i].cpu >= 0 && r->out[i].cpu < 2));
		ck_assert_uint_gt(r->out[i].slice_ns, 0);
	}
	ck_assert_uint_eq(s.st.enqueues, 5);
	ck_assert_uint_eq(s.map.nr_used, 5);
	/* Nothing left: a second round pushes nothing. */
	ck_assert_uint_eq(live_sched_run(&s, &ring), 0);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * Re-queued before the daemon answered (the kernel dequeued it for an
 * affinity change): one decision, with the newest seq and the new mask, or
 * the BPF side would cancel it and the task would wait for nothing.
 */
START_TEST(requeue_carries_newest_seq)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct scxl_msg *m;

	sched_init(&s, "fifo", 64);
	fr_queue(r, 42, 1, SCXL_ENQ_WAKEUP);
	fr_queue(r, 42, 2, 0);
	r->msgs[1].cpus_allowed[0] = 2;
	r->msgs[1].nr_cpus_allowed = 1;
	ck_assert_uint_eq(live_sched_run(&s, &ring), 1);
	ck_assert_int_eq(r->out[0].pid, 42);
	ck_assert_uint_eq(r->out[0].seq, 2);
	ck_assert(r->out[0].cpu == SCXL_CPU_ANY || r->out[0].cpu == 1);
	ck_assert_uint_eq(s.st.requeued, 1);
	ck_assert_uint_eq(s.st.enqueues, 1);

	/* Answered, then queued again: a fresh enqueue and a fresh answer. */
	m = fr_msg(r, SCXL_MSG_RUNNING, 42);
	m->cpu = 1;
	m = fr_msg(r, SCXL_MSG_STOPPING, 42);
	m->cpu = 1;
	m->runnable = 1;
	m->ran_ns = 5000;
	fr_queue(r, 42, 3, SCXL_ENQ_PREEMPTED);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 1);
	ck_assert_uint_eq(r->out[1].seq, 3);
	ck_assert_uint_eq(s.st.enqueues, 2);
	live_sched_free(&s);
	free(r);
}
END_TEST

/* A task that exits while queued gets no decision and frees its id. */
START_TEST(exit_while_queued_drops_task)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;

	sched_init(&s, "fifo", 4);
	fr_queue(r, 10, 1, SCXL_ENQ_WAKEUP);
	fr_queue(r, 11, 1, SCXL_ENQ_WAKEUP);
	fr_msg(r, SCXL_MSG_EXIT, 10);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 1);
	ck_assert_int_eq(r->out[0].pid, 11);
	ck_assert_int_eq(live_taskmap_find(&s.map, 10), -1);
	ck_assert_uint_eq(s.map.nr_used, 1);
	/* Exit of a pid never seen is counted, not a crash. */
	fr_msg(r, SCXL_MSG_EXIT, 999);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.st.unknown, 1);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * The decision ring takes 3; 8 tasks wait. The rest are held in order and
 * go out first once the ring drains; none is lost or sent twice.
 */
START_TEST(full_ring_holds_decisions)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	uint32_t total = 0;

	sched_init(&s, "fifo", 64);
	r->capacity = 3;
	for (int i = 0; i < 8; i++)
		fr_queue(r, 200 + i, 1, SCXL_ENQ_WAKEUP);
	ck_assert_uint_eq(live_sched_run(&s, &ring), 3);
	ck_assert_uint_gt(s.st.congested, 0);
	ck_assert_uint_gt(s.nr_pending, 0);
	for (int round = 0; round < 8 && r->nr_out < 8; round++) {
		r->capacity += 2;
		total += live_sched_flush(&s, &ring);
	}
	ck_assert_uint_eq(total + 3, 8);
	ck_assert_uint_eq(r->nr_out, 8);
	ck_assert_uint_eq(s.nr_pending, 0);
	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(r->out[i].pid, 200 + i);
	live_sched_free(&s);
	free(r);
}
END_TEST

/* A flood of messages still gets answers every round. */
START_TEST(flood_is_answered_in_rounds)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	uint32_t first;

	sched_init(&s, "fifo", 2 * FR_MAX);
	for (int i = 0; i < FR_MAX; i++)
		fr_queue(r, 1000 + i, 1, SCXL_ENQ_WAKEUP);
	first = live_sched_run(&s, &ring);
	ck_assert_uint_eq(first, LIVE_ROUND_MSGS);
	ck_assert_uint_eq(r->next_msg, LIVE_ROUND_MSGS);
	ck_assert_uint_eq(live_sched_run(&s, &ring), FR_MAX - LIVE_ROUND_MSGS);
	ck_assert_uint_eq(r->nr_out, FR_MAX);
	ck_assert_int_eq(r->out[FR_MAX - 1].pid, 1000 + FR_MAX - 1);
	live_sched_free(&s);
	free(r);
}
END_TEST

/* A policy that answers badly, to see the adapter contain it. */
struct liar {
	uint32_t queued[8];
	uint32_t n;
	int32_t answer_cpu;
	int32_t kick;
	bool bogus_id;
};

static size_t liar_size(const struct policy_conf *c)
{
	(void)c;
	return sizeof(struct liar);
}

static int liar_init(void *st, const struct policy_conf *c)
{
	(void)c;
	((struct liar *)st)->answer_cpu = 7;
	((struct liar *)st)->kick = POLICY_NO_KICK;
	return 0;
}

static int32_t liar_enqueue(void *st, const struct policy_env *env,
			    const struct policy_task *t)
{
	struct liar *l = st;

	(void)env;
	l->queued[l->n++ % 8] = t->id;
	return l->kick;
}

static int32_t liar_select(void *st, const struct policy_env *env,
			   const struct policy_task *t, int32_t prev_cpu)
{
	(void)env;
	(void)t;
	(void)prev_cpu;
	return ((struct liar *)st)->answer_cpu;
}

static bool liar_dispatch(void *st, const struct policy_env *env, int32_t cpu,
			  struct policy_dispatch *out)
{
	struct liar *l = st;

	(void)env;
	(void)cpu;
	if (!l->n)
		return false;
	l->n--;
	out->id = l->bogus_id ? 63 : l->queued[l->n % 8];
	out->cpu = l->answer_cpu;
	out->slice_ns = 1000;
	out->vtime = 5;
	return true;
}

static const struct policy_ops liar_ops = {
	.name = "liar", .state_size = liar_size, .init = liar_init,
	.select_cpu = liar_select, .enqueue = liar_enqueue,
	.dispatch = liar_dispatch,
};

START_TEST(bad_cpu_becomes_any)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct policy_conf conf;
	struct live_sched s;
	struct liar *l;

	policy_conf_defaults(&conf, &liar_ops, 2, 64);
	ck_assert_int_eq(live_sched_init(&s, &liar_ops, &conf), 0);
	l = s.pst;

	fr_queue(r, 5, 1, SCXL_ENQ_WAKEUP);	/* CPU 7 of a 2-CPU machine */
	live_sched_run(&s, &ring);
	ck_assert_int_eq(r->out[0].cpu, SCXL_CPU_ANY);
	ck_assert_uint_eq(s.st.bad_cpu, 1);
	ck_assert_uint_eq(s.st.bad_select, 1);

	l->answer_cpu = 0;			/* a real CPU outside its mask */
	fr_queue(r, 6, 1, SCXL_ENQ_WAKEUP);
	r->msgs[r->nr_msgs - 1].cpus_allowed[0] = 2;
	live_sched_run(&s, &ring);
	ck_assert_int_eq(r->out[1].cpu, SCXL_CPU_ANY);
	ck_assert_uint_eq(s.st.bad_cpu, 2);

	l->answer_cpu = 1;			/* allowed: kept */
	fr_queue(r, 7, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_int_eq(r->out[2].cpu, 1);
	ck_assert_uint_eq(r->out[2].vtime, 5);
	ck_assert_uint_eq(r->out[2].slice_ns, 1000);
	ck_assert_uint_eq(s.st.bad_cpu, 2);

	l->bogus_id = true;			/* an id it never got */
	fr_queue(r, 8, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 3);
	ck_assert_uint_eq(s.st.bad_id, 1);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * A kick of a busy CPU goes out after the decisions, once per CPU per
 * round; a kick of an idle CPU is left to the BPF side, which wakes the
 * CPU it places the task on anyway.
 */
START_TEST(kicks_only_busy_cpus)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct policy_conf conf;
	struct live_sched s;
	struct liar *l;

	policy_conf_defaults(&conf, &liar_ops, 2, 64);
	ck_assert_int_eq(live_sched_init(&s, &liar_ops, &conf), 0);
	l = s.pst;
	l->answer_cpu = POLICY_CPU_ANY;
	l->kick = 1;
	r->idle[0] = 1;			/* CPU 0 idle, CPU 1 busy */
	fr_queue(r, 5, 1, SCXL_ENQ_WAKEUP);
	fr_queue(r, 6, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 3);
	ck_assert_uint_eq(r->out[0].kind, SCXL_DEC_DISPATCH);
	ck_assert_uint_eq(r->out[1].kind, SCXL_DEC_DISPATCH);
	ck_assert_uint_eq(r->out[2].kind, SCXL_DEC_KICK);
	ck_assert_int_eq(r->out[2].cpu, 1);
	ck_assert_uint_eq(s.st.kicks, 1);

	l->kick = 0;			/* idle: no message */
	fr_queue(r, 7, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 4);
	ck_assert_uint_eq(r->out[3].kind, SCXL_DEC_DISPATCH);
	ck_assert_uint_eq(s.st.kicks, 1);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * pid 9 dies and a new task gets pid 9 before the old one's EXIT arrives
 * (the kernel frees task storage late). The new task must be served, and
 * the late EXIT and RUNNING of the old task must not touch it.
 */
START_TEST(reused_pid_is_a_new_task)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct scxl_msg *m;

	sched_init(&s, "fifo", 8);
	fr_queue(r, 9, 1, SCXL_ENQ_WAKEUP);
	r->msgs[0].task_uid = 100;
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 1);

	fr_queue(r, 9, 2, SCXL_ENQ_NEW);	/* the new task, uid 101 */
	r->msgs[r->nr_msgs - 1].task_uid = 101;
	m = fr_msg(r, SCXL_MSG_RUNNING, 9);	/* old task, late */
	m->task_uid = 100;
	m = fr_msg(r, SCXL_MSG_EXIT, 9);
	m->task_uid = 100;
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 2);
	ck_assert_int_eq(r->out[1].pid, 9);
	ck_assert_uint_eq(r->out[1].seq, 2);
	ck_assert_uint_eq(s.st.evicted, 1);	/* the old slot, reclaimed */
	ck_assert_uint_eq(s.st.unknown, 2);	/* its late RUNNING and EXIT */
	ck_assert_int_ge(live_taskmap_find(&s.map, 9), 0);
	ck_assert_uint_eq(s.map.nr_used, 1);

	m = fr_msg(r, SCXL_MSG_EXIT, 9);	/* the new task's own exit */
	m->task_uid = 101;
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.map.nr_used, 0);
	live_sched_free(&s);
	free(r);
}
END_TEST

/* Ids are recycled on exit, and a full map evicts the stalest idle task. */
START_TEST(ids_recycle_and_evict)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	int32_t id;

	sched_init(&s, "fifo", 2);
	fr_queue(r, 1, 1, SCXL_ENQ_WAKEUP);
	r->now += 10;
	fr_queue(r, 2, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	id = live_taskmap_find(&s.map, 1);
	ck_assert_int_ge(id, 0);
	fr_msg(r, SCXL_MSG_EXIT, 1);
	r->now += 10;
	fr_queue(r, 3, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_int_eq(live_taskmap_find(&s.map, 3), id);
	/* Map full (2, 3), both idle: pid 4 takes the stalest one's id. */
	r->now += 10;
	fr_queue(r, 4, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.st.evicted, 1);
	ck_assert_int_eq(live_taskmap_find(&s.map, 2), -1);
	ck_assert_int_ge(live_taskmap_find(&s.map, 4), 0);
	ck_assert_int_eq(r->out[r->nr_out - 1].pid, 4);
	live_sched_free(&s);
	free(r);
}
END_TEST

/* The hash survives churn: many pids in and out, lookups stay right. */
START_TEST(taskmap_churn)
{
	struct live_taskmap m;
	bool created;

	ck_assert_int_eq(live_taskmap_init(&m, 100), 0);
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 100; i++)
			ck_assert_int_ge(live_taskmap_get(&m, round * 1000 + i * 37 + 1,
							  &created), 0);
		ck_assert_int_eq(live_taskmap_get(&m, 999999, &created), -1);
		for (int i = 0; i < 100; i += 2)
			live_taskmap_put(&m, (uint32_t)live_taskmap_find(
					 &m, round * 1000 + i * 37 + 1));
		for (int i = 0; i < 100; i++) {
			int32_t id = live_taskmap_find(&m, round * 1000 + i * 37 + 1);

			if (i % 2)
				ck_assert_int_ge(id, 0);
			else
				ck_assert_int_eq(id, -1);
		}
		for (int i = 1; i < 100; i += 2)
			live_taskmap_put(&m, (uint32_t)live_taskmap_find(
					 &m, round * 1000 + i * 37 + 1));
		ck_assert_uint_eq(m.nr_used, 0);
	}
	live_taskmap_free(&m);
}
END_TEST

/* ------------------------------------------------------------ arguments */

static int parse(struct live_args *a, char *err, const char *const *argv)
{
	char *v[16];
	int argc = 0;

	for (; argv[argc]; argc++)
		v[argc] = (char *)argv[argc];
	v[argc] = NULL;
	err[0] = '\0';
	return live_args_parse(a, argc, v, err, 256);
}

START_TEST(args_defaults_and_options)
{
	struct live_args a;
	struct policy_conf conf;
	char err[256];

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", NULL }), 0);
	ck_assert_str_eq(a.ops->name, LIVE_DEFAULT_POLICY);
	ck_assert_uint_eq(a.stats_ms, 1000);
	ck_assert(!a.partial && !a.verbose);
	ck_assert_uint_eq(a.ring_kib, 1024);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive",
		"--ring-kib", "4", NULL }), 0);
	ck_assert_uint_eq(a.ring_kib, 4);

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-p",
		"slice=2ms", "-P", "fifo", "--stats", "0.5", "--partial", "-v",
		NULL }), 0);
	ck_assert_str_eq(a.ops->name, "fifo");
	ck_assert_uint_eq(a.stats_ms, 500);
	ck_assert(a.partial && a.verbose);
	ck_assert_int_eq(a.nr_kv, 1);
	policy_conf_defaults(&conf, a.ops, 2, 16);
	ck_assert_int_eq(live_args_conf(&a, &conf, err, sizeof(err)), 0);
	ck_assert_int_eq(conf.param[0], 2000000);

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive",
		"--list-policies", NULL }), 0);
	ck_assert(a.list_policies);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-h", NULL }), 0);
	ck_assert(a.help);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--version",
		NULL }), 0);
	ck_assert(a.version);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-s", "0",
		NULL }), 0);
	ck_assert_uint_eq(a.stats_ms, 0);
}
END_TEST

START_TEST(args_errors)
{
	struct live_args a;
	char err[256];

	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "nope",
		NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown policy 'nope'"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", "nokey=3", NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "nokey=3"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", "slice=fast", NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "slice=fast"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", "fifo",
		"-p", "slice", NULL }), -1);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--stats",
		"soon", NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "--stats"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--stats",
		"-1", NULL }), -1);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--bogus",
		NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "--bogus"));
	/* The kernel's ring buffer takes a power-of-two number of pages. */
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--ring-kib",
		"12", NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "--ring-kib"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "--ring-kib",
		"2", NULL }), -1);
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "-P", NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "needs an argument"));
	ck_assert_int_eq(parse(&a, err, (const char *[]){ "scxlive", "extra",
		NULL }), -1);
	ck_assert_ptr_nonnull(strstr(err, "extra"));
}
END_TEST

/*
 * Every QUEUED message gets a decision, even with no slot free for it: the
 * BPF side holds the task until one comes. Two slots, three tasks queued in
 * one round: all three are answered with their own seq.
 */
START_TEST(no_slot_still_answered)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	bool seen[3] = { false, false, false };

	sched_init(&s, "fifo", 2);
	for (int i = 0; i < 3; i++)
		fr_queue(r, 300 + i, 10 + (uint64_t)i, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.st.slotless, 1);
	ck_assert_uint_eq(r->nr_out, 3);
	for (uint32_t i = 0; i < r->nr_out; i++) {
		int k = r->out[i].pid - 300;

		ck_assert_int_ge(k, 0);
		ck_assert_int_lt(k, 3);
		ck_assert(!seen[k]);
		seen[k] = true;
		ck_assert_int_eq(r->out[i].kind, SCXL_DEC_DISPATCH);
		ck_assert_uint_eq(r->out[i].seq, 10 + (uint64_t)k);
	}
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * The BPF fast path ran a task before the policy dispatched it: QUEUED and
 * RUNNING (which carries the enqueue's seq, as fill_msg() does) arrive in
 * one batch. The policy still sees enqueue, dispatch, running, stopping in
 * that order, and its answer goes out with the enqueue's seq (the kernel
 * drops it as stale).
 */
START_TEST(ran_before_dispatch_keeps_hook_order)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct policy_conf conf = { .nr_cpus = 2, .max_tasks = 16 };
	struct live_sched s;
	struct recorder *rc;

	ck_assert_int_eq(live_sched_init(&s, &recorder_ops, &conf), 0);
	rc = s.pst;
	fr_queue(r, 400, 77, SCXL_ENQ_WAKEUP);
	fr_msg(r, SCXL_MSG_RUNNING, 400)->seq = 77;
	fr_msg(r, SCXL_MSG_STOPPING, 400)->seq = 77;
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "edrs");
	ck_assert_uint_eq(s.st.ran_early, 1);
	ck_assert_uint_eq(r->nr_out, 1);
	ck_assert_int_eq(r->out[0].pid, 400);
	ck_assert_uint_eq(r->out[0].seq, 77);
	/* Later rounds answer nothing more for it. */
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->nr_out, 1);
	/* Its next enqueue, decided as usual, is answered. */
	fr_queue(r, 400, 78, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "edrsed");
	ck_assert_uint_eq(r->nr_out, 2);
	ck_assert_uint_eq(r->out[1].seq, 78);
	live_sched_free(&s);
	free(r);
}
END_TEST

Suite *live_suite(void)
{
	Suite *s = suite_create("live");
	TCase *tc = tcase_create("dispatch");

	tcase_add_test(tc, fifo_order_and_seq);
	tcase_add_test(tc, requeue_carries_newest_seq);
	tcase_add_test(tc, exit_while_queued_drops_task);
	tcase_add_test(tc, full_ring_holds_decisions);
	tcase_add_test(tc, flood_is_answered_in_rounds);
	tcase_add_test(tc, bad_cpu_becomes_any);
	tcase_add_test(tc, kicks_only_busy_cpus);
	tcase_add_test(tc, reused_pid_is_a_new_task);
	tcase_add_test(tc, ids_recycle_and_evict);
	tcase_add_test(tc, taskmap_churn);
	tcase_add_test(tc, no_slot_still_answered);
	tcase_add_test(tc, ran_before_dispatch_keeps_hook_order);
	suite_add_tcase(s, tc);
	tc = tcase_create("args");
	tcase_add_test(tc, args_defaults_and_options);
	tcase_add_test(tc, args_errors);
	suite_add_tcase(s, tc);
	return s;
}
