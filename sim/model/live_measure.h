/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Measuring scxlive's round trip from traces recorded under it, where its
 * daemon is a task like any other (comm "scxlive..."): how long the daemon
 * takes to get a CPU once work arrives, how long it runs, how many
 * messages a run handles, and how a task's wait splits into the three legs
 * (enqueue -> daemon running -> daemon done -> task running) or the BPF
 * side's own paths. The costs become a struct live_cost for the scxlive
 * host model; the legs are the report that says what the costs explain.
 */
#ifndef SCX_SIM_LIVE_MEASURE_H
#define SCX_SIM_LIVE_MEASURE_H

#include <stdio.h>

#include "sim/model/live_cost.h"
#include "sim/trace/trace.h"

struct live_measure;

struct live_measure *live_measure_new(void);
void live_measure_free(struct live_measure *lm);
/* Feed one trace's events in order; 0, or -1 when out of memory. */
int live_measure_event(struct live_measure *lm, const struct sched_event *ev);
/* The trace fed since the last call ended (it covered cpus CPUs). */
void live_measure_trace_end(struct live_measure *lm, uint32_t cpus);
/*
 * The costs over every trace fed, into c (per_msg and the distributions);
 * the round trip and the daemon's share as '#' lines into report (size
 * len). 0, or -1 with a reason in report when no trace showed the daemon.
 */
int live_measure_finish(struct live_measure *lm, struct live_cost *c,
			char *report, size_t len);

/* `scxsim --measure-live [-o FILE] TRACE...` (argv[0] is the option). */
int live_measure_main(int argc, char **argv);

#endif /* SCX_SIM_LIVE_MEASURE_H */
