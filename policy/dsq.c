// SPDX-License-Identifier: GPL-2.0
/* Global + per-CPU dispatch queues over one node array (see dsq.h). */
#include "policy/dsq.h"
#include "policy/policy.h"

static struct rq *pcpu(struct dsq *d)
{
	return (struct rq *)((char *)d + d->off_pcpu);
}

static struct rq_node *nodes(const struct dsq *d)
{
	return (struct rq_node *)((char *)d + d->off_node);
}

static int16_t *where(const struct dsq *d)
{
	return (int16_t *)((char *)d + d->off_where);
}

static size_t align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

size_t dsq_layout(struct dsq *d, size_t hdr, uint32_t nr_cpus,
		  uint32_t max_tasks)
{
	size_t off = align8(hdr);

	d->nr_cpus = nr_cpus;
	d->max_tasks = max_tasks;
	d->off_pcpu = off;
	off = align8(off + sizeof(struct rq) * nr_cpus);
	d->off_node = off;
	off = align8(off + sizeof(struct rq_node) * max_tasks);
	d->off_where = off;
	off = align8(off + sizeof(int16_t) * max_tasks);
	return off;
}

void dsq_init(struct dsq *d)
{
	d->nr_queued = d->nr_pcpu = 0;
	d->seq = 0;
	rq_init(&d->global);
	for (uint32_t c = 0; c < d->nr_cpus; c++)
		rq_init(&pcpu(d)[c]);
	rq_nodes_init(nodes(d), d->max_tasks);
	for (uint32_t i = 0; i < d->max_tasks; i++)
		where(d)[i] = DSQ_NONE;
}

void dsq_insert(struct dsq *d, uint32_t id, int32_t cpu, uint64_t key)
{
	struct rq *q;

	dsq_remove(d, id);
	if (cpu >= 0 && (uint32_t)cpu < d->nr_cpus) {
		q = &pcpu(d)[cpu];
		d->nr_pcpu++;
	} else {
		cpu = DSQ_GLOBAL;
		q = &d->global;
	}
	rq_insert(q, nodes(d), id, key, d->seq++);
	where(d)[id] = (int16_t)cpu;
	d->nr_queued++;
}

bool dsq_remove(struct dsq *d, uint32_t id)
{
	int32_t w = where(d)[id];

	if (w == DSQ_NONE)
		return false;
	if (w == DSQ_GLOBAL) {
		rq_remove(&d->global, nodes(d), id);
	} else {
		rq_remove(&pcpu(d)[w], nodes(d), id);
		d->nr_pcpu--;
	}
	where(d)[id] = DSQ_NONE;
	d->nr_queued--;
	return true;
}

uint32_t dsq_pop(struct dsq *d, int32_t cpu, int32_t *from)
{
	struct rq_node *n = nodes(d);
	struct rq *best = &d->global;
	int32_t best_cpu = DSQ_GLOBAL;
	uint32_t id;

	if (cpu >= 0 && (uint32_t)cpu < d->nr_cpus) {
		struct rq *q = &pcpu(d)[cpu];

		if (!rq_empty(q) && (rq_empty(best) ||
				     rq_before(&n[rq_peek(q)], &n[rq_peek(best)]))) {
			best = q;
			best_cpu = cpu;
		}
	} else if (cpu == POLICY_CPU_ANY && d->nr_pcpu) {
		for (uint32_t c = 0; c < d->nr_cpus; c++) {
			struct rq *q = &pcpu(d)[c];

			if (!rq_empty(q) && (rq_empty(best) ||
					     rq_before(&n[rq_peek(q)],
						       &n[rq_peek(best)]))) {
				best = q;
				best_cpu = (int32_t)c;
			}
		}
	}
	id = rq_pop(best, n);
	if (id == RQ_NIL)
		return RQ_NIL;
	if (best_cpu != DSQ_GLOBAL)
		d->nr_pcpu--;
	where(d)[id] = DSQ_NONE;
	d->nr_queued--;
	if (from)
		*from = best_cpu;
	return id;
}

int32_t dsq_where(const struct dsq *d, uint32_t id)
{
	return where(d)[id];
}

uint64_t dsq_key(const struct dsq *d, uint32_t id)
{
	return nodes(d)[id].key;
}
