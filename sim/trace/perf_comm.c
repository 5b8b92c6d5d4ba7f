// SPDX-License-Identifier: GPL-2.0
/*
 * The comm of every tid perf.data named in a COMM record: a FORK record
 * gives the child its parent's comm at that point in time, as perf's
 * thread__fork does, and only the reader can know it (the trace carries no
 * comm on fork). Sorted by tid, found by binary search.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/trace/perf.h"

struct comm_slot *comm_find(struct perf_comms *t, int32_t tid, bool add)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->v[mid].tid == tid)
			return &t->v[mid];
		if (t->v[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!add)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct comm_slot *c = realloc(t->v, cap * sizeof(*c));

		if (!c)
			return NULL;
		t->v = c;
		t->cap = cap;
	}
	memmove(&t->v[lo + 1], &t->v[lo],
		(t->n - lo) * sizeof(*t->v));
	t->n++;
	t->v[lo].tid = tid;
	t->v[lo].comm[0] = '\0';
	return &t->v[lo];
}

void comm_free(struct perf_comms *t)
{
	free(t->v);
}
