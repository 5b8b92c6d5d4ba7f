/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pid -> dense index, the lookup every per-task table of the simulator
 * needs once per event (recorded delays, metrics, the workload model).
 * Open addressing with linear probing over (pid, index) pairs, kept at
 * most half full, so a lookup is a hash and a probe or two; the owner
 * keeps its per-task records in its own dense array.
 */
#ifndef SCX_SIM_PIDMAP_H
#define SCX_SIM_PIDMAP_H

#include <stdint.h>

#define PIDMAP_NONE UINT32_MAX

struct pidmap_slot {
	int32_t pid;
	uint32_t idx;			/* PIDMAP_NONE: empty */
};

struct pidmap {
	struct pidmap_slot *slots;
	uint32_t nslots;		/* power of two */
	uint32_t nr;
};

/* 0, or -1 when out of memory. */
int pidmap_init(struct pidmap *pm);
void pidmap_free(struct pidmap *pm);

/* The index stored for pid, or PIDMAP_NONE. */
static inline uint32_t pidmap_get(const struct pidmap *pm, int32_t pid)
{
	uint32_t mask = pm->nslots - 1;
	uint32_t h = ((uint32_t)pid * 2654435761u) & mask;

	while (pm->slots[h].idx != PIDMAP_NONE) {
		if (pm->slots[h].pid == pid)
			return pm->slots[h].idx;
		h = (h + 1) & mask;
	}
	return PIDMAP_NONE;
}

/*
 * Map pid to idx, replacing an earlier mapping of the same pid (a pid
 * reused by a new task). 0, or -1 out of memory (the map is unchanged).
 */
int pidmap_put(struct pidmap *pm, int32_t pid, uint32_t idx);

#endif /* SCX_SIM_PIDMAP_H */
