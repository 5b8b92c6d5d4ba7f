/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scxlive's figures, named once: the stats line (--stats) and the stats
 * socket (scx_stats' JSON, live/stats_server.c) print the same snapshot
 * from the same table, so the two can never disagree on what a figure is.
 *
 * JSON names follow scx_rustland's (nr_user_dispatches, ...) where the
 * figure means the same; the others are nr_ + the stats line's key. Every
 * counter counts from attach; tasks is a gauge.
 */
#ifndef SCX_LIVE_STATS_H
#define SCX_LIVE_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/intf.h"
#include "live/dispatch.h"

enum live_stat {
	/* The BPF side's per-CPU counters, in enum scxl_stat's order. */
	LIVE_STAT_QUEUED,
	LIVE_STAT_USER,
	LIVE_STAT_KERNEL,
	LIVE_STAT_CANCELLED,
	LIVE_STAT_BOUNCED,
	LIVE_STAT_CONGESTED,
	LIVE_STAT_FAILED,
	LIVE_STAT_FAST,
	LIVE_STAT_RESCUED,
	LIVE_STAT_LOST,
	/* The daemon's (struct live_stats), after "| policy=NAME". */
	LIVE_STAT_TASKS,
	LIVE_STAT_ENQ,
	LIVE_STAT_REQUEUED,
	LIVE_STAT_DISPATCHED,
	LIVE_STAT_KICKS,
	LIVE_STAT_BAD_CPU,
	LIVE_STAT_BAD_ID,
	LIVE_STAT_HELD,
	LIVE_STAT_EVICTED,
	LIVE_STAT_BAD_SELECT,
	LIVE_STAT_SLOTLESS,
	LIVE_STAT_RAN_EARLY,
	LIVE_STAT_REPLAYED,
	LIVE_STAT_DROPPED,
	LIVE_NR_LINE_STATS,		/* the stats line ends here */
	/* The socket's alone: the process around the daemon. */
	LIVE_STAT_CPUS = LIVE_NR_LINE_STATS,
	LIVE_STAT_PAGE_FAULTS,
	LIVE_NR_STATS,
};

struct live_stat_field {
	const char *key;		/* the stats line's "key=" */
	const char *json;		/* the socket's field name */
	const char *desc;
};

extern const struct live_stat_field live_stat_fields[LIVE_NR_STATS];

struct live_stats_snap {
	const char *policy;
	uint64_t v[LIVE_NR_STATS];
};

/*
 * Fill a snapshot from the BPF counters (summed over CPUs), the daemon and
 * the process's page faults since attach.
 */
void live_stats_fill(struct live_stats_snap *snap, const uint64_t kern[SCXL_NR_STATS],
		     const struct live_sched *s, uint32_t nr_cpus, uint64_t page_faults);

/* The stats line: "scxlive: queued=N ... | policy=NAME tasks=N ...\n". */
int live_stats_line(FILE *f, const struct live_stats_snap *snap);

/* minor + major page faults of this process so far. */
uint64_t live_page_faults(void);

#endif /* SCX_LIVE_STATS_H */
