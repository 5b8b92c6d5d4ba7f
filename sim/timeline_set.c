// SPDX-License-Identifier: GPL-2.0
/*
 * A run's timeline files, written whole or not at all (see
 * timeline_set.h): every file is finished first (all data written, closed),
 * and only when all of them succeeded are they renamed into place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/timeline_set.h"

int timeline_dir_check(const char *dir, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st)) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "not a directory");
		return -1;
	}
	if (access(dir, W_OK | X_OK)) {
		snprintf(err, errlen, "cannot write there: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct timeline *timeline_set_open(struct timeline_set *ts, const char *name,
				   uint32_t cpus, const char *release,
				   bool has_waking, char *err, size_t errlen)
{
	struct timeline *tl;
	char *path;

	if (ts->n == TIMELINE_SET_MAX) {
		snprintf(err, errlen, "at most %d timelines", TIMELINE_SET_MAX);
		return NULL;
	}
	if (asprintf(&path, "%s/%s%s", ts->dir, name, TIMELINE_EXT) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	tl = timeline_open(path, cpus, release, has_waking, err, errlen);
	free(path);
	if (tl)
		ts->tl[ts->n++] = tl;
	return tl;
}

int timeline_set_commit(struct timeline_set *ts, char *err, size_t errlen)
{
	for (size_t i = 0; i < ts->n; i++)
		if (timeline_finish(ts->tl[i], err, errlen)) {
			timeline_set_abort(ts);
			return -1;
		}
	for (size_t i = 0; i < ts->n; i++) {
		if (timeline_commit(ts->tl[i], err, errlen)) {
			/* the rest never appear; those renamed stay whole */
			ts->tl[i] = NULL;
			for (size_t k = i + 1; k < ts->n; k++)
				timeline_abort(ts->tl[k]);
			ts->n = 0;
			return -1;
		}
		ts->tl[i] = NULL;
	}
	ts->n = 0;
	return 0;
}

void timeline_set_abort(struct timeline_set *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		timeline_abort(ts->tl[i]);
	ts->n = 0;
}

int timeline_emit(void *ctx, const struct sched_event *ev)
{
	return timeline_event(ctx, ev);
}
