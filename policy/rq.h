/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An intrusive min-queue of task ids, shared by every policy.
 *
 * A policy keeps one struct rq_node per task id in its own state block and
 * any number of struct rq heads (one global queue, one per CPU, ...): a head
 * is two words, so per-CPU queues cost O(cpus) and the nodes O(tasks), with
 * no allocation. A task sits in at most one queue at a time.
 *
 * The queue is a pairing heap ordered by (key, seq): key is what the policy
 * sorts by (enqueue order, vtime, deadline), seq a tie-break the policy
 * draws from its own counter so equal keys leave in a stable, deterministic
 * order. Insert is O(1), pop and remove-by-id are O(log n) amortized, and
 * peek is O(1): nothing on the dispatch path scans a queue.
 */
#ifndef SCX_POLICY_RQ_H
#define SCX_POLICY_RQ_H

#include <stdbool.h>
#include <stdint.h>

#define RQ_NIL	UINT32_MAX

struct rq_node {
	uint64_t key;
	uint64_t seq;
	uint32_t child;		/* leftmost child */
	uint32_t next;		/* right sibling */
	uint32_t prev;		/* left sibling, or parent for a leftmost child */
	uint32_t queued;	/* 1 while in some queue */
};

struct rq {
	uint32_t root;
	uint32_t nr;
};

void rq_init(struct rq *q);
/* Mark every node of an array as "in no queue"; call once at init. */
void rq_nodes_init(struct rq_node *nodes, uint32_t nr);
void rq_insert(struct rq *q, struct rq_node *nodes, uint32_t id,
	       uint64_t key, uint64_t seq);
/* Take the smallest (key, seq) out, or RQ_NIL when empty. */
uint32_t rq_pop(struct rq *q, struct rq_node *nodes);
/* Take a queued id out of q (it must be in q). */
void rq_remove(struct rq *q, struct rq_node *nodes, uint32_t id);

static inline uint32_t rq_peek(const struct rq *q)
{
	return q->root;
}

static inline bool rq_empty(const struct rq *q)
{
	return q->root == RQ_NIL;
}

static inline bool rq_node_queued(const struct rq_node *nodes, uint32_t id)
{
	return nodes[id].queued != 0;
}

/* Does a order before b? */
static inline bool rq_before(const struct rq_node *a, const struct rq_node *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

#endif /* SCX_POLICY_RQ_H */
