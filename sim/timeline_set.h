/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `--timeline DIR`: the set of timeline files one run writes (the trace's
 * own schedule as DIR/recorded.pftrace, each replay as DIR/POLICY.pftrace),
 * committed together at the end, or none of them.
 */
#ifndef SCX_SIM_TIMELINE_SET_H
#define SCX_SIM_TIMELINE_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine/replay_events.h"
#include "sim/trace/timeline.h"

#define TIMELINE_SET_MAX	32

struct timeline_set {
	const char *dir;
	struct timeline *tl[TIMELINE_SET_MAX];
	size_t n;
};

/* DIR must be an existing, writable directory: 0, or -1 with err. */
int timeline_dir_check(const char *dir, char *err, size_t errlen);
/* DIR/NAME.pftrace, kept in the set; NULL with err on failure. */
struct timeline *timeline_set_open(struct timeline_set *ts, const char *name,
				   uint32_t cpus, const char *release,
				   bool has_waking, char *err, size_t errlen);
/* Finish and commit every file: 0, or -1 with err (then none is kept). */
int timeline_set_commit(struct timeline_set *ts, char *err, size_t errlen);
void timeline_set_abort(struct timeline_set *ts);
/* A replay_emit_fn writing to the struct timeline in ctx. */
int timeline_emit(void *ctx, const struct sched_event *ev);

#endif /* SCX_SIM_TIMELINE_SET_H */
