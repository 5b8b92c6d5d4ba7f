/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The `recorded` pseudo-policy: the wakeup delays the kernel actually gave
 * in a trace, accounted exactly as `perf sched latency` (perf 6.12) does,
 * so its per-comm Count / Avg / Max match perf's on the same perf.data.
 *
 * Feed it the stream event by event (recorded_event) when the caller reads
 * the trace for other reasons too, or let recorded_run read it all.
 */
#ifndef SCX_RECORDED_H
#define SCX_RECORDED_H

#include <stddef.h>

#include "sim/report/metrics.h"
#include "sim/trace/trace.h"

struct recorded;

struct recorded *recorded_new(void);
/* info may be NULL; it tells whether sched_wakeup is to be ignored. */
void recorded_event(struct recorded *rc, const struct trace_info *info,
		    const struct sched_event *ev);
/* flags: METRICS_PERF_ROWS for exactly the rows perf prints. */
struct result *recorded_finish(struct recorded *rc, const struct trace_info *info,
			       unsigned int flags);
void recorded_free(struct recorded *rc);

/*
 * Read r to its end and build the "recorded" result (perf's rows). 0 on
 * success; -1 with one line in err (the trace's error, or out of memory).
 */
int recorded_run(struct trace_reader *r, struct result **out, char *err,
		 size_t errlen);

#endif /* SCX_RECORDED_H */
