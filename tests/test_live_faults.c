// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's answers to the kernel's bad moments, against the fake rings:
 * a decision ring full for long enough that held answers fill pending[]
 * while tasks keep coming with no slot, and RUNNING/STOPPING notices the
 * kernel had no room for, which arrive as flags on the task's next message.
 * What must hold: every QUEUED message gets exactly one answer with its own
 * seq (a task nobody answers starves until the watchdog ejects us), and the
 * policy sees running and stopping before the task's next enqueue or exit.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tests/suites.h"
#include "tests/test_live.h"

/*
 * Two slots, a decision ring that takes nothing, and more tasks than
 * pending[] holds: the daemon stops reading (the kernel's ring keeps the
 * rest) instead of dropping slotless answers, and once the ring drains
 * every task gets its one answer.
 */
START_TEST(slotless_answer_never_dropped)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	const uint32_t n = LIVE_PENDING_MAX + 100;
	uint8_t *answers = calloc(n, 1);

	sched_init(&s, "fifo", 2);
	r->capacity = 0;
	for (uint32_t i = 0; i < n; i++)
		fr_queue(r, 2000 + (int32_t)i, 50 + i, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.nr_pending, LIVE_PENDING_MAX);
	ck_assert_uint_lt(r->next_msg, n);
	ck_assert_uint_eq(s.st.dropped, 0);
	/* Still full: a second round reads nothing more. */
	uint32_t read = r->next_msg;
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->next_msg, read);

	r->capacity = FR_MAX;
	for (int round = 0; round < 10 && (r->next_msg < n || s.nr_pending); round++)
		live_sched_run(&s, &ring);
	ck_assert_uint_eq(r->next_msg, n);
	ck_assert_uint_eq(s.nr_pending, 0);
	ck_assert_uint_eq(s.st.dropped, 0);
	ck_assert_uint_gt(s.st.slotless, LIVE_PENDING_MAX - 2);
	ck_assert_uint_eq(r->nr_out, n);
	for (uint32_t i = 0; i < r->nr_out; i++) {
		uint32_t k = (uint32_t)(r->out[i].pid - 2000);

		ck_assert_uint_lt(k, n);
		ck_assert_uint_eq(r->out[i].seq, 50 + k);
		ck_assert_uint_eq(answers[k], 0);
		answers[k] = 1;
	}
	free(answers);
	live_sched_free(&s);
	free(r);
}
END_TEST

static struct recorder *rec_init_sched(struct live_sched *s)
{
	struct policy_conf conf = { .nr_cpus = 2, .max_tasks = 16 };

	ck_assert_int_eq(live_sched_init(s, &recorder_ops, &conf), 0);
	return s->pst;
}

static struct scxl_msg *fr_lost(struct fake_ring *r, uint32_t kind, int32_t pid,
				uint32_t lost, uint64_t ran_ns)
{
	struct scxl_msg *m = fr_msg(r, kind, pid);

	m->flags |= lost;
	m->lost_ran_ns = ran_ns;
	m->prev_cpu = 1;
	return m;
}

/*
 * Dispatched, then both notices lost: the next QUEUED replays running (on
 * the CPU it ran on) and stopping (its stint, not runnable) before enqueue.
 */
START_TEST(lost_notices_replayed_before_enqueue)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct recorder *rc = rec_init_sched(&s);
	struct scxl_msg *m;

	fr_queue(r, 500, 1, SCXL_ENQ_WAKEUP);
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "ed");
	m = fr_lost(r, SCXL_MSG_QUEUED, 500,
		    SCXL_MSG_LOST_RUNNING | SCXL_MSG_LOST_STOPPING, 4321);
	m->seq = 2;
	m->flags |= SCXL_ENQ_WAKEUP;
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "edrsed");
	ck_assert_int_eq(rc->run_cpu, 1);
	ck_assert_uint_eq(rc->ran_ns, 4321);
	ck_assert(!rc->runnable);
	ck_assert_uint_eq(s.st.replayed, 2);
	ck_assert_uint_eq(r->nr_out, 2);
	ck_assert_uint_eq(r->out[1].seq, 2);

	/* RUNNING told, STOPPING lost (still runnable), then it exits. */
	m = fr_msg(r, SCXL_MSG_RUNNING, 500);
	fr_lost(r, SCXL_MSG_EXIT, 500,
		SCXL_MSG_LOST_STOPPING | SCXL_MSG_LOST_RUNNABLE, 99);
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "edrsedrsx");
	ck_assert_uint_eq(rc->ran_ns, 99);
	ck_assert(rc->runnable);
	ck_assert_uint_eq(s.st.replayed, 3);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * The BPF fast path ran a task the policy still held, and its RUNNING was
 * lost: the STOPPING that made it carries LOST_RUNNING, and the policy
 * sees dispatch, running, stopping in that order.
 */
START_TEST(lost_running_of_fast_path_keeps_order)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct recorder *rc = rec_init_sched(&s);
	struct scxl_msg *m;

	fr_queue(r, 600, 7, SCXL_ENQ_WAKEUP);
	m = fr_lost(r, SCXL_MSG_STOPPING, 600, SCXL_MSG_LOST_RUNNING, 0);
	m->ran_ns = 777;
	m->seq = 7;
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "edrs");
	ck_assert_uint_eq(rc->ran_ns, 777);
	ck_assert_uint_eq(s.st.ran_early, 1);
	ck_assert_uint_eq(s.st.replayed, 1);
	/* The answer for the enqueue that already ran still goes out. */
	ck_assert_uint_eq(r->nr_out, 1);
	ck_assert_uint_eq(r->out[0].seq, 7);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * The fast path ran a held task and both its notices were lost: its next
 * QUEUED carries them with the new enqueue's seq. The old enqueue's answer
 * goes out (stale), and the new enqueue's answer must go out too, or the
 * task waits for ever (the kernel's watchdog ejected a bench-live round).
 */
START_TEST(lost_notices_on_queued_do_not_hold_back_its_answer)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct recorder *rc = rec_init_sched(&s);
	struct scxl_msg *m;

	(void)rc;
	/* Held (no flush yet) when the fast path ran it and it stopped... */
	fr_queue(r, 610, 7, SCXL_ENQ_WAKEUP);
	/* ...and both notices ride on its next enqueue, seq 8. */
	fr_queue(r, 610, 8, SCXL_ENQ_WAKEUP);
	m = &r->msgs[r->nr_msgs - 1];
	m->flags |= SCXL_MSG_LOST_RUNNING | SCXL_MSG_LOST_STOPPING;
	live_sched_run(&s, &ring);
	ck_assert_uint_eq(s.st.ran_early, 1);
	ck_assert_uint_gt(r->nr_out, 0);
	ck_assert_uint_eq(r->out[r->nr_out - 1].seq, 8);
	live_sched_free(&s);
	free(r);
}
END_TEST

/*
 * Lost notices of a task the daemon has no slot history for (a new slot:
 * its old one was evicted) are not replayed: the policy never ran it.
 */
START_TEST(lost_notices_of_unknown_task_ignored)
{
	struct fake_ring *r = fr_new();
	struct live_ring ring = fr_ring(r);
	struct live_sched s;
	struct recorder *rc = rec_init_sched(&s);
	struct scxl_msg *m;

	m = fr_lost(r, SCXL_MSG_QUEUED, 700,
		    SCXL_MSG_LOST_RUNNING | SCXL_MSG_LOST_STOPPING, 5);
	m->seq = 3;
	live_sched_run(&s, &ring);
	ck_assert_str_eq(rc->log, "ed");
	ck_assert_uint_eq(s.st.replayed, 0);
	/* And the policy never sees the notice bits as enqueue flags. */
	ck_assert_uint_eq(rc->enq_flags, 0);
	live_sched_free(&s);
	free(r);
}
END_TEST

Suite *live_faults_suite(void)
{
	Suite *s = suite_create("live_faults");
	TCase *tc = tcase_create("faults");

	tcase_add_test(tc, slotless_answer_never_dropped);
	tcase_add_test(tc, lost_notices_replayed_before_enqueue);
	tcase_add_test(tc, lost_running_of_fast_path_keeps_order);
	tcase_add_test(tc, lost_notices_on_queued_do_not_hold_back_its_answer);
	tcase_add_test(tc, lost_notices_of_unknown_task_ignored);
	suite_add_tcase(s, tc);
	return s;
}
