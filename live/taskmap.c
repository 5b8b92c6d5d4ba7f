// SPDX-License-Identifier: GPL-2.0
/*
 * pid -> id map: open addressing with linear probing and backward-shift
 * deletion (no tombstones, so a long-running daemon's probes stay short),
 * at most half full. Free ids are a stack so a recycled id is the most
 * recently freed one, whose policy state is warm in cache.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "live/taskmap.h"

static uint32_t pid_hash(int32_t pid)
{
	return (uint32_t)pid * 2654435761u;
}

int live_taskmap_init(struct live_taskmap *m, uint32_t max_tasks)
{
	uint32_t buckets = 16;

	memset(m, 0, sizeof(*m));
	if (!max_tasks || max_tasks > (1u << 24))
		return -EINVAL;
	while (buckets < 2 * max_tasks)
		buckets <<= 1;
	m->hash = malloc(buckets * sizeof(*m->hash));
	m->free_ids = malloc(max_tasks * sizeof(*m->free_ids));
	m->slots = calloc(max_tasks, sizeof(*m->slots));
	if (!m->hash || !m->free_ids || !m->slots) {
		live_taskmap_free(m);
		return -ENOMEM;
	}
	memset(m->hash, 0xff, buckets * sizeof(*m->hash));
	m->hash_mask = buckets - 1;
	m->max_tasks = max_tasks;
	/* Pop order 0, 1, 2...: ids start small, as in the simulator. */
	for (uint32_t i = 0; i < max_tasks; i++)
		m->free_ids[i] = max_tasks - 1 - i;
	m->nr_free = max_tasks;
	return 0;
}

void live_taskmap_free(struct live_taskmap *m)
{
	free(m->hash);
	free(m->free_ids);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

int32_t live_taskmap_find(const struct live_taskmap *m, int32_t pid)
{
	for (uint32_t b = pid_hash(pid) & m->hash_mask;; b = (b + 1) & m->hash_mask) {
		int32_t id = m->hash[b];

		if (id < 0)
			return -1;
		if (m->slots[id].pid == pid)
			return id;
	}
}

int32_t live_taskmap_get(struct live_taskmap *m, int32_t pid, bool *created)
{
	uint32_t b;
	int32_t id;

	*created = false;
	for (b = pid_hash(pid) & m->hash_mask;; b = (b + 1) & m->hash_mask) {
		id = m->hash[b];
		if (id < 0)
			break;
		if (m->slots[id].pid == pid)
			return id;
	}
	if (!m->nr_free || pid <= 0)
		return -1;
	id = (int32_t)m->free_ids[--m->nr_free];
	memset(&m->slots[id], 0, sizeof(m->slots[id]));
	m->slots[id].pid = pid;
	m->hash[b] = id;
	m->nr_used++;
	*created = true;
	return id;
}

void live_taskmap_put(struct live_taskmap *m, uint32_t id)
{
	uint32_t b, next;

	if (id >= m->max_tasks || !m->slots[id].pid)
		return;
	for (b = pid_hash(m->slots[id].pid) & m->hash_mask; m->hash[b] != (int32_t)id;
	     b = (b + 1) & m->hash_mask)
		;
	/* Backward shift: pull later entries of the run into the hole. */
	for (next = (b + 1) & m->hash_mask; m->hash[next] >= 0;
	     next = (next + 1) & m->hash_mask) {
		uint32_t home = pid_hash(m->slots[m->hash[next]].pid) & m->hash_mask;

		/* Movable if its home is not in the cyclic range (b, next]. */
		if (((next - home) & m->hash_mask) >= ((next - b) & m->hash_mask)) {
			m->hash[b] = m->hash[next];
			b = next;
		}
	}
	m->hash[b] = -1;
	m->slots[id].pid = 0;
	m->free_ids[m->nr_free++] = id;
	m->nr_used--;
}

int32_t live_taskmap_oldest_idle(const struct live_taskmap *m)
{
	int32_t best = -1;

	for (uint32_t id = 0; id < m->max_tasks; id++) {
		const struct live_slot *s = &m->slots[id];

		if (!s->pid || s->queued)
			continue;
		if (best < 0 || s->last_seen < m->slots[best].last_seen)
			best = (int32_t)id;
	}
	return best;
}
