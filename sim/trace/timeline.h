/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Timelines: a stream of scheduler events written as a Perfetto trace
 * (protobuf: Trace { TracePacket { FtraceEventBundle { FtraceEvent } } })
 * that ui.perfetto.dev opens as per-CPU tracks of each task's runs, with
 * its wakeups, and that scxsim's own Perfetto reader reads back.
 *
 * The same writer serves the trace's own schedule (every event as read)
 * and each replay (the engine's switches and wakeups, see replay_events.h).
 * A file is written to a temporary sibling and only appears under its name
 * on timeline_commit(), so a set of timelines is written whole or not at
 * all: finish every file, then commit them all, or abort them all.
 */
#ifndef SCX_SIM_TRACE_TIMELINE_H
#define SCX_SIM_TRACE_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/trace/trace.h"

#define TIMELINE_EXT	".pftrace"

struct timeline;

/*
 * Create path's temporary file and write the trace's header: the CPU count,
 * when known the recording kernel's release (Perfetto decodes prev_state by
 * it), and when has_waking the enabled events (the recording had
 * sched_waking from its start). NULL with one line in err on failure.
 */
struct timeline *timeline_open(const char *path, uint32_t cpus,
			       const char *release, bool has_waking,
			       char *err, size_t errlen);
/* Append one event (in time order). 0, or -1 once anything failed. */
int timeline_event(struct timeline *tl, const struct sched_event *ev);
/* Write what is buffered and close the temporary file: 0, or -1 + err. */
int timeline_finish(struct timeline *tl, char *err, size_t errlen);
/* Give the finished file its name and free tl: 0, or -1 + err. */
int timeline_commit(struct timeline *tl, char *err, size_t errlen);
/* Remove the temporary file and free tl (NULL is fine). */
void timeline_abort(struct timeline *tl);
/* Events written so far. */
uint64_t timeline_events(const struct timeline *tl);

#endif /* SCX_SIM_TRACE_TIMELINE_H */
