// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing heap over task ids (see rq.h for why a pairing heap).
 *
 * Each node links to its leftmost child, its right sibling and a "prev"
 * that is either its left sibling or, for a leftmost child, its parent;
 * that back link is what makes remove-by-id O(log n) amortized without a
 * search. Pops use the classic two-pass merge, done iteratively so the
 * depth of the heap never touches the C stack.
 */
#include "policy/rq.h"

void rq_init(struct rq *q)
{
	q->root = RQ_NIL;
	q->nr = 0;
}

void rq_nodes_init(struct rq_node *nodes, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		nodes[i].child = nodes[i].next = nodes[i].prev = RQ_NIL;
		nodes[i].queued = 0;
	}
}

/* Merge two detached heap roots; returns the new root. */
static uint32_t meld(struct rq_node *nodes, uint32_t a, uint32_t b)
{
	uint32_t parent, child;

	if (a == RQ_NIL)
		return b;
	if (b == RQ_NIL)
		return a;
	if (rq_before(&nodes[b], &nodes[a])) {
		parent = b;
		child = a;
	} else {
		parent = a;
		child = b;
	}
	nodes[child].next = nodes[parent].child;
	if (nodes[parent].child != RQ_NIL)
		nodes[nodes[parent].child].prev = child;
	nodes[child].prev = parent;
	nodes[parent].child = child;
	nodes[parent].next = RQ_NIL;
	nodes[parent].prev = RQ_NIL;
	return parent;
}

/* Two-pass merge of a sibling list starting at first; returns one root. */
static uint32_t merge_pairs(struct rq_node *nodes, uint32_t first)
{
	uint32_t last = RQ_NIL, a, b, rest, root;

	/* Pass 1, left to right: meld pairs, chain results via .prev. */
	while (first != RQ_NIL) {
		a = first;
		b = nodes[a].next;
		rest = b != RQ_NIL ? nodes[b].next : RQ_NIL;
		nodes[a].next = nodes[a].prev = RQ_NIL;
		if (b != RQ_NIL)
			nodes[b].next = nodes[b].prev = RQ_NIL;
		a = meld(nodes, a, b);
		nodes[a].prev = last;	/* temporary back chain */
		last = a;
		first = rest;
	}
	/* Pass 2, right to left: meld each pair result into the root. */
	root = RQ_NIL;
	while (last != RQ_NIL) {
		a = last;
		last = nodes[a].prev;
		nodes[a].prev = RQ_NIL;
		root = meld(nodes, root, a);
	}
	return root;
}

void rq_insert(struct rq *q, struct rq_node *nodes, uint32_t id,
	       uint64_t key, uint64_t seq)
{
	struct rq_node *n = &nodes[id];

	n->key = key;
	n->seq = seq;
	n->child = n->next = n->prev = RQ_NIL;
	n->queued = 1;
	q->root = meld(nodes, q->root, id);
	q->nr++;
}

uint32_t rq_pop(struct rq *q, struct rq_node *nodes)
{
	uint32_t id = q->root;

	if (id == RQ_NIL)
		return RQ_NIL;
	q->root = merge_pairs(nodes, nodes[id].child);
	if (q->root != RQ_NIL)
		nodes[q->root].prev = RQ_NIL;
	nodes[id].child = nodes[id].next = nodes[id].prev = RQ_NIL;
	nodes[id].queued = 0;
	q->nr--;
	return id;
}

void rq_remove(struct rq *q, struct rq_node *nodes, uint32_t id)
{
	struct rq_node *n = &nodes[id];
	uint32_t sub;

	if (id == q->root) {
		rq_pop(q, nodes);
		return;
	}
	/* Unlink id from its sibling list (prev is parent or left sibling). */
	if (nodes[n->prev].child == id)
		nodes[n->prev].child = n->next;
	else
		nodes[n->prev].next = n->next;
	if (n->next != RQ_NIL)
		nodes[n->next].prev = n->prev;
	n->next = n->prev = RQ_NIL;
	/* Its children become one heap, melded back into the root. */
	sub = merge_pairs(nodes, n->child);
	q->root = meld(nodes, q->root, sub);
	n->child = RQ_NIL;
	n->queued = 0;
	q->nr--;
}
