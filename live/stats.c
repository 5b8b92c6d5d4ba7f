// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of scxlive's figures (see live/stats.h), the stats line it
 * prints and the snapshot both outputs read.
 */
#include <sys/resource.h>

#include "live/stats.h"

/* A new BPF counter must get a row here before anything builds. */
_Static_assert((int)LIVE_STAT_QUEUED == (int)SCXL_STAT_QUEUED &&
	       (int)LIVE_STAT_FAILED == (int)SCXL_STAT_FAILED &&
	       (int)LIVE_STAT_RESCUED == (int)SCXL_STAT_RESCUED &&
	       (int)LIVE_STAT_LOST == (int)SCXL_STAT_LOST &&
	       (int)LIVE_STAT_TASKS == (int)SCXL_NR_STATS,
	       "live_stat's kernel rows must follow enum scxl_stat");

const struct live_stat_field live_stat_fields[LIVE_NR_STATS] = {
	[LIVE_STAT_QUEUED]	= { "queued", "nr_queued_to_user",
				    "tasks the BPF side handed to the daemon" },
	[LIVE_STAT_USER]	= { "user", "nr_user_dispatches",
				    "decisions of the daemon carried out" },
	[LIVE_STAT_KERNEL]	= { "kernel", "nr_kernel_dispatches",
				    "tasks dispatched in BPF (the daemon, kthreads, idle CPUs)" },
	[LIVE_STAT_CANCELLED]	= { "cancelled", "nr_cancel_dispatches",
				    "stale decisions dropped (the task was queued again)" },
	[LIVE_STAT_BOUNCED]	= { "bounced", "nr_bounce_dispatches",
				    "decisions for a CPU the task may not use: sent to the shared queue" },
	[LIVE_STAT_CONGESTED]	= { "congested", "nr_sched_congested",
				    "tasks queued in the kernel because the ring to the daemon was full" },
	[LIVE_STAT_FAILED]	= { "failed", "nr_failed",
				    "messages or decisions that could not be sent or read" },
	[LIVE_STAT_FAST]	= { "fast", "nr_fast",
				    "lone waiting tasks BPF ran itself on an idling CPU" },
	[LIVE_STAT_RESCUED]	= { "rescued", "nr_rescued",
				    "tasks run after waiting 2 s in the shared queue" },
	[LIVE_STAT_LOST]	= { "lost", "nr_lost",
				    "running/stopping notices kept for the task's next message (ring full)" },
	[LIVE_STAT_TASKS]	= { "tasks", "nr_tasks",
				    "tasks the daemon holds a slot for (gauge)" },
	[LIVE_STAT_ENQ]		= { "enq", "nr_enq", "policy enqueue() calls" },
	[LIVE_STAT_REQUEUED]	= { "requeued", "nr_requeued",
				    "tasks queued again while still queued" },
	[LIVE_STAT_DISPATCHED]	= { "dispatched", "nr_dispatched",
				    "decisions the daemon pushed" },
	[LIVE_STAT_KICKS]	= { "kicks", "nr_kicks",
				    "preemptions of busy CPUs the policy asked for" },
	[LIVE_STAT_BAD_CPU]	= { "bad_cpu", "nr_bad_cpu",
				    "dispatches to a CPU the task may not use, made any CPU" },
	[LIVE_STAT_BAD_ID]	= { "bad_id", "nr_bad_id",
				    "policy dispatches of a task that was not queued" },
	[LIVE_STAT_HELD]	= { "held", "nr_held",
				    "decisions held because the ring to the kernel was full" },
	[LIVE_STAT_EVICTED]	= { "evicted", "nr_evicted",
				    "task slots reclaimed (exit seen late or lost)" },
	[LIVE_STAT_BAD_SELECT]	= { "bad_select", "nr_bad_select",
				    "select_cpu answers naming a CPU the task may not use" },
	[LIVE_STAT_SLOTLESS]	= { "slotless", "nr_slotless",
				    "tasks queued with every slot taken, answered without the policy" },
	[LIVE_STAT_RAN_EARLY]	= { "ran_early", "nr_ran_early",
				    "tasks the kernel ran before the policy dispatched them" },
	[LIVE_STAT_REPLAYED]	= { "replayed", "nr_replayed",
				    "lost running/stopping hooks the daemon replayed in order" },
	[LIVE_STAT_DROPPED]	= { "dropped", "nr_dropped",
				    "answers the daemon had no room for (a bug if above 0)" },
	[LIVE_STAT_CPUS]	= { "cpus", "nr_cpus", "possible CPUs" },
	[LIVE_STAT_PAGE_FAULTS]	= { "page_faults", "nr_page_faults",
				    "the daemon's page faults since attach (should stay 0)" },
};

void live_stats_fill(struct live_stats_snap *snap, const uint64_t kern[SCXL_NR_STATS],
		     const struct live_sched *s, uint32_t nr_cpus, uint64_t page_faults)
{
	const struct live_stats *st = &s->st;
	uint64_t *v = snap->v;

	snap->policy = s->ops->name;
	for (int i = 0; i < SCXL_NR_STATS; i++)
		v[i] = kern[i];
	v[LIVE_STAT_TASKS] = s->map.nr_used;
	v[LIVE_STAT_ENQ] = st->enqueues;
	v[LIVE_STAT_REQUEUED] = st->requeued;
	v[LIVE_STAT_DISPATCHED] = st->dispatched;
	v[LIVE_STAT_KICKS] = st->kicks;
	v[LIVE_STAT_BAD_CPU] = st->bad_cpu;
	v[LIVE_STAT_BAD_ID] = st->bad_id;
	v[LIVE_STAT_HELD] = st->congested;
	v[LIVE_STAT_EVICTED] = st->evicted;
	v[LIVE_STAT_BAD_SELECT] = st->bad_select;
	v[LIVE_STAT_SLOTLESS] = st->slotless;
	v[LIVE_STAT_RAN_EARLY] = st->ran_early;
	v[LIVE_STAT_REPLAYED] = st->replayed;
	v[LIVE_STAT_DROPPED] = st->dropped;
	v[LIVE_STAT_CPUS] = nr_cpus;
	v[LIVE_STAT_PAGE_FAULTS] = page_faults;
}

int live_stats_line(FILE *f, const struct live_stats_snap *snap)
{
	int ret = fputs("scxlive:", f);

	for (int i = 0; i < LIVE_NR_LINE_STATS && ret >= 0; i++) {
		if (i == LIVE_STAT_TASKS)
			ret = fprintf(f, " | policy=%s", snap->policy);
		if (ret >= 0)
			ret = fprintf(f, " %s=%llu", live_stat_fields[i].key,
				      (unsigned long long)snap->v[i]);
	}
	if (ret >= 0)
		ret = fputc('\n', f);
	return ret < 0 ? -1 : 0;
}

uint64_t live_page_faults(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (uint64_t)ru.ru_minflt + (uint64_t)ru.ru_majflt;
}
