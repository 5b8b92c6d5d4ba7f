// SPDX-License-Identifier: GPL-2.0
/* pid -> dense index (see pidmap.h). */
#include <stdlib.h>

#include "sim/model/pidmap.h"

/* pid's slot, or the empty one where it would go. */
static uint32_t find(const struct pidmap_slot *s, uint32_t n, int32_t pid)
{
	uint32_t h = ((uint32_t)pid * 2654435761u) & (n - 1);

	while (s[h].idx != PIDMAP_NONE && s[h].pid != pid)
		h = (h + 1) & (n - 1);
	return h;
}

static int resize(struct pidmap *pm, uint32_t n)
{
	struct pidmap_slot *s = malloc((size_t)n * sizeof(*s));

	if (!s)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		s[i].idx = PIDMAP_NONE;
	for (uint32_t i = 0; i < pm->nslots; i++)
		if (pm->slots[i].idx != PIDMAP_NONE)
			s[find(s, n, pm->slots[i].pid)] = pm->slots[i];
	free(pm->slots);
	pm->slots = s;
	pm->nslots = n;
	return 0;
}

int pidmap_init(struct pidmap *pm)
{
	pm->slots = NULL;
	pm->nslots = 0;
	pm->nr = 0;
	return resize(pm, 1024);
}

void pidmap_free(struct pidmap *pm)
{
	free(pm->slots);
	pm->slots = NULL;
	pm->nslots = pm->nr = 0;
}

int pidmap_put(struct pidmap *pm, int32_t pid, uint32_t idx)
{
	uint32_t h = find(pm->slots, pm->nslots, pid);

	if (pm->slots[h].idx == PIDMAP_NONE) {
		/* Grow first, so a failure leaves the map as it was. */
		if ((pm->nr + 1) * 2 > pm->nslots) {
			if (resize(pm, pm->nslots * 2))
				return -1;
			h = find(pm->slots, pm->nslots, pid);
		}
		pm->nr++;
	}
	pm->slots[h].pid = pid;
	pm->slots[h].idx = idx;
	return 0;
}
